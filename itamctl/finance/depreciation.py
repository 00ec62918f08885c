"""Depreciation: how an asset's book value declines, month by month, exactly.

One small pure function per method turns (cost, salvage, life, ...) into
*segments*: runs of consecutive months, counted from the purchase month
(offset 0), over which one amount of depreciation is spread evenly.
:class:`DepreciationSchedule` adds the asset's dates and answers "what is the
accumulated depreciation / book value on this date" and "what is the schedule
per fiscal year". The entry points other modules use are
:func:`depreciation_schedule` and :func:`book_value`.

Decisions (the issue leaves these open):

* **Months.** Full-month convention (IRS Pub 534): the purchase month counts
  in full from the purchase date; every later month counts once it has ended,
  on its last day (:func:`itamctl.facts.months_counted`; bought 2024-03-15:
  one month on 2024-03-15 and on 2024-04-29, two on 2024-04-30, three on
  2024-05-31; bought 2026-11-30: one month on 2026-12-01). A fiscal year's
  figures count the months whose first day lies in it, so a year ending on the
  last day of a month holds all of that month. Before the purchase date
  nothing is owned: no figures at all ("not purchased yet"). ``planned`` and
  ``ordered`` assets have no schedule, whatever date they carry.
* **Exactness.** Amounts are ``Decimal`` and never rounded to cents here
  (the renderers do that). Accumulated depreciation after ``k`` months of a
  segment is ``amount * k / months`` (one division per figure, no sum of
  monthly amounts). A quotient that does not terminate (1000 / 36) has to stop
  somewhere: it keeps 28 significant digits, Decimal's default; every sum,
  difference and product runs at a precision high enough to be exact
  (:func:`exact`), so a segment's months add up to exactly its amount, the
  fiscal years to exactly the total, and the whole schedule to exactly
  ``cost - salvage`` (the last declining-balance year takes what is left).
* **straight_line**: one segment of ``life_months`` months, amount
  ``cost - salvage``; so the monthly amount is ``(cost - salvage) / life_months``.
* **declining_balance**: a segment per year of life (12 months from the
  purchase month; a last, shorter year if ``life_months`` is not a multiple of
  12, its rate prorated by months/12). A year's amount is
  ``book value at its start * factor * 12 / life_months * months / 12``, or
  straight line over the remaining life (``(book value - salvage) * months /
  remaining months``) from the first year where that is equal or larger; never
  more than down to salvage. Within a year the amount is spread evenly over
  its months (so a month is 1/12 of its year of life, not a monthly
  compounding rate): the year-end values are the textbook figures.
* **macrs**: the printed IRS percentages (:mod:`itamctl.finance.macrs_tables`)
  of cost per tax year; tax years are the fiscal years from Settings, the first
  one running from the purchase month to the end of its fiscal year; each tax
  year's amount is spread evenly over its months in service (all 12 for later
  years, including the last one). Mid-quarter uses the quarter of the fiscal
  year holding the purchase month. Salvage is ignored (MACRS treats it as 0).
* **none**: no segments; the book value stays at cost.
* **Fiscal years starting mid-month** (``fiscal_year_start: "04-15"``): a month
  belongs to the fiscal year that holds its first day (an approximation: the
  model counts whole months).
* **Disposal.** Depreciation stops: no depreciation in the month of disposal
  (the mirror of the full purchase month). From the disposal date on the asset
  is off the books: book value 0. The schedule's last period is the fiscal
  year of disposal, with book value 0 at its end; the carrying amount written
  off is :attr:`DepreciationSchedule.value_at_disposal`; the gain or loss is
  the proceeds (converted at the disposal date; none recorded: 0) − that
  write-off, both in cents.
* **Salvage** is converted into the report currency at the purchase date, like
  the cost; a salvage at or above cost means no depreciation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, getcontext, localcontext
from typing import ParamSpec, TypeVar

from itamctl.dates import FiscalYear, add_months, fiscal_year_of, months_between
from itamctl.errors import FatalError
from itamctl.facts import depreciation_spec, in_service_interval, months_counted
from itamctl.finance import macrs_tables
from itamctl.model import Asset, Depreciation, Settings
from itamctl.money import ZERO, MissingRate, Money, cents
from itamctl.quickinit import quick_init

P = ParamSpec("P")
R = TypeVar("R")

METHODS = ("straight_line", "declining_balance", "macrs", "none")

#: Quotients (the only inexact step) are rounded to 28 significant digits, like
#: Decimal's default; sums, differences and products of them run at a precision
#: high enough to be exact, so segments add up to their totals to the last digit.
_QUOTIENT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_EXACT_PREC = 120


def _divide(numerator: Decimal, denominator: Decimal | int) -> Decimal:
    return _QUOTIENT.divide(numerator, Decimal(denominator))


def exact(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with exact additions and multiplications (see :func:`_divide`)."""
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if getcontext().prec == _EXACT_PREC:  # called from an exact function: its context is this one already
            return func(*args, **kwargs)
        with localcontext(prec=_EXACT_PREC):
            return func(*args, **kwargs)
    return wrapper


