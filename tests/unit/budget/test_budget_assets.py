"""Budget forecast of asset replacements, planned purchases and maintenance: hand-computed.

Settings (tests/helpers_budget.py): fiscal year from 1 April; laptops live 36
months, servers 60; gold ×1.5, standard ×1.0; 1 USD = 0.90 EUR from
2024-01-01, 0.80 from 2027-01-01, 0.75 from 2027-10-01. As of 2026-06-30 the
forecast years are FY2027 (2027-04-01..2028-03-31), FY2028, FY2029.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from itamctl.budget.report import budget_report
from itamctl.errors import FatalError
from itamctl.pipeline import open_registry
from tests.helpers_budget import asset, report, write_registry

AS_OF = date(2026, 6, 30)

# Bought 2024-06-10, 36 months: end of life 2027-06-10 (FY2027). 33.33 maintenance within 12 months.
A1 = asset("A1", """\
    service_level: standard
    purchase: {date: 2024-06-10, cost: 1500, vendor: acme}
    maintenance:
      - {date: 2026-01-01, kind: repair, cost: 33.33}
    """)


def a2(level: str = "gold") -> str:
    """End of life 2029-01-31 (FY2028), replacement 5000 USD at 0.75 = 3750.00.

    Maintenance in the 12 months before 2026-06-30 (2025-06-30 excluded, 2026-06-30 included):
    100.01 + 50 USD at 0.90 = 145.01; × 1.5 = 217.515, reported 217.52.
    """
    return asset("A2", f"""\
        service_level: {level}
        purchase: {{date: 2024-02-01, cost: 4000, vendor: globex}}
        end_of_life: 2029-01-31
        replacement_cost: "5000 USD"
        maintenance:
          - {{date: 2025-06-30, kind: repair, cost: 999}}
          - {{date: 2025-07-01, kind: upgrade, cost: 100.01}}
          - {{date: 2026-06-30, kind: repair, cost: "50 USD"}}
        """, category="server")


# Bought 2022-01-10: end of life 2025-01-10, already past at as_of: overdue, in FY2027.
A3 = asset("A3", "purchase: {date: 2022-01-10, cost: 900}\n", status="in_repair")
# End of life 2026-12-31: in the current fiscal year (FY2026), which is not forecast.
A4 = asset("A4", "purchase: {date: 2023-12-31, cost: 700}\n")
# Retired and disposed, end of life in the window: excluded.
A5 = asset("A5", 'purchase: {date: 2024-05-01, cost: "1000 USD"}\n', status="retired")
A6 = asset("A6", """\
    purchase: {date: 2024-05-02, cost: 800}
    disposal: {date: 2026-01-10, method: recycle}
    maintenance:
      - {date: 2025-09-01, kind: repair, cost: 50}
    """, status="disposed")
# Cannot be placed: no purchase date and no end of life; no service life for the category.
A7 = asset("A7", "notes: spare\n", category="cable", status="in_stock")
A8 = asset("A8", "purchase: {date: 2024-01-01, cost: 20}\n", category="cable")
# Planned purchase in FY2028 (its own end of life, 2031-05-01, is beyond the window).
P1 = asset("P1", "purchase: {date: 2028-05-01, cost: 2000}\n", status="planned")
P2 = asset("P2", "notes: waiting for a quote\n", status="ordered")

ALL = (A1, a2(), A3, A4, A5, A6, A7, A8, P1, P2)


def _lines(year):
    return [(ln.id, ln.kind, ln.date.isoformat(), str(ln.reported), ln.note) for ln in year.lines]


def test_replacement_timing_maintenance_and_planned_purchases(tmp_path):
    rep = report(write_registry(tmp_path / "r", *ALL), AS_OF, years=3)
    fy2027, fy2028, fy2029 = rep.years
    assert _lines(fy2027) == [
        ("A1", "maintenance", "2027-04-01", "33.33", "12-month spend 33.33 × 1.0 (standard)"),
        ("A2", "maintenance", "2027-04-01", "217.52", "12-month spend 145.01 × 1.5 (gold)"),
        ("A3", "replacement", "2027-04-01", "900.00", "overdue: end of life 2025-01-10"),
        ("A1", "replacement", "2027-06-10", "1500.00", ""),
    ]
    assert _lines(fy2028) == [
        ("A2", "maintenance", "2028-04-01", "217.52", "12-month spend 145.01 × 1.5 (gold)"),
        ("P1", "replacement", "2028-05-01", "2000.00", "new: planned purchase"),
        ("A2", "replacement", "2029-01-31", "3750.00", ""),
    ]
    # A4 is replaced in the current fiscal year (not forecast); its replacement's own end of life is.
    assert _lines(fy2029) == [
        ("A4", "replacement", "2029-12-31", "700.00", "cycle: replaces the replacement of 2026-12-31 after 36 months"),
    ]
    assert fy2027.by_kind == {"replacement": Decimal("2400.00"), "license": Decimal(0),
                              "contract": Decimal(0), "maintenance": Decimal("250.85")}
    assert fy2027.total == Decimal("2650.85")
    assert fy2028.total == Decimal("5967.52")


def test_year_total_is_the_sum_of_rounded_lines(tmp_path):
    """Two assets each at 145.01 × 1.5 = 217.515: the year shows 217.52 + 217.52 = 435.04, not 435.03."""
    twin = a2().replace("id: A2", "id: A2b").replace("name: Asset A2", "name: Asset A2b")
    rep = report(write_registry(tmp_path / "r", a2(), twin), AS_OF, years=1)
    assert rep.years[0].by_kind["maintenance"] == Decimal("435.04")
    assert rep.to_json()["years"][0]["total"] == "435.04"


def test_retired_disposed_and_current_year_items_are_not_forecast(tmp_path):
    rep = report(write_registry(tmp_path / "r", *ALL), AS_OF, years=3)
    ids = {ln.id for y in rep.years for ln in y.lines if not ln.note.startswith("cycle:")}
    assert ids == {"A1", "A2", "A3", "P1"}


def test_replacements_recur_every_service_life(tmp_path):
    """Keeping the service level: A1 (end of life 2027-06-10, 36-month life) comes back in 2030 and 2033."""
    rep = report(write_registry(tmp_path / "r", *ALL), AS_OF, years=7)
    a1 = [(ln.date.isoformat(), ln.note) for y in rep.years for ln in y.lines
          if ln.id == "A1" and ln.kind == "replacement"]
    assert a1 == [
        ("2027-06-10", ""),
        ("2030-06-10", "cycle: replaces the replacement of 2027-06-10 after 36 months"),
        ("2033-06-10", "cycle: replaces the replacement of 2030-06-10 after 36 months"),
    ]


def test_unplaced_assets_are_listed_with_a_reason(tmp_path):
    rep = report(write_registry(tmp_path / "r", *ALL), AS_OF, years=3)
    assert [(u.id, u.reason) for u in rep.unplaced] == [
        ("A7", "no end_of_life and no purchase date"),
        ("A8", "no service life for category 'cable' (set end_of_life or life_months)"),
        ("P2", "ordered without a purchase date"),
    ]
    assert [u["id"] for u in rep.to_json()["unplaced"]] == ["A7", "A8", "P2"]


def test_service_level_totals_and_changing_a_level_changes_the_forecast(tmp_path):
    root = write_registry(tmp_path / "r", *ALL)
    fy2027 = report(root, AS_OF, years=1).years[0]
    assert fy2027.by_service_level == {"gold": Decimal("217.52"), "standard": Decimal("1533.33"),
                                       "none": Decimal("900.00")}
    (root / "A2.yaml").write_text(a2("standard"), encoding="utf-8")
    fy2027 = report(root, AS_OF, years=1).years[0]
    assert fy2027.by_service_level == {"gold": Decimal(0), "standard": Decimal("1678.34"),
                                       "none": Decimal("900.00")}
    assert fy2027.total == Decimal("2578.34")  # 2650.85 - 217.52 + 145.01


def test_group_by_vendor(tmp_path):
    rep = report(write_registry(tmp_path / "r", *ALL), AS_OF, years=1, by="vendor")
    assert rep.years[0].groups == [("acme", Decimal("1533.33")), ("none", Decimal("900.00")),
                                   ("globex", Decimal("217.52"))]


def test_a_contract_covering_gold_assets_counts_towards_gold(tmp_path):
    contract = """\
        apiVersion: itam/v1
        kind: Contract
        id: C-SUP
        name: Server support
        vendor: globex
        type: support
        start: 2026-01-01
        end: 2028-12-31
        cost: 1200
        billing: yearly
        covers: [A2]
        """
    rep = report(write_registry(tmp_path / "r", a2(), contract), AS_OF, years=1)
    assert rep.years[0].by_service_level["gold"] == Decimal("1417.52")  # 1200 + 217.52


def test_replacement_cost_in_a_currency_without_a_rate_names_the_file_and_line(tmp_path):
    bad = asset("A9", 'purchase: {date: 2024-06-10, cost: 100}\nreplacement_cost: "100 GBP"\n')
    root = write_registry(tmp_path / "r", bad)
    checked = open_registry(root)  # validation reports it first; the engine guards library callers too
    assert [(d.rule, d.line) for d in checked.diagnostics] == [("fx_missing_rate", 8)]
    with pytest.raises(FatalError) as caught:
        budget_report(checked.registry, AS_OF, years=1)
    assert caught.value.file.endswith("A9.yaml") and caught.value.line == 8
    assert "no exchange rate for GBP" in str(caught.value)
