"""Per-asset lifecycle facts derived from the asset and its category defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from itamctl.dates import add_months
from itamctl.model import Asset, Depreciation, Settings
from itamctl.money import Money


def depreciation_spec(asset: Asset, settings: Settings) -> Depreciation:
    """The asset's own depreciation over its category's default, field by field; else ``none``.

    As the schema documents, fields the asset omits fall back to the category's
    (an asset may set only ``salvage`` and inherit method and life).
    """
    category = settings.categories.get(asset.category)
    default = category.depreciation if category is not None else None
    if asset.depreciation is None:
        return default if default is not None else Depreciation(method="none")
    if default is None:
        return asset.depreciation
    given = asset.doc.data.get("depreciation") or {}
    return replace(default, **{
        name: getattr(asset.depreciation, name)
        for name in ("method", "life_months", "salvage", "factor", "class_years", "convention")
        if name in given
    })


def service_life_months(asset: Asset, settings: Settings) -> int | None:
    """How long the asset is meant to serve: category life, else its depreciation life."""
    category = settings.categories.get(asset.category)
    if category is not None and category.life_months:
        return category.life_months
    spec = depreciation_spec(asset, settings)
    if spec.life_months:
        return spec.life_months
    if spec.method == "macrs" and spec.class_years:
        return spec.class_years * 12
    return None


def planned_end_of_life(asset: Asset, settings: Settings) -> date | None:
    """``end_of_life`` if set, else purchase date + service life; ``None`` when unknown."""
    if asset.end_of_life is not None:
        return asset.end_of_life
    months = service_life_months(asset, settings)
    if months and asset.purchase and asset.purchase.date:
        return add_months(asset.purchase.date, months)
    return None


def replacement_cost(asset: Asset, settings: Settings) -> Money | None:
    """``replacement_cost``, else the category's, else the purchase cost."""
    if asset.replacement_cost is not None:
        return asset.replacement_cost
    category = settings.categories.get(asset.category)
    if category is not None and category.replacement_cost is not None:
        return category.replacement_cost
    return asset.purchase.cost if asset.purchase else None


def maintenance_factor(asset: Asset, settings: Settings) -> Decimal:
    """The service level's budget multiplier (1 when the asset has none)."""
    level = settings.service_levels.get(asset.service_level or "")
    return level.maintenance_factor if level else Decimal(1)
