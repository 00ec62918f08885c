"""A content-addressed cache of parsed, schema-checked registry files.

An unchanged file is neither parsed nor schema-checked again: its documents
(with positions), its loader findings and its schema findings come from the
cache. Cross-file rules still run on the whole model every time.

* Where: ``$ITAMCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/itamctl``, else
  ``~/.cache/itamctl``; one pack file per registry folder, for its working
  tree and its git revisions alike (``diff``, ``--at``).
* Key of a file: SHA-256 of its name and its git blob id (the SHA-1 of its
  content, as git names it: a revision's files are looked up without reading
  them), the itamctl version, the versions of the YAML and schema libraries
  and the schemas in force (extensions included). A change to any of them misses.
* A pack ends with the index of its records, which carries a SHA-256 of
  itself, and each record has a CRC-32 in it: a corrupt, truncated or foreign
  pack is ignored (and replaced), a damaged record is a miss, neither is ever
  trusted; an unwritable cache folder only means no cache. Each entry is kept
  on its own (:func:`dump_entry`); opening a pack reads its index only, and an
  entry is read from the file (``pread``), checked and decoded only when it is
  used, so the pack's bytes are never held beside the documents made from
  them; one that does not decode is a miss.
* Unchanged files are not even read: the pack also keeps, for each file of
  the last run, its device, inode, size, modification and change times (in
  nanoseconds) and blob id, as git's index does. A file whose ``lstat`` still
  says the same is taken to have that blob id; any difference (an edit, a
  ``touch``, a copy, a replaced file) means it is read and hashed again. A
  file changed less than :data:`RACY_SECONDS` before it was looked at is not
  remembered this way (an edit in the same tick of the clock would not show).
* Off unless turned on: the CLI turns it on; ``--no-cache`` keeps it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import marshal
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from itamctl import listing
from itamctl.cachepath import cache_dir, pack_path  # noqa: F401 - cache_dir: the cache's name for it
from itamctl.loader import Document
from itamctl.packed import pack_document, packed_document

MAGIC = b"itamctl-cache-7\n"
#: A pack: :data:`MAGIC`, the records (each an entry as :func:`dump_entry` wrote it, or another record's
#: bytes) one after another, their index (a :data:`_INDEX` a record) and the :data:`_TRAILER`.
#: Opening a pack reads only its index (~50 bytes a record, checked with the trailer's SHA-256); a record
#: is checked with its CRC-32 when it is read. Reading and checking every record when a pack was opened
#: took 24 ms at 10^4 files, ~0.25 s at 10^5.
_INDEX = struct.Struct("<32sQII")  # key, offset in the pack, size, CRC-32
_BITS = (1 << 48) - 1


def _where(place: int) -> tuple[int, int, int]:
    """(offset, size, CRC-32) of a record, from the one int the index of an open pack holds for it
    (``offset | size << 48 | crc << 96``: 44 bytes, where a tuple of three ints took ~150, 16 MB at 10^5 files)."""
    return place & _BITS, (place >> 48) & _BITS, place >> 96
_TRAILER = struct.Struct("<QQ32s8s")  # offset of the index, records in it, SHA-256 of the index, END
END = b"itamidx\n"
#: A pack keeps the entries of its last run and, of earlier runs, at most this many more (the last
#: ones used): enough for a branch or a diff base a few thousand files away. Each is read and copied
#: at every run that saves, so more would slow every run: 20,000 made a 10^4-file registry's pack,
#: once filled by edits, three times the size it needs (0.1 s more to open and save).
KEEP_OLD = 4_000
#: Saving rewrites the whole pack (~3 us a record: 0.35 s at 10^5 files); parsing and checking a file
#: again costs ~0.1 ms. So a pack of at least DEFER_FROM records is not rewritten while the files the
#: next run would have to read again (changed, or with a changed ``lstat``) are at most one in
#: DEFER_SHARE of its records: a run after one edit re-parses that file instead of rewriting the pack.
DEFER_FROM = 2_000
DEFER_SHARE = 64
#: The record under this key holds the file signatures (``lstat``) of the last run, not an entry.
STAT_KEY = bytes(32)
#: A file's ``lstat`` signature in the index: device, inode, size, mtime_ns, ctime_ns, mode.
_SIGNATURE = listing.SIGNATURE
#: The last run's records are copied into the next pack in reads of at most this many bytes.
_RUN_BYTES = 4 << 20
#: A file modified this recently when it was looked at is not known by its signature.
RACY_SECONDS = 2
_enabled = False


def set_enabled(on: bool) -> None:
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


def blob_id(data: bytes) -> bytes:
    """The git blob id of ``data`` (20 bytes): what ``git ls-tree`` names a file with this content by."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).digest()


