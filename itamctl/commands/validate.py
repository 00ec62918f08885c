"""``itamctl validate``: schema and cross-file checks."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import at_option, emit, format_option, registry_option, use_colour
from itamctl.errors import EXIT_FINDINGS, EXIT_OK
from itamctl.pipeline import open_registry
from itamctl.render.diagnostics import FORMATS, render


@click.command("validate")
@registry_option
@at_option
@format_option(*FORMATS, auto_github=True)
def validate(registry: Path, at: str | None, fmt: str) -> None:
    """Check every registry file against the schemas and the cross-file rules.

    Exit status: 0 when clean (warnings allowed), 1 when any error is found,
    2 on a usage error.
    """
    checked = open_registry(registry, at=at)
    emit(render(fmt, checked.diagnostics, files=len(checked.registry.files), colour=use_colour()), fmt=fmt)
    raise SystemExit(EXIT_OK if checked.ok else EXIT_FINDINGS)
