"""The cancel-by date of an auto-renewing license or contract has passed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.model import Contract, License
from itamctl.rules.finding import Finding, Scope

ID = "notice_passed"
TITLE = "Notice deadline passed"  # optional; else derived from the id
DESCRIPTION = "the cancel-by date (end of the current term - notice_days) of an auto-renewing item has passed"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("licenses", "contracts")


def check_items(items: Iterable[License | Contract], as_of: date, scope: Scope) -> Iterator[Finding]:
    events_of_item = scope.events
    for item in items:
        events = {e.event: e for e in events_of_item(item)}
        cancel_by = events.get("cancel_by")
        if cancel_by is not None and cancel_by.status == "expired":
            renewal = events["renewal"]
            yield Finding(item, cancel_by.path,
                          f"{item.id}: the {cancel_by.describe()}; it renews after "
                          f"{renewal.date.isoformat()} for another term")
