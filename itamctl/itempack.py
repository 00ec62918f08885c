"""Model items as the cache keeps them: what ``from_document`` made of a file's documents.

A warm run takes its unchanged files' model items from the cache instead of
building them again from the documents' data (which then is never unpacked:
:mod:`itamctl.packed`). ``from_document`` stays the one definition of an
item; the cache keeps what it returned, with the report currency it was
given, and a run makes them again through the classes' own ``__init__``
(pickled as ``(class, its init fields)``, the document left out and given
back). Items are kept by chunks of files (:func:`chunks`): a chunk is one
pickle, whose classes are looked up once, not once a file (a pickle a file
cost ~10 us a file, more than building its items again).
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import io
import pickle
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from itamctl.cache import FileCache
from itamctl.loader import Document
from itamctl.model import _NO_EXTRA, Item
from itamctl.money import Money

#: A chunk of files ends after a file whose cache key starts with a byte below this (one in 64 on
#: average). Where chunks end depends on the files' own keys: an edit, a new or a removed file changes the
#: chunk it is in, and no other.
CHUNK_END = 4

Chunk = Sequence[tuple[bytes, Sequence[Document]]]  # (cache key, documents) of each file


#: A file of at least this many documents (a people list from HR) is a chunk of its own: a small file's
#: edit beside it does not build its items again.
OWN_CHUNK = 64


def chunks(keyed: Chunk) -> list[Chunk]:
    """``(cache key, documents)`` of each file, in chunks (:data:`CHUNK_END`, :data:`OWN_CHUNK`)."""
    out: list[Chunk] = []
    chunk: list[tuple[bytes, Sequence[Document]]] = []
    for pair in keyed:
        if len(pair[1]) >= OWN_CHUNK:
            if chunk:
                out.append(chunk)
                chunk = []
            out.append([pair])
            continue
        chunk.append(pair)
        if pair[0][0] < CHUNK_END:
            out.append(chunk)
            chunk = []
    if chunk:
        out.append(chunk)
    return out


def cached(cache: FileCache, chunk_key: bytes, chunk: Chunk) -> list[tuple[int, int, Item]] | None:
    """The items the cache keeps under ``chunk_key`` (:func:`key`) for ``chunk``'s files, each given its
    document, as ``(file in the chunk, document in the file, item)``; None if it has none (or they do not
    load)."""
    raw = cache.record(chunk_key)
    if raw is None:
        return None
    try:
        return load_items(raw, chunk)
    except Exception:
        return None


def keep(cache: FileCache, chunk_key: bytes, documents: int, items: list[tuple[int, int, Item]]) -> None:
    """Keep the items of a chunk of files holding ``documents`` documents under ``chunk_key`` (:func:`key`),
    as ``(file in the chunk, document in the file, item)``."""
    # pickled only if the pack is written (~20 us an item); missing them costs building them again:
    # ~10 us a document, where parsing a file again is ~0.1 ms
    cache.put_record(chunk_key, lambda: dump_items(items), weight=max(1, documents // ITEMS_PER_PARSE))


#: Building the model items of this many documents costs about as much as parsing and checking a file.
ITEMS_PER_PARSE = 8


def key(cache: FileCache, chunk: Chunk, currency: str) -> bytes:
    """What the items of ``chunk``'s files made with ``currency`` are kept under."""
    return cache.derived_key(b"items", currency.encode("utf-8", "surrogateescape"), *(key for key, _ in chunk))


def _no_extra() -> MappingProxyType:
    return _NO_EXTRA  # type: ignore[return-value]


def _mapping(data: dict) -> MappingProxyType:
    return MappingProxyType(data)


def _reduce_mapping(mapping: MappingProxyType) -> tuple:
    return (_no_extra, ()) if not mapping else (_mapping, (dict(mapping),))


@functools.cache
def _dispatch() -> dict[type, Any]:
    """How each model class is pickled: ``(cls, its init fields in order)``, made again by calling ``cls``
    (an item's document left out: :func:`load_items` gives it back)."""
    from itamctl import model

    table: dict[type, Any] = dict(copyreg.dispatch_table)
    table[MappingProxyType] = _reduce_mapping
    classes = [Money, *(value for value in vars(model).values()
                        if isinstance(value, type) and dataclasses.is_dataclass(value)
                        and value.__module__ == model.__name__ and "__slots__" in value.__dict__)]
    for cls in classes:
        fields = [f for f in dataclasses.fields(cls) if f.init]
        if any(f.kw_only for f in fields):
            continue  # pickled the default way
        names = tuple(f.name for f in fields)

        def reduce(obj: Any, cls: type = cls, names: tuple[str, ...] = names) -> tuple:
            return (cls, tuple(None if name == "doc" else getattr(obj, name) for name in names))

        table[cls] = reduce
    return table


def dump_items(items: Sequence[tuple[int, int, Item]]) -> bytes | None:
    """``(file in its chunk, document in the file's entry, item)`` triples as bytes; None if they cannot be."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch()
    try:
        pickler.dump(list(items))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return None
    return out.getvalue()


def load_items(raw: bytes, chunk: Chunk) -> list[tuple[int, int, Item]]:
    """The ``(file, document, item)`` triples :func:`dump_items` wrote, each item given its document (from
    the chunk's files' documents); raises on bytes it did not write."""
    set_doc = Item.__dict__["doc"].__set__
    triples = pickle.loads(raw)
    if type(triples) is not list:
        raise ValueError("not a list of items")
    for file, at, item in triples:
        if not isinstance(item, Item):
            raise ValueError("not an item")
        set_doc(item, chunk[file][1][at])
    return triples
