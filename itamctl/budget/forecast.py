"""The forecast lines of a budget window: what keeping today's service levels will cost.

The window starts with the fiscal year containing ``as_of``: everything due
after ``as_of`` (from ``as_of`` + 1 day, the window's ``first_day``) is
forecast, everything up to ``as_of`` is an actual (:mod:`.actuals`), so the
current year is actual to date + forecast for the rest and every payment is
counted once. Kinds of line, each dated inside the fiscal year it is budgeted in:

``replacement``
    An asset that is not retired or disposed is replaced once, in the fiscal
    year containing its planned end of life (``end_of_life``, else purchase
    date + service life: see :func:`itamctl.facts.planned_end_of_life`), at
    its replacement cost (``replacement_cost``, else the category's, else the
    purchase cost), converted at the rate of the line's date. An end of life
    already past at ``as_of`` (the asset is still in service, so the
    replacement is owed) goes into the first full year, dated on its first day,
    with note ``overdue: ...``. Keeping
    the service level means replacing the replacement too: when the asset's
    service life is known, the next replacement follows one service life after
    the last (note ``cycle: ...``), as often as the window reaches.
    An asset that a ``planned`` or ``ordered`` asset ``replaces`` gets no
    replacement line (the replacing purchase is it; its maintenance stops at
    that purchase date), so a planned replacement is never counted twice.
    A ``planned`` or ``ordered`` asset whose purchase date falls in the window
    is a budget need too: it is a ``replacement`` line with note ``new: ...``
    (purchase cost, else replacement cost), so ``by_kind`` keeps its four keys;
    so is an asset recorded as bought on a date after ``as_of`` (note ``new:
    purchase``): not purchased yet (:func:`itamctl.facts.purchased`), it is no
    actual, and every purchase is counted once across actuals and forecast.
``license`` / ``contract``
    Every payment falling in the year (cost × seats when per seat), through
    renewals when ``renewal`` is ``auto`` or ``manual`` (``renewal_months``
    per term); payments in a ``manual`` renewal term carry the note
    ``needs decision: manual renewal``; ``renewal: none`` stops at ``end``.
``maintenance``
    Per asset, what its maintenance cost in the 12 months up to ``as_of``
    (``as_of - 12 months < date <= as_of``) × its service level's
    ``maintenance_factor``, once in each forecast year that starts before its
    replacement date (every year when that is unknown or beyond the window),
    dated on the year's first day.

Assets that cannot be placed (no end of life and no purchase date to derive
one, no service life, no cost) are returned as :class:`Unplaced`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from itamctl.budget.lines import NONE_KEY, Line, convert
from itamctl.dates import FiscalYear, add_months, months_between
from itamctl.facts import (
    NOT_PURCHASED,
    maintenance_factor,
    payments,
    planned_end_of_life,
    purchased,
    replacement_cost,
    service_life_months,
)
from itamctl.model import IN_SERVICE, Asset, Contract, License, Registry
from itamctl.money import ZERO, cents, exact_add
from itamctl.quickinit import quick_init
from itamctl.sharing import per_item


@quick_init
@dataclass(frozen=True, slots=True)
class Unplaced:
    id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Window:
    years: tuple[FiscalYear, ...]

    as_of: date

    @property
    def start(self) -> date:
        return self.years[0].start

    @property
    def first_day(self) -> date:
        """The first day forecast: the day after ``as_of``."""
        return self.as_of + timedelta(days=1)

    @property
    def overdue_day(self) -> date:
        """Where what is overdue at ``as_of`` is budgeted: the first day of the first full year."""
        return self.years[1].start if len(self.years) > 1 else self.first_day

    @property
    def end(self) -> date:
        return self.years[-1].end


def forecast_lines(registry: Registry, as_of: date, window: Window) -> tuple[list[Line], list[Unplaced]]:
    """Every forecast line in ``window`` and the assets that could not be placed."""
    lines, unplaced = _assets_lines(registry, registry.assets, as_of, window, _successors(registry))
    lines.extend(_payments(registry, window))
    lines = [line for line in lines if line.amount]  # a zero line is noise
    lines.sort(key=_line_order)
    return lines, unplaced


def _line_order(line: Line) -> tuple:
    return (line.date, line.kind, line.id)


def _successors(registry: Registry) -> dict[str, Asset]:
    """The planned or ordered asset that ``replaces`` each asset that has one."""
    return {a.replaces: a for a in registry.assets if a.replaces and a.status in NOT_PURCHASED}


def _assets_lines(registry: Registry, assets: Iterable[Asset], as_of: date, window: Window,
                  replaced_by: dict[str, Asset]) -> tuple[list[Line], list[Unplaced]]:
    lines: list[Line] = []
    unplaced: list[Unplaced] = []
    for asset in assets:
        if asset.retired:
            continue
        successor = replaced_by.get(asset.id)
        asset_lines, problems = per_item(("budget lines", window), asset, registry.settings, as_of,
                                         _asset_lines, registry, asset, as_of, window, successor, also=(successor,))
        lines.extend(asset_lines)
        unplaced.extend(problems)
    return lines, unplaced


def _payments(registry: Registry, window: Window) -> list[Line]:
    levels = {a.id: a.service_level for a in registry.assets}
    return [line for item in (*registry.licenses, *registry.contracts)
            for line in _payment_lines(registry, item, window, levels)]


#: Notes of the lines a text or Markdown budget shows one by one (render/budget.py); it sums the others.
SHOWN_NOTES = ("overdue", "needs decision")
#: What a year's lines are summed by: every ``--by`` grouping and the service levels.
SumKey = tuple[str, str, str, str, str]  # kind, service_level, category, cost_center, vendor


@dataclass(frozen=True)
class Summed:
    """A forecast summed (:func:`forecast_sums`): per fiscal year (label) the reported total of the lines
    of each :data:`SumKey`, the lines whose note starts with one of :data:`SHOWN_NOTES` (in
    :func:`forecast_lines`' order), and the assets that could not be placed."""

    sums: dict[str, dict[SumKey, Decimal]]
    shown: list[Line]
    unplaced: list[Unplaced]


def forecast_sums(registry: Registry, as_of: date, window: Window) -> Summed:
    """:func:`forecast_lines` summed: what a report that lists no line but the :data:`SHOWN_NOTES` needs.
    With the cache, the assets' part is summed a chunk of files at a time and kept in the facts pack
    (:mod:`itamctl.factpack`), keyed by the chunk's items, which of them the registry holds, the Settings,
    the as-of date, the window and the planned replacements (a successor's purchase date moves its
    predecessor's lines): a warm report sums the edited file's chunk alone."""
    from itamctl.sharing import per_chunk

    replaced_by = _successors(registry)
    assets: list[Asset] = list(registry.assets)
    context = ([(y.label, y.start.isoformat(), y.end.isoformat()) for y in window.years], as_of.isoformat(),
               sorted((old, s.purchase.date.isoformat() if s.purchase and s.purchase.date else None)
                      for old, s in replaced_by.items()), SHOWN_NOTES)
    parts = per_chunk("budget sums", registry, assets, registry.settings, as_of, context,
                      lambda chunk: _summed(registry, chunk, as_of, window, replaced_by), _freeze, _thaw)
    payments = [line for line in _payments(registry, window) if line.amount]
    parts.append(_sum_lines(payments, [], window))
    sums: dict[str, dict[SumKey, Decimal]] = {y.label: {} for y in window.years}
    shown: list[Line] = []
    unplaced: list[Unplaced] = []
    for part_sums, part_shown, part_unplaced in parts:
        for label, by_key in part_sums.items():
            into = sums[label]
            for key, total in by_key.items():
                into[key] = exact_add(into.get(key, ZERO), total)
        shown.extend(part_shown)
        unplaced.extend(part_unplaced)
    shown.sort(key=_line_order)
    order = {asset.id: i for i, asset in enumerate(assets)}
    unplaced.sort(key=lambda u: order.get(u.id, len(order)))  # in the registry's order, as forecast_lines
    return Summed(sums, shown, unplaced)


def _summed(registry: Registry, assets: Sequence[Asset], as_of: date, window: Window,
            replaced_by: dict[str, Asset]) -> tuple:
    lines, unplaced = _assets_lines(registry, assets, as_of, window, replaced_by)
    return _sum_lines([line for line in lines if line.amount], unplaced, window)


def _sum_lines(lines: list[Line], unplaced: list[Unplaced], window: Window) -> tuple:
    sums: dict[str, dict[SumKey, Decimal]] = {}
    shown = []
    for line in lines:
        year = next((y for y in window.years if line.date in y), None)
        if year is None:
            continue
        by_key = sums.setdefault(year.label, {})
        key = (line.kind, line.service_level, line.category, line.cost_center, line.vendor)
        by_key[key] = exact_add(by_key.get(key, ZERO), line.reported)
        if line.note.startswith(SHOWN_NOTES):
            shown.append(line)
    return sums, shown, unplaced


def _freeze(part: tuple) -> tuple:
    """A part as plain values for the facts pack (money as text, dates as ordinals)."""
    sums, shown, unplaced = part
    return ({label: {key: str(total) for key, total in by_key.items()} for label, by_key in sums.items()},
            [(ln.id, ln.name, ln.kind, ln.date.toordinal(), str(ln.amount), ln.note, ln.category,
              ln.cost_center, ln.vendor, ln.service_level) for ln in shown],
            [(u.id, u.name, u.reason) for u in unplaced])


def _thaw(kept: Any) -> tuple | None:
    """What :func:`_freeze` made, back; None for anything else (computed again)."""
    try:
        sums, shown, unplaced = kept
        return ({label: {tuple(key): Decimal(total) for key, total in by_key.items()}
                 for label, by_key in sums.items()},
                [Line(i, n, k, date.fromordinal(d), Decimal(a), note, c, cc, v, lv)
                 for i, n, k, d, a, note, c, cc, v, lv in shown],
                [Unplaced(i, n, r) for i, n, r in unplaced])
    except (TypeError, ValueError, ArithmeticError):
        return None


def _asset_facts(asset: Asset) -> dict[str, str]:
    return {
        "category": asset.category or NONE_KEY,
        "cost_center": asset.cost_center or NONE_KEY,
        "vendor": (asset.purchase.vendor if asset.purchase else None) or NONE_KEY,
        "service_level": asset.service_level or NONE_KEY,
    }


def _asset_lines(registry: Registry, asset: Asset, as_of: date, window: Window,
                 successor: Asset | None = None) -> tuple[list[Line], list[Unplaced]]:
    settings = registry.settings
    facts = _asset_facts(asset)
    lines: list[Line] = []
    unplaced: list[Unplaced] = []

    def line(kind: str, day: date, amount: Decimal, note: str) -> Line:
        return Line(asset.id, asset.name, kind, day, amount, note, **facts)

    bought = asset.purchase.date if asset.purchase else None
    if asset.status in NOT_PURCHASED or (bought is not None and not purchased(asset, as_of)):
        # planned, ordered, or recorded as bought after as_of: the purchase itself is a need
        cost = asset.purchase.cost if asset.purchase and asset.purchase.cost else replacement_cost(asset, settings)
        if bought is None:
            unplaced.append(Unplaced(asset.id, asset.name, f"{asset.status} without a purchase date"))
        elif cost is None:
            unplaced.append(Unplaced(asset.id, asset.name, f"{asset.status} without a purchase cost"))
        elif bought <= window.end:
            path = ("purchase", "cost") if asset.purchase and asset.purchase.cost else ("replacement_cost",)
            day, note = bought, f"new: {asset.status} purchase" if asset.status in NOT_PURCHASED else "new: purchase"
            if bought < window.first_day:  # still planned or ordered: the purchase is overdue
                day, note = window.overdue_day, f"new: {asset.status} purchase, overdue since {bought.isoformat()}"
            amount = convert(settings, asset, path, cost, day)
            lines.append(line("replacement", day, amount, note))

    if successor is not None:  # a planned or ordered asset `replaces` it: that purchase is the replacement
        stop = successor.purchase.date if successor.purchase else None
        return lines + _maintenance_lines(registry, asset, as_of, window, stop, line), unplaced

    end = planned_end_of_life(asset, settings)
    replaced_on = end  # the day maintenance stops (None: not within sight)
    cost = replacement_cost(asset, settings)
    cost_path = ("replacement_cost",) if asset.replacement_cost else ("purchase", "cost")
    cycle_from: date | None = None  # the last replacement, from which the next cycle counts
    if end is None:
        reason = "no end_of_life and no purchase date" if bought is None else (
            f"no service life for category {asset.category!r} (set end_of_life or life_months)")
        if bought is not None or asset.status in IN_SERVICE:
            unplaced.append(Unplaced(asset.id, asset.name, reason))
    elif end <= window.end:
        day, note = end, ""
        if end < as_of:
            day, note = window.overdue_day, f"overdue: end of life {end.isoformat()}"
            replaced_on = day
        elif end < window.first_day:  # due today
            day = replaced_on = window.first_day
        if cost is None:
            unplaced.append(Unplaced(asset.id, asset.name, "no replacement_cost and no purchase cost"))
        else:
            lines.append(line("replacement", day, convert(settings, asset, cost_path, cost, day), note))
            cycle_from = day
    life = service_life_months(asset, settings)
    if cycle_from is not None and cost is not None and life:
        day = add_months(cycle_from, life)
        while day <= window.end:
            if day >= window.first_day:
                note = f"cycle: replaces the replacement of {cycle_from.isoformat()} after {life} months"
                lines.append(line("replacement", day, convert(settings, asset, cost_path, cost, day), note))
            cycle_from, day = day, add_months(day, life)

    return lines + _maintenance_lines(registry, asset, as_of, window, replaced_on, line), unplaced


def _maintenance_lines(registry: Registry, asset: Asset, as_of: date, window: Window,
                       replaced_on: date | None, line) -> list[Line]:
    settings = registry.settings
    lines: list[Line] = []
    spent = _maintenance_last_12_months(registry, asset, as_of)
    if spent:
        factor = maintenance_factor(asset, settings)
        level = asset.service_level or NONE_KEY
        note = f"12-month spend {cents(spent)} × {factor} ({level})"
        for year in window.years:
            if replaced_on is not None and year.start >= replaced_on:
                continue
            if year.start < window.first_day:  # the current year: the months still to come
                left = months_between(as_of, year.end)
                if left > 0:
                    lines.append(line("maintenance", window.first_day, spent * factor * left / 12,
                                      f"{note}, {left} of 12 months"))
            else:
                lines.append(line("maintenance", year.start, spent * factor, note))
    return lines


def _maintenance_last_12_months(registry: Registry, asset: Asset, as_of: date) -> Decimal:
    since = add_months(as_of, -12)
    total = ZERO
    for m in asset.maintenance:
        if m.cost is not None and since < m.date <= as_of:
            total += convert(registry.settings, asset, ("maintenance", m.index, "cost"), m.cost, m.date)
    return total


def _payment_lines(registry: Registry, item: License | Contract, window: Window,
                   levels: dict[str, str | None]) -> Iterator[Line]:
    kind = "license" if isinstance(item, License) else "contract"
    follow = item.renewal in ("auto", "manual")
    facts = {
        "category": kind,
        "cost_center": NONE_KEY,
        "vendor": item.vendor or NONE_KEY,
        "service_level": _covered_level(item, levels),
    }
    for p in payments(item, window.end, renewals=follow):
        if p.date < window.first_day or not p.amount.amount:
            continue
        note = ""
        if p.renewal:
            note = "needs decision: manual renewal" if item.renewal == "manual" else "auto renewal"
        amount = convert(registry.settings, item, ("cost",), p.amount, p.date)
        yield Line(item.id, item.name, kind, p.date, amount, note, **facts)


def _covered_level(item: License | Contract, levels: dict[str, str | None]) -> str:
    """A contract covering assets that all share one service level counts towards that level."""
    covered = {levels.get(a) or NONE_KEY for a in getattr(item, "covers", ()) if a in levels}
    return covered.pop() if len(covered) == 1 else NONE_KEY
