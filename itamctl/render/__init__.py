"""Renderers turn reports into text, JSON, GitHub commands, Markdown, CSV or iCalendar.

Every report is a value object of the core (a frozen dataclass with
``to_json()``, money as strings). :data:`RENDERERS` is the one table of who
renders which report in which format: report type -> format -> renderer,
each named ``"module:attribute"`` so that nothing is imported before a
command needs it (``--format ics`` alone pays for icalendar). A renderer is
``render(report, options) -> str``; JSON is :func:`render_json` (the report's
``to_json()``) unless the table names another. Commands never call a
renderer: they call :func:`itamctl.commands._options.emit`, which looks the
renderer up here and escapes its output for the channel
(:mod:`itamctl.render.escape`). The formats of a report, in ``--format``
order, are :func:`formats`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The generic JSON renderer: ``to_json()``, indented, UTF-8 kept.
JSON = "itamctl.render:render_json"


def _module(name: str, *formats: str, json_renderer: str = JSON, **special: str) -> dict[str, str]:
    """``{format: "itamctl.render.<name>:render_<format>"}``, JSON generic, ``special`` formats elsewhere."""
    table = {}
    for fmt in formats:
        table[fmt] = json_renderer if fmt == "json" else special.get(fmt, f"itamctl.render.{name}:render_{fmt}")
    return table


#: report type ("module:Class") -> {format: renderer ("module:function")}, formats in ``--format`` order.
RENDERERS: dict[str, dict[str, str]] = {
    "itamctl.finance.costs:CostsReport": _module("costs", "text", "json", "csv", "markdown"),
    "itamctl.finance.schedule_report:ScheduleView": _module("depreciation", "text", "json", "csv", "markdown"),
    "itamctl.budget.report:BudgetReport": _module("budget", "text", "json", "csv", "markdown"),
    "itamctl.tracking.events:ExpiriesReport": _module("expiries", "text", "json", "csv", "markdown", "ics",
                                                      ics="itamctl.render.ics:render_ics"),
    "itamctl.pipeline:Checked": _module("validation", "text", "json", "github"),
    "itamctl.pipeline:CheckReport": _module("check", "text", "json", "github", "markdown"),
    "itamctl.diff:DiffReport": _module("diff", "text", "json", "markdown"),
    "itamctl.history:HistoryReport": _module("history", "text", "json", "markdown"),
    "itamctl.inventory:ItemList": _module("inventory", "text", "json", "csv", "markdown"),
    "itamctl.inventory:ItemReport": _module("show", "text", "json"),
    "itamctl.export:ExportReport": _module("export", "csv", "json"),  # + xlsx, sqlite: binary files
    "itamctl.schema_bundle:SchemaListing": _module("schema", "text", "json"),
    "itamctl.schema_bundle:SchemaDocument": _module("schema", "json"),
    # what the write commands print: a receipt of what they wrote
    "itamctl.edit.apply:EditResult": _module("edit", "text", "json"),
    "itamctl.importers.writer:ImportReport": _module("imports", "text", "json"),
    "itamctl.scaffold:InitReport": _module("scaffold", "text", "json"),
    "itamctl.site.build:BuildResult": _module("site", "text", "json"),
}


@dataclass(frozen=True)
class Options:
    """How the caller wants a report shown (not what it holds)."""

    colour: bool = False  #: text on a terminal: severities in colour (``emit`` decides)
    lines: bool = False  #: budget text and Markdown: every line of every year (``--lines``)


PLAIN = Options()


def report_key(report_type: type | str) -> str:
    """The table's key of a report type: ``"module:Class"`` (a string is taken as the key itself)."""
    if isinstance(report_type, str):
        return report_type
    return f"{report_type.__module__}:{report_type.__qualname__}"


def formats(report_type: type | str) -> tuple[str, ...]:
    """The formats ``report_type`` can be rendered in, in ``--format`` order (the first is the default).

    A command whose core loads lazily passes the key (``"itamctl.edit.apply:EditResult"``).
    """
    return tuple(RENDERERS[report_key(report_type)])


def _load(where: str) -> Callable[..., str]:
    module, _, attribute = where.partition(":")
    return getattr(importlib.import_module(module), attribute)


def renderer(report_type: type | str, fmt: str) -> Callable[[Any, Options], str]:
    """The renderer of ``report_type`` in ``fmt``; ``KeyError`` names what is missing."""
    by_format = RENDERERS.get(report_key(report_type))
    if by_format is None:
        raise KeyError(f"no renderer for {report_key(report_type)}: add it to itamctl.render.RENDERERS")
    if fmt not in by_format:
        raise KeyError(f"{report_key(report_type)} has no {fmt!r} renderer (it has {', '.join(by_format)})")
    return _load(by_format[fmt])


def render(report: Any, fmt: str, options: Options = PLAIN) -> str:
    """``report`` in ``fmt``, unescaped (``emit`` escapes it for where it goes)."""
    return renderer(type(report), fmt)(report, options)


def render_json(report: Any, options: Options = PLAIN) -> str:
    """The JSON form of any report: its ``to_json()`` (money as strings), indented."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
