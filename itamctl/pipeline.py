"""The pipeline: load -> schema -> model -> validation rules (``validate``) -> policy rules (``check``).

Every command gets its registry from here: :func:`open_registry` (everything
validation found), :func:`load_valid_registry` (refuses a registry with
errors) or :func:`run_check` (validation and policy in one report).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import ParamSpec, TypeVar

from itamctl.cache import FileCache
from itamctl.cache import enabled as cache_enabled
from itamctl.diagnostics import Diagnostic, Severity, counts, one_line, sorted_diagnostics
from itamctl.errors import EXIT_USAGE, FatalError
from itamctl.gitrepo import Repository, Snapshot
from itamctl.loader import (
    MAX_FILE_BYTES,
    LoadResult,
    display_path,
    file_limit,
    is_registry_path,
    load_blobs,
    load_registry,
    parse_text,
)
from itamctl.model import Registry, Settings, build_registry
from itamctl.rules import run_policy, run_validation
from itamctl.schema import SchemaValidator
from itamctl.tracking.events import Event, registry_events

P = ParamSpec("P")
R = TypeVar("R")


def _without_gc(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with the cyclic garbage collector off.

    Loading creates millions of small objects and no cycles; the collector
    walking them again and again made model building slower per asset as the
    registry grew (load + schema 22-26% faster without it, measured at 5k-50k).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@dataclass(frozen=True)
class Checked:
    """A registry and everything validation found about it."""

    registry: Registry
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def to_json(self) -> dict:
        """The report of ``itamctl validate``: every diagnostic and the counts."""
        return diagnostics_json(self.diagnostics, len(self.registry.files))


def diagnostics_json(diagnostics: Sequence[Diagnostic], files: int) -> dict:
    return {"diagnostics": [d.to_json() for d in diagnostics], "summary": {**counts(diagnostics), "files": files}}


@_without_gc
def open_registry(root: Path, *, extra: Sequence[tuple[str, str]] = (), at: str | None = None) -> Checked:
    """Load and validate the registry at ``root``; problems are diagnostics.

    ``extra`` holds (file, text) pairs validated as if they were files of the
    registry already: what a write command is about to add or replace (a dry
    run, or the check before an edit is written).
    ``at`` reads the registry as it was at that git revision, straight from
    git's objects (files keep the names they have in the working tree).
    Raises :class:`FatalError` only when there is no registry to read at all.
    """
    if at is not None:
        snapshot = registry_snapshot(root, at)
        if snapshot is None:
            raise FatalError(f"registry folder {display_path(root)} does not exist at {at}", exit_code=EXIT_USAGE)
        return open_snapshot(root, snapshot)
    if not root.exists():
        raise FatalError(
            f"registry folder not found: {display_path(root)} "
            "(pass --registry PATH or run from the folder that holds registry/)",
            exit_code=EXIT_USAGE,
        )
    if not root.is_dir():
        raise FatalError(f"not a folder: {display_path(root)}", exit_code=EXIT_USAGE)
    validator = SchemaValidator(root)
    cache = FileCache(root, validator.schemas) if cache_enabled() else None
    loaded = load_registry(root, cache=cache)
    for file, text in extra:
        if file in loaded.files:  # a file about to be replaced: its new text stands for it
            loaded.documents = [d for d in loaded.documents if d.file != file]
            loaded.diagnostics = [d for d in loaded.diagnostics if d.file != file]
            loaded.files.remove(file)
        documents, problems = parse_text(text, file)
        loaded.documents.extend(documents)
        loaded.diagnostics.extend(problems)
        loaded.files.append(file)
    checked = _check(root, loaded, validator, cache)
    if cache is not None:
        cache.save()
    return checked


def _wanted(rel: PurePosixPath) -> bool:
    """Files of a revision the pipeline reads: registry YAML and schema extensions."""
    return is_registry_path(rel) or (len(rel.parts) == 2 and rel.parts[0] == "schemas"
                                     and rel.name.endswith(".schema.json"))


def registry_snapshot(root: Path, rev: str, max_file_bytes: int = MAX_FILE_BYTES) -> Snapshot | None:
    """The registry folder ``root``'s files at git revision ``rev``; None if it did not exist there."""
    repo = Repository(root)
    return repo.files_at(rev, repo.relative(root), _wanted, max_file_bytes=max_file_bytes)


