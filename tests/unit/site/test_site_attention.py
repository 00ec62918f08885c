"""The dashboard's words: relative dates, plain labels, and which item a finding is about."""

from __future__ import annotations

from datetime import date

from itamctl.site.attention import label, locate, needs_attention, plain, when

AS_OF = date(2026, 12, 1)


def test_relative_dates_in_words():
    assert when("2026-12-01", AS_OF) == "today"
    assert when("2026-12-02", AS_OF) == "tomorrow"
    assert when("2026-11-30", AS_OF) == "yesterday"
    assert when("2026-12-11", AS_OF) == "in 10 days"
    assert when("2026-08-31", AS_OF) == "3 months ago"
    assert when("2024-06-06", AS_OF) == "2 years ago"


def test_codes_and_rule_ids_become_words():
    assert label("in_repair") == "In repair" and label("deployed") == "In service"
    assert label("expired_warranty") == "Warranty expired" and label("some_new_rule") == "Some new rule"
    assert "expired_warranty" not in plain("NET-0005: the waiver of expired_warranty lapsed; set end_of_life")
    assert "end of life" in plain("set a later end_of_life")


def test_findings_are_placed_on_their_item_and_ordered_by_urgency():
    spans = {"r/a.yaml": [(1, "A-1"), (20, "A-2")], "r/l.yaml": [(1, "L-1")]}
    items = {"A-1": {"id": "A-1", "name": "One", "status": "deployed"}, "A-2": {"id": "A-2", "name": "Two"},
             "L-1": {"id": "L-1", "name": "Lic", "seats": 3, "used": 4}}
    kinds = {"A-1": "Asset", "A-2": "Asset", "L-1": "License"}
    assert locate(spans, "r/a.yaml", 25) == "A-2" and locate(spans, "r/a.yaml", 3) == "A-1"
    findings = [
        {"file": "r/a.yaml", "line": 25, "rule": "expiring_soon", "severity": "warning", "message": "A-2: x"},
        {"file": "r/l.yaml", "line": 4, "rule": "license_overallocated", "severity": "error", "message": "L-1 over"},
        {"file": "r/a.yaml", "line": 5, "rule": "expired_warranty", "severity": "error", "message": "A-1 expired"},
    ]
    events = [{"id": "A-1", "file": "r/a.yaml", "line": 5, "event": "warranty_end", "date": "2026-08-31",
               "days_left": -92},
              {"id": "A-2", "file": "r/a.yaml", "line": 25, "event": "audit_due", "date": "2026-12-11",
               "days_left": 10}]
    entries = needs_attention(findings, events, spans, items, kinds, AS_OF)
    assert [(e["id"], e["headline"]) for e in entries] == [
        ("A-1", "Warranty expired 3 months ago, still in service"),
        ("L-1", "4 seats assigned, 3 bought"),
        ("A-2", "Audit due in 10 days"),
    ]
    assert [e["group"] for e in entries] == ["now", "now", "soon"]
