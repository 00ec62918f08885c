"""``itamctl diff``: what a change does to the registry and what it costs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from itamctl.commands._options import (
    amount_callback,
    as_of_option,
    emit,
    format_option,
    output_options,
    registry_option,
)
from itamctl.diagnostics import Severity
from itamctl.diff import DiffReport, diff_registries, findings
from itamctl.errors import EXIT_FINDINGS, UsageError
from itamctl.pipeline import (
    Checked,
    empty_registry,
    open_registry,
    open_revision,
    shared_files,
    valid_or_fail,
)
from itamctl.render import formats
from itamctl.render.numbers import amount


def _side(registry: Path, rev: str | None, label: str) -> Checked:
    """One side, validated: a revision (empty if the registry did not exist there) or the working tree."""
    if rev is None:
        return open_registry(registry)
    checked = open_revision(registry, rev)
    return Checked(empty_registry(registry, rev), ()) if checked is None else checked




def _over(report: DiffReport, limit: Decimal) -> list[str]:
    reasons = []
    for name, label in (("purchase_cost", "capital (purchase cost)"), ("recurring_12m", "recurring (12 months)")):
        delta = report.totals[name].delta
        if delta > limit:
            reasons.append(f"{label} grows by {amount(delta)} {report.currency}")
    return reasons


@click.command("diff")
@registry_option
@click.option("--base", default="HEAD", show_default=True, metavar="REV", help="Git revision to compare from.")
@click.option("--head", default=None, metavar="REV", help="Git revision to compare to [default: the working tree].")
@as_of_option
@click.option("--fail-above", "fail_above", default=None, metavar="AMOUNT", callback=amount_callback,
              help="Exit 1 when the capital or the recurring figure grows by more than AMOUNT "
                   "(report currency), so that expensive changes need approval.")
@format_option(*formats(DiffReport))
@output_options
def diff(registry: Path, base: str, head: str | None, as_of: date, fail_above: Decimal | None, fmt: str,
         output: Path | None, force: bool) -> None:
    """Items added, removed and changed between two revisions, with their cost impact.

    Both sides are validated: a side with validation errors stops the
    comparison and lists them by file and line. Figures: purchase cost,
    book value and TCO of assets, what licenses and contracts pay in the
    twelve months from --as-of, the budget per fiscal year, and the findings
    a change introduces or resolves. --format markdown writes a pull-request
    comment (it starts with the marker <!-- itamctl-diff -->), e.g.
    `itamctl diff --base origin/main --format markdown`.
    """
    if registry.exists() and not registry.is_dir():
        raise UsageError(f"--registry {registry} is a file, not the registry folder")
    sides = []
    with shared_files():  # the sides share the documents, items and item facts of the files they have in common
        for rev, label in ((base, "base"), (head, "head")):
            checked = _side(registry, rev, label)
            name = f"{label} ({rev or 'working tree'})"
            reg = valid_or_fail(checked, side=name) if checked.registry.files else checked.registry
            warnings = tuple(d for d in checked.diagnostics if d.severity is not Severity.ERROR)
            sides.append((reg, findings(reg, warnings, as_of)))
        (old, old_findings), (new, new_findings) = sides
        report = diff_registries(old, new, as_of, base_name=base, head_name=head or "working tree",
                                 base_findings=old_findings, head_findings=new_findings)
    emit(report, fmt, output, force)
    if fail_above is not None:
        reasons = _over(report, fail_above)
        if reasons:
            click.echo(f"itamctl: {'; '.join(reasons)}: above --fail-above {amount(fail_above)}", err=True)
            raise SystemExit(EXIT_FINDINGS)