@_without_gc
def open_snapshot(root: Path, snapshot: Snapshot) -> Checked:
    """Validate the files of ``snapshot`` as the registry at ``root``."""
    extensions = tuple((display_path(root / b.path), b.data or b"") for b in snapshot.files
                       if b.path.startswith("schemas/") and b.path.endswith(".schema.json"))
    loaded = load_blobs(root, ((b.path, b.size, b.data) for b in snapshot.files), snapshot.links)
    limit = file_limit(loaded.documents)
    if limit != MAX_FILE_BYTES and any(b.data is None for b in snapshot.files):
        again = registry_snapshot(root, snapshot.commit, limit)
        snapshot = replace(again, revision=snapshot.revision) if again else snapshot
        loaded = load_blobs(root, ((b.path, b.size, b.data) for b in snapshot.files), snapshot.links, limit)
    checked = _check(root, loaded, SchemaValidator(root, extensions))
    registry = replace(checked.registry, schema_extensions=extensions, revision=snapshot.revision)
    return Checked(registry, checked.diagnostics)


def empty_registry(root: Path, revision: str | None = None) -> Registry:
    """A registry with nothing in it (a revision before the registry existed)."""
    return Registry(root=root, settings=Settings(), schema_extensions=(), revision=revision)


def _check(root: Path, loaded: LoadResult, validator: SchemaValidator, cache: FileCache | None = None) -> Checked:
    diagnostics = list(loaded.diagnostics)
    if not loaded.files:
        diagnostics.append(Diagnostic(
            display_path(root), None, None, "registry_empty", Severity.ERROR,
            "no *.yaml or *.yml files in the registry folder",
        ))
    valid, found = validator.validate_all(loaded.documents, cache)
    diagnostics.extend(found)
    registry, found = build_registry(root, valid, loaded.documents, loaded.files)
    diagnostics.extend(found)
    diagnostics.extend(run_validation(registry))
    return Checked(registry, tuple(sorted_diagnostics(diagnostics)))


def load_valid_registry(root: Path, *, limit: int = 10, at: str | None = None) -> Registry:
    """The registry for a report command; refuses (with file:line) when validation fails.

    Reports computed from a registry with errors could be silently wrong, so
    commands other than ``validate`` and ``check`` stop and point at the errors.
    """
    return valid_or_fail(open_registry(root, at=at), limit=limit)


def valid_or_fail(checked: Checked, *, limit: int = 10, side: str | None = None) -> Registry:
    """``checked``'s registry if it has no errors; else a FatalError (exit 1) listing them by file:line."""
    if checked.ok:
        return checked.registry
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    shown = "\n".join(
        f"  {one_line(d)}" for d in errors[:limit]
    )
    more = f"\n  ... and {len(errors) - limit} more" if len(errors) > limit else ""
    at = f" at {checked.registry.revision}" if checked.registry.revision else ""
    which = f"{side}: " if side else ""
    raise FatalError(
        f"{which}the registry{at} has {len(errors)} validation error(s); "
        "run `itamctl validate` and fix them first:\n"
        f"{shown}{more}",
        exit_code=1,
    )


@dataclass(frozen=True)
class CheckReport:
    as_of: date
    registry: Registry
    diagnostics: tuple[Diagnostic, ...]  # validation and policy, sorted by file and line
    events: tuple[Event, ...]

    @property
    def files(self) -> int:
        return len(self.registry.files)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def upcoming(self) -> tuple[Event, ...]:
        """Events within their lead times (``due``), soonest first."""
        return tuple(e for e in self.events if e.status == "due")

    def to_json(self) -> dict:
        """The report of ``itamctl check``: diagnostics, counts, the as-of date and the upcoming events."""
        return {**diagnostics_json(self.diagnostics, self.files), "as_of": self.as_of.isoformat(),
                "upcoming": [e.to_json() for e in self.upcoming]}


def run_check(root: Path, as_of: date, *, at: str | None = None) -> CheckReport:
    """Validate the registry at ``root`` and apply the policy rules to what is valid."""
    checked = open_registry(root, at=at)
    registry = checked.registry
    diagnostics = sorted_diagnostics([*checked.diagnostics, *run_policy(registry, as_of)])
    return CheckReport(as_of, registry, tuple(diagnostics), tuple(registry_events(registry, as_of)))
