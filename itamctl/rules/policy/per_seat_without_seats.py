"""A license priced per seat has no ``seats``: it would be budgeted at zero."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding

ID = "per_seat_without_seats"
DESCRIPTION = "a license with per_seat: true has no seats, so its payments, costs and budget are zero"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for lic in registry.licenses:
        if lic.per_seat and lic.seats is None and lic.cost is not None:
            yield Finding(lic, ("per_seat",),
                          f"{lic.id} is priced per seat but has no `seats`: it costs 0 in every report; "
                          "set `seats` to the number bought")
