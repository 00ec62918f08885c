"""Output of ``list``, ``show`` and the change commands (text and JSON; money as strings)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from itamctl.diagnostics import Diagnostic
from itamctl.inventory import Figures, Inventory
from itamctl.model import Item
from itamctl.money import money_str
from itamctl.render.diagnostics import location
from itamctl.render.escape import terminal
from itamctl.render.table import text_table

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.edit.apply import EditResult


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def where(item: Item) -> str:
    return f"{item.file}:{item.doc.start.line}"


def _status(item: Item) -> str:
    data = item.doc.data
    if item.kind == "Asset":
        return data.get("status", "")
    if item.kind == "Person":
        return "active" if data.get("active", True) else "inactive"
    return str(data.get("type", ""))


def _holder(item: Item) -> str:
    data = item.doc.data
    if item.kind == "License":
        held = data.get("assigned_to") or []
        return f"{len(held)}/{data.get('seats', '∞')} seats"
    return str(data.get("owner") or data.get("email") or "")


def list_text(items: Sequence[Item]) -> str:
    rows = [[i.id, i.kind, i.name, _status(i), _holder(i), where(i)] for i in items]
    return text_table(["ID", "Kind", "Name", "Status", "Owner", "File"], rows) + f"{len(items)} item(s)\n"


def list_json(items: Sequence[Item]) -> str:
    data = [{"id": i.id, "kind": i.kind, "name": i.name, "file": i.file, "line": i.doc.start.line,
             "fields": jsonable(i.doc.data)} for i in items]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def figures_json(figures: Figures) -> dict[str, Any]:
    return {"book_value": _money(figures.book_value), "tco": _money(figures.tco),
            "next_expiry": figures.next_expiry.isoformat() if figures.next_expiry else None,
            "next_expiry_kind": figures.next_expiry_kind,
            "open_findings": len(figures.findings)}


def show_json(item: Item, inventory: Inventory) -> str:
    figures = inventory.figures(item)
    data = {"id": item.id, "kind": item.kind, "file": item.file, "line": item.doc.start.line,
            "as_of": inventory.as_of.isoformat(), "fields": jsonable(item.doc.data),
            "computed": figures_json(figures), "findings": [d.to_json() for d in figures.findings]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [row for k, v in data.items() for row in _flatten(v, f"{prefix}{k}.")]
    if isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        return [row for i, v in enumerate(data) for row in _flatten(v, f"{prefix}{i}.")]
    text = ", ".join(str(v) for v in data) if isinstance(data, list) else str(data)
    return [(prefix.rstrip("."), text.replace("\n", " "))]


def show_text(item: Item, inventory: Inventory) -> str:
    figures = inventory.figures(item)
    currency = inventory.registry.settings.currency
    lines = [f"{item.kind} {item.id}: {terminal(item.name)}", f"  in {terminal(where(item))}", ""]
    fields = [(terminal(k), terminal(v)) for k, v in _flatten(item.doc.data)]
    width = max((len(k) for k, _ in fields), default=0)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in fields]
    computed = []
    if figures.book_value is not None:
        computed.append(f"  book value  {money_str(figures.book_value)} {currency}")
    if figures.tco is not None:
        computed.append(f"  TCO         {money_str(figures.tco)} {currency}")
    if figures.next_expiry is not None:
        computed.append(f"  next        {figures.next_expiry_kind} {figures.next_expiry.isoformat()}")
    if computed:
        lines += ["", f"Computed as of {inventory.as_of.isoformat()}:", *computed]
    lines += ["", _findings(figures.findings)]
    return "\n".join(lines) + "\n"


def _findings(found: Sequence[Diagnostic]) -> str:
    if not found:
        return "No open findings."
    return "\n".join([f"Open findings ({len(found)}):",
                      *(f"  {location(d)}: {d.severity.value} [{d.rule}] {d.message}" for d in found)])


def edit_text(result: EditResult) -> str:
    if result.refused:
        head = f"refused: {terminal(result.summary)} would make the registry invalid; nothing written"
        return "\n".join([head, *(f"  {terminal(location(d))}: [{d.rule}] {terminal(d.message)}"
                                  for d in result.diagnostics)]) + "\n"
    verb = "would write" if result.dry_run else ("created" if result.created else "updated")
    return f"{verb} {terminal(result.file)}: {terminal(result.summary)}\n"  # a value may hold a line break


def edit_json(result: EditResult) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
