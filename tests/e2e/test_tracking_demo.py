"""The demo registry, as of the date it was written for, shows every kind of finding without stopping."""

from __future__ import annotations

import json

import icalendar
from conftest import REPO_ROOT

from itamctl.rules import rule_ids
from tests.helpers_tracking import run

DEMO = REPO_ROOT / "registry"
AS_OF = "2026-11-28"



def test_demo_has_a_realistic_mix_of_findings():
    code, out, err = run("check", "--registry", DEMO, "--as-of", AS_OF, "--format", "json")
    assert code == 1, err  # planted errors fail the gate
    payload = json.loads(out)
    rules = {d["rule"] for d in payload["diagnostics"]}
    policy = set(rule_ids("policy"))
    assert rules >= policy, f"missing: {policy - rules}"
    assert payload["summary"]["error"] >= 3 and payload["summary"]["warning"] >= 3
    assert all(d["line"] for d in payload["diagnostics"])


def test_demo_with_exit_zero_shows_findings_and_succeeds():
    code, out, _ = run("check", "--registry", DEMO, "--as-of", AS_OF, "--exit-zero")
    assert code == 0
    assert "error [expired_warranty]" in out and "warning [expiring_soon]" in out


def test_demo_calendar_parses(tmp_path):
    target = tmp_path / "demo.ics"
    code, _, err = run("expiries", "--registry", DEMO, "--as-of", AS_OF, "--format", "ics", "-o", target)
    assert code == 0, err
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids)) > 50


def _demo(*args: str) -> str:
    code, out, err = run("expiries", "--registry", DEMO, "--as-of", "2026-12-01", *args)
    assert code == 0, err
    return out


def test_demo_ended_lease_leaves_the_default_listing():
    """Issue 9 item 11: CTR-SPREE-LEASE-2020 (renewal: none, ended 2023-03-31) was "expired" at −1,341 days."""
    default = json.loads(_demo("--format", "json"))["events"]
    assert "CTR-SPREE-LEASE-2020" not in {e["id"] for e in default}
    assert "CTR-SPREE-LEASE-2020" not in _demo()
    everything = json.loads(_demo("--format", "json", "--all"))["events"]
    lease = [e for e in everything if e["id"] == "CTR-SPREE-LEASE-2020"]
    assert [(e["event"], e["status"], e["days_left"]) for e in lease] == [("contract_end", "closed", -1341)]
    assert len(everything) == len(default) + 1
    assert "CTR-SPREE-LEASE-2020" in _demo("--status", "closed")


def test_demo_waived_warranty_says_so_in_every_format():
    """SRV-0001's expired warranty is waived until 2027-03-31: every format says so, with the reason."""
    reason = "Hardware support via CTR-DELL-PS-2024"
    event = next(e for e in json.loads(_demo("--format", "json"))["events"]
                 if (e["id"], e["event"]) == ("SRV-0001", "warranty_end"))
    assert event["status"] == "expired"
    assert event["waiver"]["rule"] == "expired_warranty" and event["waiver"]["until"] == "2027-03-31"
    assert event["waiver"]["reason"].startswith(reason)
    row = next(line for line in _demo().splitlines() if "SRV-0001" in line and "warranty_end" in line)
    assert "expired, waived" in row and "until 2027-03-31" in row and reason in row
    md = next(line for line in _demo("--format", "markdown").splitlines() if "SRV-0001" in line and "warranty" in line)
    assert "expired, waived" in md and "2027-03-31" in md
    csv_row = next(line for line in _demo("--format", "csv").splitlines() if line.startswith("2024-06-16,"))
    assert "expired_warranty,2027-03-31," in csv_row and reason in csv_row
    cal = icalendar.Calendar.from_ical(_demo("--format", "ics", "--as-of", "2024-06-20"))
    srv = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "SRV-0001-warranty_end-2024-06-16@itamctl")
    assert f"Waived (expired_warranty) until 2027-03-31: {reason}" in str(srv["DESCRIPTION"]).replace("\\n", "")
