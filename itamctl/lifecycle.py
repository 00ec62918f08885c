"""Moved to :mod:`itamctl.facts` (one module of lifecycle facts); import from there.

This name stays only so that code written against it keeps importing.
"""

from itamctl.facts import (  # noqa: F401
    depreciation_spec,
    maintenance_factor,
    planned_end_of_life,
    replacement_cost,
    service_life_months,
)