@quick_init
@dataclass(frozen=True, slots=True)
class Segment:
    """``amount`` of depreciation spread evenly over ``months`` months from offset ``first``."""

    first: int
    months: int
    amount: Decimal

    @property
    def end(self) -> int:
        return self.first + self.months


@exact
def accumulated(segments: tuple[Segment, ...], months: int) -> Decimal:
    """Depreciation over the first ``months`` months (exact)."""
    total = ZERO
    for seg in segments:
        if months >= seg.end:
            total += seg.amount
        else:
            if months > seg.first:
                total += _divide(seg.amount * (months - seg.first), seg.months)
            break
    return total


# --- one function per method -------------------------------------------------------------

@exact
def straight_line(cost: Decimal, salvage: Decimal, life_months: int) -> tuple[Segment, ...]:
    """Equal monthly amounts ``(cost - salvage) / life_months`` down to salvage."""
    base = cost - salvage
    return (Segment(0, life_months, base),) if base > 0 else ()


@exact
def declining_balance(cost: Decimal, salvage: Decimal, life_months: int, factor: Decimal) -> tuple[Segment, ...]:
    """``factor / life in years`` of the book value per year of life, switching to straight line."""
    segments: list[Segment] = []
    value = cost
    switched = False
    for first in range(0, life_months, 12):
        months = min(12, life_months - first)
        left = value - salvage
        if left <= 0:
            break
        remaining = life_months - first
        line = left if months == remaining else _divide(left * months, remaining)
        if not switched:
            declining = _divide(value * factor * months, life_months)
            switched = line >= declining
        amount = min(line if switched else declining, left)
        segments.append(Segment(first, months, amount))
        value -= amount
    return tuple(segments)


