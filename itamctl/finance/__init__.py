"""The finance core: depreciation, total cost of ownership and the costs report.

Everything here is pure: it takes the registry (or an asset and the Settings)
and an explicit ``as_of`` date, and returns exact ``Decimal`` amounts in the
report currency; rounding to cents is the renderers' job.
"""

from itamctl.finance.depreciation import (
    DepreciationSchedule,
    Period,
    accumulated_depreciation,
    book_value,
    depreciation_schedule,
)

__all__ = [
    "DepreciationSchedule",
    "Period",
    "accumulated_depreciation",
    "book_value",
    "depreciation_schedule",
]
