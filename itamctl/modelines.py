"""``yaml-language-server`` modelines for files written into a registry (imports, ``itamctl new``).

A registry that sits next to itamctl's ``schemas/`` folder (the repository
layout ``itamctl init`` makes) gets a modeline whose relative path is right for
the file's folder depth; a registry elsewhere gets none (a relative path would
point nowhere).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SCHEMA_TITLE = "itamctl Asset"


def schema_folder(root: Path) -> Path | None:
    """itamctl's ``schemas/`` beside the registry folder (the repository layout), if it is there."""
    folder = root.resolve().parent / "schemas"
    try:
        schema = json.loads((folder / "asset.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return folder if isinstance(schema, dict) and schema.get("title") == SCHEMA_TITLE else None


def modeline_for(root: Path, relpath: str, schema: str) -> str | None:
    """The ``yaml-language-server`` line for ``relpath`` in the registry, when the schemas are beside it."""
    folder = schema_folder(root)
    if folder is None:
        return None
    target = os.path.relpath(folder / schema, (root.resolve() / relpath).parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"
