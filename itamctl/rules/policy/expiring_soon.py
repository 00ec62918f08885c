"""A warranty, license, contract, notice deadline, end of life or audit is due within its lead time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Asset, Registry
from itamctl.rules.finding import Finding
from itamctl.tracking.events import registry_events

ID = "expiring_soon"
DESCRIPTION = "a warranty, license or contract end, renewal, cancel-by, end of life or audit is within its lead time"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for event in registry_events(registry, as_of):
        if event.status != "due":
            continue
        if isinstance(event.item, Asset) and not event.item.in_service:
            continue
        yield Finding(event.item, event.path,
                      f"{event.id}: {event.describe()}, within the {event.stage}-day alert")
