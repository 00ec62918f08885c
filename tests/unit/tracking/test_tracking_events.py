"""Events: which dates the registry has, and their status on a given day (boundaries included)."""

from __future__ import annotations

from datetime import date

import pytest

from itamctl.pipeline import load_valid_registry
from itamctl.tracking.events import classify, registry_events, select
from tests.helpers_tracking import asset, contract, license, make_registry


def events_of(tmp_path, *docs, as_of="2026-11-28", settings=""):
    reg = load_valid_registry(make_registry(tmp_path / "reg", *docs, settings=settings))
    return {(e.id, e.event): e for e in registry_events(reg, date.fromisoformat(as_of))}


@pytest.mark.parametrize(
    ("day", "as_of", "expected"),
    [
        ("2026-11-28", "2026-11-28", (0, "due", 30)),  # the day of expiry itself is still covered
        ("2026-11-27", "2026-11-28", (-1, "expired", None)),  # the day after: expired
        ("2026-12-28", "2026-11-28", (30, "due", 30)),  # exactly the short lead time
        ("2026-12-29", "2026-11-28", (31, "due", 90)),  # one day past it: the longer stage
        ("2027-02-26", "2026-11-28", (90, "due", 90)),  # exactly the long lead time
        ("2027-02-27", "2026-11-28", (91, "later", None)),  # outside every lead time
        ("2028-02-29", "2028-02-28", (1, "due", 30)),  # leap day
        ("2028-03-01", "2028-02-28", (2, "due", 30)),  # across a leap day
        ("2028-02-29", "2028-03-01", (-1, "expired", None)),
    ],
)
def test_classify_boundaries(day, as_of, expected):
    assert classify(date.fromisoformat(day), date.fromisoformat(as_of), (90, 30)) == expected


def test_no_lead_times_means_never_due():
    assert classify(date(2026, 12, 1), date(2026, 11, 28), ()) == (3, "later", None)
    assert classify(date(2026, 11, 1), date(2026, 11, 28), ())[1] == "expired"


def test_asset_events_point_at_their_values(tmp_path):
    ev = events_of(tmp_path, asset("LT-1", warranty_end="2026-12-20", extra="end_of_life: 2027-01-31\n"))
    warranty = ev[("LT-1", "warranty_end")]
    assert (warranty.date, warranty.days_left, warranty.status, warranty.stage) == (date(2026, 12, 20), 22, "due", 30)
    assert warranty.kind == "asset" and warranty.path == ("warranty", "end")
    assert warranty.line == 14  # `end:` under `warranty:` in the helper's layout
    eol = ev[("LT-1", "end_of_life")]
    assert (eol.date, eol.status, eol.stage, eol.line) == (date(2027, 1, 31), "due", 90, 15)


def test_end_of_life_falls_back_to_purchase_plus_service_life(tmp_path):
    ev = events_of(tmp_path, asset("LT-1", purchase="2024-02-29"))
    eol = ev[("LT-1", "end_of_life")]
    assert eol.date == date(2027, 2, 28)  # 36 months after a leap day, clamped
    assert eol.path == ("purchase", "date")


def test_retired_and_disposed_assets_have_no_events(tmp_path):
    ev = events_of(tmp_path, asset("LT-R", status="retired", warranty_end="2025-06-01"),
                   asset("LT-D", status="disposed", warranty_end="2025-06-01"))
    assert not [key for key in ev if key[0] in ("LT-R", "LT-D")]


def test_item_lead_times_override_settings(tmp_path):
    ev = events_of(tmp_path,
                   asset("LT-1", warranty_end="2027-04-01", extra="alerts: {days: [180, 14]}\n"),
                   asset("LT-2", warranty_end="2027-04-01"),
                   asset("LT-3", warranty_end="2026-12-01", extra="alerts: {days: []}\n"))
    assert ev[("LT-1", "warranty_end")].status == "due" and ev[("LT-1", "warranty_end")].stage == 180
    assert ev[("LT-1", "warranty_end")].lead_days == (180, 14)
    assert ev[("LT-2", "warranty_end")].status == "later"
    assert ev[("LT-3", "warranty_end")].status == "later"  # an empty list turns alerts off


