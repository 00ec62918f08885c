"""``itamctl costs``: cost, depreciation, book value and TCO per asset, with totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, output_options, registry_option
from itamctl.errors import UsageError
from itamctl.finance.costs import GROUP_KEYS, CostsReport, costs_report, select_assets
from itamctl.pipeline import load_valid_registry
from itamctl.render import formats
from itamctl.render.costs import row_cells


@click.command("costs")
@registry_option
@at_option
@as_of_option
@click.option("--id", "ids", multiple=True, metavar="ID", help="Only this asset (repeatable).")
@click.option("--by", type=click.Choice(tuple(GROUP_KEYS)), default=None,
              help="Also total the assets per category, cost center, location or purchase vendor.")
@format_option(*formats(CostsReport))
@output_options
def costs(registry: Path, at: str | None, as_of: date, ids: tuple[str, ...], by: str | None, fmt: str,
          output: Path | None, force: bool) -> None:
    """What each asset cost, what it is worth and what it has cost in all, as of a date.

    Per asset: purchase cost, accumulated depreciation, book value,
    maintenance, its share of covering contracts, its per-seat licenses,
    disposal and the total cost of ownership (TCO), in the report currency.
    """
    reg = load_valid_registry(registry, at=at)
    try:
        select_assets(reg, ids)
    except KeyError as exc:
        raise UsageError(_unknown(reg, exc.args[0])) from None
    # text and Markdown list each asset's cells: kept by chunk of files (the figures themselves are not shown)
    cells = row_cells if fmt in ("text", "markdown") else None
    emit(costs_report(reg, as_of, ids=ids, by=by, cells=cells), fmt, output, force)


def _unknown(reg, item_id: str) -> str:
    kind = reg.known_ids.get(item_id)
    if kind is not None:
        return f"--id {item_id}: that is a {kind}, not an Asset"
    return f"--id {item_id}: no asset with this id in {reg.root}"
