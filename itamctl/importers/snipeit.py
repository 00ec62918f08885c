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
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from itamctl.dates import add_months
from itamctl.errors import UsageError
from itamctl.facts import cover_end
from itamctl.importers.csvtable import Row, Table, header_key, read_header, read_table
from itamctl.importers.kinds import PLANNERS, plan_kind, snipeit_aliases
from itamctl.importers.planner import API_VERSION, ImportPlan, Planner, RowWarning, Skipped
from itamctl.importers.values import (
    parse_months,
    sanitise_id,
    slugify,
)
from itamctl.loader import display_path
from itamctl.model import Registry

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


def plan_import(csv_path: Path, registry: Registry, *, aliases: dict[str, str] | None = None,
                date_order: str | None = None, force: bool = False) -> ImportPlan:
    """What importing the asset table ``csv_path`` into ``registry`` would create, update, skip and warn about.

    ``aliases`` (header key -> field) replaces the Snipe-IT header table (the
    generic ``import csv`` passes its own); ``date_order`` settles ``NN/NN/YYYY``
    dates the file itself leaves ambiguous; ``force`` updates existing assets
    whose imported fields differ.
    """
    table = read_table(csv_path, ALIASES if aliases is None else aliases, REQUIRED)
    return AssetPlanner(registry, table, date_order, force=force).plan()


def _status_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


class AssetPlanner(Planner):
    kind = "Asset"
    date_fields = ("purchase_date", "warranty_expires", "eol", "last_audit")
    ignored = IGNORED

    def __init__(self, registry: Registry, table: Table, date_order: str | None = None, *,
                 force: bool = False) -> None:
        super().__init__(registry, table, date_order, force=force)
        self.category_notes: set[tuple[str, str]] = set()

    def plan(self) -> ImportPlan:
        plan = super().plan()
        notes = tuple(RowWarning(None, note) for _, note in sorted(self.category_notes))
        return replace(plan, warnings=plan.warnings + notes)

    def describe_repeat(self) -> str:
        return "duplicate asset tag"

    def row_id(self, row: Row) -> str | None:
        tag = row.get("asset_tag")
        if not tag:
            self.skipped.append(Skipped(row.line, "", "no asset tag"))
            return None
        asset_id = sanitise_id(tag)
        if asset_id is None:
            self.skipped.append(Skipped(row.line, tag, "the asset tag cannot be made a valid id "
                                        "(1-64 letters, digits, '.', '_' or '-')"))
            return None
        if asset_id != tag and asset_id not in self.created_here:
            self.warn(row.line, f"asset tag {tag!r} becomes the id {asset_id!r}")
        return asset_id

    def document(self, row: Row, asset_id: str) -> dict[str, Any]:
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
        purchase_date = self.date(row, "purchase_date")
        purchase = {
            "date": purchase_date,
            "cost": self.money(row, "purchase_cost"),
            "vendor": self.reference("Vendor", row.get("supplier"), line),
            "order_ref": row.get("order_number"),
        }
        data["purchase"] = {k: v for k, v in purchase.items() if v not in (None, "")} or None
        data["warranty"] = self._warranty(row, purchase_date)
        data["end_of_life"] = self._end_of_life(row, purchase_date)
        data["last_audit"] = self.date(row, "last_audit")
        notes = [n for n in (row.get("notes"), status_note) if n]
        data["notes"] = "\n".join(notes) if notes else None
        self.custom_fields(row, data)
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
        full = row.get("checked_out_to") or " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
        return self.person(row.line, username=row.get("username"), email=row.get("email"), name=full)

    def _checked_out_to_location(self, row: Row) -> bool:
        return row.get("checkout_type").lower() == "location" or bool(row.get("checkout_location"))

    def _location(self, row: Row) -> str | None:
        name = row.get("checkout_location") or row.get("location") or row.get("default_location")
        if not name and row.get("checkout_type").lower() == "location":
            name = row.get("checked_out_to")
        return self.reference("Location", name, row.line)

    def _warranty(self, row: Row, purchase_date: date | None) -> dict[str, date] | None:
        months = None
        if row.get("warranty_months"):
            try:
                months = parse_months(row.get("warranty_months"))
            except ValueError as exc:
                self.warn(row.line, f"{self.table.columns['warranty_months']}: {exc}; left out")
        if months and purchase_date:
            return {"end": cover_end(purchase_date, months)}
        expires = self.date(row, "warranty_expires")
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
        return self.date(row, "eol")


def _singular(slug: str) -> str:
    if slug.endswith("ies"):
        return slug[:-3] + "y"
    if slug.endswith(("ches", "shes", "sses", "xes")):
        return slug[:-2]
    if slug.endswith("s") and not slug.endswith("ss"):
        return slug[:-1]
    return slug


#: ``import snipeit --kind`` names (Snipe-IT's own) -> registry kinds.
SNIPEIT_KINDS = {"asset": "Asset", "license": "License", "user": "Person", "location": "Location",
                 "supplier": "Vendor"}


def detect_kind(header: list[str]) -> str | None:
    """Which Snipe-IT export a header row is (a registry kind), or ``None`` when it does not say."""
    keys = {header_key(cell) for cell in header}
    if keys & {"asset tag", "asset_tag", "asset tag number"}:
        return "Asset"
    if keys & {"seats", "total seats", "licenses available", "product key", "licensed to email", "licensed to name"}:
        return "License"
    if keys & {"username", "employee number", "employee no.", "first name", "last name", "display name"}:
        return "Person"
    if keys & {"supplier name", "contact name", "fax"}:
        return "Vendor"
    if keys & {"location name", "parent", "parent location", "ldap search ou", "address", "city", "zip"}:
        return "Location"
    return None


def plan_snipeit(path: Path, registry: Registry, kind: str | None = None, *, date_order: str | None = None,
                 force: bool = False) -> ImportPlan:
    """A Snipe-IT export of assets, licenses, users, locations or suppliers.

    ``kind`` (a registry kind) says which; without it the header row does.
    """
    if kind is None:
        every = dict(ALIASES)
        for other in PLANNERS:
            every.update(snipeit_aliases(other))
        header = read_header(path, every)
        kind = detect_kind(header)
        if kind is None:
            raise UsageError("cannot tell which Snipe-IT export this is from its header row (found: "
                             f"{', '.join(repr(h.strip()) for h in header if h.strip()) or 'nothing'}); "
                             f"pass --kind {'|'.join(SNIPEIT_KINDS)}", file=display_path(path), line=1)
    if kind == "Asset":
        return plan_import(path, registry, date_order=date_order, force=force)
    return plan_kind(path, registry, kind, date_order=date_order, force=force)
