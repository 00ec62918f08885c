"""Issue 9 items 2 and 6: the current fiscal year is actual to date + forecast for the rest; round once."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from conftest import REPO_ROOT, run_cli

from itamctl.budget import budget_report
from itamctl.facts import payments_in
from itamctl.money import cents
from itamctl.pipeline import load_valid_registry

AS_OF = date(2026, 12, 1)


def test_demo_current_year_holds_what_is_due_until_its_end():
    rep = budget_report(load_valid_registry(REPO_ROOT / "registry"), AS_OF)
    assert rep.current.year.label == "2026" and rep.current.first_day == date(2026, 12, 2)
    ids = {ln.id for ln in rep.current.lines}
    assert {"SRV-0007", "NET-0011"} <= ids
    srv = [ln for ln in rep.current.lines if ln.id == "SRV-0007"]
    assert [(ln.date, ln.reported) for ln in srv] == [(date(2027, 2, 15), Decimal("15800.00"))]
    assert rep.years[0].year.label == "2027" and rep.actuals[-1].partial


def test_every_payment_is_counted_once_across_actuals_and_forecast():
    reg = load_valid_registry(REPO_ROOT / "registry")
    for as_of in (date(2026, 4, 1), AS_OF, date(2027, 3, 30), date(2027, 3, 31)):
        rep = budget_report(reg, as_of, years=1, history=1)
        year = rep.current.year
        actual, rest = rep.actuals[-1], rep.current
        assert actual.year == year
        for kind, items in (("license", reg.licenses), ("contract", reg.contracts)):
            paid = sum((reg.settings.fx.convert(p.amount, p.date) for item in items
                        for p in payments_in(item, year.start, as_of)), Decimal(0))
            due = [p for item in items for p in payments_in(item, as_of + timedelta(days=1), year.end,
                                                               renewals=item.renewal in ("auto", "manual"))]
            assert actual.by_kind[kind] == cents(paid), (as_of, kind)
            assert len([ln for ln in rest.lines if ln.kind == kind]) == len([p for p in due if p.amount.amount])
            assert all(ln.date > as_of for ln in rest.lines)


def test_current_year_in_json_and_text():
    code, out, _ = run_cli("budget", "--registry", REPO_ROOT / "registry", "--as-of", "2026-12-01",
                           "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["current"]["from"] == "2026-12-02" and data["current"]["partial"] is True
    assert data["years"][0]["label"] == "2027"
    _, text, _ = run_cli("budget", "--registry", REPO_ROOT / "registry", "--as-of", "2026-12-01")
    assert "forecast, rest of year" in text and "actual to 2026-12-01" in text


def test_half_cents_are_rounded_once(registry):
    entries = "".join(f"  - {{date: 2025-0{1 + i % 9}-1{i % 10}, kind: repair, cost: 0.005}}\n"
                      for i in range(200))
    registry.replace("assets/LT-0001.yaml", "warranty:", f"maintenance:\n{entries}warranty:")
    _, out, _ = run_cli("costs", "--registry", registry.root, "--as-of", "2025-12-31", "--format", "json")
    assert json.loads(out)["totals"]["maintenance"] == "1.00"
    _, out, _ = run_cli("budget", "--registry", registry.root, "--as-of", "2025-12-31", "--format", "json")
    years = {a["label"]: a for a in json.loads(out)["actuals"]}
    assert years["2025"]["by_kind"]["maintenance"] == "1.00"


def test_current_year_expected_total_is_actual_to_date_plus_the_rest():
    """The whole current fiscal year in one figure (the site's dashboard shows it), with or without history."""
    for history in ("3", "0"):
        code, out, err = run_cli("budget", "--registry", REPO_ROOT / "registry", "--as-of", "2026-12-01",
                                 "--history", history, "--format", "json")
        assert code == 0, err
        data = json.loads(out)
        current = data["current"]
        assert Decimal(current["expected_total"]) == Decimal(current["actual_to_date"]) + Decimal(current["total"])
        if data["actuals"]:
            assert current["actual_to_date"] == data["actuals"][-1]["total"]
        assert current["actual_to_date"] == "41184.10"
