"""Benchmark: `itamctl site build` of a synthetic registry of N assets (default 5000).

Builds a baseline registry (100 assets) and the large one in the same run, and
reports seconds and the ratios, so the figure is comparable across machines:
a linear build of 50x the assets takes about 50x the time (minus fixed costs);
a quadratic one (every page listing every page) far more.

    .venv/bin/python benchmarks/bench_site.py [--assets 5000] [--baseline 100]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from itamctl.site.build import build_site

CATEGORIES = ("laptop", "desktop", "monitor", "server", "phone")
STATUSES = ("deployed", "deployed", "deployed", "in_stock", "in_repair", "retired", "ordered")


def synthetic_registry(root: Path, n: int) -> Path:
    def dump(rel: str, docs: list[dict]) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")

    dump("settings.yaml", [{
        "apiVersion": "itam/v1", "kind": "Settings", "id": "settings", "organization": "Bench Corp",
        "currency": "EUR", "fiscal_year_start": "01-01", "fx": [{"date": "2015-01-01", "USD": 0.9}],
        "categories": {c: {"depreciation": {"method": "straight_line", "life_months": 36 + 12 * i}}
                       for i, c in enumerate(CATEGORIES)},
    }])
    people = [{"apiVersion": "itam/v1", "kind": "Person", "id": f"p{i:04d}", "name": f"Person {i}",
               "email": f"p{i}@example.com", "team": f"team-{i % 7}"} for i in range(max(n // 10, 1))]
    dump("people.yaml", people)
    dump("locations.yaml", [{"apiVersion": "itam/v1", "kind": "Location", "id": f"site-{i}", "name": f"Site {i}"}
                            for i in range(5)])
    dump("vendors.yaml", [{"apiVersion": "itam/v1", "kind": "Vendor", "id": "acme", "name": "Acme"}])
    for i in range(n):
        status = STATUSES[i % len(STATUSES)]
        doc = {
            "apiVersion": "itam/v1", "kind": "Asset", "id": f"A-{i:05d}", "name": f"Device {i}",
            "category": CATEGORIES[i % len(CATEGORIES)], "status": status,
            "owner": people[i % len(people)]["id"], "location": f"site-{i % 5}", "cost_center": f"CC{i % 9}",
            "purchase": {"date": f"{2019 + i % 7}-{1 + i % 12:02d}-15", "cost": 500 + (i * 37) % 3000,
                         "vendor": "acme"},
            "warranty": {"end": f"{2022 + i % 7}-{1 + i % 12:02d}-14"},
            "maintenance": [{"date": "2025-03-01", "kind": "repair", "cost": 120}] if i % 11 == 0 else [],
        }
        if status == "retired":
            doc.pop("owner")
        dump(f"assets/{doc['id']}.yaml", [doc])
    dump("licenses/LIC-1.yaml", [{
        "apiVersion": "itam/v1", "kind": "License", "id": "LIC-1", "name": "Suite", "vendor": "acme",
        "type": "subscription", "seats": n, "cost": 5, "per_seat": True, "billing": "monthly",
        "start": "2024-01-01", "end": "2026-12-31", "renewal": "auto", "assigned_to": [p["id"] for p in people],
    }])
    return root


def timed_build(n: int, as_of: date) -> float:
    with tempfile.TemporaryDirectory(prefix="itamctl-bench-") as tmp:
        registry = synthetic_registry(Path(tmp) / "registry", n)
        start = time.perf_counter()
        build_site(registry, Path(tmp) / "out", as_of)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=100)
    args = parser.parse_args()
    as_of = date(2026, 5, 15)
    base = timed_build(args.baseline, as_of)
    big = timed_build(args.assets, as_of)
    scale = args.assets / args.baseline
    print(f"baseline: {args.baseline} assets in {base:.2f} s")
    print(f"large:    {args.assets} assets in {big:.2f} s")
    print(f"time ratio {big / base:.1f}x for {scale:.0f}x the assets "
          f"({big / args.assets * 1000:.2f} ms per asset vs {base / args.baseline * 1000:.2f} ms at baseline)")


if __name__ == "__main__":
    main()
