"""Snipe-IT asset exports (CSV) to registry documents.

Reads both the CSV the Snipe-IT importer takes (``Item Name``, ``Asset Tag``,
``Serial Number``, ``Model Name``, ``Warranty Months``, ``Full Name``,
``Username``, ...) and what the asset list exports (``Asset Name``, ``Serial``,
``Model``, ``Model No.``, ``Checked Out To``, ``Warranty``, ``Warranty Expires``,
``EOL``, ...); headers are matched case-insensitively. Columns it does not
know become custom fields (``MAC Address`` -> ``x-mac-address``) unless they
are Snipe-IT bookkeeping (``Checkouts``, ``Created At``, ...) or look like a
secret (``License Key``), which are left out.

:func:`plan_import` is pure: the CSV's rows and the current registry in, the
documents to create, the rows skipped and the warnings out. Nothing is written
here (see :mod:`itamctl.importers.writer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from itamctl.dates import add_months
from itamctl.facts import cover_end
from itamctl.importers.csvtable import Row, Table, header_key, read_table
from itamctl.importers.values import (
    currency_code,
    login_id,
    parse_date,
    parse_money,
    parse_months,
    sanitise_id,
    slash_order,
    slugify,
)
from itamctl.model import Registry
from itamctl.secret_patterns import looks_like_secret_field

API_VERSION = "itam/v1"

#: Canonical field -> the headers (compared lower-case) that carry it, in
#: Snipe-IT's importer (``app/Importer``) and its asset list export.
COLUMNS: dict[str, tuple[str, ...]] = {
    "asset_tag": ("asset tag", "asset_tag", "asset tag number", "tag"),
    "name": ("asset name", "item name", "name", "asset_name", "item_name"),
    "serial": ("serial", "serial number", "serial no", "serial no.", "serial_number"),
    "model": ("model", "model name", "asset model", "asset_model", "model_name"),
    "model_number": ("model no.", "model no", "model number", "model num", "model num.", "model_number"),
    "category": ("category", "category name"),
    "manufacturer": ("manufacturer", "manufacturer name"),
    "location": ("location", "current location", "location name"),
    "default_location": ("default location", "rtd location"),
    "status": ("status", "status label", "asset status"),
    "purchase_date": ("purchase date", "purchase_date", "purchased"),
    "purchase_cost": ("purchase cost", "purchase_cost", "cost", "purchase price", "unit cost"),
    "currency": ("currency",),
    "supplier": ("supplier", "supplier name", "vendor"),
    "order_number": ("order number", "order no", "order no.", "order_number", "purchase order"),
    "warranty_months": ("warranty", "warranty months", "warranty (months)", "warranty_months"),
    "warranty_expires": ("warranty expires", "warranty expiration", "warranty expiration date",
                         "warranty end", "warranty end date", "warranty_expires"),
    "notes": ("notes", "asset notes", "note"),
    "eol": ("eol", "eol date", "asset eol date", "end of life", "asset_eol_date"),
    "last_audit": ("last audit", "last audit date", "last_audit_date"),
    "checked_out_to": ("checked out to", "assigned to", "full name", "fullname",
                       "checked out to: full name", "checked out to full name"),
    "first_name": ("first name", "checked out to: first name"),
    "last_name": ("last name", "lastname", "checked out to: last name"),
    "username": ("username", "user name", "checked out to: username"),
    "email": ("email", "e-mail", "checked out to: email", "user email"),
    "checkout_type": ("checkout type",),
    "checkout_location": ("checkout location", "checked out to location"),
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
REQUIRED = {"asset_tag": "Asset Tag"}

#: Snipe-IT bookkeeping columns that have no place in the registry.
IGNORED = frozenset({
    "id", "image", "age", "checkouts", "checkins", "requests", "created at", "updated at", "deleted at",
    "created by", "checkout date", "last checkout", "last checkin", "expected checkin", "next audit",
    "next audit date", "byod", "requestable", "employee no.", "employee no", "employee number", "title",
    "job title", "department", "model notes", "depreciation", "book value", "current value", "diff",
    "fully depreciated", "monthly depreciation", "user id", "assigned type", "qr code", "alt barcode",
    "eol months", "phone", "address", "city", "state", "zip", "country", "manager", "checked out",
})

#: Snipe-IT status labels (and status types) -> registry status.
STATUSES = {
    "ready to deploy": "in_stock", "deployable": "in_stock", "available": "in_stock", "in stock": "in_stock",
    "deployed": "deployed", "checked out": "deployed", "in use": "deployed", "assigned": "deployed",
    "pending": "ordered", "ordered": "ordered", "on order": "ordered",
    "archived": "retired", "retired": "retired",
    "broken": "in_repair", "out for repair": "in_repair", "out for diagnostics": "in_repair",
    "in repair": "in_repair", "repair": "in_repair", "undeployable": "in_repair",
    "lost stolen": "retired", "lost": "retired", "stolen": "retired",
}
_NOTED_STATUSES = {"lost stolen", "lost", "stolen"}  # retired, and the notes say why


@dataclass(frozen=True)
class NewDocument:
    """A document the import creates; ``line`` is the CSV line it came from (first use for references)."""

    kind: str
    id: str
    data: dict[str, Any]
    line: int


@dataclass(frozen=True)
class Skipped:
    line: int
    id: str
    reason: str


@dataclass(frozen=True)
class RowWarning:
    line: int | None
    message: str


@dataclass(frozen=True)
class ImportPlan:
    source: str
    assets: tuple[NewDocument, ...]
    references: tuple[NewDocument, ...]  # People, Locations and Vendors the registry lacks
    skipped: tuple[Skipped, ...]
    warnings: tuple[RowWarning, ...]
    missing_categories: tuple[str, ...]


def plan_import(csv_path: Path, registry: Registry, *, aliases: dict[str, str] | None = None,
                date_order: str | None = None) -> ImportPlan:
    """What importing ``csv_path`` into ``registry`` would create, skip and warn about.

    ``aliases`` (header key -> field) replaces the Snipe-IT header table (the
    generic ``import csv`` passes its own); ``date_order`` settles ``NN/NN/YYYY``
    dates the file itself leaves ambiguous.
    """
    table = read_table(csv_path, ALIASES if aliases is None else aliases, REQUIRED)
    return _Planner(registry, table, date_order).plan()


def _status_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


class _Planner:
    def __init__(self, registry: Registry, table: Table, date_order: str | None = None) -> None:
        self.table = table
        self.settings = registry.settings
        self.currency = registry.settings.currency
        self.taken: dict[str, str] = dict(registry.known_ids)
        self.files = {doc.data.get("id"): f"{doc.file}:{doc.start.line}" for doc in registry.documents}
        self.lookup: dict[tuple[str, str], str] = {}
        for person in registry.people:
            self._remember("Person", person.id, person.id, person.name, person.email)
        for location in registry.locations:
            self._remember("Location", location.id, location.id, location.name)
        for vendor in registry.vendors:
            self._remember("Vendor", vendor.id, vendor.id, vendor.name)
        self.references: list[NewDocument] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[RowWarning] = []
        self.missing: dict[str, None] = {}
        self.category_notes: set[tuple[str, str]] = set()
        dates = [row.get(name) for row in table.rows
                 for name in ("purchase_date", "warranty_expires", "eol", "last_audit")]
        self.date_order = date_order or slash_order([d for d in dates if d])

    # -- bookkeeping ------------------------------------------------------

    def _remember(self, kind: str, item_id: str, *keys: str | None) -> None:
        for key in keys:
            if key:
                self.lookup.setdefault((kind, key.strip().casefold()), item_id)

    def _find(self, kind: str, *keys: str) -> str | None:
        for key in keys:
            if key and (kind, key.strip().casefold()) in self.lookup:
                return self.lookup[(kind, key.strip().casefold())]
        return None

    def _unique(self, candidate: str, kind: str) -> str:
        if candidate not in self.taken:
            return candidate
        base = f"{candidate[:54]}-{kind.lower()}"
        for n in range(1, 1000):
            option = base if n == 1 else f"{base}-{n}"
            if option not in self.taken:
                return option
        raise AssertionError("no free id")  # pragma: no cover - a thousand namesakes

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(RowWarning(line, message))

    # -- the plan ---------------------------------------------------------

    def plan(self) -> ImportPlan:
        self._column_notes()
        accepted: list[tuple[Row, str]] = []
        first_line: dict[str, int] = {}
        for row in self.table.rows:
            asset_id = self._asset_id(row, first_line)
            if asset_id is not None:
                first_line[asset_id] = row.line
                self.taken[asset_id] = "Asset"
                accepted.append((row, asset_id))
        assets = tuple(NewDocument("Asset", asset_id, self._asset(row, asset_id), row.line)
                       for row, asset_id in accepted)
        self.warnings.extend(RowWarning(None, note) for _, note in sorted(self.category_notes))
        return ImportPlan(self.table.file, assets, tuple(self.references), tuple(self.skipped),
                          tuple(self.warnings), tuple(sorted(self.missing)))

    def _column_notes(self) -> None:
        for header, name in self.table.duplicates:
            self.warn(1, f"column {header!r} repeats {self.table.columns[name]!r}; the first one is used")
        for header in self.table.unmapped:
            key = header_key(header)
            if key in IGNORED:
                continue
            if looks_like_secret_field(key.replace(" ", "_")) or not slugify(header):
                self.warn(1, f"column {header!r} is left out: secrets belong in a vault, not in the registry"
                          if slugify(header) else f"column {header!r} is left out: no usable field name")
            else:
                self.warn(1, f"column {header!r} is imported as the custom field x-{slugify(header)}")

    def _asset_id(self, row: Row, first_line: dict[str, int]) -> str | None:
        tag = row.get("asset_tag")
        if not tag:
            self.skipped.append(Skipped(row.line, "", "no asset tag"))
            return None
        asset_id = sanitise_id(tag)
        if asset_id is None:
            self.skipped.append(Skipped(row.line, tag, "the asset tag cannot be made a valid id "
                                        "(1-64 letters, digits, '.', '_' or '-')"))
            return None
        if asset_id in first_line:
            self.skipped.append(Skipped(row.line, asset_id,
                                        f"duplicate asset tag (first on line {first_line[asset_id]})"))
            return None
        if asset_id in self.taken:
            kind = self.taken[asset_id]
            where = self.files.get(asset_id)
            self.skipped.append(Skipped(row.line, asset_id, f"the registry already has {kind} {asset_id}"
                                        + (f" ({where})" if where else "")))
            return None
        if asset_id != tag:
            self.warn(row.line, f"asset tag {tag!r} becomes the id {asset_id!r}")
        return asset_id

    def _asset(self, row: Row, asset_id: str) -> dict[str, Any]:
        line = row.line
        model = row.get("model")
        number = row.get("model_number")
        if model and number and number not in model:
            model = f"{model} ({number})"
        model = model or number
        owner = self._owner(row)
        location = self._location(row)
        status, status_note = self._status(row, assigned=bool(owner) or self._checked_out_to_location(row))
        data: dict[str, Any] = {
            "apiVersion": API_VERSION, "kind": "Asset", "id": asset_id,
            "name": row.get("name") or model or asset_id,
            "category": self._category(row),
            "status": status,
            "manufacturer": row.get("manufacturer"),
            "model": model,
            "serial": row.get("serial"),
            "owner": owner,
            "location": location,
        }
        purchase_date = self._date(row, "purchase_date")
        purchase = {
            "date": purchase_date,
            "cost": self._money(row),
            "vendor": self._reference("Vendor", row.get("supplier"), line),
            "order_ref": row.get("order_number"),
        }
        data["purchase"] = {k: v for k, v in purchase.items() if v not in (None, "")} or None
        data["warranty"] = self._warranty(row, purchase_date)
        data["end_of_life"] = self._end_of_life(row, purchase_date)
        data["last_audit"] = self._date(row, "last_audit")
        notes = [n for n in (row.get("notes"), status_note) if n]
        data["notes"] = "\n".join(notes) if notes else None
        for header, value in row.extra.items():
            key = header_key(header)
            if key not in IGNORED and slugify(header) and not looks_like_secret_field(key.replace(" ", "_")):
                data.setdefault(f"x-{slugify(header)}", value)
        return {k: v for k, v in data.items() if v not in (None, "")}

    # -- fields -------------------------------------------------------------

    def _status(self, row: Row, *, assigned: bool) -> tuple[str, str | None]:
        label = row.get("status")
        key = _status_key(label)
        status = STATUSES.get(key) or STATUSES.get(_status_key(label.split("(")[0]))
        if status is None:
            status = "deployed" if assigned else "in_stock"
            what = f"unknown status {label!r}" if label else "no status"
            self.warn(row.line, f"{what}; imported as {status}")
        elif status == "in_stock" and assigned:
            status = "deployed"
        note = f"Snipe-IT status: {label}" if key in _NOTED_STATUSES else None
        return status, note

    def _category(self, row: Row) -> str:
        label = row.get("category")
        slug = slugify(label)
        if not slug:
            self.warn(row.line, "no category; imported as 'uncategorized'" if not label else
                      f"category {label!r} has no usable name; imported as 'uncategorized'")
            slug = "uncategorized"
        if not slug[0].isalpha():
            slug = f"category-{slug}"
        known = self.settings.categories
        for candidate in (slug, slug.replace("-", "_"), _singular(slug), _singular(slug).replace("-", "_")):
            if candidate in known:
                if candidate != slug:
                    self.category_notes.add((candidate, f"category {label!r} is the Settings category {candidate!r}"))
                return candidate
        self.missing[slug] = None
        return slug

    def _owner(self, row: Row) -> str | None:
        if self._checked_out_to_location(row):
            return None
        username, email = row.get("username"), row.get("email")
        full = row.get("checked_out_to") or " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
        if not (username or email or full):
            return None
        found = self._find("Person", login_id(username) if username else "", username, email, full)
        if found:
            return found
        candidate = login_id(username) or login_id(email.partition("@")[0]) or slugify(full)
        if not candidate or not candidate[0].isalnum():
            self.warn(row.line, f"checked out to {full or username or email!r}, which gives no usable Person id; "
                      "owner left out")
            return None
        person_id = self._unique(candidate, "Person")
        data = {"apiVersion": API_VERSION, "kind": "Person", "id": person_id,
                "name": full or username or email, "email": email or None}
        self._create("Person", person_id, data, row.line, username, email, full)
        return person_id

    def _checked_out_to_location(self, row: Row) -> bool:
        return row.get("checkout_type").lower() == "location" or bool(row.get("checkout_location"))

    def _location(self, row: Row) -> str | None:
        name = row.get("checkout_location") or row.get("location") or row.get("default_location")
        if not name and row.get("checkout_type").lower() == "location":
            name = row.get("checked_out_to")
        return self._reference("Location", name, row.line)

    def _reference(self, kind: str, name: str, line: int) -> str | None:
        """The id of the Location or Vendor called ``name``, created when the registry lacks it."""
        if not name:
            return None
        found = self._find(kind, name, slugify(name))
        if found:
            return found
        slug = slugify(name)
        if not slug:
            self.warn(line, f"{kind.lower()} {name!r} gives no usable id; left out")
            return None
        item_id = self._unique(slug, kind)
        self._create(kind, item_id, {"apiVersion": API_VERSION, "kind": kind, "id": item_id, "name": name},
                     line, name)
        return item_id

    def _create(self, kind: str, item_id: str, data: dict[str, Any], line: int, *keys: str) -> None:
        self.taken[item_id] = kind
        self._remember(kind, item_id, item_id, *keys)
        self.references.append(NewDocument(kind, item_id, {k: v for k, v in data.items() if v}, line))

    def _date(self, row: Row, name: str) -> date | None:
        text = row.get(name)
        if not text:
            return None
        try:
            return parse_date(text, self.date_order)
        except ValueError as exc:
            self.warn(row.line, f"{self.table.columns[name]}: {exc}; left out")
            return None

    def _money(self, row: Row) -> Decimal | str | None:
        text = row.get("purchase_cost")
        if not text:
            return None
        default = self.currency
        if row.get("currency"):
            try:
                default = currency_code(row.get("currency"), self.currency)
            except ValueError as exc:
                self.warn(row.line, f"{self.table.columns['currency']}: {exc}; the cost is left out")
                return None
        try:
            amount, currency = parse_money(text, default)
        except ValueError as exc:
            self.warn(row.line, f"{self.table.columns['purchase_cost']}: {exc}; left out")
            return None
        return amount if currency == self.currency else f"{amount:f} {currency}"

    def _warranty(self, row: Row, purchase_date: date | None) -> dict[str, date] | None:
        months = None
        if row.get("warranty_months"):
            try:
                months = parse_months(row.get("warranty_months"))
            except ValueError as exc:
                self.warn(row.line, f"{self.table.columns['warranty_months']}: {exc}; left out")
        if months and purchase_date:
            return {"end": cover_end(purchase_date, months)}
        expires = self._date(row, "warranty_expires")
        if expires:
            return {"end": expires}
        if months:
            self.warn(row.line, f"a warranty of {months} months but no purchase date; warranty left out")
        return None

    def _end_of_life(self, row: Row, purchase_date: date | None) -> date | None:
        text = row.get("eol")
        if re.fullmatch(r"\d{1,3}(\s*months?)?", text.strip(), re.IGNORECASE):
            if purchase_date:
                return add_months(purchase_date, parse_months(text))
            self.warn(row.line, f"{self.table.columns['eol']}: {text!r} months but no purchase date; left out")
            return None
        return self._date(row, "eol")


def _singular(slug: str) -> str:
    if slug.endswith("ies"):
        return slug[:-3] + "y"
    if slug.endswith(("ches", "shes", "sses", "xes")):
        return slug[:-2]
    if slug.endswith("s") and not slug.endswith("ss"):
        return slug[:-1]
    return slug
