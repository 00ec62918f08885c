"""``itamctl costs`` and ``itamctl depreciation`` through the real CLI: every format, errors, the demo registry."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from conftest import REPO_ROOT

from itamctl.finance.depreciation import depreciation_schedule
from itamctl.pipeline import load_valid_registry
from tests.helpers_finance import FinanceRegistry, run, run_json

D = Decimal
MONEY = re.compile(r"^-?\d+\.\d\d$")
DEMO = REPO_ROOT / "registry"

CONTRACT = """\
apiVersion: itam/v1
kind: Contract
id: CTR-1
name: Support
vendor: acme
type: support
start: 2024-01-01
end: 2025-12-31
cost: 300
billing: yearly
covers: [A-1, A-2]
"""


@pytest.fixture
def reg(tmp_path) -> FinanceRegistry:
    reg = FinanceRegistry(tmp_path / "registry", fiscal_year_start="04-01")
    reg.asset("A-1", date="2024-04-10", cost="3600", extra="""\
        maintenance:
          - {date: 2024-09-01, kind: repair, cost: 120.005}
        """)
    reg.asset("A-2", category="server", date="2024-01-10", cost='"1000 USD"', cost_center="OPS", location="lon")
    reg.asset("A-3", status="planned", date=None, cost=None)
    reg.asset("A-4", category="tools", date="2024-05-01", cost="500",
              extra="depreciation: {method: macrs, class_years: 5, convention: half_year}\n")
    reg.write("contracts/CTR-1.yaml", CONTRACT)
    return reg


def test_costs_json(reg):
    data = run_json("costs", "--registry", reg.root, "--as-of", "2025-03-31")
    assert set(data) == {"as_of", "currency", "items", "totals"}
    assert (data["as_of"], data["currency"]) == ("2025-03-31", "EUR")
    items = {i["id"]: i for i in data["items"]}
    assert list(items) == ["A-1", "A-2", "A-3", "A-4"]
    a1 = items["A-1"]
    assert {k: a1[k] for k in ("cost", "accumulated_depreciation", "book_value", "maintenance", "contract_share",
                               "license_share", "disposal", "tco", "months_in_service", "tco_per_month")} == {
        "cost": "3600.00", "accumulated_depreciation": "1200.00", "book_value": "2400.00",
        "maintenance": "120.01",  # 120.005 rounded half-up, only when reported
        # paid 2024-01-01 (before were bought: nobody's) and 2025-01-01: half of 300
        "contract_share": "150.00",
        "license_share": "0.00", "disposal": "0.00",
        "tco": "3870.01", "months_in_service": 12, "tco_per_month": "322.50"}
    assert (a1["method"], a1["purchase_date"], a1["cost_center"]) == ("straight_line", "2024-04-10", "ENG")
    assert items["A-2"]["cost"] == "900.00"  # 1000 USD at 0.9
    a3 = items["A-3"]  # planned: not purchased yet, null (never "0.00")
    assert (a3["purchase_date"], a3["purchased"], a3["cost"], a3["book_value"], a3["tco"], a3["tco_per_month"]) == (
        None, False, None, None, None, None)
    assert items["A-4"]["accumulated_depreciation"] == "100.00"  # MACRS 5-year HY: 20 % in tax year 1
    for item in data["items"]:
        for key in ("cost", "accumulated_depreciation", "book_value", "tco"):
            assert item[key] is None if item["id"] == "A-3" else MONEY.match(item[key]), (item["id"], key)
    totals = data["totals"]
    assert totals["count"] == 4
    assert totals["cost"] == "5000.00"
    assert totals["tco"] == "5420.01"  # the sum of the rows: 3870.01 + 1050.00 + 500.00


def test_costs_json_groups(reg):
    data = run_json("costs", "--registry", reg.root, "--as-of", "2025-03-31", "--by", "location")
    assert data["by"] == "location"
    assert [(g["key"], g["count"], g["cost"]) for g in data["groups"]] == [
        ("hq", 3, "4100.00"), ("lon", 1, "900.00")]
    assert set(data["groups"][0]) == {"key", "count", *(k for k in data["totals"] if k != "count")}


def test_costs_csv(reg):
    code, out, err = run("costs", "--registry", reg.root, "--as-of", "2025-03-31", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["A-1", "A-2", "A-3", "A-4"]
    assert rows[0]["book_value"] == "2400.00" and rows[0]["tco"] == "3870.01"
    assert rows[2]["cost"] == "" and rows[2]["tco"] == ""  # planned: not purchased yet, empty money cells
    code, out, _ = run("costs", "--registry", reg.root, "--as-of", "2025-03-31", "--format", "csv",
                       "--by", "cost_center")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "cost_center"
    assert [(r[0], r[1]) for r in rows[1:]] == [("ENG", "A-1"), ("ENG", "A-3"), ("ENG", "A-4"), ("OPS", "A-2")]


def test_costs_text_is_an_aligned_table_with_totals(reg):
    code, out, err = run("costs", "--registry", reg.root, "--as-of", "2025-03-31")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Costs as of 2025-03-31 (EUR)"
    header, _rule, *body = lines[2:]
    assert header.split()[:4] == ["ID", "Category", "Status", "Cost"]
    assert body[-1].startswith("Total") and "4 assets" in body[-1] and "5,420.01" in body[-1]
    assert re.search(r"^A-3\s+laptop\s+planned\s+not purchased yet$", body[2])
    tco_end = header.index("TCO") + len("TCO")
    for line in (body[0], body[1], body[-1]):  # right-aligned money: the TCO column ends in one place
        assert re.search(r"\d\.\d\d$", line[:tco_end]) and line[tco_end:tco_end + 1] in ("", " ")
    code, out, _ = run("costs", "--registry", reg.root, "--as-of", "2025-03-31", "--by", "cost_center")
    assert re.search(r"^ENG\s+3\s+4,100\.00", out, re.M) and re.search(r"^Total\s+4\s+5,000\.00", out, re.M)


def test_costs_for_some_ids(reg):
    data = run_json("costs", "--registry", reg.root, "--as-of", "2025-03-31", "--id", "A-2", "--id", "A-1")
    assert [i["id"] for i in data["items"]] == ["A-1", "A-2"]
    assert data["totals"]["count"] == 2


@pytest.mark.parametrize(("args", "message"), [
    (["costs", "--id", "NOPE"], "--id NOPE: no asset with this id"),
    (["costs", "--id", "CTR-1"], "--id CTR-1: that is a Contract, not an Asset"),
    (["depreciation", "NOPE"], "NOPE: no asset with this id"),
    (["depreciation", "acme"], "acme: that is a Vendor, not an Asset"),
])
def test_unknown_ids_are_usage_errors(reg, args, message):
    code, out, err = run(*args, "--registry", reg.root, "--as-of", "2025-03-31")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["costs"], ["depreciation", "A-1"]])
@pytest.mark.parametrize("bad", ["2025-02-30", "31.03.2025", "2025-3-1", "today"])
def test_bad_dates_are_usage_errors(reg, command, bad):
    code, _, err = run(*command, "--registry", reg.root, "--as-of", bad)
    assert code == 2 and "is not a date in the form YYYY-MM-DD" in err


def test_depreciation_json(reg):
    data = run_json("depreciation", "A-1", "--registry", reg.root, "--as-of", "2025-06-30")
    assert (data["id"], data["method"], data["currency"], data["as_of"]) == ("A-1", "straight_line", "EUR",
                                                                             "2025-06-30")
    assert (data["cost"], data["salvage"], data["book_value"], data["accumulated_depreciation"]) == (
        "3600.00", "0.00", "2100.00", "1500.00")
    assert data["disposal"] is None
    assert data["periods"] == [
        {"period": "2024", "start": "2024-04-01", "end": "2025-03-31", "depreciation": "1200.00",
         "book_value": "2400.00"},
        {"period": "2025", "start": "2025-04-01", "end": "2026-03-31", "depreciation": "1200.00",
         "book_value": "1200.00"},
        {"period": "2026", "start": "2026-04-01", "end": "2027-03-31", "depreciation": "1200.00",
         "book_value": "0.00"},
    ]


def test_depreciation_csv_and_text(reg):
    code, out, err = run("depreciation", "A-4", "--registry", reg.root, "--as-of", "2025-06-30", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["depreciation"] for r in rows] == ["100.00", "160.00", "96.00", "57.60", "57.60", "28.80"]
    assert rows[0] == {"period": "2024", "start": "2024-04-01", "end": "2025-03-31", "depreciation": "100.00",
                       "book_value": "400.00"}
    code, out, err = run("depreciation", "A-4", "--registry", reg.root, "--as-of", "2025-06-30")
    assert code == 0, err
    assert "Method: macrs" in out and "book value 360.00" in out  # 400 - 160 * 3/12
    assert re.search(r"^2025\s+2025-04-01\s+2026-03-31\s+160\.00\s+240\.00\s+<- as of$", out, re.M)
    assert re.search(r"^Total\s+500\.00$", out, re.M)


def test_depreciation_of_a_planned_asset(reg):
    data = run_json("depreciation", "A-3", "--registry", reg.root, "--as-of", "2025-06-30")
    assert (data["purchased"], data["purchase_date"], data["cost"], data["book_value"], data["periods"]) == (
        False, None, None, None, [])
    code, out, _ = run("depreciation", "A-3", "--registry", reg.root, "--as-of", "2025-06-30")
    assert code == 0 and "Not purchased yet: nothing to depreciate." in out


def test_output_file_is_not_overwritten_without_force(reg, tmp_path):
    target = tmp_path / "costs.json"
    args = ["costs", "--registry", reg.root, "--as-of", "2025-03-31", "--format", "json", "--output", target]
    assert run(*args)[0] == 0
    assert json.loads(target.read_text())["totals"]["count"] == 4
    code, _, err = run(*args)
    assert code != 0 and "exists" in err
    assert run(*args, "--force")[0] == 0


def test_invalid_registry_is_refused_with_file_and_line(reg):
    reg.write("assets/A-9.yaml", "apiVersion: itam/v1\nkind: Asset\nid: A-9\nname: x\ncategory: laptop\nstatus: lost\n")
    code, out, err = run("costs", "--registry", reg.root, "--as-of", "2025-03-31")
    assert code == 1 and out == ""
    assert re.search(r"A-9\.yaml:6", err)


def test_missing_rate_at_compute_time_names_file_and_line(reg):
    reg.asset("A-5", date="2023-06-01", cost="100", extra="depreciation: {salvage: 10 GBP}\n")
    code, _, err = run("costs", "--registry", reg.root, "--as-of", "2025-03-31")
    assert code == 1  # caught by validation before any figure is computed
    assert re.search(r"A-5\.yaml:13:\d+: \[fx_missing_rate\] no exchange rate for GBP dated on or before 2023-06-01",
                     err)


# --- the demo registry ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
@pytest.mark.parametrize("by", [None, "category", "cost_center", "location", "vendor"])
def test_demo_costs_every_format(fmt, by):
    args = ["costs", "--registry", DEMO, "--as-of", "2026-01-31", "--format", fmt]
    code, out, err = run(*args, *(["--by", by] if by else []))
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out)
        assert data["totals"]["count"] == len(data["items"]) > 50
        assert sum(g["count"] for g in data.get("groups", [])) in (0, len(data["items"]))
        # totals are the sums of the rows, to the cent (an asset not purchased yet adds nothing)
        for key in ("cost", "book_value", "tco"):
            assert sum(D(i[key]) for i in data["items"] if i[key] is not None) == D(data["totals"][key])


def test_demo_book_value_plus_depreciation_is_cost_while_owned():
    data = run_json("costs", "--registry", DEMO, "--as-of", "2026-01-31")
    for item in data["items"]:
        if item["status"] != "disposed" and item["purchase_date"] and item["purchase_date"] <= "2026-01-31":
            total = D(item["book_value"]) + D(item["accumulated_depreciation"])
            assert abs(total - D(item["cost"])) <= D("0.01"), item["id"]


def test_demo_every_schedule_computes_and_sums_to_its_depreciable_amount():
    registry = load_valid_registry(DEMO)
    methods = set()
    for asset in registry.assets:
        schedule = depreciation_schedule(asset, registry.settings)
        if schedule is None or schedule.disposal_date is not None:
            continue
        methods.add(schedule.method)
        total = sum((p.depreciation for p in schedule.periods()), D(0))
        floor = schedule.cost if schedule.method == "none" else schedule.salvage
        assert abs(total - (schedule.cost - floor)) < D("1e-20"), asset.id
    assert {"straight_line", "declining_balance", "macrs", "none"} <= methods


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
@pytest.mark.parametrize("asset_id", ["LT-0001", "NET-0001", "SRV-0005", "LT-0006", "LT-0041"])
def test_demo_depreciation_every_format(fmt, asset_id):
    code, out, err = run("depreciation", asset_id, "--registry", DEMO, "--as-of", "2026-01-31", "--format", fmt)
    assert code == 0, err
    assert out


def test_demo_nothing_costs_before_it_exists():
    """Issue 9 item 4 on the demo: DT-0006 (ordered) depreciated 120.42 with TCO/month 1,445.00; SRV-0005
    (bought 2025-02-24) carried a contract share as of 2024-01-01. Not purchased yet: null, never 0.00."""
    items = {i["id"]: i for i in run_json("costs", "--registry", DEMO, "--as-of", "2026-12-01")["items"]}
    dt = items["DT-0006"]
    assert dt["status"] == "ordered" and dt["purchased"] is False
    assert [dt[k] for k in ("cost", "accumulated_depreciation", "book_value", "tco", "tco_per_month")] == [None] * 5
    planned = [i for i in items.values() if i["status"] in ("planned", "ordered")]
    assert len(planned) > 5 and all(i["purchased"] is False and i["tco"] is None for i in planned)
    code, text, _ = run("costs", "--registry", DEMO, "--as-of", "2026-12-01", "--id", "DT-0006")
    assert code == 0 and re.search(r"^DT-0006\s+desktop\s+ordered\s+not purchased yet$", text, re.M)
    assert "0.00" not in text.splitlines()[4]  # the DT-0006 row
    early = run_json("costs", "--registry", DEMO, "--as-of", "2024-01-01", "--id", "SRV-0005")["items"][0]
    assert early["purchased"] is False and early["contract_share"] is None and early["tco"] is None
    bought = run_json("costs", "--registry", DEMO, "--as-of", "2025-02-24", "--id", "SRV-0005")["items"][0]
    assert bought["contract_share"] == "0.00"  # CTR-KOLO-FRA's next payment is 2025-03-01
    dep = run_json("depreciation", "DT-0006", "--registry", DEMO, "--as-of", "2026-12-01")
    assert (dep["purchased"], dep["book_value"], dep["periods"]) == (False, None, [])
    code, text, _ = run("depreciation", "DT-0006", "--registry", DEMO, "--as-of", "2026-12-01")
    assert "Not purchased yet" in text and "120.42" not in text
