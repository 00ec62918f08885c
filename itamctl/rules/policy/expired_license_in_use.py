"""A license past its end is still assigned to people or assets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding
from itamctl.tracking.events import events_of

ID = "expired_license_in_use"
DESCRIPTION = "a license past its end date (and not renewing automatically) still has assignments"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    events = events_of(registry, as_of)
    for lic in registry.licenses:
        if not lic.assigned_to:
            continue
        for event in events(lic):
            if event.event == "license_end" and event.status == "expired":
                n = len(lic.assigned_to)
                yield Finding(lic, event.path,
                              f"{lic.id}: {event.describe()} but it is still assigned to {n} "
                              f"{'people or assets' if n != 1 else 'person or asset'}; "
                              "renew it or remove the assignments")
