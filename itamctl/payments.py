"""Moved to :mod:`itamctl.facts` (one module of lifecycle facts); import from there.

This name stays only so that code written against it keeps importing.
"""

from itamctl.facts import (  # noqa: F401
    BILLING_MONTHS,
    Billable,
    Payment,
    current_term_end,
    payment_dates,
    payments,
    renewal_months,
    renews,
    term_end,
)
