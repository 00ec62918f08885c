"""One budget line and the facts it can be grouped by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itamctl.errors import FatalError
from itamctl.model import Item, Settings
from itamctl.money import MissingRate, Money, cents
from itamctl.quickinit import quick_init

NONE_KEY = "none"


@quick_init
@dataclass(frozen=True, slots=True)
class Line:
    """A forecast line: ``amount`` is exact, in the report currency; ``reported`` is it in cents."""

    id: str
    name: str
    kind: str  # replacement | license | contract | maintenance
    date: date
    amount: Decimal
    note: str = ""
    category: str = NONE_KEY
    cost_center: str = NONE_KEY
    vendor: str = NONE_KEY
    service_level: str = NONE_KEY

    @property
    def reported(self) -> Decimal:
        return cents(self.amount)

    def key(self, by: str) -> str:
        """The group this line belongs to for ``--by`` (kind, category, cost_center, vendor, service_level)."""
        return str(getattr(self, by))


def convert(settings: Settings, item: Item, path: tuple, money: Money, on: date) -> Decimal:
    """``money`` in the report currency at the rate of ``on`` (the latest known rate for a future date)."""
    try:
        return settings.fx.convert(money, on)
    except MissingRate as exc:
        position = item.doc.position(path)
        raise FatalError(
            f"{item.id}: {exc}; add a rate for {money.currency} to Settings `fx`",
            file=item.file, line=position.line,
        ) from exc
