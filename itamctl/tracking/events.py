"""Dated events of the registry: what expires, renews or falls due, and when.

An event is one date in the life of an asset, license or contract:

- ``warranty_end``: the last day of an asset's warranty (``warranty.end``,
  else purchase date + the category's ``warranty_months`` − 1 day);
- ``license_end`` / ``contract_end``: the last day of a license or contract
  that does not renew by itself (``renewal: manual`` or ``none``);
- ``renewal``: the last day of the current term of a license or contract with
  ``renewal: auto`` (it renews the day after, so it never expires);
- ``cancel_by``: the last day to cancel a renewing item, ``notice_days``
  before the end of its current term;
- ``end_of_life``: an asset's planned end of life (``end_of_life``, else
  purchase date + service life);
- ``audit_due``: ``last_audit`` (else the purchase date) + Settings
  ``audit.interval_months``.

Every event has a ``status`` on ``as_of``: ``expired`` when its date is before
``as_of`` (the day itself still counts as covered), ``due`` when it falls
within one of its lead times (the item's ``alerts.days``, else the Settings
default) and ``later`` otherwise. ``stage`` is the shortest lead time reached.
Retired and disposed assets have no events.

``closed``: the end of a license or contract that has ended and is over with
(:func:`itamctl.facts.closed`: ``renewal: none``, and a license nothing is
assigned to any more) is history, not a task. Its status is ``closed``, and
:func:`select` leaves it out unless asked (``expiries --all`` or
``--status closed``).

``waiver``: the item's live waiver of the rule the event would raise on
``as_of`` (:data:`RULE_OF_EVENT` once the date has passed, ``expiring_soon``
or that rule while it is due), so every listing can say the event is waived,
until when and why.

The calendar (:func:`calendar_events`) holds what is ahead and the last
:data:`CALENDAR_PAST_DAYS` days, nothing closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from itamctl.facts import (
    audit_due,
    cancel_by,
    closed,
    current_term_end,
    live_waiver,
    planned_end_of_life,
    renews,
    warranty_end,
)
from itamctl.model import Asset, Contract, Item, License, Registry, Settings, Waiver
from itamctl.quickinit import quick_init
from itamctl.sharing import per_item

EVENT_TYPES = ("warranty_end", "license_end", "contract_end", "renewal", "cancel_by", "end_of_life", "audit_due")
ITEM_KINDS = ("asset", "license", "contract")
STATUSES = ("expired", "due", "later", "closed")

#: The policy rule an event raises once its date has passed (while due, it raises ``expiring_soon``).
RULE_OF_EVENT = {
    "warranty_end": "expired_warranty",
    "license_end": "expired_license_in_use",
    "cancel_by": "notice_passed",
    "end_of_life": "eol_passed",
    "audit_due": "audit_overdue",
}
#: How far back the calendar reaches: events of the last 30 days stay in it (without reminders).
CALENDAR_PAST_DAYS = 30

_LABELS = {  # (before or on the date, after it)
    "warranty_end": ("warranty ends", "warranty ended"),
    "license_end": ("license ends", "license ended"),
    "contract_end": ("contract ends", "contract ended"),
    "renewal": ("renews after", "renewed after"),
    "cancel_by": ("last day to cancel", "last day to cancel was"),
    "end_of_life": ("planned end of life", "planned end of life was"),
    "audit_due": ("audit due", "audit was due"),
}


#: An event whose line has not been looked up yet.
_UNSET: Any = object()


@quick_init
@dataclass(frozen=True, slots=True)
class Event:
    item: Item = field(compare=False, repr=False)
    id: str
    kind: str  # asset | license | contract
    event: str  # one of EVENT_TYPES
    date: date
    days_left: int  # negative once expired
    status: str  # expired | due | later | closed
    stage: int | None  # the lead time (days) whose window the event is in, when due
    lead_days: tuple[int, ...]
    path: tuple[str | int, ...]  # the value the date comes from, for file:line
    file: str
    waiver: Waiver | None = field(default=None, compare=False)
    _line: int | None = field(default=_UNSET, init=False, compare=False, repr=False)

    @property
    def line(self) -> int | None:
        """The line of the value the date comes from (looked up when first asked: most events are never shown)."""
        line = self._line
        if line is _UNSET:
            line = self.item.doc.position(self.path).line
            object.__setattr__(self, "_line", line)
        return line

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def label(self) -> str:
        """What the date is, e.g. ``warranty ends`` (``warranty ended`` once past)."""
        return _LABELS[self.event][self.days_left < 0]

    @property
    def title(self) -> str:
        """Tense-free heading, e.g. ``Warranty ends`` (for calendars)."""
        return _LABELS[self.event][0].capitalize()

    @property
    def uid(self) -> str:
        """Stable identity for calendars: the same item, event and date give the same UID."""
        return f"{self.id}-{self.event}-{self.date.isoformat()}@itamctl"

    def describe(self) -> str:
        """``warranty ends 2026-12-20 (in 22 days)``-style phrase."""
        days = self.days_left
        if days < 0:
            when = f"{-days} day{'s' * (-days != 1)} ago"
        elif days == 0:
            when = "today"
        else:
            when = f"in {days} day{'s' * (days != 1)}"
        return f"{self.label} {self.date.isoformat()} ({when})"

    @property
    def waived(self) -> str:
        """``waived (rule) until 2027-03-31: reason``, or ``""`` when not waived."""
        w = self.waiver
        return "" if w is None else f"waived ({w.rule}) until {w.until.isoformat()}: {w.reason}"

    def to_json(self) -> dict:
        w = self.waiver
        return {
            "id": self.id, "kind": self.kind, "name": self.name, "event": self.event,
            "date": self.date.isoformat(), "days_left": self.days_left, "status": self.status,
            "stage": self.stage, "file": self.file, "line": self.line,
            "waiver": None if w is None else {"rule": w.rule, "until": w.until.isoformat(), "reason": w.reason},
        }


def lead_days(item: Item, settings: Settings) -> tuple[int, ...]:
    """The item's own ``alerts.days``, else the Settings default (an empty list: no alerts)."""
    own = getattr(item, "alert_days", None)
    return tuple(sorted(own if own is not None else settings.alert_days, reverse=True))


