"""What every table importer shares: the plan it makes, references it creates, and what it does with existing items.

A planner reads a :class:`~itamctl.importers.csvtable.Table` (rows keyed by
canonical field names) against the current registry and says, row by row:

* **new**: a document to create (its id derived from the row, the same on every run);
* **unchanged**: the registry already holds that item with every imported field equal
  (fields the registry has beyond the row's are the registry's business): nothing to do,
  so a second import of the same file changes nothing;
* **differs**: the registry holds it with other values: left alone and reported, or, with
  ``force``, those fields are updated in place (:mod:`itamctl.importers.writer`);
* **skipped**: a row it cannot take (no id, a repeat, an id another kind holds), with its
  line and why. Such a row is *blocking*: the import is all or nothing.

People, locations and vendors a row names are found in the registry (by id, name,
username or e-mail, case-insensitively) or created once, whichever row names them first.
Everything here is pure: nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from itamctl.importers.csvtable import Row, Table, header_key
from itamctl.importers.values import currency_code, login_id, parse_date, parse_money, slash_order, slugify
from itamctl.loader import Document
from itamctl.model import Registry
from itamctl.secret_patterns import looks_like_secret_field

API_VERSION = "itam/v1"
REFERENCE_KINDS = ("Person", "Location", "Vendor")


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
    #: A row the import cannot take (all or nothing: nothing is written); an item kept as the registry has it is not.
    blocking: bool = True


@dataclass(frozen=True)
class RowWarning:
    line: int | None
    message: str


@dataclass(frozen=True)
class Update:
    """An existing item whose imported fields differ: ``fields`` (dotted path -> value) are set with ``--force``."""

    kind: str
    id: str
    file: str
    line: int
    fields: tuple[tuple[tuple[str, ...], Any], ...]


@dataclass(frozen=True)
class Unchanged:
    line: int
    kind: str
    id: str


@dataclass(frozen=True)
class ImportPlan:
    source: str
    kind: str
    items: tuple[NewDocument, ...]  # the rows' own documents
    references: tuple[NewDocument, ...]  # People, Locations and Vendors the rows name that the registry lacks
    skipped: tuple[Skipped, ...]
    warnings: tuple[RowWarning, ...]
    missing_categories: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    unchanged: tuple[Unchanged, ...] = ()

    @property
    def blocking(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.skipped if s.blocking)


def as_loaded(value: Any) -> Any:
    """What the loader yields for a value the writer dumps: dates become strings, the rest is unchanged."""
    if isinstance(value, dict):
        return {k: as_loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_loaded(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def leaves(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``{"purchase": {"cost": 1}}`` -> ``(("purchase", "cost"), 1)``: the paths an update sets."""
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


_MISSING = object()
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "active", "activated"}
_FALSE = {"no", "n", "false", "0", "nein", "non", "inactive", "deactivated", "left"}


def split_list(text: str) -> list[str]:
    """``alice, bob; LT-0042`` -> ``["alice", "bob", "LT-0042"]`` (``,``, ``;``, ``|`` or new lines)."""
    return [part.strip() for part in re.split(r"[,;|\n]", text) if part.strip()]


