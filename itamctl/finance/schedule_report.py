"""The depreciation report of one asset: its schedule per fiscal year as of a date (``itamctl depreciation``).

Built once by :func:`schedule_view` and used by the command and the site alike;
``to_json()`` is its JSON form (see :mod:`itamctl.render.depreciation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itamctl.facts import depreciation_spec
from itamctl.finance.depreciation import DepreciationSchedule, depreciation_schedule
from itamctl.model import Asset, Settings
from itamctl.money import ZERO, money_str


@dataclass(frozen=True)
class ScheduleView:
    """What the command shows: the asset, its schedule (``None`` without a purchase) and the as-of date."""

    asset: Asset
    method: str
    currency: str
    as_of: date
    schedule: DepreciationSchedule | None

    def to_json(self) -> dict:
        s = self.schedule
        return {
            "id": self.asset.id,
            "name": self.asset.name,
            "method": self.method,
            "currency": self.currency,
            "as_of": self.as_of.isoformat(),
            "purchase_date": s.purchase_date.isoformat() if s else None,
            "cost": money_str(s.cost) if s else None,
            "salvage": money_str(s.salvage) if s else None,
            "accumulated_depreciation": money_str(s.carrying(self.as_of).accumulated if s else ZERO),
            "book_value": money_str(s.carrying(self.as_of).book_value if s else ZERO),
            "disposal": (
                {"date": s.disposal_date.isoformat(), "written_off": money_str(s.value_at_disposal)}
                if s and s.disposal_date else None
            ),
            "periods": [
                {"period": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(),
                 "depreciation": money_str(p.depreciation), "book_value": money_str(p.book_value)}
                for p in (s.reported_periods() if s else ())
            ],
        }


def schedule_view(asset: Asset, settings: Settings, as_of: date) -> ScheduleView:
    """The depreciation report of ``asset`` as of ``as_of``."""
    return ScheduleView(asset, depreciation_spec(asset, settings).method, settings.currency, as_of,
                        depreciation_schedule(asset, settings))
