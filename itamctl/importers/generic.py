"""``import csv`` / ``import xlsx``: any spreadsheet of assets, with a column map, through the Snipe-IT planner.

Columns are matched by the registry's own field names (``serial``,
``purchase.cost``, ``warranty.end``), by the Snipe-IT headers the planner knows,
or by ``--map "Column=field"``. Everything else (dates in ISO, D/M/Y or M/D/Y,
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
from itamctl.importers.csvtable import header_key
from itamctl.importers.snipeit import ALIASES, ImportPlan, plan_import
from itamctl.model import Registry

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


def aliases_for(mapping: Sequence[str]) -> dict[str, str]:
    """The header table: Snipe-IT headers, the registry's field names, then ``--map`` entries (which win)."""
    aliases = dict(ALIASES)
    aliases.update({header_key(name): field for name, field in FIELDS.items()})
    for entry in mapping:
        column, sep, field = entry.rpartition("=")
        field = field.strip()
        if not sep or not column.strip():
            raise UsageError(f'--map takes "Column=field", got {entry!r}')
        if field not in FIELDS:
            raise UsageError(f"--map {entry!r}: unknown field {field!r} (one of: {', '.join(sorted(FIELDS))})")
        aliases[header_key(column)] = FIELDS[field]
    return aliases


def plan_csv(path: Path, registry: Registry, mapping: Sequence[str], date_order: str | None) -> ImportPlan:
    return plan_import(path, registry, aliases=aliases_for(mapping), date_order=date_order)


def sheet_rows(path: Path, sheet: str | None) -> tuple[list[list[str]], int]:
    """The sheet's rows as text, merged header rows joined into one header row; and how many rows were joined."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot read the workbook: {exc}", file=str(path)) from None
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
              sheet: str | None) -> ImportPlan:
    rows, skipped_top = sheet_rows(path, sheet)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with tempfile.TemporaryDirectory(prefix="itamctl-xlsx-") as work:
        temp = Path(work) / (path.stem + ".csv")
        temp.write_text(buffer.getvalue(), encoding="utf-8")
        plan = plan_csv(temp, registry, mapping, date_order)
    return _renumber(plan, skipped_top, str(path))


def _renumber(plan: ImportPlan, offset: int, source: str) -> ImportPlan:
    """Line numbers of the temporary CSV -> row numbers of the sheet."""
    from dataclasses import replace

    return replace(
        plan, source=source,
        assets=tuple(replace(d, line=d.line + offset) for d in plan.assets),
        references=tuple(replace(d, line=d.line + offset) for d in plan.references),
        skipped=tuple(replace(s, line=s.line + offset) for s in plan.skipped),
        warnings=tuple(replace(w, line=None if w.line is None else w.line + offset) for w in plan.warnings),
    )
