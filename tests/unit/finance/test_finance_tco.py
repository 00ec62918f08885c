"""TCO: purchase, maintenance, contract shares, per-seat licenses and disposal, in several currencies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from itamctl.finance.costs import costs_report, vendor_spend
from itamctl.finance.tco import asset_costs, tco
from tests.helpers_finance import FinanceRegistry

D = Decimal

CONTRACT = """\
apiVersion: itam/v1
kind: Contract
id: CTR-1
name: Support for three laptops
vendor: acme
type: support
start: 2024-01-01
end: 2024-12-31
renewal: auto
cost: 900
billing: yearly
covers: [A-1, A-2, A-3]
"""

CONTRACT_USD_MANUAL = """\
apiVersion: itam/v1
kind: Contract
id: CTR-2
name: Quarterly checks
vendor: globex
type: maintenance
start: 2024-10-01
end: 2024-12-31
renewal: manual
cost: 100 USD
billing: quarterly
covers: [A-1]
"""

LICENSE_PER_SEAT = """\
apiVersion: itam/v1
kind: License
id: LIC-1
name: Endpoint agent
vendor: globex
type: subscription
seats: 10
cost: 100 GBP
per_seat: true
billing: yearly
start: 2024-01-01
end: 2025-12-31
renewal: none
assigned_to: [alice, A-1]
"""

LICENSE_FLAT = """\
apiVersion: itam/v1
kind: License
id: LIC-2
name: Site license
vendor: acme
type: perpetual
cost: 5000
billing: once
start: 2024-01-01
assigned_to: [A-1]
"""


@pytest.fixture
def registry(tmp_path):
    reg = FinanceRegistry(tmp_path / "registry")
    reg.asset("A-1", status="disposed", date="2024-03-15", cost="1200", extra="""\
        maintenance:
          - {date: 2024-06-01, kind: repair, cost: 180}
          - {date: 2025-02-01, kind: upgrade, cost: 100 USD}
          - {date: 2025-08-01, kind: repair, cost: 999}
        disposal: {date: 2025-05-20, method: resale, cost: 50, proceeds: 200 USD}
        """)
    reg.asset("A-2", date="2024-01-10", cost="900", cost_center="OPS", vendor="globex")
    reg.asset("A-3", status="planned", date=None, cost=None, location="lon")
    reg.write("contracts/CTR-1.yaml", CONTRACT)
    reg.write("contracts/CTR-2.yaml", CONTRACT_USD_MANUAL)
    reg.write("licenses/LIC-1.yaml", LICENSE_PER_SEAT)
    reg.write("licenses/LIC-2.yaml", LICENSE_FLAT)
    return reg.load()


def test_tco_adds_every_cost_in_the_report_currency(registry):
    a1 = registry.by_id["A-1"]
    c = asset_costs(a1, registry, date(2025, 6, 30))
    assert c.purchased and c.cost == D(1200)
    assert c.maintenance == D(180) + D(80)  # 100 USD at 0.8 (2025-02-01); the August repair is later
    # CTR-1 paid 2024-01-01 (before was bought: nobody's) and (auto renewal) 2025-01-01, shared by
    # the two covered assets owned then (A-3 is planned). CTR-2 paid 2024-10-01 only: manual renewal is not
    # followed; 100 USD at 0.9.
    assert c.contract_share == D(450) + D(90)
    assert c.license_share == D(125)  # one seat: 100 GBP at 1.25 on 2025-01-01; 2024-01-01 was before the purchase
    assert c.disposal == D(50) - D(160)  # proceeds 200 USD at 0.8
    assert c.tco == D(1200) + 260 + 540 + 125 - 110
    assert c.months_in_service == 14  # 2024-03 .. 2025-04; May 2025 (the disposal month) had not ended
    assert c.tco_per_month == c.tco / 14
    assert tco(a1, registry, date(2025, 6, 30)) == c.tco


def test_a_disposal_shows_its_write_off_and_its_gain_or_loss(registry):
    """Issue 9 item 5: book value = cost − accumulated − write-off; gain or loss = proceeds − write-off."""
    a1 = registry.by_id["A-1"]
    before = asset_costs(a1, registry, date(2025, 5, 19))
    assert before.write_off == 0 and before.gain_or_loss is None
    c = asset_costs(a1, registry, date(2025, 6, 30))
    assert c.accumulated_depreciation == D("466.67")  # 14 of 36 months of 1200; none in May, the disposal month
    assert c.write_off == D("733.33") and c.book_value == 0
    assert c.cost - c.accumulated_depreciation - c.write_off == c.book_value
    assert c.gain_or_loss == D(160) - D("733.33")  # proceeds 200 USD at 0.8 − the book value written off


def test_nothing_costs_before_the_purchase(registry):
    """Issue 9 item 4: before its purchase date an asset has no figures at all (not 0), not even a contract share."""
    a1 = registry.by_id["A-1"]
    early = asset_costs(a1, registry, date(2024, 3, 14))
    assert not early.purchased
    assert (early.cost, early.maintenance, early.contract_share, early.license_share, early.disposal,
            early.book_value, early.tco, early.tco_per_month) == (None,) * 8
    assert early.months_in_service == 0
    on_the_day = asset_costs(a1, registry, date(2024, 3, 15))
    assert on_the_day.contract_share == 0 and on_the_day.license_share == 0  # both paid 2024-01-01
    assert on_the_day.months_in_service == 1
    late = asset_costs(a1, registry, date(2025, 8, 1))
    assert late.maintenance == D(180) + D(80) + D(999)


def test_contract_shares_add_up_to_the_payments_made_while_owned(registry):
    as_of = date(2025, 3, 1)
    shares = [asset_costs(registry.by_id[i], registry, as_of).contract_share for i in ("A-1", "A-2", "A-3")]
    # CTR-1's 2025 payment (900), shared by; A-1 also has CTR-2's 90; A-3 is planned
    assert shares == [D(450) + D(90), D(450), None]


def test_ownership_ends_at_disposal(registry):
    """A-1 was disposed of on 2025-05-20: CTR-1's 2026 payment is A-2's alone."""
    as_of = date(2026, 3, 1)
    shares = [asset_costs(registry.by_id[i], registry, as_of).contract_share for i in ("A-1", "A-2", "A-3")]
    assert shares == [D(450) + D(90), D(450) + D(900), None]
    assert asset_costs(registry.by_id["A-1"], registry, as_of).tco == asset_costs(
        registry.by_id["A-1"], registry, date(2025, 5, 20)).tco + D(999)  # the 2025-08-01 repair still counts


def test_a_planned_asset_is_not_purchased_yet(registry):
    c = asset_costs(registry.by_id["A-3"], registry, date(2025, 6, 30))
    assert not c.purchased
    assert (c.cost, c.book_value, c.accumulated_depreciation, c.contract_share, c.tco) == (None,) * 5


def test_report_totals_and_groups_are_the_sums_of_the_rows(registry):
    report = costs_report(registry, date(2025, 6, 30), by="cost_center")
    assert [i.id for i in report.items] == ["A-1", "A-2", "A-3"]
    assert report.totals.count == 3
    assert report.totals.tco == sum(i.tco for i in report.items if i.tco is not None)
    assert report.totals.gain_or_loss == report.items[0].gain_or_loss
    assert [(g.key, g.count) for g in report.groups] == [("ENG", 2), ("OPS", 1)]
    assert sum(g.tco for g in report.groups) == report.totals.tco
    vendors = costs_report(registry, date(2025, 6, 30), by="vendor").groups
    assert [(g.key, g.count) for g in vendors] == [("acme", 1), ("globex", 1), (None, 1)]


def test_report_for_selected_ids(registry):
    report = costs_report(registry, date(2025, 6, 30), ids=["A-2"])
    assert [i.id for i in report.items] == ["A-2"]
    with pytest.raises(KeyError):
        costs_report(registry, date(2025, 6, 30), ids=["NOPE"])


def test_vendor_spend_adds_assets_bought_and_license_and_contract_payments(registry):
    """Issue 15: spend per vendor, by hand. As of 2025-06-30:
    acme   assets A-1 1200 (A-3 planned: nothing); LIC-2 5000 once; CTR-1 900 on 2024-01-01 and (auto) 2025-01-01.
    globex assets A-2 900; LIC-1 10 seats x 100 GBP on 2024-01-01 (1.2) and 2025-01-01 (1.25) = 1200 + 1250;
           CTR-2 100 USD on 2024-10-01 (0.9; manual renewal not followed) = 90.
    Every payment counts, whoever owned the covered assets then (TCO shares count only those)."""
    spend = {s.vendor: s for s in vendor_spend(registry, costs_report(registry, date(2025, 6, 30)))}
    assert set(spend) == {"acme", "globex"}
    acme, globex = spend["acme"], spend["globex"]
    assert (acme.assets, acme.licenses, acme.contracts, acme.total) == (D(1200), D(5000), D(1800), D(8000))
    assert (globex.assets, globex.licenses, globex.contracts, globex.total) == (D(900), D(2450), D(90), D(3440))
    assert acme.to_json() == {"vendor": "acme", "assets": "1200.00", "licenses": "5000.00",
                              "contracts": "1800.00", "total": "8000.00"}
    early = {s.vendor: s for s in vendor_spend(registry, costs_report(registry, date(2024, 1, 5)))}
    # before A-2's purchase (2024-01-10): the 2024-01-01 payments only
    assert (early["globex"].assets, early["globex"].licenses, early["globex"].total) == (D(0), D(1200), D(1200))
    assert early["acme"].total == D(5000) + D(900)
