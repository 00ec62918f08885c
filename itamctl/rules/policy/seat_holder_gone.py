"""A license seat is assigned to a retired or disposed asset, or to a person who has left (``active: false``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Asset, Person, Registry
from itamctl.rules.finding import Finding

ID = "seat_holder_gone"
DESCRIPTION = "a license seat is assigned to a retired or disposed asset or to an inactive person"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for lic in registry.licenses:
        for index, holder_id in enumerate(lic.assigned_to):
            holder = registry.get(holder_id)
            if isinstance(holder, Asset) and holder.retired:
                why = f"{holder_id}, which is {holder.status}"
            elif isinstance(holder, Person) and not holder.active:
                why = f"{holder_id}, who is no longer active"
            else:
                continue
            yield Finding(lic, ("assigned_to", index),
                          f"{lic.id}: a seat is assigned to {why}; free the seat (remove it from `assigned_to`)")
