"""A license past its end is still assigned to people or assets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.model import License
from itamctl.rules.finding import Finding, Scope

ID = "expired_license_in_use"
DESCRIPTION = "a license past its end date (and not renewing automatically) still has assignments"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("licenses",)


def check_items(licenses: Iterable[License], as_of: date, scope: Scope) -> Iterator[Finding]:
    events = scope.events
    for lic in licenses:
        if not lic.assigned_to:
            continue
        for event in events(lic):
            if event.event == "license_end" and event.status == "expired":
                n = len(lic.assigned_to)
                yield Finding(lic, event.path,
                              f"{lic.id}: {event.describe()} but it is still assigned to {n} "
                              f"{'people or assets' if n != 1 else 'person or asset'}; "
                              "renew it or remove the assignments")
