"""``itamctl budget``: the multi-year budget forecast per fiscal year, with actuals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.budget import BY_CHOICES, budget_report
from itamctl.budget.report import BudgetReport
from itamctl.commands._options import as_of_option, at_option, emit, format_option, output_options, registry_option
from itamctl.pipeline import load_valid_registry
from itamctl.render import formats


@click.command("budget")
@registry_option
@at_option
@as_of_option
@click.option("--years", type=click.IntRange(1, 30), default=3, show_default=True,
              help="Fiscal years to forecast, from the first one that begins on or after --as-of.")
@click.option("--history", type=click.IntRange(0, 30), default=3, show_default=True,
              help="Past fiscal years of actual spending to show before the forecast.")
@click.option("--by", "by", type=click.Choice(BY_CHOICES), default="kind", show_default=True,
              help="Group each year's lines by this.")
@click.option("--lines", "show_lines", is_flag=True, help="text/markdown: list every line of every year.")
@format_option(*formats(BudgetReport))
@output_options
def budget(registry: Path, at: str | None, as_of: date, years: int, history: int, by: str, show_lines: bool,
           fmt: str, output: Path | None, force: bool) -> None:
    """Forecast the budget that keeps today's service levels, beside past actuals.

    Lines per forecast year: asset replacements at end of life (and planned
    purchases), license and contract payments through renewals (manual ones
    flagged "needs decision"), and maintenance at the last 12 months' spend
    times the service level's factor.
    """
    # text and Markdown show each year's sums and a few lines (unless --lines): the lines summed by chunk
    report = budget_report(load_valid_registry(registry, at=at), as_of, years=years, history=history, by=by,
                           lines=show_lines or fmt not in ("text", "markdown"))
    emit(report, fmt, output, force, lines=show_lines)
