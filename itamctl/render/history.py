"""Renderers for an item's history: text, json and markdown.

JSON: ``{"id", "entries": [{"commit", "date", "author", "message", "change", "file",
"changes": [{"field", "old", "new"}]}]}``, newest first; ``change`` is ``added``,
``removed``, ``modified``, ``moved`` (another file), ``renamed`` (id changed in place) or ``unreadable``
(its file does not parse at that commit; the next readable version is compared with the last one).
"""

from __future__ import annotations

import json
from typing import Any

from itamctl.history import Entry, HistoryReport, json_value
from itamctl.render import PLAIN, Options
from itamctl.render.table import md_escape


def _value(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _changes(entry: Entry) -> list[str]:
    if entry.change in ("added", "removed"):
        return [f"{entry.change} ({entry.file})"]
    if entry.change == "unreadable":
        return [f"{entry.file} does not parse at this commit"]
    return [f"{c.field}: {_value(c.old)} → {_value(c.new)}" for c in entry.changes]


def render_text(report: HistoryReport, options: Options = PLAIN) -> str:
    out = [f"History of {report.id}: {len(report.entries)} commit(s), newest first", ""]
    for e in report.entries:
        out.append(f"{e.commit[:10]}  {e.date[:10]}  {e.author}  {e.message}")
        out.extend(f"    {line}" for line in _changes(e))
    return "\n".join(out) + "\n"


def render_markdown(report: HistoryReport, options: Options = PLAIN) -> str:
    out = [f"### History of {md_escape(report.id)}", ""]
    for e in report.entries:
        out.append(f"- `{e.commit[:10]}` {md_escape(e.date[:10])} {md_escape(e.author)}: {md_escape(e.message)}")
        out.extend(f"  - {md_escape(line)}" for line in _changes(e))
    return "\n".join(out) + "\n"
