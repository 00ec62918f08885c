"""Which pages and files the site has, rendered from a :class:`SiteContext`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from itamctl import reference
from itamctl.dates import add_months
from itamctl.render.table import csv_text
from itamctl.schema import KINDS, builtin_schema_dir, load_schemas, schema_file
from itamctl.site import attention, charts, status
from itamctl.site.context import SiteContext
from itamctl.site.templating import render

SECTIONS = ("index", "inventory", "licenses", "contracts", "expiries", "findings", "budget", "directory", "changes",
            "editing", "downloads")
#: The expiries page looks this far ahead (and back to every passed event not closed); the calendar
#: download has every event ahead.
AHEAD_MONTHS = 24
INVENTORY_COLUMNS = ("id", "name", "category", "status", "manufacturer", "model", "serial", "owner", "location",
                     "cost_center", "service_level", "purchase_date", "purchase_cost", "book_value",
                     "warranty_end", "end_of_life")


def _book_values(ctx: SiteContext) -> dict[str, str]:
    costs = ctx.reports.get("costs")
    if not isinstance(costs, dict) or "items" not in costs:
        return {}
    return {row["id"]: row.get("book_value", "") for row in costs["items"]}


def _vendor_spend(ctx: SiteContext) -> dict[str, dict[str, str]]:
    """Vendor id → the core's spend with them (``costs`` report ``spend_by_vendor``); empty without costs."""
    costs = ctx.reports.get("costs")
    if not isinstance(costs, dict):
        return {}
    return {row["vendor"]: row for row in costs.get("spend_by_vendor", [])}


def inventory_rows(ctx: SiteContext) -> list[dict[str, Any]]:
    book = _book_values(ctx)
    return [{**{k: a.get(k, "") for k in INVENTORY_COLUMNS}, "book_value": book.get(a["id"], "")}
            for a in ctx.assets]


