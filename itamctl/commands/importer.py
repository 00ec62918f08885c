"""``itamctl import``: bring an existing inventory into the registry."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import emit, format_option, registry_option
from itamctl.errors import EXIT_FINDINGS, EXIT_OK
from itamctl.render import formats

FORMATS = formats("itamctl.importers.writer:ImportReport")

_DRY_RUN = click.option("--dry-run", is_flag=True,
                        help="Show what would be written, and its validation, without writing.")
_FORCE = click.option("--force", is_flag=True,
                      help="Update items the registry already has whose imported fields differ (in place, "
                           "comments kept), and replace a file in the way; without it they are left alone.")
_DATE_ORDER = click.option("--date-order", type=click.Choice(["day-first", "month-first"]), default=None,
                           help="How to read NN/NN/YYYY dates the file leaves ambiguous (03/04/2024).")
_MAP = click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
                    help="Read this column as this field (id, name, serial, purchase.cost, seats, end, "
                         "notice_days, email, ...: the kind's registry fields); repeatable.")
_KIND = click.option("--kind", type=click.Choice(["asset", "license", "contract", "person", "location", "vendor"]),
                     default="asset", show_default=True, help="What each row is.")


def _table_options(func):
    """The options `import csv` and `import xlsx` share (a spreadsheet of one kind, with a column map)."""
    for option in reversed((_KIND, _MAP, _DATE_ORDER, registry_option, _DRY_RUN, _FORCE, format_option(*FORMATS))):
        func = option(func)
    return func


@click.group("import")
def importer() -> None:
    """Create registry files from another tool's export."""


def _finish(plan, registry: Path, dry_run: bool, force: bool, fmt: str) -> None:
    """Write (all or nothing), validate, report; exit 1 when a row cannot be taken or the registry has errors."""
    from itamctl.importers.writer import apply_plan

    report = apply_plan(registry, plan, dry_run=dry_run, force=force)
    emit(report, fmt)
    raise SystemExit(EXIT_OK if report.ok else EXIT_FINDINGS)


@importer.command("snipeit")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", type=click.Choice(["asset", "license", "user", "location", "supplier"]), default=None,
              help="Which Snipe-IT export this is [default: recognised by its header row].")
@_DATE_ORDER
@registry_option
@_DRY_RUN
@_FORCE
@format_option(*FORMATS)
def snipeit(csv_file: Path, kind: str | None, date_order: str | None, registry: Path, dry_run: bool, force: bool,
            fmt: str) -> None:
    """Import a Snipe-IT export (assets, licenses, users, locations or suppliers; CSV).

    Assets become assets/<category>/<tag>.yaml and licenses licenses/<id>.yaml;
    users, locations and suppliers (and the people, locations and vendors rows
    name that the registry lacks) go to people-imported.yaml,
    locations-imported.yaml and vendors-imported.yaml. An item the registry
    already has with the same values is left as it is, so a second import
    changes nothing; one whose values differ is kept unless --force. All or
    nothing: when a row cannot be taken (no tag, a repeat, a secret), nothing
    is written. Settings is not edited: categories it lacks are listed for
    you to add. The registry is validated afterwards and the findings shown.

    Exit status: 0 when every row was imported (or already there) and the
    registry validates, 1 when rows cannot be taken or validation found
    errors, 2 on a usage error or a malformed CSV file.
    """
    from itamctl.importers.snipeit import SNIPEIT_KINDS, plan_snipeit
    from itamctl.pipeline import open_registry

    plan = plan_snipeit(csv_file, open_registry(registry).registry, SNIPEIT_KINDS[kind] if kind else None,
                        date_order=date_order, force=force)
    _finish(plan, registry, dry_run, force, fmt)


@importer.command("csv")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@_table_options
def csv_(csv_file: Path, kind: str, mapping: tuple[str, ...], date_order: str | None, registry: Path,
         dry_run: bool, force: bool, fmt: str) -> None:
    """Import any spreadsheet's CSV export of one kind, with a column map.

    Columns named like the kind's registry fields (serial, purchase.cost,
    warranty.end; seats, end; email, team) or like Snipe-IT's headers are
    recognised; --map "Asset No=id" names the others. Unknown columns become
    x- custom fields. Same files, rules and exit status as `import snipeit`.
    """
    from itamctl.importers.generic import KINDS, plan_csv
    from itamctl.pipeline import open_registry

    plan = plan_csv(csv_file, open_registry(registry).registry, mapping, date_order, KINDS[kind], force=force)
    _finish(plan, registry, dry_run, force, fmt)


@importer.command("xlsx")
@click.argument("xlsx_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sheet", default=None, help="The sheet to read [default: the first].")
@_table_options
def xlsx(xlsx_file: Path, sheet: str | None, kind: str, mapping: tuple[str, ...], date_order: str | None,
         registry: Path, dry_run: bool, force: bool, fmt: str) -> None:
    """Import one kind from a workbook sheet (header rows with merged cells are joined).

    Columns as for `import csv`; lines in the report are the sheet's row numbers.
    """
    from itamctl.importers.generic import KINDS, plan_xlsx
    from itamctl.pipeline import open_registry

    plan = plan_xlsx(xlsx_file, open_registry(registry).registry, mapping, date_order, sheet, KINDS[kind],
                     force=force)
    _finish(plan, registry, dry_run, force, fmt)
