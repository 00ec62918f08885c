"""``itamctl budget`` end to end: every format, options, errors, and the demo registry."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from conftest import REPO_ROOT

from tests.helpers_budget import asset, run_cli, write_registry
from tests.unit.budget.test_budget_assets import ALL
from tests.unit.budget.test_budget_payments import MONTHLY_PER_SEAT, ONCE_PER_TWO_YEAR_TERM, QUARTERLY_USD_MANUAL

MONEY = re.compile(r"^\d+\.\d\d$")
DEMO = REPO_ROOT / "registry"


@pytest.fixture
def root(tmp_path):
    return write_registry(tmp_path / "r", *ALL, MONTHLY_PER_SEAT, QUARTERLY_USD_MANUAL, ONCE_PER_TWO_YEAR_TERM)


def budget(root, *args):
    return run_cli("budget", "--registry", root, "--as-of", "2026-06-30", *args)


def _check_sums(data):
    """Each year's total is the sum of its lines, and of by_kind, by_service_level and groups."""
    for year in data["years"]:
        total = Decimal(year["total"])
        assert MONEY.match(year["total"])
        assert sum(Decimal(ln["amount"]) for ln in year["lines"]) == total
        for part in ("by_kind", "by_service_level"):
            assert sum(Decimal(v) for v in year[part].values()) == total, part
        assert sum(Decimal(g["total"]) for g in year["groups"]) == total
        for line in year["lines"]:
            assert MONEY.match(line["amount"])
            assert year["start"] <= line["date"] <= year["end"]
    for past in data["actuals"]:
        assert sum(Decimal(v) for v in past["by_kind"].values()) == Decimal(past["total"])


def test_json_shape_and_figures(root):
    code, out, err = budget(root, "--format", "json", "--years", "3")
    assert code == 0, err
    data = json.loads(out)
    assert {"as_of", "currency", "years", "actuals", "unplaced"} <= set(data)
    assert (data["as_of"], data["currency"], data["fiscal_year_start"], data["by"]) == (
        "2026-06-30", "EUR", "04-01", "kind")
    year = data["years"][0]
    assert (year["start"], year["end"]) == ("2027-04-01", "2028-03-31")
    assert list(year["by_kind"]) == ["replacement", "license", "contract", "maintenance"]
    # FY2027: assets 2650.85 + L-MON 360 + C-Q 3100 + C-ONCE 5000
    assert year["total"] == "11110.85"
    assert year["by_kind"] == {"replacement": "2400.00", "license": "360.00", "contract": "8100.00",
                               "maintenance": "250.85"}
    assert set(year["lines"][0]) == {"id", "name", "kind", "date", "amount", "note"}
    assert year["groups"] == [{"key": "contract", "total": "8100.00"}, {"key": "replacement", "total": "2400.00"},
                              {"key": "license", "total": "360.00"}, {"key": "maintenance", "total": "250.85"}]
    assert [u["id"] for u in data["unplaced"]] == ["A7", "A8", "P2"]
    _check_sums(data)


@pytest.mark.parametrize("by", ["category", "cost_center", "vendor", "service_level"])
def test_group_by(root, by):
    code, out, _ = budget(root, "--format", "json", "--by", by)
    assert code == 0
    data = json.loads(out)
    assert data["by"] == by
    _check_sums(data)


def test_text(root):
    code, out, _ = budget(root, "--by", "vendor")
    assert code == 0
    assert "Budget Test Ltd: budget as of 2026-06-30" in out
    assert re.search(r"FY2027\s+forecast\s+2027-04-01\s+2028-03-31\s+2,400.00\s+360.00\s+8,100.00\s+250.85\s+"
                     r"11,110.85", out)
    assert re.search(r"FY2026\s+actual to 2026-06-30", out)
    assert "Forecast by vendor" in out and "Forecast by service level" in out
    assert re.search(r"contract\s+C-Q\s+Contract C-Q\s+2027-05-01\s+3,100.00", out)  # needs decision
    assert "overdue: end of life 2025-01-10" in out
    assert "A7" in out and "no end_of_life and no purchase date" in out
    assert "lines (" not in out
    code, out, _ = budget(root, "--lines")
    assert "FY2027 lines (2027-04-01 to 2028-03-31)" in out and "2027-06-10  replacement  A1" in out


