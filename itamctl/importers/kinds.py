"""Tables of licenses, contracts, people, locations and vendors to registry documents.

One planner per kind (:class:`~itamctl.importers.planner.Planner` does the
shared work). Each reads the registry's own field names (``seats``,
``notice_days``, ``assigned_to``) and the headers of Snipe-IT's exports and
import templates for that kind, compared case-insensitively:

* licenses: ``Name``, ``Serial Number`` / ``Product Key`` (a license key: never
  imported; point ``key_ref`` at your vault), ``Seats``, ``Purchase Date``,
  ``Purchase Cost``, ``Order Number``, ``Purchase Order Number``, ``Supplier``,
  ``Manufacturer``, ``Expiration Date``, ``Termination Date``, ``Licensed to
  Name`` / ``Email``, ``Category``, ``Notes``; and in the import template the
  seat holder (``Full Name``, ``Username``, ``Email``, ``Assigned To Asset``);
* users: ``Name`` or ``First Name`` + ``Last Name``, ``Username``, ``Email``,
  ``Department`` (the team), ``Location``, ``Notes``, ``Deleted at`` (a leaver);
* locations: ``Name`` / ``Location Name``, ``Address``, ``Address 2``, ``City``,
  ``State``, ``Zip``, ``Country``, ``Notes``;
* suppliers: ``Name`` / ``Supplier Name``, ``Contact Name``, ``Email``, ``Phone``,
  ``URL``, ``Notes``.

Counts and bookkeeping (``Licenses available``, ``Created At``, ``Assets``, ...)
are left out; other columns become ``x-`` custom fields. Ids are the row's
``id`` column when it has one, else derived from the name (the same on every
run, so a second import finds what the first made).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from itamctl.errors import UsageError
from itamctl.importers.csvtable import Row, Table
from itamctl.importers.planner import API_VERSION, EMAIL, Planner, Skipped, clean
from itamctl.importers.values import ID_PATTERN, login_id, slugify

_BOOKKEEPING = frozenset({
    "image", "created at", "updated at", "created by", "deleted at", "actions", "assets", "accessories",
    "consumables", "components", "licenses", "users", "checkouts", "checkins", "requests", "qr code",
})


def _aliases(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, aliases in table.items() for alias in aliases}


class _Table(Planner):
    """A planner whose rows are items identified by an ``id`` column or a name."""

    #: canonical field -> Snipe-IT header keys (lower case)
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: registry field names a spreadsheet column (or --map) may name directly
    fields: tuple[str, ...] = ()
    #: canonical fields of which the header must have at least one
    identifying: tuple[str, ...] = ("id", "name")

    def __init__(self, registry, table: Table, date_order: str | None = None, *, force: bool = False) -> None:
        if not any(name in table.columns for name in self.identifying):
            names = " or ".join(repr(n) for n in self.identifying)
            raise UsageError(f"no {names} column in the header row (found: "
                             f"{', '.join(repr(h) for h in [*table.columns.values(), *table.unmapped]) or 'nothing'})"
                             f"; is this a {self.kind.lower()} table? --map \"Column=name\" names a column",
                             file=table.file, line=1)
        super().__init__(registry, table, date_order, force=force)
        self.names_seen: dict[str, int] = {}

    def name_of(self, row: Row) -> str:
        return row.get("name")

    def find_existing(self, row: Row) -> str | None:
        return None

    def row_id(self, row: Row) -> str | None:
        given = row.get("id")
        if given:
            if not ID_PATTERN.match(given):
                self.skipped.append(Skipped(row.line, given, "not a valid id (1-64 letters, digits, '.', '_' or '-', "
                                            "starting with a letter or digit)"))
                return None
            return given
        name = self.name_of(row)
        if not name:
            self.skipped.append(Skipped(row.line, "", f"no name (a {self.kind.lower()} needs one)"))
            return None
        found = self.find_existing(row)
        if found:
            return found
        slug = self.id_from(row)
        if not slug:
            self.skipped.append(Skipped(row.line, name, f"the name {name!r} gives no usable id; give the row an id"))
            return None
        first = self.names_seen.get(slug)
        if first is None:
            self.names_seen[slug] = row.line
            return self._free(slug)
        # A namesake in the same file (two "Office 365" licenses): told apart by Snipe-IT's id, else by line order.
        suffix = row.get("snipeit_id") or str(sum(1 for s in self.names_seen if s.startswith(slug)) + 1)
        candidate = f"{slug[:60 - len(suffix)]}-{suffix}"
        self.names_seen[candidate] = row.line
        return self._free(candidate)

    def id_from(self, row: Row) -> str:
        return slugify(self.name_of(row))

    def _free(self, candidate: str) -> str:
        """``candidate``, or a variant when another kind holds it (the same every run: the registry decides)."""
        if self.registry_kinds.get(candidate) in (None, self.kind):
            return candidate
        base = f"{candidate[:54]}-{self.kind.lower()}"
        for n in range(1, 1000):  # the first variant no other kind holds: an earlier run's item is ours
            option = base if n == 1 else f"{base}-{n}"
            if self.registry_kinds.get(option) in (None, self.kind):
                return option
        raise AssertionError("no free id")  # pragma: no cover - a thousand namesakes

    def document(self, row: Row, item_id: str) -> dict[str, Any] | None:
        data: dict[str, Any] = {"apiVersion": API_VERSION, "kind": self.kind, "id": item_id}
        data.update(self.fields_of(row))
        if data.get("name") in (None, ""):
            data["name"] = self.name_of(row) or item_id
        self.custom_fields(row, data)
        return clean(data)

    def fields_of(self, row: Row) -> dict[str, Any]:  # pragma: no cover - each kind has its own
        raise NotImplementedError


# --- licenses --------------------------------------------------------------------

_BILLING = {"once": "once", "one_off": "once", "one_time": "once", "monthly": "monthly", "month": "monthly",
            "quarterly": "quarterly", "quarter": "quarterly", "yearly": "yearly", "annual": "yearly",
            "annually": "yearly", "year": "yearly"}
_RENEWAL = {"auto": "auto", "automatic": "auto", "yes": "auto", "manual": "manual", "none": "none", "no": "none"}


class LicensePlanner(_Table):
    kind = "License"
    date_fields = ("start", "end", "termination_date")
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "snipeit_id": ("id",),
        "name": ("name", "license name", "item name", "software", "product", "license"),
        "license_key": ("serial number", "serial", "product key", "license key", "key"),
        "seats": ("seats", "total seats", "total"),
        "start": ("purchase date", "start date"),
        "cost": ("purchase cost", "price"),
        "currency": ("currency",),
        "reference": ("order number", "order no", "order no."),
        "purchase_order": ("purchase order", "purchase order number"),
        "end": ("expiration date", "expiration", "expires", "expiry date", "end date"),
        "termination_date": ("termination date",),
        "vendor": ("supplier", "vendor"),
        "manufacturer": ("manufacturer",),
        "licensed_to_name": ("licensed to name", "licensed to"),
        "licensed_to_email": ("licensed to email", "email"),
        "holder_name": ("full name", "checked out to", "assigned to"),
        "holder_username": ("username",),
        "holder_asset": ("assigned to asset", "asset tag"),
        "category": ("category",),
        "notes": ("notes",),
    }
    fields = ("id", "name", "vendor", "type", "reference", "seats", "cost", "per_seat", "billing", "start", "end",
              "renewal", "notice_days", "assigned_to", "key_ref", "tags", "notes", "currency")
    ignored = _BOOKKEEPING | {"licenses available", "avail", "available", "remaining", "free seats", "depreciation",
                              "fully depreciated", "min. qty", "min qty", "min. quantity", "in/out", "checkout",
                              "checkin/checkout"}

    def column_notes(self) -> None:
        super().column_notes()
        if "license_key" in self.table.columns:
            self.warn(1, f"column {self.table.columns['license_key']!r} is left out: a license key belongs in a "
                      "vault; point key_ref at it (for example vault://itam/<license>)")

    def fields_of(self, row: Row) -> dict[str, Any]:
        line = row.line
        end = self.date(row, "end")
        termination = self.date(row, "termination_date")
        if end is None and termination is not None:
            end, termination = termination, None
        kind = self.choice(row, "type", {"subscription": "subscription", "perpetual": "perpetual"})
        kind = kind or ("subscription" if end else "perpetual")
        vendor_name = row.get("vendor") or row.get("manufacturer")
        holders = self.ids(row, "assigned_to", "person or asset") if row.get("assigned_to") else []
        holder = self.person(line, username=row.get("holder_username"), name=row.get("holder_name"))
        if holder:
            holders.append(holder)
        asset = row.get("holder_asset")
        if asset:
            if asset in self.taken:
                holders.append(asset)
            else:
                self.warn(line, f"{self.column('holder_asset')}: no asset {asset!r} in the registry; left out")
        reference = row.get("reference") or row.get("purchase_order")
        data: dict[str, Any] = {
            "name": row.get("name"),
            "vendor": self.reference("Vendor", vendor_name, line),
            "type": kind,
            "reference": reference,
            "seats": self.integer(row, "seats", minimum=1),
            "cost": self.money(row, "cost"),
            "per_seat": self.boolean(row, "per_seat"),
            "billing": self.choice(row, "billing", _BILLING) or ("once" if row.get("cost") and not row.get("billing")
                                                                 and kind == "perpetual" else None),
            "start": self.date(row, "start"),
            "end": end,
            "renewal": self.choice(row, "renewal", _RENEWAL),
            "notice_days": self.integer(row, "notice_days"),
            "assigned_to": list(dict.fromkeys(holders)),
            "key_ref": row.get("key_ref"),
            "tags": _tags(row.get("tags")) or _tags(row.get("category")),
            "notes": row.get("notes"),
        }
        if row.get("manufacturer") and row.get("vendor"):
            data["x-manufacturer"] = row.get("manufacturer")
        if row.get("purchase_order") and row.get("reference") and row.get("purchase_order") != row.get("reference"):
            data["x-purchase-order"] = row.get("purchase_order")
        if termination is not None:
            data["x-termination-date"] = termination.isoformat()
        for name in ("licensed_to_name", "licensed_to_email"):
            if row.get(name):
                data[f"x-{name.replace('_', '-')}"] = row.get(name)
        return data


def _tags(text: str) -> list[str]:
    return list(dict.fromkeys(slugify(part) for part in re.split(r"[,;|]", text) if slugify(part)))


# --- contracts ------------------------------------------------------------------

_CONTRACT_TYPES = {"support": "support", "maintenance": "maintenance", "lease": "lease", "leasing": "lease",
                   "saas": "saas", "subscription": "saas", "service": "service", "services": "service",
                   "warranty_extension": "warranty_extension", "extended_warranty": "warranty_extension",
                   "warranty": "warranty_extension"}


class ContractPlanner(_Table):
    kind = "Contract"
    date_fields = ("start", "end")
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "name": ("name", "contract", "contract name", "title"),
        "vendor": ("supplier", "vendor", "provider"),
        "type": ("type", "contract type"),
        "reference": ("contract number", "contract no", "reference", "order number"),
        "owner": ("owner", "responsible"),
        "start": ("start", "start date", "begins"),
        "end": ("end", "end date", "expiration date", "expires"),
        "renewal": ("renewal", "auto renewal", "auto-renewal"),
        "renewal_months": ("renewal months", "renewal term", "renewal term (months)"),
        "notice_days": ("notice days", "notice period", "notice period (days)", "notice"),
        "cost": ("cost", "price", "amount", "annual cost"),
        "currency": ("currency",),
        "billing": ("billing", "billing period", "billed"),
        "covers": ("covers", "assets", "covered assets"),
        "tags": ("tags",),
        "notes": ("notes",),
    }
    fields = ("id", "name", "vendor", "type", "reference", "owner", "start", "end", "renewal", "renewal_months",
              "notice_days", "cost", "billing", "covers", "tags", "notes", "currency")
    ignored = frozenset({"created at", "updated at"})

    def fields_of(self, row: Row) -> dict[str, Any]:
        line = row.line
        owner = row.get("owner")
        return {
            "name": row.get("name"),
            "vendor": self.reference("Vendor", row.get("vendor"), line),
            "type": self.choice(row, "type", _CONTRACT_TYPES),
            "reference": row.get("reference"),
            "owner": self.person(line, username=owner if "@" not in owner and " " not in owner else "",
                                 email=owner if "@" in owner else "", name=owner if " " in owner else ""),
            "start": self.date(row, "start"),
            "end": self.date(row, "end"),
            "renewal": self.choice(row, "renewal", _RENEWAL),
            "renewal_months": self.integer(row, "renewal_months", minimum=1),
            "notice_days": self.integer(row, "notice_days"),
            "cost": self.money(row, "cost"),
            "billing": self.choice(row, "billing", _BILLING),
            "covers": self.ids(row, "covers", "asset") if row.get("covers") else None,
            "tags": _tags(row.get("tags")),
            "notes": row.get("notes"),
        }

    def document(self, row: Row, item_id: str) -> dict[str, Any] | None:
        data = super().document(row, item_id)
        missing = [name for name in ("type", "start", "end") if name not in data]
        if missing:
            self.skipped.append(Skipped(row.line, item_id, f"a contract needs {', '.join(missing)} "
                                        f"(type one of {', '.join(sorted(set(_CONTRACT_TYPES.values())))}; "
                                        "dates as YYYY-MM-DD)"))
            self.taken.pop(item_id, None)
            return None
        return data


# --- people ---------------------------------------------------------------------

class PersonPlanner(_Table):
    kind = "Person"
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "snipeit_id": ("id",),
        "name": ("name", "full name", "display name"),
        "first_name": ("first name", "firstname", "given name"),
        "last_name": ("last name", "lastname", "surname", "family name"),
        "username": ("username", "user name", "login", "user"),
        "email": ("email", "e-mail", "email address", "mail"),
        "team": ("department", "team", "department name"),
        "location": ("location", "office", "site"),
        "deleted_at": ("deleted at",),
        "notes": ("notes",),
    }
    fields = ("id", "name", "email", "team", "location", "active", "notes")
    identifying = ("id", "name", "first_name", "last_name", "username", "email")
    ignored = _BOOKKEEPING | {
        "groups", "permissions", "active", "activated", "last login", "vip", "remote", "language", "locale",
        "auto-assign licenses", "autoassign licenses", "ldap sync", "ldap import", "2fa enrolled", "2fa active",
        "two factor enrolled", "two factor active", "managed users", "managed locations", "department manager",
        "phone", "mobile", "phone number", "website", "address", "city", "state", "zip", "country",
        "start date", "end date", "password", "avatar",
    }

    def name_of(self, row: Row) -> str:
        full = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
        return row.get("name") or full or row.get("username") or row.get("email")

    def find_existing(self, row: Row) -> str | None:
        username, email = row.get("username"), row.get("email")
        return self._find("Person", login_id(username) if username else "", username, email)

    def id_from(self, row: Row) -> str:
        username, email = row.get("username"), row.get("email")
        local = email.partition("@")[0] if EMAIL.match(email) else ""
        return login_id(username) or login_id(local) or slugify(self.name_of(row))

    def fields_of(self, row: Row) -> dict[str, Any]:
        active = self.boolean(row, "active")
        if row.get("deleted_at"):
            active = False  # a deleted Snipe-IT user: kept as a leaver so history resolves
        return {
            "name": self.name_of(row),
            "email": self.email(row, "email"),
            "team": row.get("team"),
            "location": self.reference("Location", row.get("location"), row.line),
            "active": active,
            "notes": row.get("notes"),
        }


# --- locations and vendors ---------------------------------------------------------

class LocationPlanner(_Table):
    kind = "Location"
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "snipeit_id": ("id",),
        "name": ("name", "location name", "location"),
        "address": ("address", "address line 1", "street"),
        "address2": ("address 2", "address2", "address line 2"),
        "city": ("city", "town"),
        "state": ("state", "region", "county", "province"),
        "zip": ("zip", "postal code", "postcode", "zip code", "post code"),
        "country": ("country", "country code"),
        "notes": ("notes",),
    }
    fields = ("id", "name", "address", "country", "notes")
    ignored = _BOOKKEEPING | {"assets assigned", "assigned assets", "assets count", "rtd assets", "ldap search ou",
                              "ldap ou", "location currency"}

    def find_existing(self, row: Row) -> str | None:
        return self._find("Location", row.get("name"), slugify(row.get("name")))

    def fields_of(self, row: Row) -> dict[str, Any]:
        country = row.get("country")
        code = country.upper() if re.fullmatch(r"[A-Za-z]{2}", country) else None
        town = " ".join(p for p in (row.get("zip"), row.get("city")) if p)
        parts = [row.get("address"), row.get("address2"), town, row.get("state")]
        if country and code is None:
            parts.append(country)  # a country name, not a code: kept in the address
            self.warn(row.line, f"{self.column('country')}: {country!r} is not an ISO 3166-1 alpha-2 code "
                      "such as DE; kept in the address")
        return {"name": row.get("name"), "address": ", ".join(p for p in parts if p), "country": code,
                "notes": row.get("notes")}


class VendorPlanner(_Table):
    kind = "Vendor"
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "snipeit_id": ("id",),
        "name": ("name", "supplier name", "supplier", "vendor", "vendor name", "company"),
        "url": ("url", "website", "web", "homepage"),
        "contact": ("contact", "contact name", "account manager"),
        "email": ("email", "e-mail", "contact email"),
        "phone": ("phone", "phone number", "telephone"),
        "notes": ("notes",),
    }
    fields = ("id", "name", "url", "contact", "email", "phone", "notes")
    ignored = _BOOKKEEPING

    def find_existing(self, row: Row) -> str | None:
        return self._find("Vendor", row.get("name"), slugify(row.get("name")))

    def fields_of(self, row: Row) -> dict[str, Any]:
        return {"name": row.get("name"), "url": self.url(row, "url"), "contact": row.get("contact"),
                "email": self.email(row, "email"), "phone": row.get("phone"), "notes": row.get("notes")}


PLANNERS: dict[str, type[_Table]] = {
    "License": LicensePlanner, "Contract": ContractPlanner, "Person": PersonPlanner,
    "Location": LocationPlanner, "Vendor": VendorPlanner,
}


def snipeit_aliases(kind: str) -> dict[str, str]:
    return _aliases(PLANNERS[kind].columns)


def plan_kind(path, registry, kind: str, aliases: Mapping[str, str] | None = None, date_order: str | None = None,
              *, force: bool = False):
    """What importing the ``kind`` table at ``path`` would do (``aliases`` default: the Snipe-IT headers)."""
    from itamctl.importers.csvtable import read_table

    table = read_table(path, snipeit_aliases(kind) if aliases is None else aliases, {})
    return PLANNERS[kind](registry, table, date_order, force=force).plan()
