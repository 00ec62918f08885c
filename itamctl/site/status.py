"""Status badges for every listed item: expired, due soon, over-allocated, ended, waived.

Nothing here judges an item: the badges come from the policy findings as the
dashboard words them (:func:`itamctl.site.attention.needs_attention`), from the
item's live waivers, and from its lifecycle (an asset's status; a license's or
contract's :func:`itamctl.site.context.lifecycle`). Each badge is
``{"css", "text", "title"}``: ``css`` picks the colour (``expired``, ``over``,
``due``, ``warning``, ``ended``, ``waived``, ``ok``), ``text`` is a word or two
for a table cell, ``title`` the full sentence (shown on hover and on the item's
page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from itamctl.site.attention import label, when

#: Short words for a finding's badge in a list (the headline is its title).
BADGE_WORDS = {
    "expired_warranty": "Warranty expired",
    "expired_license_in_use": "Expired, in use",
    "license_overallocated": "Over-allocated",
    "notice_passed": "Cancel-by passed",
    "eol_passed": "Past end of life",
    "audit_overdue": "Audit overdue",
    "leaver_holds_assets": "Left, holds assets",
    "seat_holder_gone": "Seat holder gone",
    "contract_covers_retired": "Covers retired",
    "waiver_lapsed": "Waiver lapsed",
    "per_seat_without_seats": "Seats missing",
}
#: Lifecycle words of licenses and contracts (:func:`itamctl.site.context.lifecycle`).
STATES = {"active": "Active", "not_started": "Not started", "ended": "Ended"}
#: The row colour of the most urgent badge (list pages tint the whole row).
ROW_CLASS = {"expired": "itam-row--expired", "over": "itam-row--over", "due": "itam-row--due"}


def finding_badge(entry: Mapping[str, Any]) -> dict[str, str]:
    """The badge of one "needs attention" entry."""
    rule = entry["rule"]
    if entry.get("group") == "soon":
        css, text = "due", "Due soon"
    elif rule == "license_overallocated":
        css, text = "over", BADGE_WORDS[rule]
    else:
        css = "expired" if entry.get("severity") == "error" else "warning"
        text = BADGE_WORDS.get(rule, entry.get("rule_label") or label(rule))
    return {"css": css, "text": text, "title": entry.get("headline", "")}


def waiver_badge(waiver: Mapping[str, Any], as_of: str) -> dict[str, str]:
    """A live waiver: what it waives, why and until when."""
    what = label(waiver["rule"])
    title = f"{what}: waived until {waiver['until']} ({when(waiver['until'], as_of)})"
    if waiver.get("reason"):
        title += f". Reason: {waiver['reason']}"
    return {"css": "waived", "text": "Waived", "title": title}


def state_label(row: Mapping[str, Any], kind: str) -> str:
    """The lifecycle as a word: an asset's status, a license's or contract's state, a person's."""
    if kind == "Asset":
        return label(row.get("status", ""))
    if kind == "Person":
        return "Active" if row.get("active", True) else "Left"
    return STATES.get(row.get("state", ""), label(row.get("state", "")))


def annotate(rows: Iterable[dict[str, Any]], kind: str, entries: Iterable[Mapping[str, Any]], as_of: str) -> None:
    """Set each row's ``state_label``, ``attention`` (its entries, most urgent first), ``badges`` and
    ``row_class`` (``itam-ended`` for rows the live view hides: retired, disposed, ended, left, unless
    something about them is still open; else the colour of the first badge)."""
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        by_item.setdefault(entry["id"], []).append(entry)
    for row in rows:
        mine = by_item.get(row["id"], [])
        badges = [finding_badge(e) for e in mine]
        seen: set[tuple[str, str]] = set()
        unique = [b for b in badges if (b["css"], b["text"]) not in seen and not seen.add((b["css"], b["text"]))]
        unique.extend(waiver_badge(w, as_of) for w in row.get("waivers", []) if w.get("live"))
        row["state_label"] = state_label(row, kind)
        row["attention"] = mine
        row["badges"] = unique
        ended = bool(row.get("ended")) and not mine  # an ended item with open findings stays in view
        row["row_class"] = "itam-ended" if ended else next(
            (ROW_CLASS[b["css"]] for b in unique if b["css"] in ROW_CLASS), "")


def seats_class(used: int, seats: int | None) -> str:
    """The colour of a "used / seats" figure: over (more assigned than bought), full, unused, or none."""
    if seats is None:
        return ""
    if used > seats:
        return "over"
    if seats and used == seats:
        return "full"
    if seats and used == 0:
        return "unused"
    return ""
