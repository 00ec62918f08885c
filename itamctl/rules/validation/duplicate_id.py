"""Ids are unique across the whole registry, all kinds together."""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry

ID = "duplicate_id"
DESCRIPTION = "every id is unique across the registry (all kinds)"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    first_seen: dict[str, tuple[str, int, str]] = {}
    for doc in registry.documents:
        item_id = doc.data.get("id")
        if not isinstance(item_id, str):
            continue
        line = doc.position(("id",)).line
        kind = doc.data.get("kind", "document")
        if item_id in first_seen:
            file, first_line, first_kind = first_seen[item_id]
            yield doc.diagnostic(
                ("id",), ID,
                f"id '{item_id}' is already used by the {first_kind} in {file}:{first_line}",
            )
        else:
            first_seen[item_id] = (doc.file, line, kind)
