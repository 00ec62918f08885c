"""``itamctl validate``: schema and cross-file checks."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import at_option, emit, format_option, output_options, registry_option
from itamctl.errors import EXIT_FINDINGS, EXIT_OK
from itamctl.pipeline import Checked, open_registry
from itamctl.render import formats


@click.command("validate")
@registry_option
@at_option
@format_option(*formats(Checked), auto_github=True)
@output_options
def validate(registry: Path, at: str | None, fmt: str, output: Path | None, force: bool) -> None:
    """Check every registry file against the schemas and the cross-file rules.

    Exit status: 0 when clean (warnings allowed), 1 when any error is found,
    2 on a usage error.
    """
    checked = open_registry(registry, at=at)
    emit(checked, fmt, output, force)
    raise SystemExit(EXIT_OK if checked.ok else EXIT_FINDINGS)
