"""Issue 9: every figure on the site equals the CLI's JSON for the same registry and as_of.

The demo registry is built with ``itamctl site build`` into a temporary folder; the test reads what
the built site shows (the HTML pages) and embeds (budget.json, inventory.json, expiries.ics) and
compares it with ``itamctl costs / depreciation / budget / expiries / check --format json``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl.dates import add_months
from itamctl.rules import rule_ids
from itamctl.site.pages import AHEAD_MONTHS

DEMO = REPO_ROOT / "registry"
AS_OF = "2026-12-01"

#: The asset page's "Cost" table: row label -> field of ``itamctl costs --format json``.
COST_LABELS = {
    "Purchase cost": "cost", "Accumulated depreciation": "accumulated_depreciation", "Written off": "write_off",
    "Book value": "book_value", "Gain or loss": "gain_or_loss", "Maintenance": "maintenance",
    "Share of contracts": "contract_share", "Licenses": "license_share", "Per-seat licenses": "license_share",
    "Share of licenses": "license_share", "Disposal": "disposal", "Disposal (cost less proceeds)": "disposal",
    "Total cost of ownership": "tco",
}


class _Tables(HTMLParser):
    """Every <table> of a page as (header cells, body rows), each cell its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._head = [], tag == "th"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            header, rows = self.tables[-1]
            if self._head and not header:
                header.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page: Path) -> list[tuple[list[str], list[list[str]]]]:
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def table(page: Path, *header: str) -> list[list[str]]:
    """The rows of the page's tables whose header starts with ``header`` (all of them, in order)."""
    found = [rows for head, rows in tables(page) if head[:len(header)] == list(header)]
    assert found, f"{page.name}: no table headed {header}"
    return [row for rows in found for row in rows]


def amount(cell: str) -> str | None:
    """A site amount (``36,955.00``, ``-41.51``) as the CLI's JSON string; ``None`` for an empty cell."""
    cell = cell.replace(",", "").replace("\u2212", "-").strip()
    if not re.fullmatch(r"-?\d+\.\d\d", cell):
        assert not re.search(r"\d", cell), f"not an amount: {cell!r}"
        return None
    return cell


def cli_json(*args: str) -> dict:
    code, out, err = run_cli(*args, "--registry", str(DEMO), "--as-of", AS_OF, "--format", "json")
    assert code in (0, 1), err  # check exits 1 on the demo's planted errors
    return json.loads(out)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    code, _, err = run_cli("site", "build", "--registry", str(DEMO), "--as-of", AS_OF, "--out", str(out))
    assert code == 0, err
    return out


def test_asset_pages_show_the_costs_and_schedules_of_the_cli(site):
    costs = cli_json("costs")
    compared = Counter()
    for item in costs["items"]:
        page = site / "asset" / f"{item['id']}.html"
        rows = table(page, "Figure", "Amount")
        shown = {COST_LABELS[label]: amount(value) for label, value in rows if label in COST_LABELS}
        assert {"cost", "book_value", "tco"} <= set(shown), (item["id"], rows)
        for field, value in shown.items():
            assert value == item[field], (item["id"], field, value, item[field])
            compared[field] += 1
        text = page.read_text(encoding="utf-8")
        month = re.search(r"(\d+) months? in service: ([\d,.-]+) ", text)
        if item["tco_per_month"] is None:
            assert month is None, item["id"]
        else:
            assert month is not None and int(month[1]) == item["months_in_service"], item["id"]
            assert amount(month[2]) == item["tco_per_month"], item["id"]
        schedule = cli_json("depreciation", item["id"])
        if schedule["periods"]:
            periods = table(page, "Fiscal year", "From", "To", "Depreciation")
            assert [[p[0], p[1], p[2], amount(p[3]), amount(p[4])] for p in periods] == [
                [f"FY{p['period']}", p["start"], p["end"], p["depreciation"], p["book_value"]]
                for p in schedule["periods"]], item["id"]
            compared["periods"] += 1
    assert compared["cost"] == len(costs["items"]) > 50 and compared["periods"] > 30
    # the inventory download carries the same book values
    inventory = json.loads((site / "inventory.json").read_text(encoding="utf-8"))
    book = {i["id"]: i["book_value"] for i in costs["items"]}
    assert {a["id"]: a["book_value"] or None for a in inventory["assets"]} == book


