"""A subscription license has an end date."""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry

ID = "subscription_end"
DESCRIPTION = "a license of type subscription has an `end` date"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    for lic in registry.licenses:
        if lic.type == "subscription" and lic.end is None:
            yield lic.diagnostic(
                ("type",), ID,
                "a subscription needs an `end` date (the end of the current term)",
            )
