"""What a policy rule yields: the item, the value it is about, and a message.

The runner (:func:`itamctl.rules.run_policy`) turns findings into diagnostics (:func:`diagnostics`):
it sets the rule id and the severity configured in Settings ``policy``, and drops findings
that a live waiver on the item covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from itamctl.model import Item, Settings
from itamctl.quickinit import quick_init

if TYPE_CHECKING:
    from itamctl.diagnostics import Diagnostic, Severity
    from itamctl.rules import Rule
    from itamctl.tracking.events import Event


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    item: Item = field(repr=False)
    path: tuple[str | int, ...]  # the offending value, for file:line
    message: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What a rule that judges items one at a time (``check_items``) may read beside each item: the
    Settings, an item's events on the as-of date, and what the rule's own ``context(registry, as_of)``
    returned (None without one). Nothing else of the registry: the runner keeps such a rule's findings
    of a chunk of files across runs, keyed by those items, the Settings, the date and that context."""

    settings: Settings
    events: Callable[[Item], Sequence[Event]]
    context: Any = None


def diagnostics(rule: Rule, level: Severity, findings: Iterable[Finding], settings: Settings, as_of: date
                ) -> Iterator[Diagnostic]:
    """A policy rule's findings as diagnostics at ``level``: retired and disposed items exempt, waivers
    applied."""
    from itamctl.rules.waivers import waived
    from itamctl.sharing import per_item

    for finding in findings:
        item = finding.item
        if getattr(item, "retired", False) or (rule.waivable and waived(item, rule.id, as_of)):
            continue
        # the same finding of the very same item (diff's sides): its position is looked up once
        yield per_item(("policy finding", rule.id, tuple(finding.path), finding.message, level), item, settings,
                       as_of, item.diagnostic, finding.path, rule.id, finding.message, level)