class Planner:
    """Bookkeeping shared by the planners of every kind; a subclass says how a row becomes a document."""

    kind = ""
    #: Canonical fields holding dates (to learn the file's D/M/Y or M/D/Y order from).
    date_fields: tuple[str, ...] = ()
    #: Header keys of bookkeeping columns that are not imported (and not reported).
    ignored: frozenset[str] = frozenset()

    def __init__(self, registry: Registry, table: Table, date_order: str | None = None, *,
                 force: bool = False) -> None:
        self.table = table
        self.force = force
        self.settings = registry.settings
        self.currency = registry.settings.currency
        self.registry_kinds: dict[str, str] = dict(registry.known_ids)
        self.taken: dict[str, str] = dict(registry.known_ids)
        self.existing: set[str] = set()
        self.documents: dict[str, Document] = {}
        for doc in registry.documents:
            item_id = doc.data.get("id")
            if isinstance(item_id, str) and doc.data.get("kind") != "Settings":
                self.documents.setdefault(item_id, doc)
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
        self.updates: list[Update] = []
        self.unchanged: list[Unchanged] = []
        self.missing: dict[str, None] = {}
        self.created_here: dict[str, int] = {}  # id -> line of the row that made it
        dates = [row.get(name) for row in table.rows for name in self.date_fields]
        self.date_order = date_order or slash_order([d for d in dates if d])

    # -- bookkeeping ------------------------------------------------------

    def _remember(self, kind: str, item_id: str, *keys: str | None) -> None:
        for key in keys:
            if key:
                self.lookup.setdefault((kind, key.strip().casefold()), item_id)

    def _find(self, kind: str, *keys: str | None) -> str | None:
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

    def where(self, item_id: str) -> str:
        doc = self.documents.get(item_id)
        return f" ({doc.file}:{doc.start.line})" if doc is not None else ""

    # -- the plan ---------------------------------------------------------

    def plan(self) -> ImportPlan:
        self.column_notes()
        accepted: list[tuple[Row, str]] = []
        for row in self.table.rows:
            item_id = self.claim(row)
            if item_id is not None:
                accepted.append((row, item_id))
        items = []
        for row, item_id in accepted:
            data = self.document(row, item_id)
            if data is None:
                continue
            if item_id in self.existing:
                self.compare(row, item_id, data)
            else:
                items.append(NewDocument(self.kind, item_id, data, row.line))
        return ImportPlan(self.table.file, self.kind, tuple(items), tuple(self.references), tuple(self.skipped),
                          tuple(self.warnings), tuple(sorted(self.missing)), tuple(self.updates),
                          tuple(self.unchanged))

    def claim(self, row: Row) -> str | None:
        """The row's item id after the checks every kind shares (``None``: skipped, with the reason)."""
        item_id = self.row_id(row)
        if item_id is None:
            return None
        if item_id in self.created_here:
            made = self.taken.get(item_id)
            what = (self.describe_repeat() if made == self.kind
                    else f"the id {item_id} is taken by the {made} made for line {self.created_here[item_id]}")
            self.skipped.append(Skipped(row.line, item_id, f"{what} (first on line {self.created_here[item_id]})"
                                        if made == self.kind else what))
            return None
        holder = self.registry_kinds.get(item_id)
        if holder is not None and holder != self.kind:
            self.skipped.append(Skipped(row.line, item_id, f"the registry already has {holder} {item_id}"
                                        f"{self.where(item_id)}; give the row another id (--map a column to id)"))
            return None
        if holder is not None:
            self.existing.add(item_id)  # compared with the registry's, never created twice
        self.taken[item_id] = self.kind
        self.created_here[item_id] = row.line
        return item_id

    def describe_repeat(self) -> str:
        return f"the same {self.kind.lower()} again"

    def compare(self, row: Row, item_id: str, data: dict[str, Any]) -> None:
        """An item the registry has: unchanged, kept as it is (reported), or updated with ``force``."""
        doc = self.documents[item_id]
        differ = [(path, value) for path, value in leaves(data)
                  if path not in (("apiVersion",), ("kind",), ("id",))
                  and _lookup(doc.data, path) != as_loaded(value)]
        if not differ:
            self.unchanged.append(Unchanged(row.line, self.kind, item_id))
            return
        names = ", ".join(".".join(path) for path, _ in differ)
        if self.force:
            self.updates.append(Update(self.kind, item_id, doc.file, row.line, tuple(differ)))
            return
        self.skipped.append(Skipped(row.line, item_id, f"the registry already has {self.kind} {item_id}"
                                    f"{self.where(item_id)}, which differs in {names}; "
                                    "kept as it is (--force updates those fields)", blocking=False))

    # -- for subclasses -----------------------------------------------------

    def row_id(self, row: Row) -> str | None:  # pragma: no cover - every planner has its own
        raise NotImplementedError

    def document(self, row: Row, item_id: str) -> dict[str, Any] | None:  # pragma: no cover
        raise NotImplementedError

    # -- columns --------------------------------------------------------------

    def column_notes(self) -> None:
        for header, name in self.table.duplicates:
            self.warn(1, f"column {header!r} repeats {self.table.columns[name]!r}; the first one is used")
        for header in self.table.unmapped:
            key = header_key(header)
            if key in self.ignored:
                continue
            if looks_like_secret_field(key.replace(" ", "_")) or not slugify(header):
                self.warn(1, f"column {header!r} is left out: secrets belong in a vault, not in the registry"
                          if slugify(header) else f"column {header!r} is left out: no usable field name")
            else:
                self.warn(1, f"column {header!r} is imported as the custom field x-{slugify(header)}")

    def custom_fields(self, row: Row, data: dict[str, Any]) -> None:
        """Unmapped columns as ``x-`` fields (bookkeeping and secret-looking columns left out)."""
        for header, value in row.extra.items():
            key = header_key(header)
            if key not in self.ignored and slugify(header) and not looks_like_secret_field(key.replace(" ", "_")):
                data.setdefault(f"x-{slugify(header)}", value)

    # -- references -----------------------------------------------------------

    def reference(self, kind: str, name: str, line: int, **fields: Any) -> str | None:
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
        self.create(kind, item_id, {"apiVersion": API_VERSION, "kind": kind, "id": item_id, "name": name, **fields},
                    line, name)
        return item_id

    def person(self, line: int, *, username: str = "", email: str = "", name: str = "") -> str | None:
        """The id of the Person a row names (by username, e-mail or full name), created when the registry lacks it."""
        if not (username or email or name):
            return None
        found = self._find("Person", login_id(username) if username else "", username, email, name)
        if found:
            return found
        local = email.partition("@")[0] if EMAIL.match(email) else ""
        candidate = login_id(username) or login_id(local) or slugify(name)
        if not candidate or not candidate[0].isalnum():
            self.warn(line, f"{name or username or email!r} gives no usable Person id; left out")
            return None
        person_id = self._unique(candidate, "Person")
        data = {"apiVersion": API_VERSION, "kind": "Person", "id": person_id, "name": name or username or email,
                "email": email if email and EMAIL.match(email) else None}
        self.create("Person", person_id, data, line, username, email, name)
        return person_id

    def create(self, kind: str, item_id: str, data: dict[str, Any], line: int, *keys: str | None) -> None:
        self.taken[item_id] = kind
        self.created_here.setdefault(item_id, line)
        self._remember(kind, item_id, item_id, *keys)
        self.references.append(NewDocument(kind, item_id, {k: v for k, v in data.items() if v not in (None, "")},
                                           line))

    def known_item(self, item_id: str) -> bool:
        return item_id in self.taken

    # -- cells ----------------------------------------------------------------

    def column(self, name: str) -> str:
        return self.table.columns.get(name, name)

    def date(self, row: Row, name: str) -> date | None:
        text = row.get(name)
        if not text:
            return None
        try:
            return parse_date(text, self.date_order)
        except ValueError as exc:
            self.warn(row.line, f"{self.column(name)}: {exc}; left out")
            return None

    def money(self, row: Row, name: str, currency_field: str = "currency") -> Decimal | str | None:
        text = row.get(name)
        if not text:
            return None
        default = self.currency
        if row.get(currency_field):
            try:
                default = currency_code(row.get(currency_field), self.currency)
            except ValueError as exc:
                self.warn(row.line, f"{self.column(currency_field)}: {exc}; {self.column(name)} is left out")
                return None
        try:
            amount, currency = parse_money(text, default)
        except ValueError as exc:
            self.warn(row.line, f"{self.column(name)}: {exc}; left out")
            return None
        return amount if currency == self.currency else f"{amount:f} {currency}"

    def integer(self, row: Row, name: str, *, minimum: int = 0) -> int | None:
        text = row.get(name).replace(",", "").replace(" ", "")
        if not text:
            return None
        if re.fullmatch(r"\d+(\.0+)?", text) and int(Decimal(text)) >= minimum:
            return int(Decimal(text))
        self.warn(row.line, f"{self.column(name)}: {row.get(name)!r} is not a whole number"
                  f"{f' of at least {minimum}' if minimum else ''}; left out")
        return None

    def boolean(self, row: Row, name: str) -> bool | None:
        text = row.get(name).strip().casefold()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.warn(row.line, f"{self.column(name)}: {row.get(name)!r} is not yes or no; left out")
        return None

    def choice(self, row: Row, name: str, choices: dict[str, str]) -> str | None:
        text = row.get(name)
        if not text:
            return None
        key = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")
        if key in choices:
            return choices[key]
        self.warn(row.line, f"{self.column(name)}: {text!r} is not one of "
                  f"{', '.join(sorted(set(choices.values())))}; left out")
        return None

    def email(self, row: Row, name: str) -> str | None:
        text = row.get(name)
        if not text:
            return None
        if EMAIL.match(text):
            return text
        self.warn(row.line, f"{self.column(name)}: {text!r} is not an e-mail address; left out")
        return None

    def url(self, row: Row, name: str) -> str | None:
        text = row.get(name)
        if not text:
            return None
        if re.match(r"https?://\S+\Z", text, re.IGNORECASE):
            return text
        if re.fullmatch(r"(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?", text):
            return f"https://{text}"
        self.warn(row.line, f"{self.column(name)}: {text!r} is not a web address (http:// or https://); left out")
        return None

    def ids(self, row: Row, name: str, what: str) -> list[str]:
        """A list of item ids in one cell; ids neither the registry nor this import has are left out, with a warning."""
        found = []
        for part in split_list(row.get(name)):
            if part in self.taken or self._find("Person", part):
                found.append(self._find("Person", part) or part)
            else:
                self.warn(row.line, f"{self.column(name)}: {part!r} is no {what} in the registry; left out")
        return list(dict.fromkeys(found))


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without empty values (``None``, ``""``, empty lists and mappings), nested mappings too."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = clean(value)
        if value in (None, "", [], {}):
            continue
        out[key] = value
    return out


__all__ = ["API_VERSION", "ImportPlan", "NewDocument", "Planner", "RowWarning", "Skipped", "Unchanged", "Update",
           "as_loaded", "clean", "split_list"]
