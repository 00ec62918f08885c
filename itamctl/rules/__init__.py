"""The rule registry: every cross-file check of itamctl, in two groups.

A rule is a module named after its id, in one of two folders:

- :mod:`itamctl.rules.validation`: always on, date-free, not waivable
  (``itamctl validate`` and ``itamctl check``);
- :mod:`itamctl.rules.policy`: dated, severity configurable in Settings
  ``policy``, waivable per item (``itamctl check`` only).

Each module declares::

    ID = "expired_warranty"              # = the module name
    DESCRIPTION = "one line, lower case"  # help text, schema and docs
    DEFAULT_SEVERITY = "error"           # error | warning | notice
    TAKES_AS_OF = True                   # check(registry, as_of) rather than check(registry)
    WAIVABLE = True                      # an item's waivers can suppress it
    TITLE = "Expired warranty"           # optional: a title for the schema (else from the id)

    def check(registry, as_of): ...      # yields findings

A policy rule that judges items one at a time declares instead what it
judges and how, so that its findings of unchanged files are kept across runs
(:mod:`itamctl.rules.itemwise`)::

    ITEMS = ("assets",)                       # of assets, licenses, contracts
    def context(registry, as_of): ...         # optional: what else it reads (a value with a stable repr)
    def check_items(items, as_of, scope): ... # yields findings about those items alone

The modules are discovered, not listed: adding a rule is one new module (plus
its test). What is derived from this registry — Settings ``policy`` keys in
the settings schema, the waiver ``rule`` examples, the rule table in
docs/rules.md, ``itamctl check --help`` — is checked against it by
tests/unit/rules/test_rule_registry.py; ``python -m itamctl.rules.sync`` rewrites the
generated files after a change.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.model import Registry, Settings

if TYPE_CHECKING:
    from itamctl.rules.finding import Scope

GROUPS = ("validation", "policy")

#: Reported (as a warning) when a waiver names no waivable rule: a typo would silently waive nothing.
UNKNOWN_WAIVER = "waiver_unknown_rule"


@dataclass(frozen=True)
class Rule:
    """One registered rule: its declarations and its module."""

    id: str
    group: str  # "validation" or "policy"
    description: str
    default_severity: Severity
    takes_as_of: bool
    waivable: bool
    module: ModuleType
    title: str  # ``TITLE`` if the module declares one, else the id in words
    #: What a rule that judges items one at a time judges (``ITEMS``); None: it judges the registry.
    items: tuple[str, ...] | None = None

    def check(self, registry: Registry, as_of: date | None = None) -> Iterator:
        """The rule's findings on ``registry`` (on ``as_of``)."""
        if self.items is not None:
            assert as_of is not None
            items = [item for kind in self.items for item in getattr(registry, kind)]
            return self.module.check_items(items, as_of, self.scope(registry, as_of))
        return self.module.check(registry, as_of) if self.takes_as_of else self.module.check(registry)

    def scope(self, registry: Registry, as_of: date) -> Scope:
        """What a rule that judges items one at a time may read of ``registry`` beside each item."""
        from itamctl.rules.finding import Scope
        from itamctl.tracking.events import events_of

        context = self.module.context(registry, as_of) if hasattr(self.module, "context") else None
        return Scope(registry.settings, events_of(registry, as_of), context)


@functools.cache
def _load(group: str) -> tuple[Rule, ...]:
    package = importlib.import_module(f"{__name__}.{group}")
    rules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        rules.append(Rule(
            id=module.ID,
            group=group,
            description=module.DESCRIPTION,
            default_severity=Severity(module.DEFAULT_SEVERITY),
            takes_as_of=module.TAKES_AS_OF,
            waivable=module.WAIVABLE,
            module=module,
            title=getattr(module, "TITLE", module.ID.replace("_", " ").capitalize()),
            items=tuple(module.ITEMS) if hasattr(module, "ITEMS") else None,
        ))
    return tuple(rules)


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, validation first, each group in id order."""
    return tuple(rule for group in GROUPS for rule in _load(group))


def validation_rules() -> tuple[Rule, ...]:
    """The validation rules, in id order (the policy rules' modules are not imported for them)."""
    return _load("validation")


def policy_rules() -> tuple[Rule, ...]:
    return _load("policy")


def rule_ids(group: str | None = None) -> tuple[str, ...]:
    return tuple(r.id for r in all_rules() if group is None or r.group == group)


def waivable_ids() -> tuple[str, ...]:
    return tuple(r.id for r in all_rules() if r.waivable)


def get(rule_id: str) -> Rule:
    """The rule with ``rule_id``; ``KeyError`` when there is none."""
    for rule in all_rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def severity(settings: Settings, rule: Rule) -> Severity | None:
    """The severity of a policy rule under ``settings``; ``None`` when it is off.

    Settings ``policy`` overrides a policy rule's ``DEFAULT_SEVERITY``;
    validation rules always run at their own.
    """
    if rule.group != "policy":
        return rule.default_severity
    level = settings.policy.get(rule.id)
    if level is None:
        return rule.default_severity
    return None if level == "off" else Severity(level)


def run_validation(registry: Registry) -> Iterator[Diagnostic]:
    """Diagnostics of every validation rule."""
    for rule in validation_rules():
        yield from rule.check(registry)


def run_policy(registry: Registry, as_of: date) -> list[Diagnostic]:
    """Diagnostics of every policy rule that is not off, after exemptions and waivers. Those of one item come
    in rule order (the item-by-item rules' first); items come chunk of files by chunk or in registry
    order, whichever way the findings were found: a caller that shows them sorts them (check, the site)."""
    from itamctl.rules import itemwise
    from itamctl.rules.finding import diagnostics
    from itamctl.rules.waivers import waivers_of

    active = [(rule, level) for rule in policy_rules() if (level := severity(registry.settings, rule)) is not None]
    found = itemwise.findings(registry, as_of, [(rule, level) for rule, level in active if rule.items is not None])
    for rule, level in active:
        if rule.items is None:
            found.extend(diagnostics(rule, level, rule.check(registry, as_of), registry.settings, as_of))
    known = waivable_ids()
    for item in (*registry.assets, *registry.licenses, *registry.contracts):
        for waiver in waivers_of(item):
            if waiver.rule not in known:
                found.append(item.diagnostic(
                    ("waivers", waiver.index, "rule"), UNKNOWN_WAIVER,
                    f"{item.id}: waiver of unknown rule {waiver.rule!r}; it waives nothing "
                    f"(rules: {', '.join(known)})",
                    Severity.WARNING,
                ))
    return found
