"""Expiries shown as text or Markdown list each event's cells, with the cache made a chunk of files at a time
and kept: the same listing as from the events, whatever the filters and whatever changed, and a warm run
reads them back."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import demo_copy, same_with_the_cache, warm_runs_compute_the_edited_chunk_alone

from itamctl.pipeline import open_registry
from itamctl.render import PLAIN, render
from itamctl.render.expiries import row_cells
from itamctl.tracking import events as events_module
from itamctl.tracking.events import expiries_report

AS_OF = "2026-11-28"
FOLDERS = ("assets", "licenses", "contracts")
FILTERS = [{}, {"within": 30}, {"within": 0}, {"kinds": ["license"]}, {"event_types": ["warranty_end", "renewal"]},
           {"statuses": ["due"]}, {"statuses": ["closed"]}, {"include_closed": True},
           {"kinds": ["asset"], "statuses": ["expired", "later"], "within": 400}]


@pytest.mark.parametrize("as_of", [date(2026, 11, 28), date(2024, 2, 29), date(2030, 6, 1)])
@pytest.mark.parametrize("filters", FILTERS)
def test_the_rows_are_the_listing_the_events_make(tmp_path, as_of, filters):
    registry = open_registry(demo_copy(tmp_path)).registry
    full = expiries_report(registry, as_of, **filters)
    shown = expiries_report(registry, as_of, **filters, cells=row_cells)
    assert shown.events == () and len(shown.rows) == len(full.events)
    assert shown.tally == full.tally and shown.tally.events == len(full.events)
    for fmt in ("text", "markdown"):
        assert render(shown, fmt, PLAIN) == render(full, fmt, PLAIN)
    for fmt in ("json", "csv"):
        with pytest.raises(ValueError):
            render(shown, fmt, PLAIN)  # it holds no event to list


def test_the_demo_lists_rows_of_every_status(tmp_path):
    registry = open_registry(demo_copy(tmp_path)).registry
    shown = expiries_report(registry, date(2026, 11, 28), include_closed=True, cells=row_cells)
    tally = shown.tally
    assert min(tally.expired, tally.due, tally.later, tally.closed, tally.waived) > 0
    days = [int(row[1]) for row in shown.rows]
    assert [row[0] for row in shown.rows] == sorted(row[0] for row in shown.rows) and days == sorted(days)


@pytest.mark.parametrize("change", ["asset", "waiver", "alerts", "as_of", "removed"])
def test_expiries_are_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = demo_copy(tmp_path, copies=2, folders=FOLDERS)
    as_of = AS_OF

    def expiries(*args: str) -> tuple:
        return same_with_the_cache("expiries", "--registry", str(root), "--as-of", as_of, *args)

    before = expiries()
    for args in (("--format", "markdown"), ("--within", "45", "--kind", "asset"), ("--status", "closed"), ("--all",)):
        expiries(*args)
    asset = next(p for p in sorted((root / "assets").rglob("c1-*.yaml")) if "status: deployed" in p.read_text())
    text = asset.read_text()
    if change == "asset":  # retired: no events
        asset.write_text(text.replace("status: deployed", "status: retired"))
    elif change == "waiver":  # its own lead time: its events are due a year ahead, and it waives them
        asset.write_text(text + "alerts: {days: [400]}\nwaivers:\n  - {rule: expiring_soon, until: 2027-12-31, "
                                "reason: spare kit on site}\n")
    elif change == "alerts":
        settings = root / "settings.yaml"
        settings.write_text(settings.read_text().replace("alerts: {days: [90, 30]}", "alerts: {days: [120, 7]}"))
    elif change == "as_of":
        as_of = "2027-06-30"
    else:
        asset.unlink()
    after = expiries()
    for args in (("--format", "markdown"), ("--within", "45", "--kind", "asset"), ("--all",)):
        expiries(*args)
    assert after != before


def test_a_warm_expiries_run_computes_the_edited_files_chunk_alone(tmp_path, cached, monkeypatch):
    root = demo_copy(tmp_path, copies=3, folders=FOLDERS)
    warm_runs_compute_the_edited_chunk_alone(monkeypatch, ("expiries", "--registry", str(root), "--as-of", AS_OF),
                                             events_module, "item_events", root,
                                             lambda text: text.replace("status: deployed", "status: retired"))
