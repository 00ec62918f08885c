"""A budget shown as text or Markdown is summed (each year's lines by kind, service level and grouping),
with the cache a chunk of files at a time: the same report as from every line, whatever changed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl import factpack
from itamctl.budget import BY_CHOICES, budget_report
from itamctl.pipeline import open_registry
from itamctl.render import PLAIN, Options, render

AS_OF = "2026-11-28"


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    return root


@pytest.mark.parametrize("by", BY_CHOICES)
@pytest.mark.parametrize("as_of", [date(2026, 11, 28), date(2027, 5, 1), date(2029, 1, 15)])
def test_a_summed_budget_shows_what_every_line_shows(tmp_path, by, as_of):
    registry = open_registry(_demo(tmp_path)).registry
    full = budget_report(registry, as_of, by=by, years=4)
    summed = budget_report(registry, as_of, by=by, years=4, lines=False)
    assert any(y.sums for y in summed.years) and summed.total == full.total > 0
    for fmt in ("text", "markdown"):
        assert render(summed, fmt, PLAIN) == render(full, fmt, PLAIN)
    assert render(budget_report(registry, as_of, by=by, years=4, lines=True), "text", Options(lines=True)) == \
        render(full, "text", Options(lines=True))
    for year_full, year_summed in zip(full.years, summed.years, strict=True):
        assert year_summed.groups == year_full.groups and year_summed.by_kind == year_full.by_kind
        assert year_summed.by_service_level == year_full.by_service_level
    with pytest.raises(ValueError):
        summed.to_json()  # it does not hold every line


@pytest.mark.parametrize("change", ["asset", "successor", "settings", "as_of", "contract"])
def test_budget_is_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = _demo(tmp_path)
    as_of = AS_OF
    # a planned replacement far from what it replaces (another chunk of files, most likely): the successor
    # of a phone with maintenance spend in the last 12 months, in a folder listed last
    (root / "zz").mkdir()
    (root / "zz" / "DT-NEXT.yaml").write_text(
        "apiVersion: itam/v1\nkind: Asset\nid: DT-NEXT\nname: Next phone\ncategory: phone\nstatus: planned\n"
        "replaces: PH-0004\nowner: tkoch\nlocation: dc-frankfurt\npurchase:\n  date: 2027-02-15\n"
        "  cost: 1500.00\n  vendor: dell\n")
    for n in range(5):  # more files, more chunks
        for path in sorted((root / "assets" / "laptop").glob("*.yaml")):
            text = path.read_text()
            asset_id = next(line[4:] for line in text.splitlines() if line.startswith("id: "))
            (path.parent / f"c{n}-{path.name}").write_text(text.replace(f"id: {asset_id}", f"id: {asset_id}-C{n}"))

    def budget(*args: str) -> tuple:
        command = ("budget", "--registry", str(root), "--as-of", as_of, *args)
        expected = run_cli(*command, "--no-cache")
        assert expected[0] == 0, expected
        assert run_cli(*command) == expected
        assert run_cli(*command) == expected
        return expected

    before = budget(), budget("--by", "vendor", "--format", "markdown")
    if change == "asset":  # an overdue replacement costs more
        path = root / "assets" / "server" / "SRV-0002.yaml"
        text = path.read_text()
        assert "replacement_cost: 11000.00" in text
        path.write_text(text.replace("replacement_cost: 11000.00", "replacement_cost: 12500.00"))
    elif change == "successor":  # a planned replacement is bought later: its predecessor's maintenance runs on
        path = root / "zz" / "DT-NEXT.yaml"
        path.write_text(path.read_text().replace("date: 2027-02-15", "date: 2028-06-15"))
    elif change == "settings":
        path = root / "settings.yaml"
        path.write_text(path.read_text().replace("maintenance_factor: 0.6", "maintenance_factor: 0.9"))
    elif change == "as_of":
        as_of = "2027-11-28"
    else:  # a contract's cost: not an asset's line, computed every run
        path = root / "contracts" / "CTR-DATADOG-2026.yaml"
        text = path.read_text()
        assert 'cost: "21600.00 USD"' in text
        path.write_text(text.replace('cost: "21600.00 USD"', 'cost: "31600.00 USD"'))
    after = budget(), budget("--by", "vendor", "--format", "markdown")
    assert after != before
    factpack.current = None


def test_a_warm_budget_reads_the_sums_of_unchanged_chunks(tmp_path, cached, monkeypatch):
    from itamctl.budget import forecast

    root = _demo(tmp_path)
    command = ("budget", "--registry", str(root), "--as-of", AS_OF)
    expected = run_cli(*command, "--no-cache")
    assert run_cli(*command) == expected  # sums every chunk and keeps them
    summed: list[int] = []
    real = forecast._summed

    def spy(registry, assets, *args):
        summed.append(len(assets))
        return real(registry, assets, *args)

    monkeypatch.setattr(forecast, "_summed", spy)
    assert run_cli(*command) == expected
    assert summed == []
    assert run_cli(*command, "--format", "json") == run_cli(*command, "--format", "json", "--no-cache")
