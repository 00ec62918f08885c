"""An asset still in service is past its planned end of life."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.model import Asset
from itamctl.rules.finding import Finding, Scope

ID = "eol_passed"
TITLE = "End of life passed"  # optional; else derived from the id
DESCRIPTION = "an in-service asset is past its planned end of life (end_of_life, else purchase + service life)"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("assets",)


def check_items(assets: Iterable[Asset], as_of: date, scope: Scope) -> Iterator[Finding]:
    events = scope.events
    for asset in assets:
        if not asset.in_service:
            continue
        for event in events(asset):
            if event.event == "end_of_life" and event.status == "expired":
                derived = "" if asset.end_of_life else ", from purchase date + service life"
                yield Finding(asset, event.path,
                              f"{asset.id} is {asset.status.replace('_', ' ')} and its {event.describe()}{derived}; "
                              "plan its replacement or set a later end_of_life")
