"""Calendar helpers: month arithmetic and fiscal years. Nothing here reads the clock."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of shorter months (and to the calendar's range)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year > date.max.year:  # saturates: a date past 9999-12-31 (a "never" plus a term) stays "never"
        return date.max
    if year < date.min.year:
        return date.min
    if day.day <= 28:  # every month has it
        return date(year, month, day.day)
    return date(year, month, min(day.day, days_in_month(year, month)))


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1-12) in ``year`` (``calendar.monthrange`` also works out a weekday)."""
    return 29 if month == 2 and calendar.isleap(year) else _DAYS[month - 1]


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, saturating at :data:`datetime.date.min` and :data:`datetime.date.max`."""
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month (end - start)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def parse_month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    return month, day


@dataclass(frozen=True, slots=True)
class FiscalYear:
    """A fiscal year; ``label`` is the calendar year in which it starts."""

    label: str
    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def next(self, fy_start: tuple[int, int]) -> FiscalYear:
        # the day after the end, not start + 12 months: a start clamped to Feb 28 ("02-29", "02-31")
        # plus 12 months can fall before the next start (Feb 29 of a leap year)
        return fiscal_year_of(date.fromordinal(self.end.toordinal() + 1), fy_start)


def _fy_start_in(year: int, fy_start: tuple[int, int]) -> date:
    month, day = fy_start
    return date(year, month, min(day, days_in_month(year, month)))


def fiscal_year_of(day: date, fy_start: tuple[int, int]) -> FiscalYear:
    """The fiscal year containing ``day`` for a year starting on ``fy_start`` (month, day)."""
    start = _fy_start_in(day.year, fy_start)
    if day < start:
        start = _fy_start_in(day.year - 1, fy_start)
    following = _fy_start_in(start.year + 1, fy_start)
    return FiscalYear(str(start.year), start, date.fromordinal(following.toordinal() - 1))


def first_fiscal_year_on_or_after(day: date, fy_start: tuple[int, int]) -> FiscalYear:
    """The first fiscal year that begins on or after ``day``."""
    current = fiscal_year_of(day, fy_start)
    return current if current.start == day else current.next(fy_start)
