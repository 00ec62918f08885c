"""MACRS percentage tables, IRS Publication 946, Appendix A (GDS, 200 % DB switching to SL).

Percentages of the unadjusted basis per recovery year, as printed (the printed
tables round each cell to two decimals and adjust a few by 0.01 so that every
column sums to 100; we use the printed figures, not the derivation, so our
deductions match a tax return to the cent).

* Table A-1: half-year convention.
* Tables A-2 to A-5: mid-quarter convention, property placed in service in the
  first, second, third or fourth quarter of the tax year.
"""

from __future__ import annotations

from decimal import Decimal


def _column(*cells: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(c) for c in cells)


#: Table A-1, half-year convention: class years -> percentages per recovery year.
HALF_YEAR: dict[int, tuple[Decimal, ...]] = {
    3: _column("33.33", "44.45", "14.81", "7.41"),
    5: _column("20.00", "32.00", "19.20", "11.52", "11.52", "5.76"),
    7: _column("14.29", "24.49", "17.49", "12.49", "8.93", "8.92", "8.93", "4.46"),
}

#: Tables A-2 (Q1) to A-5 (Q4), mid-quarter convention: quarter -> class years -> percentages.
MID_QUARTER: dict[int, dict[int, tuple[Decimal, ...]]] = {
    1: {  # Table A-2
        3: _column("58.33", "27.78", "12.35", "1.54"),
        5: _column("35.00", "26.00", "15.60", "11.01", "11.01", "1.38"),
        7: _column("25.00", "21.43", "15.31", "10.93", "8.75", "8.74", "8.75", "1.09"),
    },
    2: {  # Table A-3
        3: _column("41.67", "38.89", "14.14", "5.30"),
        5: _column("25.00", "30.00", "18.00", "11.37", "11.37", "4.26"),
        7: _column("17.85", "23.47", "16.76", "11.97", "8.87", "8.87", "8.87", "3.34"),
    },
    3: {  # Table A-4
        3: _column("25.00", "50.00", "16.67", "8.33"),
        5: _column("15.00", "34.00", "20.40", "12.24", "11.30", "7.06"),
        7: _column("10.71", "25.51", "18.22", "13.02", "9.30", "8.85", "8.86", "5.53"),
    },
    4: {  # Table A-5
        3: _column("8.33", "61.11", "20.37", "10.19"),
        5: _column("5.00", "38.00", "22.80", "13.68", "10.94", "9.58"),
        7: _column("3.57", "27.55", "19.68", "14.06", "10.04", "8.73", "8.73", "7.64"),
    },
}

CLASS_YEARS = (3, 5, 7)


def percentages(class_years: int, convention: str, quarter: int) -> tuple[Decimal, ...]:
    """The printed percentages for a property class, convention and (mid-quarter) quarter 1-4."""
    if convention == "mid_quarter":
        return MID_QUARTER[quarter][class_years]
    return HALF_YEAR[class_years]
