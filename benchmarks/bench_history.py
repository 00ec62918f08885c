"""Item history for a large registry: one git log pass, against loading the registry as the baseline.

    .venv/bin/python benchmarks/bench_history.py [ASSETS] [COMMITS]

Makes a repository with ASSETS assets (default 5000) and COMMITS commits
(default 50) that each change 20 assets, then times
:func:`itamctl.history.registry_history` (every item's history, as the site
uses it) and :meth:`Repository.files_at` (the registry at a revision) against
``load_registry`` of the working tree, all in the same run, and counts the git
processes each starts.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best_of, write_registry

from itamctl.history import registry_history
from itamctl.loader import load_registry
from itamctl.pipeline import registry_snapshot


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=b@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def counted(func) -> int:
    calls = []
    real = subprocess.Popen

    def popen(args, *a, **k):
        calls.append(args)
        return real(args, *a, **k)

    subprocess.Popen = popen  # type: ignore[misc]
    try:
        func()
    finally:
        subprocess.Popen = real  # type: ignore[misc]
    return len(calls)


def main() -> None:
    assets = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        registry = write_registry(root / "registry", assets)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "initial")
        files = sorted((registry / "assets").rglob("*.yaml"))
        for n in range(commits):
            for path in files[n * 20 % len(files):][:20]:
                path.write_text(path.read_text() + f"x-revision: {n}\n")
            git(root, "commit", "-qam", f"change {n}")
        load = best_of(3, lambda: load_registry(registry))
        hist = best_of(3, lambda: registry_history(registry))
        snap = best_of(3, lambda: registry_snapshot(registry, "HEAD~1"))
        found = registry_history(registry)
        print(f"{assets} assets, {commits + 1} commits, {len(found.by_id)} items with history")
        print(f"load_registry (working tree)   {load:7.2f} s  1.00x")
        print(f"registry_history (every item)  {hist:7.2f} s  {hist / load:.2f}x  "
              f"git processes: {counted(lambda: registry_history(registry))}")
        print(f"files_at HEAD~1 (no checkout)  {snap:7.2f} s  {snap / load:.2f}x  "
              f"git processes: {counted(lambda: registry_snapshot(registry, 'HEAD~1'))}")


if __name__ == "__main__":
    main()
