"""The report contract (issue 10): one renderer table keyed by (report type, format); reports are value objects."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
from datetime import date

import pytest

from itamctl import render
from itamctl.render import JSON, RENDERERS, Options, formats, renderer, report_key
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "registry"
AS_OF = date(2026, 12, 1)


def _report_type(key: str) -> type:
    module, _, name = key.partition(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("key", sorted(RENDERERS))
def test_every_report_type_is_a_frozen_value_object_with_to_json(key):
    report_type = _report_type(key)
    assert report_key(report_type) == key
    assert dataclasses.is_dataclass(report_type) and report_type.__dataclass_params__.frozen, key
    assert callable(getattr(report_type, "to_json", None)), key
    assert "json" in formats(report_type), key


@pytest.mark.parametrize(("key", "fmt"), [(k, f) for k in sorted(RENDERERS) for f in RENDERERS[k]])
def test_every_renderer_resolves_and_takes_the_report_and_options(key, fmt):
    function = renderer(_report_type(key), fmt)
    _report, options, *rest = inspect.signature(function).parameters.values()
    assert options.default is render.PLAIN, (key, fmt)
    assert all(p.kind is p.KEYWORD_ONLY and p.default is not p.empty for p in rest), (key, fmt, rest)


def test_json_is_the_reports_own_to_json_unless_the_table_says_otherwise():
    json_renderers = {by_format["json"] for by_format in RENDERERS.values()}
    assert json_renderers == {JSON}


def test_an_unknown_report_or_format_names_what_is_missing():
    from itamctl.finance.costs import CostsReport

    with pytest.raises(KeyError, match=r"add it to itamctl\.render\.RENDERERS"):
        renderer(Options, "text")
    with pytest.raises(KeyError, match="no 'ics' renderer"):
        renderer(CostsReport, "ics")


@pytest.fixture(scope="module")
def demo():
    from itamctl.pipeline import load_valid_registry

    return load_valid_registry(DEMO)


def test_the_json_format_is_the_reports_to_json(demo):
    from itamctl.budget import budget_report
    from itamctl.finance.costs import costs_report
    from itamctl.finance.schedule_report import schedule_view
    from itamctl.tracking.events import ExpiriesReport, registry_events

    reports = [costs_report(demo, AS_OF, by="category"), budget_report(demo, AS_OF),
               schedule_view(demo.assets[0], demo.settings, AS_OF),
               ExpiriesReport(AS_OF, tuple(registry_events(demo, AS_OF)))]
    for report in reports:
        assert json.loads(render.render(report, "json")) == report.to_json()


def test_the_site_reads_report_objects_not_rendered_text(demo):
    from itamctl.finance.costs import costs_report
    from itamctl.site import reports

    site = reports.collect(demo, AS_OF, ["costs", "ics"])
    expected = costs_report(demo, AS_OF).to_json()
    assert [{k: v for k, v in item.items() if k != "schedule"} for item in site["costs"]["items"]] \
        == expected["items"]
    assert site["costs"]["totals"] == expected["totals"]
    assert site["ics"].startswith("BEGIN:VCALENDAR")
