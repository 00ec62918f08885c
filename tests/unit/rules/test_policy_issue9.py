"""Issue 9 items 3, 9 and 10: `replaces`, overdue audits, seats and assets of leavers, per-seat licenses
without seats, the Settings list of cost centres."""

from __future__ import annotations

import json
from datetime import date

from conftest import REPO_ROOT, run_cli

from itamctl.budget import budget_report
from itamctl.pipeline import load_valid_registry


def _findings(root, as_of: str) -> list[tuple[str, str]]:
    _, out, _ = run_cli("check", "--registry", root, "--as-of", as_of, "--format", "json")
    return [(d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]]


def _rules(root, as_of: str) -> list[str]:
    return [rule for rule, _ in _findings(root, as_of)]


def test_overdue_audit_stays_a_finding_until_recorded():
    """Item 9: LT-0032 is warned while due and reported once overdue (it used to vanish)."""
    demo = REPO_ROOT / "registry"
    overdue = [m for rule, m in _findings(demo, "2027-03-01") if rule == "audit_overdue"]
    assert any(m.startswith("LT-0032:") for m in overdue)
    today = [m for rule, m in _findings(demo, "2026-12-01") if rule == "audit_overdue"]
    assert {m.split(":")[0] for m in today} >= {"LT-0031", "NET-0001"}


def test_recorded_audit_clears_the_finding(registry):
    registry.replace("settings.yaml", "service_levels:", "audit: {interval_months: 12}\nservice_levels:")
    assert "audit_overdue" in _rules(registry.root, "2026-01-01")
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: deployed\nlast_audit: 2025-12-01")
    assert "audit_overdue" not in _rules(registry.root, "2026-01-01")


def test_seat_on_retired_asset_and_inactive_person(registry):
    assert "seat_holder_gone" not in _rules(registry.root, "2025-01-01")
    registry.replace("people.yaml", "team: Engineering", "team: Engineering\nactive: false")
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: retired")
    found = [m for rule, m in _findings(registry.root, "2025-01-01") if rule == "seat_holder_gone"]
    assert len(found) == 2 and any("alice" in m for m in found) and any("LT-0001" in m for m in found)


def test_leaver_still_holding_assets(registry):
    registry.replace("people.yaml", "team: Engineering", "team: Engineering\nactive: false")
    found = [m for rule, m in _findings(registry.root, "2025-01-01") if rule == "leaver_holds_assets"]
    assert found == ["alice is no longer active but still holds 1 asset: LT-0001; "
                     "collect them or give them a new owner"]
    registry.replace("assets/LT-0001.yaml", "owner: alice\n", "")
    assert "leaver_holds_assets" not in _rules(registry.root, "2025-01-01")


def test_per_seat_license_without_seats(registry):
    assert "per_seat_without_seats" not in _rules(registry.root, "2025-01-01")
    registry.replace("licenses/LIC-0001.yaml", "seats: 5\n", "")
    registry.replace("licenses/LIC-0001.yaml", "assigned_to: [alice, LT-0001]\n", "")
    assert "per_seat_without_seats" in _rules(registry.root, "2025-01-01")


def test_cost_centres_listed_in_settings_are_validated(registry):
    registry.replace("assets/LT-0001.yaml", "service_level: standard", "service_level: standard\ncost_center: ENGG")
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 0  # no list in Settings: free text
    registry.replace("settings.yaml", "service_levels:", "cost_centers: [ENG, IT]\nservice_levels:")
    code, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json")
    messages = [d["message"] for d in json.loads(out)["diagnostics"] if d["rule"] == "unresolved_reference"]
    assert code == 1 and any("ENGG" in m and "ENG" in m for m in messages)
    registry.replace("assets/LT-0001.yaml", "cost_center: ENGG", "cost_center: ENG")
    assert run_cli("validate", "--registry", registry.root)[0] == 0


def test_replaces_is_a_validated_reference(registry):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: deployed\nreplaces: LT-9999")
    code, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json")
    assert code == 1 and any(d["rule"] == "unresolved_reference" and "replaces" in d["message"]
                             for d in json.loads(out)["diagnostics"])


def test_planned_replacement_is_counted_once():
    """Item 3: LT-0042 replaces LT-0015, SRV-0007 replaces SRV-0001: one replacement line each."""
    rep = budget_report(load_valid_registry(REPO_ROOT / "registry"), date(2026, 12, 1))
    lines = [ln for y in (rep.current, *rep.years) for ln in y.lines if ln.kind == "replacement"]
    assert not [ln for ln in lines if ln.id in ("LT-0015", "SRV-0001")]
    assert [ln.id for ln in lines].count("LT-0042") >= 1 and [ln.id for ln in lines].count("SRV-0007") >= 1
    assert not [ln for y in rep.years for ln in y.lines if ln.id == "SRV-0001" and ln.kind == "maintenance"]
