"""``import csv`` / ``import xlsx``: any spreadsheet of one kind (assets, licenses, contracts, people, locations
or vendors), with a column map, through that kind's planner.

Columns are matched by the registry's own field names (``serial``,
``purchase.cost``, ``warranty.end``, ``seats``, ``notice_days``), by the
Snipe-IT headers the planner knows, or by ``--map "Column=field"``. Everything else (dates in ISO, D/M/Y or M/D/Y,
money with symbols and thousands separators, people/locations/vendors created,
unknown columns as ``x-`` fields, rows skipped with their line) is the planner's.
A workbook sheet is read with openpyxl; header rows with merged cells above the
real header are joined (``Purchase`` over ``Date`` and ``Cost`` gives
``Purchase Date`` and ``Purchase Cost``).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from itamctl.errors import UsageError
from itamctl.fileio import read_regular
from itamctl.importers.csvtable import MAX_BYTES, header_key
from itamctl.importers.kinds import PLANNERS, plan_kind, snipeit_aliases
from itamctl.importers.planner import ImportPlan
from itamctl.importers.snipeit import ALIASES, plan_import
from itamctl.loader import display_path
from itamctl.model import Registry

#: ``--kind`` names -> registry kinds.
KINDS = {"asset": "Asset", "license": "License", "contract": "Contract", "person": "Person",
         "location": "Location", "vendor": "Vendor"}

#: Registry field paths -> the planner's fields.
FIELDS = {
    "id": "asset_tag", "asset_tag": "asset_tag", "name": "name", "serial": "serial", "model": "model",
    "category": "category", "manufacturer": "manufacturer", "location": "location", "status": "status",
    "owner": "checked_out_to", "owner.email": "email", "owner.username": "username",
    "purchase.date": "purchase_date", "purchase.cost": "purchase_cost", "purchase.currency": "currency",
    "purchase.vendor": "supplier", "purchase.order_ref": "order_number", "warranty.end": "warranty_expires",
    "warranty.months": "warranty_months", "warranty_months": "warranty_months", "end_of_life": "eol",
    "last_audit": "last_audit", "notes": "notes",
}


def fields_for(kind: str) -> dict[str, str]:
    """The field names a column of a ``kind`` table (or ``--map``) may name -> the planner's fields."""
    if kind == "Asset":
        return dict(FIELDS)
    planner = PLANNERS[kind]
    names = {name: name for name in planner.fields}
    names.update({name: name for name in planner.columns if name not in ("snipeit_id", "license_key")})
    return names


def aliases_for(mapping: Sequence[str], kind: str = "Asset") -> dict[str, str]:
    """The header table: Snipe-IT headers, the registry's field names, then ``--map`` entries (which win)."""
    fields = fields_for(kind)
    aliases = dict(ALIASES) if kind == "Asset" else snipeit_aliases(kind)
    aliases.update({header_key(name): field for name, field in fields.items()})
    for entry in mapping:
        column, sep, field = entry.rpartition("=")
        field = field.strip()
        if not sep or not column.strip():
            raise UsageError(f'--map takes "Column=field", got {entry!r}')
        if field not in fields:
            raise UsageError(f"--map {entry!r}: {'an' if kind[0] in 'AEIOU' else 'a'} {kind} has no field {field!r} "
                             f"(one of: {', '.join(sorted(fields))})")
        aliases[header_key(column)] = fields[field]
    return aliases


def plan_csv(path: Path, registry: Registry, mapping: Sequence[str], date_order: str | None, kind: str = "Asset",
             *, force: bool = False) -> ImportPlan:
    aliases = aliases_for(mapping, kind)
    if kind == "Asset":
        return plan_import(path, registry, aliases=aliases, date_order=date_order, force=force)
    return plan_kind(path, registry, kind, aliases, date_order, force=force)


#: The most a workbook may hold once unzipped (a zip bomb of a few KB would otherwise fill the memory).
MAX_UNZIPPED = 256 * 1024 * 1024


def _workbook(path: Path):
    """The workbook at ``path``: a regular file (no FIFO or device), a zip archive within the bounds, readable."""
    import zipfile

    from openpyxl import load_workbook

    file = display_path(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise UsageError("no such workbook", file=file) from None
    except OSError as exc:
        raise UsageError(f"cannot read the workbook: {exc.strerror or exc}", file=file) from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"the workbook is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=file)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise UsageError(f"the workbook unzips to more than {MAX_UNZIPPED // (1024 * 1024)} MiB", file=file)
        return load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except UsageError:
        raise
    except Exception as exc:  # openpyxl raises what its parsers raise (zip, XML, KeyError, ...): all unreadable
        raise UsageError(f"cannot read the workbook (not an .xlsx file?): {type(exc).__name__}: {exc}",
                         file=file) from None


def sheet_rows(path: Path, sheet: str | None) -> tuple[list[list[str]], int]:
    """The sheet's rows as text, merged header rows joined into one header row; and how many rows were joined."""

    book = _workbook(path)
    if sheet is not None and sheet not in book.sheetnames:
        raise UsageError(f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})", file=str(path))
    ws = book[sheet] if sheet else book.worksheets[0]
    header_rows = 1
    for merged in ws.merged_cells.ranges:
        if merged.min_row == 1 and merged.max_col > merged.min_col:
            header_rows = max(header_rows, merged.max_row + 1)
    filled: dict[tuple[int, int], object] = {}
    for merged in list(ws.merged_cells.ranges):
        value = ws.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                filled[(row, col)] = value
    width = ws.max_column
    rows: list[list[str]] = []
    for r in range(1, ws.max_row + 1):
        cells = []
        for c in range(1, width + 1):
            value = filled.get((r, c), ws.cell(r, c).value)
            cells.append(_text(value))
        rows.append(cells)
    if header_rows > 1:
        header = []
        for c in range(width):
            parts = []
            for r in range(header_rows):
                part = rows[r][c].strip()
                if part and part not in parts:
                    parts.append(part)
            header.append(" ".join(parts))
        rows = [header, *rows[header_rows:]]
    return rows, header_rows - 1


def _text(value: object) -> str:
    from datetime import date, datetime
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def plan_xlsx(path: Path, registry: Registry, mapping: Sequence[str], date_order: str | None,
              sheet: str | None, kind: str = "Asset", *, force: bool = False) -> ImportPlan:
    rows, skipped_top = sheet_rows(path, sheet)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with tempfile.TemporaryDirectory(prefix="itamctl-xlsx-") as work:
        temp = Path(work) / (path.stem + ".csv")
        temp.write_text(buffer.getvalue(), encoding="utf-8")
        plan = plan_csv(temp, registry, mapping, date_order, kind, force=force)
    return _renumber(plan, skipped_top, str(path))


def _renumber(plan: ImportPlan, offset: int, source: str) -> ImportPlan:
    """Line numbers of the temporary CSV -> row numbers of the sheet."""
    from dataclasses import replace

    return replace(
        plan, source=source,
        items=tuple(replace(d, line=d.line + offset) for d in plan.items),
        references=tuple(replace(d, line=d.line + offset) for d in plan.references),
        skipped=tuple(replace(s, line=s.line + offset) for s in plan.skipped),
        updates=tuple(replace(u, line=u.line + offset) for u in plan.updates),
        unchanged=tuple(replace(u, line=u.line + offset) for u in plan.unchanged),
        warnings=tuple(replace(w, line=None if w.line is None else w.line + offset) for w in plan.warnings),
    )
