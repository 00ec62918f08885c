"""The lifecycle facts (itamctl.facts) and the reports that call them (issue 9, items 1 and 8)."""

from __future__ import annotations

import json
from datetime import date

from conftest import REPO_ROOT, run_cli

from itamctl.facts import (
    annual_cost,
    audit_due,
    cancel_by,
    current_term,
    in_service_interval,
    owned_on,
    payments_in,
    purchased,
    running_on,
    warranty_end,
)
from itamctl.pipeline import load_valid_registry
from itamctl.site.context import gather

DEMO = REPO_ROOT / "registry"


def _load(reg):
    return load_valid_registry(reg.root)


def test_derived_warranty_end_from_category(registry):
    registry.replace("assets/LT-0001.yaml", "warranty:\n  end: 2027-03-14\n", "")
    reg = _load(registry)
    end = warranty_end(reg.by_id["LT-0001"], reg.settings)
    # bought 2024-03-15, 12 months of cover: the last covered day is 2025-03-14
    assert end is not None and end.date == date(2025, 3, 14) and end.derived
    assert end.path == ("purchase", "date")


def test_own_warranty_end_wins(registry):
    reg = _load(registry)
    end = warranty_end(reg.by_id["LT-0001"], reg.settings)
    assert end is not None and end.date == date(2027, 3, 14) and not end.derived


def test_category_default_warranty_is_an_event_and_a_finding(registry):
    """Item 1: an asset relying on the category's warranty_months is checked like any other."""
    registry.replace("assets/LT-0001.yaml", "warranty:\n  end: 2027-03-14\n", "")
    code, out, _ = run_cli("expiries", "--registry", registry.root, "--as-of", "2026-01-01",
                           "--kind", "warranty_end", "--format", "json")
    events = json.loads(out)["events"]
    assert [(e["id"], e["date"]) for e in events] == [("LT-0001", "2025-03-14")]
    code, out, _ = run_cli("check", "--registry", registry.root, "--as-of", "2026-01-01", "--format", "json")
    rules = [d["rule"] for d in json.loads(out)["diagnostics"]]
    assert "expired_warranty" in rules and code == 1


def test_planned_asset_has_no_derived_warranty(registry):
    registry.replace("assets/LT-0001.yaml", "warranty:\n  end: 2027-03-14\n", "")
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: planned")
    reg = _load(registry)
    asset = reg.by_id["LT-0001"]
    assert warranty_end(asset, reg.settings) is None
    assert in_service_interval(asset) is None and not purchased(asset, date(2030, 1, 1))


def test_in_service_interval_stops_the_day_before_disposal(registry):
    registry.replace("assets/LT-0001.yaml", "status: deployed",
                     "status: disposed\ndisposal: {date: 2025-06-10, method: resale, proceeds: 300}")
    reg = _load(registry)
    asset = reg.by_id["LT-0001"]
    assert in_service_interval(asset) == (date(2024, 3, 15), date(2025, 6, 9))
    assert owned_on(asset, date(2025, 6, 9)) and not owned_on(asset, date(2025, 6, 10))
    assert not owned_on(asset, date(2024, 3, 14))


def test_terms_cancel_by_and_running(registry):
    reg = _load(registry)
    lic, ctr = reg.by_id["LIC-0001"], reg.by_id["CTR-0001"]
    # LIC-0001 renews automatically, each renewal as long as the first term (36 months)
    assert current_term(lic, date(2026, 5, 1)) == (date(2024, 1, 1), date(2026, 12, 31))
    assert current_term(lic, date(2027, 2, 1)) == (date(2027, 1, 1), date(2029, 12, 31))
    assert running_on(lic, date(2030, 5, 5)) and not running_on(lic, date(2023, 12, 31))
    # CTR-0001 is manual: it ends 2026-12-31 and there is nothing to cancel
    assert cancel_by(ctr, date(2026, 1, 1)) is None
    assert running_on(ctr, date(2026, 12, 31)) and not running_on(ctr, date(2027, 1, 1))
    registry.replace("licenses/LIC-0001.yaml", "renewal: auto", "renewal: auto\nnotice_days: 30")
    lic = _load(registry).by_id["LIC-0001"]
    assert cancel_by(lic, date(2027, 2, 1)) == date(2029, 12, 1)


def test_payments_in_an_interval_are_inclusive(registry):
    reg = _load(registry)
    lic = reg.by_id["LIC-0001"]
    got = payments_in(lic, date(2025, 1, 1), date(2026, 1, 1))
    assert [p.date for p in got] == [date(2025, 1, 1), date(2026, 1, 1)]
    assert all(p.amount.amount == 500 for p in got)  # 100 per seat x 5 seats


def test_annual_cost_per_billing(registry):
    from dataclasses import replace
    from decimal import Decimal

    reg = _load(registry)
    lic = reg.by_id["LIC-0001"]  # 100 per seat x 5 seats a period; a 36-month first term
    yearly = {b: annual_cost(replace(lic, billing=b)).amount for b in ("monthly", "quarterly", "yearly", "once")}
    assert yearly == {"monthly": 6000, "quarterly": 2000, "yearly": 500, "once": Decimal(500) / 3}
    assert annual_cost(replace(lic, billing="once", end=None)) is None  # paid once, never again
    assert annual_cost(replace(lic, cost=None)) is None
    assert annual_cost(lic).currency == lic.payment.currency


