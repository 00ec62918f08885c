"""The budget report: forecast years, actuals, groups and service levels, and its JSON form.

Rounding: every line's amount is computed exactly (``Decimal``) and rounded
half-up to cents once, when it is reported; every figure above the lines (a
year's ``total``, ``by_kind``, ``by_service_level``, ``groups``) is the sum of
the rounded lines, so a year's total always equals the sum of its reported
lines to the cent. Actuals: each kind's exact sum is rounded once, a year's total is the sum of its kinds.

JSON (``BudgetReport.to_json()``)::

    {"as_of", "currency", "fiscal_year_start": "MM-DD", "by",
     "service_levels": {name: maintenance_factor},
     "current": {the rest of the current fiscal year: as a year below, "from" the day after as_of,
                 plus "actual_to_date" (spent from its start through as_of) and "expected_total"
                 (actual_to_date + its forecast total: the whole current year)},
     "years": [{"label", "start", "end", "from", "partial", "total",
                "by_kind": {"replacement", "license", "contract", "maintenance"},
                "by_service_level": {level..., "none"},
                "groups": [{"key", "total"}],
                "lines": [{"id", "name", "kind", "date", "amount", "note"}]}],
     "actuals": [{"label", "start", "end", "partial", "total",
                  "by_kind": {"purchase", "license", "contract", "maintenance"}}],
     "unplaced": [{"id", "name", "reason"}]}

Money is a string with two decimals. ``by_service_level`` lists every level
in Settings plus ``none`` (lines of assets without a level, licenses, and
contracts whose covered assets do not share one level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itamctl.budget.actuals import YearActuals, actuals
from itamctl.budget.forecast import Unplaced, Window, forecast_lines, forecast_sums
from itamctl.budget.lines import NONE_KEY, Line
from itamctl.dates import FiscalYear, fiscal_year_of
from itamctl.model import Registry
from itamctl.money import ZERO, money_str

FORECAST_KINDS = ("replacement", "license", "contract", "maintenance")
BY_CHOICES = ("kind", "category", "cost_center", "vendor", "service_level")
#: Where each ``--by`` grouping is in a sum's key (:data:`itamctl.budget.forecast.SumKey`).
_SUM_AT = {"kind": 0, "service_level": 1, "category": 2, "cost_center": 3, "vendor": 4}


def _sum(lines: list[Line] | tuple[Line, ...]) -> Decimal:
    return sum((line.reported for line in lines), ZERO)


@dataclass(frozen=True)
class YearForecast:
    year: FiscalYear
    lines: tuple[Line, ...]
    by: str
    levels: tuple[str, ...]  # keys of by_service_level, in order
    first_day: date  # the first day forecast: the year's start, or the day after as_of in the current year
    #: The year summed (:func:`itamctl.budget.forecast.forecast_sums`): the reported total of its lines by
    #: (kind, service_level, category, cost_center, vendor), and ``lines`` holds only those a text report
    #: shows one by one (``SHOWN_NOTES``). None: ``lines`` holds every line.
    sums: Mapping[tuple[str, str, str, str, str], Decimal] | None = None

    @property
    def partial(self) -> bool:
        """The current year: forecast only from the day after ``as_of`` (its actuals hold the rest)."""
        return self.first_day > self.year.start

    def _by(self, at: int, key: str) -> Decimal:
        assert self.sums is not None
        return sum((total for k, total in self.sums.items() if k[at] == key), ZERO)

    @property
    def total(self) -> Decimal:
        if self.sums is not None:
            return sum(self.sums.values(), ZERO)
        return _sum(self.lines)

    @property
    def by_kind(self) -> dict[str, Decimal]:
        if self.sums is not None:
            return {kind: self._by(0, kind) for kind in FORECAST_KINDS}
        return {kind: _sum([ln for ln in self.lines if ln.kind == kind]) for kind in FORECAST_KINDS}

    @property
    def by_service_level(self) -> dict[str, Decimal]:
        if self.sums is not None:
            return {lv: self._by(1, lv) for lv in self.levels}
        return {lv: _sum([ln for ln in self.lines if ln.service_level == lv]) for lv in self.levels}

    @property
    def groups(self) -> list[tuple[str, Decimal]]:
        """``(key, total)`` per ``--by`` group, largest first."""
        if self.sums is not None:
            at = _SUM_AT[self.by]
            totals = [(k, self._by(at, k)) for k in {key[at] for key in self.sums}]
        else:
            keys = {line.key(self.by) for line in self.lines}
            totals = [(k, _sum([ln for ln in self.lines if ln.key(self.by) == k])) for k in keys]
        return sorted(totals, key=lambda kt: (-kt[1], kt[0]))

    def to_json(self) -> dict:
        if self.sums is not None:
            raise ValueError("a summed forecast year lists only some of its lines: made with lines=True for JSON")
        return {
            "label": self.year.label,
            "start": self.year.start.isoformat(),
            "end": self.year.end.isoformat(),
            "from": self.first_day.isoformat(),
            "partial": self.partial,
            "total": money_str(self.total),
            "by_kind": {k: money_str(v) for k, v in self.by_kind.items()},
            "by_service_level": {k: money_str(v) for k, v in self.by_service_level.items()},
            "groups": [{"key": k, "total": money_str(v)} for k, v in self.groups],
            "lines": [
                {"id": ln.id, "name": ln.name, "kind": ln.kind, "date": ln.date.isoformat(),
                 "amount": money_str(ln.amount), "note": ln.note}
                for ln in self.lines
            ],
        }


@dataclass(frozen=True)
class BudgetReport:
    as_of: date
    currency: str
    fiscal_year_start: tuple[int, int]
    by: str
    service_levels: Mapping[str, Decimal]
    years: tuple[YearForecast, ...]  # the full fiscal years after the current one
    current: YearForecast  # the rest of the current fiscal year, from the day after as_of
    actuals: tuple[YearActuals, ...]
    unplaced: tuple[Unplaced, ...]
    organization: str | None = None
    current_actual: YearActuals | None = None  # the current year from its start through as_of

    @property
    def current_expected(self) -> Decimal | None:
        """The whole current fiscal year: actual to date + forecast for the rest (each payment once)."""
        return None if self.current_actual is None else self.current_actual.total + self.current.total

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), ZERO)

    def to_json(self) -> dict:
        month, day = self.fiscal_year_start
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "fiscal_year_start": f"{month:02d}-{day:02d}",
            "by": self.by,
            "service_levels": {k: str(v) for k, v in self.service_levels.items()},
            "current": {**self.current.to_json(), **self._current_totals()},
            "years": [y.to_json() for y in self.years],
            "actuals": [a.to_json() for a in self.actuals],
            "unplaced": [{"id": u.id, "name": u.name, "reason": u.reason} for u in self.unplaced],
        }

    def _current_totals(self) -> dict:
        if self.current_actual is None:
            return {}
        return {"actual_to_date": money_str(self.current_actual.total),
                "expected_total": money_str(self.current_expected)}


def forecast_years(as_of: date, fy_start: tuple[int, int], count: int) -> list[FiscalYear]:
    """The ``count`` full fiscal years after the one containing ``as_of``."""
    years = [fiscal_year_of(as_of, fy_start).next(fy_start)] if count > 0 else []
    while len(years) < count:
        years.append(years[-1].next(fy_start))
    return years


def history_years(first: FiscalYear, fy_start: tuple[int, int], count: int) -> list[FiscalYear]:
    """The ``count`` fiscal years just before ``first``, oldest first."""
    years: list[FiscalYear] = []
    day = first.start
    for _ in range(count):
        year = fiscal_year_of(date.fromordinal(day.toordinal() - 1), fy_start)
        years.insert(0, year)
        day = year.start
    return years


def budget_report(registry: Registry, as_of: date, *, years: int = 3, history: int = 3,
                  by: str = "kind", lines: bool = True) -> BudgetReport:
    """The budget of ``years`` fiscal years from ``as_of`` and the actuals of ``history`` years before.
    ``lines=False``: each forecast year summed, its ``lines`` only those a text report shows one by one
    (:func:`itamctl.budget.forecast.forecast_sums`: kept by chunk of files with the cache); JSON and CSV
    need ``lines=True``."""
    if years < 1:
        raise ValueError("a forecast needs at least one year")
    if by not in BY_CHOICES:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(BY_CHOICES)}")
    settings = registry.settings
    fy_start = settings.fiscal_year_start
    current = fiscal_year_of(as_of, fy_start)
    window = Window((current, *forecast_years(as_of, fy_start, years)), as_of)
    levels = (*sorted(settings.service_levels), NONE_KEY)
    if lines:
        every, unplaced = forecast_lines(registry, as_of, window)
        per_year = tuple(
            YearForecast(y, tuple(ln for ln in every if ln.date in y), by, levels, max(y.start, window.first_day))
            for y in window.years
        )
    else:
        summed = forecast_sums(registry, as_of, window)
        unplaced = summed.unplaced
        per_year = tuple(
            YearForecast(y, tuple(ln for ln in summed.shown if ln.date in y), by, levels,
                         max(y.start, window.first_day), sums=summed.sums[y.label])
            for y in window.years
        )
    rest, per_year = per_year[0], per_year[1:]
    # the current year is actual to date (here) and forecast for the rest (``current``)
    # (``history`` counts it, as before: history=3 is two full years and the current one)
    past_years = [*history_years(current, fy_start, history - 1), current] if history > 0 else []
    past = actuals(registry, as_of, past_years)
    current_actual = past[-1] if past else actuals(registry, as_of, [current])[0]
    return BudgetReport(
        as_of=as_of, currency=settings.currency, fiscal_year_start=fy_start, by=by,
        service_levels={name: lv.maintenance_factor for name, lv in sorted(settings.service_levels.items())},
        years=per_year, current=rest, actuals=tuple(past), unplaced=tuple(unplaced),
        organization=settings.organization, current_actual=current_actual,
    )
