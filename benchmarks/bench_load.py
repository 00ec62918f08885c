"""Loading and validating a registry, against plain PyYAML (libyaml) parsing as the baseline.

    .venv/bin/python benchmarks/bench_load.py [ASSETS]

Reports seconds and ratios measured in the same run, so the numbers compare
across machines: ``safe_load_all`` with libyaml is what any YAML tool pays;
our loader adds positions and safety checks; validation adds JSON Schema and
the cross-file rules.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best_of, write_registry

from itamctl.loader import load_registry
from itamctl.pipeline import open_registry


def main() -> None:
    assets = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = write_registry(Path(tmp) / "registry", assets)
        files = sorted(root.rglob("*.yaml"))

        def baseline() -> None:
            for path in files:
                list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))

        base = best_of(3, baseline)
        load = best_of(3, lambda: load_registry(root))
        checked = best_of(3, lambda: open_registry(root))
        result = open_registry(root)
        assert result.ok, result.diagnostics[:3]
    print(f"assets: {assets}, files: {len(files)}")
    print(f"PyYAML CSafeLoader (baseline): {base:.3f}s  1.00x")
    print(f"itamctl load_registry:         {load:.3f}s  {load / base:.2f}x")
    print(f"itamctl open_registry:         {checked:.3f}s  {checked / base:.2f}x")


if __name__ == "__main__":
    main()
