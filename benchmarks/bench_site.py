"""Benchmark: `itamctl site build` of a synthetic registry of N assets (default 5000).

Builds a baseline registry (100 assets) and the large one in the same run, and
reports seconds and the ratios, so the figure is comparable across machines:
a linear build of 50x the assets takes about 50x the time (minus fixed costs);
a quadratic one (every page listing every page) far more. The registries come
from ``synth.py`` (the same generator as the load benchmark).

    .venv/bin/python benchmarks/bench_site.py [--assets 5000] [--baseline 100] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_registry

from itamctl.site.build import build_site


def synthetic_registry(root: Path, n: int) -> Path:
    """N assets (one page each), a tenth as many people (one page each), one license all of them hold."""
    return write_registry(root, n, people=max(10, n // 10), licenses=1)


def timed_build(n: int, as_of: date, jobs: int | None = None) -> float:
    with tempfile.TemporaryDirectory(prefix="itamctl-bench-") as tmp:
        registry = synthetic_registry(Path(tmp) / "registry", n)
        start = time.perf_counter()
        build_site(registry, Path(tmp) / "out", as_of, jobs=jobs)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=None, help="MkDocs processes (default: by CPUs and size)")
    args = parser.parse_args()
    as_of = date(2026, 5, 15)
    base = timed_build(args.baseline, as_of, args.jobs)
    big = timed_build(args.assets, as_of, args.jobs)
    scale = args.assets / args.baseline
    print(f"baseline: {args.baseline} assets in {base:.2f} s")
    print(f"large:    {args.assets} assets in {big:.2f} s")
    print(f"time ratio {big / base:.1f}x for {scale:.0f}x the assets "
          f"({big / args.assets * 1000:.2f} ms per asset vs {base / args.baseline * 1000:.2f} ms at baseline)")


if __name__ == "__main__":
    main()
