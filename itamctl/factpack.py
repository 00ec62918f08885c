"""Facts of one item kept across runs: what :func:`itamctl.sharing.per_item` computed, by chunk of files.

A warm run takes its unchanged files' model items from the cache
(:mod:`itamctl.itempack`); a fact a report computes of one item alone is
then what the last run computed too. The kinds worth keeping (:data:`KEPT`:
an asset's costs row) are kept in a pack of their own beside the files'
(``facts-*.pickle``), one record a chunk of files and a kind of fact, keyed
by the chunk's items key, the Settings (their content), the as-of date and
the cache's salt (which covers every module of itamctl: a fact is computed
all over the package). A record holds ``(file, document,
fact) -> value``; the item a value names is pickled as where its document
is, and given back from this run's items. A value that names any other item
(or Settings of another content) is not kept. An edited file's chunk has a
new key: its facts are computed again, nobody else's.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from itamctl.cache import FileCache
from itamctl.model import Item, Registry, Settings


class _Refused(Exception):
    """A value names an object that cannot be kept by reference (another item)."""


def _constants() -> dict[int, str]:
    """Module-level sentinels a value may hold, kept by name (pickled by value they would be new objects):
    pickle keeps a string returned by a reducer as the global of that name in the object's module."""
    from itamctl.tracking import events

    return {id(events._UNSET): "_UNSET"}


def _rebuild(cls: type, values: tuple) -> Any:
    obj = object.__new__(cls)
    for setter, value in zip(_setters(cls), values, strict=True):
        setter(obj, value)
    return obj


@functools.cache
def _setters(cls: type) -> tuple:
    return tuple(cls.__dict__[f.name].__set__ for f in dataclasses.fields(cls))


@functools.cache
def _dispatch() -> dict[type, Any]:
    """The facts' own classes pickled as ``(class, every field)`` and made again slot by slot (the default,
    dataclasses' ``__setstate__``, took ~5 us a costs row); model values as :mod:`itamctl.itempack` does."""
    from itamctl.budget.forecast import Unplaced
    from itamctl.budget.lines import Line
    from itamctl.diagnostics import Diagnostic
    from itamctl.finance.tco import AssetCosts
    from itamctl.itempack import _dispatch as model_dispatch
    from itamctl.tracking.events import Event

    table = dict(model_dispatch())
    for cls in (AssetCosts, Event, Line, Unplaced, Diagnostic):
        names = tuple(f.name for f in dataclasses.fields(cls))

        def reduce(obj: Any, cls: type = cls, names: tuple[str, ...] = names) -> tuple:
            return (_rebuild, (cls, tuple(getattr(obj, name) for name in names)))

        table[cls] = reduce
    return table


#: While a record loads: the items of its chunk by place, and its Settings (pickle calls the functions
#: below with no other context).
_loading: list = [None, None]


def _item_at(place: tuple) -> Item:
    return _loading[0][place]


def _the_settings() -> Settings:
    return _loading[1]


def _item_classes() -> list[type]:
    found, todo = [], [Item]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _table(refs: dict[int, tuple], settings: Settings) -> dict[type, Any]:
    """How one record's values are pickled: an item of the chunk as its place, its Settings by name, any
    other item (or Settings, or registry) refused; everything else as :func:`_dispatch` says. No Python
    call an object (a ``persistent_id`` is one): pickling 10^5 costs rows took seconds with one."""

    def item(obj: Any) -> tuple:
        place = refs.get(id(obj))
        if place is None:
            raise _Refused
        return (_item_at, (place,))

    def same_settings(obj: Any) -> tuple:
        if obj is not settings:
            raise _Refused
        return (_the_settings, ())

    def refused(obj: Any) -> tuple:
        raise _Refused

    def constant(obj: Any) -> Any:
        name = _constants().get(id(obj))
        if name is None:
            raise _Refused  # a bare object(): a sentinel this module does not know
        return name

    table = dict(_dispatch())
    table.update(dict.fromkeys(_item_classes(), item))
    table[Settings] = same_settings
    table[Registry] = refused
    table[object] = constant
    return table


def _dumps(values: Any, refs: dict[int, tuple], settings: Settings) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _table(refs, settings)
    pickler.dump(values)
    return out.getvalue()


def _loads(raw: bytes, items: dict[tuple, Item], settings: Settings) -> Any:
    _loading[:] = [items, settings]
    try:
        return pickle.loads(raw)
    finally:
        _loading[:] = [None, None]


class _Record:
    """One chunk's facts of one kind with one Settings on one date."""

    __slots__ = ("chunk", "fresh", "readonly", "settings", "values")

    def __init__(self, settings: Settings, chunk: bytes) -> None:
        self.settings, self.chunk = settings, chunk
        self.values: dict[tuple, Any] = {}
        self.fresh = False
        self.readonly = False


