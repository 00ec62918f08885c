"""Building the site: generated Markdown → a strict ``mkdocs build`` → swapped into place.

The pages are written to a fresh temporary folder beside the output, MkDocs
builds there, and the result replaces the output folder in two renames, so a
failed build never leaves a half-written site. The output carries a marker
file; a non-empty folder without it is not ours and is only replaced with
``force``.

A large registry's item pages are rendered first (they need only the cost
report) and shared out to MkDocs builds in other processes
(:mod:`itamctl.site.shards`) while this one computes the other reports, writes
the section pages and builds them; the output is the same as one build's.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from itamctl.errors import FatalError
from itamctl.fileio import make_folder, new_folder_beside
from itamctl.model import Registry
from itamctl.pipeline import load_valid_registry
from itamctl.site import shards
from itamctl.site.context import SiteContext, add_reports, gather
from itamctl.site.mkdocs_build import run_mkdocs
from itamctl.site.pages import ITEM_REPORTS, SECTIONS, downloads, item_pages, schema_files, section_pages
from itamctl.site.reports import COLLECTORS

MARKER = ".itamctl-site"


def base_dir() -> Path:
    """``site/`` of the source tree (or its copy shipped in the package)."""
    packaged = Path(__file__).resolve().parent.parent / "_data" / "site"
    if (packaged / "mkdocs.yml").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "site"


@dataclass(frozen=True)
class BuildResult:
    """The report of ``itamctl site build``: where the site went, as of when, how many pages and assets."""

    out: Path
    pages: int
    assets: int
    as_of: date

    def to_json(self) -> dict:
        return {"out": str(self.out), "as_of": self.as_of.isoformat(), "pages": self.pages, "assets": self.assets}


def write_files(root: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write ``(path, text)`` pairs under ``root``; returns how many."""
    made: set[Path] = set()
    count = 0
    for rel, text in files:
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        count += 1
    return count


def _items(registry_root: Path, as_of: date, at: str | None = None, source_url: str | None = None,
           ) -> tuple[Registry, SiteContext, list[tuple[str, str]]]:
    """Load the registry (at git revision ``at``) and render the item pages (they need only :data:`ITEM_REPORTS`)."""
    registry = load_valid_registry(registry_root, at=at)
    # Settings `source_url` wins over what the CLI found in the CI environment.
    ctx = gather(registry, as_of, with_reports=False, source_url=registry.settings.source_url or source_url)
    add_reports(ctx, registry, ITEM_REPORTS)
    return registry, ctx, list(item_pages(ctx))


def _sections(registry: Registry, ctx: SiteContext, docs: Path) -> int:
    """Compute the other reports; write the section pages and the downloads. Returns the number of pages."""
    add_reports(ctx, registry, [name for name in COLLECTORS if name not in ITEM_REPORTS])
    write_files(docs, [*downloads(ctx), *schema_files()])
    return write_files(docs, section_pages(ctx, registry.root, registry.schema_extensions))


def write_docs(registry_root: Path, as_of: date, work: Path, at: str | None = None,
               source_url: str | None = None) -> tuple[Path, int, int, str]:
    """Render every page and file into ``work/docs``; returns (docs dir, pages, assets, site name)."""
    registry, ctx, items = _items(registry_root, as_of, at, source_url)
    docs = work / "docs"
    _base_files(docs)
    count = write_files(docs, items) + _sections(registry, ctx, docs)
    return docs, count, len(ctx.assets), ctx.organization


def _base_files(docs: Path) -> None:
    """The site's static files, and the JSON Schemas under ``schemas/`` (as in the repository, bundles too)."""
    from itamctl.schema import builtin_schema_dir

    shutil.copytree(base_dir() / "docs", docs)
    shutil.copytree(builtin_schema_dir(), docs / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))


def repository_config(registry_root: Path | None) -> Path | None:
    """The registry repository's own ``site/mkdocs.yml`` (beside ``registry/``, as ``itamctl init`` writes it)."""
    if registry_root is None:
        return None
    candidate = Path(registry_root).resolve().parent / "site" / "mkdocs.yml"
    return candidate if candidate.is_file() else None


class _Tagged:
    """A value under a tag plain YAML does not know (``!ENV``, ``!!python/name:...``), kept for MkDocs to read."""

    def __init__(self, tag: str, value: object, style: str) -> None:
        self.tag, self.value, self.style = tag, value, style


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.MappingNode):
        return _Tagged(node.tag, loader.construct_mapping(node, deep=True), "mapping")
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True), "sequence")
    return _Tagged(node.tag, loader.construct_scalar(node), "scalar")


def _represent_tagged(dumper: yaml.SafeDumper, value: _Tagged) -> yaml.Node:
    if value.style == "mapping":
        return dumper.represent_mapping(value.tag, value.value)
    if value.style == "sequence":
        return dumper.represent_sequence(value.tag, value.value)
    return dumper.represent_scalar(value.tag, value.value)


