"""The text renderer of ``itamctl show ID`` (an :class:`~itamctl.inventory.ItemReport`).

JSON is the report's ``to_json()``: fields, computed figures (money as strings) and open findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itamctl.diagnostics import Diagnostic, location
from itamctl.inventory import ItemReport
from itamctl.render import PLAIN, Options
from itamctl.render.escape import terminal
from itamctl.render.inventory import where
from itamctl.render.numbers import amount


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [row for k, v in data.items() for row in _flatten(v, f"{prefix}{k}.")]
    if isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        return [row for i, v in enumerate(data) for row in _flatten(v, f"{prefix}{i}.")]
    text = ", ".join(str(v) for v in data) if isinstance(data, list) else str(data)
    return [(prefix.rstrip("."), text.replace("\n", " "))]


def render_text(report: ItemReport, options: Options = PLAIN) -> str:
    item, figures, currency = report.item, report.figures, report.currency
    lines = [f"{item.kind} {item.id}: {terminal(item.name)}", f"  in {terminal(where(item))}", ""]
    fields = [(terminal(k), terminal(v)) for k, v in _flatten(item.doc.data)]
    width = max((len(k) for k, _ in fields), default=0)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in fields]
    computed = []
    if figures.purchased is False:
        computed.append("  book value  not purchased yet")
    elif figures.book_value is not None:
        computed.append(f"  book value  {amount(figures.book_value)} {currency}")
    if figures.tco is not None:
        computed.append(f"  TCO         {amount(figures.tco)} {currency}")
    if figures.next_expiry is not None:
        computed.append(f"  next        {figures.next_expiry_kind} {figures.next_expiry.isoformat()}")
    if computed:
        lines += ["", f"Computed as of {report.as_of.isoformat()}:", *computed]
    lines += ["", _findings(figures.findings)]
    return "\n".join(lines) + "\n"


def _findings(found: Sequence[Diagnostic]) -> str:
    if not found:
        return "No open findings."
    return "\n".join([f"Open findings ({len(found)}):",
                      *(f"  {location(d)}: {d.severity.value} [{d.rule}] {d.message}" for d in found)])
