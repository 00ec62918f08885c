"""``itamctl check``: the policy gate for CI (validation and policy rules in one run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, output_options, registry_option
from itamctl.errors import EXIT_FINDINGS, EXIT_OK
from itamctl.fileio import append_text
from itamctl.pipeline import CheckReport, run_check
from itamctl.render import formats, render
from itamctl.render.escape import for_channel
from itamctl.rules import policy_rules


def _append(path: Path, text: str) -> None:
    """Append the Markdown report to ``path`` (created if missing): the one write meant to add to a file."""
    append_text(path, for_channel(text if text.endswith("\n") else text + "\n", "markdown"))


def _help() -> str:
    """The help text; the rule list comes from the rule registry."""
    rules = ", ".join(r.id for r in policy_rules())
    return (
        "Validate the registry, then apply the policy rules: the CI gate.\n\n"
        f"Policy rules (severity from Settings policy: error, warning or off): {rules}. "
        "Retired and disposed assets are exempt; a running warranty_extension contract "
        "extends an asset's warranty; an item's waivers suppress a rule through their "
        "`until` date. docs/rules.md describes every rule.\n\n"
        "Exit status: 0 when no error-severity finding remains (or --exit-zero), "
        "1 otherwise, 2 on a usage error."
    )


@click.command("check", help=_help())
@registry_option
@at_option
@as_of_option
@format_option(*formats(CheckReport), auto_github=True)
@click.option("--summary", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Also append the Markdown report to FILE (e.g. \"$GITHUB_STEP_SUMMARY\").")
@click.option("--exit-zero", is_flag=True, help="Report findings but exit 0 (for demos and reports).")
@output_options
def check(registry: Path, at: str | None, as_of: date, fmt: str, summary: Path | None, exit_zero: bool,
          output: Path | None, force: bool) -> None:
    report = run_check(registry, as_of, at=at)
    if summary is not None:
        _append(summary, render(report, "markdown"))
    emit(report, fmt, output, force)
    raise SystemExit(EXIT_OK if exit_zero or not report.failed else EXIT_FINDINGS)
