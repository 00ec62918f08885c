"""Reference figures: the depreciation engine reproduces published numbers to the cent.

Every expected figure below is copied from its public source (named in each
test's docstring), not computed by the code under test. Assets are written as
real YAML files and go through the real loader, schema and model.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from itamctl.dates import add_months
from itamctl.finance.depreciation import book_value, declining_balance, depreciation_schedule, macrs, straight_line
from itamctl.money import cents
from tests.helpers_finance import FinanceRegistry

D = Decimal

# IRS Publication 946, Appendix A, Table A-1 (half-year convention), percentages per recovery year.
TABLE_A1 = {
    3: ["33.33", "44.45", "14.81", "7.41"],
    5: ["20.00", "32.00", "19.20", "11.52", "11.52", "5.76"],
    7: ["14.29", "24.49", "17.49", "12.49", "8.93", "8.92", "8.93", "4.46"],
}
# IRS Publication 946, Appendix A, Tables A-2 (Q1), A-3 (Q2), A-4 (Q3), A-5 (Q4): mid-quarter convention.
TABLES_A2_A5 = {
    1: {3: ["58.33", "27.78", "12.35", "1.54"],
        5: ["35.00", "26.00", "15.60", "11.01", "11.01", "1.38"],
        7: ["25.00", "21.43", "15.31", "10.93", "8.75", "8.74", "8.75", "1.09"]},
    2: {3: ["41.67", "38.89", "14.14", "5.30"],
        5: ["25.00", "30.00", "18.00", "11.37", "11.37", "4.26"],
        7: ["17.85", "23.47", "16.76", "11.97", "8.87", "8.87", "8.87", "3.34"]},
    3: {3: ["25.00", "50.00", "16.67", "8.33"],
        5: ["15.00", "34.00", "20.40", "12.24", "11.30", "7.06"],
        7: ["10.71", "25.51", "18.22", "13.02", "9.30", "8.85", "8.86", "5.53"]},
    4: {3: ["8.33", "61.11", "20.37", "10.19"],
        5: ["5.00", "38.00", "22.80", "13.68", "10.94", "9.58"],
        7: ["3.57", "27.55", "19.68", "14.06", "10.04", "8.73", "8.73", "7.64"]},
}
COSTS = ["1000.00", "2499.99", "12345.67"]
FISCAL_YEAR_STARTS = ["01-01", "04-01", "10-01"]


def _macrs_cases():
    for cls in (3, 5, 7):
        yield cls, "half_year", 1, TABLE_A1[cls]
        yield cls, "half_year", 4, TABLE_A1[cls]
        for quarter in (1, 2, 3, 4):
            yield cls, "mid_quarter", quarter, TABLES_A2_A5[quarter][cls]


@pytest.fixture(scope="module", params=FISCAL_YEAR_STARTS)
def macrs_registry(request, tmp_path_factory):
    """One registry per fiscal-year start holding an asset per class, convention, quarter and cost."""
    fy_start = request.param
    reg = FinanceRegistry(tmp_path_factory.mktemp("macrs") / "registry", fiscal_year_start=fy_start)
    month, day = (int(p) for p in fy_start.split("-"))
    fy_begin = date(2024, month, day)
    expected = {}
    for cls, convention, quarter, table in _macrs_cases():
        for n, cost in enumerate(COSTS):
            # the middle month of the quarter, on a varying day
            bought = add_months(fy_begin, 3 * (quarter - 1) + 1).replace(day=5 + 9 * n)
            asset_id = f"M{cls}-{convention[:1]}{quarter}-{n}"
            reg.asset(asset_id, category="tools", date=bought.isoformat(), cost=cost, extra=f"""\
                depreciation: {{method: macrs, class_years: {cls}, convention: {convention}}}
                """)
            expected[asset_id] = (D(cost), table, str(fy_begin.year))
    return reg.load(), expected


def test_macrs_tables_a1_to_a5_per_fiscal_year(macrs_registry):
    """IRS Publication 946 (Appendix A): Table A-1 (half-year) and Tables A-2 to A-5 (mid-quarter, placed in
    service in quarter 1..4 of the tax year) for 3-, 5- and 7-year property, reproduced to the cent for several
    costs and fiscal-year starts (tax year = fiscal year). Source: shared/reference/depreciation.md, which
    reprints Table A-1 and the 5-year columns of A-2..A-5; the 3- and 7-year mid-quarter columns are from Pub 946.
    """
    registry, expected = macrs_registry
    assert len(expected) == 3 * 6 * len(COSTS)
    for asset in registry.assets:
        cost, table, first_label = expected[asset.id]
        periods = depreciation_schedule(asset, registry.settings).periods()
        assert [p.label for p in periods] == [str(int(first_label) + i) for i in range(len(table))], asset.id
        assert [cents(p.depreciation) for p in periods] == [cents(cost * D(pct) / 100) for pct in table], asset.id
        assert periods[-1].book_value == 0
        assert sum(p.depreciation for p in periods) == cost


def test_macrs_columns_sum_to_100():
    """IRS Publication 946, Appendix A: each printed column sums to 100 % (some cells adjusted by 0.01)."""
    for table in [*TABLE_A1.values(), *(col for q in TABLES_A2_A5.values() for col in q.values())]:
        assert sum(D(p) for p in table) == 100


def test_pub946_example_1_five_year_half_year():
    """IRS Publication 946, "Figuring depreciation without the tables", Example 1 (shared/reference/
    depreciation.md): $1,000 of 5-year property, half-year convention, 200 % DB switching to SL gives
    200.00, 320.00, 192.00, 115.20, 115.20, 57.60 — by the table and by the derivation."""
    expected = [D("200.00"), D("320.00"), D("192.00"), D("115.20"), D("115.20"), D("57.60")]
    assert [cents(s.amount) for s in macrs(D(1000), 5, "half_year", 0)] == expected
    # the derivation the example walks through, independently of the tables
    left, remaining, rate, out = D(1000), D(5), D(2) / 5, []
    for year in range(6):
        part = D("0.5") if year == 0 or remaining < 1 else D(1)  # half a year first and last
        amount = max(left * rate * part, left / remaining * part)  # DB, or SL once that is larger
        out.append(cents(amount))
        left, remaining = left - amount, remaining - part
    assert out == expected
    assert left == 0


def test_pub534_straight_line_full_month_convention(tmp_path):
    """IRS Publication 534 worked example (shared/reference/depreciation.md, "Straight line"): a $5,600 asset
    over 10 years is $560 a year; in service from April, 9 months in the first year give $420 (the month of
    acquisition counts in full)."""
    reg = FinanceRegistry(tmp_path / "registry")
    reg.asset("SL-1", category="tools", date="2024-04-28", cost="5600",
              extra="depreciation: {method: straight_line, life_months: 120}\n")
    registry = reg.load()
    asset = registry.assets[0]
    periods = depreciation_schedule(asset, registry.settings).periods()
    assert [(p.label, cents(p.depreciation)) for p in periods[:3]] == [
        ("2024", D("420.00")), ("2025", D("560.00")), ("2026", D("560.00"))]
    assert len(periods) == 11 and cents(periods[-1].depreciation) == D("140.00")
    assert book_value(asset, registry.settings, date(2024, 12, 31)) == D("5180")
    assert sum(s.amount for s in straight_line(D(5600), D(0), 120)) == D(5600)


def test_declining_balance_reference_example(tmp_path):
    """shared/reference/depreciation.md, "Declining balance with switch to straight line": 10,000 over 5 years,
    factor 2, salvage 0, full first year: 4,000.00, 2,400.00, 1,440.00, then straight line 1,080.00 and
    1,080.00. A purchase in the first month of the fiscal year makes each year of life a fiscal year."""
    expected = [D("4000.00"), D("2400.00"), D("1440.00"), D("1080.00"), D("1080.00")]
    assert [cents(s.amount) for s in declining_balance(D(10000), D(0), 60, D(2))] == expected
    reg = FinanceRegistry(tmp_path / "registry", fiscal_year_start="07-01")
    reg.asset("DB-1", category="tools", date="2024-07-01", cost="10000",
              extra="depreciation: {method: declining_balance, life_months: 60, factor: 2}\n")
    registry = reg.load()
    periods = depreciation_schedule(registry.assets[0], registry.settings).periods()
    assert [cents(p.depreciation) for p in periods] == expected
    assert [cents(p.book_value) for p in periods] == [D("6000.00"), D("3600.00"), D("2160.00"), D("1080.00"),
                                                      D("0.00")]


def test_declining_balance_year_spread_evenly_over_its_months(tmp_path):
    """shared/reference/depreciation.md declining-balance example, bought mid fiscal year: each year of life
    (12 months from the purchase month) is spread evenly over its months, so a calendar fiscal year holds
    9/12 of year 1 and 3/12 of year 2 when bought in April."""
    reg = FinanceRegistry(tmp_path / "registry")
    reg.asset("DB-2", category="tools", date="2024-04-10", cost="10000",
              extra="depreciation: {method: declining_balance, life_months: 60, factor: 2}\n")
    registry = reg.load()
    periods = depreciation_schedule(registry.assets[0], registry.settings).periods()
    assert [cents(p.depreciation) for p in periods] == [
        D("3000.00"),  # 9/12 of 4000
        D("2800.00"),  # 3/12 of 4000 + 9/12 of 2400
        D("1680.00"),  # 3/12 of 2400 + 9/12 of 1440
        D("1170.00"),  # 3/12 of 1440 + 9/12 of 1080
        D("1080.00"),
        D("270.00"),
    ]
