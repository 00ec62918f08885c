"""Total cost of ownership of one asset as of a date.

TCO = purchase cost + maintenance dated on or before ``as_of`` + the asset's
equal share of every covering contract's payments due on or before ``as_of``
+ one seat of every per-seat license assigned directly to the asset (its
payments due on or before ``as_of``) + disposal cost − disposal proceeds (once
the disposal date has come).

Decisions:

* Every amount is converted into the report currency at its own date:
  purchase cost at the purchase date, maintenance at its date, each contract or
  license payment at its due date, disposal cost and proceeds at the disposal
  date. A missing rate stops the computation with the file and line (the
  ``fx_missing_rate`` validation rule reports the same beforehand).
* Payments follow renewals only when ``renewal: auto`` (as
  :func:`itamctl.facts.payments` does by default).
* A contract's share is the sum of its payments divided by the number of
  distinct assets in ``covers`` (one division per contract, so the shares of
  all covered assets add up to the payments exactly). Ownership ends at
  disposal: a disposed asset's contract and license shares count payments due
  on or before its disposal date only (``itamctl check`` reports a contract
  that still covers a disposed asset, ``contract_covers_disposed``).
* Only per-seat licenses count (one seat each); a flat-priced license assigned
  to an asset is not split, since its price does not depend on the asset.
* An asset with no purchase yet (planned, ordered) has cost 0; its TCO holds
  whatever else is recorded (usually nothing). Before the purchase date the
  purchase cost is not counted.
* Months in service run from the purchase month through the as-of month (or
  the disposal month, if earlier), both counted in full; TCO per month is
  ``None`` when there are none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from itamctl.dates import months_between
from itamctl.errors import FatalError
from itamctl.facts import depreciation_spec, payment_dates
from itamctl.finance.depreciation import Carrying, DepreciationSchedule, depreciation_schedule, to_report_currency
from itamctl.model import Asset, Contract, License, Registry, Settings
from itamctl.money import ZERO, MissingRate, Money


@dataclass(frozen=True)
class CostLinks:
    """Which contracts cover, and which per-seat licenses are assigned to, each asset id."""

    contracts: Mapping[str, tuple[Contract, ...]]
    licenses: Mapping[str, tuple[License, ...]]
    #: payments total per (item id, as_of): a contract covering 20 assets is summed once, not 20 times
    _paid: dict[tuple[str, date], Decimal] = field(default_factory=dict, compare=False, repr=False)

    def contract_share(self, contract: Contract, settings: Settings, as_of: date) -> Decimal:
        key = (contract.id, as_of)
        if key not in self._paid:
            self._paid[key] = contract_share(contract, settings, as_of)
        return self._paid[key]

    def license_seat(self, lic: License, settings: Settings, as_of: date) -> Decimal:
        key = (lic.id, as_of)
        if key not in self._paid:
            self._paid[key] = license_seat(lic, settings, as_of)
        return self._paid[key]

    @classmethod
    def of(cls, registry: Registry) -> CostLinks:
        contracts: dict[str, list[Contract]] = defaultdict(list)
        licenses: dict[str, list[License]] = defaultdict(list)
        for contract in registry.contracts:
            for asset_id in dict.fromkeys(contract.covers):
                contracts[asset_id].append(contract)
        for lic in registry.licenses:
            if lic.per_seat:
                for asset_id in dict.fromkeys(lic.assigned_to):
                    licenses[asset_id].append(lic)
        return cls({k: tuple(v) for k, v in contracts.items()}, {k: tuple(v) for k, v in licenses.items()})


@dataclass(frozen=True)
class AssetCosts:
    """What one asset cost, is worth and has cost in all, as of a date (report currency, exact)."""

    asset: Asset
    as_of: date
    method: str
    purchase_date: date | None
    cost: Decimal
    accumulated_depreciation: Decimal  # in cents, like cost, write_off and book_value (they add up)
    write_off: Decimal  # carrying amount written off at disposal
    book_value: Decimal  # cost − accumulated_depreciation − write_off
    maintenance: Decimal
    contract_share: Decimal
    license_share: Decimal
    disposal: Decimal  # disposal cost − proceeds (negative when the sale brought money in)
    months_in_service: int

    @property
    def id(self) -> str:
        return self.asset.id

    @property
    def purchased(self) -> bool:
        """Bought on or before ``as_of`` (with a cost); otherwise cost and book value are 0."""
        bought = self.purchase_date is not None and self.purchase_date <= self.as_of
        return bought and self.asset.purchase is not None and self.asset.purchase.cost is not None

    @property
    def tco(self) -> Decimal:
        return self.cost + self.maintenance + self.contract_share + self.license_share + self.disposal

    @property
    def tco_per_month(self) -> Decimal | None:
        return self.tco / self.months_in_service if self.months_in_service else None


def _payments_total(item: Contract | License, settings: Settings, until: date, per_payment: Money | None) -> Decimal:
    """Sum of ``item``'s payments due on or before ``until``, each converted on its due date."""
    if per_payment is None:
        return ZERO
    total = ZERO
    try:
        for day, _renewal in payment_dates(item, until):
            total += settings.fx.convert(per_payment, day)
    except MissingRate as exc:
        where = item.diagnostic(("cost",), "fx_missing_rate", str(exc))
        raise FatalError(f"{item.id}: {exc}; add one to Settings `fx`", file=where.file, line=where.line) from None
    return total


