"""Depreciation behaviour on real registries: months, salvage, currencies, disposal, defaults, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from itamctl.errors import FatalError
from itamctl.finance.depreciation import accumulated_depreciation, book_value, depreciation_schedule
from itamctl.money import cents
from tests.helpers_finance import FinanceRegistry

D = Decimal


@pytest.fixture
def reg(tmp_path) -> FinanceRegistry:
    return FinanceRegistry(tmp_path / "registry")


def _one(reg: FinanceRegistry, **kwargs):
    reg.asset("A-1", **kwargs)
    registry = reg.load()
    return registry.assets[0], registry.settings


def _unchecked(reg: FinanceRegistry, rule: str, file_end: str, line: int, **kwargs):
    """The asset even though validation finds ``rule`` at ``file_end``:``line`` (which it must)."""
    reg.asset("A-1", **kwargs)
    registry, findings = reg.load_unchecked()
    assert [(f.endswith(file_end), n, r) for f, n, r in findings] == [(True, line, rule)]
    return registry.assets[0], registry.settings


def test_full_month_convention_counts_the_purchase_month_and_every_month_once_ended(reg):
    """Full-month convention (IRS Pub 534: the month of acquisition counts as a full month; docs/conventions.md):
    the purchase month counts from the purchase date, each later month once it has ended."""
    asset, settings = _one(reg, date="2024-03-15", cost="1200")  # laptop: straight line, 36 months
    assert book_value(asset, settings, date(2024, 3, 14)) == 0  # not bought yet
    assert cents(book_value(asset, settings, date(2024, 3, 15))) == D("1166.67")  # one month: 1200 / 36
    assert book_value(asset, settings, date(2024, 3, 31)) == book_value(asset, settings, date(2024, 3, 15))
    assert book_value(asset, settings, date(2024, 4, 29)) == book_value(asset, settings, date(2024, 3, 15))
    assert accumulated_depreciation(asset, settings, date(2024, 3, 15)) == D(1200) / 36
    assert accumulated_depreciation(asset, settings, date(2024, 4, 30)) == D(1200) * 2 / 36  # April has ended
    assert cents(book_value(asset, settings, date(2024, 12, 1))) == D("900.00")  # March..November: 9 months
    assert cents(book_value(asset, settings, date(2024, 12, 31))) == D("866.67")  # 10 months, as Pub 534 counts
    assert accumulated_depreciation(asset, settings, date(2027, 2, 28)) == D(1200)  # month 36, exactly
    assert accumulated_depreciation(asset, settings, date(2027, 2, 1)) == D(1200) * 35 / 36
    assert book_value(asset, settings, date(2030, 1, 1)) == 0


def test_a_laptop_bought_yesterday_has_one_month_of_depreciation(reg):
    """Issue 9 item 4: bought 2026-11-30, seen on 2026-12-01, it had two months (November and December)."""
    asset, settings = _one(reg, date="2026-11-30", cost="3600")
    assert accumulated_depreciation(asset, settings, date(2026, 12, 1)) == D(100)  # 3600 / 36: November only
    assert accumulated_depreciation(asset, settings, date(2026, 12, 30)) == D(100)
    assert accumulated_depreciation(asset, settings, date(2026, 12, 31)) == D(200)


def test_month_end_values_are_exact_not_sums_of_rounded_months(reg):
    asset, settings = _one(reg, date="2024-01-01", cost="1000")
    schedule = depreciation_schedule(asset, settings)
    assert schedule.accumulated_depreciation(date(2024, 6, 30)) == D(1000) * 6 / 36
    assert schedule.book_value(date(2025, 6, 30)) == D(1000) / 2  # 18 of 36 months: exactly 500
    assert sum(p.depreciation for p in schedule.periods()) == D(1000)


def test_salvage_in_foreign_currency_is_converted_at_purchase_date(reg):
    asset, settings = _one(reg, date="2024-03-15", cost="1200", extra="depreciation: {salvage: 300 USD}\n")
    schedule = depreciation_schedule(asset, settings)
    assert schedule.method == "straight_line"  # inherited from the category, field by field
    assert schedule.salvage == D(270)  # 300 USD at 0.9 (rate of 2024-01-01)
    assert schedule.book_value(date(2026, 12, 31)) == D(1200) - (D(1200) - 270) * 34 / 36
    assert schedule.book_value(date(2029, 1, 1)) == D(270)
    assert schedule.periods()[-1].book_value == D(270)


def test_cost_in_foreign_currency_uses_latest_rate_on_or_before_purchase(reg):
    asset, settings = _one(reg, date="2025-02-01", cost='"1000 USD"')
    assert depreciation_schedule(asset, settings).cost == D(800)  # 2025-01-01 rate 0.8


def test_salvage_at_or_above_cost_means_no_depreciation(reg):
    asset, settings = _one(reg, cost="100", extra="depreciation: {salvage: 150}\n")
    assert book_value(asset, settings, date(2030, 1, 1)) == D(100)


def test_none_keeps_cost_and_has_no_periods(reg):
    asset, settings = _one(reg, extra="depreciation: {method: none}\n")
    schedule = depreciation_schedule(asset, settings)
    assert schedule.book_value(date(2040, 1, 1)) == D(1200)
    assert schedule.periods() == ()


def test_disposal_stops_depreciation_before_its_month_and_books_out(reg):
    asset, settings = _one(reg, status="disposed", date="2024-01-10", cost="3600", extra="""\
        disposal: {date: 2025-01-20, method: resale, proceeds: 500}
        """)
    schedule = depreciation_schedule(asset, settings)
    assert schedule.accumulated_depreciation(date(2025, 1, 19)) == D(1200)  # 12 months, not 13
    assert schedule.book_value(date(2025, 1, 19)) == D(2400)
    assert schedule.book_value(date(2025, 1, 20)) == 0
    assert schedule.value_at_disposal == D(2400)
    periods = schedule.periods()
    assert [(p.label, p.depreciation, p.book_value) for p in periods] == [
        ("2024", D(1200), D(2400)), ("2025", D(0), D(0))]


def test_planned_asset_has_no_schedule(reg):
    asset, settings = _one(reg, status="planned", date=None, cost=None)
    assert depreciation_schedule(asset, settings) is None
    assert book_value(asset, settings, date(2030, 1, 1)) == 0


def test_macrs_mid_quarter_uses_the_quarter_of_the_fiscal_year(tmp_path):
    """Fiscal year from October: a December purchase is in the first quarter (Table A-2, 35 %)."""
    reg = FinanceRegistry(tmp_path / "registry", fiscal_year_start="10-01")
    asset, settings = _one(reg, date="2024-12-20", cost="1000",
                           extra="depreciation: {method: macrs, class_years: 5, convention: mid_quarter}\n")
    periods = depreciation_schedule(asset, settings).periods()
    assert (periods[0].label, periods[0].start, periods[0].depreciation) == ("2024", date(2024, 10, 1), D("350.00"))
    # within the tax year the amount is spread over its months in service: Dec..Sep = 10 months
    assert book_value(asset, settings, date(2025, 1, 31)) == D(1000) - D(350) * 2 / 10


def test_missing_life_points_at_the_category_in_settings(tmp_path):
    reg = FinanceRegistry(tmp_path / "registry", categories="  laptop: {depreciation: {method: straight_line}}\n")
    asset, settings = _unchecked(reg, "depreciation_incomplete", "settings.yaml", 8)
    with pytest.raises(FatalError) as caught:
        depreciation_schedule(asset, settings)
    assert caught.value.file.endswith("settings.yaml") and caught.value.line == 8
    assert "life_months" in str(caught.value)


def test_macrs_without_class_points_at_the_asset(reg):
    asset, settings = _unchecked(reg, "depreciation_incomplete", "A-1.yaml", 13,
                                 extra="depreciation: {method: macrs}\n")
    with pytest.raises(FatalError) as caught:
        depreciation_schedule(asset, settings)
    assert caught.value.file.endswith("A-1.yaml") and caught.value.line == 13
    assert "class_years" in str(caught.value)


def test_missing_rate_for_salvage_names_file_and_line(tmp_path):
    reg = FinanceRegistry(tmp_path / "registry", fx="[{date: 2025-01-01, USD: 0.8}]")
    asset, settings = _unchecked(reg, "fx_missing_rate", "A-1.yaml", 13, date="2024-06-01",
                                 extra="depreciation: {salvage: 100 USD}\n")
    with pytest.raises(FatalError) as caught:
        depreciation_schedule(asset, settings)
    assert caught.value.file.endswith("A-1.yaml") and caught.value.line == 13
    assert "USD" in str(caught.value) and "2024-06-01" in str(caught.value)
