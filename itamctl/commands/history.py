"""``itamctl history ID``: every commit that changed an item, with field-level changes."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import emit, format_option, output_options, registry_option
from itamctl.errors import UsageError
from itamctl.history import HistoryReport, registry_history
from itamctl.render import formats


@click.command("history")
@click.argument("item_id", metavar="ID")
@registry_option
@click.option("--rev", "rev", default="HEAD", show_default=True, metavar="REV",
              help="Start from this git revision instead of HEAD.")
@format_option(*formats(HistoryReport))
@output_options
def history(item_id: str, registry: Path, rev: str, fmt: str, output: Path | None, force: bool) -> None:
    """Every commit that changed item ID, newest first, with its field changes.

    Items are matched by id, not by file: the history follows an item across
    renamed files, moves between files and files holding several documents,
    and through an id changed in place. Uncommitted changes are not shown.
    """
    found = registry_history(registry, rev=rev)
    entries = found.of(item_id)
    if not entries:
        raise UsageError(f"no commit reachable from {rev} changed an item with id {item_id!r} in {registry}")
    emit(HistoryReport(item_id, tuple(entries)), fmt, output, force)
