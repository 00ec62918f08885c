"""The costs report on a synthetic registry of N assets, against loading and validating it as the baseline.

    .venv/bin/python benchmarks/bench_costs.py [ASSETS]   # default 2000

Run on demand (not part of the test suite). The registry is the one from
``synth.py`` plus monthly contracts covering 20 assets each (auto renewal, so
payments run up to the as-of date) and per-seat licenses assigned to assets,
so TCO walks real payment schedules. Reports seconds and the ratio to
``open_registry`` (load + schema + rules) measured in the same run, so the
figure compares across machines: costs should stay a fraction of the load.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best_of, write_registry

from itamctl.finance.costs import costs_report
from itamctl.pipeline import open_registry
from itamctl.render.costs import render_json

AS_OF = date(2026, 1, 31)


def add_contracts_and_licenses(root: Path, assets: int) -> None:
    ids = [f"A-{i:06d}" for i in range(assets)]
    docs = []
    for n, start in enumerate(range(0, assets, 20)):
        covers = ", ".join(ids[start:start + 20])
        docs.append(
            f"apiVersion: itam/v1\nkind: Contract\nid: CTR-{n:05d}\nname: Support {n}\nvendor: acme\n"
            f"type: support\nstart: 2018-01-01\nend: 2018-12-31\nrenewal: auto\ncost: {100 + n % 50}\n"
            f"billing: monthly\ncovers: [{covers}]\n")
    for n, start in enumerate(range(0, assets, 50)):
        assigned = ", ".join(ids[start:start + 50])
        docs.append(
            f"apiVersion: itam/v1\nkind: License\nid: LIC-{n:05d}\nname: Agent {n}\nvendor: acme\n"
            f"type: subscription\nseats: 50\ncost: 12 USD\nper_seat: true\nbilling: yearly\n"
            f"start: 2019-01-01\nend: 2019-12-31\nrenewal: auto\nassigned_to: [{assigned}]\n")
    (root / "agreements.yaml").write_text("---\n".join(docs))


def main() -> None:
    assets = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = write_registry(Path(tmp) / "registry", assets)
        add_contracts_and_licenses(root, assets)
        checked = open_registry(root)
        assert checked.ok, checked.diagnostics[:3]
        registry = checked.registry
        baseline = best_of(3, lambda: open_registry(root))
        report = best_of(3, lambda: costs_report(registry, AS_OF))
        grouped = best_of(3, lambda: costs_report(registry, AS_OF, by="cost_center"))
        result = costs_report(registry, AS_OF)
        rendered = best_of(3, lambda: render_json(result))
    print(f"assets: {assets}, contracts: {len(registry.contracts)}, licenses: {len(registry.licenses)}")
    print(f"open_registry (baseline):  {baseline:.3f}s  1.00x")
    print(f"costs_report:              {report:.3f}s  {report / baseline:.2f}x  "
          f"({report / assets * 1e6:.0f} µs per asset)")
    print(f"costs_report --by:         {grouped:.3f}s  {grouped / baseline:.2f}x")
    print(f"render_json:               {rendered:.3f}s  {rendered / baseline:.2f}x")


if __name__ == "__main__":
    main()
