"""Budget forecast of license and contract payments: hand-computed scenarios.

Settings (tests/helpers_budget.py): fiscal year from 1 April, report currency
EUR, 1 USD = 0.90 EUR from 2024-01-01, 0.80 from 2027-01-01, 0.75 from 2027-10-01.
As of 2026-06-30 the forecast years are FY2027 (2027-04-01..2028-03-31),
FY2028 and FY2029 (..2030-03-31).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tests.helpers_budget import billable, report, write_registry

AS_OF = date(2026, 6, 30)

MONTHLY_PER_SEAT = billable("License", "L-MON", """\
    seats: 3
    cost: 10.00
    per_seat: true
    billing: monthly
    start: 2026-01-15
    end: 2027-01-14
    renewal: auto
    """)

QUARTERLY_USD_MANUAL = billable("Contract", "C-Q", """\
    cost: "1000.00 USD"
    billing: quarterly
    start: 2026-05-01
    end: 2027-04-30
    renewal: manual
    renewal_months: 12
    """)

YEARLY_NO_RENEWAL = billable("License", "L-YR", """\
    cost: 1200
    billing: yearly
    start: 2025-10-01
    end: 2028-09-30
    renewal: none
    """)

ONCE_PER_TWO_YEAR_TERM = billable("Contract", "C-ONCE", """\
    cost: 5000
    billing: once
    start: 2025-07-01
    end: 2027-06-30
    renewal: auto
    renewal_months: 24
    """)

YEARLY_ON_THE_BOUNDARY = billable("License", "L-EDGE", """\
    cost: 100
    billing: yearly
    start: 2025-03-31
    end: 2026-03-30
    renewal: auto
    """)


def _lines(rep, item_id):
    return [[(ln.date.isoformat(), str(ln.reported), ln.note) for ln in y.lines if ln.id == item_id]
            for y in rep.years]


def test_forecast_window_is_the_fiscal_years_starting_on_or_after_as_of(tmp_path):
    root = write_registry(tmp_path / "r")
    rep = report(root, AS_OF, years=3)
    assert [(y.year.start, y.year.end) for y in rep.years] == [
        (date(2027, 4, 1), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2029, 3, 31)),
        (date(2029, 4, 1), date(2030, 3, 31)),
    ]
    # the year holding as_of is the current one: forecast from the day after as_of (``current``)
    rep = report(root, AS_OF, years=3)
    assert rep.current.year.start == date(2026, 4, 1) and rep.current.first_day == AS_OF + timedelta(days=1)
    on_start = report(root, date(2026, 4, 1), years=1)
    assert on_start.current.first_day == date(2026, 4, 2) and on_start.years[0].year.start == date(2027, 4, 1)


def test_monthly_per_seat_license_renewing_automatically(tmp_path):
    """3 seats × 10.00 each month on the 15th; the term ended 2027-01-14, auto renewal continues it."""
    rep = report(write_registry(tmp_path / "r", MONTHLY_PER_SEAT), AS_OF, years=2)
    fy2027 = _lines(rep, "L-MON")[0]
    assert len(fy2027) == 12
    assert fy2027[0] == ("2027-04-15", "30.00", "auto renewal")
    assert fy2027[-1] == ("2028-03-15", "30.00", "auto renewal")
    assert rep.years[0].by_kind["license"] == Decimal("360.00")
    assert rep.years[1].by_kind["license"] == Decimal("360.00")


def test_quarterly_usd_contract_converted_at_each_payment_date_and_manual_renewal_flagged(tmp_path):
    """FY2027: 1000 USD on 2027-05-01 and 08-01 at 0.80, on 11-01 and 2028-02-01 at 0.75 = 3100.00."""
    rep = report(write_registry(tmp_path / "r", QUARTERLY_USD_MANUAL), AS_OF, years=3)
    fy2027, _, fy2029 = _lines(rep, "C-Q")
    note = "needs decision: manual renewal"
    assert fy2027 == [("2027-05-01", "800.00", note), ("2027-08-01", "800.00", note),
                      ("2027-11-01", "750.00", note), ("2028-02-01", "750.00", note)]
    assert rep.years[0].by_kind["contract"] == Decimal("3100.00")
    # a future date takes the latest known rate (0.75)
    assert rep.years[2].by_kind["contract"] == Decimal("3000.00")
    assert [d for d, _, _ in fy2029] == ["2029-05-01", "2029-08-01", "2029-11-01", "2030-02-01"]


def test_payments_inside_the_recorded_term_carry_no_note(tmp_path):
    """As of 2026-03-31 the first year is FY2026: three payments at 0.90, one (2027-02-01) at 0.80."""
    rep = report(write_registry(tmp_path / "r", QUARTERLY_USD_MANUAL), date(2026, 3, 31), years=1)
    assert _lines(rep, "C-Q")[0] == [("2026-05-01", "900.00", ""), ("2026-08-01", "900.00", ""),
                                     ("2026-11-01", "900.00", ""), ("2027-02-01", "800.00", "")]
    assert rep.years[0].total == Decimal("3500.00")


def test_renewal_none_stops_at_the_end(tmp_path):
    rep = report(write_registry(tmp_path / "r", YEARLY_NO_RENEWAL), AS_OF, years=3)
    assert _lines(rep, "L-YR") == [[("2027-10-01", "1200.00", "")], [], []]


def test_once_per_term_contract_renewing_across_year_boundaries(tmp_path):
    """Paid once per term: 2025-07-01, then at each 24-month renewal: 2027-07-01, 2029-07-01."""
    rep = report(write_registry(tmp_path / "r", ONCE_PER_TWO_YEAR_TERM), AS_OF, years=3)
    assert _lines(rep, "C-ONCE") == [[("2027-07-01", "5000.00", "auto renewal")], [],
                                     [("2029-07-01", "5000.00", "auto renewal")]]
    assert [y.total for y in rep.years] == [Decimal("5000.00"), Decimal(0), Decimal("5000.00")]


def test_a_payment_on_the_last_day_of_a_fiscal_year_belongs_to_that_year(tmp_path):
    """Yearly on 31 March: 2027-03-31 is FY2026 (not forecast), 2028-03-31 the last day of FY2027."""
    rep = report(write_registry(tmp_path / "r", YEARLY_ON_THE_BOUNDARY), AS_OF, years=3)
    assert [[d for d, _, _ in year] for year in _lines(rep, "L-EDGE")] == [
        ["2028-03-31"], ["2029-03-31"], ["2030-03-31"]]


def test_calendar_fiscal_year(tmp_path):
    """With fiscal_year_start 01-01, as of 2026-06-30 the first year is 2027: 12 monthly payments."""
    from tests.helpers_budget import SETTINGS

    settings = SETTINGS.replace('fiscal_year_start: "04-01"', 'fiscal_year_start: "01-01"')
    rep = report(write_registry(tmp_path / "r", MONTHLY_PER_SEAT, settings=settings), AS_OF, years=1)
    year = rep.years[0]
    assert (year.year.start, year.year.end) == (date(2027, 1, 1), date(2027, 12, 31))
    dates = [ln.date.isoformat() for ln in year.lines]
    assert dates[0] == "2027-01-15" and dates[-1] == "2027-12-15" and len(dates) == 12
    # 2027-01-15 falls after the recorded end (2027-01-14): it is the first renewal payment
    assert year.lines[0].note == "auto renewal"


def test_all_billing_kinds_together_sum_to_the_cent(tmp_path):
    root = write_registry(tmp_path / "r", MONTHLY_PER_SEAT, QUARTERLY_USD_MANUAL, YEARLY_NO_RENEWAL,
                          ONCE_PER_TWO_YEAR_TERM, YEARLY_ON_THE_BOUNDARY)
    rep = report(root, AS_OF, years=3)
    # FY2027: 360 + 3100 + 1200 + 5000 + 100
    assert rep.years[0].by_kind == {"replacement": Decimal(0), "license": Decimal("1660.00"),
                                    "contract": Decimal("8100.00"), "maintenance": Decimal(0)}
    assert rep.years[0].total == Decimal("9760.00")
    # FY2028: 360 + 3000 + 100
    assert rep.years[1].total == Decimal("3460.00")
    # FY2029: 360 + 3000 + 5000 + 100
    assert rep.years[2].total == Decimal("8460.00")
