"""A waiver's ``until`` date has passed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.model import Asset, Contract, License
from itamctl.rules.finding import Finding, Scope
from itamctl.rules.waivers import lapsed

ID = "waiver_lapsed"
DESCRIPTION = "a waiver's `until` date has passed; remove it or extend it with a new reason"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("assets", "licenses", "contracts")


def check_items(items: Iterable[Asset | License | Contract], as_of: date, scope: Scope) -> Iterator[Finding]:
    for item in items:
        if getattr(item, "retired", False):
            continue
        for waiver in lapsed(item, as_of):
            yield Finding(item, ("waivers", waiver.index, "until"),
                          f"{item.id}: the waiver of {waiver.rule} lapsed after {waiver.until.isoformat()} "
                          f"({waiver.reason}); remove it or extend it with a new reason")
