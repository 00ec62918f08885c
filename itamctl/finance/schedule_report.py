"""The depreciation report of one asset: its schedule per fiscal year as of a date (``itamctl depreciation``).

Built once by :func:`schedule_view` and used by the command and the site alike;
``to_json()`` is its JSON form (see :mod:`itamctl.render.depreciation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itamctl.facts import depreciation_spec
from itamctl.finance.depreciation import Carrying, DepreciationSchedule, depreciation_schedule
from itamctl.model import Asset, Settings
from itamctl.money import money_str


@dataclass(frozen=True)
class ScheduleView:
    """The asset, its schedule (``None`` when not bought or without a cost) and the as-of date."""

    asset: Asset
    method: str
    currency: str
    as_of: date
    schedule: DepreciationSchedule | None

    @property
    def carrying(self) -> Carrying | None:
        """The figures on ``as_of`` in cents; ``None``: not purchased yet (planned, ordered, bought later)."""
        return self.schedule.carrying(self.as_of) if self.schedule else None

    def to_json(self) -> dict:
        """Money as strings; ``null`` where the asset is not purchased yet (never ``"0.00"``)."""
        s, now = self.schedule, self.carrying
        at_disposal = s.at_disposal if s else None
        return {
            "id": self.asset.id,
            "name": self.asset.name,
            "method": self.method,
            "currency": self.currency,
            "as_of": self.as_of.isoformat(),
            "purchased": now is not None,
            "purchase_date": s.purchase_date.isoformat() if s else None,
            "cost": money_str(s.cost) if s else None,
            "salvage": money_str(s.salvage) if s else None,
            "accumulated_depreciation": money_str(now.accumulated) if now else None,
            "write_off": money_str(now.write_off) if now else None,
            "book_value": money_str(now.book_value) if now else None,
            "disposal": (
                {"date": s.disposal_date.isoformat(),
                 "written_off": money_str(at_disposal.write_off),
                 "proceeds": money_str(s.disposal_proceeds),
                 "gain_or_loss": money_str(at_disposal.gain_or_loss)}
                if s and s.disposal_date and at_disposal and at_disposal.gain_or_loss is not None else None
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
