"""No secrets in the registry: keys and passwords live in a vault, referenced by ``key_ref``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from itamctl.diagnostics import Diagnostic
from itamctl.model import Registry

ID = "secret_in_field"
DESCRIPTION = "no license keys, passwords or tokens in the files; use `key_ref` to point at a vault"

_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|"
    r"(license|licence|product|activation|serial)[_-]?key|credentials?)$",
    re.IGNORECASE,
)
_SECRET_VALUE = (
    ("a product key", re.compile(r"\b[A-Z0-9]{5}(-[A-Z0-9]{5}){4}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("an access token", re.compile(r"\b(ghp|gho|ghs|github_pat|glpat|xox[abpr])[-_][A-Za-z0-9_]{16,}")),
    ("an AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.")),
)
_POINTER = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
HINT = "keep it in a secret store and point at it with `key_ref` (e.g. vault://itam/<name>)"


def looks_like_secret_field(name: str) -> bool:
    return bool(_SECRET_KEY.search(name)) and name != "key_ref"


def _walk(value: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _walk(child, (*path, i))


def check(registry: Registry) -> Iterator[Diagnostic]:
    for doc in registry.documents:
        for path, value in _walk(doc.data, ()):
            name = path[-1] if path and isinstance(path[-1], str) else None
            if name == "key_ref":
                if isinstance(value, str) and not _POINTER.match(value):
                    yield doc.diagnostic(
                        path, ID, f"`key_ref` must be a pointer such as vault://itam/<name>, "
                        f"not the key itself; {HINT}",
                    )
                continue
            if name and looks_like_secret_field(name) and value not in (None, ""):
                yield doc.diagnostic(path, ID, f"field `{name}` holds a secret; {HINT}", key=True)
                continue
            if isinstance(value, str):
                for what, pattern in _SECRET_VALUE:
                    if pattern.search(value):
                        yield doc.diagnostic(path, ID, f"this value looks like {what}; {HINT}")
                        break
