"""``itamctl expiries``: warranties, licenses, contracts, notice deadlines, end of life and audits by date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, output_options, registry_option
from itamctl.pipeline import load_valid_registry
from itamctl.render import formats
from itamctl.render.expiries import row_cells
from itamctl.tracking.events import EVENT_TYPES, ITEM_KINDS, STATUSES, ExpiriesReport, expiries_report


@click.command("expiries")
@registry_option
@at_option
@as_of_option
@click.option("--within", type=click.IntRange(min=0), metavar="DAYS", default=None,
              help="Only events at most DAYS ahead (expired ones included).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice((*ITEM_KINDS, *EVENT_TYPES)),
              help="Only these item kinds and/or event types (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only events with this status (repeatable).")
@click.option("--all", "show_all", is_flag=True,
              help="Also list closed items: ended licenses and contracts with renewal: none (nothing to do).")
@format_option(*formats(ExpiriesReport))
@output_options
def expiries(registry: Path, at: str | None, as_of: date, within: int | None, kinds: tuple[str, ...],
             statuses: tuple[str, ...], show_all: bool, fmt: str, output: Path | None, force: bool) -> None:
    """List what expires, renews or falls due, soonest first.

    Events: warranty_end, license_end, contract_end, renewal (the end of the
    current term of an auto-renewing item), cancel_by (end - notice_days),
    end_of_life and audit_due. Each is expired, due (within a lead time from
    alerts.days) or later; a waived one says so (rule, until, reason). Closed
    items (an ended license or contract with renewal: none, nothing assigned)
    are left out unless --all or --status closed. --format ics writes an RFC
    5545 calendar of what is ahead and the last 30 days, with a reminder at
    each lead time (none on a past event).
    """
    reg = load_valid_registry(registry, at=at)
    # text and Markdown list each event's cells: kept by chunk of files (the events themselves are not shown)
    report = expiries_report(
        reg, as_of, within=within, kinds=[k for k in kinds if k in ITEM_KINDS],
        event_types=[k for k in kinds if k in EVENT_TYPES], statuses=statuses, include_closed=show_all,
        cells=row_cells if fmt in ("text", "markdown") else None,
    )
    emit(report, fmt, output, force)
