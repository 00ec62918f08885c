"""Everything the site shows, gathered once: registry facts and the reports' JSON.

One data flow: each report page shows the same report the CLI prints, taken
as its ``to_json()`` dict (:mod:`itamctl.site.reports`). Registry items are
turned into plain dicts here, with sensitive fields removed before anything
renders them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from itamctl.dates import fiscal_year_of
from itamctl.facts import annual_cost, cancel_by, current_term_end, planned_end_of_life, running_on, warranty_end
from itamctl.model import Asset, Contract, Item, License, Registry
from itamctl.money import MissingRate, Money, money_str
from itamctl.site import reports
from itamctl.site.history import attach
from itamctl.site.sensitive import Redactor

HORIZON_DAYS = 90


@dataclass(frozen=True)
class SiteContext:
    """The data every page is rendered from (plain, JSON-able values)."""

    as_of: date
    organization: str
    currency: str
    fiscal_year: dict[str, str]
    kinds: dict[str, str]  # id -> kind, for linking references
    names: dict[str, str]  # id -> name
    assets: list[dict[str, Any]]
    licenses: list[dict[str, Any]]
    contracts: list[dict[str, Any]]
    people: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    vendors: list[dict[str, Any]]
    reports: dict[str, Any] = field(default_factory=dict)
    #: file → sorted (first line, id) of the documents in it: which item a finding's file:line is about.
    spans: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    #: Where the registry's files are browsed online (ends with ``/``; the file's path inside the registry
    #: is appended), or ``None``: the site then names files without linking them.
    source_url: str | None = None

    def items(self) -> dict[str, dict[str, Any]]:
        """Every item's row by id."""
        return {row["id"]: row for rows in (self.assets, self.licenses, self.contracts, self.people,
                                            self.locations, self.vendors) for row in rows}

    def page_data(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(), "organization": self.organization, "currency": self.currency,
            "fiscal_year": self.fiscal_year, "kinds": self.kinds, "names": self.names,
            "assets": self.assets, "licenses": self.licenses, "contracts": self.contracts,
            "people": self.people, "locations": self.locations, "vendors": self.vendors,
            "reports": self.reports, "source_url": self.source_url,
        }


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _money(registry: Registry, money: Money | None, on: date | None) -> str:
    """``money`` in the report currency (JSON money string); empty when unknown."""
    if money is None:
        return ""
    try:
        return money_str(registry.settings.fx.convert(money, on or date.min))
    except MissingRate:
        return ""


def _inside(registry: Registry, item: Item) -> str:
    """The item's file relative to the registry folder (POSIX); empty when it lies outside."""
    try:
        return Path(item.file).resolve().relative_to(registry.root.resolve()).as_posix()
    except ValueError:
        return ""


def _source(registry: Registry, item: Item) -> str:
    """The item's file as ``<registry folder name>/<path inside it>``: no builder's absolute path on the site."""
    try:
        inside = Path(item.file).resolve().relative_to(registry.root.resolve())
    except ValueError:
        return Path(item.file).name
    return (PurePosixPath(registry.root.resolve().name) / inside.as_posix()).as_posix()


