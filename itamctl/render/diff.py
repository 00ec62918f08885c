"""Renderers for the change report: text, json and markdown (a pull-request comment)."""

from __future__ import annotations

import json

from itamctl.diff import DiffReport
from itamctl.money import money_str
from itamctl.render.table import markdown_table, md_escape, text_table

FORMATS = ("text", "json", "markdown")
HEADERS = ("Change", "Kind", "Id", "Name", "Fields", "Capital", "Recurring (12 mo)")


def _signed(amount) -> str:
    text = money_str(amount)
    return text if text.startswith("-") or text == "0.00" else f"+{text}"


def _rows(report: DiffReport) -> list[list[str]]:
    return [
        [c.change, c.kind, c.id, c.name, ", ".join(c.fields) if c.fields else "",
         _signed(c.capital), _signed(c.recurring)]
        for c in report.changes
    ]


def render_text(report: DiffReport) -> str:
    if not report.changes:
        return f"No registry changes between {report.base} and {report.head}.\n"
    table = text_table(HEADERS, _rows(report), right=(5, 6))
    return (f"Registry changes {report.base}..{report.head} (as of {report.as_of}, {report.currency})\n\n"
            f"{table}\nCapital: {_signed(report.capital)} {report.currency}; "
            f"recurring over the next 12 months: {_signed(report.recurring)} {report.currency}\n")


def render_markdown(report: DiffReport) -> str:
    lines = ["<!-- itamctl-diff -->", "### IT asset registry: cost impact of this change", ""]
    if not report.changes:
        lines.append("No registry items changed.")
        return "\n".join(lines) + "\n"
    cur = md_escape(report.currency)
    lines += [
        f"**Capital:** {_signed(report.capital)} {cur} · "
        f"**Recurring (next 12 months):** {_signed(report.recurring)} {cur}",
        "",
        markdown_table(HEADERS, _rows(report), right=(5, 6)),
        f"_As of {report.as_of}; base `{md_escape(report.base)}`, head `{md_escape(report.head)}`._",
    ]
    return "\n".join(lines) + "\n"


def render(fmt: str, report: DiffReport) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)
