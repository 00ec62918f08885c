"""What a secret looks like: field names and values that must not be in the registry.

A low-level module (no itamctl imports): the ``secret_in_field`` rule, the
schema layer (which leaves such fields to that rule), the importers (which
never write them) and the site (which never shows them) all ask here.
"""

from __future__ import annotations

import functools
import re

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
#: One search that any of the patterns would match (most values match none).
_ANY_SECRET_VALUE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _SECRET_VALUE))
_POINTER = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
HINT = "keep it in a secret store and point at it with `key_ref` (e.g. vault://itam/<name>)"


@functools.lru_cache(maxsize=4096)
def looks_like_secret_field(name: str) -> bool:
    """A field name that holds a secret (``password``, ``license_key``, ...); ``key_ref`` does not."""
    return bool(_SECRET_KEY.search(name)) and name != "key_ref"


def secret_in_value(value: str) -> str | None:
    """What ``value`` looks like ("a product key", ...) when it looks like a secret, else ``None``."""
    if not _ANY_SECRET_VALUE.search(value):
        return None
    for what, pattern in _SECRET_VALUE:
        if pattern.search(value):
            return what
    return None


def is_pointer(value: str) -> bool:
    """A ``key_ref`` value of the form ``scheme://...`` (a pointer into a secret store)."""
    return bool(_POINTER.match(value))