def classify(day: date, as_of: date, leads: Sequence[int]) -> tuple[int, str, int | None]:
    """``(days_left, status, stage)`` of a date seen on ``as_of``."""
    days_left = (day - as_of).days
    if days_left < 0:
        return days_left, "expired", None
    reached = [lead for lead in leads if days_left <= lead]
    if reached:
        return days_left, "due", min(reached)
    return days_left, "later", None


def event_waiver(item: Item, event: str, status: str, as_of: date) -> Waiver | None:
    """The live waiver of the rule ``event`` raises with ``status`` on ``as_of``."""
    rule = RULE_OF_EVENT.get(event)
    if status == "due":
        return live_waiver(item, "expiring_soon", as_of) or (rule and live_waiver(item, rule, as_of)) or None
    if status == "expired" and rule:
        return live_waiver(item, rule, as_of)
    return None


def _event(item: Item, kind: str, name: str, day: date, path: tuple, as_of: date, leads: tuple[int, ...],
           *, is_closed: bool = False) -> Event:
    days_left, status, stage = classify(day, as_of, leads)
    if is_closed:
        status = "closed"
    return Event(item, item.id, kind, name, day, days_left, status, stage, leads, path, item.file,
                 event_waiver(item, name, status, as_of))


def asset_events(asset: Asset, settings: Settings, as_of: date) -> Iterator[Event]:
    if asset.retired:
        return
    leads = lead_days(asset, settings)
    warranty = warranty_end(asset, settings)
    if warranty is not None:
        yield _event(asset, "asset", "warranty_end", warranty.date, warranty.path, as_of, leads)
    eol = planned_end_of_life(asset, settings)
    if eol is not None:
        path = ("end_of_life",) if asset.end_of_life else ("purchase", "date")
        yield _event(asset, "asset", "end_of_life", eol, path, as_of, leads)
    audit = audit_due(asset, settings)
    if audit is not None:
        yield _event(asset, "asset", "audit_due", audit[0], audit[1], as_of, leads)


def term_events(item: License | Contract, settings: Settings, as_of: date) -> Iterator[Event]:
    """End (or renewal) and cancel-by events of a license or contract."""
    if item.end is None:
        return
    kind = "license" if isinstance(item, License) else "contract"
    leads = lead_days(item, settings)
    if renews(item):
        yield _event(item, kind, "renewal", current_term_end(item, as_of), ("end",), as_of, leads)
        last_day = cancel_by(item, as_of)
        if last_day is not None:
            yield _event(item, kind, "cancel_by", last_day, ("notice_days",), as_of, leads)
    else:
        yield _event(item, kind, f"{kind}_end", item.end, ("end",), as_of, leads, is_closed=closed(item, as_of))