def contract_share(contract: Contract, settings: Settings, as_of: date) -> Decimal:
    """One covered asset's equal share of ``contract``'s payments due on or before ``as_of``."""
    covered = len(dict.fromkeys(contract.covers))
    if not covered:
        return ZERO
    return _payments_total(contract, settings, as_of, contract.cost) / covered


def license_seat(lic: License, settings: Settings, as_of: date) -> Decimal:
    """One seat of a per-seat license: its payments due on or before ``as_of``."""
    return _payments_total(lic, settings, as_of, lic.cost)


def months_in_service(asset: Asset, as_of: date) -> int:
    bought = asset.purchase.date if asset.purchase else None
    if bought is None or as_of < bought:
        return 0
    end = as_of
    if asset.disposal is not None and asset.disposal.date < end:
        end = asset.disposal.date
    return max(0, months_between(bought, end)) + 1


def asset_costs(asset: Asset, registry: Registry, as_of: date, *, links: CostLinks | None = None) -> AssetCosts:
    """The costs of ``asset`` as of ``as_of``; pass ``links`` when computing many assets."""
    settings = registry.settings
    links = links or CostLinks.of(registry)
    schedule: DepreciationSchedule | None = depreciation_schedule(asset, settings)
    carrying = schedule.carrying(as_of) if schedule is not None else Carrying(ZERO, ZERO, ZERO, ZERO)
    maintenance = sum(
        (to_report_currency(asset, settings, ("maintenance", m.index, "cost"), m.cost, m.date)
         for m in asset.maintenance if m.cost is not None and m.date <= as_of),
        ZERO,
    )
    disposal = ZERO
    d = asset.disposal
    owned_until = d.date if d is not None and d.date < as_of else as_of
    if d is not None and d.date <= as_of:
        if d.cost is not None:
            disposal += to_report_currency(asset, settings, ("disposal", "cost"), d.cost, d.date)
        if d.proceeds is not None:
            disposal -= to_report_currency(asset, settings, ("disposal", "proceeds"), d.proceeds, d.date)
    return AssetCosts(
        asset=asset,
        as_of=as_of,
        method=schedule.method if schedule else depreciation_spec(asset, settings).method,
        purchase_date=asset.purchase.date if asset.purchase else None,
        cost=carrying.cost,
        accumulated_depreciation=carrying.accumulated,
        write_off=carrying.write_off,
        book_value=carrying.book_value,
        maintenance=maintenance,
        contract_share=sum((links.contract_share(c, settings, owned_until)
                            for c in links.contracts.get(asset.id, ())), ZERO),
        license_share=sum((links.license_seat(lic, settings, owned_until)
                           for lic in links.licenses.get(asset.id, ())), ZERO),
        disposal=disposal,
        months_in_service=months_in_service(asset, as_of),
    )


def tco(asset: Asset, registry: Registry, as_of: date) -> Decimal:
    """Total cost of ownership of ``asset`` as of ``as_of`` (exact, report currency)."""
    return asset_costs(asset, registry, as_of).tco
