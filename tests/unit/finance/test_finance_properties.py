"""Property-based tests (hypothesis) of depreciation: bounds, monotony and exact totals, for every method."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from itamctl.dates import add_months
from itamctl.facts import payments_in
from itamctl.finance.costs import GROUP_KEYS, MONEY_FIELDS, costs_report
from itamctl.finance.depreciation import depreciation_schedule
from itamctl.finance.tco import CostLinks, asset_costs
from itamctl.model import Asset, Depreciation, Purchase, Settings
from itamctl.money import Money, cents
from tests.helpers_finance import gen_days, generated_registries

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


# --- the costs report over generated registries (issue 9: totals = sum of rows; nothing before purchase) --------

CENT = Decimal("0.01")


@settings(max_examples=150, deadline=None)
@given(registry=generated_registries(), as_of=gen_days, by=st.sampled_from([None, *GROUP_KEYS]))
def test_costs_totals_equal_the_sum_of_the_rows(registry, as_of, by):
    """Every row adds up to the cent; the totals and every group are the sums of the rows, to the cent."""
    report = costs_report(registry, as_of, by=by)
    for row in report.items:
        if not row.purchased:
            assert all(getattr(row, name) is None for name in MONEY_FIELDS), row.id
            continue
        values = {name: getattr(row, name) for name in MONEY_FIELDS if getattr(row, name) is not None}
        assert all(v == v.quantize(CENT) for v in values.values()), row.id
        assert row.book_value == row.cost - row.accumulated_depreciation - row.write_off
        assert row.tco == row.cost + row.maintenance + row.contract_share + row.license_share + row.disposal
    for name in MONEY_FIELDS:
        column = [v for row in report.items if (v := getattr(row, name)) is not None]
        assert getattr(report.totals, name) == sum(column, Decimal(0)), name
        if by is not None:
            assert sum((getattr(g, name) for g in report.groups), Decimal(0)) == getattr(report.totals, name)
    assert report.totals.count == len(report.items) == len(registry.assets)


@settings(max_examples=150, deadline=None)
@given(registry=generated_registries(), as_of=gen_days)
def test_nothing_costs_or_depreciates_before_the_purchase(registry, as_of):
    """No cost, depreciation, maintenance, contract or license payment dated before the purchase counts, for
    any as_of: before it (or while planned/ordered) an asset has no figures; on the purchase date it holds
    only what is dated that very day."""
    links = CostLinks.of(registry)
    for asset in registry.assets:
        row = asset_costs(asset, registry, as_of, links=links)
        bought = asset.purchase.date if asset.purchase else None
        schedule = depreciation_schedule(asset, registry.settings)
        if asset.status in ("planned", "ordered") or bought is None:
            assert not row.purchased and row.tco is None and schedule is None
            continue
        if as_of < bought:
            assert not row.purchased and row.tco is None and row.months_in_service == 0
            assert schedule is None or schedule.carrying(as_of) is None
            continue
        assert row.purchased
        first = asset_costs(asset, registry, bought, links=links)
        assert first.maintenance == cents(sum((m.cost.amount for m in asset.maintenance if m.date == bought),
                                              Decimal(0)))
        same_day = [p for item in (*registry.contracts, *registry.licenses)
                    if asset.id in getattr(item, "covers", getattr(item, "assigned_to", ()))
                    for p in payments_in(item, bought, bought)]
        disposed_that_day = asset.disposal is not None and asset.disposal.date == bought
        if not same_day or disposed_that_day:
            assert first.contract_share == first.license_share == 0, asset.id
        else:  # at most what fell due that day (a seat or a share of it)
            due = sum((p.amount.amount for p in same_day), Decimal(0))
            assert first.contract_share + first.license_share <= cents(due) + CENT, asset.id
        assert first.months_in_service == (0 if disposed_that_day else 1)
        if schedule is not None and schedule.segments:
            day_before = bought - timedelta(days=1)
            assert schedule.carrying(day_before) is None and schedule.accumulated_depreciation(day_before) == 0
            assert schedule.periods()[0].start <= bought <= schedule.periods()[0].end
