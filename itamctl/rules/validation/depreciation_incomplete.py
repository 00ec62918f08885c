"""Depreciation settings are complete enough to compute a schedule.

``straight_line`` and ``declining_balance`` need ``life_months``; ``macrs``
needs ``class_years``; a salvage above the cost is a warning (nothing depreciates). Category defaults are
checked once, on the Settings line; an asset's own block is checked merged
over its category default (fields it omits are inherited).
"""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.facts import depreciation_spec
from itamctl.model import Depreciation, Registry
from itamctl.money import MissingRate

ID = "depreciation_incomplete"
DESCRIPTION = "depreciation has what its method needs (life_months, class_years) and salvage within cost"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def _missing(spec: Depreciation) -> str | None:
    if spec.method in ("straight_line", "declining_balance") and not spec.life_months:
        return f"method {spec.method} needs `life_months`"
    if spec.method == "macrs" and not spec.class_years:
        return "method macrs needs `class_years` (3, 5 or 7)"
    return None


def check(registry: Registry) -> Iterator[Diagnostic]:
    settings = registry.settings
    if settings.doc is not None:
        for name, category in settings.categories.items():
            problem = category.depreciation and _missing(category.depreciation)
            if problem:
                path = ("categories", name, "depreciation")
                yield settings.doc.diagnostic(path, ID, f"category '{name}': {problem}")
    for asset in registry.assets:
        if asset.depreciation is None:
            continue
        spec = depreciation_spec(asset, settings)
        problem = _missing(spec)
        if problem:
            yield asset.diagnostic(("depreciation",), ID, f"{problem} (in the asset or its category default)")
        cost = asset.purchase.cost if asset.purchase else None
        if spec.salvage is not None and cost is not None and asset.purchase.date is not None:
            try:
                fx = settings.fx
                over = fx.convert(spec.salvage, asset.purchase.date) > fx.convert(cost, asset.purchase.date)
            except MissingRate:
                continue  # reported by fx_missing_rate
            if over:
                yield asset.diagnostic(("depreciation", "salvage"), ID,
                                       f"salvage {spec.salvage} is more than the purchase cost {cost}: "
                                       "the asset will not depreciate", Severity.WARNING)
