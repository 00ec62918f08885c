"""Renderers for ``itamctl list`` (an :class:`~itamctl.inventory.ItemList`): text, csv and markdown.

JSON is the report's ``to_json()``: every item with its file, line and fields.
"""

from __future__ import annotations

from itamctl.inventory import ItemList
from itamctl.model import Item
from itamctl.render import PLAIN, Options
from itamctl.render.table import csv_text, markdown_table, text_table

HEADERS = ("ID", "Kind", "Name", "Status", "Owner", "File")


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


def _rows(report: ItemList) -> list[list[str]]:
    return [[i.id, i.kind, i.name, _status(i), _holder(i), where(i)] for i in report.items]


def render_text(report: ItemList, options: Options = PLAIN) -> str:
    return text_table(HEADERS, _rows(report)) + f"{len(report.items)} item(s)\n"


def render_csv(report: ItemList, options: Options = PLAIN) -> str:
    return csv_text([h.lower() for h in HEADERS], _rows(report))


def render_markdown(report: ItemList, options: Options = PLAIN) -> str:
    return markdown_table(HEADERS, _rows(report)) + f"\n{len(report.items)} item(s)\n"
