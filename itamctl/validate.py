"""Moved to :mod:`itamctl.pipeline`; this name stays while branches in flight still import it.

New code imports :mod:`itamctl.pipeline`. Remove this module once nothing does.
"""

from itamctl.pipeline import (  # noqa: F401
    Checked,
    empty_registry,
    load_valid_registry,
    open_registry,
    open_snapshot,
    registry_snapshot,
    valid_or_fail,
)
