"""Total cost of ownership of one asset as of a date.

TCO = purchase cost + maintenance + the asset's share of every covering
contract's payments + one seat of every per-seat license assigned directly to
the asset + disposal cost − disposal proceeds (once the disposal date has
come), each counted only while the asset is owned: from its purchase date
(:func:`itamctl.facts.in_service_interval`) through ``as_of`` (or the day
before its disposal date, for contract and license payments).

Decisions:

* **Nothing before the purchase.** An asset that is not purchased on
  ``as_of`` (``planned``, ``ordered``, or a purchase date still to come) has
  no figures at all: every money field and the TCO are ``None`` ("not
  purchased yet"; JSON ``null``), never 0. Maintenance dated before the
  purchase date (``date_order`` warns about it) and payments due before it are
  not the asset's.
* Every amount is converted into the report currency at its own date:
  purchase cost at the purchase date, maintenance at its date, each contract or
  license payment at its due date, disposal cost and proceeds at the disposal
  date. A missing rate stops the computation with the file and line (the
  ``fx_missing_rate`` validation rule reports the same beforehand).
* Payments follow renewals only when ``renewal: auto`` (as
  :func:`itamctl.facts.payments` does by default).
* **Contract shares.** Each payment of a contract is shared equally by the
  distinct covered assets owned on its due date (:func:`itamctl.facts.owned_on`);
  a payment due while none of them is owned is nobody's. So the shares of the
  covered assets add up to the payments, and no asset carries a payment due
  before its purchase or from its disposal on (``itamctl check`` reports a
  contract that still covers a disposed asset, ``contract_covers_disposed``).
* Only per-seat licenses count (one seat each, its payments due while the
  asset is owned); a flat-priced license assigned to an asset is not split,
  since its price does not depend on the asset.
* **Rounding.** Each figure of a row is rounded to cents once (the exact sum
  of its amounts); the TCO is the sum of the row's rounded figures, so a row
  adds up to the cent; book value = cost − accumulated − write-off exactly.
* **Disposal.** Once disposed, ``write_off`` is the book value written off and
  ``gain_or_loss`` = proceeds − that write-off (``None`` before the disposal).
* Months in service (:func:`itamctl.facts.months_in_service`): the purchase
  month in full, each later month once it has ended, up to the day before the
  disposal; TCO per month is ``None`` when there are none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from itamctl.errors import FatalError
from itamctl.facts import depreciation_spec, months_in_service, owned_on, payment_dates, purchased
from itamctl.finance.depreciation import DepreciationSchedule, depreciation_schedule, to_report_currency
from itamctl.model import Asset, Contract, License, Registry, Settings
from itamctl.money import ZERO, MissingRate, Money, cents
from itamctl.quickinit import quick_init


@dataclass(frozen=True)
class CostLinks:
    """Which contracts cover, and which per-seat licenses are assigned to, each asset id."""

    contracts: Mapping[str, tuple[Contract, ...]]
    licenses: Mapping[str, tuple[License, ...]]
    assets: Mapping[str, Asset] = field(default_factory=dict)
    #: per (contract id, as_of): every covered asset's share, so a contract covering 20 assets is walked once
    _shares: dict[tuple[str, date], dict[str, Decimal]] = field(default_factory=dict, compare=False, repr=False)

    def contract_share(self, contract: Contract, settings: Settings, as_of: date, asset_id: str) -> Decimal:
        key = (contract.id, as_of)
        if key not in self._shares:
            self._shares[key] = contract_shares(contract, settings, as_of, self.assets)
        return self._shares[key].get(asset_id, ZERO)

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
        return cls({k: tuple(v) for k, v in contracts.items()}, {k: tuple(v) for k, v in licenses.items()},
                   {a.id: a for a in registry.assets})


@quick_init
@dataclass(frozen=True, slots=True)
class AssetCosts:
    """What one asset cost, is worth and has cost in all, as of a date (report currency, in cents).

    Every money figure is ``None`` when the asset is not purchased on ``as_of``
    (``purchased`` is false): not purchased yet.
    """

    asset: Asset
    as_of: date
    method: str
    purchase_date: date | None
    purchased: bool
    cost: Decimal | None
    accumulated_depreciation: Decimal | None
    write_off: Decimal | None  # carrying amount written off at disposal (0 until disposed)
    book_value: Decimal | None  # cost − accumulated_depreciation − write_off
    gain_or_loss: Decimal | None  # disposal proceeds − write_off; None until disposed
    maintenance: Decimal | None
    contract_share: Decimal | None
    license_share: Decimal | None
    disposal: Decimal | None  # disposal cost − proceeds (negative when the sale brought money in)
    months_in_service: int
    #: cost + maintenance + contract and license shares + disposal (None: not purchased yet); set from them
    tco: Decimal | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parts = (self.cost, self.maintenance, self.contract_share, self.license_share, self.disposal)
        total = sum((p for p in parts if p is not None), ZERO) if self.purchased else None
        object.__setattr__(self, "tco", total)  # once: every renderer asks for it, several times a row

    @property
    def id(self) -> str:
        return self.asset.id

    @property
    def tco_per_month(self) -> Decimal | None:
        tco = self.tco
        return None if tco is None or not self.months_in_service else tco / self.months_in_service


def _payments_total(item: Contract | License, settings: Settings, until: date, per_payment: Money | None,
                    asset: Asset) -> Decimal:
    """Sum of ``item``'s payments due on or before ``until`` while ``asset`` is owned, each converted on its date."""
    if per_payment is None:
        return ZERO
    total = ZERO
    try:
        for day, _renewal in payment_dates(item, until):
            if owned_on(asset, day):
                total += settings.fx.convert(per_payment, day)
    except MissingRate as exc:
        raise _missing_rate(item, exc) from None
    return total


