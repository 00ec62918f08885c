"""An RFC 5545 calendar of expiry events that staff can subscribe to.

One all-day VEVENT per event, with a stable UID (``<id>-<event>-<date>@itamctl``)
so that calendar clients update rather than duplicate events on refresh, and
one VALARM per lead time (none on a past event). DTSTAMP is the as-of date,
so the same registry and date give the same bytes. The calendar holds what is
ahead and the last :data:`~itamctl.tracking.events.CALENDAR_PAST_DAYS` (30)
days, nothing closed (:func:`itamctl.tracking.events.calendar_events`); a
waived event says so in its description.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options
from itamctl.render.escape import ics_text
from itamctl.tracking.events import Event, ExpiriesReport, calendar_events

if TYPE_CHECKING:
    import icalendar

PRODID = "-//itamctl//expiries//EN"


def _summary(event: Event) -> str:
    return ics_text(f"{event.title}: {event.id} ({event.name})")


def _description(event: Event) -> str:
    where = f"{event.file}:{event.line}" if event.line else event.file
    # Nothing relative to the as-of date here, so an event reads the same on every refresh.
    lines = [f"{event.id}: {event.name}", f"{event.title} {event.date.isoformat()}", f"Source: {where}"]
    if event.waiver is not None:
        lines.append("W" + event.waived[1:])  # "Waived (rule) until ...: reason", the reason as written
    return "\n".join(ics_text(line) for line in lines)


def build_calendar(events: Sequence[Event], as_of: date, *, name: str = "IT asset expiries") -> icalendar.Calendar:
    import icalendar  # only the ics format pays for it

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT12H")
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    for event in calendar_events(events, as_of):
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", event.date)
        if event.date < date.max:  # without DTEND an all-day event lasts the one day (RFC 5545 3.6.1)
            vevent.add("dtend", event.date + timedelta(days=1))
        vevent.add("summary", _summary(event))
        vevent.add("description", _description(event))
        vevent.add("categories", [event.kind, event.event])
        vevent.add("transp", "TRANSPARENT")
        for lead in event.lead_days if event.days_left >= 0 else ():  # no reminder of what has passed
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-lead))
            alarm.add("description", f"In {lead} days: {_summary(event)}")
            vevent.add_component(alarm)
        cal.add_component(vevent)
    return cal


def render_ics(report: ExpiriesReport, options: Options = PLAIN) -> str:
    """The calendar as text with CRLF line endings (RFC 5545 section 3.1)."""
    return build_calendar(report.events, report.as_of).to_ical().decode("utf-8")
