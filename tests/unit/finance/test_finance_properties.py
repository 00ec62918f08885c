"""Property-based tests (hypothesis) of depreciation: bounds, monotony and exact totals, for every method."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from itamctl.dates import add_months
from itamctl.finance.depreciation import depreciation_schedule
from itamctl.model import Asset, Depreciation, Purchase, Settings
from itamctl.money import Money, cents

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
fy_starts = st.tuples(st.integers(1, 12), st.sampled_from([1, 1, 1, 15, 31]))


@st.composite
def specs(draw) -> Depreciation:
    method = draw(st.sampled_from(["straight_line", "declining_balance", "macrs", "none"]))
    return Depreciation(
        method=method,
        life_months=draw(st.integers(1, 240)),
        salvage=Money(draw(st.decimals(min_value=0, max_value=Decimal("10000"), places=2)), "EUR"),
        factor=draw(st.sampled_from([Decimal(1), Decimal("1.5"), Decimal(2), Decimal("2.5"), Decimal(3)])),
        class_years=draw(st.sampled_from([3, 5, 7])),
        convention=draw(st.sampled_from(["half_year", "mid_quarter"])),
    )


#: The engine returns values with more than Decimal's default 28 digits (its sums are exact); compare them exactly.
EXACT = 120


def _schedule(cost: Decimal, bought: date, spec: Depreciation, fy_start: tuple[int, int]):
    # Model objects built directly: no category default applies, so the asset's own spec is used as is.
    asset = Asset(id="P-1", name="prop", doc=None, category="x", status="deployed",
                  purchase=Purchase(bought, Money(cost, "EUR")), depreciation=spec)
    return depreciation_schedule(asset, Settings(fiscal_year_start=fy_start))


def _floor(schedule) -> Decimal:
    """The lowest book value: salvage (straight line, declining balance), 0 (MACRS), cost (none)."""
    return {"none": schedule.cost, "macrs": Decimal(0)}.get(schedule.method, schedule.salvage)


@settings(max_examples=300, deadline=None)
@given(cost=money, bought=days, spec=specs(), fy=fy_starts, offsets=st.lists(st.integers(0, 400 * 31), max_size=12))
def test_book_value_between_salvage_and_cost_and_never_rising(cost, bought, spec, fy, offsets):
    schedule = _schedule(cost, bought, spec, fy)
    floor = _floor(schedule)
    assert schedule.salvage <= cost
    previous = cost
    for offset in sorted(offsets):
        value = schedule.book_value(bought + timedelta(days=offset))
        assert floor <= value <= cost
        assert value <= previous
        previous = value


@settings(max_examples=300, deadline=None)
@given(cost=money, bought=days, spec=specs(), fy=fy_starts)
def test_schedule_sums_to_cost_minus_salvage(cost, bought, spec, fy):
    schedule = _schedule(cost, bought, spec, fy)
    periods = schedule.periods()
    with localcontext(prec=EXACT):
        total = sum((p.depreciation for p in periods), Decimal(0))
    assert total == cost - _floor(schedule)  # exactly, not to the cent
    if not schedule.segments:  # method none, or salvage at cost: nothing to depreciate
        assert periods == () and schedule.book_value(date(2100, 1, 1)) == cost
        return
    assert periods[-1].book_value == _floor(schedule)
    assert all(p.depreciation >= 0 for p in periods)
    labels = [int(p.label) for p in periods]
    assert labels == list(range(labels[0], labels[0] + len(labels)))
    end_of_life = add_months(bought, schedule.depreciation_months)
    assert schedule.book_value(end_of_life) == _floor(schedule)
    assert all(p.start <= p.end for p in periods)


@settings(max_examples=200, deadline=None)
@given(cost=money, bought=days, spec=specs(), fy=fy_starts, offset=st.integers(0, 300 * 31))
def test_period_book_values_follow_from_depreciation(cost, bought, spec, fy, offset):
    """Each period's book value is the previous one less its depreciation (no disposal here)."""
    schedule = _schedule(cost, bought, spec, fy)
    value = cost
    with localcontext(prec=EXACT):
        for p in schedule.periods():
            value -= p.depreciation
            assert p.book_value == value
        as_of = bought + timedelta(days=offset)
        assert schedule.book_value(as_of) + schedule.accumulated_depreciation(as_of) == cost


@settings(max_examples=300, deadline=None)
@given(cost=money, bought=days, spec=specs(), fy=fy_starts, offsets=st.lists(st.integers(-400, 400 * 31), max_size=8),
       disposed_after=st.one_of(st.none(), st.integers(1, 200 * 31)))
def test_reported_rows_add_up_to_the_cent(cost, bought, spec, fy, offsets, disposed_after):
    """Issue 9 item 5: book value = cost − accumulated − write-off, exactly in cents; nothing before purchase;
    the reported years sum to the rounded cost − salvage."""
    schedule = _schedule(cost, bought, spec, fy)
    if disposed_after is not None:
        schedule = replace(schedule, disposal_date=bought + timedelta(days=disposed_after))
    for offset in offsets:
        day = bought + timedelta(days=offset)
        row = schedule.carrying(day)
        if day < bought:
            assert row is None  # not purchased yet: no figures at all
            continue
        assert row.book_value == row.cost - row.accumulated - row.write_off
        assert all(v == v.quantize(Decimal("0.01")) for v in (row.cost, row.accumulated, row.write_off))
        if schedule.disposal_date is not None and day >= schedule.disposal_date:
            assert row.book_value == 0
    periods = schedule.reported_periods()
    if periods and disposed_after is None:
        assert sum((p.depreciation for p in periods), Decimal(0)) == cents(cost - _floor(schedule))
        assert periods[-1].book_value == cents(cost) - cents(cost - _floor(schedule))