def test_audit_due_counts_from_last_audit(registry):
    registry.replace("settings.yaml", "service_levels:", "audit: {interval_months: 12}\nservice_levels:")
    reg = _load(registry)
    assert audit_due(reg.by_id["LT-0001"], reg.settings) == (date(2025, 3, 15), ("purchase", "date"))


def test_site_and_expiries_agree_on_cancel_by():
    """Item 8: every cancel-by on the site is an event of `expiries`, and the other way round."""
    as_of = "2026-12-01"
    _, out, _ = run_cli("expiries", "--registry", DEMO, "--as-of", as_of, "--kind", "cancel_by",
                        "--format", "json")
    cli_dates = {(e["id"], e["date"]) for e in json.loads(out)["events"]}
    context = gather(load_valid_registry(DEMO), date.fromisoformat(as_of), with_reports=False)
    site_dates = {(row["id"], row["cancel_by"]) for row in (*context.licenses, *context.contracts)
                  if row["cancel_by"]}
    assert site_dates == cli_dates and cli_dates
    assert "CTR-SPREE-LEASE-2020" not in {item for item, _ in site_dates}


def test_demo_assets_without_warranty_get_the_category_default():
    context = gather(load_valid_registry(DEMO), date(2026, 12, 1), with_reports=False)
    blank = {row["id"] for row in context.assets if not row["warranty_end"]}
    assert "LT-0030" in blank  # ordered: not bought, no cover yet
    assert all(row["status"] in ("planned", "ordered") for row in context.assets if row["id"] in blank)


def test_costs_csv_by_category_has_one_category_column():
    """Item 12: `costs --by category --format csv` had `category` twice."""
    import csv
    import io
    _, out, _ = run_cli("costs", "--registry", DEMO, "--as-of", "2026-12-01", "--by", "category", "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header[0] == "category" and header.count("category") == 1


def test_costs_markdown():
    code, out, _ = run_cli("costs", "--registry", DEMO, "--as-of", "2026-12-01", "--format", "markdown")
    assert code == 0 and out.startswith("## Costs as of 2026-12-01 (EUR)")
    assert "| ID | Category | Status |" in out and "| LT-0042 |" in out


def test_demo_rows_add_up_and_disposals_show_their_write_off():
    """Item 5: SRV-0005 reported 36,955.00 − 22,209.96 = 14,745.05; MON-0003's write-off was nowhere, and no
    disposal showed its gain or loss. As of 2026-12-31 (December has ended: the figures the issue quotes)."""
    from decimal import Decimal
    _, out, _ = run_cli("costs", "--registry", DEMO, "--as-of", "2026-12-31", "--format", "json")
    items = {i["id"]: i for i in json.loads(out)["items"]}
    for row in items.values():
        if row["purchased"]:
            assert Decimal(row["cost"]) - Decimal(row["accumulated_depreciation"]) - Decimal(row["write_off"]) \
                == Decimal(row["book_value"]), row["id"]
    assert items["SRV-0005"]["book_value"] == "14745.04"
    mon = items["MON-0003"]  # 139 GBP, recycled 2023-06-30 for nothing
    assert mon["status"] == "disposed" and mon["book_value"] == "0.00" and mon["write_off"] == "41.51"
    assert mon["gain_or_loss"] == "-41.51"  # proceeds 0 − the book value written off
    lt = items["LT-0001"]  # fully depreciated, resold for 450
    assert (lt["write_off"], lt["gain_or_loss"]) == ("0.00", "450.00")
    assert all(i["gain_or_loss"] is None for i in items.values() if i["status"] != "disposed")
    _, out, _ = run_cli("depreciation", "SRV-0005", "--registry", DEMO, "--as-of", "2026-12-31", "--format", "json")
    data = json.loads(out)
    assert (data["accumulated_depreciation"], data["book_value"]) == ("22209.96", "14745.04")
    assert sum(Decimal(p["depreciation"]) for p in data["periods"]) == Decimal(data["cost"])  # MACRS: to 0
    _, out, _ = run_cli("depreciation", "MON-0003", "--registry", DEMO, "--as-of", "2026-12-01", "--format", "json")
    assert json.loads(out)["disposal"] == {"date": "2023-06-30", "written_off": "41.51", "proceeds": "0.00",
                                           "gain_or_loss": "-41.51"}
    _, out, _ = run_cli("depreciation", "MON-0003", "--registry", DEMO, "--as-of", "2026-12-01")
    assert "Disposed 2023-06-30: written off 41.51, proceeds 0.00, gain or loss -41.51" in out
    for fmt in ("text", "markdown"):
        _, out, _ = run_cli("costs", "--registry", DEMO, "--as-of", "2026-12-01", "--id", "MON-0003", "--format", fmt)
        assert "Gain/loss" in out and "-41.51" in out
    _, out, _ = run_cli("costs", "--registry", DEMO, "--as-of", "2026-12-01", "--id", "MON-0003", "--format", "csv")
    row = dict(zip(*[line.split(",") for line in out.splitlines()[:2]], strict=True))
    assert (row["write_off"], row["gain_or_loss"]) == ("41.51", "-41.51")
