"""What a change does to the registry: items added, removed and changed, and what it costs.

Both sides are validated registries (:func:`itamctl.pipeline.valid_or_fail`):
an invalid side stops the comparison with its file:line diagnostics, so an
item with a typo is never reported as removed.

Figures, in the report currency (each side's own Settings), head minus base:

* ``purchase_cost`` — assets' purchase cost (converted at the purchase date),
  planned and ordered ones included;
* ``book_value`` and ``tco`` — the costs report (:mod:`itamctl.finance.costs`)
  as of ``as_of``;
* ``recurring_12m`` — what licenses and contracts pay in the twelve months
  starting at ``as_of`` (renewals, automatic or manual, counted as continuing);
* ``budget`` — the budget report's total per forecast fiscal year;
* ``findings`` — validation warnings and policy findings (as of ``as_of``)
  found on one side and not the other, matched by rule, file and message.

JSON::

    {"base", "head", "as_of", "currency", "added": [ids], "removed": [ids], "changed": [ids],
     "items": [{"id", "kind", "name", "change", "file",
                "fields": [{"field", "old", "new"}],
                "impact": {"purchase_cost"|"book_value"|"recurring_12m"|"tco": {"base", "head", "delta"}}}],
     "totals": {"purchase_cost"|"book_value"|"recurring_12m"|"tco": {"base", "head", "delta"}},
     "budget": [{"period", "base", "head", "delta"}],
     "findings": {"introduced": [diagnostic], "resolved": [diagnostic]}}

ids sorted; money as strings with two decimals; ``change`` is ``added``,
``removed`` or ``changed``; ``fields`` lists dotted paths (lists compare whole;
``file`` when the item moved to another file), empty for added and removed items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from itamctl.budget import budget_report
from itamctl.dates import add_months
from itamctl.diagnostics import Diagnostic
from itamctl.facts import payments_in, purchase_date, renews
from itamctl.finance.costs import Rows
from itamctl.finance.tco import AssetCosts
from itamctl.history import FieldChange, field_changes
from itamctl.model import Asset, Contract, Item, License, Registry
from itamctl.money import ZERO, MissingRate, exact_add, money_str
from itamctl.rules import run_policy
from itamctl.sharing import forget

FIGURES = ("purchase_cost", "book_value", "recurring_12m", "tco")
#: Fiscal years of budget compared.
BUDGET_YEARS = 3


@dataclass(frozen=True, slots=True)
class Figure:
    base: Decimal
    head: Decimal

    @property
    def delta(self) -> Decimal:
        return self.head - self.base

    def to_json(self) -> dict[str, str]:
        return {"base": money_str(self.base), "head": money_str(self.head), "delta": money_str(self.delta)}


@dataclass(frozen=True)
class ItemChange:
    id: str
    kind: str
    change: str  # added | removed | changed
    name: str
    file: str
    fields: tuple[FieldChange, ...]
    impact: dict[str, Figure]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "name": self.name, "change": self.change, "file": self.file,
                "fields": [f.to_json() for f in self.fields],
                "impact": {k: v.to_json() for k, v in self.impact.items()}}


@dataclass(frozen=True)
class DiffReport:
    base: str
    head: str
    as_of: date
    currency: str
    items: tuple[ItemChange, ...]
    totals: dict[str, Figure]
    budget: tuple[tuple[str, Figure], ...]
    introduced: tuple[Diagnostic, ...]
    resolved: tuple[Diagnostic, ...]

    def ids(self, change: str) -> list[str]:
        return [i.id for i in self.items if i.change == change]

    def to_json(self) -> dict[str, Any]:
        return {
            "base": self.base, "head": self.head, "as_of": self.as_of.isoformat(), "currency": self.currency,
            "added": self.ids("added"), "removed": self.ids("removed"), "changed": self.ids("changed"),
            "items": [i.to_json() for i in self.items],
            "totals": {k: v.to_json() for k, v in self.totals.items()},
            "budget": [{"period": period, **figure.to_json()} for period, figure in self.budget],
            "findings": {"introduced": [d.to_json() for d in self.introduced],
                         "resolved": [d.to_json() for d in self.resolved]},
        }


def capital(item: Item, registry: Registry) -> Decimal:
    """An asset's purchase cost in the report currency, converted at its purchase date."""
    if not isinstance(item, Asset) or item.purchase is None or item.purchase.cost is None:
        return ZERO
    on = purchase_date(item) or date.min
    try:
        return registry.settings.fx.convert(item.purchase.cost, on)
    except MissingRate:
        return ZERO  # reported by validation (fx_missing_rate)


def recurring(item: Item, registry: Registry, as_of: date) -> Decimal:
    """Payments in the twelve months from ``as_of``, renewals (automatic or manual) counted as continuing."""
    if not isinstance(item, License | Contract):
        return ZERO
    until = add_months(as_of, 12) - timedelta(days=1)
    total = ZERO
    for payment in payments_in(item, as_of, until, renewals=renews(item, include_manual=True)):
        try:
            total += registry.settings.fx.convert(payment.amount, payment.date)
        except MissingRate:
            continue  # reported by validation (fx_missing_rate)
    return total


#: An asset's figures.
ASSET_FIGURES = ("purchase_cost", "book_value", "tco")


def asset_figures(row: AssetCosts, registry: Registry) -> dict[str, Decimal]:
    """An asset's figures, of its costs row: nothing on the books when not purchased yet."""
    return {"purchase_cost": capital(row.asset, registry), "book_value": row.book_value or ZERO,
            "tco": row.tco or ZERO}


