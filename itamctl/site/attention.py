"""What needs attention, in plain words: the policy findings of ``itamctl check`` turned into a staff list.

Nothing here decides *whether* something is wrong: the findings are the
policy rules' own (:mod:`itamctl.policy`, run by :func:`itamctl.site.reports.findings`)
and their dates are the expiry events' (:mod:`itamctl.tracking.events`). This
module only finds the item each finding is about, words it for people who do
not know the rule ids ("Warranty expired 3 months ago") and orders the list:
errors first, then what is overdue, then what comes up soonest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

#: Plain names of the policy rules, for people (rule ids never appear in visible text).
RULE_LABELS = {
    "expired_warranty": "Warranty expired",
    "expired_license_in_use": "Expired license still in use",
    "license_overallocated": "More seats assigned than bought",
    "notice_passed": "Cancel-by date passed",
    "expiring_soon": "Coming up",
    "eol_passed": "Past its planned end of life",
    "contract_covers_retired": "Contract covers a retired asset",
    "waiver_lapsed": "Waiver lapsed",
    "waiver_unknown_rule": "Waiver of an unknown rule",
}
#: The order the issue's staff asked for when severities tie; rules not listed come after these.
URGENCY = ("expired_warranty", "license_overallocated", "expired_license_in_use", "notice_passed",
           "audit_overdue", "overdue_audit", "leaver_holds_assets", "eol_passed", "contract_covers_retired",
           "waiver_lapsed", "expiring_soon")
SEVERITY_RANK = {"error": 0, "warning": 1, "notice": 2}
SEVERITY_LABELS = {"error": "Must fix", "warning": "Check", "notice": "Note"}

#: Expiry event kinds in words: (upcoming, passed).
EVENT_WORDS = {
    "warranty_end": ("Warranty ends", "Warranty expired"),
    "end_of_life": ("Planned end of life", "Planned end of life passed"),
    "cancel_by": ("Last day to cancel", "Last day to cancel passed"),
    "renewal": ("Renews", "Renewed"),
    "contract_end": ("Contract ends", "Contract ended"),
    "license_end": ("License ends", "License ended"),
    "audit_due": ("Audit due", "Audit overdue"),
}

#: Codes of the registry format shown to people (statuses, event kinds, billing, renewal).
CODE_LABELS = {
    "deployed": "In service", "in_stock": "In stock", "in_repair": "In repair", "ordered": "Ordered",
    "planned": "Planned", "retired": "Retired", "disposed": "Disposed",
    "straight_line": "Straight line", "declining_balance": "Declining balance",
    "auto": "Renews automatically", "manual": "Renewed by hand", "none": "Does not renew",
    "one_time": "One-off", "once": "Once",
}


def label(code: Any) -> str:
    """A code as people read it: ``in_repair`` → ``In repair``; rule ids by their plain name."""
    if code is None or code == "":
        return ""
    text = str(code)
    if text in CODE_LABELS:
        return CODE_LABELS[text]
    if text in RULE_LABELS:
        return RULE_LABELS[text]
    if text in EVENT_WORDS:
        return EVENT_WORDS[text][0]
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


_RULE_ID = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def plain(message: str) -> str:
    """A finding's message with rule ids and field codes in words (``expired_warranty`` → "warranty expired")."""
    def word(match: re.Match) -> str:
        code = match.group(0)
        if code in RULE_LABELS:
            return f"“{RULE_LABELS[code].lower()}”"
        return code.replace("_", " ")
    return _RULE_ID.sub(word, message.replace("`", ""))


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _span(days: int) -> str:
    if days < 45:
        return _plural(days, "day")
    if days < 548:
        return _plural(round(days / 30.44), "month")
    return _plural(round(days / 365.25), "year")


def when(day: str | date, as_of: str | date) -> str:
    """``day`` relative to ``as_of`` in words: "today", "tomorrow", "in 10 days", "3 months ago"."""
    target = day if isinstance(day, date) else date.fromisoformat(str(day))
    as_of = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    delta = (target - as_of).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {_span(delta)}" if delta > 0 else f"{_span(-delta)} ago"


