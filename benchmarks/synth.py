"""Synthetic registries for benchmarks: N assets plus the people, places and vendors they need.

Used on demand only (never by the test suite). Deterministic for a given N.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

CATEGORIES = ("laptop", "desktop", "monitor", "server", "network", "phone")
STATUSES = ("deployed", "deployed", "deployed", "in_stock", "in_repair", "retired", "disposed", "planned")

SETTINGS = """apiVersion: itam/v1
kind: Settings
id: settings
organization: Synthetic Corp
currency: EUR
max_file_bytes: 16777216  # people.yaml holds a third of N people: 3 MB at 100k
fiscal_year_start: "04-01"
fx:
  - {date: 2015-01-01, USD: 0.9, GBP: 1.15}
categories:
  laptop: {depreciation: {method: straight_line, life_months: 36}}
  desktop: {depreciation: {method: straight_line, life_months: 48}}
  monitor: {depreciation: {method: straight_line, life_months: 60}}
  server: {depreciation: {method: macrs, class_years: 5, convention: half_year}}
  network: {depreciation: {method: declining_balance, life_months: 60, factor: 2}}
  phone: {depreciation: {method: straight_line, life_months: 24}}
service_levels:
  gold: {maintenance_factor: 1.5}
  standard: {maintenance_factor: 1.0}
"""


def write_registry(root: Path, assets: int, seed: int = 7, *, people: int | None = None, licenses: int = 0) -> Path:
    """Write a valid registry with ``assets`` assets (one file each) under ``root``.

    ``people`` defaults to a third of the assets (at least 10); ``licenses`` subscriptions
    (one file each) share the people out between them as seat holders.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "settings.yaml").write_text(SETTINGS)
    people = max(10, assets // 3) if people is None else people
    (root / "people.yaml").write_text("\n---\n".join(
        f"apiVersion: itam/v1\nkind: Person\nid: p{i:05d}\nname: Person {i}\nemail: p{i}@example.com\n"
        for i in range(people)))
    (root / "places.yaml").write_text(
        "apiVersion: itam/v1\nkind: Location\nid: hq\nname: HQ\n---\n"
        "apiVersion: itam/v1\nkind: Vendor\nid: acme\nname: ACME\nurl: https://acme.example\n")
    folder = root / "assets"
    folder.mkdir(exist_ok=True)
    for i in range(assets):
        category = CATEGORIES[i % len(CATEGORIES)]
        status = STATUSES[rng.randrange(len(STATUSES))]
        year = rng.randrange(2017, 2026)
        month = rng.randrange(1, 13)
        cost = rng.randrange(200, 9000)
        lines = [
            "apiVersion: itam/v1", "kind: Asset", f"id: A-{i:06d}", f"name: {category.title()} {i}",
            f"category: {category}", f"status: {status}", f"owner: p{rng.randrange(people):05d}",
            "location: hq", f"cost_center: CC{i % 7}",
            f"service_level: {'gold' if category == 'server' else 'standard'}",
            "purchase:", f"  date: {year}-{month:02d}-15", f"  cost: {cost}.00", "  vendor: acme",
            "warranty:", f"  end: {year + 3}-{month:02d}-14",
            "maintenance:", f"  - {{date: {year + 1}-{month:02d}-20, kind: repair, cost: {rng.randrange(50, 400)}}}",
        ]
        if status == "disposed":
            lines += ["disposal:", f"  date: {year + 4}-01-10", "  method: recycle", "  cost: 20"]
        (folder / f"A-{i:06d}.yaml").write_text("\n".join(lines) + "\n")
    if licenses:
        (root / "licenses").mkdir(exist_ok=True)
    for k in range(licenses):
        holders = [f"p{i:05d}" for i in range(k, people, licenses)]
        (root / "licenses" / f"LIC-{k:03d}.yaml").write_text("\n".join([
            "apiVersion: itam/v1", "kind: License", f"id: LIC-{k:03d}", f"name: Suite {k}", "vendor: acme",
            "type: subscription", f"seats: {max(len(holders), 1)}", "cost: 5", "per_seat: true", "billing: monthly",
            "start: 2024-01-01", "end: 2026-12-31", "renewal: auto", f"assigned_to: [{', '.join(holders)}]",
        ]) + "\n")
    return root


def best_of(runs: int, func: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``func()``, in seconds (the least disturbed run)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