def test_budget_page_and_download_equal_the_cli(site):
    cli = cli_json("budget")
    download = json.loads((site / "budget.json").read_text(encoding="utf-8"))
    assert download == cli
    kinds = ("replacement", "license", "contract", "maintenance")
    forecast = table(site / "budget.html", "Fiscal year", "From", "To", "Replacement")
    expected = [[y["from"], y["end"], *(y["by_kind"][k] for k in kinds), y["total"]]
                for y in (cli["current"], *cli["years"])]
    assert [[r[1], r[2], *map(amount, r[3:8])] for r in forecast] == expected
    actual = table(site / "budget.html", "Fiscal year", "From", "To", "Purchase")
    # the current year's actuals end on as_of
    assert [[r[1], r[2], *map(amount, r[3:8])] for r in actual] == [
        [a["start"], AS_OF if a["partial"] else a["end"],
         *(a["by_kind"][k] for k in ("purchase", "license", "contract", "maintenance")), a["total"]]
        for a in cli["actuals"]]


def test_expiries_page_and_calendar_equal_the_cli(site, tmp_path):
    ics = tmp_path / "cli.ics"
    code, _, err = run_cli("expiries", "--registry", str(DEMO), "--as-of", AS_OF, "--format", "ics", "-o", str(ics))
    assert code == 0, err
    assert (site / "expiries.ics").read_bytes() == ics.read_bytes()
    as_of = date.fromisoformat(AS_OF)
    until = add_months(as_of, AHEAD_MONTHS)
    events = cli_json("expiries")["events"]  # closed ones left out, as on the page; every passed one kept
    expected = Counter((e["date"], abs(e["days_left"]), e["id"], e["event"].replace("_", " ")) for e in events
                       if e["days_left"] < 0 or e["date"] <= until.isoformat())
    page = site / "expiries.html"
    shown = [*table(page, "Date", "Days ago", "Item"), *table(page, "Date", "In days", "Item")]
    assert Counter((r[0], int(r[1]), r[2], r[4]) for r in shown) == expected
    assert len(expected) > 50


def _numbers(text: str) -> list[str]:
    """The dates and figures of a message, in order (what a finding says, whatever the words around it)."""
    return [n.replace(",", "") for n in re.findall(r"\d[\d,.-]*\d|\d", text)]


def test_findings_page_equals_check(site):
    cli = cli_json("check")
    policy = set(rule_ids("policy"))
    findings = [d for d in cli["diagnostics"] if d["rule"] in policy]
    rows = table(site / "findings.html", "Severity", "Item", "Name", "Finding")
    severity = {"Must fix": "error", "Check": "warning", "Due soon": "warning", "Note": "notice"}
    assert Counter((severity[r[0]], tuple(_numbers(r[5]))) for r in rows) == Counter(
        (d["severity"], tuple(_numbers(d["message"]))) for d in findings)
    summary = re.search(r"(\d+) to fix and (\d+) to check", (site / "findings.html").read_text(encoding="utf-8"))
    assert summary is not None
    assert (int(summary[1]), int(summary[2])) == (cli["summary"]["error"], cli["summary"]["warning"])


def _pairs(page: Path, block: str) -> dict[str, str]:
    """``{label: value}`` of the page's header cells (``itam-head``) or dashboard cards (``itam-card``)."""
    text = html.unescape(page.read_text(encoding="utf-8"))
    first, second = {"head": ("label", "value"), "card": ("title", "figure")}[block]
    pattern = rf'itam-{block}__{first}">([^<]*)</span><span class="itam-{block}__{second}">([^<]*)'
    return {label.strip(): value.strip() for label, value in re.findall(pattern, text)}


def _leading_amount(value: str) -> str | None:
    """The amount a header cell or card starts with (``41,601.37 EUR for 25 assets`` -> ``41601.37``)."""
    found = re.match(r"\s*(-?[\d,]+\.\d\d)\b", value)
    return None if found is None else amount(found[1])


def test_dashboard_location_and_vendor_figures_equal_the_cli(site):
    costs, budget = cli_json("costs"), cli_json("budget")
    cards = _pairs(site / "index.html", "card")
    current, label = budget["current"], budget["current"]["label"]
    expected = {
        "Total book value": costs["totals"]["book_value"],
        f"Spent in FY{label} so far": current["actual_to_date"],
        f"Forecast FY{label}, rest of the year": current["total"],
        f"FY{label} in all (spent and forecast)": current["expected_total"],
        f"Budget FY{budget['years'][0]['label']} (next year)": budget["years"][0]["total"],
    }
    shown = {k: _leading_amount(cards[k]) for k in expected if k in cards}
    assert shown == {k: expected[k] for k in shown} and len(shown) >= 3, cards
    for by, what, field in (("location", "Book value here", "book_value"), ("vendor", "Bought from them", "cost")):
        groups = {g["key"]: g[field] for g in cli_json("costs", "--by", by)["groups"] if g["key"] is not None}
        shown = {}
        for key in groups:
            page = site / by / f"{key}.html"
            if page.exists():
                value = _pairs(page, "head").get(what)
                shown[key] = None if value is None else _leading_amount(value)
        assert shown == {k: v for k, v in groups.items() if k in shown} and len(shown) >= 3, (by, shown)
