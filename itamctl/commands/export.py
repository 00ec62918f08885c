"""``itamctl export``: the inventory with computed and custom columns, as CSV, JSON, XLSX or SQLite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, registry_option
from itamctl.errors import UsageError

KIND_CHOICES = ("asset", "license", "contract", "person")


@click.command("export")
@registry_option
@at_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx", "sqlite"]), default="csv",
              show_default=True, help="csv: one kind; json, xlsx (a sheet per kind), sqlite (a table per kind "
                                      "and a `figures` view): all kinds unless --kind.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_CHOICES),
              help="Only this kind (repeatable) [default: asset for csv, all otherwise].")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (atomically); required for xlsx and sqlite.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def export(registry: Path, at: str | None, as_of: date, fmt: str, kinds: tuple[str, ...], output: Path | None,
           force: bool) -> None:
    """Export assets, licenses, contracts and people for spreadsheets, BI tools and SQL.

    A row per item: every field (nested ones as dotted columns such as
    purchase.cost), every x- and schema-extension custom field, and the
    computed columns book_value, tco, next_expiry, next_expiry_kind and
    open_findings as of --as-of. Cells a spreadsheet would run as formulas
    are written as text. Money keeps its exact digits (text in SQLite).
    """
    from itamctl import export as core
    from itamctl.fileio import write_atomic
    from itamctl.inventory import Inventory
    from itamctl.pipeline import open_registry

    if fmt == "csv" and len(kinds) > 1:
        raise UsageError("csv holds one kind: pass one --kind (or use --format xlsx, json or sqlite)")
    if fmt in ("xlsx", "sqlite") and output is None:
        raise UsageError(f"--format {fmt} writes a file: pass --output FILE")
    chosen = list(kinds) or (["asset"] if fmt == "csv" else list(KIND_CHOICES))
    inventory = Inventory(open_registry(registry, at=at), as_of)
    tables = core.build_tables(inventory, chosen)
    if fmt in ("csv", "json"):
        emit(core.ExportReport(as_of, tuple(tables)), fmt, output, force)
    elif fmt == "xlsx":
        write_atomic(output, core.to_xlsx(tables), overwrite=force)
    else:
        core.write_sqlite(tables, output, overwrite=force)
