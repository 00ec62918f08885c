"""The inventory as ``list``, ``show`` and ``export`` see it: items, their computed figures and open findings.

Nothing is computed here: book value and TCO come from :mod:`itamctl.finance.tco`,
expiries from :mod:`itamctl.tracking.events`, findings from validation and the
policy rules; this module only gathers them per item.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from itamctl.diagnostics import Diagnostic
from itamctl.errors import FatalError, UsageError
from itamctl.model import Item, Registry
from itamctl.money import money_str
from itamctl.pipeline import Checked

#: CLI kind names (singular and plural) -> model kind.
KIND_NAMES = {
    "asset": "Asset", "assets": "Asset", "license": "License", "licenses": "License",
    "contract": "Contract", "contracts": "Contract", "person": "Person", "people": "Person",
    "location": "Location", "locations": "Location", "vendor": "Vendor", "vendors": "Vendor",
}


@dataclass(frozen=True)
class Figures:
    book_value: Decimal | None = None
    tco: Decimal | None = None
    next_expiry: date | None = None
    next_expiry_kind: str | None = None
    findings: tuple[Diagnostic, ...] = ()
    #: Assets only: False while planned, ordered or bought after as_of (figures are None then, never 0.00).
    purchased: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {"purchased": self.purchased, "book_value": _money(self.book_value), "tco": _money(self.tco),
                "next_expiry": self.next_expiry.isoformat() if self.next_expiry else None,
                "next_expiry_kind": self.next_expiry_kind,
                "open_findings": len(self.findings)}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def jsonable(value: Any) -> Any:
    """A document's data for JSON: Decimals as their exact text, keys as strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


@dataclass(frozen=True)
class ItemList:
    """The report of ``itamctl list``: the selected items, in registry order."""

    items: tuple[Item, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [{"id": i.id, "kind": i.kind, "name": i.name, "file": i.file, "line": i.doc.start.line,
                 "fields": jsonable(i.doc.data)} for i in self.items]


@dataclass(frozen=True)
class ItemReport:
    """The report of ``itamctl show ID``: one item, its computed figures and open findings as of a date."""

    item: Item
    as_of: date
    currency: str
    figures: Figures

    def to_json(self) -> dict[str, Any]:
        item = self.item
        return {"id": item.id, "kind": item.kind, "file": item.file, "line": item.doc.start.line,
                "as_of": self.as_of.isoformat(), "fields": jsonable(item.doc.data),
                "computed": self.figures.to_json(), "findings": [d.to_json() for d in self.figures.findings]}


def field_value(data: Any, path: str) -> Any:
    """The value at a dotted path of a document (``purchase.vendor``), or ``None``."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, list):
        return any(_matches(v, wanted) for v in value)
    if isinstance(value, bool):
        return wanted.lower() == str(value).lower()
    return value is not None and str(value) == wanted


def select_items(registry: Registry, kind: str | None = None, *, where: Sequence[str] = (),
                 owner: str | None = None, status: str | None = None) -> list[Item]:
    """Items of ``kind`` (all when None) whose fields match every ``field=value`` of ``where``."""
    wanted_kind = None
    if kind is not None:
        wanted_kind = KIND_NAMES.get(kind.lower())
        if wanted_kind is None:
            raise UsageError(f"unknown kind {kind!r} (one of: {', '.join(sorted(set(KIND_NAMES) - {'people'}))})")
    conditions = []
    for pair in where:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--where takes FIELD=VALUE, got {pair!r}")
        conditions.append((name.strip(), value))
    result = []
    for item in registry.items():
        if wanted_kind and item.kind != wanted_kind:
            continue
        data = item.doc.data
        if status is not None and data.get("status") != status:
            continue
        if owner is not None and not (_matches(data.get("owner"), owner) or _matches(data.get("assigned_to"), owner)):
            continue
        if all(_matches(field_value(data, name), value) for name, value in conditions):
            result.append(item)
    return result


class Inventory:
    """Computed figures and open findings of every item, as of a date."""

    def __init__(self, checked: Checked, as_of: date) -> None:
        from itamctl.finance.tco import CostLinks
        from itamctl.rules import run_policy
        from itamctl.tracking.events import registry_events

        self.registry = checked.registry
        self.as_of = as_of
        self._links = CostLinks.of(self.registry)
        self._events = defaultdict(list)
        for event in registry_events(self.registry, as_of):
            self._events[event.id].append(event)
        self._findings: dict[tuple[str, int], list[Diagnostic]] = defaultdict(list)
        starts: dict[str, list[int]] = defaultdict(list)
        for doc in self.registry.documents:
            starts[doc.file].append(doc.start.line)
        for lines in starts.values():
            lines.sort()
        findings: Iterable[Diagnostic] = [*checked.diagnostics, *run_policy(self.registry, as_of)]
        for d in findings:
            lines = starts.get(d.file)
            if not lines:
                continue
            if d.line is None:
                if len(lines) == 1:
                    self._findings[(d.file, lines[0])].append(d)
                continue
            at = bisect.bisect_right(lines, d.line) - 1
            self._findings[(d.file, lines[max(at, 0)])].append(d)

    def report(self, item: Item) -> ItemReport:
        """``itamctl show``'s report of ``item``."""
        return ItemReport(item, self.as_of, self.registry.settings.currency, self.figures(item))

    def findings(self, item: Item) -> tuple[Diagnostic, ...]:
        return tuple(self._findings.get((item.file, item.doc.start.line), ()))

    def figures(self, item: Item) -> Figures:
        from itamctl.finance.tco import asset_costs

        book = tco = purchased = None
        if item.kind == "Asset":
            try:
                costs = asset_costs(item, self.registry, self.as_of, links=self._links)  # type: ignore[arg-type]
                book, tco, purchased = costs.book_value, costs.tco, costs.purchased
            except FatalError:  # a missing exchange rate: validation reports it, the figures stay empty
                pass
        upcoming = sorted((e for e in self._events.get(item.id, ()) if e.days_left >= 0), key=lambda e: e.date)
        nxt = upcoming[0] if upcoming else None
        return Figures(book, tco, nxt.date if nxt else None, nxt.event if nxt else None, self.findings(item),
                       purchased)
