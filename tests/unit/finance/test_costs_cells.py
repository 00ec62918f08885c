"""Costs shown as text or Markdown list each asset's cells, with the cache made a chunk of files at a time
and kept: the same table as from every asset's figures, whatever changed, and a warm run reads them back."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import demo_copy, same_with_the_cache, warm_runs_compute_the_edited_chunk_alone

from itamctl.finance import costs as costs_module
from itamctl.finance.costs import costs_report
from itamctl.pipeline import open_registry
from itamctl.render import PLAIN, render
from itamctl.render.costs import row_cells

AS_OF = "2026-11-28"
FOLDERS = ("assets",)


@pytest.mark.parametrize("as_of", [date(2026, 11, 28), date(2021, 3, 1), date(2031, 1, 15)])
def test_the_cells_are_the_table_every_assets_figures_make(tmp_path, as_of):
    registry = open_registry(demo_copy(tmp_path)).registry
    full = costs_report(registry, as_of)
    shown = costs_report(registry, as_of, cells=row_cells)
    assert shown.items == () and len(shown.rows) == len(full.items) == len(registry.assets)
    assert shown.totals == full.totals and full.totals.tco > 0
    assert [row[0] for row in shown.rows] == [item.id for item in full.items]  # the registry's order
    for fmt in ("text", "markdown"):
        assert render(shown, fmt, PLAIN) == render(full, fmt, PLAIN)
    for fmt in ("json", "csv"):
        with pytest.raises(ValueError):
            render(shown, fmt, PLAIN)  # it holds no figure to list
    # --id and --by list other rows: the figures are computed
    assert costs_report(registry, as_of, by="category", cells=row_cells).rows is None
    assert costs_report(registry, as_of, ids=[full.items[0].id], cells=row_cells).rows is None


@pytest.mark.parametrize("change", ["asset", "covered", "settings", "as_of", "removed"])
def test_costs_are_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = demo_copy(tmp_path, copies=2, folders=FOLDERS)
    as_of = AS_OF

    def costs(*args: str) -> tuple:
        return same_with_the_cache("costs", "--registry", str(root), "--as-of", as_of, *args)

    before = costs()
    costs("--format", "markdown")
    asset = next(p for p in sorted((root / "assets").rglob("c1-*.yaml")) if "status: deployed" in p.read_text())
    text = asset.read_text()
    if change == "asset":
        asset.write_text(text.replace("cost: ", "cost: 1", 1))
    elif change == "covered":  # an asset a contract now covers: its share depends on the contract
        contract = next(p for p in sorted((root / "contracts").rglob("*.yaml")) if "covers:" in p.read_text())
        asset_id = next(line[4:] for line in text.splitlines() if line.startswith("id: "))
        contract.write_text(contract.read_text().replace("covers: [", f"covers: [{asset_id}, ", 1))
    elif change == "settings":
        settings = root / "settings.yaml"  # every asset's figures change
        settings.write_text(settings.read_text().replace("USD: 0.87, GBP: 1.16", "USD: 0.97, GBP: 1.26")
                            .replace("life_months: 36", "life_months: 48"))
    elif change == "as_of":
        as_of = "2027-06-30"
    else:
        asset.unlink()
    after = costs()
    costs("--format", "markdown")
    assert after != before


def test_a_warm_costs_run_computes_the_edited_files_chunk_alone(tmp_path, cached, monkeypatch):
    root = demo_copy(tmp_path, copies=3, folders=FOLDERS)
    warm_runs_compute_the_edited_chunk_alone(monkeypatch, ("costs", "--registry", str(root), "--as-of", AS_OF),
                                             costs_module, "_unlinked_costs", root,
                                             lambda text: text.replace("cost: ", "cost: 1", 1))
