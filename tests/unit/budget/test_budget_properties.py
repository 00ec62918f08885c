"""Property tests (hypothesis) of the budget: each payment counted once across actuals and forecast; totals
equal the sum of their rows; no purchase is an actual before it happened."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from itamctl.budget import budget_report
from itamctl.budget.report import BY_CHOICES
from itamctl.facts import payments_in, purchased
from itamctl.model import Contract, License, Registry, Settings
from itamctl.money import Money, cents
from tests.helpers_finance import gen_days, generated_registries

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def items(draw, index: int) -> License | Contract:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(27, 1500)))
    common = dict(
        id=f"I-{index}", name="item", doc=None, start=start, end=end,
        cost=Money(draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=3)), "EUR"),
        billing=draw(st.sampled_from(["once", "monthly", "quarterly", "yearly"])),
        renewal=draw(st.sampled_from(["auto", "none"])),
    )
    if draw(st.booleans()):
        return License(type="subscription", seats=draw(st.integers(1, 9)), per_seat=draw(st.booleans()), **common)
    return Contract(type="support", renewal_months=draw(st.sampled_from([None, 1, 12, 24])), **common)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), as_of=days, fy_month=st.integers(1, 12))
def test_each_payment_once_in_actuals_or_forecast(data, as_of, fy_month):
    generated = [data.draw(items(i)) for i in range(data.draw(st.integers(1, 4)))]
    reg = Registry(root=Path("."), settings=Settings(fiscal_year_start=(fy_month, 1)),
                   licenses=tuple(i for i in generated if isinstance(i, License)),
                   contracts=tuple(i for i in generated if isinstance(i, Contract)))
    rep = budget_report(reg, as_of, years=2, history=2)
    first = rep.actuals[0].year.start
    last = rep.years[-1].year.end
    for kind, group in (("license", reg.licenses), ("contract", reg.contracts)):
        expected = [p for item in group for p in payments_in(item, first, last) if p.amount.amount]
        actual = sum((a.by_kind[kind] for a in rep.actuals), Decimal(0))
        forecast = [ln for y in (rep.current, *rep.years) for ln in y.lines if ln.kind == kind]
        paid = [p for p in expected if p.date <= as_of]
        due = [p for p in expected if p.date > as_of]
        # actuals: each payment up to as_of, exact sums rounded once per year
        assert actual == sum((cents(sum((p.amount.amount for p in paid if p.date in a.year), Decimal(0)))
                              for a in rep.actuals), Decimal(0))
        # forecast: one line per payment after as_of, none on or before it
        assert sorted(ln.date for ln in forecast) == sorted(p.date for p in due)
        assert all(ln.date > as_of for ln in forecast)


@settings(max_examples=80, deadline=None)
@given(registry=generated_registries(), as_of=gen_days, by=st.sampled_from(BY_CHOICES))
def test_budget_totals_equal_the_sum_of_the_rows(registry, as_of, by):
    """Every figure above the lines is the sum of the reported lines; an actual year is the sum of its kinds;
    no purchase is an actual before it happened (planned and ordered assets are forecast, never actual)."""
    rep = budget_report(registry, as_of, years=2, history=2, by=by)
    for year in (rep.current, *rep.years):
        total = sum((ln.reported for ln in year.lines), Decimal(0))
        assert year.total == total
        assert sum(year.by_kind.values(), Decimal(0)) == total
        assert sum(year.by_service_level.values(), Decimal(0)) == total
        assert sum((t for _, t in year.groups), Decimal(0)) == total
    assert rep.total == sum((y.total for y in rep.years), Decimal(0))
    bought = {y.year.label: Decimal(0) for y in rep.actuals}
    for a in registry.assets:
        if purchased(a, as_of) and a.purchase.cost is not None:
            year = next((y for y in rep.actuals if a.purchase.date in y.year), None)
            if year is not None:
                bought[year.year.label] += a.purchase.cost.amount
    for actual in rep.actuals:
        assert actual.total == sum(actual.by_kind.values(), Decimal(0))
        assert actual.by_kind["purchase"] == cents(bought[actual.year.label])


@settings(max_examples=80, deadline=None)
@given(registry=generated_registries(), as_of=gen_days)
def test_each_purchase_once_in_actuals_or_forecast(registry, as_of):
    """A purchase is an actual once it has happened (purchased on as_of), else a forecast need ("new: ..."),
    whatever the status says: an asset recorded as deployed but bought after as_of was in neither."""
    rep = budget_report(registry, as_of, years=2, history=2)
    last = rep.years[-1].year.end
    for a in registry.assets:
        p = a.purchase
        if a.retired or p is None or p.date is None or p.cost is None or not p.cost.amount:
            continue
        new = [ln for y in (rep.current, *rep.years) for ln in y.lines if ln.id == a.id and ln.note.startswith("new")]
        if purchased(a, as_of):
            assert new == [], a.id  # bought: an actual (when in the actual years), never a need
        elif p.date <= last:
            assert len(new) == 1 and new[0].reported == cents(p.cost.amount), a.id
            assert new[0].date == (p.date if p.date > as_of else rep.years[0].year.start), a.id
