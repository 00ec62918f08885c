"""Sums taken a chunk of files at a time (diff's figures, the budget's actuals): exact, so the same by chunk
as all at once, with and without the cache, whatever changed; a warm run sums the edited chunk alone."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import git
import pytest
from conftest import demo_copy, edit_in_chunk, run_cli, same_with_the_cache, warm_runs_compute_the_edited_chunk_alone

from itamctl import diff as diff_module
from itamctl.budget import actuals as actuals_module
from itamctl.budget.actuals import actuals
from itamctl.dates import fiscal_year_of
from itamctl.finance.costs import Rows, costs_report
from itamctl.money import exact_add
from itamctl.pipeline import open_registry
from tests.helpers_git import commit

AS_OF = "2026-11-28"
MAINTENANCE = "maintenance:\n  - {date: 2025-05-05, kind: repair, cost: 123.45 USD}\n"


def test_an_exact_sum_is_the_same_in_any_order():
    amounts = [Decimal("1e20"), Decimal("0.123456789012345678"), Decimal("-1e20"), Decimal("7.77")]
    plain = [sum(order, Decimal(0)) for order in (amounts, amounts[::-1], sorted(amounts))]
    assert len(set(plain)) > 1  # 28 digits: the order changes the sum
    exact = set()
    for order in (amounts, amounts[::-1], sorted(amounts)):
        total = Decimal(0)
        for amount in order:
            total = exact_add(total, amount)
        exact.add(total)
    assert exact == {Decimal("7.893456789012345678")}


def test_diffs_figures_are_the_sums_of_every_assets(tmp_path):
    registry = open_registry(demo_copy(tmp_path)).registry
    as_of = date(2026, 11, 28)
    kept = {registry.assets[0].id, registry.licenses[0].id}
    figures, totals = diff_module._figures(registry, as_of, kept)
    rows = costs_report(registry, as_of).items
    each = [diff_module.asset_figures(row, registry) for row in rows]
    assert totals["book_value"] == sum((f["book_value"] for f in each), Decimal(0)) > 0
    assert totals["tco"] == sum((f["tco"] for f in each), Decimal(0))
    assert totals["purchase_cost"] == sum((f["purchase_cost"] for f in each), Decimal(0))
    assert totals["recurring_12m"] == sum((diff_module.recurring(i, registry, as_of)
                                           for i in (*registry.licenses, *registry.contracts)), Decimal(0))
    assert figures[registry.assets[0].id] == each[0] and set(figures) == kept


@pytest.mark.parametrize("as_of", [date(2026, 11, 28), date(2022, 4, 1)])
def test_actuals_by_chunk_are_actuals_all_at_once(tmp_path, cached, as_of):
    root = demo_copy(tmp_path, copies=2)
    years = [fiscal_year_of(date(year, 6, 1), (4, 1)) for year in range(as_of.year - 3, as_of.year + 1)]
    without = actuals(open_registry(root).registry, as_of, years)
    from itamctl import factpack

    for _ in range(2):  # computed by chunk and kept, then read back
        registry = open_registry(root).registry
        assert factpack.current is not None
        assert actuals(registry, as_of, years) == without
        factpack.save()
    assert any(y.by_kind["purchase"] for y in without)
    assert any(y.by_kind["maintenance"] for y in without) or as_of.year < 2026


@pytest.mark.parametrize("change", ["purchase", "maintenance", "fx", "as_of"])
def test_budget_and_diff_are_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = demo_copy(tmp_path, copies=2)
    commit(git.Repo.init(root), "registry")
    as_of = AS_OF

    def reports() -> tuple:
        return (same_with_the_cache("budget", "--registry", str(root), "--as-of", as_of, "--history", "5"),
                same_with_the_cache("diff", "--registry", str(root), "--base", "HEAD", "--as-of", as_of,
                                    "--format", "json"))

    before = reports()
    asset = next(p for p in sorted((root / "assets").rglob("c1-*.yaml"))
                 if "status: deployed" in p.read_text() and "maintenance:" not in p.read_text())
    text = asset.read_text()
    if change == "purchase":
        asset.write_text(text.replace("cost: ", "cost: 1", 1))
    elif change == "maintenance":
        asset.write_text(text + MAINTENANCE)
    elif change == "fx":
        settings = root / "settings.yaml"
        settings.write_text(settings.read_text().replace("USD: 0.95, GBP: 1.20", "USD: 0.9123456789, GBP: 1.2"))
    else:
        as_of = "2027-06-30"
    after = reports()
    assert after != before
    if change != "as_of":
        assert json.loads(after[1][1])["totals"] != json.loads(before[1][1])["totals"]


def test_a_warm_budget_sums_the_actuals_of_the_edited_files_chunk_alone(tmp_path, cached, monkeypatch):
    root = demo_copy(tmp_path, copies=3)
    real = actuals_module._asset_spending
    seen: list[str] = []

    def spy(settings, assets, until):
        assets = list(assets)
        seen.extend(a.id for a in assets)
        return real(settings, assets, until)

    monkeypatch.setattr(actuals_module, "_asset_spending", spy)
    command = ("budget", "--registry", str(root), "--as-of", AS_OF)
    expected = same_with_the_cache(*command)
    del seen[:]
    assert run_cli(*command) == expected
    assert seen == []  # every chunk's actuals read back
    asset = next(a for a in open_registry(root).registry.assets
                 if a.id.endswith("-C1") and a.status == "deployed" and not a.maintenance)
    path = Path(asset.file)
    around = edit_in_chunk(root, path, path.read_text() + MAINTENANCE)
    now = run_cli(*command, "--no-cache")
    assert now != expected
    del seen[:]
    assert run_cli(*command) == now
    assert asset.id in seen and set(seen) <= around


def test_a_warm_diff_sums_the_figures_of_the_edited_files_chunk_alone(tmp_path, cached, monkeypatch):
    root = demo_copy(tmp_path, copies=3)
    commit(git.Repo.init(root), "registry")
    warm_runs_compute_the_edited_chunk_alone(
        monkeypatch, ("diff", "--registry", str(root), "--base", "HEAD", "--as-of", AS_OF, "--format", "json"),
        diff_module, "asset_figures", root, lambda text: text.replace("cost: ", "cost: 1", 1),
        always=_linked(root), changed=True)


def _linked(root: Path) -> set[str]:
    """The assets a contract covers or a per-seat license is assigned to: their figures are computed every
    run (they depend on other items)."""
    registry = open_registry(root).registry
    rows = Rows(registry, date(2026, 11, 28))
    return {a.id for a in registry.assets if not rows.own(a)}
