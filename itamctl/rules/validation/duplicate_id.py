"""Ids are unique across the whole registry, all kinds together."""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic
from itamctl.loader import Document
from itamctl.model import Registry

ID = "duplicate_id"
DESCRIPTION = "every id is unique across the registry (all kinds)"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    first_seen: dict[str, Document] = {}
    for doc in registry.documents:
        item_id = doc.id
        if not isinstance(item_id, str):
            continue
        first = first_seen.setdefault(item_id, doc)
        if first is not doc:  # positions are looked up only for a duplicate
            kind = first.data.get("kind", "document")
            yield doc.diagnostic(
                ("id",), ID,
                f"id '{item_id}' is already used by the {kind} in {first.file}:{first.position(('id',)).line}",
            )
