"""``itamctl diff``: what a change does to the registry and what it costs."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, emit, format_option, output_options, registry_option
from itamctl.diff import diff_registries
from itamctl.gitrepo import Repository
from itamctl.loader import display_path
from itamctl.model import Registry, Settings
from itamctl.render.diff import FORMATS, render
from itamctl.validate import open_registry


def _registry_at(repo: Repository, rev: str, registry: Path, dest: Path) -> Registry:
    folder = repo.relative(registry)
    dest.mkdir(parents=True)
    if not repo.export(rev, folder, dest):
        return Registry(root=dest, settings=Settings())  # the registry did not exist yet
    return open_registry(dest).registry


@click.command("diff")
@registry_option
@click.option("--base", default="HEAD", show_default=True, help="Git revision to compare from.")
@click.option("--head", default=None, help="Git revision to compare to [default: the working tree].")
@as_of_option
@format_option(*FORMATS)
@output_options
def diff(registry: Path, base: str, head: str | None, as_of: date, fmt: str,
         output: Path | None, force: bool) -> None:
    """Items added, removed and changed between two revisions, with their cost impact.

    Capital is the purchase cost of assets; recurring is what licenses and
    contracts pay in the twelve months from --as-of. Use --format markdown for
    a pull-request comment, e.g. `itamctl diff --base origin/main`.
    """
    repo = Repository(registry)
    with tempfile.TemporaryDirectory(prefix="itamctl-diff-") as tmp:
        old = _registry_at(repo, base, registry, Path(tmp) / "base")
        new = _registry_at(repo, head, registry, Path(tmp) / "head") if head else open_registry(registry).registry
        report = diff_registries(old, new, as_of, base_name=base, head_name=head or "working tree",
                                 shown_root=display_path(registry))
    emit(render(fmt, report), output, force)
