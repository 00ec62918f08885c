"""Renderers for the budget report: text, json, csv and markdown.

Text and Markdown show the actuals and forecast side by side (per kind), the
``--by`` groups and the service levels per forecast year, then what needs a
decision, overdue replacements and unplaced assets; ``lines=True`` adds every
line. CSV is one row per forecast line plus one row per actual year and kind
(``basis`` tells them apart), for a spreadsheet to pivot.
"""

from __future__ import annotations

from collections.abc import Sequence

from itamctl.budget.actuals import ACTUAL_KINDS
from itamctl.budget.report import FORECAST_KINDS, BudgetReport
from itamctl.money import ZERO, money_str
from itamctl.render import PLAIN, Options
from itamctl.render.numbers import amount
from itamctl.render.table import csv_text, markdown_table, md_escape, text_table


def render_text(report: BudgetReport, options: Options = PLAIN) -> str:
    return _render_tables(report, markdown=False, lines=options.lines)


def render_markdown(report: BudgetReport, options: Options = PLAIN) -> str:
    return _render_tables(report, markdown=True, lines=options.lines)


_fmt = amount


def _fy(label: str) -> str:
    return f"FY{label}"


def _summary(report: BudgetReport) -> tuple[list[str], list[list[str]]]:
    """Actuals then forecast, one row per fiscal year; actual purchases sit in the replacement column."""
    headers = ["Year", "Basis", "From", "To", "Hardware", "Licenses", "Contracts", "Maintenance", "Total"]
    rows = []
    for a in report.actuals:
        basis = f"actual to {report.as_of.isoformat()}" if a.partial else "actual"
        to = min(a.year.end, report.as_of)
        rows.append([_fy(a.year.label), basis, a.year.start.isoformat(), to.isoformat(),
                     *(_fmt(a.by_kind[k]) for k in ACTUAL_KINDS), _fmt(a.total)])
    for y in (report.current, *report.years):
        by_kind = y.by_kind
        basis = "forecast, rest of year" if y.partial else "forecast"
        rows.append([_fy(y.year.label), basis, y.first_day.isoformat(), y.year.end.isoformat(),
                     *(_fmt(by_kind[k]) for k in FORECAST_KINDS), _fmt(y.total)])
    return headers, rows


def _per_year(report: BudgetReport, title: str, values: Sequence[dict]) -> tuple[list[str], list[list[str]]]:
    keys: list[str] = []
    for v in values:
        keys.extend(k for k in v if k not in keys)
    headers = [title, *(_fy(y.year.label) for y in report.years)]
    rows = [[key, *(_fmt(v.get(key, ZERO)) for v in values)] for key in keys]
    return headers, rows


def _groups(report: BudgetReport) -> tuple[list[str], list[list[str]]]:
    values = [dict(y.groups) for y in report.years]
    headers, rows = _per_year(report, report.by.replace("_", " ").capitalize(), values)
    return headers, rows


def _levels(report: BudgetReport) -> tuple[list[str], list[list[str]]]:
    headers, rows = _per_year(report, "Service level", [y.by_service_level for y in report.years])
    for row in rows:
        factor = report.service_levels.get(row[0])
        row[0] = f"{row[0]} (×{factor})" if factor is not None else row[0]
    return headers, rows


def _flagged(report: BudgetReport, prefix: str) -> list[list[str]]:
    rows = []
    for y in report.years:
        for ln in y.lines:
            if ln.note.startswith(prefix):
                rows.append([_fy(y.year.label), ln.date.isoformat(), ln.kind, ln.id, ln.name,
                             _fmt(ln.amount), ln.note])
    return rows


def _decisions(report: BudgetReport) -> tuple[list[str], list[list[str]]]:
    """One row per item renewing manually: when the first undecided payment falls, and the sum per year."""
    items: dict[str, list] = {}
    for i, y in enumerate(report.years):
        for ln in y.lines:
            if ln.note.startswith("needs decision"):
                row = items.setdefault(ln.id, [ln.kind, ln.id, ln.name, ln.date, [ZERO] * len(report.years)])
                row[4][i] += ln.reported
    headers = ["Kind", "Id", "Name", "From", *(_fy(y.year.label) for y in report.years)]
    rows = [[kind, id_, name, day.isoformat(), *(_fmt(v) for v in sums)]
            for kind, id_, name, day, sums in sorted(items.values(), key=lambda r: (r[3], r[1]))]
    return headers, rows


