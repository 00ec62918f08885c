"""``itamctl export``: the inventory as tables for spreadsheets, BI tools and SQL.

One table per kind (assets, licenses, contracts, people); a row per item with
every field flattened to a dotted column (``purchase.cost``), custom fields
(``x-`` fields and schema-extension fields) included, and the computed columns
of :class:`itamctl.inventory.Inventory` (book value, TCO, next expiry and its
kind, open findings). Values are kept as written: dates ``YYYY-MM-DD``, money
as its exact text; lists of values joined with ``; ``, lists of records as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from itamctl.inventory import Inventory
from itamctl.money import money_str
from itamctl.render.escape import file_text
from itamctl.render.table import defuse

#: Export kinds -> (model kind, Registry attribute).
KINDS = {"asset": ("Asset", "assets"), "license": ("License", "licenses"),
         "contract": ("Contract", "contracts"), "person": ("Person", "people")}
COMPUTED = ("book_value", "tco", "next_expiry", "next_expiry_kind", "open_findings")
_SKIP = ("apiVersion", "kind")


@dataclass(frozen=True)
class Table:
    kind: str  # asset | license | ...
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # str, int, Decimal or None

    @property
    def name(self) -> str:
        return KINDS[self.kind][1]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return json.dumps(value, default=lambda d: f"{d:f}", ensure_ascii=False)
        return "; ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _text(value: Any) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if not prefix and key in _SKIP:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = _cell(value)
    return flat


def _schema_order(kind: str, registry_root: Path) -> list[str]:
    from itamctl.schema import load_schemas, schema_file

    schema = load_schemas(registry_root).get(schema_file(kind), {})
    order = []
    for name, spec in (schema.get("properties") or {}).items():
        if name in _SKIP:
            continue
        order.append(name)
        for sub in (spec.get("properties") or {}) if isinstance(spec, dict) else ():
            order.append(f"{name}.{sub}")
    return order


def build_tables(inventory: Inventory, kinds: Sequence[str]) -> list[Table]:
    registry = inventory.registry
    tables = []
    for kind in kinds:
        model_kind, attribute = KINDS[kind]
        items = getattr(registry, attribute)
        flats = [_flatten(item.doc.data) for item in items]
        seen: dict[str, None] = {}
        for flat in flats:
            seen.update(dict.fromkeys(flat))
        order = _schema_order(model_kind, registry.root)
        columns = [c for c in order if c in seen]
        columns += [c for c in seen if c not in columns]
        rows = []
        for item, flat in zip(items, flats, strict=True):
            figures = inventory.figures(item)
            computed = (
                None if figures.book_value is None else Decimal(money_str(figures.book_value)),
                None if figures.tco is None else Decimal(money_str(figures.tco)),
                figures.next_expiry.isoformat() if figures.next_expiry else None,
                figures.next_expiry_kind,
                len(figures.findings),
            )
            rows.append(tuple(flat.get(c) for c in columns) + computed)
        tables.append(Table(kind, (*columns, *COMPUTED), tuple(rows)))
    return tables


# --- formats ---------------------------------------------------------------

@dataclass(frozen=True)
class ExportReport:
    """The tables of ``itamctl export`` as of a date: CSV (one table) and JSON go through the renderer
    table; xlsx and sqlite are binary files the command writes with :func:`to_xlsx` / :func:`write_sqlite`."""

    as_of: date
    tables: tuple[Table, ...]

    def to_json(self) -> dict[str, Any]:
        def value(v: Any) -> Any:
            return _text(v) if isinstance(v, Decimal) else v

        return {"as_of": self.as_of.isoformat(),
                **{t.name: [{c: value(v) for c, v in zip(t.columns, row, strict=True)} for row in t.rows]
                   for t in self.tables}}


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with a sheet per kind; text cells never become formulas, money stays exact (Decimal)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append([file_text(defuse(c)) for c in table.columns])
        for row in table.rows:  # control characters shown escaped, as in CSV (a worksheet cannot hold them)
            sheet.append([file_text(defuse(v)) if isinstance(v, str) else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_sqlite(tables: Sequence[Table], path: Path, *, overwrite: bool = False) -> None:
    """One table per kind and a ``figures`` view of the computed columns; written to a temporary file, then renamed.

    Money is stored as exact decimal text (SQLite's REAL would round it); cast
    it in queries (``CAST(book_value AS NUMERIC)``) where arithmetic is wanted.
    """
    from itamctl.errors import FatalError
    from itamctl.fileio import write_atomic

    if (path.exists() or path.is_symlink()) and not overwrite:
        raise FatalError(f"{path} already exists; pass --force to overwrite it")
    fd, tmp = tempfile.mkstemp(prefix=".itamctl-export.", suffix=".sqlite")
    os.close(fd)
    try:
        connection = sqlite3.connect(tmp)
        with connection:
            for table in tables:
                columns = ", ".join(f"{_sql_name(c)} {'INTEGER' if c == 'open_findings' else 'TEXT'}"
                                    for c in table.columns)
                connection.execute(f"CREATE TABLE {_sql_name(table.name)} ({columns})")
                marks = ", ".join("?" for _ in table.columns)
                connection.executemany(
                    f"INSERT INTO {_sql_name(table.name)} VALUES ({marks})",
                    [tuple(_text(v) if isinstance(v, Decimal) else v for v in row) for row in table.rows])
            selects = [
                f"SELECT id, '{KINDS[t.kind][0]}' AS kind, name, {', '.join(_sql_name(c) for c in COMPUTED)} "
                f"FROM {_sql_name(t.name)}"
                for t in tables
            ]
            if selects:
                connection.execute("CREATE VIEW figures AS " + " UNION ALL ".join(selects))
        connection.close()
        write_atomic(path, Path(tmp).read_bytes(), overwrite=overwrite)
    finally:
        Path(tmp).unlink(missing_ok=True)
