"""The reports the CLI prints, as the JSON-able dicts the site renders.

Each entry is the report object's own ``to_json()`` (the report the command
computes, never a renderer's text), so a page shows exactly what the command
line shows. The one rendered file is the calendar (``ics``), published as
``itamctl expiries --format ics`` writes it. A report that cannot be computed for this registry (for example a
missing exchange rate) becomes ``{"error": message}`` and its page says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from itamctl.errors import FatalError
from itamctl.model import Registry


def _guard(compute: Callable[[], Any]) -> Any:
    try:
        return compute()
    except FatalError as exc:
        return {"error": str(exc)}


def findings(registry: Registry, as_of: date) -> list[dict] | None:
    """Open findings of ``itamctl check``'s policy rules on ``as_of``."""
    from itamctl.diagnostics import sorted_diagnostics
    from itamctl.rules import run_policy

    return [d.to_json() for d in sorted_diagnostics(run_policy(registry, as_of))]


def events(registry: Registry, as_of: date) -> list[dict] | None:
    """Every dated event (expiries, renewals, cancel-by dates, end of life, audits)."""
    from itamctl.tracking.events import registry_events

    return [e.to_json() for e in registry_events(registry, as_of)]


def ics(registry: Registry, as_of: date) -> str | None:
    """The expiry calendar exactly as ``itamctl expiries --format ics`` renders it."""
    from itamctl.render import render
    from itamctl.tracking.events import ExpiriesReport, registry_events

    return render(ExpiriesReport(as_of, tuple(registry_events(registry, as_of))), "ics")


def budget(registry: Registry, as_of: date) -> dict | None:
    """The budget report (``itamctl budget --format json``), plus its groups per category and cost centre."""
    from itamctl.budget import budget_report

    result = budget_report(registry, as_of).to_json()
    for by in ("category", "cost_center"):
        grouped = budget_report(registry, as_of, by=by).to_json()
        result[f"groups_by_{by}"] = [{"label": y["label"], "groups": y["groups"]} for y in grouped["years"]]
    return result


def costs(registry: Registry, as_of: date) -> dict | None:
    """``itamctl costs --format json``, each item with its depreciation schedule (``itamctl depreciation``),
    plus its groups per location and purchase vendor (``--by location``, ``--by vendor``) and the spend per
    vendor (:func:`itamctl.finance.costs.vendor_spend`: assets bought + license and contract payments)."""
    from itamctl.finance.costs import costs_report, regrouped, vendor_spend
    from itamctl.finance.schedule_report import schedule_view

    report = costs_report(registry, as_of)
    result = report.to_json()
    for by in ("location", "vendor"):
        result[f"groups_by_{by}"] = [g.to_json(key=True) for g in regrouped(report, by).groups]
    result["spend_by_vendor"] = [s.to_json() for s in vendor_spend(registry, report)]
    assets = {a.id: a for a in registry.assets}
    for item in result["items"]:
        item["schedule"] = schedule_view(assets[item["id"]], registry.settings, as_of).to_json()
    return result


COLLECTORS: dict[str, Callable[[Registry, date], Any]] = {
    "findings": findings,
    "events": events,
    "ics": ics,
    "budget": budget,
    "costs": costs,
}


def collect(registry: Registry, as_of: date, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The reports ``names`` (default: all of :data:`COLLECTORS`)."""
    wanted = COLLECTORS if names is None else {name: COLLECTORS[name] for name in names}
    return {name: _guard(lambda f=func: f(registry, as_of)) for name, func in wanted.items()}
