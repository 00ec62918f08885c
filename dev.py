#!/usr/bin/env python3
"""Set up the project and run its two main jobs; needs only Python 3.11+ and git.

    python3 dev.py demo    # create .venv, then validate, check and build the site of registry/
    python3 dev.py test    # create .venv with the test tools, then run the test suite (extra args go to pytest)

The virtual environment is (re)installed whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"


def tool(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    done = subprocess.run(args, cwd=ROOT)
    if done.returncode:
        sys.exit(done.returncode)


def setup() -> None:
    """A .venv with itamctl (editable), the site builder and the test tools, reinstalled when pyproject.toml changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run under an older system Python
        sys.exit(f"itamctl needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not Path(tool("python")).exists():
        print(f"+ creating {VENV.name}", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.exit(f"cannot create {VENV}: {exc}\n(on Debian or Ubuntu: apt-get install python3-venv)")
    run(tool("python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(tool("python"), "-m", "pip", "install", "--quiet", "-e", ".[test,site]")
    STAMP.write_text(wanted + "\n")


def demo() -> None:
    itamctl = tool("itamctl")
    run(itamctl, "validate", "--registry", "registry")
    print("The demo registry has problems planted on purpose: the errors and warnings `check` reports\n"
          "next are examples of what it finds (an expired warranty, an over-allocated license, ...).", flush=True)
    run(itamctl, "check", "--registry", "registry", "--exit-zero")
    print("(Those findings are the demo's planted examples; a registry made with `itamctl init` checks clean.)",
          flush=True)
    run(itamctl, "site", "build", "--registry", "registry", "--out", "site/build")
    print(f"Site built in site/build: preview it with {os.path.relpath(itamctl, ROOT)} site serve")


def test(args: list[str]) -> None:
    run(tool("python"), "-m", "pytest", *args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("demo", "test", "setup"):
        sys.exit(__doc__)
    setup()
    if argv[0] == "demo":
        demo()
    elif argv[0] == "test":
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
