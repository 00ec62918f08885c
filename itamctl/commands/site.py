"""``itamctl site``: build (or preview) the staff site of the registry."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, registry_option


@click.group("site")
def site() -> None:
    """Build or preview the MkDocs Material site staff browse the registry with."""


@site.command("build")
@registry_option
@at_option
@as_of_option
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=Path("site/build"),
              show_default=True, help="Folder to write the site to (replaced atomically).")
@click.option("--force", is_flag=True, help="Replace --out even if it was not built by itamctl.")
@format_option("text", "json")
def build(registry: Path, at: str | None, as_of: date, out: Path, force: bool, fmt: str) -> None:
    """Render the pages and run a strict `mkdocs build` into --out.

    The same registry at the same --as-of builds byte-identical HTML.
    """
    from itamctl.site.build import build_site

    result = build_site(registry, out, as_of, force=force, at=at)
    if fmt == "json":
        summary = {"out": str(result.out), "as_of": as_of.isoformat(), "pages": result.pages, "assets": result.assets}
        emit(json.dumps(summary, indent=2) + "\n", fmt="json")
    else:
        emit(f"built {result.pages} pages ({result.assets} assets) as of {as_of.isoformat()} into {result.out}\n")


@site.command("serve")
@registry_option
@as_of_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve the preview on.")
def serve(registry: Path, as_of: date, dev_addr: str) -> None:
    """Preview the site locally (generated once; rerun to pick up registry changes)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from itamctl.site.build import write_sources
    from itamctl.site.mkdocs_build import mkdocs_environment

    with tempfile.TemporaryDirectory(prefix="itamctl-site-") as work:
        config = write_sources(registry, as_of, Path(work))
        emit(f"serving the site of {registry} as of {as_of.isoformat()} on http://{dev_addr}/ (Ctrl-C stops)\n")
        with mkdocs_environment():
            mkdocs_serve(str(config), dev_addr=dev_addr, livereload=False, strict=True)
