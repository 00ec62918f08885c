"""``itamctl import``: bring an existing inventory into the registry."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import emit, format_option, registry_option, use_colour
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
    from itamctl.importers.render import render_json, render_report
    from itamctl.importers.snipeit import plan_import
    from itamctl.importers.writer import apply_plan
    from itamctl.pipeline import open_registry

    plan = plan_import(csv_file, open_registry(registry).registry)
    report = apply_plan(registry, plan, dry_run=dry_run)
    emit(render_json(report) if fmt == "json" else render_report(report, colour=use_colour()), fmt=fmt)
    raise SystemExit(EXIT_OK if report.ok else EXIT_FINDINGS)