def _key(event: Event) -> tuple:
    return (event.date, event.id, EVENT_TYPES.index(event.event))


def item_events(item: Asset | License | Contract, settings: Settings, as_of: date) -> list[Event]:
    """The events of one asset (:func:`asset_events`), license or contract (:func:`term_events`)."""
    events = asset_events(item, settings, as_of) if isinstance(item, Asset) else term_events(item, settings, as_of)
    return list(events)


class _Computed:
    """The events of one registry on one date: by item, each item's computed when first asked for (a
    policy rule that judges a few items asks for those alone), and all of them sorted when asked for."""

    def __init__(self, registry: Registry, as_of: date) -> None:
        self.registry, self.as_of = registry, as_of
        # by the item object's identity: ids can repeat in a registry with errors
        self.by_item: dict[int, list[Event]] = {}
        self._events: tuple[Event, ...] | None = None

    def of(self, item: Item) -> list[Event]:
        """``item``'s events (none for an item that has no events: a person, a location)."""
        found = self.by_item.get(id(item))
        if found is None:
            if not isinstance(item, Asset | License | Contract):
                return []
            settings, as_of = self.registry.settings, self.as_of
            found = self.by_item[id(item)] = per_item("events", item, settings, as_of, item_events, item, settings,
                                                      as_of)
        return found

    @property
    def events(self) -> tuple[Event, ...]:
        if self._events is None:
            found: list[Event] = []
            of = self.of
            registry = self.registry
            for item in (*registry.assets, *registry.licenses, *registry.contracts):
                found.extend(of(item))
            found.sort(key=_key)
            self._events = tuple(found)
        return self._events


_last: _Computed | None = None


def _computed(registry: Registry, as_of: date) -> _Computed:
    """The last registry's events are kept (a registry is immutable): ``check`` asks for them in its
    policy rules and again for its report."""
    global _last
    if _last is None or _last.registry is not registry or _last.as_of != as_of:
        _last = _Computed(registry, as_of)
    return _last


def registry_events(registry: Registry, as_of: date) -> list[Event]:
    """Every event of the registry on ``as_of``, by date, then id."""
    return list(_computed(registry, as_of).events)


def events_of(registry: Registry, as_of: date) -> Callable[[Item], Sequence[Event]]:
    """The events of one item of ``registry`` on ``as_of`` (:func:`asset_events` or :func:`term_events`),
    computed once an item for the registry: the policy rules look at every item's events."""
    return _computed(registry, as_of).of


def select(
    events: Iterable[Event],
    *,
    within: int | None = None,
    kinds: Iterable[str] = (),
    event_types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    include_closed: bool = False,
) -> list[Event]:
    """Filter events: ``within`` keeps those at most that many days ahead (expired ones included).

    Closed events are left out unless ``include_closed`` or ``statuses`` names ``closed``.
    """
    keep = _selected(within=within, kinds=kinds, event_types=event_types, statuses=statuses,
                     include_closed=include_closed)
    return [e for e in events if keep(e.status, e.days_left, e.kind, e.event)]


def _selected(*, within: int | None, kinds: Iterable[str], event_types: Iterable[str], statuses: Iterable[str],
              include_closed: bool) -> Callable[[str, int, str, str], bool]:
    """Whether :func:`select` keeps an event of this ``(status, days_left, kind, event)``."""
    kinds, event_types, statuses = set(kinds), set(event_types), set(statuses)
    include_closed = include_closed or "closed" in statuses

    def keep(status: str, days_left: int, kind: str, event: str) -> bool:
        return ((include_closed or status != "closed") and (within is None or days_left <= within)
                and (not kinds or kind in kinds) and (not event_types or event in event_types)
                and (not statuses or status in statuses))

    return keep


