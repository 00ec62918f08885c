"""An asset in service is past its audit due date (``last_audit``, else purchase, + ``audit.interval_months``).

While the audit is coming due ``expiring_soon`` warns; once the date has
passed this rule reports it, every day, until an audit is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from itamctl.facts import audit_due
from itamctl.model import Registry
from itamctl.rules.finding import Finding

ID = "audit_overdue"
DESCRIPTION = "an asset in service was due for an audit (last_audit, else purchase, + audit.interval_months) " \
              "before the as-of date and none is recorded since"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True


def check(registry: Registry, as_of: date) -> Iterator[Finding]:
    for asset in registry.assets:
        due = audit_due(asset, registry.settings)
        if due is None or due[0] >= as_of:
            continue
        day, path = due
        days = (as_of - day).days
        yield Finding(asset, path,
                      f"{asset.id}: audit was due {day.isoformat()} ({days} day{'s' * (days != 1)} ago); "
                      "audit it and record `last_audit`")
