"""The costs report: every asset's cost, depreciation, book value and TCO, with totals.

Decisions:

* Every asset is listed, sorted by id, including planned and ordered ones and
  assets whose purchase date is after ``as_of``: they are not purchased yet,
  and every money figure of theirs is ``None`` (text: "not purchased yet",
  JSON: ``null``), never 0.
* Each row's figures are in cents (see :mod:`itamctl.finance.tco`); totals and
  groups are the sums of the rows' figures, so they equal the sum of the rows
  to the cent (an asset without a figure adds nothing). ``gain_or_loss`` sums
  the disposals of the assets disposed by ``as_of``.
* :func:`vendor_spend`: per vendor, what was spent with them by ``as_of``:
  the purchase cost of the assets bought from them (the report's ``vendor``
  groups, nothing computed again) plus every payment of their licenses and
  contracts due on or before ``as_of`` (:func:`itamctl.facts.payments_in`,
  each converted on its due date; payments follow renewals as the facts do).
  Each part is rounded to cents once; the total is the sum of the parts.
* ``--by category|cost_center|location|vendor`` adds :attr:`CostsReport.groups`:
  one :class:`CostTotals` per distinct value (``vendor`` is the purchase
  vendor), sorted by key, assets without a value in a last group whose key is
  ``None``. In JSON: ``"by": "<field>"`` and ``"groups": [{"key", "count",
  "cost", ...}]`` beside ``items`` and ``totals``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from itamctl.facts import payments_in
from itamctl.finance.tco import AssetCosts, CostLinks, _missing_rate, asset_costs
from itamctl.model import Asset, Contract, License, Registry, Settings
from itamctl.money import ZERO, MissingRate, cents, exact_sum, money_str
from itamctl.sharing import per_item

GROUP_KEYS: dict[str, Callable[[Asset], str | None]] = {
    "category": lambda a: a.category or None,
    "cost_center": lambda a: a.cost_center,
    "location": lambda a: a.location,
    "vendor": lambda a: a.purchase.vendor if a.purchase else None,
}

#: The money fields of an item and of totals, in report order.
MONEY_FIELDS = ("cost", "accumulated_depreciation", "write_off", "book_value", "gain_or_loss", "maintenance",
                "contract_share", "license_share", "disposal", "tco")


@dataclass(frozen=True)
class CostTotals:
    """Sums of the rows' figures; ``key`` names the group (``None``: no value / grand total)."""

    key: str | None
    count: int
    cost: Decimal = ZERO
    accumulated_depreciation: Decimal = ZERO
    write_off: Decimal = ZERO
    book_value: Decimal = ZERO
    gain_or_loss: Decimal = ZERO
    maintenance: Decimal = ZERO
    contract_share: Decimal = ZERO
    license_share: Decimal = ZERO
    disposal: Decimal = ZERO
    tco: Decimal = ZERO

    @classmethod
    def of(cls, key: str | None, items: Iterable[AssetCosts]) -> CostTotals:
        items = list(items)
        sums = {name: exact_sum(v for i in items if (v := getattr(i, name)) is not None) for name in MONEY_FIELDS}
        return cls(key, len(items), **sums)

    @classmethod
    def combined(cls, parts: Iterable[CostTotals]) -> CostTotals:
        """The totals of the items of every part (sums of parts: :func:`costs_report` by chunk of files)."""
        parts = list(parts)
        return cls(None, sum(t.count for t in parts),
                   **{name: exact_sum(getattr(t, name) for t in parts) for name in MONEY_FIELDS})

    def to_json(self, *, key: bool = False) -> dict:
        head = {"key": self.key} if key else {}
        return {**head, "count": self.count, **{name: money_str(getattr(self, name)) for name in MONEY_FIELDS}}


def describe(item: AssetCosts) -> dict:
    """The descriptive columns of an asset's costs (JSON and CSV)."""
    a = item.asset
    return {
        "id": a.id, "name": a.name, "category": a.category, "status": a.status,
        "cost_center": a.cost_center, "location": a.location,
        "vendor": a.purchase.vendor if a.purchase else None,
        "purchase_date": item.purchase_date.isoformat() if item.purchase_date else None,
        "method": item.method,
        "purchased": item.purchased,
    }


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else money_str(amount)


def _item_json(item: AssetCosts) -> dict:
    return {
        **describe(item),
        **{name: _money(getattr(item, name)) for name in MONEY_FIELDS},  # null: not purchased yet
        "months_in_service": item.months_in_service,
        "tco_per_month": _money(item.tco_per_month),
    }