def test_settings_lead_times_apply_to_everything(tmp_path):
    ev = events_of(tmp_path, asset("LT-1", warranty_end="2027-04-01"), settings="")
    assert ev[("LT-1", "warranty_end")].lead_days == (90, 30)


def test_manual_license_and_contract_end(tmp_path):
    ev = events_of(tmp_path, license("LIC-1", end="2026-11-27", renewal="manual"),
                   contract("CTR-1", end="2026-11-28", notice_days=60))
    assert ev[("LIC-1", "license_end")].status == "expired"
    assert ev[("CTR-1", "contract_end")].status == "due"
    assert ("CTR-1", "cancel_by") not in ev  # only items that renew by themselves have a cancel-by date
    assert ("LIC-1", "renewal") not in ev


def test_auto_renewal_rolls_to_the_current_term_and_its_cancel_by(tmp_path):
    ev = events_of(tmp_path, contract("CTR-1", end="2025-12-31", renewal="auto", notice_days=90))
    renewal = ev[("CTR-1", "renewal")]
    assert (renewal.date, renewal.status) == (date(2026, 12, 31), "due")  # current term end, not the recorded end
    cancel = ev[("CTR-1", "cancel_by")]
    assert cancel.date == date(2026, 10, 2) and cancel.status == "expired"
    assert cancel.path == ("notice_days",)
    assert ("CTR-1", "contract_end") not in ev


def test_auto_renewing_license_has_renewal_and_cancel_by(tmp_path):
    ev = events_of(tmp_path, license("LIC-1", end="2026-12-31", renewal="auto", extra="notice_days: 30\n"))
    assert ev[("LIC-1", "renewal")].date == date(2026, 12, 31)
    assert ev[("LIC-1", "cancel_by")].date == date(2026, 12, 1)
    assert ev[("LIC-1", "cancel_by")].days_left == 3


def test_audit_due_needs_an_interval_and_uses_last_audit_else_purchase(tmp_path):
    docs = (asset("LT-1", extra="last_audit: 2025-12-15\n"), asset("LT-2", purchase="2024-02-29"),
            asset("LT-3", status="planned"))
    assert not [k for k in events_of(tmp_path / "a", *docs) if k[1] == "audit_due"]
    ev = events_of(tmp_path / "b", *docs, settings="audit: {interval_months: 12}\n")
    assert ev[("LT-1", "audit_due")].date == date(2026, 12, 15)
    assert ev[("LT-1", "audit_due")].path == ("last_audit",)
    assert ev[("LT-2", "audit_due")].date == date(2025, 2, 28)
    assert ("LT-3", "audit_due") not in ev  # only assets in service are audited


def test_events_are_sorted_and_filterable(tmp_path):
    reg = load_valid_registry(make_registry(
        tmp_path / "reg", asset("LT-1", warranty_end="2027-01-10"), license("LIC-1", end="2026-12-01"),
        contract("CTR-1", end="2026-01-31", renewal="manual")))
    events = registry_events(reg, date(2026, 11, 28))
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert [e.event for e in select(events, kinds=["license"])] == ["license_end"]
    assert {e.id for e in select(events, within=30)} == {"CTR-1", "LIC-1"}  # expired ones stay in
    assert [e.id for e in select(events, statuses=["expired"])] == ["CTR-1"]
    assert {e.event for e in select(events, event_types=["warranty_end", "end_of_life"])} == {
        "warranty_end", "end_of_life"}


def test_uid_is_stable_and_unique(tmp_path):
    docs = (asset("LT-1", warranty_end="2027-01-10"), asset("LT-2", warranty_end="2027-01-10"))
    first = events_of(tmp_path / "a", *docs, as_of="2026-11-28")
    later = events_of(tmp_path / "b", *docs, as_of="2026-12-20")
    assert first[("LT-1", "warranty_end")].uid == "LT-1-warranty_end-2027-01-10@itamctl"
    assert first[("LT-1", "warranty_end")].uid == later[("LT-1", "warranty_end")].uid
    assert len({e.uid for e in first.values()}) == len(first)