def _figures(registry: Registry, as_of: date, kept: set[str]
             ) -> tuple[dict[str, dict[str, Decimal]], dict[str, Decimal]]:
    """The figures of the items whose ids are in ``kept`` (only those that apply to their kind), and the
    sum of every item's. Per-item figures of the items that did not change are summed, not held (200,000
    small tables at 10^5 assets, for nothing). With the cache, the sums of the assets whose costs are
    their own are made a chunk of files at a time and kept in the facts pack
    (:func:`itamctl.sharing.per_chunk`): a warm diff sums the chunks its change is in."""
    from itamctl.sharing import per_chunk

    kept_figures: dict[str, dict[str, Decimal]] = {}
    rows = Rows(registry, as_of)
    own = [a for a in registry.assets if rows.own(a)]
    parts = per_chunk("diff figures", registry, own, registry.settings, as_of, ASSET_FIGURES,
                      lambda assets: _sum((asset_figures(rows.of(a), registry) for a in assets), ASSET_FIGURES),
                      _freeze_sums, _thaw_sums)
    for asset in registry.assets:
        is_own = rows.own(asset)  # an own asset's figures are in its chunk's sum already
        if is_own and asset.id not in kept:
            continue
        values = asset_figures(rows.of(asset), registry)
        if not is_own:
            parts.append(values)
        if asset.id in kept:
            kept_figures[asset.id] = values
    for item in (*registry.licenses, *registry.contracts):
        values = {"recurring_12m": recurring(item, registry, as_of)}
        parts.append(values)
        if item.id in kept:
            kept_figures[item.id] = values
    return kept_figures, _sum(parts, FIGURES)


def _sum(figures: Iterable[dict[str, Decimal]], names: tuple[str, ...]) -> dict[str, Decimal]:
    """Each of ``names`` summed over ``figures`` (a figure a dict lacks adds nothing), exactly
    (:data:`itamctl.money.exact_add`: the same by chunk or all at once)."""
    sums = dict.fromkeys(names, ZERO)
    for values in figures:  # one pass: ``figures`` may be every asset's, made one by one
        for name, amount in values.items():
            sums[name] = exact_add(sums[name], amount)
    return sums


def _freeze_sums(sums: dict[str, Decimal]) -> tuple[str, ...]:
    return tuple(str(sums[name]) for name in ASSET_FIGURES)


def _thaw_sums(kept: Any) -> dict[str, Decimal] | None:
    try:
        if type(kept) is not tuple or len(kept) != len(ASSET_FIGURES):
            return None
        return dict(zip(ASSET_FIGURES, map(Decimal, kept), strict=True))
    except (TypeError, ValueError, ArithmeticError):
        return None


def _budget(registry: Registry, as_of: date) -> dict[str, Decimal]:
    if not registry.files:
        return {}
    report = budget_report(registry, as_of, years=BUDGET_YEARS, history=0, lines=False)  # totals alone
    return {year.year.label: year.total for year in report.years}


def _finding_key(d: Diagnostic) -> tuple:
    return (d.rule, d.file, d.message)


def findings(registry: Registry, diagnostics: tuple[Diagnostic, ...], as_of: date) -> list[Diagnostic]:
    """What ``check`` would report on a valid registry: warnings from validation and policy findings."""
    if not registry.files:
        return []
    return [*diagnostics, *run_policy(registry, as_of)]


def diff_registries(base: Registry, head: Registry, as_of: date, *, base_name: str = "base",
                    head_name: str = "head", base_findings: list[Diagnostic] | None = None,
                    head_findings: list[Diagnostic] | None = None) -> DiffReport:
    """Compare two valid registries as of ``as_of``."""
    old, new = base.by_id, head.by_id
    changes: list[tuple[str, str, tuple[FieldChange, ...]]] = []
    for item_id in sorted(old.keys() | new.keys()):
        before, after = old.get(item_id), new.get(item_id)
        if before is None:
            change, fields = "added", ()
        elif after is None:
            change, fields = "removed", ()
        else:
            same = before.doc is after.doc or before.doc.data == after.doc.data
            fields = () if same else field_changes(before.doc.data, after.doc.data)
            if before.file != after.file:
                fields = (*fields, FieldChange("file", before.file, after.file))
            if not fields:
                continue
            change = "changed"
        changes.append((item_id, change, fields))
    kept = {item_id for item_id, _, _ in changes}
    (old_fig, old_totals), (new_fig, new_totals) = _figures(base, as_of, kept), _figures(head, as_of, kept)
    forget("costs")  # both sides' rows are summed: the rows they shared can go
    totals = {name: (old_totals[name], new_totals[name]) for name in FIGURES}
    items: list[ItemChange] = []
    for item_id, change, fields in changes:
        shown = new.get(item_id) or old.get(item_id)
        assert shown is not None
        a, b = old_fig.get(item_id, {}), new_fig.get(item_id, {})
        impact = {name: Figure(a.get(name, ZERO), b.get(name, ZERO)) for name in FIGURES if name in a or name in b}
        items.append(ItemChange(item_id, shown.kind, change, shown.name, shown.file, fields, impact))
    budget_old, budget_new = _budget(base, as_of), _budget(head, as_of)
    budget = tuple((period, Figure(budget_old.get(period, ZERO), budget_new.get(period, ZERO)))
                   for period in sorted(budget_old.keys() | budget_new.keys()))
    was = {_finding_key(d): d for d in (base_findings or [])}
    now = {_finding_key(d): d for d in (head_findings or [])}
    return DiffReport(
        base=base_name, head=head_name, as_of=as_of, currency=head.settings.currency, items=tuple(items),
        totals={name: Figure(*values) for name, values in totals.items()}, budget=budget,
        introduced=tuple(d for k, d in sorted(now.items()) if k not in was),
        resolved=tuple(d for k, d in sorted(was.items()) if k not in now),
    )
