"""No secrets in the registry: keys and passwords live in a vault, referenced by ``key_ref``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry
from itamctl.secret_patterns import HINT, is_pointer, looks_like_secret_field, secret_in_value

ID = "secret_in_field"
DESCRIPTION = "no license keys, passwords or tokens in the files; use `key_ref` to point at a vault"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def _walk(value: Any, path: tuple, out: list[tuple[tuple, Any]]) -> list[tuple[tuple, Any]]:
    """Every (path, value) of a document, parents first, in document order."""
    out.append((path, value))
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, dict | list):
                _walk(child, (*path, key), out)
            else:
                out.append(((*path, key), child))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            if isinstance(child, dict | list):
                _walk(child, (*path, i), out)
            else:
                out.append(((*path, i), child))
    return out


def check(registry: Registry) -> Iterator[Diagnostic]:
    for doc in registry.documents:
        if doc.clean:  # the loader saw no field name or text this rule could report
            continue
        for path, value in _walk(doc.data, (), []):
            name = path[-1] if path and isinstance(path[-1], str) else None
            if name == "key_ref":
                if isinstance(value, str) and not is_pointer(value):
                    yield doc.diagnostic(
                        path, ID, f"`key_ref` must be a pointer such as vault://itam/<name>, "
                        f"not the key itself; {HINT}",
                    )
                continue
            if name and looks_like_secret_field(name) and value not in (None, ""):
                yield doc.diagnostic(path, ID, f"field `{name}` holds a secret; {HINT}", key=True)
                continue
            what = secret_in_value(value) if isinstance(value, str) else None
            if what:
                yield doc.diagnostic(path, ID, f"this value looks like {what}; {HINT}")