def downloads(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    rows = inventory_rows(ctx)
    yield "inventory.csv", csv_text(INVENTORY_COLUMNS, [[row[c] for c in INVENTORY_COLUMNS] for row in rows])
    document = {"as_of": ctx.as_of.isoformat(), "currency": ctx.currency, "assets": rows}
    yield "inventory.json", json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    budget = ctx.reports.get("budget")
    if isinstance(budget, dict) and "years" in budget:
        plain = {k: v for k, v in budget.items() if not k.startswith("groups_by_")}
        yield "budget.json", json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    ics = ctx.reports.get("ics")
    if isinstance(ics, str):
        yield "expiries.ics", ics


def schema_files() -> Iterator[tuple[str, str]]:
    for path in sorted(builtin_schema_dir().glob("*.schema.json")):
        yield f"schemas/{path.name}", path.read_text(encoding="utf-8")


def _schema_fields(kind: str, registry_root: Path | None,
                   extensions: Sequence[tuple[str, bytes]] | None = None) -> list[dict[str, Any]]:
    schema = load_schemas(registry_root, extensions).get(schema_file(kind), {})
    required = set(schema.get("required", []))
    return [
        {"name": name, "title": spec.get("title", ""), "description": spec.get("description", ""),
         "required": name in required, "sensitive": spec.get("x-sensitive") is True}
        for name, spec in (schema.get("properties") or {}).items()
        if name not in ("apiVersion", "kind")
    ]


def attention_list(ctx: SiteContext) -> list[dict[str, Any]]:
    """The dashboard's "Needs attention" entries (empty when the policy check is not available)."""
    findings = ctx.reports.get("findings")
    if not isinstance(findings, list):
        return []
    events = ctx.reports.get("events")
    return attention.needs_attention(findings, events if isinstance(events, list) else None, ctx.spans,
                                     ctx.items(), ctx.kinds, ctx.as_of)


#: What item pages need of the reports (their findings, badges and costs); the others can be computed
#: while their pages build.
ITEM_REPORTS = ("costs", "findings", "events")
ROW_KINDS = (("assets", "Asset"), ("licenses", "License"), ("contracts", "Contract"), ("people", "Person"),
             ("locations", "Location"), ("vendors", "Vendor"))


def annotate(ctx: SiteContext) -> list[dict[str, Any]]:
    """Put each item's findings and status badges on its row (once); the "needs attention" entries."""
    if "attention" not in ctx.reports:
        entries = attention_list(ctx)
        ctx.reports["attention"] = entries
        for rows, kind in ROW_KINDS:
            status.annotate(getattr(ctx, rows), kind, entries, ctx.as_of.isoformat())
    return ctx.reports["attention"]


def section_pages(ctx: SiteContext, registry_root: Path | None = None,
                  extensions: Sequence[tuple[str, bytes]] | None = None) -> Iterator[tuple[str, str]]:
    """``(path, Markdown)`` of the section pages (the navigation)."""
    data = ctx.page_data()
    data["book"] = _book_values(ctx)
    data["spend"] = _vendor_spend(ctx)
    data["attention"] = annotate(ctx)
    data["charts"] = charts.budget_charts(ctx.reports.get("budget"))
    data["has_ics"] = isinstance(ctx.reports.get("ics"), str)
    data["has_budget"] = isinstance(ctx.reports.get("budget"), dict) and "years" in ctx.reports["budget"]
    data["window"] = {"until": add_months(ctx.as_of, AHEAD_MONTHS).isoformat()}
    data["schemas"] = [{"kind": k, "file": schema_file(k), "fields": _schema_fields(k, registry_root, extensions),
                        "example": reference.example(k), "example_path": f"registry/{reference.EXAMPLES[k]}"}
                       for k in KINDS]
    for name in SECTIONS:
        yield f"{name}.md", render(f"{name}.md.j2", **data)


def _status_counts(items: dict[str, dict[str, Any]]):
    """``ids`` → ``[(status, how many assets)]`` in the registry's status order."""
    from itamctl.model import STATUSES

    def counts(ids: Sequence[str]) -> list[tuple[str, int]]:
        found = Counter(items[i]["status"] for i in ids if i in items and "status" in items[i])
        return [(code, found[code]) for code in STATUSES if found[code]]
    return counts


def item_pages(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    """``(path, Markdown)`` of every asset, license, contract and person page (needs :data:`ITEM_REPORTS`)."""
    annotate(ctx)
    costs = ctx.reports.get("costs")
    per_asset = {row["id"]: row for row in costs.get("items", [])} if isinstance(costs, dict) else {}
    items = ctx.items()
    common = {"kinds": ctx.kinds, "names": ctx.names, "currency": ctx.currency, "as_of": ctx.as_of.isoformat(),
              "costs_available": isinstance(costs, dict) and "items" in costs, "source_url": ctx.source_url,
              "items": items, "costs": per_asset,
              "ended": {a["id"] for a in ctx.assets if a["ended"]}, "status_counts": _status_counts(items)}
    spend = _vendor_spend(ctx)
    groups = {by: {g["key"]: g for g in costs.get(f"groups_by_{by}", [])} if isinstance(costs, dict) else {}
              for by in ("location", "vendor")}
    for asset in ctx.assets:
        yield f"asset/{asset['id']}.md", render("asset.md.j2", a=asset, cost=per_asset.get(asset["id"]), **common)
    for lic in ctx.licenses:
        yield f"license/{lic['id']}.md", render("license.md.j2", lic=lic, **common)
    for ctr in ctx.contracts:
        yield f"contract/{ctr['id']}.md", render("contract.md.j2", ctr=ctr, **common)
    for person in ctx.people:
        yield f"person/{person['id']}.md", render("person.md.j2", p=person, **common)
    for loc in ctx.locations:
        yield f"location/{loc['id']}.md", render("location.md.j2", loc=loc, group=groups["location"].get(loc["id"]),
                                                    **common)
    for vendor in ctx.vendors:
        yield f"vendor/{vendor['id']}.md", render("vendor.md.j2", v=vendor, group=groups["vendor"].get(vendor["id"]),
                                                      spend=spend.get(vendor["id"]),
                                                      **common)


def pages(ctx: SiteContext, registry_root: Path | None = None) -> Iterator[tuple[str, str]]:
    """``(path, Markdown)`` for every page of the site."""
    yield from section_pages(ctx, registry_root)
    yield from item_pages(ctx)