class FactStore:
    """The facts of the items of a registry opened with the cache. Diff's two sides share one store that
    keeps no fact of one item (both sides' costs rows held for pickling took diff's peak at 10^5 assets
    from 977 to 1,116 MiB) but reads and keeps chunks' policy findings (:mod:`itamctl.rules.itemwise`)."""

    def __init__(self, root: Path, salt: bytes, *, kept: frozenset[str] | None = None,
                 read: frozenset[str] = frozenset()) -> None:
        self.root, self.salt = root, salt
        #: The kinds of facts of one item kept (:data:`KEPT` unless told otherwise: diff's sides keep none).
        self.kept = KEPT if kept is None else kept
        #: The kinds of facts of one item read from the pack but never added to it (diff's sides: costs rows
        #: another command kept; adding both sides' rows took diff's peak over 1 GiB at 10^5 assets).
        self.read = read
        #: The registries opened together this store serves (diff's two sides), if any.
        self.shared: object = None
        self._cache: FileCache | None = None  # opened when a fact is first asked for (validate never does)
        self.where: dict[int, tuple[bytes, tuple[int, int], Item]] = {}  # id(item) -> chunk, place, item
        self.chunks: dict[bytes, dict[tuple, Item]] = {}  # chunk key -> place -> item
        self.records: dict[bytes, _Record] = {}
        self._settings: dict[int, tuple[Settings, bytes | None]] = {}
        self._keys: dict[tuple, _Record] = {}  # (kind of fact, chunk, settings, as_of) -> its record
        self._pending: list[bytes] = []  # chunks added, their items not placed yet
        self.triples: dict[bytes, list[tuple[int, int, Item]]] = {}  # chunk -> its items, placed
        self._sides: dict[int, tuple[Registry, list[bytes]]] = {}  # id(registry) -> it, its chunks

    @property
    def cache(self) -> FileCache:
        if self._cache is None:
            self._cache = FileCache(self.root, self.salt, kind="facts")
            # a record is one chunk's facts of one kind (~1-2 ms to compute again): the pack is rewritten
            # only when more than one in DEFER_SHARE of its records are new, whatever its size
            self._cache.defer_from = 0
        return self._cache

    def add(self, registry: Registry, key: bytes, items: list[tuple[int, int, Item]]) -> None:
        """The items of ``registry``'s chunk of files whose items key is ``key``, as ``(file in the chunk,
        document in the file, item)``. Where each item is is worked out when a fact is first asked for
        (``validate`` never does); diff's other side adds the same chunks again (once is kept), and may
        hold an unchanged file's items in a chunk of its own (an edited file's neighbours)."""
        self.triples.setdefault(key, items)
        side = self._sides.get(id(registry))
        if side is None or side[0] is not registry:
            side = self._sides[id(registry)] = (registry, [])
        side[1].append(key)
        self._pending.append(key)

    def same_chunks(self, registry: Registry, like: Registry) -> None:
        """``registry`` is ``like`` with other metadata (a revision's: its name, its schema extensions):
        the same items in the same chunks of files."""
        side = self._sides.get(id(like))
        if side is not None and side[0] is like:
            self._sides[id(registry)] = (registry, side[1])

    def _place(self) -> None:
        where, chunks, triples = self.where, self.chunks, self.triples
        for key in self._pending:
            if key in chunks:  # diff's other side: the same files, the same documents and items
                continue
            places = chunks[key] = {}
            for file, at, item in triples[key]:
                place = (file, at)
                where[id(item)] = (key, place, item)
                places[place] = item
        self._pending = []

    def _fingerprint(self, settings: Settings) -> bytes | None:
        known = self._settings.get(id(settings))
        if known is not None and known[0] is settings:
            return known[1]
        try:
            text = repr(settings)
        except Exception:
            text = " object at 0x"
        # a part without a repr of its own (its address) would make the key change every run: not kept
        found = None if " object at 0x" in text else hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()
        self._settings[id(settings)] = (settings, found)
        return found

    def slot(self, fact: Hashable, item: Any, settings: Settings, as_of: date) -> tuple[_Record, tuple] | None:
        """Where ``fact`` of ``item`` is kept: its record (read from the cache when first asked for) and its
        key in it; None if it is not kept (a kind not in :data:`KEPT`, an item not placed, Settings without
        a fingerprint). Look it up in ``record.values``; :meth:`put` a value computed."""
        family = fact if isinstance(fact, str) else fact[0]
        if family not in self.kept and family not in self.read:
            return None
        if self._pending:
            self._place()
        where = self.where.get(id(item))
        if where is None or where[2] is not item:
            return None
        fingerprint = self._fingerprint(settings)
        if fingerprint is None:
            return None
        known = (family, where[0], fingerprint, as_of)
        record = self._keys.get(known)
        if record is None:
            key = self.cache.derived_key(b"facts", str(family).encode("utf-8", "surrogateescape"), where[0],
                                         fingerprint, as_of.isoformat().encode())
            record = self.records[key] = self._keys[known] = self._read(key, settings, where[0],
                                                                       self.chunks[where[0]])
            record.readonly = family not in self.kept
        return record, (*where[1], fact)

    def _read(self, key: bytes, settings: Settings, chunk: bytes, items: dict[tuple, Item]) -> _Record:
        """The record under ``key`` from the cache (``items``: the chunk's by place, for the values that name
        one); empty if there is none or it does not load (a damaged record is a miss: written anew)."""
        record = _Record(settings, chunk)
        raw = self.cache.record(key)
        if raw is not None:
            try:
                values = _loads(raw, items, settings)
                if isinstance(values, dict):
                    record.values = values
            except Exception:
                record.values = {}
        return record

    def chunked(self, registry: Registry, items: Iterable[Item]
                ) -> tuple[dict[bytes, list[tuple[int, int, Item]]], list[Item]]:
        """Those of ``items`` (of ``registry``) each of the registry's chunks of files holds (chunk key ->
        ``(file, document, item)`` in the chunk's order), and those none holds, in the order given. Made
        without placing every item (:meth:`_place`, ~2 us an item at 10^5)."""
        # by document: diff's second side may hold the first side's item of a document they share where
        # its own chunk has an equal one (made from the same document)
        given = {id(item.doc): item for item in items}
        by_chunk: dict[bytes, list[tuple[int, int, Item]]] = {}
        held: set[int] = set()
        side = self._sides.get(id(registry))
        for key in dict.fromkeys(side[1] if side is not None and side[0] is registry else ()):
            here = []
            for file, at, item in self.triples[key]:
                doc = item.doc
                own = given.get(id(doc))
                if own is not None and own.doc is doc and id(doc) not in held:
                    here.append((file, at, own))
                    held.add(id(doc))
            if here:
                by_chunk[key] = here
        return by_chunk, [item for item in items if id(item.doc) not in held]

    def chunk_slot(self, family: str, chunk: bytes, items: Sequence[tuple[int, int, Item]], settings: Settings,
                   as_of: date, extra: bytes) -> _Record | None:
        """The record of the fact ``family`` of the items ``items`` of ``chunk`` (as :meth:`chunked` gives
        them) as a whole, with ``settings`` on ``as_of`` and ``extra`` (what else the fact depends on, as
        bytes): read from the cache when first asked for; its value is ``record.values.get((family,),
        MISS)``. None if it cannot be kept (Settings without a fingerprint)."""
        fingerprint = self._fingerprint(settings)
        if fingerprint is None:
            return None
        places = repr([t[:2] for t in items]).encode()  # which of the chunk's items
        key = self.cache.derived_key(b"facts", family.encode("utf-8", "surrogateescape"), chunk, fingerprint,
                                     as_of.isoformat().encode(), extra, places)
        record = self.records.get(key)
        if record is None:
            record = self.records[key] = self._read(key, settings, chunk, {})  # plain values: no item named
        return record

    @staticmethod
    def put(found: tuple[_Record, tuple], value: Any) -> None:
        """Keep ``value`` in the slot ``found`` (:meth:`slot`); nothing for a kind only read."""
        record, inner = found
        if record.readonly:
            return
        record.values[inner] = value
        record.fresh = True

    def save(self) -> None:
        """Write the records this run added to (and keep the others it read); failures leave no cache."""
        cache, self._cache = self._cache, None
        if cache is None:
            return
        fresh = False
        for key, record in self.records.items():
            if record.fresh:
                fresh = True
                cache.put_record(key, lambda record=record: self._dump(record))
        self.records, self._keys = {}, {}
        if fresh:  # else nothing to add: the records of other reports and dates stay as they are
            # a report's facts of every chunk, for a few kinds of facts and dates
            cache.keep_old = max(cache.keep_old, KEEP_RECORDS * len(self.triples))
            cache.save()
        else:
            cache.close()

    def _dump(self, record: _Record) -> bytes | None:
        refs = {id(item): place for place, item in self.chunks.get(record.chunk, {}).items()}
        values = record.values
        while True:
            try:
                return _dumps(values, refs, record.settings)
            except _Refused:  # leave out the values that name another item
                values = {k: v for k, v in values.items() if _keepable(v, refs, record.settings)}
                if len(values) == len(record.values):
                    return None
                record.values = values
            except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
                return None


def _keepable(value: Any, refs: dict[int, tuple], settings: Settings) -> bool:
    try:
        _dumps(value, refs, settings)
    except Exception:
        return False
    return True


#: The kinds of facts kept: those that cost more to compute than to read back. An asset's costs row (its
#: depreciation schedule, conversions) is; an item's events, budget lines and policy findings' positions
#: were made faster than they unpickled (cachegrind at 10^4 assets: check +3%, budget +6%, expiries +8%
#: with them kept, costs -15%).
KEPT = frozenset({"costs"})

#: Records kept a chunk of files (the rest, least recently used first, are dropped): the kinds of facts
#: kept on two dates or so. A date's are about 8 a chunk: policy findings, costs rows, costs cells, event
#: rows, budget sums, the actuals of the past and of the current year, diff's figures (and a revision's
#: first and last chunks, which differ from the working tree's).
KEEP_RECORDS = 16

#: The store of the registries being opened (None: facts are not kept).
current: FactStore | None = None


def save() -> None:
    """Save and let go of the current store (a command calls it once its report is out)."""
    global current
    store, current = current, None
    if store is not None:
        store.save()
