"""An asset still in service is past its warranty end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.policy.finding import Finding
from itamctl.tracking.events import asset_events

ID = "expired_warranty"
DESCRIPTION = "an asset that is deployed, in stock or in repair has a warranty end before the as-of date"


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for asset in registry.assets:
        if not asset.in_service:
            continue
        for event in asset_events(asset, registry.settings, as_of):
            if event.event == "warranty_end" and event.status == "expired":
                yield Finding(asset, event.path,
                              f"{asset.id} is {asset.status.replace('_', ' ')} but its {event.describe()}; "
                              "renew the cover, retire the asset or add a waiver")
