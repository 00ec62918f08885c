"""``itamctl init``: start a registry repository."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import emit, format_option
from itamctl.errors import EXIT_FINDINGS, EXIT_OK
from itamctl.render import formats


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--organization", default="Example Organisation", show_default=True,
              help="Name of the organisation (Settings and the README).")
@click.option("--currency", default="EUR", show_default=True, help="The registry's currency (ISO 4217).")
@click.option("--requirement", default=None, metavar="SPEC",
              help="What requirements.txt installs in CI and for the hook [default: itamctl==<this version>].")
@click.option("--no-git", is_flag=True, help="Do not run git init, even when DIRECTORY is not in a repository.")
@format_option(*formats("itamctl.scaffold:InitReport"))
def init(directory: Path, organization: str, currency: str, requirement: str | None, no_git: bool,
         fmt: str) -> None:
    """Create a registry repository in DIRECTORY (default: here).

    Writes registry/ (Settings and one example of each kind), schemas/ (the
    JSON Schemas the files' modelines point at), .github/workflows/ (pull
    request gate with annotations and cost comment, daily expiry check, site
    on GitHub Pages), site/mkdocs.yml, .pre-commit-config.yaml,
    .vscode/settings.json (schemas for the YAML extension), requirements.txt
    and a README; runs `git init` when DIRECTORY is not in a git repository.

    Existing files are never replaced: they are listed as skipped. The new
    registry is validated at the end; exit status 1 when it has errors (a
    skipped file that does not fit, for example).
    """
    from itamctl.pipeline import open_registry
    from itamctl.scaffold import REGISTRY, InitReport, init_repository

    result = init_repository(directory, date.today(), organization=organization, currency=currency,
                             requirement=requirement, git_init=not no_git)
    checked = open_registry(directory / REGISTRY)
    emit(InitReport(result, checked.diagnostics), fmt)
    raise SystemExit(EXIT_OK if checked.ok else EXIT_FINDINGS)
