"""Policy rules of ``itamctl check``.

One module per rule (like the validation rules in :mod:`itamctl.rules`): each
has an ``ID``, a one-line ``DESCRIPTION`` and a ``check(registry, as_of)``
generator of :class:`~itamctl.policy.finding.Finding`. :func:`run_policy`
gives every rule the same treatment: the severity comes from Settings
``policy`` (a rule set to ``off`` does not run), retired and disposed assets
are exempt, and a live waiver on the item suppresses the finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import ModuleType

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.model import Registry
from itamctl.policy import (
    contract_covers_retired,
    eol_passed,
    expired_license_in_use,
    expired_warranty,
    expiring_soon,
    license_overallocated,
    notice_passed,
    waiver_lapsed,
)
from itamctl.policy.waivers import waived, waivers_of

RULES: tuple[ModuleType, ...] = (
    expired_warranty,
    expired_license_in_use,
    license_overallocated,
    notice_passed,
    expiring_soon,
    eol_passed,
    contract_covers_retired,
    waiver_lapsed,
)
RULE_IDS = tuple(rule.ID for rule in RULES)  # the same ids as model.DEFAULT_POLICY (a test says so)

#: Reported (as a warning) when a waiver names no policy rule: a typo would silently waive nothing.
UNKNOWN_WAIVER = "waiver_unknown_rule"


def run_policy(registry: Registry, as_of: date) -> Iterator[Diagnostic]:
    """Diagnostics of every policy rule that is not off, after waivers."""
    for rule in RULES:
        severity = registry.settings.severity(rule.ID)
        if severity is None:
            continue
        for finding in rule.check(registry, as_of):
            item = finding.item
            if getattr(item, "retired", False) or waived(item, rule.ID, as_of):
                continue
            yield item.diagnostic(finding.path, rule.ID, finding.message, severity)
    for item in (*registry.assets, *registry.licenses, *registry.contracts):
        for waiver in waivers_of(item):
            if waiver.rule not in RULE_IDS:
                yield item.diagnostic(
                    ("waivers", waiver.index, "rule"), UNKNOWN_WAIVER,
                    f"{item.id}: waiver of unknown rule {waiver.rule!r}; it waives nothing "
                    f"(rules: {', '.join(RULE_IDS)})",
                    Severity.WARNING,
                )