def _fields(redactor: Redactor, item: Item) -> list[tuple[str, Any]]:
    """All fields of the item's file except header and sensitive ones, flattened to ``a.b`` paths."""
    data = redactor.clean(item.kind, item.doc.data)
    rows: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key in value:
                walk(value[key], f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            for i, child in enumerate(value, 1):
                walk(child, f"{path}[{i}]")
        else:
            rows.append((path, value))

    for key in data:
        if key not in ("apiVersion", "kind", "id", "name"):
            walk(data[key], str(key))
    return rows


def _asset(registry: Registry, redactor: Redactor, asset: Asset, as_of: date) -> dict[str, Any]:
    purchase = asset.purchase
    warranty = warranty_end(asset, registry.settings)
    return {
        "id": asset.id, "name": asset.name, "category": asset.category, "status": asset.status,
        "manufacturer": asset.manufacturer or "", "model": asset.model or "", "serial": asset.serial or "",
        "owner": asset.owner or "", "location": asset.location or "",
        "cost_center": asset.cost_center or "", "service_level": asset.service_level or "",
        "purchase_date": _iso(purchase.date if purchase else None),
        "purchase_cost": _money(registry, purchase.cost if purchase else None,
                                purchase.date if purchase else None),
        "warranty_end": _iso(warranty.date if warranty else None),
        "warranty_derived": bool(warranty and warranty.derived),
        "end_of_life": _iso(planned_end_of_life(asset, registry.settings)),
        "maintenance": [
            {"date": m.date.isoformat(), "kind": m.kind, "cost": _money(registry, m.cost, m.date),
             "vendor": m.vendor or "", "under_warranty": m.under_warranty, "note": m.note or "",
             "ticket": m.ticket or ""}
            for m in sorted(asset.maintenance, key=lambda m: (m.date, m.index))
        ],
        "vendor": (purchase.vendor if purchase else None) or "", "ended": asset.retired,
        "description": asset.description or "",
        "tags": list(asset.tags), "notes": asset.notes or "", "file": _source(registry, asset),
        "path": _inside(registry, asset),
        "waivers": _waivers(asset, as_of), "fields": _fields(redactor, asset),
    }


def _waivers(item: Asset | License | Contract, as_of: date) -> list[dict[str, Any]]:
    """The item's waivers; ``live`` when it still suppresses its rule on ``as_of``."""
    return [{"rule": w.rule, "until": w.until.isoformat(), "reason": w.reason, "live": w.until >= as_of}
            for w in item.waivers]


def lifecycle(item: License | Contract, as_of: date) -> str:
    """``active`` (running on ``as_of``), ``not_started`` (starts later) or ``ended`` (:func:`running_on`)."""
    if running_on(item, as_of):
        return "active"
    return "not_started" if item.start is not None and item.start > as_of else "ended"


def _billable(registry: Registry, item: License | Contract, as_of: date) -> dict[str, Any]:
    term_end = current_term_end(item, as_of)
    payment = item.payment
    state = lifecycle(item, as_of)
    return {
        "id": item.id, "name": item.name, "vendor": item.vendor or "", "type": item.type,
        "start": _iso(item.start), "end": _iso(item.end), "renewal": item.renewal,
        "billing": item.billing, "notice_days": item.notice_days,
        "payment": _money(registry, payment, as_of) if payment else "",
        "annual": _money(registry, annual_cost(item), as_of),
        "state": state, "ended": state == "ended",
        "term_end": _iso(term_end), "cancel_by": _iso(cancel_by(item, as_of)),
        "tags": list(item.tags), "notes": item.notes or "", "file": _source(registry, item),
        "path": _inside(registry, item), "waivers": _waivers(item, as_of),
    }


def gather(registry: Registry, as_of: date, *, with_reports: bool = True,
           source_url: str | None = None) -> SiteContext:
    """The site's data for ``registry`` as of ``as_of`` (``source_url``: see :attr:`SiteContext.source_url`)."""
    settings = registry.settings
    redactor = Redactor(registry.root, registry.schema_extensions)
    fy = fiscal_year_of(as_of, settings.fiscal_year_start)
    kinds = {item.id: item.kind for item in registry.items()}
    names = {item.id: item.name for item in registry.items()}

    assets = [_asset(registry, redactor, a, as_of) for a in registry.assets]
    licenses = []
    for lic in registry.licenses:
        row = _billable(registry, lic, as_of)
        row.update(seats=lic.seats, used=len(lic.assigned_to), per_seat=lic.per_seat,
                   assigned_to=list(lic.assigned_to), fields=_fields(redactor, lic))
        licenses.append(row)
    contracts = []
    for ctr in registry.contracts:
        row = _billable(registry, ctr, as_of)
        row.update(covers=list(ctr.covers), owner=ctr.owner or "", renewal_months=ctr.renewal_months,
                   fields=_fields(redactor, ctr))
        contracts.append(row)

    links: dict[str, dict[str, list[str]]] = {}
    for lic in registry.licenses:
        for holder in lic.assigned_to:
            links.setdefault(holder, {}).setdefault("licenses", []).append(lic.id)
    for ctr in registry.contracts:
        for covered in ctr.covers:
            links.setdefault(covered, {}).setdefault("contracts", []).append(ctr.id)
    for asset in registry.assets:
        for ref in (asset.owner, asset.location, asset.purchase.vendor if asset.purchase else None):
            if ref:
                links.setdefault(ref, {}).setdefault("assets", []).append(asset.id)
        for vendor in dict.fromkeys(m.vendor for m in asset.maintenance if m.vendor):
            links.setdefault(vendor, {}).setdefault("serviced", []).append(asset.id)
    for billable in (*registry.licenses, *registry.contracts):
        if billable.vendor:
            key = "licenses" if isinstance(billable, License) else "contracts"
            links.setdefault(billable.vendor, {}).setdefault(key, []).append(billable.id)
    for person in registry.people:
        if person.location:
            links.setdefault(person.location, {}).setdefault("people", []).append(person.id)

    def linked(item_id: str) -> dict[str, list[str]]:
        return {"assets": [], "licenses": [], "contracts": [], "people": [], "serviced": [],
                **links.get(item_id, {})}

    for row in [*assets, *licenses, *contracts]:
        row["links"] = linked(row["id"])

    people = [
        {"id": p.id, "name": p.name, "email": p.email or "", "team": p.team or "",
         "location": p.location or "", "active": p.active, "ended": not p.active, "links": linked(p.id),
         "notes": p.notes or "", "file": _source(registry, p), "path": _inside(registry, p),
         "fields": _fields(redactor, p)}
        for p in registry.people
    ]
    site_history = attach(registry, [*assets, *licenses, *contracts], people)
    locations = [{"id": loc.id, "name": loc.name, "address": loc.address or "", "country": loc.country or "",
                  "notes": loc.notes or "", "links": linked(loc.id), "file": _source(registry, loc),
                  "path": _inside(registry, loc), "fields": _fields(redactor, loc)}
                 for loc in registry.locations]
    vendors = [{"id": v.id, "name": v.name, "url": v.url or "", "contact": v.contact or "",
                "email": v.email or "", "phone": v.phone or "", "notes": v.notes or "", "links": linked(v.id),
                "file": _source(registry, v), "path": _inside(registry, v), "fields": _fields(redactor, v)}
                for v in registry.vendors]

    spans: dict[str, list[tuple[int, str]]] = {}
    for item in registry.items():
        spans.setdefault(item.doc.file, []).append((item.doc.start.line, item.id))
    for docs in spans.values():
        docs.sort()
    context = SiteContext(
        as_of=as_of, organization=settings.organization or "IT asset registry", currency=settings.currency,
        fiscal_year={"label": fy.label, "start": fy.start.isoformat(), "end": fy.end.isoformat()},
        kinds=kinds, names=names, assets=assets, licenses=licenses, contracts=contracts,
        people=people, locations=locations, vendors=vendors, spans=spans, source_url=source_url,
    )
    context.reports["recent_changes"] = site_history.recent()
    context.reports["counts"] = {
        "status": dict(sorted(Counter(a["status"] for a in assets).items())),
        "category": dict(sorted(Counter(a["category"] for a in assets).items())),
    }
    if with_reports:
        add_reports(context, registry)
    return context


def add_reports(context: SiteContext, registry: Registry, names: Iterable[str] | None = None) -> None:
    """Compute the reports ``names`` (default: all) into ``context.reports``."""
    found = reports.collect(registry, context.as_of, names)
    if isinstance(found.get("events"), list):
        for event in found["events"]:
            event["month"] = event["date"][:7]
    context.reports.update(found)
