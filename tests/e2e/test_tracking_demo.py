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
