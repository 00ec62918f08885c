"""The typed, immutable registry built from schema-valid documents.

Every item keeps the :class:`~itamctl.loader.Document` it came from, so any
later finding can point at the file and line of the value it is about
(``item.doc.diagnostic(("warranty", "end"), rule, message)``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from itamctl.dates import parse_month_day
from itamctl.diagnostics import Diagnostic, Severity
from itamctl.loader import Document
from itamctl.money import FxTable, Money
from itamctl.quickinit import quick_init

STATUSES = ("planned", "ordered", "in_stock", "deployed", "in_repair", "retired", "disposed")
#: Statuses in which an asset is in service: the policy rules apply to these.
IN_SERVICE = frozenset({"in_stock", "deployed", "in_repair"})
#: Statuses of assets that are gone or going: exempt from policy, out of forecasts.
RETIRED = frozenset({"retired", "disposed"})

DEFAULT_ALERT_DAYS = (90, 30)


def _money(value: Any, currency: str) -> Money | None:
    return None if value is None else Money.parse(value, currency)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


#: The top-level fields of the shipped schemas (``test_schemas`` keeps the list equal to them): a document
#: with no other field has no ``x-`` field, known in one set operation (the scan cost ~2 us an item).
SCHEMA_FIELDS = frozenset({
    "active", "address", "alerts", "apiVersion", "assigned_to", "audit", "billing", "categories", "category",
    "contact", "cost", "cost_center", "cost_centers", "country", "covers", "currency", "depreciation",
    "description", "disposal", "email", "end", "end_of_life", "fiscal_year_start", "fx", "id", "key_ref",
    "kind", "last_audit", "location", "maintenance", "manufacturer", "max_file_bytes", "model", "name", "notes",
    "notice_days", "organization", "owner", "per_seat", "phone", "policy", "purchase", "reference", "renewal",
    "renewal_months", "replacement_cost", "replaces", "seats", "serial", "service_level", "service_levels",
    "source_url", "start", "status", "tags", "team", "type", "url", "vendor", "waivers", "warranty",
})


def _extra(data: Mapping[str, Any]) -> Mapping[str, Any]:
    if SCHEMA_FIELDS.issuperset(data):
        return _NO_EXTRA
    extra = {k: v for k, v in data.items() if k.startswith("x-")}
    return MappingProxyType(extra) if extra else _NO_EXTRA  # most items have none: one shared empty mapping


@quick_init
@dataclass(frozen=True, slots=True)
class Depreciation:
    method: str = "none"  # straight_line | declining_balance | macrs | none
    life_months: int | None = None
    salvage: Money | None = None
    factor: Decimal = Decimal(2)
    class_years: int | None = None
    convention: str = "half_year"
    #: The fields the document gave (the others are defaults): an asset's own fields override its
    #: category's, the rest are the category's (:func:`itamctl.facts.depreciation_spec`). None: not known.
    given: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None, currency: str) -> Depreciation | None:
        if not data:
            return None
        return cls(
            method=data.get("method", "straight_line"),
            life_months=data.get("life_months"),
            salvage=Money.parse(data["salvage"], currency) if "salvage" in data else None,
            factor=Decimal(data.get("factor", 2)),
            class_years=data.get("class_years"),
            convention=data.get("convention", "half_year"),
            given=tuple(name for name in DEPRECIATION_FIELDS if name in data),
        )


DEPRECIATION_FIELDS = ("method", "life_months", "salvage", "factor", "class_years", "convention")


@quick_init
@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    until: date
    reason: str
    index: int  # position in the item's `waivers` list, for pointing at it


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    depreciation: Depreciation | None = None
    warranty_months: int | None = None
    life_months: int | None = None
    replacement_cost: Money | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceLevel:
    name: str
    maintenance_factor: Decimal = Decimal(1)
    description: str | None = None


@dataclass(frozen=True)
class Settings:
    currency: str = "EUR"
    organization: str | None = None
    fiscal_year_start: tuple[int, int] = (1, 1)
    fx: FxTable = field(default_factory=lambda: FxTable("EUR", []))
    categories: Mapping[str, Category] = field(default_factory=dict)
    service_levels: Mapping[str, ServiceLevel] = field(default_factory=dict)
    alert_days: tuple[int, ...] = DEFAULT_ALERT_DAYS
    #: Settings ``policy``: severity overrides by policy rule id (defaults: :mod:`itamctl.rules`).
    policy: Mapping[str, str] = field(default_factory=dict)
    audit_interval_months: int | None = None
    cost_centers: tuple[str, ...] | None = None  # None: `cost_center` is free text
    #: Settings ``source_url``: where the files are browsed online (ends with "/"), or None.
    source_url: str | None = None
    doc: Document | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_document(cls, doc: Document) -> Settings:
        d = doc.data
        currency = d["currency"]
        fx_entries = []
        for entry in d.get("fx", []):
            rates = {k: Decimal(v) for k, v in entry.items() if k != "date"}
            fx_entries.append((date.fromisoformat(entry["date"]), rates))
        categories = {
            name: Category(
                name=name,
                depreciation=Depreciation.parse(spec.get("depreciation"), currency),
                warranty_months=spec.get("warranty_months"),
                life_months=spec.get("life_months"),
                replacement_cost=(
                    Money.parse(spec["replacement_cost"], currency)
                    if "replacement_cost" in spec else None
                ),
                description=spec.get("description"),
            )
            for name, spec in (d.get("categories") or {}).items()
        }
        levels = {
            name: ServiceLevel(
                name, Decimal(spec.get("maintenance_factor", 1)), spec.get("description")
            )
            for name, spec in (d.get("service_levels") or {}).items()
        }
        policy = dict(d.get("policy") or {})
        return cls(
            currency=currency,
            organization=d.get("organization"),
            fiscal_year_start=parse_month_day(d.get("fiscal_year_start", "01-01")),
            fx=FxTable(currency, fx_entries),
            categories=MappingProxyType(categories),
            service_levels=MappingProxyType(levels),
            alert_days=tuple((d.get("alerts") or {}).get("days", DEFAULT_ALERT_DAYS)),
            policy=MappingProxyType(policy),
            audit_interval_months=(d.get("audit") or {}).get("interval_months"),
            cost_centers=tuple(d["cost_centers"]) if "cost_centers" in d else None,
            source_url=(d["source_url"].rstrip("/") + "/") if d.get("source_url") else None,
            doc=doc,
        )


@quick_init
@dataclass(frozen=True, slots=True)
class Purchase:
    date: date | None
    cost: Money | None
    vendor: str | None = None
    order_ref: str | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Warranty:
    end: date | None
    provider: str | None = None
    start: date | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Maintenance:
    date: date
    kind: str
    cost: Money | None
    vendor: str | None
    under_warranty: bool
    note: str | None
    ticket: str | None
    index: int  # position in the asset's `maintenance` list


@quick_init
@dataclass(frozen=True, slots=True)
class Disposal:
    date: date
    method: str
    cost: Money | None
    proceeds: Money | None
    note: str | None = None


def _common(d: Mapping[str, Any]) -> dict[str, Any]:
    alerts = d.get("alerts")
    return {
        "alert_days": tuple(alerts["days"]) if alerts and "days" in alerts else None,
        "waivers": tuple(
            Waiver(w["rule"], date.fromisoformat(w["until"]), w["reason"], i)
            for i, w in enumerate(d.get("waivers") or [])
        ),
        "tags": tuple(d.get("tags") or ()),
        "notes": d.get("notes"),
        "extra": _extra(d),
    }


@dataclass(frozen=True, slots=True)
class Item:
    """What every item has: an id, a name and the document it came from."""

    id: str
    name: str
    doc: Document = field(compare=False, repr=False)

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def file(self) -> str:
        return self.doc.file

    def diagnostic(self, path, rule, message, severity=Severity.ERROR, *, key=False) -> Diagnostic:
        return self.doc.diagnostic(tuple(path), rule, message, severity, key=key)


@dataclass(frozen=True, slots=True)
class Tracked(Item):
    """What assets, licenses and contracts share: alert lead times, waivers, tags, notes, ``x-`` fields."""

    alert_days: tuple[int, ...] | None = None  # None: the Settings default
    waivers: tuple[Waiver, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@quick_init
@dataclass(frozen=True, slots=True)
class Asset(Tracked):
    category: str = ""
    status: str = "planned"
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    owner: str | None = None
    location: str | None = None
    cost_center: str | None = None
    service_level: str | None = None
    purchase: Purchase | None = None
    warranty: Warranty | None = None
    depreciation: Depreciation | None = None
    end_of_life: date | None = None
    replaces: str | None = None  # id of the asset this one replaces
    replacement_cost: Money | None = None
    maintenance: tuple[Maintenance, ...] = ()
    disposal: Disposal | None = None
    last_audit: date | None = None
    description: str | None = None

    @property
    def in_service(self) -> bool:
        return self.status in IN_SERVICE

    @property
    def retired(self) -> bool:
        return self.status in RETIRED

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> Asset:
        d = doc.data
        p = d.get("purchase")
        w = d.get("warranty")
        disp = d.get("disposal")
        return cls(
            id=d["id"], name=d["name"], doc=doc,
            category=d["category"], status=d["status"],
            manufacturer=d.get("manufacturer"), model=d.get("model"), serial=d.get("serial"),
            owner=d.get("owner"), location=d.get("location"), cost_center=d.get("cost_center"),
            service_level=d.get("service_level"),
            purchase=Purchase(_date(p.get("date")), _money(p.get("cost"), currency), p.get("vendor"),
                              p.get("order_ref")) if p else None,
            warranty=Warranty(_date(w.get("end")), w.get("provider"), _date(w.get("start")))
            if w else None,
            depreciation=Depreciation.parse(d.get("depreciation"), currency),
            end_of_life=_date(d.get("end_of_life")),
            replaces=d.get("replaces"),
            replacement_cost=_money(d.get("replacement_cost"), currency),
            maintenance=tuple(
                Maintenance(date.fromisoformat(m["date"]), m["kind"], _money(m.get("cost"), currency),
                            m.get("vendor"), bool(m.get("under_warranty", False)),
                            m.get("note"), m.get("ticket"), i)
                for i, m in enumerate(d.get("maintenance") or [])
            ),
            disposal=Disposal(date.fromisoformat(disp["date"]), disp["method"],
                              _money(disp.get("cost"), currency), _money(disp.get("proceeds"), currency),
                              disp.get("note")) if disp else None,
            last_audit=_date(d.get("last_audit")),
            description=d.get("description"),
            **_common(d),
        )


@quick_init
@dataclass(frozen=True, slots=True)
class License(Tracked):
    vendor: str | None = None
    type: str = "subscription"  # subscription | perpetual
    seats: int | None = None  # None: unlimited
    cost: Money | None = None
    per_seat: bool = False
    billing: str = "once"
    start: date | None = None
    end: date | None = None
    renewal: str = "none"
    notice_days: int | None = None
    assigned_to: tuple[str, ...] = ()
    key_ref: str | None = None
    reference: str | None = None

    @property
    def payment(self) -> Money | None:
        """What one billing period costs in all (cost × seats when per seat)."""
        if self.cost is None:
            return None
        if self.per_seat:
            return Money(self.cost.amount * (self.seats or 0), self.cost.currency)
        return self.cost

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> License:
        d = doc.data
        return cls(
            id=d["id"], name=d["name"], doc=doc,
            vendor=d.get("vendor"), type=d["type"], seats=d.get("seats"),
            cost=Money.parse(d["cost"], currency) if "cost" in d else None,
            per_seat=bool(d.get("per_seat", False)),
            billing=d.get("billing", "once"),
            start=_date(d.get("start")), end=_date(d.get("end")),
            renewal=d.get("renewal", "none"),
            notice_days=d.get("notice_days"),
            assigned_to=tuple(d.get("assigned_to") or ()),
            key_ref=d.get("key_ref"), reference=d.get("reference"),
            **_common(d),
        )


@quick_init
@dataclass(frozen=True, slots=True)
class Contract(Tracked):
    vendor: str | None = None
    type: str = "support"
    start: date | None = None
    end: date | None = None
    renewal: str = "none"
    renewal_months: int | None = None
    notice_days: int | None = None
    cost: Money | None = None
    billing: str = "once"
    covers: tuple[str, ...] = ()
    reference: str | None = None
    owner: str | None = None

    @property
    def payment(self) -> Money | None:
        return self.cost

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> Contract:
        d = doc.data
        return cls(
            id=d["id"], name=d["name"], doc=doc,
            vendor=d.get("vendor"), type=d["type"],
            start=_date(d.get("start")), end=_date(d.get("end")),
            renewal=d.get("renewal", "none"), renewal_months=d.get("renewal_months"),
            notice_days=d.get("notice_days"),
            cost=Money.parse(d["cost"], currency) if "cost" in d else None,
            billing=d.get("billing", "once"), covers=tuple(d.get("covers") or ()),
            reference=d.get("reference"), owner=d.get("owner"),
            **_common(d),
        )


@quick_init
@dataclass(frozen=True, slots=True)
class Person(Item):
    email: str | None = None
    team: str | None = None
    location: str | None = None
    active: bool = True
    notes: str | None = None

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> Person:
        d = doc.data
        return cls(d["id"], d["name"], doc, d.get("email"), d.get("team"), d.get("location"),
                   bool(d.get("active", True)), d.get("notes"))


@quick_init
@dataclass(frozen=True, slots=True)
class Location(Item):
    address: str | None = None
    country: str | None = None
    notes: str | None = None

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> Location:
        d = doc.data
        return cls(d["id"], d["name"], doc, d.get("address"), d.get("country"), d.get("notes"))


@quick_init
@dataclass(frozen=True, slots=True)
class Vendor(Item):
    url: str | None = None
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None

    @classmethod
    def from_document(cls, doc: Document, currency: str) -> Vendor:
        d = doc.data
        return cls(d["id"], d["name"], doc, d.get("url"), d.get("contact"), d.get("email"),
                   d.get("phone"), d.get("notes"))


ITEM_TYPES: Mapping[str, type[Item]] = MappingProxyType(
    {"Asset": Asset, "License": License, "Contract": Contract, "Person": Person,
     "Location": Location, "Vendor": Vendor}
)


@dataclass(frozen=True)
class Registry:
    """Everything in a registry, typed. Collections are sorted by id and read-only."""

    root: Path
    settings: Settings
    assets: tuple[Asset, ...] = ()
    licenses: tuple[License, ...] = ()
    contracts: tuple[Contract, ...] = ()
    people: tuple[Person, ...] = ()
    locations: tuple[Location, ...] = ()
    vendors: tuple[Vendor, ...] = ()
    #: Every id in the registry, including those of documents that failed
    #: validation (so that references to them are not reported twice).
    known_ids: Mapping[str, str] = field(default_factory=dict)
    #: Every document loaded (valid or not), in file order.
    documents: tuple[Document, ...] = field(default=(), repr=False)
    files: tuple[str, ...] = ()
    #: Schema extensions as ``(file, content)`` when read from a git revision; None: ``root/schemas``.
    schema_extensions: tuple[tuple[str, bytes], ...] | None = field(default=None, repr=False)
    #: The git revision the registry was read at; None: the working tree.
    revision: str | None = None

    @cached_property
    def by_id(self) -> Mapping[str, Item]:
        index: dict[str, Item] = {}
        for item in self.items():
            index.setdefault(item.id, item)
        return MappingProxyType(index)

    def get(self, item_id: str) -> Item | None:
        return self.by_id.get(item_id)

    def items(self) -> Iterable[Item]:
        yield from self.assets
        yield from self.licenses
        yield from self.contracts
        yield from self.people
        yield from self.locations
        yield from self.vendors


def build_registry(
    root: Path,
    valid: Iterable[Document],
    all_documents: Iterable[Document],
    files: Iterable[str] = (),
    *,
    items: dict[int, tuple] | None = None,
    known_items: Callable[[str], Iterable[tuple[Document, Item]]] | None = None,
) -> tuple[Registry, list[Diagnostic]]:
    """Typed registry from schema-valid documents (``valid``: those of ``all_documents`` the schemas passed);
    Settings problems are findings.

    ``items``, if given, keeps each document's model item (by the document's
    identity and the report currency) for the next registry built with it:
    the same document object gives the same item. ``known_items(currency)``,
    if given, names items made already (the cache's) as ``(document, item)``:
    what ``from_document`` made of that document with that currency.
    """
    valid = list(valid)
    all_documents = tuple(all_documents)
    diagnostics: list[Diagnostic] = []
    known_ids: dict[str, str] = {}  # id -> kind of the first document of each id, valid or not
    settings_any = []
    for doc in all_documents:  # one pass (a kind and an id are properties of a cached document)
        doc_id, doc_kind = doc.id, doc.kind
        if isinstance(doc_id, str) and isinstance(doc_kind, str):
            known_ids.setdefault(doc_id, doc_kind)
        if doc_kind == "Settings":
            settings_any.append(doc)
    if len(settings_any) == 1 and len(valid) == len(all_documents):  # the common case: every document valid
        settings_docs = settings_any
    else:
        settings_docs = [d for d in valid if d.kind == "Settings"]
    if settings_docs:
        first = settings_docs[0]
        known = items.get(id(first)) if items is not None else None
        if known is not None and known[0] is first:  # the same document: the same Settings (diff's sides)
            settings = known[2]
        else:
            settings = Settings.from_document(first)
            if items is not None:
                items[id(first)] = (first, None, settings)
        for extra in settings_docs[1:]:
            diagnostics.append(extra.diagnostic(
                ("kind",), "settings_duplicate",
                f"a registry has one Settings document; the first is in {first.file}:{first.start.line}",
            ))
    else:
        settings = Settings()
        if not settings_any:
            diagnostics.append(Diagnostic(
                str(root), None, None, "settings_missing", Severity.ERROR,
                "no Settings document (kind: Settings) in the registry; "
                "its currency, fiscal year and policy are needed",
            ))
    if known_items is not None:
        if items is None:
            items = {}
        for doc, item in known_items(settings.currency):
            items.setdefault(id(doc), (doc, settings.currency, item))
    buckets: dict[str, list[Item]] = {kind: [] for kind in ITEM_TYPES}
    currency = settings.currency
    for doc in valid:
        kind = doc.kind
        cls = ITEM_TYPES.get(kind)
        if cls is None:
            continue
        made = items.get(id(doc)) if items is not None else None
        if made is not None and made[0] is doc and made[1] == currency:
            item = made[2]
        else:
            item = cls.from_document(doc, currency)
            if items is not None:
                items[id(doc)] = (doc, currency, item)  # holds the document: its id stays its own
        buckets[kind].append(item)
    by_id = operator.attrgetter("id")

    def ordered(kind: str) -> tuple:
        return tuple(sorted(buckets[kind], key=by_id))

    registry = Registry(
        root=root, settings=settings,
        assets=ordered("Asset"), licenses=ordered("License"), contracts=ordered("Contract"),
        people=ordered("Person"), locations=ordered("Location"), vendors=ordered("Vendor"),
        known_ids=MappingProxyType(known_ids), documents=all_documents, files=tuple(files),
    )
    return registry, diagnostics
