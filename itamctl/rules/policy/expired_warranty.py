"""An asset still in service is past its warranty end.

A ``warranty_extension`` contract that covers the asset and is running on the
as-of date (started, and its current term, renewals included, not ended)
extends the cover: such an asset is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.facts import running_on
from itamctl.model import Asset, Registry
from itamctl.rules.finding import Finding, Scope

ID = "expired_warranty"
DESCRIPTION = "an asset that is deployed, in stock or in repair has a warranty end before the as-of date"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("assets",)


def extended(registry: Registry, as_of: date) -> set[str]:
    """Ids of assets covered on ``as_of`` by a running warranty-extension contract."""
    covered: set[str] = set()
    for contract in registry.contracts:
        if contract.type == "warranty_extension" and running_on(contract, as_of):
            covered.update(contract.covers)
    return covered


def context(registry: Registry, as_of: date) -> tuple[str, ...]:
    """What the findings of an asset depend on beside the asset: the ids that extensions cover."""
    return tuple(sorted(extended(registry, as_of)))


def check_items(assets: Iterable[Asset], as_of: date, scope: Scope) -> Iterator[Finding]:
    events = scope.events
    covered = frozenset(scope.context)
    for asset in assets:
        if not asset.in_service or asset.id in covered:
            continue
        for event in events(asset):
            if event.event == "warranty_end" and event.status == "expired":
                yield Finding(asset, event.path,
                              f"{asset.id} is {asset.status.replace('_', ' ')} but its {event.describe()}; "
                              "renew the cover, retire the asset or add a waiver")
