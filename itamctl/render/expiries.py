"""Renderers for ``itamctl expiries``: text, json, csv and markdown (ICS is in :mod:`itamctl.render.ics`)."""

from __future__ import annotations

from collections.abc import Sequence

from itamctl.render import PLAIN, Options
from itamctl.render.table import csv_text, markdown_table, text_table
from itamctl.tracking.events import Event, ExpiriesReport

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


def _row(event: Event) -> list:
    return [event.date.isoformat(), event.days_left, status_text(event), event.kind, event.id,
            event.event, event.name, _where(event), _waiver(event)]


def counts_line(events: Sequence[Event]) -> str:
    by = {s: sum(1 for e in events if e.status == s) for s in ("expired", "due", "later", "closed")}
    waived = sum(1 for e in events if e.waiver is not None)
    return (f"{len(events)} event{'s' * (len(events) != 1)}: "
            f"{by['expired']} expired, {by['due']} due, {by['later']} later"
            + (f", {by['closed']} closed" if by["closed"] else "") + (f"; {waived} waived" if waived else ""))


def render_text(report: ExpiriesReport, options: Options = PLAIN) -> str:
    events = report.events
    head = f"Expiries as of {report.as_of.isoformat()}\n\n"
    if not events:
        return head + "No events.\n"
    return head + text_table(_TITLES, [_row(e) for e in events], right=(1,)) + "\n" + counts_line(events) + "\n"


def render_csv(report: ExpiriesReport, options: Options = PLAIN) -> str:
    rows = [[e.date.isoformat(), e.days_left, e.status, e.stage, e.kind, e.id, e.event, e.name, e.file, e.line,
             *((e.waiver.rule, e.waiver.until.isoformat(), e.waiver.reason) if e.waiver else ("", "", ""))]
            for e in report.events]
    return csv_text(HEADERS, rows)


def markdown_events(events: Sequence[Event]) -> str:
    return markdown_table(_TITLES, [_row(e) for e in events], right=(1,))


def render_markdown(report: ExpiriesReport, options: Options = PLAIN) -> str:
    events = report.events
    head = f"## Expiries as of {report.as_of.isoformat()}\n\n"
    if not events:
        return head + "No events.\n"
    return head + markdown_events(events) + "\n" + counts_line(events) + "\n"
