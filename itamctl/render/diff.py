"""Renderers for the change report: text, json and markdown (a pull-request comment).

The Markdown comment starts with :data:`MARKER` (an HTML comment GitHub does
not show), so a workflow can find the comment it wrote before and edit it
instead of adding another. It is never longer than :data:`MAX_MARKDOWN`
characters (GitHub refuses comments over 65,536): past that, the per-item
table is cut and the comment says how many items are left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from itamctl.diagnostics import Diagnostic
from itamctl.diff import DiffReport, ItemChange
from itamctl.history import json_value
from itamctl.render import PLAIN, Options
from itamctl.render.numbers import amount, signed_amount
from itamctl.render.table import markdown_table, md_escape, text_table

MARKER = "<!-- itamctl-diff -->"
MAX_MARKDOWN = 60_000
#: Longest value shown in a table cell (longer ones are cut with an ellipsis).
MAX_VALUE = 80
TOTAL_LABELS = {"purchase_cost": "Purchase cost (capital)", "book_value": "Book value",
                "recurring_12m": "Recurring, next 12 months", "tco": "Total cost of ownership"}


_signed = signed_amount


def _value(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return "∅"
    return _cut(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), MAX_VALUE)


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _summary(report: DiffReport) -> str:
    added, removed, changed = (len(report.ids(k)) for k in ("added", "removed", "changed"))
    capital, recurring = report.totals["purchase_cost"].delta, report.totals["recurring_12m"].delta
    return (f"{added} added, {removed} removed, {changed} changed; capital {_signed(capital)} {report.currency}, "
            f"recurring {_signed(recurring)} {report.currency} over the next 12 months")


def _field_lines(item: ItemChange) -> list[str]:
    return [f"{f.field}: {_value(f.old)} → {_value(f.new)}" for f in item.fields]


def _finding(d: Diagnostic) -> str:
    where = f"{d.file}:{d.line}" if d.line else d.file
    return f"{d.severity.value} [{d.rule}] {where}: {d.message}"


def render_text(report: DiffReport, options: Options = PLAIN) -> str:
    head = f"Registry changes {report.base}..{report.head} (as of {report.as_of}, {report.currency})\n"
    if not report.items and not report.introduced and not report.resolved:
        return f"No registry changes between {report.base} and {report.head}.\n"
    out = [head, _summary(report), ""]
    rows = [[i.change, i.kind, i.id, i.name, _signed(i.impact["purchase_cost"].delta) if "purchase_cost" in i.impact
             else "", _signed(i.impact["recurring_12m"].delta) if "recurring_12m" in i.impact else ""]
            for i in report.items]
    if rows:
        out.append(text_table(("Change", "Kind", "Id", "Name", "Capital", "Recurring (12 mo)"), rows, right=(4, 5)))
        for item in report.items:
            lines = _field_lines(item)
            if lines:
                out.append(f"{item.id}:")
                out.extend(f"  {line}" for line in lines)
        out.append("")
    out.append(text_table(("Total", "Base", "Head", "Delta"), _total_rows(report), right=(1, 2, 3)))
    if report.budget:
        out.append(text_table(("Fiscal year", "Base", "Head", "Delta"), _budget_rows(report), right=(1, 2, 3)))
    for title, found in (("Findings introduced", report.introduced), ("Findings resolved", report.resolved)):
        if found:
            out.append(f"{title}:")
            out.extend(f"  {_finding(d)}" for d in found)
    return "\n".join(out).rstrip("\n") + "\n"


def _total_rows(report: DiffReport) -> list[list[str]]:
    return [[TOTAL_LABELS[name], amount(fig.base), amount(fig.head), _signed(fig.delta)]
            for name, fig in report.totals.items()]


def _budget_rows(report: DiffReport) -> list[list[str]]:
    return [[period, amount(fig.base), amount(fig.head), _signed(fig.delta)] for period, fig in report.budget]


def _item_rows(items: Sequence[ItemChange]) -> list[list[str]]:
    rows = []
    for item in items:
        capital = _signed(item.impact["purchase_cost"].delta) if "purchase_cost" in item.impact else ""
        recurring = _signed(item.impact["recurring_12m"].delta) if "recurring_12m" in item.impact else ""
        changes = "; ".join(_field_lines(item)) or ""
        rows.append([item.change, item.id, item.name, changes, capital, recurring])
    return rows


ITEM_HEADERS = ("Change", "Id", "Name", "Old → new", "Capital", "Recurring (12 mo)")


def render_markdown(report: DiffReport, options: Options = PLAIN, *, limit: int = MAX_MARKDOWN) -> str:
    cur = md_escape(report.currency)
    top = [MARKER, "### IT asset registry: what this change does", ""]
    if not report.items and not report.introduced and not report.resolved:
        return "\n".join([*top, "No registry items changed.", ""])
    top += [f"**{md_escape(_summary(report))}**", "",
            markdown_table(("Total (" + report.currency + ")", "Base", "Head", "Delta"), _total_rows(report),
                           right=(1, 2, 3))]
    tail: list[str] = []
    if report.budget:
        tail += [f"**Budget per fiscal year ({cur})**", "",
                 markdown_table(("Fiscal year", "Base", "Head", "Delta"), _budget_rows(report), right=(1, 2, 3))]
    for title, found in (("Findings introduced", report.introduced), ("Findings resolved", report.resolved)):
        if found:
            tail += [f"**{title}** ({len(found)})", "", *(f"- {md_escape(_cut(_finding(d), 300))}" for d in found[:50])]
            if len(found) > 50:
                tail.append(f"- … and {len(found) - 50} more")
            tail.append("")
    tail.append(f"_As of {report.as_of}; base `{md_escape(report.base)}`, head `{md_escape(report.head)}`._")
    fixed = "\n".join(top) + "\n" + "\n".join(tail) + "\n"
    items = list(report.items)
    rows = _item_rows(items)
    open_, close = f"<details><summary>{len(items)} item(s) changed</summary>\n\n", "\n</details>\n\n"
    budget = limit - len(fixed) - len(open_) - len(close) - 200
    table = markdown_table(ITEM_HEADERS, [], right=(4, 5))
    shown = 0
    for row in rows:
        line = markdown_table(ITEM_HEADERS, [row], right=(4, 5)).split("\n", 2)[2]
        if len(table) + len(line) > budget:
            break
        table += line
        shown += 1
    note = "" if shown == len(items) else (
        f"\n_{len(items) - shown} more item(s) left out to keep this comment short; "
        "run `itamctl diff` for the full list._\n")
    details = open_ + table + note + close if items else ""
    text = "\n".join(top) + "\n" + details + "\n".join(tail) + "\n"
    return text if len(text) <= limit else text[:limit]
