"""Facts of one item computed once for every registry opened together (``diff``'s two sides).

Inside :func:`itamctl.pipeline.shared_files`, two registries built from the same
files hold the very same item objects for the files they have in common, and
the same Settings object when its document did not change. A fact that depends
only on the item, the Settings and the as-of date (an item's events, an asset's
costs row when no contract or license ties it to other items) is then the same
on both sides: :func:`per_item` computes it for the first and hands it to the
second. Outside that context nothing is kept in memory; across runs,
:mod:`itamctl.factpack` keeps them in the cache (the pipeline sets its
``current`` store when it opens a registry with the cache on).
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Callable, Hashable, Iterator
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")

_memo: dict[tuple, tuple[tuple, Any]] | None = None
#: No value kept for a fact (in a :meth:`itamctl.factpack.FactStore.slot`).
MISS: Any = object()


@contextlib.contextmanager
def sharing() -> Iterator[None]:
    """Facts asked for through :func:`per_item` inside are kept until the outermost one ends."""
    global _memo
    outer = _memo
    if outer is None:
        _memo = {}
    try:
        yield
    finally:
        _memo = outer


def forget(fact: str) -> None:
    """Let go of what is kept of ``fact`` (named by a string, or a tuple that starts with it): once every
    registry has asked for it, its values need not stay in memory beside what comes next."""
    if _memo is not None:
        for key in [k for k in _memo if k[0] == fact or (isinstance(k[0], tuple) and k[0][:1] == (fact,))]:
            del _memo[key]


def per_item(fact: Hashable, item: object, settings: object, as_of: date, compute: Callable[..., T], *args: Any,
             also: tuple[object, ...] = ()) -> T:
    """``compute(*args)``, which depends only on ``item``, ``settings``, ``as_of`` and ``also`` (further objects,
    or None), and on ``fact`` (its name, and any value it depends on): once for these very objects."""
    memo = _memo
    if memo is not None:
        held = (item, settings, *also)
        key = (fact, as_of, *map(id, held))
        hit = memo.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], held, strict=True)):  # ids are unique while alive
            return hit[1]
    factpack = sys.modules.get("itamctl.factpack")  # imported by the pipeline when it keeps facts
    store = factpack.current if factpack is not None and not any(a is not None for a in also) else None
    slot = store.slot(fact, item, settings, as_of) if store is not None else None
    if slot is None:
        value = MISS
    elif slot[0].readonly:  # never saved: not held by the record once read (diff's sides forget them)
        value = slot[0].values.pop(slot[1], MISS)
    else:
        value = slot[0].values.get(slot[1], MISS)
    if value is MISS:
        value = compute(*args)
        if slot is not None:
            store.put(slot, value)
    if memo is not None:
        memo[key] = (held, value)  # held here: their ids stay theirs
    return value


def per_chunk(fact: str, registry: Any, items: list, settings: object, as_of: date, context: object,
              compute: Callable[[list], T], freeze: Callable[[T], Any], thaw: Callable[[Any], T | None]) -> list[T]:
    """``compute(items of one chunk)`` for each of ``registry``'s chunks of files that holds some of ``items``,
    then for those none holds: the parts, in that order. ``compute`` depends only on the items given, the
    Settings, ``as_of`` and ``context`` (a value with a stable repr). With the cache a chunk's part is kept
    in the facts pack (:meth:`itamctl.factpack.FactStore.chunk_slot`) as ``freeze(part)`` and read back
    with ``thaw`` (None for what it does not recognise: computed again). Without it: one part of all."""
    return [part for _, part in per_chunk_items(fact, registry, items, settings, as_of, context, compute, freeze,
                                                thaw)]


def per_chunk_items(fact: str, registry: Any, items: list, settings: object, as_of: date, context: object,
                    compute: Callable[[list], T], freeze: Callable[[T], Any], thaw: Callable[[Any], T | None]
                    ) -> list[tuple[list, T]]:
    """:func:`per_chunk`'s parts, each with the items it was computed of (a part read back was computed of
    those very items' equals)."""
    factpack = sys.modules.get("itamctl.factpack")  # imported by the pipeline when it keeps facts
    store = factpack.current if factpack is not None else None
    if store is None:
        return [(items, compute(items))]
    by_chunk, rest = store.chunked(registry, items)
    extra = hashlib.sha256(repr(context).encode("utf-8", "surrogateescape")).digest()
    parts = []
    for chunk, triples in by_chunk.items():
        record = store.chunk_slot(fact, chunk, triples, settings, as_of, extra)
        kept = record.values.get((fact,), MISS) if record is not None else MISS
        part = thaw(kept) if kept is not MISS else None
        held = [t[2] for t in triples]
        if part is None:
            part = compute(held)
            if record is not None:
                store.put((record, (fact,)), freeze(part))
        parts.append((held, part))
    if rest:
        parts.append((rest, compute(rest)))
    return parts