def locate(spans: Mapping[str, list[tuple[int, str]]], file: str, line: int | None) -> str | None:
    """The id of the item whose document holds ``file:line`` (``spans``: file → sorted (first line, id))."""
    docs = spans.get(file)
    if not docs:
        return None
    found = docs[0][1]
    for start, item_id in docs:
        if line is not None and start <= line:
            found = item_id
    return found


def _headline(rule: str, event: Mapping[str, Any] | None, item: Mapping[str, Any], as_of: date, message: str) -> str:
    if event is not None and event.get("event") in EVENT_WORDS:
        upcoming, passed = EVENT_WORDS[event["event"]]
        days = event.get("days_left", 0)
        phrase = f"{passed if days < 0 else upcoming} {when(event['date'], as_of)}"
        if rule == "expired_warranty" and item.get("status"):
            return f"{phrase}, still {label(item['status']).lower()}"
        if rule == "expired_license_in_use":
            return f"{phrase} but still assigned"
        if rule == "notice_passed":
            return f"{phrase}; it renews for another term"
        return phrase
    if rule == "license_overallocated" and item.get("seats") is not None:
        return f"{item.get('used')} seats assigned, {item['seats']} bought"
    if rule in RULE_LABELS and rule != "expiring_soon":
        return RULE_LABELS[rule]
    # A rule this page has no words for: the message's first clause, without the leading id.
    first = plain(message).split(";")[0]
    item_id = str(item.get("id", ""))
    if item_id and first.startswith(item_id):
        first = first[len(item_id):].lstrip(" :")
    return first[:1].upper() + first[1:]


def needs_attention(findings: Iterable[Mapping[str, Any]], events: Iterable[Mapping[str, Any]] | None,
                    spans: Mapping[str, list[tuple[int, str]]], items: Mapping[str, Mapping[str, Any]],
                    kinds: Mapping[str, str], as_of: date) -> list[dict[str, Any]]:
    """The findings as a staff list, most urgent first.

    Each entry: ``id``, ``kind``, ``rule`` (for ordering, never shown), ``name``, ``severity`` (and its
    ``severity_label``), ``rule_label``, ``headline`` (plain words), ``detail`` (the finding's message,
    rule ids replaced), ``date`` and ``days`` (of the expiry event the finding is about, when there is
    one), ``group`` (``now``: errors, ``overdue``: other findings past their date or without one,
    ``soon``: coming up).
    """
    by_position = {(e.get("file"), e.get("line")): e for e in events or []}
    entries = []
    for f in findings:
        item_id = locate(spans, f["file"], f.get("line"))
        if item_id is None:
            continue
        item = items.get(item_id, {"id": item_id})
        event = by_position.get((f["file"], f.get("line")))
        if event is not None and event.get("id") != item_id:
            event = None
        rule = f["rule"]
        entries.append({
            "id": item_id, "kind": kinds.get(item_id, ""), "rule": rule, "name": item.get("name", ""),
            "severity": f["severity"], "severity_label": SEVERITY_LABELS.get(f["severity"], label(f["severity"])),
            "rule_label": label(rule), "headline": _headline(rule, event, item, as_of, f["message"]),
            "detail": plain(f["message"]), "date": event["date"] if event else "",
            "days": event["days_left"] if event else None,
        })

    for e in entries:
        e["group"] = ("now" if e["severity"] == "error"
                      else "soon" if e["days"] is not None and e["days"] >= 0 else "overdue")
        if e["group"] == "soon":
            e["severity_label"] = "Due soon"

    def urgency(e: dict[str, Any]) -> tuple:
        overdue = e["days"] is not None and e["days"] < 0
        rule_rank = URGENCY.index(e["rule"]) if e["rule"] in URGENCY else len(URGENCY) - 1
        soon = e["days"] if e["days"] is not None and e["days"] >= 0 else 10**6
        return (SEVERITY_RANK.get(e["severity"], 3), 0 if overdue or e["days"] is None else 1,
                rule_rank, soon, e["id"], e["headline"])

    return sorted(entries, key=urgency)
