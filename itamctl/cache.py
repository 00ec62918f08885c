"""A content-addressed cache of parsed, schema-checked registry files.

An unchanged file is neither parsed nor schema-checked again: its documents
(with positions), its loader findings and its schema findings come from the
cache. Cross-file rules still run on the whole model every time.

* Where: ``$ITAMCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/itamctl``, else
  ``~/.cache/itamctl``; one pack file per registry folder.
* Key of a file: SHA-256 of its name and content, the itamctl version, the
  versions of the YAML and schema libraries and the schemas in force
  (extensions included). A change to any of them misses.
* A pack carries a SHA-256 of its payload: a corrupt, truncated or foreign
  file is ignored (and replaced), never trusted; an unwritable cache folder
  only means no cache.
* Off unless turned on: the CLI turns it on; ``--no-cache`` keeps it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAGIC = b"itamctl-cache-1\n"
_enabled = False


def set_enabled(on: bool) -> None:
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


def cache_dir() -> Path:
    if os.environ.get("ITAMCTL_CACHE_DIR"):
        return Path(os.environ["ITAMCTL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itamctl"


def _salt(schemas: dict[str, dict]) -> bytes:
    import jsonschema_rs
    import yaml

    import itamctl

    versions = [itamctl.__version__, yaml.__version__, getattr(jsonschema_rs, "__version__", "")]
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        versions += [version("jsonschema"), version("jsonschema-rs")]
    blob = json.dumps([versions, schemas], sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).digest()


class FileCache:
    """Parsed and schema-checked files of one registry folder, by content."""

    def __init__(self, root: Path, schemas: dict[str, dict]) -> None:
        self.salt = _salt(schemas)
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.path = cache_dir() / f"files-{name}.pickle"
        self._old = self._read()
        self._new: dict[bytes, list] = {}
        self._by_file: dict[str, tuple[list, set[int]]] = {}
        self.hits = 0

    def _read(self) -> dict[bytes, list]:
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        head = len(MAGIC) + 32
        if not raw.startswith(MAGIC) or hashlib.sha256(raw[head:]).digest() != raw[len(MAGIC):head]:
            return {}
        try:
            entries = pickle.loads(raw[head:])
        except Exception:  # a pack that does not unpickle is ignored like a corrupt one
            return {}
        return entries if isinstance(entries, dict) else {}

    def load(self, file: str, data: bytes, compute: Callable[[], tuple[list, list]]) -> tuple[list, list]:
        """The documents and loader findings of ``file`` with content ``data``."""
        key = hashlib.sha256(self.salt + file.encode("utf-8", "surrogateescape") + b"\0" + data).digest()
        entry = self._new.get(key) or self._old.get(key)
        if entry is None:
            documents, problems = compute()
            entry = [documents, problems, {}]
        else:
            self.hits += 1
        self._new[key] = entry
        self._by_file[file] = (entry, {id(doc) for doc in entry[0]})
        return entry[0], entry[1]

    def schema(self, doc: Any, compute: Callable[[Any], list]) -> list:
        """The schema findings of ``doc`` (computed once per content)."""
        entry, ids = self._by_file.get(doc.file, (None, set()))
        if entry is None or id(doc) not in ids:
            return compute(doc)
        found = entry[2].get(doc.index)
        if found is None:
            found = entry[2][doc.index] = compute(doc)
        return found

    def save(self) -> None:
        """Write the entries of this run (only); failures leave no cache, never a broken one."""
        if self._new.keys() == self._old.keys() and all(
                len(self._new[key][2]) == len(self._old[key][2]) for key in self._new):
            return  # nothing new to remember
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = pickle.dumps(self._new, protocol=pickle.HIGHEST_PROTOCOL)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except (OSError, pickle.PicklingError):
            return