def test_markdown(root):
    code, out, _ = budget(root, "--format", "markdown", "--lines")
    assert code == 0
    assert out.startswith("# Budget Test Ltd: budget as of 2026-06-30\n")
    assert "| FY2027 | forecast | 2027-04-01 | 2028-03-31 | 2,400.00 | 360.00 | 8,100.00 | 250.85 | 11,110.85 |" in out
    assert "## Needs decision: manual renewals forecast as continuing" in out
    assert "|---|---|---|---|---:|" in out


def test_csv(root):
    code, out, _ = budget(root, "--format", "csv", "--by", "service_level")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    forecast = [r for r in rows if r["basis"] == "forecast" and r["fiscal_year"] == "2027"]
    assert sum(Decimal(r["amount"]) for r in forecast) == Decimal("11110.85")
    a2 = next(r for r in forecast if r["id"] == "A2")
    assert (a2["kind"], a2["group"], a2["amount"], a2["currency"]) == ("maintenance", "gold", "217.52", "EUR")
    actual = {(r["fiscal_year"], r["kind"]): r["amount"] for r in rows if r["basis"].startswith("actual")}
    assert actual[("2024", "purchase")] == "3200.00"
    assert {r["basis"] for r in rows if r["fiscal_year"] == "2026"} == {"actual_partial", "forecast_partial"}


def test_output_file_is_not_overwritten_without_force(root, tmp_path):
    target = tmp_path / "budget.json"
    assert budget(root, "--format", "json", "-o", target)[0] == 0
    first = target.read_text()
    assert json.loads(first)["years"]
    code, _, err = budget(root, "--format", "csv", "-o", target)
    assert code == 3 and "already exists; pass --force" in err
    assert target.read_text() == first
    assert budget(root, "--format", "csv", "-o", target, "--force")[0] == 0
    assert target.read_text().startswith("fiscal_year,")


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2026-13-01"], "is not a date"),
    (["--years", "0"], "--years"),
    (["--by", "colour"], "--by"),
])
def test_bad_options_exit_2(root, args, message):
    code, _, err = run_cli("budget", "--registry", root, *args)
    assert code == 2 and message in err


def test_invalid_registry_is_refused_with_file_and_line(tmp_path):
    broken = asset("B1", "purchase: {date: 2024-13-40, cost: 10}\n")
    code, out, err = run_cli("budget", "--registry", write_registry(tmp_path / "r", broken),
                             "--as-of", "2026-06-30")
    assert code == 1 and out == ""
    assert re.search(r"B1\.yaml:7", err)


def test_missing_rate_is_an_error_with_file_and_line(tmp_path):
    bad = asset("A9", 'purchase: {date: 2024-06-10, cost: 100}\nreplacement_cost: "100 GBP"\n')
    code, _, err = run_cli("budget", "--registry", write_registry(tmp_path / "r", bad), "--as-of", "2026-06-30")
    assert code == 1  # refused by validation before any figure is computed
    assert re.search(r"A9\.yaml:8:\d+: \[fx_missing_rate\] no exchange rate for GBP at all", err)


def test_demo_registry_reads_as_a_plausible_budget():
    """The demo's forecast: every year has replacements, licenses and contracts; sums hold to the cent."""
    code, out, err = run_cli("budget", "--registry", DEMO, "--as-of", "2026-06-30", "--years", "5",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    _check_sums(data)
    assert len(data["years"]) == 5 and len(data["actuals"]) == 3
    for year in data["years"]:
        assert Decimal(year["by_kind"]["license"]) > 0 and Decimal(year["by_kind"]["contract"]) > 0
        assert Decimal(year["by_kind"]["replacement"]) > 0
    retired = {p.stem for p in DEMO.glob("assets/*/*.yaml")
               if re.search(r"^status: (retired|disposed)$", p.read_text(), re.MULTILINE)}
    assert retired and not retired & {ln["id"] for y in data["years"] for ln in y["lines"]}
    assert date.fromisoformat(data["years"][0]["start"]) >= date(2026, 6, 30)