@dataclass(frozen=True)
class CostsReport:
    as_of: date
    currency: str
    items: tuple[AssetCosts, ...]
    totals: CostTotals
    by: str | None = None
    groups: tuple[CostTotals, ...] = ()
    #: Each asset's row as the renderer's text cells, in ``items``' order, when the report was made with
    #: ``cells`` (:func:`costs_report`): then ``items`` is empty (text and Markdown show no other figure).
    rows: tuple[tuple[str, ...], ...] | None = None

    def to_json(self) -> dict:
        """The JSON form (``itamctl costs --format json``; the site reads it too)."""
        self.need_items()
        payload: dict = {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "items": [_item_json(i) for i in self.items],
            "totals": self.totals.to_json(),
        }
        if self.by is not None:
            payload["by"] = self.by
            payload["groups"] = [g.to_json(key=True) for g in self.groups]
        return payload

    def need_items(self) -> None:
        """Raises ValueError for a report of text cells (:attr:`rows`): it holds no item's figures."""
        if self.rows is not None:
            raise ValueError("this costs report holds text cells, not the assets' figures")


def select_assets(registry: Registry, ids: Iterable[str] = ()) -> tuple[Asset, ...]:
    """The assets named by ``ids`` (all when empty); an unknown id raises ``KeyError``."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return registry.assets
    by_id = {a.id: a for a in registry.assets}
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise KeyError(missing[0])
    return tuple(sorted((by_id[i] for i in wanted), key=lambda a: a.id))


def _unlinked_costs(asset: Asset, registry: Registry, as_of: date, links: CostLinks) -> AssetCosts:
    """The costs of an asset no contract covers and no per-seat license is assigned to: its own facts only."""
    return asset_costs(asset, registry, as_of, links=links)


Cells = Callable[[AssetCosts], tuple[str, ...]]


def costs_report(registry: Registry, as_of: date, *, ids: Iterable[str] = (), by: str | None = None,
                 cells: Cells | None = None) -> CostsReport:
    """Costs of the assets (all, or those in ``ids``) as of ``as_of``, grouped ``by`` a field.

    With ``cells`` (a renderer's text cells of a row) and neither ``ids`` nor ``by``, the report holds
    each asset's cells (:attr:`CostsReport.rows`) and the totals, and no item: with the cache, the cells
    and sums of the assets whose costs are their own are made a chunk of files at a time and kept in the
    facts pack (:func:`itamctl.sharing.per_chunk_items`), so a warm run reads them back for the chunks
    no file of which changed."""
    if by is not None and by not in GROUP_KEYS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUP_KEYS)}")
    rows = Rows(registry, as_of)
    ids = tuple(ids)
    if cells is not None and not ids and by is None:
        return _cells_report(registry, as_of, rows, cells)
    items = tuple(map(rows.of, select_assets(registry, ids)))
    groups = group_totals(items, by) if by is not None else ()
    return CostsReport(as_of, registry.settings.currency, items, CostTotals.of(None, items), by, groups)


class Rows:
    """The assets' costs rows of one registry on one date, as the costs report has them."""

    def __init__(self, registry: Registry, as_of: date) -> None:
        self.registry, self.as_of = registry, as_of
        self.links = CostLinks.of(registry)

    def own(self, asset: Asset) -> bool:
        """Whether the asset's costs are its own: no contract covers it, no per-seat license is assigned to
        it (else its shares depend on other items). Only such a row is kept (by item, or a chunk's part)."""
        return asset.id not in self.links.contracts and asset.id not in self.links.licenses

    def of(self, asset: Asset) -> AssetCosts:
        """The asset's row (an own one computed once for the item: :func:`itamctl.sharing.per_item`)."""
        registry, as_of, links = self.registry, self.as_of, self.links
        if not self.own(asset):
            return asset_costs(asset, registry, as_of, links=links)
        return per_item("costs", asset, registry.settings, as_of, _unlinked_costs, asset, registry, as_of, links)


def _cells_report(registry: Registry, as_of: date, rows: Rows, cells: Cells) -> CostsReport:
    from itamctl.sharing import per_chunk_items

    own = [a for a in registry.assets if rows.own(a)]
    row = rows.of

    def part(assets: list[Asset]) -> tuple[list[tuple[str, ...]], CostTotals]:
        found = list(map(row, assets))
        return [cells(r) for r in found], CostTotals.of(None, found)

    context = ("cells", cells.__module__, cells.__qualname__)
    parts = per_chunk_items("costs cells", registry, own, registry.settings, as_of, context, part, _freeze_cells,
                            _thaw_cells)
    by_item: dict[int, tuple[str, ...]] = {}
    totals: list[CostTotals] = []
    for assets, (shown, sums) in parts:
        by_item.update(zip(map(id, assets), shown, strict=True))
        totals.append(sums)
    linked = [row(a) for a in registry.assets if id(a) not in by_item]
    by_item.update(zip(map(id, (r.asset for r in linked)), map(cells, linked), strict=True))
    totals.append(CostTotals.of(None, linked))
    table = tuple(by_item[id(a)] for a in registry.assets)
    return CostsReport(as_of, registry.settings.currency, (), CostTotals.combined(totals), rows=table)


def _freeze_cells(part: tuple[list[tuple[str, ...]], CostTotals]) -> tuple:
    rows, sums = part
    return tuple(rows), sums.count, tuple(str(getattr(sums, name)) for name in MONEY_FIELDS)


def _thaw_cells(kept: object) -> tuple[list[tuple[str, ...]], CostTotals] | None:
    try:
        rows, count, sums = kept  # type: ignore[misc]
        if not (isinstance(rows, tuple) and all(type(r) is tuple for r in rows) and type(count) is int):
            return None
        return list(rows), CostTotals(None, count, **dict(zip(MONEY_FIELDS, map(Decimal, sums), strict=True)))
    except (TypeError, ValueError, ArithmeticError):
        return None


def group_totals(items: Iterable[AssetCosts], by: str) -> tuple[CostTotals, ...]:
    """One :class:`CostTotals` per value of ``by`` (:data:`GROUP_KEYS`), sorted by key, ``None`` last."""
    key_of = GROUP_KEYS[by]
    buckets: dict[str | None, list[AssetCosts]] = {}
    for item in items:
        buckets.setdefault(key_of(item.asset), []).append(item)
    order = sorted(buckets, key=lambda k: (k is None, k or ""))
    return tuple(CostTotals.of(k, buckets[k]) for k in order)


def regrouped(report: CostsReport, by: str) -> CostsReport:
    """The same report grouped ``by`` another field (nothing is computed again)."""
    return replace(report, by=by, groups=group_totals(report.items, by))


@dataclass(frozen=True)
class VendorSpend:
    """What was spent with one vendor by ``as_of`` (report currency, cents)."""

    vendor: str
    assets: Decimal = ZERO  # purchase cost of the assets bought from them and purchased by as_of
    licenses: Decimal = ZERO  # their licenses' payments due on or before as_of
    contracts: Decimal = ZERO  # their contracts' payments due on or before as_of

    @property
    def total(self) -> Decimal:
        return self.assets + self.licenses + self.contracts

    def to_json(self) -> dict:
        return {"vendor": self.vendor, **{name: money_str(getattr(self, name))
                                          for name in ("assets", "licenses", "contracts", "total")}}


def _paid(items: Iterable[License | Contract], settings: Settings, as_of: date) -> Decimal:
    """Every payment of ``items`` due on or before ``as_of``, each converted on its due date (exact)."""
    total = ZERO
    for item in items:
        try:
            total += sum((settings.fx.convert(p.amount, p.date) for p in payments_in(item, None, as_of)), ZERO)
        except MissingRate as exc:
            raise _missing_rate(item, exc) from None
    return total


def vendor_spend(registry: Registry, report: CostsReport) -> tuple[VendorSpend, ...]:
    """Per vendor (every vendor file and every vendor an item names, sorted by id): assets bought from
    them (``report``'s purchase cost per purchase vendor) + their licenses' and contracts' payments due
    on or before ``report.as_of``."""
    bought = {g.key: g.cost for g in group_totals(report.items, "vendor") if g.key is not None}
    names = {v.id for v in registry.vendors} | set(bought)
    names |= {i.vendor for i in (*registry.licenses, *registry.contracts) if i.vendor}
    settings = registry.settings
    return tuple(
        VendorSpend(
            vendor=v,
            assets=bought.get(v, ZERO),
            licenses=cents(_paid((i for i in registry.licenses if i.vendor == v), settings, report.as_of)),
            contracts=cents(_paid((i for i in registry.contracts if i.vendor == v), settings, report.as_of)),
        )
        for v in sorted(names))
