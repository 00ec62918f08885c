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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from itamctl.budget.lines import convert
from itamctl.dates import FiscalYear
from itamctl.facts import payments, purchased
from itamctl.model import Asset, Registry, Settings
from itamctl.money import ZERO, cents, exact_add, money_str

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
    """Spending per kind in each of ``years`` (oldest first), up to ``as_of``. With the cache, the assets'
    part is summed a chunk of files at a time and kept in the facts pack (:func:`itamctl.sharing.per_chunk`,
    keyed by the years and the last day counted); sums are exact (:data:`itamctl.money.exact_add`), so
    the same by chunk or all at once."""
    from itamctl.sharing import per_chunk

    if not years:
        return []
    first, until = years[0].start, min(years[-1].end, as_of)
    settings = registry.settings

    def summed(spending: Iterable[tuple[str, date, Decimal]]) -> dict[str, dict[str, Decimal]]:
        sums: dict[str, dict[str, Decimal]] = {}
        for kind, day, amount in spending:
            if day < first:
                continue
            year = next((y for y in years if day in y), None)
            if year is not None:
                by_kind = sums.setdefault(year.label, {})
                by_kind[kind] = exact_add(by_kind.get(kind, ZERO), amount)
        return sums

    context = ([(y.label, y.start.isoformat(), y.end.isoformat()) for y in years], until.isoformat())
    parts = per_chunk("budget actuals", registry, list(registry.assets), settings, as_of, context,
                      lambda assets: summed(_asset_spending(settings, assets, until)), _freeze, _thaw)
    parts.append(summed(_payments(registry, until)))
    sums = {y.label: dict.fromkeys(ACTUAL_KINDS, ZERO) for y in years}
    for part in parts:
        for label, by_kind in part.items():
            into = sums[label]
            for kind, amount in by_kind.items():
                into[kind] = exact_add(into[kind], amount)
    return [YearActuals.of(y, y.end > as_of, sums[y.label]) for y in years]


def _freeze(part: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, str]]:
    return {label: {kind: str(amount) for kind, amount in by_kind.items()} for label, by_kind in part.items()}


def _thaw(kept: Any) -> dict[str, dict[str, Decimal]] | None:
    """What :func:`_freeze` made, back; None for anything else (summed again)."""
    try:
        part = {label: {kind: Decimal(amount) for kind, amount in by_kind.items()} for label, by_kind in kept.items()}
    except (AttributeError, TypeError, ValueError, ArithmeticError):
        return None
    if not all(type(label) is str and all(kind in ACTUAL_KINDS for kind in by_kind) for label, by_kind in part.items()):
        return None
    return part


def _asset_spending(settings: Settings, assets: Iterable[Asset], until: date) -> Iterator[tuple[str, date, Decimal]]:
    for asset in assets:
        p = asset.purchase
        if p and p.date and p.cost and purchased(asset, until):
            yield "purchase", p.date, convert(settings, asset, ("purchase", "cost"), p.cost, p.date)
        for m in asset.maintenance:
            if m.cost is not None and m.date <= until:
                yield "maintenance", m.date, convert(settings, asset, ("maintenance", m.index, "cost"), m.cost, m.date)


def _payments(registry: Registry, until: date) -> Iterator[tuple[str, date, Decimal]]:
    settings = registry.settings
    for kind, items in (("license", registry.licenses), ("contract", registry.contracts)):
        for item in items:
            for pay in payments(item, until):
                yield kind, pay.date, convert(settings, item, ("cost",), pay.amount, pay.date)
