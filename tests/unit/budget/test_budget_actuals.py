"""Actual spending per past fiscal year and kind: hand-computed.

Fiscal year from 1 April. As of 2026-06-30 with three years of history the
actual years are FY2024 (2024-04-01..2025-03-31), FY2025 and FY2026, which is
partial: only spending up to 2026-06-30 counts. 1 USD = 0.90 EUR until 2027.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.helpers_budget import asset, billable, report, write_registry
from tests.unit.budget.test_budget_assets import A1, A3, A5, A6, P1, a2
from tests.unit.budget.test_budget_payments import MONTHLY_PER_SEAT, QUARTERLY_USD_MANUAL, YEARLY_NO_RENEWAL

AS_OF = date(2026, 6, 30)

# Ordered: not bought yet, whatever the date says (issue 9 item 4): the forecast budgets them (A9 overdue).
A9 = asset("A9", "purchase: {date: 2026-05-01, cost: 300}\n", status="ordered")
A10 = asset("A10", "purchase: {date: 2026-09-01, cost: 400}\n", status="ordered")
# A lapsed manual contract was not paid after its end; an auto one was.
C_OLD = billable("Contract", "C-OLD", """\
    cost: 500
    billing: yearly
    start: 2023-04-01
    end: 2024-03-31
    renewal: manual
    """)
C_AUTO = billable("Contract", "C-AUTO", """\
    cost: 500
    billing: yearly
    start: 2023-04-01
    end: 2024-03-31
    renewal: auto
    """)

DOCS = (A1, a2(), A3, A5, A6, P1, A9, A10, MONTHLY_PER_SEAT, QUARTERLY_USD_MANUAL, YEARLY_NO_RENEWAL,
        C_OLD, C_AUTO)


def _table(rep):
    return [(a.year.label, a.partial, {k: str(v) for k, v in a.by_kind.items()}, str(a.total))
            for a in rep.actuals]


def test_actuals_per_year_and_kind(tmp_path):
    """
    FY2024 purchases: A1 1500 + A5 (retired) 1000 USD × 0.90 + A6 (disposed) 800 = 3200.00;
           contracts: C-AUTO 2024-04-01 500.00.
    FY2025 licenses: L-MON 3 × 30 (Jan-Mar 2026) + L-YR 1200 = 1290.00; contracts: C-AUTO 500.00;
           maintenance: A1 33.33 + A2 999 + 100.01 + A6 50 = 1182.34.
    FY2026 (to 2026-06-30): licenses L-MON 3 × 30 = 90.00;
           contracts C-Q 1000 USD × 0.90 + C-AUTO 500 = 1400.00; maintenance A2 50 USD × 0.90 = 45.00.
    Not counted: A2, A3 (bought before FY2024), P1 (planned), A9 and A10 (ordered: not bought yet),
    C-OLD after its end.
    """
    rep = report(write_registry(tmp_path / "r", *DOCS), AS_OF, years=1, history=3)
    assert _table(rep) == [
        ("2024", False, {"purchase": "3200.00", "license": "0.00", "contract": "500.00", "maintenance": "0.00"},
         "3700.00"),
        ("2025", False, {"purchase": "0.00", "license": "1290.00", "contract": "500.00", "maintenance": "1182.34"},
         "2972.34"),
        ("2026", True, {"purchase": "0.00", "license": "90.00", "contract": "1400.00", "maintenance": "45.00"},
         "1535.00"),
    ]
    # A9, ordered with a date already past, is budgeted once: an overdue purchase in the first full year
    a9 = [(y.year.label, ln.note) for y in (rep.current, *rep.years) for ln in y.lines if ln.id == "A9"]
    assert a9 == [("2027", "new: ordered purchase, overdue since 2026-05-01")]


def test_actuals_json_and_history_length(tmp_path):
    root = write_registry(tmp_path / "r", *DOCS)
    data = report(root, AS_OF, years=1, history=2).to_json()
    assert data["actuals"] == [
        {"label": "2025", "start": "2025-04-01", "end": "2026-03-31", "partial": False, "total": "2972.34",
         "by_kind": {"purchase": "0.00", "license": "1290.00", "contract": "500.00", "maintenance": "1182.34"}},
        {"label": "2026", "start": "2026-04-01", "end": "2027-03-31", "partial": True, "total": "1535.00",
         "by_kind": {"purchase": "0.00", "license": "90.00", "contract": "1400.00", "maintenance": "45.00"}},
    ]
    assert report(root, AS_OF, years=1, history=0).to_json()["actuals"] == []


def test_as_of_on_a_fiscal_year_start_makes_it_the_current_year(tmp_path):
    """As of 2026-04-01 FY2026 is current: its first day is actual, the rest forecast; FY2025 is history."""
    rep = report(write_registry(tmp_path / "r", *DOCS), date(2026, 4, 1), years=1, history=2)
    assert [(a.year.label, a.partial) for a in rep.actuals] == [("2025", False), ("2026", True)]
    assert rep.actuals[0].total == Decimal("2972.34")
    assert rep.current.first_day == date(2026, 4, 2) and rep.years[0].year.label == "2027"
