"""Waivers: an item's ``waivers: [{rule, until, reason}]`` suppress a rule through ``until``.

``until`` is the last day the waiver applies (inclusive). Every rule gets this
for free: the runner asks :func:`waived` before reporting a finding.
"""

from __future__ import annotations

from datetime import date

from itamctl import facts
from itamctl.model import Item, Waiver


def waivers_of(item: Item) -> tuple[Waiver, ...]:
    return getattr(item, "waivers", ())


def live_waiver(item: Item, rule: str, as_of: date) -> Waiver | None:
    """The waiver on ``item`` that suppresses ``rule`` on ``as_of``, if any (:func:`itamctl.facts.live_waiver`)."""
    return facts.live_waiver(item, rule, as_of)


def waived(item: Item, rule: str, as_of: date) -> bool:
    return live_waiver(item, rule, as_of) is not None


def lapsed(item: Item, as_of: date) -> list[Waiver]:
    """Waivers whose ``until`` is before ``as_of``: to be removed or renewed with a new reason."""
    return [w for w in waivers_of(item) if w.until < as_of]
