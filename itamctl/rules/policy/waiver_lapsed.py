"""A waiver's ``until`` date has passed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.model import Registry
from itamctl.rules.finding import Finding
from itamctl.rules.waivers import lapsed

ID = "waiver_lapsed"
DESCRIPTION = "a waiver's `until` date has passed; remove it or extend it with a new reason"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for item in (*registry.assets, *registry.licenses, *registry.contracts):
        if getattr(item, "retired", False):
            continue
        for waiver in lapsed(item, as_of):
            yield Finding(item, ("waivers", waiver.index, "until"),
                          f"{item.id}: the waiver of {waiver.rule} lapsed after {waiver.until.isoformat()} "
                          f"({waiver.reason}); remove it or extend it with a new reason")
