"""``itamctl import``: bring an existing inventory into the registry."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import format_option, print_text, registry_option, use_colour
from itamctl.errors import EXIT_FINDINGS, EXIT_OK


@click.group("import")
def importer() -> None:
    """Create registry files from another tool's export."""


@importer.command("snipeit")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@registry_option
@click.option("--dry-run", is_flag=True, help="Show what would be written, and its validation, without writing.")
@format_option("text", "json")
def snipeit(csv_file: Path, registry: Path, dry_run: bool, fmt: str) -> None:
    """Import a Snipe-IT asset export (CSV) into the registry.

    Each asset becomes assets/<category>/<tag>.yaml; people it is checked out
    to, locations and suppliers the registry lacks go to people-imported.yaml,
    locations-imported.yaml and vendors-imported.yaml. Existing files are never
    changed: an asset whose id is already in the registry is skipped. Settings
    is not edited: categories it lacks are listed for you to add. The registry
    is validated afterwards and the findings shown.

    Exit status: 0 when every row was imported and the registry validates,
    1 when rows were skipped or validation found errors, 2 on a usage error or
    a malformed CSV file.
    """
    from itamctl.importers.snipeit import plan_import
    from itamctl.importers.writer import apply_plan
    from itamctl.pipeline import open_registry
    from itamctl.render.imports import render_json, render_report

    plan = plan_import(csv_file, open_registry(registry).registry)
    report = apply_plan(registry, plan, dry_run=dry_run)
    print_text(render_json(report) if fmt == "json" else render_report(report, colour=use_colour()), fmt=fmt)
    raise SystemExit(EXIT_OK if report.ok else EXIT_FINDINGS)


def _finish(plan, registry: Path, dry_run: bool, fmt: str) -> None:
    """All or nothing: when a row cannot be taken (other than one already in the registry), nothing is written."""
    from itamctl.importers.writer import apply_plan
    from itamctl.render.imports import render_json, render_report

    blocking = [s for s in plan.skipped if not s.reason.startswith("the registry already has")]
    report = apply_plan(registry, plan, dry_run=dry_run or bool(blocking))
    if fmt == "json":
        print_text(render_json(report))
    else:
        print_text(render_report(report, colour=use_colour()))
        if blocking and not dry_run:
            print_text(f"nothing written: {len(blocking)} row(s) cannot be imported (all or nothing); "
                 "fix them and run the import again\n")
    raise SystemExit(EXIT_FINDINGS if blocking or report.has_errors else EXIT_OK)


_DATE_ORDER = click.option("--date-order", type=click.Choice(["day-first", "month-first"]), default=None,
                           help="How to read NN/NN/YYYY dates the file leaves ambiguous (03/04/2024).")
_MAP = click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
                    help="Read this column as this field (id, name, serial, category, status, owner, "
                         "purchase.cost, warranty.end, ...); repeatable.")
_KIND = click.option("--kind", type=click.Choice(["asset"]), default="asset", show_default=True,
                     help="What each row is (assets; other kinds are not imported from tables yet).")


@importer.command("csv")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@_KIND
@_MAP
@_DATE_ORDER
@registry_option
@click.option("--dry-run", is_flag=True, help="Show what would be written, and its validation, without writing.")
@format_option("text", "json")
def csv_(csv_file: Path, kind: str, mapping: tuple[str, ...], date_order: str | None, registry: Path,
         dry_run: bool, fmt: str) -> None:
    """Import any spreadsheet's CSV export of assets, with a column map.

    Columns named like registry fields (serial, purchase.cost, warranty.end)
    or like Snipe-IT's headers are recognised; --map "Asset No=id" names the
    others. Unknown columns become x- custom fields. Same files, rules and
    exit status as `import snipeit`.
    """
    from itamctl.importers.generic import plan_csv
    from itamctl.pipeline import open_registry

    _finish(plan_csv(csv_file, open_registry(registry).registry, mapping, date_order), registry, dry_run, fmt)


@importer.command("xlsx")
@click.argument("xlsx_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sheet", default=None, help="The sheet to read [default: the first].")
@_KIND
@_MAP
@_DATE_ORDER
@registry_option
@click.option("--dry-run", is_flag=True, help="Show what would be written, and its validation, without writing.")
@format_option("text", "json")
def xlsx(xlsx_file: Path, sheet: str | None, kind: str, mapping: tuple[str, ...], date_order: str | None,
         registry: Path, dry_run: bool, fmt: str) -> None:
    """Import assets from a workbook sheet (header rows with merged cells are joined).

    Columns as for `import csv`; lines in the report are the sheet's row numbers.
    """
    from itamctl.importers.generic import plan_xlsx
    from itamctl.pipeline import open_registry

    _finish(plan_xlsx(xlsx_file, open_registry(registry).registry, mapping, date_order, sheet), registry, dry_run,
            fmt)