def test_an_ended_item_with_renewal_none_is_closed_and_left_out(tmp_path):
    """Issue 9 item 11: CTR-SPREE-LEASE-2020 was "expired" forever (−1,341 days). Ended and closed: history."""
    reg = load_valid_registry(make_registry(
        tmp_path / "reg", contract("CTR-OLD", end="2025-03-31"),
        contract("CTR-MAN", end="2025-03-31", renewal="manual"),
        license("LIC-USED", end="2026-01-31"), license("LIC-FREE", end="2026-01-31", assigned=())))
    events = {e.id: e for e in registry_events(reg, date(2026, 11, 28))}
    assert events["CTR-OLD"].status == "closed" and events["CTR-OLD"].days_left == -607
    assert events["LIC-FREE"].status == "closed"
    assert events["CTR-MAN"].status == "expired"  # manual: someone has to decide
    assert events["LIC-USED"].status == "expired"  # still assigned: expired_license_in_use reports it
    listed = {e.id for e in select(events.values())}
    assert listed == {"CTR-MAN", "LIC-USED"}
    assert {e.id for e in select(events.values(), include_closed=True)} == set(events)
    assert {e.id for e in select(events.values(), statuses=["closed"])} == {"CTR-OLD", "LIC-FREE"}
    before_its_end = {e.id: e for e in registry_events(reg, date(2025, 3, 31))}
    assert before_its_end["CTR-OLD"].status == "due"


def test_a_waived_event_carries_its_waiver(tmp_path):
    waivers = """\
        waivers:
          - {rule: expired_warranty, until: 2027-03-31, reason: Replacement ordered}
        """
    ev = events_of(tmp_path, asset("LT-1", warranty_end="2026-06-30", extra=waivers),
                   asset("LT-2", warranty_end="2026-06-30"), as_of="2026-11-28")
    waiver = ev[("LT-1", "warranty_end")].waiver
    assert (waiver.rule, waiver.until, waiver.reason) == ("expired_warranty", date(2027, 3, 31), "Replacement ordered")
    assert ev[("LT-1", "warranty_end")].to_json()["waiver"] == {
        "rule": "expired_warranty", "until": "2027-03-31", "reason": "Replacement ordered"}
    assert ev[("LT-2", "warranty_end")].waiver is None
    lapsed = events_of(tmp_path / "later", asset("LT-1", warranty_end="2026-06-30", extra=waivers), as_of="2027-04-01")
    assert lapsed[("LT-1", "warranty_end")].waiver is None  # until is inclusive; the day after it lapses


def test_events_of_the_same_registry_are_computed_once_and_handed_out_as_new_lists(tmp_path):
    reg = load_valid_registry(make_registry(tmp_path / "reg", asset("A-1", warranty_end="2026-12-01")))
    day = date(2026, 11, 28)
    first = registry_events(reg, day)
    first.clear()  # a caller's list is its own
    again = registry_events(reg, day)
    assert again and again == registry_events(reg, day)
    assert again[0] is registry_events(reg, day)[0]  # the same events, not computed again
    assert registry_events(reg, date(2027, 1, 1))[0].status == "expired"  # another day: computed for it
    assert again[0].line == reg.assets[0].doc.position(again[0].path).line  # the line, looked up when asked


def test_the_events_of_an_item_are_those_of_the_registry(tmp_path):
    """The policy rules read each item's events from the registry's (computed once), not anew."""
    from itamctl.tracking.events import asset_events, events_of, term_events

    reg = load_valid_registry(make_registry(
        tmp_path / "reg", asset("LT-1", warranty_end="2026-10-10"), asset("LT-2", warranty_end="2027-01-10"),
        license("LIC-1", end="2026-12-01"), contract("CTR-1", end="2026-01-31", renewal="manual")))
    as_of = date(2026, 11, 28)
    of = events_of(reg, as_of)
    for item in reg.assets:
        assert list(of(item)) == list(asset_events(item, reg.settings, as_of)) != []
    for item in (*reg.licenses, *reg.contracts):
        assert list(of(item)) == list(term_events(item, reg.settings, as_of)) != []
    assert sum(len(of(item)) for item in reg.items()) == len(registry_events(reg, as_of))
    later = events_of(reg, date(2027, 6, 1))  # another date: computed for it
    assert next(e.status for e in later(reg.assets[1])) == "expired"
