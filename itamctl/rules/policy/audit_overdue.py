"""An asset in service is past its audit due date (``last_audit``, else purchase, + ``audit.interval_months``).

While the audit is coming due ``expiring_soon`` warns; once the date has
passed this rule reports it, every day, until an audit is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from itamctl.facts import audit_due
from itamctl.model import Asset
from itamctl.rules.finding import Finding, Scope

ID = "audit_overdue"
DESCRIPTION = "an asset in service was due for an audit (last_audit, else purchase, + audit.interval_months) " \
              "before the as-of date and none is recorded since"
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = True
WAIVABLE = True
ITEMS = ("assets",)


def check_items(assets: Iterable[Asset], as_of: date, scope: Scope) -> Iterator[Finding]:
    settings = scope.settings
    for asset in assets:
        due = audit_due(asset, settings)
        if due is None or due[0] >= as_of:
            continue
        day, path = due
        days = (as_of - day).days
        yield Finding(asset, path,
                      f"{asset.id}: audit was due {day.isoformat()} ({days} day{'s' * (days != 1)} ago); "
                      "audit it and record `last_audit`")