@dataclass(frozen=True)
class Tally:
    """How many events a listing holds, by status, and how many of them are waived."""

    events: int
    expired: int
    due: int
    later: int
    closed: int
    waived: int

    @classmethod
    def of(cls, statuses: Iterable[tuple[str, bool]]) -> Tally:
        """Of ``(status, waived)`` pairs."""
        by = dict.fromkeys(STATUSES, 0)
        total = waived = 0
        for status, is_waived in statuses:
            by[status] += 1
            total += 1
            waived += is_waived
        return cls(total, by["expired"], by["due"], by["later"], by["closed"], waived)


@dataclass(frozen=True)
class ExpiriesReport:
    """The report of ``itamctl expiries`` (and the site's calendar): events on ``as_of``, soonest first.

    Made by :func:`expiries_report` with ``cells``, it holds each event's row as a renderer's text cells
    (:attr:`rows`, soonest first) and their :attr:`tally`, and no event (text and Markdown show nothing
    else)."""

    as_of: date
    events: tuple[Event, ...]
    rows: tuple[tuple[str, ...], ...] | None = None
    counted: Tally | None = None

    @property
    def tally(self) -> Tally:
        if self.counted is not None:
            return self.counted
        return Tally.of((e.status, e.waiver is not None) for e in self.events)

    def to_json(self) -> dict:
        self.need_events()
        return {"as_of": self.as_of.isoformat(), "events": [e.to_json() for e in self.events]}

    def need_events(self) -> None:
        """Raises ValueError for a report of text cells (:attr:`rows`): it holds no event."""
        if self.rows is not None:
            raise ValueError("this expiries report holds text cells, not the events")


Cells = Callable[[Event], tuple[str, ...]]


def expiries_report(registry: Registry, as_of: date, *, within: int | None = None, kinds: Iterable[str] = (),
                    event_types: Iterable[str] = (), statuses: Iterable[str] = (), include_closed: bool = False,
                    cells: Cells | None = None) -> ExpiriesReport:
    """The events of ``registry`` on ``as_of`` that :func:`select` keeps, soonest first.

    With ``cells`` (a renderer's text cells of an event's row), the report holds the rows and their tally
    and no event: with the cache, the rows of the events of a chunk of files' items are made once and kept
    in the facts pack (:func:`itamctl.sharing.per_chunk_items`), and a warm run reads back those of the
    chunks no file of which changed (an event's line is where its document says, which a row read back
    does not unpack)."""
    keep = _selected(within=within, kinds=kinds, event_types=event_types, statuses=statuses,
                     include_closed=include_closed)
    if cells is None:
        events = [e for e in registry_events(registry, as_of) if keep(e.status, e.days_left, e.kind, e.event)]
        return ExpiriesReport(as_of, tuple(events))
    from itamctl.sharing import per_chunk_items

    of = events_of(registry, as_of)

    def part(items: list[Item]) -> list[list[tuple]]:
        return [[(e.date.toordinal(), e.id, EVENT_TYPES.index(e.event), e.status, e.days_left, e.kind, e.event,
                  e.waiver is not None, cells(e)) for e in of(item)] for item in items]

    items: list[Item] = [*registry.assets, *registry.licenses, *registry.contracts]
    context = ("cells", cells.__module__, cells.__qualname__)
    by_item: dict[int, list[tuple]] = {}
    for held, rows in per_chunk_items("event rows", registry, items, registry.settings, as_of, context, part,
                                      tuple, _thaw_rows):
        by_item.update(zip(map(id, held), rows, strict=True))
    found = [row for item in items for row in by_item[id(item)] if keep(row[3], row[4], row[5], row[6])]
    found.sort(key=_row_order)  # as registry_events: by date, id and type, else in the registry's order
    tally = Tally.of((row[3], row[7]) for row in found)
    return ExpiriesReport(as_of, (), tuple(row[8] for row in found), tally)


def _row_order(row: tuple) -> tuple:
    return row[:3]


def _thaw_rows(kept: object) -> list[list[tuple]] | None:
    """What a part of :func:`expiries_report` was kept as (a tuple of each item's rows), back; None for
    anything else."""
    if type(kept) is not tuple or not all(type(rows) is list and all(type(r) is tuple and len(r) == 9
                                                                      for r in rows) for rows in kept):
        return None
    return list(kept)


def calendar_events(events: Iterable[Event], as_of: date) -> list[Event]:
    """What a calendar holds: nothing closed, nothing more than :data:`CALENDAR_PAST_DAYS` days old."""
    return [e for e in events if e.status != "closed" and e.days_left >= -CALENDAR_PAST_DAYS]
