"""What was actually spent in past fiscal years, per kind.

For each history year and the current one (the one containing ``as_of``,
counted only up to ``as_of``: it is ``partial``, and the forecast holds the
rest of it):

``purchase``
    the purchase cost of every asset bought in the year (by purchase date),
    whatever its status now (retired and disposed ones were bought too) except
    ``planned`` and ``ordered`` ones (not bought yet, :func:`itamctl.facts.purchased`:
    the forecast budgets them, overdue when their date has passed). It is the
    actual counterpart of the forecast's ``replacement``.
``maintenance``
    the cost of every maintenance record dated in the year.
``license`` / ``contract``
    every payment dated in the year, following ``renewal: auto`` only (as
    TCO does: a manual renewal that nobody recorded was not paid).

Each amount is converted at the rate of its own date and summed exactly;
each kind's sum is rounded once, where it is reported, and a year's total is
the sum of its rounded kinds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itamctl.budget.lines import convert
from itamctl.dates import FiscalYear
from itamctl.facts import payments, purchased
from itamctl.model import Registry
from itamctl.money import ZERO, cents, money_str

ACTUAL_KINDS = ("purchase", "license", "contract", "maintenance")


@dataclass(frozen=True)
class YearActuals:
    year: FiscalYear
    partial: bool  # the year runs past as_of: only spending up to as_of is in
    by_kind: dict[str, Decimal]  # each the exact sum of its amounts, rounded to cents once

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), ZERO)

    @classmethod
    def of(cls, year: FiscalYear, partial: bool, exact: dict[str, Decimal]) -> YearActuals:
        return cls(year, partial, {kind: cents(amount) for kind, amount in exact.items()})

    def to_json(self) -> dict:
        return {
            "label": self.year.label,
            "start": self.year.start.isoformat(),
            "end": self.year.end.isoformat(),
            "partial": self.partial,
            "total": money_str(self.total),
            "by_kind": {kind: money_str(amount) for kind, amount in self.by_kind.items()},
        }


def actuals(registry: Registry, as_of: date, years: Sequence[FiscalYear]) -> list[YearActuals]:
    """Spending per kind in each of ``years`` (oldest first), up to ``as_of``."""
    if not years:
        return []
    first, until = years[0].start, min(years[-1].end, as_of)
    sums = {y.label: dict.fromkeys(ACTUAL_KINDS, ZERO) for y in years}
    for kind, day, amount in _spending(registry, until):
        if day < first:
            continue
        year = next((y for y in years if day in y), None)
        if year is not None:
            sums[year.label][kind] += amount
    return [YearActuals.of(y, y.end > as_of, sums[y.label]) for y in years]


def _spending(registry: Registry, until: date) -> Iterator[tuple[str, date, Decimal]]:
    settings = registry.settings
    for asset in registry.assets:
        p = asset.purchase
        if p and p.date and p.cost and purchased(asset, until):
            yield "purchase", p.date, convert(settings, asset, ("purchase", "cost"), p.cost, p.date)
        for m in asset.maintenance:
            if m.cost is not None and m.date <= until:
                yield "maintenance", m.date, convert(settings, asset, ("maintenance", m.index, "cost"), m.cost, m.date)
    for kind, items in (("license", registry.licenses), ("contract", registry.contracts)):
        for item in items:
            for pay in payments(item, until):
                yield kind, pay.date, convert(settings, item, ("cost",), pay.amount, pay.date)
