"""``itamctl site``: build (or preview) the staff site of the registry."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, at_option, emit, format_option, print_text, registry_option
from itamctl.errors import EXIT_USAGE, FatalError
from itamctl.render import formats


def require_site_builder() -> None:
    """MkDocs and Material for MkDocs come with the ``site`` extra; without them, say how to get them."""
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError as exc:
        raise FatalError(f"the site needs MkDocs and Material for MkDocs, and {exc.name} is not installed; "
                         "install them with: pip install 'itamctl[site]'") from exc


def source_url(registry: Path, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str | None:
    """Where the registry's files are browsed online, from the CI environment; ``None`` outside CI.

    GitHub Actions sets ``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY`` and ``GITHUB_REF_NAME``; the
    registry's folder is taken relative to ``GITHUB_WORKSPACE`` (the checkout), else the working
    directory. A registry outside the checkout gets no links.
    """
    env = os.environ if env is None else env
    server, repo, ref = (env.get(k, "").strip() for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
                                                             "GITHUB_REF_NAME"))
    if not (server and repo and ref):
        return None
    top = Path(env.get("GITHUB_WORKSPACE") or cwd or Path.cwd()).resolve()
    try:
        inside = Path(registry).resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    folder = "" if inside == "." else inside.strip("/") + "/"
    return f"{server.rstrip('/')}/{repo.strip('/')}/blob/{ref}/{folder}"


@click.group("site")
def site() -> None:
    """Build or preview the MkDocs Material site staff browse the registry with."""


@site.command("build")
@registry_option
@at_option
@as_of_option
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=Path("site/build"),
              show_default=True, help="Folder to write the site to (replaced atomically).")
@click.option("--force", is_flag=True, help="Replace --out (and --keep-sources) even if not written by itamctl.")
@click.option("--keep-sources", "keep_sources", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="Also write the generated Markdown and an mkdocs.yml with relative paths "
                                  "into DIR (build them with `mkdocs build` or `zensical build` there).")
@format_option(*formats("itamctl.site.build:BuildResult"))
def build(registry: Path, at: str | None, as_of: date, out: Path, force: bool, keep_sources: Path | None,
          fmt: str) -> None:
    """Render the pages and run a strict `mkdocs build` into --out.

    The same registry at the same --as-of builds byte-identical HTML.
    Needs the `site` extra (pip install 'itamctl[site]').
    """
    require_site_builder()
    from itamctl.site.build import build_site, check_out, keep_sources_in

    if keep_sources is not None and keep_sources.absolute() == out.absolute():
        raise FatalError("--keep-sources must be another folder than --out", exit_code=EXIT_USAGE)
    if keep_sources is not None:
        check_out(keep_sources.absolute(), force)  # before anything is written
    url = source_url(registry)
    result = build_site(registry, out, as_of, force=force, at=at, source_url=url)
    if keep_sources is not None:
        keep_sources_in(registry, as_of, keep_sources, force=force, at=at, source_url=url)
    emit(result, fmt)


@site.command("serve")
@registry_option
@as_of_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve the preview on.")
def serve(registry: Path, as_of: date, dev_addr: str) -> None:
    """Preview the site locally (generated once; rerun to pick up registry changes)."""
    require_site_builder()
    from mkdocs.commands.serve import serve as mkdocs_serve

    from itamctl.site.build import write_sources
    from itamctl.site.mkdocs_build import mkdocs_environment

    with tempfile.TemporaryDirectory(prefix="itamctl-site-") as work:
        config = write_sources(registry, as_of, Path(work), source_url=source_url(registry))
        print_text(f"serving the site of {registry} as of {as_of.isoformat()} on http://{dev_addr}/ (Ctrl-C stops)\n")
        with mkdocs_environment():
            mkdocs_serve(str(config), dev_addr=dev_addr, livereload=False, strict=True)
