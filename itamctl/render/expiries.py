"""Renderers for ``itamctl expiries``: text, json, csv and markdown (ICS is in :mod:`itamctl.render.ics`)."""

from __future__ import annotations

from collections.abc import Sequence

from itamctl.render import PLAIN, Options
from itamctl.render.table import csv_text, markdown_table, text_table
from itamctl.tracking.events import Event, ExpiriesReport, Tally

HEADERS = ("date", "days_left", "status", "stage", "kind", "id", "event", "name", "file", "line",
           "waiver_rule", "waiver_until", "waiver_reason")
_TITLES = ("Date", "Days", "Status", "Kind", "Id", "Event", "Name", "Where", "Waiver")


def status_text(event: Event) -> str:
    text = f"due ({event.stage}d)" if event.status == "due" else event.status
    return f"{text}, waived" if event.waiver is not None else text


def _waiver(event: Event) -> str:
    w = event.waiver
    return "" if w is None else f"{w.rule} until {w.until.isoformat()}: {w.reason}"


def _where(event: Event) -> str:
    line = event.line
    return f"{event.file}:{line}" if line else event.file


def row_cells(event: Event) -> tuple[str, ...]:
    """An event's row of the text and Markdown tables (:func:`itamctl.tracking.events.expiries_report` keeps
    them by chunk of files when given this)."""
    return (event.date.isoformat(), str(event.days_left), status_text(event), event.kind, event.id,
            event.event, event.name or "", _where(event), _waiver(event))


def counts_line(tally: Tally) -> str:
    n = tally.events
    return (f"{n} event{'s' * (n != 1)}: {tally.expired} expired, {tally.due} due, {tally.later} later"
            + (f", {tally.closed} closed" if tally.closed else "") + (f"; {tally.waived} waived" if tally.waived
                                                                      else ""))


def _rows(report: ExpiriesReport) -> list[Sequence[str]]:
    return list(report.rows) if report.rows is not None else [row_cells(e) for e in report.events]


def render_text(report: ExpiriesReport, options: Options = PLAIN) -> str:
    rows = _rows(report)
    head = f"Expiries as of {report.as_of.isoformat()}\n\n"
    if not rows:
        return head + "No events.\n"
    return head + text_table(_TITLES, rows, right=(1,)) + "\n" + counts_line(report.tally) + "\n"


def render_csv(report: ExpiriesReport, options: Options = PLAIN) -> str:
    report.need_events()
    rows = [[e.date.isoformat(), e.days_left, e.status, e.stage, e.kind, e.id, e.event, e.name, e.file, e.line,
             *((e.waiver.rule, e.waiver.until.isoformat(), e.waiver.reason) if e.waiver else ("", "", ""))]
            for e in report.events]
    return csv_text(HEADERS, rows)


def markdown_events(events: Sequence[Event]) -> str:
    return markdown_table(_TITLES, [row_cells(e) for e in events], right=(1,))


def render_markdown(report: ExpiriesReport, options: Options = PLAIN) -> str:
    rows = _rows(report)
    head = f"## Expiries as of {report.as_of.isoformat()}\n\n"
    if not rows:
        return head + "No events.\n"
    return head + markdown_table(_TITLES, rows, right=(1,)) + "\n" + counts_line(report.tally) + "\n"
