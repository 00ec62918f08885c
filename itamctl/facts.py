"""Lifecycle facts: one function per fact, each a pure function of (item, settings, as_of).

Every report, policy rule, budget, expiry listing, diff and site page asks
these functions; none works a fact out on its own. Conventions (documented
for users in ``docs/conventions.md``):

* **Months.** ``add_months`` moves a date by whole calendar months, clamped to
  the end of shorter months (2024-01-31 + 1 month = 2024-02-29).
* **Derived warranty end.** An asset without ``warranty.end`` is covered for
  its category's ``warranty_months`` from the purchase date: the last covered
  day is purchase date + months − 1 day (bought 2024-03-15 with 36 months:
  covered through 2027-03-14).
* **Purchased.** An asset is purchased once its status is past ``ordered``
  and its purchase date has come; ``planned`` and ``ordered`` assets are "not
  purchased yet": they cost and depreciate nothing. It is owned from the
  purchase date up to the day before its disposal date.
* **Months in service** (TCO per month, depreciation): the purchase month counts in full from the
  purchase date; every later month counts once it has ended (bought 2026-11-30: one month on
  2026-12-01). Nothing depreciates in the month of disposal.
* **Terms.** A license or contract runs from ``start`` through the end of its
  current term: the recorded ``end``, rolled forward by ``renewal_months``
  (default: the first term's length) while ``renewal: auto``. The cancel-by
  date of an auto-renewing item with ``notice_days`` is the current term's
  end − ``notice_days``; items that do not renew by themselves have none.
* **Payment anchoring.** Payments fall on ``start`` and every billing period
  after it (``monthly`` 1, ``quarterly`` 3, ``yearly`` 12 months, clamped like
  any month step; ``once``: once per term, on the term's first day).
* **Audit due.** ``last_audit`` (else the purchase date) + Settings
  ``audit.interval_months``, for assets in service.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from itamctl.dates import add_days, add_months, months_between
from itamctl.model import DEPRECIATION_FIELDS, IN_SERVICE, Asset, Contract, Depreciation, License, Settings, Waiver
from itamctl.money import Money
from itamctl.quickinit import quick_init

BILLING_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
Billable = License | Contract
ONE_DAY = timedelta(days=1)

#: Statuses of assets not bought yet, whatever their purchase date says.
NOT_PURCHASED = frozenset({"planned", "ordered"})


# --- assets -------------------------------------------------------------------------------

def depreciation_spec(asset: Asset, settings: Settings) -> Depreciation:
    """The asset's own depreciation over its category's default, field by field; else ``none``.

    Fields the asset omits fall back to the category's (an asset may set only
    ``salvage`` and inherit method and life).
    """
    category = settings.categories.get(asset.category)
    default = category.depreciation if category is not None else None
    if asset.depreciation is None:
        return default if default is not None else Depreciation(method="none")
    if default is None:
        return asset.depreciation
    given = asset.depreciation.given
    if given is None:  # made by hand, not from a document's fields: what the document says
        given = tuple(asset.doc.data.get("depreciation") or ())
    return replace(default, **{name: getattr(asset.depreciation, name) for name in DEPRECIATION_FIELDS
                               if name in given})


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


def purchase_date(asset: Asset) -> date | None:
    return asset.purchase.date if asset.purchase else None


def purchased(asset: Asset, as_of: date) -> bool:
    """Bought on or before ``as_of``: past ``ordered``, with a purchase date that has come."""
    bought = purchase_date(asset)
    return asset.status not in NOT_PURCHASED and bought is not None and bought <= as_of


def in_service_interval(asset: Asset) -> tuple[date, date | None] | None:
    """``(first day owned, last day owned)``; ``None`` when not bought (planned, ordered, no date).

    The last day is the day before the disposal date (``None``: still owned).
    """
    bought = purchase_date(asset)
    if asset.status in NOT_PURCHASED or bought is None:
        return None
    last = asset.disposal.date - ONE_DAY if asset.disposal is not None else None
    return bought, last


def months_in_service(asset: Asset, as_of: date) -> int:
    """Months of service by ``as_of``: the purchase month counts in full from the purchase date, every later
    month once it has ended (on its last day), up to the last day owned; 0 when not purchased by ``as_of``.

    Bought 2026-11-30: one month on 2026-12-01, two on 2026-12-31. Depreciation counts the same months
    (except that nothing depreciates in the month of disposal, see ``finance.depreciation``).
    """
    interval = in_service_interval(asset)
    if interval is None:
        return 0
    first, last = interval
    return months_counted(first, as_of if last is None else min(as_of, last))


def months_counted(first: date, end: date) -> int:
    """Months from ``first`` through ``end``: ``first``'s month in full, each later month once it has ended.

    0 when ``end`` is before ``first``.
    """
    if end < first:
        return 0
    return max(1, months_between(first, add_days(end, 1)))


def owned_on(asset: Asset, day: date) -> bool:
    interval = in_service_interval(asset)
    if interval is None:
        return False
    first, last = interval
    return first <= day and (last is None or day <= last)


@quick_init
@dataclass(frozen=True, slots=True)
class WarrantyEnd:
    date: date
    derived: bool  # from the purchase date and the category's warranty_months
    path: tuple[str, ...]  # the value the date comes from, for file:line


def cover_end(start: date, months: int) -> date:
    """Last day of a cover of ``months`` from ``start``: ``start`` + months − 1 day."""
    return add_months(start, months) - ONE_DAY


def warranty_end(asset: Asset, settings: Settings) -> WarrantyEnd | None:
    """The last day of cover: ``warranty.end``, else purchase date + category ``warranty_months`` − 1 day.

    A default is derived only for an asset that was bought (not ``planned`` or ``ordered``).
    """
    if asset.warranty and asset.warranty.end:
        return WarrantyEnd(asset.warranty.end, False, ("warranty", "end"))
    category = settings.categories.get(asset.category)
    bought = purchase_date(asset)
    if category is None or not category.warranty_months or bought is None or asset.status in NOT_PURCHASED:
        return None
    return WarrantyEnd(cover_end(bought, category.warranty_months), True, ("purchase", "date"))


def planned_end_of_life(asset: Asset, settings: Settings) -> date | None:
    """``end_of_life`` if set, else purchase date + service life; ``None`` when unknown."""
    if asset.end_of_life is not None:
        return asset.end_of_life
    months = service_life_months(asset, settings)
    bought = purchase_date(asset)
    if months and bought:
        return add_months(bought, months)
    return None


def audit_due(asset: Asset, settings: Settings) -> tuple[date, tuple[str, ...]] | None:
    """When the next audit is due and the value it counts from; ``None`` when none is due."""
    months = settings.audit_interval_months
    if not months or asset.status not in IN_SERVICE:
        return None
    if asset.last_audit:
        return add_months(asset.last_audit, months), ("last_audit",)
    bought = purchase_date(asset)
    if bought:
        return add_months(bought, months), ("purchase", "date")
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


# --- licenses and contracts: terms ---------------------------------------------------------

def renewal_months(item: Billable) -> int:
    """Length of a renewal term in months."""
    months = getattr(item, "renewal_months", None)
    if months:
        return months
    if item.start and item.end:
        return max(1, months_between(item.start, item.end + ONE_DAY))
    return 12


def renews(item: Billable, *, include_manual: bool = False) -> bool:
    """Whether the item renews: ``auto`` always; ``manual`` only when asked (budget forecasts)."""
    return item.renewal == "auto" or (include_manual and item.renewal == "manual")


def term_end(item: Billable, k: int) -> date | None:
    """End of the k-th renewal term (k = 0 is the recorded ``end``)."""
    if item.end is None:
        return None
    return add_months(item.end + ONE_DAY, k * renewal_months(item)) - ONE_DAY


def current_term_end(item: Billable, as_of: date, *, include_manual: bool = False) -> date | None:
    """The end of the term running on ``as_of``: the recorded end, rolled forward while it renews."""
    end = item.end
    if end is None or end >= as_of or not renews(item, include_manual=include_manual):
        return end
    k = 1
    while (end := term_end(item, k)) is not None and end < as_of:
        k += 1
    return end


def current_term(item: Billable, as_of: date) -> tuple[date | None, date | None]:
    """``(first day, last day)`` of the term running on (or last ended before) ``as_of``."""
    end = current_term_end(item, as_of)
    if end is None or item.end is None or end == item.end:
        return item.start, end
    return add_months(end + ONE_DAY, -renewal_months(item)), end


def running_on(item: Billable, day: date) -> bool:
    """Started on or before ``day`` and its current term (renewals included) not ended before it."""
    if item.start is None or item.start > day:
        return False
    end = current_term_end(item, day)
    return end is None or end >= day


def cancel_by(item: Billable, as_of: date) -> date | None:
    """Last day to cancel an auto-renewing item: current term end − ``notice_days``; else ``None``."""
    if not renews(item) or item.notice_days is None:
        return None
    end = current_term_end(item, as_of)
    return None if end is None else end - timedelta(days=item.notice_days)


def closed(item: Billable, as_of: date) -> bool:
    """Ended and over with: ``renewal: none``, its end before ``as_of``, and (a license) nothing assigned to it.

    A closed item's end is history, not something to act on: ``expiries`` leaves it out unless asked
    (``--all``). An item that ended with ``renewal: manual`` is not closed: someone has to decide.
    """
    if item.renewal != "none" or item.end is None or item.end >= as_of:
        return False
    return not getattr(item, "assigned_to", ())


# --- waivers -------------------------------------------------------------------------------

def live_waiver(item: object, rule: str, as_of: date) -> Waiver | None:
    """The waiver on ``item`` that suppresses ``rule`` on ``as_of`` (``until`` is inclusive), if any."""
    for waiver in getattr(item, "waivers", ()):
        if waiver.rule == rule and waiver.until >= as_of:
            return waiver
    return None


# --- licenses and contracts: payments ------------------------------------------------------

@quick_init
@dataclass(frozen=True, slots=True)
class Payment:
    date: date
    amount: Money  # in the item's own currency; convert with Settings.fx on ``date``
    renewal: bool  # falls in a renewal term (after the recorded end)


def payment_dates(item: Billable, until: date, *, renewals: bool | None = None) -> Iterator[tuple[date, bool]]:
    """Payment dates on or before ``until``, each with whether it falls in a renewal term.

    ``renewals``: follow renewal terms (default: when ``renewal: auto``).
    """
    if item.start is None or item.cost is None:
        return
    follow = renews(item) if renewals is None else renewals
    last = None if (follow or item.end is None) else item.end
    step = BILLING_MONTHS.get(item.billing)
    if step is None:  # once: once per term
        k = 0
        day = item.start
        while day <= until and (last is None or day <= last):
            yield day, k > 0
            if item.end is None:
                return
            k += 1
            day = term_end(item, k - 1) + ONE_DAY
        return
    n = 0
    while True:
        day = add_months(item.start, n * step)
        if day > until or (last is not None and day > last):
            return
        yield day, item.end is not None and day > item.end
        n += 1


def payments(item: Billable, until: date, *, renewals: bool | None = None) -> list[Payment]:
    """Payments of ``item`` due on or before ``until`` (amount: cost × seats when per seat)."""
    return payments_in(item, None, until, renewals=renewals)


def payments_in(item: Billable, start: date | None, end: date, *, renewals: bool | None = None) -> list[Payment]:
    """Payments due from ``start`` (``None``: the first) through ``end``, both inclusive."""
    amount = item.payment
    if amount is None:
        return []
    return [Payment(day, amount, renewal) for day, renewal in payment_dates(item, end, renewals=renewals)
            if start is None or day >= start]


def annual_cost(item: Billable) -> Money | None:
    """What the item costs a year at its current price, in its own currency.

    One billing period's payment (:attr:`License.payment`: × seats when per seat) times the periods in
    twelve months: ``monthly`` × 12, ``quarterly`` × 4, ``yearly`` × 1. ``once`` pays once per term, so
    the payment × 12 / the term's months (:func:`renewal_months`); an item paid once with no ``end``
    (a perpetual license) has no yearly cost: ``None``, as for an item without a cost.
    """
    amount = item.payment
    if amount is None:
        return None
    step = BILLING_MONTHS.get(item.billing)
    if step is None:
        if item.end is None:
            return None
        step = renewal_months(item)
    return Money(amount.amount * 12 / step, amount.currency)
