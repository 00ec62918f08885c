"""A running contract still covers an asset that was retired or disposed of: money for nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.facts import running_on
from itamctl.model import Asset, Registry
from itamctl.rules.finding import Finding

ID = "contract_covers_retired"
TITLE = "Contract covers a retired asset"  # optional; else derived from the id
DESCRIPTION = "a contract whose term is running covers a retired or disposed asset"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    assets = {asset.id: asset for asset in registry.assets}
    for contract in registry.contracts:
        if not running_on(contract, as_of):
            continue
        for index, asset_id in enumerate(contract.covers):
            asset: Asset | None = assets.get(asset_id)
            if asset is None or not asset.retired:
                continue
            since = f" since {asset.disposal.date}" if asset.disposal else ""
            yield Finding(contract, ("covers", index),
                          f"{contract.id} still covers {asset_id}, which is {asset.status}{since}; "
                          "remove it from `covers` (and from the contract at the next notice date)")
