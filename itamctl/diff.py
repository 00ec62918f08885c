"""What a change does to the registry: items added, removed and modified, and the cost impact.

Cost impact per item is measured two ways, both in the report currency:

* ``capital`` — an asset's purchase cost (converted at its purchase date);
* ``recurring`` — what a license or contract will pay in the twelve months
  starting at ``as_of`` (renewals, automatic or manual, counted as continuing).

The impact of a change is head minus base for each, so a pull request that
adds seats to a license shows a positive recurring figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from itamctl.dates import add_months
from itamctl.model import Asset, Contract, Item, License, Registry
from itamctl.money import ZERO, MissingRate, money_str
from itamctl.payments import payments


@dataclass(frozen=True, slots=True)
class ItemChange:
    id: str
    kind: str
    change: str  # added | removed | modified
    name: str
    file: str
    fields: tuple[str, ...]
    capital: Decimal
    recurring: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "change": self.change, "name": self.name,
            "file": self.file, "fields": list(self.fields),
            "capital": money_str(self.capital), "recurring": money_str(self.recurring),
        }


@dataclass(frozen=True)
class DiffReport:
    base: str
    head: str
    as_of: date
    currency: str
    changes: tuple[ItemChange, ...]

    @property
    def capital(self) -> Decimal:
        return sum((c.capital for c in self.changes), ZERO)

    @property
    def recurring(self) -> Decimal:
        return sum((c.recurring for c in self.changes), ZERO)

    def to_json(self) -> dict[str, Any]:
        counts = {kind: sum(1 for c in self.changes if c.change == kind)
                  for kind in ("added", "removed", "modified")}
        return {
            "base": self.base, "head": self.head, "as_of": self.as_of.isoformat(),
            "currency": self.currency, "counts": counts,
            "totals": {"capital": money_str(self.capital), "recurring": money_str(self.recurring)},
            "changes": [c.to_json() for c in self.changes],
        }


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, child in value.items():
            out.update(_flatten(child, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """Dotted paths whose values differ (lists compare whole)."""
    a, b = _flatten(old), _flatten(new)
    return tuple(sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))


def capital(item: Item, registry: Registry) -> Decimal:
    if not isinstance(item, Asset) or item.purchase is None or item.purchase.cost is None:
        return ZERO
    on = item.purchase.date or date.min
    try:
        return registry.settings.fx.convert(item.purchase.cost, on)
    except MissingRate:
        return ZERO  # reported by validation (fx_missing_rate)


def recurring(item: Item, registry: Registry, as_of: date) -> Decimal:
    """Payments in the twelve months from ``as_of``, renewals counted as continuing."""
    if not isinstance(item, License | Contract):
        return ZERO
    until = add_months(as_of, 12) - timedelta(days=1)
    total = ZERO
    for payment in payments(item, until, renewals=item.renewal in ("auto", "manual")):
        if payment.date >= as_of:
            try:
                total += registry.settings.fx.convert(payment.amount, payment.date)
            except MissingRate:
                continue
    return total


def _file(item: Item, registry: Registry, shown_root: str | None) -> str:
    """The item's file as it is named in the working tree, whichever copy it came from."""
    if shown_root is None:
        return item.file
    try:
        rel = Path(item.file).resolve().relative_to(registry.root.resolve())
    except ValueError:
        return item.file
    return (PurePosixPath(shown_root) / rel.as_posix()).as_posix()


def diff_registries(base: Registry, head: Registry, as_of: date, *, base_name: str = "base",
                    head_name: str = "head", shown_root: str | None = None) -> DiffReport:
    """Compare two registries; ``shown_root`` names files as under the working tree's registry."""
    changes: list[ItemChange] = []
    old, new = base.by_id, head.by_id
    for item_id in sorted(old.keys() | new.keys()):
        before, after = old.get(item_id), new.get(item_id)
        cap_before = capital(before, base) if before else ZERO
        cap_after = capital(after, head) if after else ZERO
        rec_before = recurring(before, base, as_of) if before else ZERO
        rec_after = recurring(after, head, as_of) if after else ZERO
        if before is None:
            kind, fields = "added", ()
        elif after is None:
            kind, fields = "removed", ()
        else:
            fields = changed_fields(before.doc.data, after.doc.data)
            if not fields:
                continue
            kind = "modified"
        shown, owner = (after, head) if after else (before, base)
        changes.append(ItemChange(
            id=item_id, kind=shown.kind, change=kind, name=shown.name, file=_file(shown, owner, shown_root),
            fields=fields, capital=cap_after - cap_before, recurring=rec_after - rec_before,
        ))
    return DiffReport(base_name, head_name, as_of, head.settings.currency, tuple(changes))
