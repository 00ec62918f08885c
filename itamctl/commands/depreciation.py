"""``itamctl depreciation ID``: an asset's depreciation schedule per fiscal year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, output_options, registry_option
from itamctl.errors import UsageError
from itamctl.finance.schedule_report import ScheduleView, schedule_view
from itamctl.model import Asset
from itamctl.pipeline import load_valid_registry
from itamctl.render import formats


@click.command("depreciation")
@click.argument("asset_id", metavar="ID")
@registry_option
@at_option
@as_of_option
@format_option(*formats(ScheduleView))
@output_options
def depreciation(asset_id: str, registry: Path, at: str | None, as_of: date, fmt: str,
                 output: Path | None, force: bool) -> None:
    """The depreciation schedule of asset ID per fiscal year, with its book value as of a date."""
    reg = load_valid_registry(registry, at=at)
    asset = reg.get(asset_id)
    if not isinstance(asset, Asset):
        kind = reg.known_ids.get(asset_id)
        raise UsageError(f"{asset_id}: that is a {kind}, not an Asset" if kind
                         else f"{asset_id}: no asset with this id in {reg.root}")
    emit(schedule_view(asset, reg.settings, as_of), fmt, output, force)
