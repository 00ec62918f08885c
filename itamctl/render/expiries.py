"""Renderers for ``itamctl expiries``: text, json, csv and markdown (ICS is in :mod:`itamctl.render.ics`)."""

from __future__ import annotations

from collections.abc import Sequence

from itamctl.render import PLAIN, Options
from itamctl.render.table import csv_text, markdown_table, text_table
from itamctl.tracking.events import Event, ExpiriesReport

HEADERS = ("date", "days_left", "status", "stage", "kind", "id", "event", "name", "file", "line")
_TITLES = ("Date", "Days", "Status", "Kind", "Id", "Event", "Name", "Where")


def status_text(event: Event) -> str:
    return f"due ({event.stage}d)" if event.status == "due" else event.status


def _where(event: Event) -> str:
    return f"{event.file}:{event.line}" if event.line else event.file


def _row(event: Event) -> list:
    return [event.date.isoformat(), event.days_left, status_text(event), event.kind, event.id,
            event.event, event.name, _where(event)]


def counts_line(events: Sequence[Event]) -> str:
    by = {s: sum(1 for e in events if e.status == s) for s in ("expired", "due", "later")}
    return (f"{len(events)} event{'s' * (len(events) != 1)}: "
            f"{by['expired']} expired, {by['due']} due, {by['later']} later")


def render_text(report: ExpiriesReport, options: Options = PLAIN) -> str:
    events = report.events
    head = f"Expiries as of {report.as_of.isoformat()}\n\n"
    if not events:
        return head + "No events.\n"
    return head + text_table(_TITLES, [_row(e) for e in events], right=(1,)) + "\n" + counts_line(events) + "\n"


def render_csv(report: ExpiriesReport, options: Options = PLAIN) -> str:
    rows = [[e.date.isoformat(), e.days_left, e.status, e.stage, e.kind, e.id, e.event, e.name, e.file, e.line]
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