_FLAG_HEADERS = ["Year", "Date", "Kind", "Id", "Name", "Amount", "Note"]


def _render_tables(report: BudgetReport, *, markdown: bool, lines: bool) -> str:
    right_summary = (4, 5, 6, 7, 8)

    def table(headers, rows, right=()):
        if markdown:
            return markdown_table(headers, rows, right=right)
        return text_table(headers, rows, right=right)

    def heading(text: str, level: int = 2) -> str:
        return f"{'#' * level} {md_escape(text)}\n\n" if markdown else f"{text}\n\n"

    org = f"{report.organization}: " if report.organization else ""
    month, day = report.fiscal_year_start
    out = [heading(f"{org}budget as of {report.as_of.isoformat()}", 1)]
    out.append(f"Amounts in {report.currency}; fiscal years start on {month:02d}-{day:02d}. "
               f"Forecast total over {len(report.years)} year(s): {_fmt(report.total)}.\n\n")
    out += [heading("Actuals and forecast"), table(*_summary(report), right=right_summary),
            "\n", _note_hardware(markdown)]
    if report.by != "kind":
        headers, rows = _groups(report)
        out += [heading(f"Forecast by {report.by.replace('_', ' ')}"),
                table(headers, rows, right=range(1, len(headers))), "\n"]
    headers, rows = _levels(report)
    out += [heading("Forecast by service level"), table(headers, rows, right=range(1, len(headers))), "\n"]
    headers, rows = _decisions(report)
    if rows:
        out += [heading("Needs decision: manual renewals forecast as continuing"),
                table(headers, rows, right=range(4, len(headers))), "\n"]
    rows = _flagged(report, "overdue")
    if rows:
        out += [heading("Overdue replacements"), table(_FLAG_HEADERS, rows, right=(5,)), "\n"]
    if report.unplaced:
        out += [heading("Not in the forecast (cannot be placed)"),
                table(["Id", "Name", "Reason"], [[u.id, u.name, u.reason] for u in report.unplaced]), "\n"]
    if lines:
        for y in report.years:
            rows = [[ln.date.isoformat(), ln.kind, ln.id, ln.name, _fmt(ln.amount), ln.note] for ln in y.lines]
            out += [heading(f"{_fy(y.year.label)} lines ({y.year.start} to {y.year.end})"),
                    table(["Date", "Kind", "Id", "Name", "Amount", "Note"], rows, right=(4,)), "\n"]
    return "".join(out).rstrip("\n") + "\n"


def _note_hardware(markdown: bool) -> str:
    text = ("Hardware: purchases for actual years; replacements and planned purchases for forecast years.")
    return (f"_{md_escape(text)}_\n\n" if markdown else f"{text}\n\n")


CSV_HEADERS = ["fiscal_year", "year_start", "year_end", "basis", "kind", "date", "id", "name",
               "group", "service_level", "amount", "currency", "note"]


def render_csv(report: BudgetReport, options: Options = PLAIN) -> str:
    rows = []
    for a in report.actuals:
        for kind in ACTUAL_KINDS:
            rows.append([a.year.label, a.year.start, a.year.end, "actual_partial" if a.partial else "actual",
                         kind, "", "", "", "", "", money_str(a.by_kind[kind]), report.currency, ""])
    for y in (report.current, *report.years):
        for ln in y.lines:
            basis = "forecast_partial" if y.partial else "forecast"
            rows.append([y.year.label, y.year.start, y.year.end, basis, ln.kind, ln.date, ln.id, ln.name,
                         ln.key(report.by), ln.service_level, money_str(ln.amount), report.currency, ln.note])
    return csv_text(CSV_HEADERS, rows)
