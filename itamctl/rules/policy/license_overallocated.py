"""A license is assigned to more people or assets than it has seats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding

ID = "license_overallocated"
TITLE = "License over-allocated"  # optional; else derived from the id
DESCRIPTION = "a license has more (distinct) assignments than seats"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for lic in registry.licenses:
        if lic.seats is None:
            continue
        seen: set[str] = set()  # a set: a list made this O(seats²) a license
        first_over: int | None = None
        for index, holder in enumerate(lic.assigned_to):
            if holder in seen:
                continue
            seen.add(holder)
            if len(seen) == lic.seats + 1:
                first_over = index
        if first_over is not None:
            yield Finding(lic, ("assigned_to", first_over),
                          f"{lic.id} has {lic.seats} seat{'s' * (lic.seats != 1)} but {len(seen)} assignments "
                          f"({len(seen) - lic.seats} over, from {lic.assigned_to[first_over]!r} on); "
                          "buy seats or remove assignments")
