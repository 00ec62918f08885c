"""When licenses and contracts are paid, and when their terms end.

A license or contract pays on its ``start`` date and then every billing period
(``monthly`` 1, ``quarterly`` 3, ``yearly`` 12 months; ``once`` pays once per
term) through its ``end``. When it renews, further terms of ``renewal_months``
(default: the length of the first term) follow the end, and payments go on at
the same cadence. Callers decide whether renewals count: TCO follows
``renewal: auto`` only, a budget forecast also follows ``manual`` ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from itamctl.dates import add_months, months_between
from itamctl.model import Contract, License
from itamctl.money import Money

BILLING_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
Billable = License | Contract


@dataclass(frozen=True, slots=True)
class Payment:
    date: date
    amount: Money  # in the item's own currency; convert with Settings.fx on ``date``
    renewal: bool  # falls in a renewal term (after the recorded end)


def renewal_months(item: Billable) -> int:
    """Length of a renewal term in months."""
    months = getattr(item, "renewal_months", None)
    if months:
        return months
    if item.start and item.end:
        return max(1, months_between(item.start, item.end + timedelta(days=1)))
    return 12


def renews(item: Billable, *, include_manual: bool = False) -> bool:
    return item.renewal == "auto" or (include_manual and item.renewal == "manual")


def term_end(item: Billable, k: int) -> date | None:
    """End of the k-th renewal term (k = 0 is the recorded ``end``)."""
    if item.end is None:
        return None
    return add_months(item.end + timedelta(days=1), k * renewal_months(item)) - timedelta(days=1)


def current_term_end(item: Billable, as_of: date, *, include_manual: bool = False) -> date | None:
    """The end of the term running on ``as_of``: the recorded end, rolled forward while it renews."""
    end = item.end
    if end is None or end >= as_of or not renews(item, include_manual=include_manual):
        return end
    k = 1
    while (end := term_end(item, k)) is not None and end < as_of:
        k += 1
    return end


def payment_dates(item: Billable, until: date, *, renewals: bool | None = None) -> Iterator[tuple[date, bool]]:
    """Payment dates on or before ``until``, each with whether it falls in a renewal term."""
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
            day = term_end(item, k - 1) + timedelta(days=1)
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
    amount = item.payment
    if amount is None:
        return []
    return [Payment(day, amount, renewal) for day, renewal in payment_dates(item, until, renewals=renewals)]
