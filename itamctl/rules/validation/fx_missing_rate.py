"""Every amount in a foreign currency has an exchange rate dated on or before its date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.diagnostics import Diagnostic
from itamctl.model import Item, Registry
from itamctl.money import Money

ID = "fx_missing_rate"
DESCRIPTION = "foreign-currency amounts have an fx rate in Settings dated on or before them"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    fx = registry.settings.fx

    def need(item: Item, path: tuple, money: Money | None, on: date | None) -> Iterator[Diagnostic]:
        if money is None or on is None or money.currency == fx.currency:
            return
        if not fx.has_rate(money.currency, on):
            when = "at all" if on == date.max else f"dated on or before {on}"
            yield item.diagnostic(
                path, ID,
                f"no exchange rate for {money.currency} {when}: add one to "
                f"Settings `fx` (1 {money.currency} = ? {fx.currency})",
            )

    for a in registry.assets:
        bought = a.purchase.date if a.purchase else None
        if a.purchase:
            yield from need(a, ("purchase", "cost"), a.purchase.cost, bought)
        if a.depreciation and a.depreciation.salvage:
            yield from need(a, ("depreciation", "salvage"), a.depreciation.salvage, bought)
        # A replacement is bought in the future: any rate for its currency will do.
        yield from need(a, ("replacement_cost",), a.replacement_cost, date.max if a.replacement_cost else None)
        for m in a.maintenance:
            yield from need(a, ("maintenance", m.index, "cost"), m.cost, m.date)
        if a.disposal:
            yield from need(a, ("disposal", "cost"), a.disposal.cost, a.disposal.date)
            yield from need(a, ("disposal", "proceeds"), a.disposal.proceeds, a.disposal.date)
    for item in (*registry.licenses, *registry.contracts):
        yield from need(item, ("cost",), item.cost, item.start)
