"""A warranty, license, contract, notice deadline, end of life or audit is due within its lead time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.model import Asset, Contract, License
from itamctl.rules.finding import Finding, Scope

ID = "expiring_soon"
DESCRIPTION = "a warranty, license or contract end, renewal, cancel-by, end of life or audit is within its lead time"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("assets", "licenses", "contracts")


def check_items(items: Iterable[Asset | License | Contract], as_of: date, scope: Scope) -> Iterator[Finding]:
    events = scope.events
    for item in items:
        if isinstance(item, Asset) and not item.in_service:
            continue
        for event in events(item):
            if event.status == "due":
                yield Finding(item, event.path, f"{event.id}: {event.describe()}, within the {event.stage}-day alert")