_ConfigLoader.add_multi_constructor("!", _tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
_ConfigDumper.add_representer(_Tagged, _represent_tagged)


def base_config(registry_root: Path | None = None) -> dict:
    """The MkDocs configuration: the repository's ``site/mkdocs.yml`` when there is one, else the built-in one.

    A team customises its site there (theme, palette, navigation, extra CSS,
    ``site_url``, Markdown extensions); the build sets ``site_name`` (Settings
    ``organization``), ``docs_dir`` and ``site_dir``. Tags MkDocs understands
    (``!ENV``, ``!!python/name:``) are passed through to MkDocs unchanged; a
    relative ``theme.custom_dir`` or ``hooks`` entry is taken from the file's folder.
    """
    path = repository_config(registry_root) or base_dir() / "mkdocs.yml"
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise FatalError(f"{where}: cannot read the site configuration: {getattr(exc, 'problem', None) or exc}",
                         exit_code=2) from None
    if not isinstance(config, dict):
        raise FatalError(f"{path}: the site configuration must be a YAML mapping (site_name:, theme:, ...)",
                         exit_code=2)
    folder = path.parent
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str((folder / theme["custom_dir"]).resolve())
    if isinstance(config.get("hooks"), list):
        config["hooks"] = [str((folder / h).resolve()) if isinstance(h, str) else h for h in config["hooks"]]
    return config


def write_config(work: Path, docs: Path, site_dir: Path, site_name: str, registry_root: Path | None = None) -> Path:
    config = base_config(registry_root)
    # MkDocs puts site_name into the HTML without escaping it.
    config["site_name"] = html.escape(" ".join(site_name.split()), quote=True)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site_dir)
    path = work / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _ours_or_empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and (not any(path.iterdir()) or (path / MARKER).is_file()))


def check_out(out: Path, force: bool) -> None:
    """Refuse ``out`` unless it is a folder (or can be created as one) that is empty or was built by itamctl."""
    if (out.exists() or out.is_symlink()) and not out.is_dir():
        raise FatalError(f"{out} exists and is not a folder (a file, a device, a FIFO or a broken link)",
                         exit_code=2)
    above = out.parent
    while not (above.exists() or above.is_symlink()):
        above = above.parent
    if not above.is_dir():
        raise FatalError(f"cannot create {out}: {above} is not a folder", exit_code=2)
    if not force and not _ours_or_empty(out):
        raise FatalError(
            f"{out} is not empty and was not built by itamctl (no {MARKER} in it); "
            "pass --force to replace it", exit_code=2,
        )


def build_site(registry_root: Path, out: Path, as_of: date, *, force: bool = False,
               jobs: int | None = None, at: str | None = None, source_url: str | None = None) -> BuildResult:
    """Build the site of the registry at ``registry_root`` as of ``as_of`` into ``out``.

    ``source_url``: where the registry's files are browsed online (each item page links its file there);
    the CLI takes it from the CI environment (:func:`itamctl.commands.site.source_url`).

    ``jobs``: how many MkDocs processes share the item pages (:mod:`itamctl.site.shards`); by default
    one per CPU (up to 4) on a large registry, one on a small one. The output is the same either way.
    """
    out = Path(out).absolute()
    check_out(out, force)
    make_folder(out.parent)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        registry, ctx, items = _items(registry_root, as_of, at, source_url)
        docs, built = work / "docs", work / "site"
        _base_files(docs)

        def config_of(folder: Path, docs: Path, site: Path) -> Path:
            return write_config(folder, docs, site, ctx.organization, registry_root)

        sections = [f"{name}.md" for name in SECTIONS]
        if base_config(registry_root).get("site_url"):
            jobs = 1  # the sitemap lists every page: only a single build writes it whole
        with shards.item_builds(items, docs, work, sections, jobs, config_of, write_files) as workers:
            count = len(items) + _sections(registry, ctx, docs)
            run_mkdocs(config_of(work, docs, built))
            shards.finish(workers, built)
        (built / MARKER).write_text("built by itamctl site build\n", encoding="utf-8")
        swap(built, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(out, count, len(ctx.assets), as_of)


def swap(built: Path, out: Path) -> None:
    """Replace ``out`` with ``built``: two renames, the old site removed afterwards."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(built, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_sources(registry_root: Path, as_of: date, work: Path, at: str | None = None,
                  source_url: str | None = None) -> Path:
    """The generated Markdown in ``work/docs`` and its ``mkdocs.yml``; returns the config file.

    The config names ``docs`` and ``site`` relative to itself (MkDocs and Zensical
    resolve them from the config's folder), so the folder can be moved or kept.
    """
    _, _, _, name = write_docs(registry_root, as_of, work, at, source_url)
    return write_config(work, Path("docs"), Path("site"), name, registry_root)


def keep_sources_in(registry_root: Path, as_of: date, folder: Path, *, force: bool = False,
                    at: str | None = None, source_url: str | None = None) -> Path:
    """``site build --keep-sources``: the sources written to a new folder, then swapped in as ``folder``."""
    folder = Path(folder).absolute()
    check_out(folder, force)
    make_folder(folder.parent)
    work = new_folder_beside(folder, "sources")  # swapped in as the folder: the umask's mode, not mkdtemp's 0700
    try:
        write_sources(registry_root, as_of, work, at, source_url)
        (work / MARKER).write_text("written by itamctl site build --keep-sources\n", encoding="utf-8")
        swap(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder / "mkdocs.yml"
