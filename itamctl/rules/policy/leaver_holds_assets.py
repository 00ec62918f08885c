"""A person who has left (``active: false``) still owns assets that are not retired or disposed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding

ID = "leaver_holds_assets"
DESCRIPTION = "an inactive person (active: false) is still the owner of assets that are not retired or disposed"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    held: dict[str, list[str]] = {}
    for asset in registry.assets:
        if asset.owner and not asset.retired:
            held.setdefault(asset.owner, []).append(asset.id)
    for person in registry.people:
        if person.active or person.id not in held:
            continue
        ids = held[person.id]
        yield Finding(person, ("active",),
                      f"{person.id} is no longer active but still holds {len(ids)} "
                      f"asset{'s' * (len(ids) != 1)}: {', '.join(ids)}; collect them or give them a new owner")
