"""Which fields the site never shows: those marked ``x-sensitive: true`` in a schema.

The built-in schemas mark ``key_ref``; a registry's schema extensions may mark
more. Field names that look like secrets (``password``, ``api_key`` …) are
hidden too, as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from itamctl.schema import load_schemas, schema_file
from itamctl.secret_patterns import looks_like_secret_field


def _resolve(node: Any, schemas: Mapping[str, dict], current: str) -> tuple[Any, str]:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str):
        return node, current
    target, _, pointer = ref.partition("#")
    name = target.rsplit("/", 1)[-1] if target else current
    doc: Any = schemas.get(name, {})
    for part in [p for p in pointer.split("/") if p]:
        doc = doc.get(part, {}) if isinstance(doc, dict) else {}
    return doc, name


def _walk(node: Any, schemas: Mapping[str, dict], current: str, path: tuple[str, ...],
          seen: frozenset) -> Iterator[tuple[str, ...]]:
    node, current = _resolve(node, schemas, current)
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen = seen | {id(node)}
    if node.get("x-sensitive") is True:
        yield path
        return
    for name, child in (node.get("properties") or {}).items():
        yield from _walk(child, schemas, current, (*path, name), seen)
    if "items" in node:
        yield from _walk(node["items"], schemas, current, path, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for child in node.get(key) or ():
            yield from _walk(child, schemas, current, path, seen)


def sensitive_paths(kind: str, registry_root: Path | None = None,
                    extensions: Sequence[tuple[str, bytes]] | None = None) -> frozenset[tuple[str, ...]]:
    """Field paths (list items share their list's path) marked sensitive for ``kind``."""
    schemas = load_schemas(registry_root, extensions)
    name = schema_file(kind)
    return frozenset(_walk(schemas.get(name, {}), schemas, name, (), frozenset()))


class Redactor:
    """Drops sensitive fields from a document's data before anything renders it."""

    def __init__(self, registry_root: Path | None = None,
                 extensions: Sequence[tuple[str, bytes]] | None = None) -> None:
        self._root = registry_root
        self._extensions = extensions
        self._paths: dict[str, frozenset[tuple[str, ...]]] = {}

    def paths(self, kind: str) -> frozenset[tuple[str, ...]]:
        if kind not in self._paths:
            self._paths[kind] = sensitive_paths(kind, self._root, self._extensions)
        return self._paths[kind]

    def clean(self, kind: str, data: Any) -> Any:
        return self._clean(data, self.paths(kind), ())

    def _clean(self, data: Any, hidden: frozenset, path: tuple[str, ...]) -> Any:
        if isinstance(data, Mapping):
            return {
                key: self._clean(value, hidden, (*path, key))
                for key, value in data.items()
                if (*path, key) not in hidden and not looks_like_secret_field(str(key))
            }
        if isinstance(data, list):
            return [self._clean(value, hidden, path) for value in data]
        return data
