"""Status badges, live views, seats colours and repository links on their own (issue 15, items 2, 3 and 5)."""

from __future__ import annotations

import html
import re

import markdown

from itamctl.commands.site import source_url
from itamctl.site.status import annotate, seats_class
from itamctl.site.templating import badge, seats, source_link, status_cell, table
from tests.helpers_site import HOSTILE

AS_OF = "2026-12-01"


def _entry(item_id: str, rule: str, severity: str, group: str, headline: str) -> dict:
    return {"id": item_id, "rule": rule, "severity": severity, "group": group, "headline": headline,
            "rule_label": rule}


def test_badges_come_from_findings_waivers_and_the_lifecycle():
    rows = [
        {"id": "L-OVER", "state": "active", "ended": False, "waivers": []},
        {"id": "L-GONE", "state": "ended", "ended": True, "waivers": []},
        {"id": "L-LATE", "state": "ended", "ended": True, "waivers": []},
        {"id": "L-WAIVED", "state": "active", "ended": False,
         "waivers": [{"rule": "expired_warranty", "until": "2027-01-31", "reason": "swap in January", "live": True},
                     {"rule": "eol_passed", "until": "2026-01-31", "reason": "old", "live": False}]},
    ]
    entries = [
        _entry("L-OVER", "license_overallocated", "error", "now", "4 seats assigned, 3 bought"),
        _entry("L-OVER", "expiring_soon", "warning", "soon", "License ends in 10 days"),
        _entry("L-LATE", "expired_license_in_use", "error", "now", "License ended 6 months ago but still assigned"),
    ]
    annotate(rows, "License", entries, AS_OF)
    over, gone, late, waived = rows
    assert [(b["css"], b["text"]) for b in over["badges"]] == [("over", "Over-allocated"), ("due", "Due soon")]
    assert over["row_class"] == "itam-row--over" and over["state_label"] == "Active"
    # Ended and nothing open: out of the live view. Ended but still assigned: stays in view, red.
    assert gone["row_class"] == "itam-ended" and gone["badges"] == [] and gone["state_label"] == "Ended"
    assert late["row_class"] == "itam-row--expired" and late["badges"][0]["text"] == "Expired, in use"
    # Only the live waiver is a badge; its title gives what, until when and why.
    assert [b["text"] for b in waived["badges"]] == ["Waived"]
    title = waived["badges"][0]["title"]
    assert all(words in title for words in ("Warranty expired", "2027-01-31", "in 2 months", "swap in January"))
    assert "expired_warranty" not in title


def test_assets_and_people_get_their_lifecycle_word():
    assets = [{"id": "A", "status": "in_repair", "ended": False}, {"id": "B", "status": "disposed", "ended": True}]
    people = [{"id": "p", "active": False, "ended": True}]
    annotate(assets, "Asset", [], AS_OF)
    annotate(people, "Person", [], AS_OF)
    assert [a["state_label"] for a in assets] == ["In repair", "Disposed"]
    assert [a["row_class"] for a in assets] == ["", "itam-ended"]
    assert people[0]["state_label"] == "Left" and people[0]["row_class"] == "itam-ended"


def test_seats_colours():
    assert [seats_class(u, s) for u, s in [(4, 3), (5, 5), (0, 50), (2, 5), (3, None), (0, 0)]] == \
        ["over", "full", "unused", "", "", ""]
    shown = seats({"used": 4, "seats": 3})
    assert 'itam-seats--over' in shown and "4 / 3" in shown and "more assigned than bought" in shown
    assert seats({"used": 3, "seats": None}) == "3 / unlimited"


def test_badge_and_status_cell_are_inert_and_filter_by_their_word():
    hostile = {"css": "due\" onclick=\"x", "text": HOSTILE["img"], "title": HOSTILE["script"]}
    out = badge(hostile)
    assert "<img" not in out and "<script" not in out and 'onclick="' not in out
    assert 'class="itam-badge itam-badge--dueonclickx"' in out
    row = {"state_label": "Active", "badges": [hostile]}
    page = markdown.Markdown(extensions=["tables"]).convert("\n" + table(["Status"], [[status_cell(row)]]) + "\n")
    cell = re.search(r"<td([^>]*)>(.*?)</td>", page, re.DOTALL)
    assert cell.group(1) == ' data-value="Active"'
    assert "<img" not in cell.group(2) and HOSTILE["img"] in html.unescape(re.sub(r"<[^>]+>", "", cell.group(2)))


def test_wide_tables_become_cards_on_a_phone_narrow_ones_stay_tables():
    assert "<table data-cards>" in table(["a", "b", "c", "d"], [[1, 2, 3, 4]])
    assert "<table>" in table(["a", "b", "c"], [[1, 2, 3]])
    assert "<table data-search-exclude data-cards>" in table(["a", "b", "c", "d"], [], searchable=False)


def test_repository_url_from_the_ci_environment(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "registry").mkdir(parents=True)
    env = {"GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": "acme/itam",
           "GITHUB_REF_NAME": "main", "GITHUB_WORKSPACE": str(checkout)}
    assert source_url(checkout / "registry", env) == "https://github.example/acme/itam/blob/main/registry/"
    assert source_url(checkout, env) == "https://github.example/acme/itam/blob/main/"
    assert source_url(tmp_path / "elsewhere", env) is None  # outside the checkout: no links
    assert source_url(checkout / "registry", {**env, "GITHUB_REPOSITORY": ""}) is None
    no_workspace = {k: v for k, v in env.items() if k != "GITHUB_WORKSPACE"}
    assert source_url(checkout / "registry", no_workspace, cwd=checkout).endswith("/blob/main/registry/")
    link = source_link("assets/a b.yaml", "registry/assets/a b.yaml", "https://github.example/acme/itam/blob/main/registry/")
    assert link == ('<a href="https://github.example/acme/itam/blob/main/registry/assets/a%20b.yaml">'
                    "registry/assets/a b.yaml</a>")
    assert source_link("assets/x.yaml", "registry/assets/x.yaml", None) == "registry/assets/x.yaml"
