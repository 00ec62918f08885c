"""A disposed asset records how and when it was disposed of."""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry

ID = "disposal_required"
DESCRIPTION = "an asset with status disposed has a disposal block (date, method)"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    for a in registry.assets:
        if a.status == "disposed" and a.disposal is None:
            yield a.diagnostic(
                ("status",), ID,
                "status is disposed but there is no `disposal` (date, method, cost, proceeds)",
            )