def salt(extensions: Iterable[tuple[str, bytes]] = ()) -> bytes:
    """What every key of a registry depends on besides its files: itamctl's version, the installed
    YAML and schema libraries, the built-in schemas, and the schema extensions as ``(file name, blob id)``;
    also the machine's byte order (positions are kept as the bytes of an array) and the Python that
    reads them (:mod:`marshal`'s format is its own)."""
    import itamctl
    from itamctl.schema import builtin_digest

    blob = json.dumps([itamctl.__version__, sys.byteorder, sys.implementation.cache_tag, marshal.version,
                       _libraries(), builtin_digest().hex(),
                       sorted((name, oid.hex()) for name, oid in extensions)])
    return hashlib.sha256(blob.encode()).digest()


@functools.cache
def _libraries() -> list:
    """Name, size and modification time of every file of the libraries that parse and check files, and
    of every module of itamctl (the loader and the model: the cache keeps what they made; and every fact's
    code: :mod:`itamctl.factpack`).

    An upgrade or reinstall changes them, and so does an edit of a checkout without a new version;
    found without importing the libraries (a registry read wholly from the cache never imports
    jsonschema) and without package metadata (slow).
    """
    import importlib.util

    found = []
    for name in ("itamctl", "yaml", "jsonschema", "jsonschema_rs", "referencing"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            found.append([name, None])
            continue
        folder = os.path.dirname(spec.origin)
        with contextlib.suppress(OSError):
            found.append([name, folder, _files(folder, every=name == "itamctl")])
    return found


def _files(folder: str, *, every: bool) -> list:
    """Name, size and modification time of the files in ``folder`` (``every``: and in its subfolders but
    ``__pycache__``: any module of itamctl can change what the facts' pack keeps, :mod:`itamctl.factpack`)."""
    found = []
    for top, dirs, files in os.walk(folder) if every else [(folder, [], None)]:
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for entry in os.scandir(top):
            if entry.is_file() and (files is None or entry.name.endswith(".py")):
                info = entry.stat()
                found.append((os.path.relpath(entry.path, folder), info.st_size, info.st_mtime_ns))
    return sorted(found)


def dump_entry(entry: Any) -> bytes | None:
    """An entry's bytes for a pack (or a worker process's answer); None if it cannot be kept.

    The common entry, a file whose documents all came through the fast path
    with no finding, is written with :mod:`marshal`: each document packed
    (:func:`itamctl.packed.pack_document`), so that :func:`load_entry` gives
    documents whose data is unpacked only if it is read (a warm run mostly
    reads the model items kept beside them instead). Any other entry is
    pickled. The first byte says which.
    """
    documents, problems, found = entry
    if not problems and not any(found) and all(isinstance(doc, Document) for doc in documents):
        parts = [part for doc in documents if (part := pack_document(doc)) is not None]
        if len(parts) == len(documents):  # every document a fast-path one
            with contextlib.suppress(ValueError):  # a value marshal does not know: pickled
                return b"M" + marshal.dumps(parts)
    import pickle  # only for the uncommon entry (~3 ms to import: a warm run mostly has none)

    try:
        return b"P" + pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def load_entry(raw: bytes) -> Any:
    """The entry :func:`dump_entry` wrote; raises on bytes it did not write (a miss for the caller)."""
    if raw[:1] == b"M":
        documents = [packed_document(*part) for part in marshal.loads(raw[1:])]
        return documents, [], [[] for _ in documents]
    if raw[:1] == b"P":
        import pickle

        return pickle.loads(raw[1:])
    raise ValueError("not an entry")


class FileCache:
    """Parsed and schema-checked files of one registry folder, by name and content.

    An entry is what the pipeline computes for one file: ``(documents, loader
    findings, schema findings of each document)``.
    """

    def __init__(self, root: Path, salt: bytes, *, kind: str = "files") -> None:
        self.salt = salt
        self.path = pack_path(root, kind)  # kind: files, or facts (itamctl.factpack)
        self._pack: io.BufferedReader | None = None  # the pack, kept open: entries are read from it when used
        self._old = self._read()
        # None: the last run's record, copied from the pack; a callable: bytes made only if the pack is written
        self._new: dict[bytes, bytes | Callable[[], bytes | None] | None] = {}
        self._stats_at = self._old.pop(STAT_KEY, None)  # where the last run's index is; read when first needed
        self._new_stats: dict[str, bytes] = {}
        self._weights: dict[bytes, int] = {}  # a fresh record -> its weight when not 1 (put_record)
        self.keep_old = KEEP_OLD  # earlier runs' records kept in a new pack (at most)
        self.defer_from = DEFER_FROM  # a pack of this many records or more is rewritten only for enough news
        self._walked = False  # whether this run looked at the working tree (a revision's run keeps the index)
        self.listed_at: int | None = None  # time.time_ns() before the working tree's files were listed
        self.hits = 0

    @functools.cached_property
    def _stats(self) -> dict[str, bytes]:
        """The last run's index: file -> signature + blob id (a revision's run never reads it)."""
        raw = self._record(self._stats_at) if self._stats_at is not None else None
        try:
            stats = marshal.loads(raw) if raw is not None else {}
        except Exception:
            stats = {}
        return stats if isinstance(stats, dict) else {}

    signature = staticmethod(listing.signature)

    def known_blob(self, file: str, signature: bytes) -> bytes | None:
        """The blob id of ``file`` if its signature is the one the last run recorded; else None (read it).

        Asking means this run reads the working tree: the signatures it notes replace the last run's.
        """
        self._walked = True
        known = self._stats.get(file)
        if not isinstance(known, bytes) or len(known) != _SIGNATURE.size + 20:
            return None
        return known[_SIGNATURE.size:] if known[:_SIGNATURE.size] == signature else None

    def note_stat(self, file: str, signature: bytes, blob: bytes) -> None:
        """Remember that ``file`` with this signature has the blob id ``blob``, unless it changed less than
        :data:`RACY_SECONDS` before its ``lstat`` was taken (:attr:`listed_at`, else now)."""
        _dev, _ino, _size, mtime, ctime, _mode = _SIGNATURE.unpack(signature)
        seen = self.listed_at if self.listed_at is not None else time.time_ns()
        if seen - max(mtime, ctime) >= RACY_SECONDS * 1_000_000_000:
            record = signature + blob
            old = self._stats.get(file)
            self._new_stats[file] = old if old == record else record  # the same record held once, not twice

    def note_known(self, file: str) -> None:
        """Keep the file index's record of ``file``, whose signature :meth:`known_blob` found unchanged
        (it was not changed just now when it was noted: it is not now)."""
        self._new_stats[file] = self._stats[file]

    def _read(self) -> dict[bytes, int]:
        """Key -> where each record of the pack is (:func:`_where`), from its index (checked).

        Only the index is read: a record is read from the file when it is used
        (:meth:`get`) and checked then, so the pack's bytes (110 MB at 10^5 files)
        are never in memory beside the documents made from them.
        """
        try:
            pack = open(self.path, "rb", buffering=0)  # noqa: SIM115 - kept open until save()
        except OSError:
            return {}
        self._pack = pack
        try:
            size = os.fstat(pack.fileno()).st_size
            if size < len(MAGIC) + _TRAILER.size or self._at(0, len(MAGIC)) != MAGIC:
                raise ValueError("not a pack")
            trailer = self._at(size - _TRAILER.size, _TRAILER.size)
            if trailer is None:
                raise ValueError("truncated")
            at, count, digest, end = _TRAILER.unpack(trailer)
            if end != END or at < len(MAGIC) or at + count * _INDEX.size != size - _TRAILER.size:
                raise ValueError("not a pack")
            index = self._at(at, count * _INDEX.size)
            if index is None or hashlib.sha256(index).digest() != digest:
                raise ValueError("checksum")
            return {key: offset | length << 48 | crc << 96 for key, offset, length, crc in _INDEX.iter_unpack(index)}
        except (OSError, ValueError, struct.error):
            self.close()
            return {}  # a corrupt, truncated or foreign pack: ignored (and replaced), never trusted

    def _at(self, offset: int, size: int) -> bytes | None:
        """``size`` bytes of the pack at ``offset`` (None: they cannot be read)."""
        if self._pack is None:
            return None
        try:
            if hasattr(os, "pread"):
                raw = os.pread(self._pack.fileno(), size, offset)
            else:  # Windows
                self._pack.seek(offset)
                raw = self._pack.read(size)
        except (OSError, ValueError):
            return None
        return raw if len(raw) == size else None

    def _record(self, place: int) -> bytes | None:
        """The bytes of the last run's record at ``place`` (:func:`_where`; None: the pack cannot be read any
        more, or the record is not what was written: a miss)."""
        raw = self._at(place & _BITS, (place >> 48) & _BITS)
        return raw if raw is not None and zlib.crc32(raw) == place >> 96 else None

    def _records(self, entries: dict[bytes, bytes | None]
                 ) -> Iterator[tuple[list[tuple[bytes, int, int]], bytes]]:
        """The next pack's records, in order, as ``((key, size, CRC-32) of each, bytes to write)``: a new
        entry's, or a run of records that lie one after another in the last run's pack, copied with one
        read (most are: an unchanged registry is met in the same order) of at most :data:`_RUN_BYTES`."""
        start = end = 0  # the run of the last run's pack not copied yet: [start, end)
        keys: list[bytes] = []  # the keys of that run (none: no run open; a new record closed the last one)
        for key, raw in entries.items():
            place = self._old.get(key) if raw is None else None
            where = _where(place) if place is not None else None
            if where is not None and keys and where[0] == end and end - start < _RUN_BYTES:
                end = where[0] + where[1]
                keys.append(key)
                continue
            if keys:
                yield from self._copy(start, end, keys)
                keys = []
            if where is not None:
                start, end, keys = where[0], where[0] + where[1], [key]
            elif raw is not None:
                if callable(raw):  # made only now that it is written (put_record)
                    raw = raw()
                    if raw is None:
                        continue
                yield [(key, len(raw), zlib.crc32(raw))], raw
        if keys:
            yield from self._copy(start, end, keys)

    def _copy(self, start: int, end: int, keys: list[bytes]
              ) -> Iterator[tuple[list[tuple[bytes, int, int]], bytes]]:
        """The last run's records from ``start`` to ``end`` (those of ``keys``), as they are in its pack
        (each keeps its CRC-32: one damaged since stays a miss); record by record (skipping those that
        cannot be read) if the run cannot be read whole."""
        run = self._at(start, end - start)
        if run is not None:
            yield [(key, *_where(self._old[key])[1:]) for key in keys], run
            return
        for key in keys:
            raw = self._record(self._old[key])
            if raw is not None:
                yield [(key, len(raw), _where(self._old[key])[2])], raw

    def close(self) -> None:
        """Let the pack go (after :meth:`save`, or when this cache is not needed any more)."""
        if self._pack is not None:
            self._pack.close()
            self._pack = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def key(self, file: str, blob: bytes) -> bytes:
        """The key of ``file`` whose content has the git blob id ``blob``."""
        return hashlib.sha256(self.salt + file.encode("utf-8", "surrogateescape") + b"\0" + blob).digest()

    def __contains__(self, key: bytes) -> bool:
        return key in self._new or key in self._old

    def _raw(self, key: bytes) -> bytes | None:
        """The bytes under ``key``: this run's, else the last run's record (None: there are none)."""
        raw = self._new.get(key)
        if raw is None:
            where = self._old.get(key)
            raw = self._record(where) if where is not None else None
        elif callable(raw):
            raw = self._new[key] = raw()
        return raw

    def get(self, key: bytes) -> Any:
        """The entry stored under ``key``; None when there is none (or it does not unpickle)."""
        raw = self._raw(key)
        if raw is None:
            return None
        try:
            entry = load_entry(raw)
        except Exception:
            return None
        if not (isinstance(entry, tuple) and len(entry) == 3):
            return None
        self._new.setdefault(key, None)  # kept: the pack's record is copied into the next pack
        self.hits += 1
        return entry

    def record(self, key: bytes) -> bytes | None:
        """The bytes of the record under ``key`` (this run's or the last run's), kept for the next pack; None
        when there is none. For records that are not a file's entry (:mod:`itamctl.itempack`)."""
        raw = self._raw(key)
        if raw is not None:
            self._new.setdefault(key, None)
        return raw

    def put_record(self, key: bytes, raw: bytes | Callable[[], bytes | None], weight: int = 1) -> None:
        """Keep ``raw`` under ``key``, or what ``raw()`` returns (called only if the pack is written: a save
        put off costs no bytes); ``weight``: how many files' parsing missing it would cost (saving a large
        pack is put off while what the next run would make again weighs little: :data:`DEFER_SHARE`)."""
        self._new[key] = raw
        if weight != 1:
            self._weights[key] = weight

    def derived_key(self, *parts: bytes) -> bytes:
        """A key made of ``parts`` (and this cache's salt), for a record that is not a file's entry."""
        # each part after its length, hashed in one call (a chunk's items key has a part a file)
        return hashlib.sha256(self.salt + b"".join(len(part).to_bytes(4, "little") + part for part in parts)).digest()

    def keep(self, key: bytes) -> None:
        """Keep the entry under ``key`` in the next pack: this run used it, from where it had it already
        (diff's other side). Without this, those entries counted as earlier runs' and all but
        :data:`KEEP_OLD` of them were dropped: the next run parsed most of the registry again."""
        if key in self._old:
            self._new.setdefault(key, None)

    def put(self, key: bytes, entry: Any, raw: bytes | None = None) -> None:
        """Remember ``entry`` (``raw``: its :func:`dump_entry` bytes already, as a worker process sends them)."""
        if raw is None:
            raw = dump_entry(entry)
            if raw is None:
                return
        self._new[key] = raw

    def save(self) -> None:
        """Write this run's entries (and some of earlier runs'); failures leave no cache, never a broken one.

        The pack read is let go afterwards: nothing more can be read from this cache."""
        try:
            self._save()
        finally:
            self.close()

    def _save(self) -> None:
        old = [key for key in self._old if key not in self._new]  # most recently used first
        same_stats = not self._walked or self._new_stats == self._stats
        # new entries (or ones whose record was bad), a chunk of model items counting as the files it holds
        fresh = sum(self._weights.get(key, 1) for key, raw in self._new.items() if raw is not None)
        if not old[self.keep_old:] and not fresh and same_stats:
            return  # nothing new to remember and nothing to forget
        if len(self._old) >= self.defer_from:
            again = fresh + (0 if same_stats else sum(self._stats.get(f) != r for f, r in self._new_stats.items()))
            if again <= len(self._old) // DEFER_SHARE:
                return  # cheaper to read those files again next time than to rewrite the pack now
        entries: dict[bytes, bytes | None] = dict(self._new)
        for key in old[:self.keep_old]:
            entries[key] = None
        if self._walked and self._new_stats:
            entries[STAT_KEY] = marshal.dumps(self._new_stats)
        elif not self._walked and self._stats_at is not None:  # a revision's run: the index as it was
            self._old[STAT_KEY] = self._stats_at
            entries[STAT_KEY] = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when saving (~5 ms to import)

            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            try:
                index = bytearray()
                with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
                    handle.write(MAGIC)
                    at = len(MAGIC)
                    for records, chunk in self._records(entries):
                        handle.write(chunk)
                        for key, size, crc in records:
                            index += _INDEX.pack(key, at, size, crc)
                            at += size
                    handle.write(index)
                    handle.write(_TRAILER.pack(at, len(index) // _INDEX.size, hashlib.sha256(index).digest(), END))
                self.close()  # before the pack is replaced (Windows cannot replace an open file)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
