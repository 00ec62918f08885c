"""Writing files safely: never overwrite without being asked, always atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from itamctl.errors import FatalError


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Refuses to replace an existing file unless ``overwrite`` is true, so a
    report never silently clobbers something the user keeps.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FatalError(f"{path} already exists; pass --force to overwrite it")
    if path.is_dir():
        raise FatalError(f"{path} is a folder, not a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