def _missing_rate(item: Contract | License, exc: MissingRate) -> FatalError:
    where = item.diagnostic(("cost",), "fx_missing_rate", str(exc))
    return FatalError(f"{item.id}: {exc}; add one to Settings `fx`", file=where.file, line=where.line)


def contract_shares(contract: Contract, settings: Settings, as_of: date,
                    assets: Mapping[str, Asset]) -> dict[str, Decimal]:
    """Per covered asset id: its share of ``contract``'s payments due on or before ``as_of`` (exact).

    Each payment is shared equally by the covered assets owned on its due date.
    """
    covered = [assets[i] for i in dict.fromkeys(contract.covers) if i in assets]
    shares: dict[str, Decimal] = {}
    if not covered or contract.cost is None:
        return shares
    try:
        for day, _renewal in payment_dates(contract, as_of):
            owners = [a.id for a in covered if owned_on(a, day)]
            if owners:
                share = settings.fx.convert(contract.cost, day) / len(owners)
                for asset_id in owners:
                    shares[asset_id] = shares.get(asset_id, ZERO) + share
    except MissingRate as exc:
        raise _missing_rate(contract, exc) from None
    return shares


def license_seat(lic: License, settings: Settings, as_of: date, asset: Asset) -> Decimal:
    """One seat of a per-seat license: its payments due on or before ``as_of`` while ``asset`` is owned."""
    return _payments_total(lic, settings, as_of, lic.cost, asset)


def asset_costs(asset: Asset, registry: Registry, as_of: date, *, links: CostLinks | None = None) -> AssetCosts:
    """The costs of ``asset`` as of ``as_of``; pass ``links`` when computing many assets."""
    settings = registry.settings
    links = links or CostLinks.of(registry)
    schedule: DepreciationSchedule | None = depreciation_schedule(asset, settings)
    method = schedule.method if schedule else depreciation_spec(asset, settings).method
    bought = asset.purchase.date if asset.purchase else None
    carrying = schedule.carrying(as_of) if schedule is not None else None
    if not purchased(asset, as_of):
        return AssetCosts(asset, as_of, method, bought, False, *([None] * 9), months_in_service=0)
    maintenance = sum(
        (to_report_currency(asset, settings, ("maintenance", m.index, "cost"), m.cost, m.date)
         for m in asset.maintenance if m.cost is not None and bought is not None and bought <= m.date <= as_of),
        ZERO,
    )
    disposal = ZERO
    d = asset.disposal
    if d is not None and d.date <= as_of:
        if d.cost is not None:
            disposal += to_report_currency(asset, settings, ("disposal", "cost"), d.cost, d.date)
        if d.proceeds is not None:
            disposal -= to_report_currency(asset, settings, ("disposal", "proceeds"), d.proceeds, d.date)
    # without a schedule (no purchase cost) the asset is bought but has no carrying figures: zeros
    cost, accumulated, write_off, book = (
        (carrying.cost, carrying.accumulated, carrying.write_off, carrying.book_value) if carrying else (ZERO,) * 4)
    gain_or_loss = carrying.gain_or_loss if carrying else None
    return AssetCosts(
        asset=asset,
        as_of=as_of,
        method=method,
        purchase_date=bought,
        purchased=True,
        cost=cost,
        accumulated_depreciation=accumulated,
        write_off=write_off,
        book_value=book,
        gain_or_loss=gain_or_loss,
        maintenance=cents(maintenance),
        contract_share=cents(sum((links.contract_share(c, settings, as_of, asset.id)
                                  for c in links.contracts.get(asset.id, ())), ZERO)),
        license_share=cents(sum((license_seat(lic, settings, as_of, asset)
                                 for lic in links.licenses.get(asset.id, ())), ZERO)),
        disposal=cents(disposal),
        months_in_service=months_in_service(asset, as_of),
    )


def tco(asset: Asset, registry: Registry, as_of: date) -> Decimal | None:
    """Total cost of ownership of ``asset`` as of ``as_of`` (cents, report currency); ``None``: not purchased yet."""
    return asset_costs(asset, registry, as_of).tco
