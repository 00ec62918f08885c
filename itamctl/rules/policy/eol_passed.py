"""An asset still in service is past its planned end of life."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding
from itamctl.tracking.events import events_of

ID = "eol_passed"
TITLE = "End of life passed"  # optional; else derived from the id
DESCRIPTION = "an in-service asset is past its planned end of life (end_of_life, else purchase + service life)"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    events = events_of(registry, as_of)
    for asset in registry.assets:
        if not asset.in_service:
            continue
        for event in events(asset):
            if event.event == "end_of_life" and event.status == "expired":
                derived = "" if asset.end_of_life else ", from purchase date + service life"
                yield Finding(asset, event.path,
                              f"{asset.id} is {asset.status.replace('_', ' ')} and its {event.describe()}{derived}; "
                              "plan its replacement or set a later end_of_life")
