"""``itamctl expiries``: filters and every output format (the calendar read back by a real parser)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, timedelta

import icalendar
import pytest

from tests.helpers_tracking import asset, contract, license, line_of, make_registry, run

AS_OF = "2026-11-28"


@pytest.fixture
def root(tmp_path):
    return make_registry(
        tmp_path / "reg",
        asset("LT-1", warranty_end="2026-12-10", extra="end_of_life: 2027-12-31\n"),
        asset("LT-2", warranty_end="2026-03-14", extra="alerts: {days: [120, 60, 7]}\n"),
        asset("LT-OLD", status="retired", warranty_end="2025-06-30"),
        license("LIC-1", end="2026-12-31", renewal="auto", extra="notice_days: 30\n"),
        contract("CTR-1", end="2027-06-30", renewal="manual"),
        settings="audit: {interval_months: 24}\n",
    )


def expiries(root, *args):
    code, out, err = run("expiries", "--registry", root, "--as-of", AS_OF, *args)
    assert code == 0, err
    return out


def test_json_document(root):
    payload = json.loads(expiries(root, "--format", "json"))
    assert payload["as_of"] == AS_OF
    events = payload["events"]
    keys = {"id", "kind", "event", "date", "days_left", "status", "file", "line"}
    assert all(keys <= set(e) for e in events)
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    by = {(e["id"], e["event"]): e for e in events}
    assert by[("LT-2", "warranty_end")] | {} == {
        "id": "LT-2", "kind": "asset", "name": "Laptop LT-2", "event": "warranty_end", "date": "2026-03-14",
        "days_left": -259, "status": "expired", "stage": None, "file": by[("LT-2", "warranty_end")]["file"],
        "line": line_of(root / "LT-2.yaml", "end: 2026-03-14"), "waiver": None,
    }
    assert by[("LT-1", "warranty_end")]["status"] == "due" and by[("LT-1", "warranty_end")]["stage"] == 30
    assert by[("LIC-1", "cancel_by")]["date"] == "2026-12-01"
    assert by[("LIC-1", "renewal")]["kind"] == "license"
    assert by[("CTR-1", "contract_end")]["status"] == "later"
    assert by[("LT-1", "audit_due")]["date"] == "2027-01-10"
    assert not [k for k in by if k[0] == "LT-OLD"]


def test_filters(root):
    def ids(*args):
        return {(e["id"], e["event"]) for e in json.loads(expiries(root, "--format", "json", *args))["events"]}

    everything = ids()
    assert ids("--within", "30") == {("LT-2", "warranty_end"), ("LT-1", "warranty_end"), ("LIC-1", "cancel_by")}
    assert ids("--kind", "license") == {("LIC-1", "renewal"), ("LIC-1", "cancel_by")}
    assert ids("--kind", "warranty_end") == {("LT-1", "warranty_end"), ("LT-2", "warranty_end")}
    assert ids("--kind", "asset", "--kind", "audit_due") == {("LT-1", "audit_due"), ("LT-2", "audit_due")}
    assert ids("--status", "expired") == {("LT-2", "warranty_end")}
    assert ids("--within", "0") == {("LT-2", "warranty_end")}
    assert len(everything) == 9


def test_text(root):
    out = expiries(root)
    lines = out.splitlines()
    assert lines[0] == f"Expiries as of {AS_OF}"
    assert lines[2].split() == ["Date", "Days", "Status", "Kind", "Id", "Event", "Name", "Where", "Waiver"]
    row = next(line for line in lines if "LT-1" in line and "warranty_end" in line)
    assert row.split()[:5] == ["2026-12-10", "12", "due", "(30d)", "asset"]
    assert lines[-1] == "9 events: 1 expired, 5 due, 3 later"


def test_csv(root):
    rows = list(csv.DictReader(io.StringIO(expiries(root, "--format", "csv"), newline="")))
    assert len(rows) == 9
    assert list(rows[0]) == ["date", "days_left", "status", "stage", "kind", "id", "event", "name", "file", "line",
                             "waiver_rule", "waiver_until", "waiver_reason"]
    first = rows[0]
    assert (first["date"], first["days_left"], first["status"]) == ("2026-03-14", "-259", "expired")
    assert first["id"] == "LT-2"


def test_markdown(root):
    out = expiries(root, "--format", "markdown")
    assert out.startswith(f"## Expiries as of {AS_OF}\n\n| Date | Days |")
    assert "| 2026-12-10 | 12 | due (30d) | asset | LT-1 | warranty\\_end | Laptop LT-1 |" in out


def test_empty(tmp_path):
    root = make_registry(tmp_path / "r")
    assert expiries(root).endswith("No events.\n")
    assert json.loads(expiries(root, "--format", "json")) == {"as_of": AS_OF, "events": []}


def test_ics_parses_with_a_real_calendar_parser(root, tmp_path):
    target = tmp_path / "expiries.ics"
    assert expiries(root, "--format", "ics", "--output", target) == ""
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded (RFC 5545 3.1)
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and "itamctl" in str(cal["PRODID"])
    vevents = cal.walk("VEVENT")
    payload = json.loads(expiries(root, "--format", "json"))["events"]
    # LT-2's warranty ended 259 days ago: beyond the calendar's 30 days of past
    assert len(payload) == 9 and len(vevents) == 8
    by_uid = {str(ev["UID"]): ev for ev in vevents}
    assert len(by_uid) == 8 and "LT-2-warranty_end-2026-03-14@itamctl" not in by_uid
    lt1 = by_uid["LT-1-warranty_end-2026-12-10@itamctl"]
    assert lt1.decoded("DTSTART") == date(2026, 12, 10)
    assert lt1.decoded("DTEND") == date(2026, 12, 11)
    assert str(lt1["SUMMARY"]) == "Warranty ends: LT-1 (Laptop LT-1)"
    assert "LT-1.yaml:" in str(lt1["DESCRIPTION"])
    assert [a.decoded("TRIGGER") for a in lt1.walk("VALARM")] == [timedelta(days=-90), timedelta(days=-30)]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in lt1.walk("VALARM"))
    _, ahead, _ = run("expiries", "--registry", root, "--as-of", "2026-03-01", "--format", "ics")
    lt2 = {str(ev["UID"]): ev for ev in icalendar.Calendar.from_ical(ahead).walk("VEVENT")}[
        "LT-2-warranty_end-2026-03-14@itamctl"]
    assert [a.decoded("TRIGGER") for a in lt2.walk("VALARM")] == [timedelta(days=-d) for d in (120, 60, 7)]


def test_ics_holds_the_recent_past_without_reminders(root):
    """Issue 9 item 11: what is ahead plus the last 30 days; a past event has no VALARM; nothing older."""
    def calendar(as_of):
        code, out, err = run("expiries", "--registry", root, "--as-of", as_of, "--format", "ics")
        assert code == 0, err
        return {str(ev["UID"]): ev for ev in icalendar.Calendar.from_ical(out).walk("VEVENT")}

    uid = "LT-2-warranty_end-2026-03-14@itamctl"
    recent = calendar("2026-04-13")  # 30 days after: still in, no reminder
    assert uid in recent and recent[uid].walk("VALARM") == []
    assert uid not in calendar("2026-04-14")  # 31 days after: out
    assert all(ev.walk("VALARM") == [] for ev in recent.values() if ev.decoded("DTSTART") < date(2026, 4, 13))


def test_ics_is_stable_for_a_subscription(root, tmp_path):
    """The same registry and date give the same bytes; a later date keeps UIDs and descriptions."""
    first = expiries(root, "--format", "ics")
    assert expiries(root, "--format", "ics") == first
    code, later, _ = run("expiries", "--registry", root, "--as-of", "2026-12-05", "--format", "ics")
    assert code == 0
    cal_a = icalendar.Calendar.from_ical(first)
    cal_b = icalendar.Calendar.from_ical(later)
    desc_a = {str(e["UID"]): str(e["DESCRIPTION"]) for e in cal_a.walk("VEVENT")}
    desc_b = {str(e["UID"]): str(e["DESCRIPTION"]) for e in cal_b.walk("VEVENT")}
    assert desc_a == desc_b


@pytest.mark.slow
def test_ics_on_standard_output_keeps_crlf(root):
    """The installed command, in a real process: the calendar on stdout is byte-exact."""
    done = subprocess.run([sys.executable, "-m", "itamctl", "expiries", "--registry", str(root), "--as-of", AS_OF,
                           "--format", "ics"], capture_output=True, check=True, timeout=60)
    assert done.stdout.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert done.stdout.count(b"BEGIN:VEVENT\r\n") == 8
    assert b"\n" not in done.stdout.replace(b"\r\n", b"")


def test_ics_output_file_is_atomic_and_not_overwritten(root, tmp_path):
    target = tmp_path / "out" / "expiries.ics"
    code, out, err = run("expiries", "--registry", root, "--as-of", AS_OF, "--format", "ics", "--output", target)
    assert (code, out) == (0, "")
    assert icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    before = target.read_bytes()
    code, _, err = run("expiries", "--registry", root, "--as-of", "2027-01-01", "--format", "ics", "-o", target)
    assert code != 0 and "--force" in err and target.read_bytes() == before
    code, _, _ = run("expiries", "--registry", root, "--as-of", "2027-01-01", "--format", "ics", "-o", target,
                     "--force")
    assert code == 0 and target.read_bytes() != before


def test_usage_errors(root, tmp_path):
    code, _, err = run("expiries", "--registry", root, "--as-of", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run("expiries", "--registry", root, "--as-of", AS_OF, "--kind", "laptop")
    assert code == 2 and "laptop" in err
    code, _, err = run("expiries", "--registry", root, "--as-of", AS_OF, "--within", "-1")
    assert code == 2


def test_invalid_registry_is_refused_with_file_and_line(tmp_path):
    root = make_registry(tmp_path / "r", license("LIC-1", assigned=("nobody",)))
    code, _, err = run("expiries", "--registry", root, "--as-of", AS_OF)
    assert code == 1 and "LIC-1.yaml:" in err and "validate" in err