@exact
def macrs(cost: Decimal, class_years: int, convention: str, month_of_tax_year: int) -> tuple[Segment, ...]:
    """IRS Pub 946 table percentages of cost per tax year.

    ``month_of_tax_year`` is the purchase month's position in its tax year
    (0 = the first month); it sets the first tax year's length and, for the
    mid-quarter convention, the quarter.
    """
    table = macrs_tables.percentages(class_years, convention, month_of_tax_year // 3 + 1)
    segments = []
    first = 0
    for year, percent in enumerate(table):
        months = 12 - month_of_tax_year if year == 0 else 12
        segments.append(Segment(first, months, _divide(cost * percent, 100)))
        first += months
    return tuple(segments)


# --- the schedule of one asset -----------------------------------------------------------

@quick_init
@dataclass(frozen=True, slots=True)
class Period:
    """One fiscal year of a schedule; ``label`` is the calendar year in which it starts."""

    label: str
    start: date
    end: date
    depreciation: Decimal
    book_value: Decimal  # at ``end``


@quick_init
@dataclass(frozen=True, slots=True)
class Carrying:
    """Reported figures in cents: ``book_value == cost - accumulated - write_off`` exactly.

    ``gain_or_loss`` (disposal proceeds − ``write_off``) is ``None`` until the asset is disposed.
    """

    cost: Decimal
    accumulated: Decimal
    write_off: Decimal  # the carrying amount written off at disposal (0 until disposed)
    book_value: Decimal
    gain_or_loss: Decimal | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class DepreciationSchedule:
    """An asset's depreciation in the report currency; amounts exact (round when reporting)."""

    asset_id: str
    method: str
    currency: str
    purchase_date: date
    cost: Decimal
    salvage: Decimal  # effective: 0 for macrs and none, at most the cost
    segments: tuple[Segment, ...]
    fiscal_year_start: tuple[int, int]
    disposal_date: date | None = None
    disposal_proceeds: Decimal = ZERO  # report currency, at the disposal date

    def _disposal_cap(self, months: int) -> int:
        """No depreciation in the month of disposal (nor after it)."""
        if self.disposal_date is None:
            return months
        return min(months, max(0, months_between(self.purchase_date, self.disposal_date)))

    def months_elapsed(self, as_of: date) -> int:
        """Months depreciated by ``as_of``: the purchase month in full, later months once ended; none from
        the month of disposal on."""
        return self._disposal_cap(months_counted(self.purchase_date, as_of))

    def _months_through(self, day: date) -> int:
        """Months depreciated through the month holding ``day`` (fiscal years: a month is in the year of its 1st)."""
        if day < self.purchase_date.replace(day=1):
            return 0
        return self._disposal_cap(months_between(self.purchase_date, day) + 1)

    def owned(self, as_of: date) -> bool:
        return self.purchase_date <= as_of and (self.disposal_date is None or as_of < self.disposal_date)

    @exact
    def accumulated_depreciation(self, as_of: date) -> Decimal:
        return accumulated(self.segments, self.months_elapsed(as_of))

    @exact
    def book_value(self, as_of: date) -> Decimal:
        """Cost less accumulated depreciation; 0 before purchase and from the disposal date on."""
        if not self.owned(as_of):
            return ZERO
        return self.cost - self.accumulated_depreciation(as_of)

    @property
    @exact
    def value_at_disposal(self) -> Decimal | None:
        """The carrying amount written off at disposal (``None`` when not disposed)."""
        if self.disposal_date is None:
            return None
        return self.cost - self.accumulated_depreciation(self.disposal_date)

    def carrying(self, as_of: date) -> Carrying | None:
        """The figures reported on ``as_of``, in cents, adding up: book value = cost − accumulated − write-off.

        Cost and accumulated depreciation are each rounded once; the write-off
        (the carrying amount at disposal, once disposed) and the book value are
        derived from them, so a row never disagrees with itself by a cent.
        ``None`` before the purchase date: not purchased yet.
        """
        if as_of < self.purchase_date:
            return None
        cost = cents(self.cost)
        accumulated = cents(self.accumulated_depreciation(as_of))
        if self.disposal_date is not None and as_of >= self.disposal_date:
            write_off = cost - accumulated
            return Carrying(cost, accumulated, write_off, ZERO, cents(self.disposal_proceeds) - write_off)
        return Carrying(cost, accumulated, ZERO, cost - accumulated)

    @property
    def at_disposal(self) -> Carrying | None:
        """The reported figures on the disposal date (``None`` when not disposed)."""
        return None if self.disposal_date is None else self.carrying(self.disposal_date)

    def reported_periods(self) -> tuple[Period, ...]:
        """:meth:`periods` in cents, adding up: each year's depreciation is the change of the rounded
        accumulated depreciation, so the years sum to the rounded total and book value = cost − accumulated."""
        cost, before, out = cents(self.cost), ZERO, []
        for p in self.periods():
            upto = cents(self._accumulated_through(p.end))
            out.append(Period(p.label, p.start, p.end, upto - before, cost - upto if self.owned(p.end) else ZERO))
            before = upto
        return tuple(out)

    @exact
    def _accumulated_through(self, day: date) -> Decimal:
        return accumulated(self.segments, self._months_through(day))

    @property
    def depreciation_months(self) -> int:
        return self.segments[-1].end if self.segments else 0

    @exact
    def periods(self) -> tuple[Period, ...]:
        """Fiscal years from the purchase through the last month of depreciation (or the disposal)."""
        if not self.segments:
            return ()
        first_month = self.purchase_date.replace(day=1)
        last_month = add_months(first_month, max(self.depreciation_months - 1, 0))
        if self.disposal_date is not None:
            last_month = min(last_month, self.disposal_date.replace(day=1))
        fy = fiscal_year_of(first_month, self.fiscal_year_start)
        if fy.end < self.purchase_date:  # mid-month fiscal year start, bought after it began
            fy = fy.next(self.fiscal_year_start)
        last_fy = fiscal_year_of(last_month, self.fiscal_year_start)
        out: list[Period] = []
        before = ZERO
        while True:
            upto = self._accumulated_through(fy.end)
            value = self.cost - upto if self.owned(fy.end) else ZERO
            out.append(Period(fy.label, fy.start, fy.end, upto - before, value))
            before = upto
            if fy.start >= last_fy.start:
                return tuple(out)
            fy = fy.next(self.fiscal_year_start)


def _first_month_of(fy: FiscalYear) -> date:
    """The first month whose first day lies in ``fy``."""
    return fy.start if fy.start.day == 1 else add_months(fy.start.replace(day=1), 1)


def month_of_fiscal_year(day: date, fy_start: tuple[int, int]) -> int:
    """Position (0-11) of ``day``'s month in its fiscal year (months belong to the year of their 1st)."""
    first_of_month = day.replace(day=1)
    return months_between(_first_month_of(fiscal_year_of(first_of_month, fy_start)), first_of_month)


def _spec_error(asset: Asset, settings: Settings, message: str) -> FatalError:
    """Point at the asset's own depreciation, else at its category's default in Settings."""
    if asset.depreciation is not None or settings.doc is None:
        where = asset.diagnostic(("depreciation",), "depreciation", message)
    else:
        where = settings.doc.diagnostic(("categories", asset.category, "depreciation"), "depreciation", message)
    return FatalError(f"{asset.id}: {message}", file=where.file, line=where.line)


def to_report_currency(asset: Asset, settings: Settings, path: tuple, money: Money, on: date) -> Decimal:
    """``money`` converted at ``on``; a missing rate is a fatal error naming the file and line."""
    try:
        return settings.fx.convert(money, on)
    except MissingRate as exc:
        where = asset.diagnostic(path, "fx_missing_rate", str(exc))
        raise FatalError(f"{asset.id}: {exc}; add one to Settings `fx`",
                         file=where.file, line=where.line) from None


def _segments(asset: Asset, settings: Settings, spec: Depreciation, cost: Decimal,
              salvage: Decimal, purchased: date) -> tuple[Segment, ...]:
    if spec.method == "none":
        return ()
    if spec.method == "macrs":
        if spec.class_years not in macrs_tables.CLASS_YEARS:
            raise _spec_error(asset, settings, "macrs needs `class_years`: 3, 5 or 7")
        return macrs(cost, spec.class_years, spec.convention,
                     month_of_fiscal_year(purchased, settings.fiscal_year_start))
    if not spec.life_months:
        raise _spec_error(asset, settings, f"{spec.method} needs `life_months`")
    if spec.method == "declining_balance":
        return declining_balance(cost, salvage, spec.life_months, spec.factor)
    return straight_line(cost, salvage, spec.life_months)


@exact
def depreciation_schedule(asset: Asset, settings: Settings) -> DepreciationSchedule | None:
    """The asset's schedule; ``None`` when it is not bought (planned, ordered) or has no purchase date and cost."""
    purchase = asset.purchase
    if in_service_interval(asset) is None or purchase is None or purchase.date is None or purchase.cost is None:
        return None
    spec = depreciation_spec(asset, settings)
    cost = to_report_currency(asset, settings, ("purchase", "cost"), purchase.cost, purchase.date)
    salvage = ZERO
    if spec.salvage is not None and spec.method in ("straight_line", "declining_balance"):
        salvage = min(cost, to_report_currency(asset, settings, ("depreciation", "salvage"),
                                               spec.salvage, purchase.date))
    disposal = asset.disposal
    proceeds = ZERO
    if disposal is not None and disposal.proceeds is not None:
        proceeds = to_report_currency(asset, settings, ("disposal", "proceeds"), disposal.proceeds, disposal.date)
    return DepreciationSchedule(
        asset_id=asset.id, method=spec.method, currency=settings.currency,
        purchase_date=purchase.date, cost=cost, salvage=salvage,
        segments=_segments(asset, settings, spec, cost, salvage, purchase.date),
        fiscal_year_start=settings.fiscal_year_start,
        disposal_date=disposal.date if disposal else None,
        disposal_proceeds=proceeds,
    )


def book_value(asset: Asset, settings: Settings, as_of: date) -> Decimal:
    """The asset's book value on ``as_of`` in the report currency, exact (0 when not owned)."""
    schedule = depreciation_schedule(asset, settings)
    return ZERO if schedule is None else schedule.book_value(as_of)


def accumulated_depreciation(asset: Asset, settings: Settings, as_of: date) -> Decimal:
    schedule = depreciation_schedule(asset, settings)
    return ZERO if schedule is None else schedule.accumulated_depreciation(as_of)
