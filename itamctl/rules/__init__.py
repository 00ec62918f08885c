"""Cross-file validation rules.

One module per rule (as yamllint does): each has an ``ID``, a one-line
``DESCRIPTION`` and a ``check(registry)`` generator of diagnostics. They run on
the typed :class:`~itamctl.model.Registry`, after schema validation; rules that
must see every document (valid or not) read ``registry.documents``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry
from itamctl.rules import (
    date_order,
    depreciation,
    disposal_required,
    duplicate_id,
    fx_rate,
    portable_names,
    references,
    secrets,
    subscription_end,
)

RULES: tuple[ModuleType, ...] = (
    duplicate_id,
    references,
    date_order,
    disposal_required,
    subscription_end,
    secrets,
    fx_rate,
    depreciation,
    portable_names,
)


def run_rules(registry: Registry) -> Iterator[Diagnostic]:
    for rule in RULES:
        yield from rule.check(registry)
