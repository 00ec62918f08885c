"""The pipeline: load -> schema -> model -> validation rules (``validate``) -> policy rules (``check``).

Every command gets its registry from here: :func:`open_registry` (everything
validation found), :func:`load_valid_registry` (refuses a registry with
errors) or :func:`run_check` (validation and policy in one report).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from itamctl import forked, itempack, prelist
from itamctl.cache import FileCache, blob_id, dump_entry, load_entry
from itamctl.cache import enabled as cache_enabled
from itamctl.cache import salt as cache_salt
from itamctl.diagnostics import Diagnostic, Severity, counts, one_line, sorted_diagnostics
from itamctl.errors import EXIT_USAGE, FatalError
from itamctl.loader import (
    MAX_FILE_BYTES,
    Document,
    LoadResult,
    display_inside,
    display_namer,
    display_path,
    file_limit,
    is_registry_path,
    load_bytes,
    parse_text,
    read_file,
    registry_files,
    too_large,
)
from itamctl.model import Registry, Settings, build_registry
from itamctl.rules import run_policy, run_validation
from itamctl.schema import SchemaValidator
from itamctl.sharing import sharing

if TYPE_CHECKING:
    from itamctl.gitrepo import Snapshot
    from itamctl.tracking.events import Event

P = ParamSpec("P")
R = TypeVar("R")

#: What the pipeline computes for one file, and what the cache keeps:
#: its documents, its loader findings and each document's schema findings.
Entry = tuple[list[Document], list[Diagnostic], list[list[Diagnostic]]]

#: From this many files to parse, the work is shared out between processes (one a core, at most
#: :data:`MAX_JOBS`); below it one process is faster (no start-up, nothing to send back).
POOL_MIN_FILES = 1000
MAX_JOBS = 4
#: ``ITAMCTL_JOBS=N`` sets the number of processes (1: never fork), whatever the number of files.
JOBS_VARIABLE = "ITAMCTL_JOBS"


_freeze_loaded = False


def freeze_after_load(on: bool) -> None:
    """Whether a loaded registry's objects are moved out of the garbage collector's reach (the CLI: yes).

    A command process keeps its registry until it exits; without this the first
    collection after loading walks every object loaded (~80 ms at 10^4 assets)
    and later ones walk them again. A library caller that opens many registries
    leaves it off: frozen objects are never collected.

    The process also collects less often (:data:`COMMAND_GC_THRESHOLDS`): a report
    allocates an object or more an item (rows, events, lines) and makes next to no
    cycles, and with the default thresholds the collector walked them all again and
    again (expiries at 10^4 assets spent 40 ms in 187 collections, 9% of its time;
    more per asset at 10^5; peak memory was the same without any collection).
    """
    global _freeze_loaded
    _freeze_loaded = on
    if on:
        gc.set_threshold(*COMMAND_GC_THRESHOLDS)


#: The collector's thresholds in a command process: a first-generation collection every 200,000
#: allocations (not 700), and the older generations after 30 of the younger (not 10).
COMMAND_GC_THRESHOLDS = (200_000, 30, 30)


def _without_gc(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with the cyclic garbage collector off (and, in the CLI, freeze what it loaded).

    Loading creates millions of small objects and no cycles; the collector
    walking them again and again made model building slower per asset as the
    registry grew (load + schema 22-26% faster without it, measured at 5k-50k).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return keep(func(*args, **kwargs))
        finally:
            if _freeze_loaded:
                gc.freeze()
            if enabled:
                gc.enable()

    return wrapper


#: What a command process loaded, kept until it exits: the CLI leaves with ``os._exit`` once its output is
#: flushed, so nothing of it is ever freed. Freeing a registry object by object when the command returned
#: cost ~30 ms at 10^4 assets (7% of a warm ``validate``). The last few only: tests run many commands in
#: one process.
_kept: collections.deque = collections.deque(maxlen=4)


def keep(value: R) -> R:
    """``value``, kept until the process exits if this is a command process (:func:`freeze_after_load`)."""
    if _freeze_loaded:
        _kept.append(value)
    return value


#: Inside :func:`shared_files`: entries by cache key and model items by document, for every registry opened.
_shared: tuple[dict[bytes, Entry], dict[int, tuple], dict[bytes, list]] | None = None


@contextlib.contextmanager
def shared_files() -> Iterator[None]:
    """Registries opened inside share the files they have in common: loaded once, held once.

    ``diff`` opens two sides that are mostly the same files: a file with the same
    name and content (the same cache key) gives both sides the same documents
    and the same model items, so the second side costs little time and memory.
    Only with the cache on (its keys say what is the same).
    """
    global _shared
    outer = _shared
    _shared = ({}, {}, {})
    try:
        with sharing():  # and facts of the items they share are computed once (itamctl.sharing)
            yield
    finally:
        _shared = outer


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


@dataclass(slots=True)
class _Source:
    """One file to load: its name in findings, its content (or why it has none) and its git blob id if known.

    ``data`` None: not read yet (a revision's file the cache knows by blob id); ``fetch`` reads it.
    """

    file: str
    data: bytes | Diagnostic | None
    blob: bytes | None = None
    fetch: Callable[[], bytes | Diagnostic] | None = None
    stat: bytes | None = None  # a working-tree file's lstat signature, noted in the cache with its blob id
    key: bytes | None = None  # its cache key, when worked out from ``blob`` already
    known: bool = False  # its signature is the one the cache's file index holds (so is its blob id)


def _reader(path: Path | str, file: str, limit: int) -> Callable[[], bytes | Diagnostic]:
    return lambda: read_file(path, file, limit)


def _cache(root: Path, extensions: Iterable[tuple[str, bytes]]) -> FileCache | None:
    """The cache of the registry at ``root`` (None when off); ``extensions`` as ``(file name, blob id)``."""
    return FileCache(root, cache_salt(extensions)) if cache_enabled() else None


@dataclass
class _Loaded:
    """Every file's entry put together in file order (``schema`` runs parallel to ``result.documents``)."""

    result: LoadResult
    schema: list[list[Diagnostic]]
    keyed: list[tuple[bytes, list[Document]]] = field(default_factory=list)  # (cache key, documents) a file
    #: report currency -> (items key, chunk) of each chunk of ``keyed`` (:func:`_chunks`)
    chunked: dict[str, list[tuple[bytes, itempack.Chunk]]] = field(default_factory=dict)


def _chunks(loaded: _Loaded, cache: FileCache, currency: str) -> list[tuple[bytes, itempack.Chunk]]:
    """``loaded``'s files in chunks (:func:`itamctl.itempack.chunks`), each with the key of its items made
    with ``currency``: worked out once for the items looked up and the items kept (~2 ms at 10^4 files)."""
    found = loaded.chunked.get(currency)
    if found is None:
        found = loaded.chunked[currency] = [(itempack.key(cache, chunk, currency), chunk)
                                            for chunk in itempack.chunks(loaded.keyed)]
    return found


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
        checked = open_revision(root, at)
        if checked is None:
            raise FatalError(f"registry folder {display_path(root)} does not exist at {at}", exit_code=EXIT_USAGE)
        return checked
    if not root.exists():
        raise FatalError(
            f"registry folder not found: {display_path(root)} "
            "(pass --registry PATH or run from the folder that holds registry/)",
            exit_code=EXIT_USAGE,
        )
    if not root.is_dir():
        raise FatalError(f"not a folder: {display_path(root)}", exit_code=EXIT_USAGE)
    validator = SchemaValidator(root)
    cache = _cache(root, ((PurePosixPath(shown).name, blob_id(content)) for shown, content in validator.extensions))

    refused: dict[str, tuple[Path, bytes | None]] = {}  # files over the size limit of their listing

    def sources(limit: int, only: Callable[[str], bool] | None) -> list[_Source | Diagnostic]:
        if only is not None and refused and all(only(file) for file in refused):
            # the files over the default limit, again with the raised one: read without listing the tree again
            # (a second walk cost 2.4 s at 10^5 files)
            return [_Source(file, read_file(path, file, limit), stat=signature)
                    for file, (path, signature) in refused.items()]
        out: list[_Source | Diagnostic] = []
        shown = display_namer()
        listed = prelist.take(root) if only is None else None  # listed on the other core meanwhile
        if listed is None:
            listed = time.time_ns(), _listing(root, signed=cache is not None)
        if cache is not None and only is None:
            cache.listed_at = listed[0]
        for path, problem, signature, size in listed[1]:
            if problem is not None:
                if only is None:
                    out.append(problem)
                continue
            file = shown(path)
            if only is not None and not only(file):
                continue
            if cache is None:
                signature = None
            if signature is not None and cache is not None and size <= limit:
                blob = cache.known_blob(file, signature)
                if blob is not None:
                    key = cache.key(file, blob)
                    if key in cache:  # unchanged since the last run: not read
                        out.append(_Source(file, None, blob, _reader(path, file, limit), signature, key, True))
                        continue
            data = read_file(path, file, limit)
            if isinstance(data, Diagnostic) and data.rule == "yaml.too_large":
                refused[file] = (path, signature)
            out.append(_Source(file, data, stat=signature))
        return out

    loaded = _load(sources, validator, cache)
    for file, text in extra:
        result = loaded.result
        if file in result.files:  # a file about to be replaced: its new text stands for it
            kept = [(d, s) for d, s in zip(result.documents, loaded.schema, strict=True) if d.file != file]
            result.documents = [d for d, _ in kept]
            loaded.schema = [s for _, s in kept]
            result.diagnostics = [d for d in result.diagnostics if d.file != file]
            result.files.remove(file)
        documents, problems = parse_text(text, file)
        result.documents.extend(documents)
        loaded.schema.extend(_schema_findings(documents, validator))
        result.diagnostics.extend(problems)
        result.files.append(file)
    checked = _check(root, loaded, cache)
    if cache is not None:
        cache.save()
    return checked


def _listing(root: Path, *, signed: bool) -> Iterator[tuple[str, Diagnostic | None, bytes | None, int]]:
    """:func:`~itamctl.loader.registry_files` as ``(path, finding, lstat signature, size)`` (:mod:`itamctl.prelist`
    sends them so); no signature when not ``signed`` (no cache), nor for a link to a file (size -1)."""
    for path, problem, info in registry_files(root):
        if info is None:
            yield path, problem, None, -1
        else:
            yield path, problem, FileCache.signature(info) if signed else None, info.st_size


#: What lists a registry's files: ``(size limit, which files (None: all, with the listing's findings))``.
Sources = Callable[[int, Callable[[str], bool] | None], list["_Source | Diagnostic"]]


def _load(sources: Sources, validator: SchemaValidator,
          cache: FileCache | None) -> _Loaded:
    """Every file's entry (from the cache, or computed), in file order.

    Files over the default size limit are refused at first; when the Settings
    document raises the limit (``max_file_bytes``), those files are read again
    with it (the others do not depend on the limit).
    """
    listed = sources(MAX_FILE_BYTES, None)
    entries = _entries(listed, validator, cache, MAX_FILE_BYTES)
    loaded = _assemble(listed, entries)
    if any(d.rule == "yaml.too_large" for d in loaded.result.diagnostics):
        limit = file_limit(loaded.result.documents)
        if limit != MAX_FILE_BYTES:
            # only the files that were not read are listed again (a second list of every file held
            # alongside the first cost ~110 MB and a second walk at 10^5 files)
            unread = {s.file for s in listed if isinstance(s, _Source) and isinstance(s.data, Diagnostic)}
            again = {s.file: s for s in sources(limit, unread.__contains__) if isinstance(s, _Source)}
            fresh = dict(zip(again, _entries(list(again.values()), validator, cache, limit), strict=True))
            listed = [again.get(s.file, s) if isinstance(s, _Source) else s for s in listed]
            entries = [fresh.get(s.file, e) if isinstance(s, _Source) else e
                       for s, e in zip(listed, entries, strict=True)]
            loaded = _assemble(listed, entries)
    return loaded


def _assemble(sources: list[_Source | Diagnostic], entries: list[Entry | None]) -> _Loaded:
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    schema: list[list[Diagnostic]] = []
    keyed: list[tuple[bytes, list[Document]]] = []
    for source, entry in zip(sources, entries, strict=True):
        if isinstance(source, Diagnostic):
            diagnostics.append(source)
            continue
        files.append(source.file)
        assert entry is not None
        docs, problems, found = entry
        documents.extend(docs)
        diagnostics.extend(problems)
        schema.extend(found)
        if source.key is not None and docs:
            keyed.append((source.key, docs))
    return _Loaded(LoadResult(documents, diagnostics, files), schema, keyed)


def _entries(sources: list[_Source | Diagnostic], validator: SchemaValidator, cache: FileCache | None,
             limit: int) -> list[Entry | None]:
    """The entry of each source (None for listing findings): from the cache where it has them."""
    entries: list[Entry | None] = [None] * len(sources)
    keys: dict[int, bytes] = {}
    pending: list[tuple[int, str, bytes]] = []
    for i, source in enumerate(sources):
        if isinstance(source, Diagnostic):
            continue
        if isinstance(source.data, Diagnostic):
            entries[i] = ([], [source.data], [])
            continue
        blob = None
        if cache is not None:
            blob = source.blob or blob_id(source.data or b"")
            key = keys[i] = source.key = source.key or cache.key(source.file, blob)
            hit = _shared[0].get(key) if _shared is not None else None
            if hit is None:
                hit = cache.get(key)
                if hit is not None and _shared is not None:
                    _shared[0][key] = hit
            else:
                cache.keep(key)
            if hit is not None:
                entries[i] = hit
                if source.known:
                    cache.note_known(source.file)
                elif source.stat is not None:
                    cache.note_stat(source.file, source.stat, blob)
                continue
        data = source.data
        if data is None:  # the cache lost it since it was listed: read it now
            assert source.fetch is not None
            data = source.data = source.fetch()
            if isinstance(data, Diagnostic):
                entries[i] = ([], [data], [])
                continue
            if cache is not None:
                blob = blob_id(data) if source.stat is not None else source.blob or blob_id(data)
                keys[i] = source.key = cache.key(source.file, blob)
        if cache is not None and source.stat is not None and blob is not None:
            cache.note_stat(source.file, source.stat, blob)
        pending.append((i, source.file, data))
    for i, entry, raw in _compute(pending, validator, limit):
        entries[i] = entry
        if cache is not None:
            cache.put(keys[i], entry, raw)
            if _shared is not None:
                _shared[0][keys[i]] = entry
    return entries


def _schema_findings(documents: list[Document], validator: SchemaValidator) -> list[list[Diagnostic]]:
    """Each document's schema findings; the valid ones get ints where the schema wants integers."""
    found = [validator.findings(doc) for doc in documents]
    for doc, problems in zip(documents, found, strict=True):
        if not problems:
            validator.to_int(doc)
    return found


def _entry(file: str, data: bytes, validator: SchemaValidator, limit: int) -> Entry:
    documents, problems = load_bytes(data, file, limit)
    return documents, problems, _schema_findings(documents, validator)


# --- both cores ----------------------------------------------------------------------------------


def _jobs(pending: int) -> int:
    """How many processes share ``pending`` files (1: this one alone)."""
    if not hasattr(os, "fork") or sys.platform != "linux":
        return 1
    asked = os.environ.get(JOBS_VARIABLE, "").strip()
    if asked.isdigit() and int(asked) >= 1:
        return max(1, min(int(asked), 64, pending))
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if pending < POOL_MIN_FILES:
        return 1
    return max(1, min(cores, MAX_JOBS, pending // (POOL_MIN_FILES // 2)))


def _share(pending: list[tuple[int, str, bytes]], jobs: int) -> list[list[tuple[int, str, bytes]]]:
    """``pending`` in ``jobs`` parts of about equal bytes (largest files first, each to the lightest part)."""
    parts: list[list[tuple[int, str, bytes]]] = [[] for _ in range(jobs)]
    weights = [0] * jobs
    for job in sorted(pending, key=lambda job: -len(job[2])):
        lightest = weights.index(min(weights))
        parts[lightest].append(job)
        weights[lightest] += len(job[2]) + 512  # a file costs something whatever its size
    return parts


def _compute(pending: list[tuple[int, str, bytes]], validator: SchemaValidator, limit: int
             ) -> list[tuple[int, Entry, bytes | None]]:
    """``(index, entry, its :func:`~itamctl.cache.dump_entry` bytes or None)`` of every pending file,
    shared out between processes.

    Forked children (after every import, the schemas compiled) each compute a
    part and send it back (:func:`~itamctl.cache.dump_entry`); this process computes the first part
    meanwhile. A child that fails in any way only means its part is computed
    here: output never depends on the number of processes.
    """
    jobs = _jobs(len(pending))
    if jobs == 1:
        return [(i, _entry(file, data, validator, limit), None) for i, file, data in pending]
    validator.prepare()
    parts = _share(pending, jobs)
    children: list[tuple[int, int, list[tuple[int, str, bytes]]]] = []
    try:
        for part in parts[1:]:
            children.append((*_fork(part, validator, limit), part))
        results = [(i, _entry(file, data, validator, limit), None) for i, file, data in parts[0]]
        while children:
            pid, fd, part = children.pop(0)
            sent = _collect(pid, fd)
            if sent is None:
                results += [(i, _entry(file, data, validator, limit), None) for i, file, data in part]
            else:
                results += [(i, load_entry(raw), raw) for i, raw in sent]
    finally:
        for pid, fd, _ in children:  # interrupted: stop the others
            forked.stop(pid, fd)
    return results


def _fork(part: list[tuple[int, str, bytes]], validator: SchemaValidator, limit: int) -> tuple[int, int]:
    def work() -> list[tuple[int, bytes]]:
        sent = []
        for i, file, data in part:
            raw = dump_entry(_entry(file, data, validator, limit))
            if raw is None:
                raise ValueError(f"{file}: its entry cannot be sent")  # the part is computed here instead
            sent.append((i, raw))
        return sent  # (index, entry bytes) pairs: marshal has all it takes

    return forked.fork(work)


def _collect(pid: int, fd: int) -> list[tuple[int, bytes]] | None:
    """What the child ``pid`` sent on ``fd``; None if it failed (its part is then computed here)."""
    sent = forked.received(pid, fd)
    return sent if isinstance(sent, list) else None


# --- git revisions -------------------------------------------------------------------------------


def _wanted(rel: str) -> bool:
    """Files of a revision the pipeline reads: registry YAML and schema extensions."""
    return is_registry_path(rel) or _extension(rel)


def _extension(path: str) -> bool:
    return path.startswith("schemas/") and path.endswith(".schema.json") and path.count("/") == 1


def open_revision(root: Path, rev: str) -> Checked | None:
    """The registry at ``root`` as it was at git revision ``rev``, validated; None if it did not exist there.

    The revision is listed and loaded with one cache, opened once (each open reads
    and checks the whole pack: ~0.5 s at 10^5 files)."""
    snapshot, cache = _snapshot(root, rev, MAX_FILE_BYTES)
    if snapshot is None:
        if cache is not None:
            cache.close()
        return None
    return open_snapshot(root, snapshot, cache)


def registry_snapshot(root: Path, rev: str, max_file_bytes: int = MAX_FILE_BYTES) -> Snapshot | None:
    """The registry folder ``root``'s files at git revision ``rev``; None if it did not exist there.

    With the cache on, files it holds (by name and blob id) are listed, not read.
    """
    snapshot, cache = _snapshot(root, rev, max_file_bytes)
    if cache is not None:
        cache.close()
    return snapshot


def _snapshot(root: Path, rev: str, max_file_bytes: int) -> tuple[Snapshot | None, FileCache | None]:
    """:func:`registry_snapshot`, and the cache it looked files up in (None when off), still open."""
    from itamctl.gitrepo import Repository

    repo = Repository(root)

    shown = display_inside(root)
    opened: list[FileCache] = []

    def read(listed: list[tuple[str, str]]) -> list[str]:
        cache = _cache(root, ((PurePosixPath(p).name, bytes.fromhex(oid)) for p, oid in listed if _extension(p)))
        if cache is None:
            return [p for p, _ in listed]
        opened.append(cache)
        return [p for p, oid in listed
                if _extension(p) or cache.key(shown(p), bytes.fromhex(oid)) not in cache]

    snapshot = repo.files_at(rev, repo.relative(root), _wanted, max_file_bytes=max_file_bytes, read=read)
    return snapshot, (opened[-1] if opened else None)


@_without_gc
def open_snapshot(root: Path, snapshot: Snapshot, cache: FileCache | None = None) -> Checked:
    """Validate the files of ``snapshot`` as the registry at ``root`` (``cache``: the one the snapshot was
    listed with, used if its schemas are the snapshot's; it is saved and closed here)."""
    extensions = tuple((display_path(root / b.path), b.data or b"") for b in snapshot.files if _extension(b.path))
    validator = SchemaValidator(root, extensions)
    names = [(PurePosixPath(b.path).name, bytes.fromhex(b.oid) if b.oid else blob_id(b.data or b""))
             for b in snapshot.files if _extension(b.path)]
    if cache is not None and cache.salt != cache_salt(names):
        cache.close()
        cache = None
    if cache is None:
        cache = _cache(root, names)
    current = [snapshot]

    def fetch(oid: str) -> Callable[[], bytes]:
        def read() -> bytes:
            from itamctl.gitrepo import Repository

            return Repository(root).blobs([oid])[oid]
        return read

    shown = display_inside(root)

    def sources(limit: int, only: Callable[[str], bool] | None) -> list[_Source | Diagnostic]:
        if limit != MAX_FILE_BYTES and any(b.data is None and not b.oid for b in current[0].files):
            again = registry_snapshot(root, snapshot.commit, limit)
            current[0] = replace(again, revision=snapshot.revision) if again else current[0]
        out: list[_Source | Diagnostic] = [
            Diagnostic(display_path(root / rel), None, None, "yaml.symlink", Severity.WARNING,
                       "symbolic link in a git revision; not followed") for rel in current[0].links
        ] if only is None else []
        for b in current[0].files:
            if not is_registry_path(b.path):
                continue
            file = shown(b.path)
            if only is not None and not only(file):
                continue
            if b.data is None and not b.oid:
                out.append(_Source(file, too_large(file, b.size, limit)))
            else:
                out.append(_Source(file, b.data, bytes.fromhex(b.oid) if b.oid else None, fetch(b.oid)))
        return out

    loaded = _load(sources, validator, cache)
    checked = _check(root, loaded, cache)
    if cache is not None:
        cache.save()
    registry = replace(checked.registry, schema_extensions=extensions, revision=current[0].revision)
    factpack = sys.modules.get("itamctl.factpack")
    if factpack is not None and factpack.current is not None:
        factpack.current.same_chunks(registry, checked.registry)  # its items in the same chunks
    return Checked(registry, checked.diagnostics)


def empty_registry(root: Path, revision: str | None = None) -> Registry:
    """A registry with nothing in it (a revision before the registry existed)."""
    return Registry(root=root, settings=Settings(), schema_extensions=(), revision=revision)


def _check(root: Path, loaded: _Loaded, cache: FileCache | None = None) -> Checked:
    result = loaded.result
    diagnostics = list(result.diagnostics)
    if not result.files:
        diagnostics.append(Diagnostic(
            display_path(root), None, None, "registry_empty", Severity.ERROR,
            "no *.yaml or *.yml files in the registry folder",
        ))
    valid = []
    for doc, found in zip(result.documents, loaded.schema, strict=True):
        if found:
            diagnostics.extend(found)
        else:
            valid.append(doc)
    items = _shared[1] if _shared is not None else {} if cache is not None else None
    # chunks whose items are in ``items`` already, each with its items as (file, document, item)
    seen: dict[bytes, list] = _shared[2] if _shared is not None else {}
    registry, found = build_registry(root, valid, result.documents, result.files, items=items,
                                     known_items=_known_items(loaded, cache, items, seen))
    diagnostics.extend(found)
    _keep_items(root, loaded, cache, registry, items, seen)
    diagnostics.extend(run_validation(registry))
    return Checked(registry, tuple(sorted_diagnostics(diagnostics)))


def _known_items(loaded: _Loaded, cache: FileCache | None, items: dict[int, tuple] | None,
                 seen: dict[bytes, list]) -> Callable[[str], Iterator[tuple[Document, Any]]] | None:
    """The model items the cache keeps for the files of ``loaded``, chunk by chunk (for
    :func:`build_registry`); ``seen`` gets the key of each chunk found, with its items (or has it already:
    diff's other side has the same files, so the same documents and items)."""
    if cache is None or items is None:
        return None

    def known(currency: str) -> Iterator[tuple[Document, Any]]:
        for key, chunk in _chunks(loaded, cache, currency):
            if key not in seen and (found := itempack.cached(cache, key, chunk)) is not None:
                seen[key] = found
                for _file, _at, item in found:
                    yield item.doc, item

    return known


def _keep_items(root: Path, loaded: _Loaded, cache: FileCache | None, registry: Registry,
                items: dict[int, tuple] | None, seen: dict[bytes, list]) -> None:
    """Put in the cache the model items of each chunk of files not in ``seen`` (not from the cache), and
    name every item's place to a new store of facts (:mod:`itamctl.factpack`; one for both of diff's sides)."""
    if cache is None or items is None:
        return
    from itamctl import factpack

    if _shared is None:
        store = factpack.current = factpack.FactStore(root, cache.salt)
    else:
        # diff's sides (opened together) share a store that adds no facts of one item (the two sides'
        # rows held for pickling took its peak at 10^5 assets from 977 to 1,116 MiB, and a diff's figures
        # are computed once for both sides anyway) but reads those costs kept, and keeps chunks' findings
        store = factpack.current
        if store is None or store.shared is not _shared:
            store = factpack.current = factpack.FactStore(root, cache.salt, kept=frozenset(), read=factpack.KEPT)
            store.shared = _shared
    currency = registry.settings.currency
    for key, chunk in _chunks(loaded, cache, currency):
        if key not in seen:
            found = []
            for file, (_key, docs) in enumerate(chunk):
                for at, doc in enumerate(docs):
                    known = items.get(id(doc))
                    if known is not None and known[0] is doc and known[1] == currency:
                        found.append((file, at, known[2]))
            itempack.keep(cache, key, sum(len(docs) for _, docs in chunk), found)
            seen[key] = found
        if store is not None:
            store.add(registry, key, seen[key])


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
    shown = "; ".join(one_line(d) for d in errors[:limit])
    more = f"; ... and {len(errors) - limit} more" if len(errors) > limit else ""
    at = f" at {checked.registry.revision}" if checked.registry.revision else ""
    which = f"{side}: " if side else ""
    raise FatalError(
        f"{which}the registry{at} has {len(errors)} validation error(s); "
        f"run `itamctl validate` and fix them first: {shown}{more}",
        exit_code=1,
    )


@dataclass(frozen=True)
class CheckReport:
    as_of: date
    registry: Registry
    diagnostics: tuple[Diagnostic, ...]  # validation and policy, sorted by file and line

    @functools.cached_property
    def events(self) -> tuple[Event, ...]:
        """Every event on the as-of date, by date, then id: made when a format shows them (JSON and Markdown
        do, text and GitHub commands do not: ~55 ms at 10^4 assets where the findings were read back)."""
        from itamctl.tracking.events import registry_events

        return tuple(registry_events(self.registry, self.as_of))

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
    return CheckReport(as_of, registry, tuple(diagnostics))
