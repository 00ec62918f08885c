"""Where the cache keeps a registry's packs (:mod:`itamctl.cache`), without importing the cache.

``$ITAMCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/itamctl``, else ``~/.cache/itamctl``;
one pack of each kind (``files``, ``facts``) a registry folder, named by its
resolved path. :mod:`itamctl.prelist` reads a pack's size from here before the
cache is imported.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    if os.environ.get("ITAMCTL_CACHE_DIR"):
        return Path(os.environ["ITAMCTL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itamctl"


def pack_path(root: Path, kind: str = "files") -> Path:
    """The pack of ``kind`` (files, or facts: :mod:`itamctl.factpack`) of the registry folder ``root``."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir() / f"{kind}-{name}.pickle"
