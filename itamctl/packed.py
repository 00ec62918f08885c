"""Documents as the cache keeps them: packed, and unpacked only if a run reads them.

A warm run takes most files from the cache, and their model items with them
(:mod:`itamctl.itempack`): decoding every document's data as well made two
sets of objects per document where the run needed one. So a fast-path
document is kept *packed*: its data marshalled (each Decimal as its text,
with its path), read back only when something asks for it
(:class:`PackedDocument`: ``data``, ``values``, ``keys``, a position, a
pickle); its kind and id are at hand without that.
"""

from __future__ import annotations

import marshal
from array import array
from decimal import Decimal
from typing import Any

from itamctl.loader import Document, Position, mark_tables

_set_file = Document.__dict__["file"].__set__
_set_index = Document.__dict__["index"].__set__
_set_data = Document.__dict__["data"].__set__
_get_data = Document.__dict__["data"].__get__
_set_start = Document.__dict__["start"].__set__
_get_start = Document.__dict__["start"].__get__
_set_values = Document.__dict__["values"].__set__
_get_values = Document.__dict__["values"].__get__
_set_keys = Document.__dict__["keys"].__set__
_get_keys = Document.__dict__["keys"].__get__
_set_clean = Document.__dict__["clean"].__set__


def pack_data(data: dict) -> bytes:
    """``data`` marshalled with each Decimal as its text (exact: ``Decimal(str(d))`` has ``d``'s digits and
    exponent) and the paths of those Decimals. They are swapped for their text in place and back once
    marshalled (no copy of the data is made). Raises ValueError for a value marshal does not know."""
    paths: list[tuple] = []
    swapped: list[tuple[dict | list, Any, Decimal]] = []
    _decimals(data, (), paths, swapped)
    for node, key, value in swapped:
        node[key] = str(value)
    try:
        return marshal.dumps((data, paths))
    finally:
        for node, key, value in swapped:
            node[key] = value


def _decimals(node: dict | list, path: tuple, paths: list[tuple], found: list) -> None:
    items = node.items() if type(node) is dict else enumerate(node)
    for key, value in items:
        kind = type(value)
        if kind is dict or kind is list:
            _decimals(value, (*path, key), paths, found)
        elif kind is Decimal:
            paths.append((*path, key))
            found.append((node, key, value))


def unpack_data(packed: bytes) -> dict:
    """The data :func:`pack_data` packed."""
    data, paths = marshal.loads(packed)
    for path in paths:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = Decimal(node[path[-1]])
    return data


class PackedDocument(Document):
    """A fast-path document from the cache: its data is unpacked when first read.

    Everything a :class:`~itamctl.loader.Document` offers, the same way
    (equal to the document it was packed from); ``kind`` and ``id`` without
    unpacking. Made by :func:`packed_document`.
    """

    # ``id`` and ``kind`` are slots here (Document's are properties reading ``data``): read for every
    # document when a registry is built and checked, a slot costs a third of a property call
    __slots__ = ("_marks", "_packed", "id", "kind")

    def _unpack(self) -> None:
        packed = self._packed
        if packed is None:
            return
        data = unpack_data(packed)
        self.start  # noqa: B018 - made from the marks before they go
        values, keys = mark_tables(data, array("I", self._marks))
        _set_data(self, data)
        _set_values(self, values)
        _set_keys(self, keys)
        _PACKED.__set__(self, None)
        _MARKS.__set__(self, None)

    @property
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        if self._packed is not None:
            self._unpack()
        return _get_data(self)

    @property
    def start(self) -> Position:  # type: ignore[override]
        """Where the document starts: its first mark, made a position when first asked for (most cached
        documents never are: ~0.4 us a document saved)."""
        try:
            return _get_start(self)
        except AttributeError:
            first = memoryview(self._marks).cast("I")  # the array's bytes (array "I": the same item type)
            start = Position(first[0] + 1, first[1] + 1)
            _set_start(self, start)
            return start

    @property
    def values(self):  # type: ignore[override]
        if self._packed is not None:
            self._unpack()
        return _get_values(self)

    @property
    def keys(self):  # type: ignore[override]
        if self._packed is not None:
            self._unpack()
        return _get_keys(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.file, self.index, self.data, self.start, self.values, self.keys) == (
            other.file, other.index, other.data, other.start, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # as a Document's: its data is a dict

    def __repr__(self) -> str:
        return "Document" + Document.__repr__(self).removeprefix("PackedDocument")  # what it stands for


_PACKED = PackedDocument.__dict__["_packed"]
_MARKS = PackedDocument.__dict__["_marks"]
_KIND = PackedDocument.__dict__["kind"]
_ID = PackedDocument.__dict__["id"]


def packed_document(file: str, index: int, kind: Any, item_id: Any, line: int, column: int, marks: bytes,
                    clean: bool, packed: bytes) -> PackedDocument:
    """A document whose data is ``packed`` (:func:`pack_data`), its kind and id, where it starts (1-based:
    its first mark, which is where :attr:`PackedDocument.start` finds it) and its marks (the bytes of its
    array of 0-based line/column pairs)."""
    doc = object.__new__(PackedDocument)
    _set_file(doc, file)
    _set_index(doc, index)
    _set_clean(doc, clean)
    _KIND.__set__(doc, kind)
    _ID.__set__(doc, item_id)
    _MARKS.__set__(doc, marks)
    _PACKED.__set__(doc, packed)
    return doc


def pack_document(doc: Document) -> tuple | None:
    """A fast-path document as the tuple :func:`packed_document` takes; None for any other (or one whose
    data marshal cannot hold)."""
    compact = doc.compact()
    if compact is None:
        return None
    file, index, data, marks, clean = compact
    try:
        packed = pack_data(data)
    except ValueError:
        return None
    return (file, index, doc.kind, doc.id, doc.start.line, doc.start.column, marks, clean, packed)
