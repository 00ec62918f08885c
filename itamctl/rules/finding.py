"""What a policy rule yields: the item, the value it is about, and a message.

The runner (:func:`itamctl.rules.run_policy`) turns findings into diagnostics: it sets the
rule id and the severity configured in Settings ``policy``, and drops findings
that a live waiver on the item covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itamctl.model import Item
from itamctl.quickinit import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    item: Item = field(repr=False)
    path: tuple[str | int, ...]  # the offending value, for file:line
    message: str
