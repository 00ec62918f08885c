"""Safe YAML loading with line positions.

Registry files are parsed with libyaml's event parser (fast, C) and turned into
plain Python values by a small composer of our own, which lets us enforce a safe
subset and remember where every key and value sits:

* YAML 1.2 core-schema scalars: ``yes``/``no``/``on``/``off`` stay strings,
  dates stay strings (no implicit datetimes), numbers with a fraction or
  exponent become :class:`decimal.Decimal` (never float);
* duplicate keys, anchors and aliases, explicit tags, non-scalar keys,
  non-finite numbers, excessive nesting and oversized files are findings;
* binary data, invalid UTF-8, tabs and any other syntax error become
  diagnostics with file and line, never exceptions;
* a UTF-8 byte order mark and CRLF line endings are accepted;
* symbolic links that leave the registry folder are not followed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.listing import (  # noqa: F401 - the loader's names for them
    MAX_FILES,
    MAX_FOLDER_DEPTH,
    MAX_FOLDERS,
    YAML_SUFFIXES,
    display_path,
    iter_registry_files,
    registry_files,
)
from itamctl.quickinit import quick_init
from itamctl.secret_patterns import looks_like_secret_field, secret_in_value

try:  # libyaml is the fast path; the pure-Python parser is a correct fallback.
    from yaml.cyaml import CParser as _CParser
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.loader import Loader as _Parser  # type: ignore[assignment]
    _CParser = None  # type: ignore[assignment,misc]
_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

MAX_FILE_BYTES = 2 * 1024 * 1024  # the default; Settings may raise it
MAX_FILE_LIMIT = 1024 * 1024 * 1024  # the most Settings may raise it to
FILE_LIMIT_SETTING = "max_file_bytes"
MAX_DEPTH = 32

JsonPath = tuple[str | int, ...]


@quick_init
@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@quick_init
@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document: its data and where each part of it came from.

    Documents of the fast path keep their positions compactly (:class:`_Marks`:
    one flat array of line/column pairs in document order, read by walking
    ``data``), so ``data`` must keep its shape (values may be replaced, not
    keys or list items added or removed). ``clean`` is True when the loader
    saw no field name or text in the document that the secret rule could report.
    """

    file: str
    index: int
    data: dict[str, Any]
    start: Position
    values: Mapping[JsonPath, Position] = field(repr=False)
    keys: Mapping[JsonPath, Position] = field(repr=False)
    clean: bool = field(default=False, repr=False, compare=False)

    def __reduce__(self) -> tuple:
        """Pickled compactly (the cache, the process pool): positions as flat numbers, not tables."""
        compact = self.compact()  # the marks as their bytes: an array pickles through a slow reconstructor
        if compact is not None:
            return (marked_document, compact)
        return (_document, (self.file, self.index, self.data, (self.start.line, self.start.column),
                            _flat(self.values), _flat(self.keys), self.clean))

    def compact(self) -> tuple[str, int, dict, bytes, bool] | None:
        """A fast-path document as ``(file, index, data, marks, clean)`` (:func:`marked_document` makes it
        again); None for a composer document (its positions are tables)."""
        if isinstance(self.values, _MarkTable):
            return (self.file, self.index, self.data, self.values.marks.marks.tobytes(), self.clean)
        return None

    @property
    def kind(self) -> Any:
        return self.data.get("kind")

    @property
    def id(self) -> Any:
        return self.data.get("id")

    def position(self, path: JsonPath = (), *, key: bool = False) -> Position:
        """Where ``path`` is, or the nearest enclosing part that exists.

        With ``key=True`` the position of the mapping key is preferred (useful
        for "unknown field" findings); otherwise the value's position.
        """
        path = tuple(path)
        if isinstance(self.values, _MarkTable):
            return self.values.marks.position(path, key) or self.start
        while path:
            table = self.keys if key else self.values
            if path in table:
                return table[path]
            other = self.values if key else self.keys
            if path in other:
                return other[path]
            path = path[:-1]
        return self.start

    def diagnostic(
        self,
        path: JsonPath,
        rule: str,
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> Diagnostic:
        pos = self.position(path, key=key)
        return Diagnostic(self.file, pos.line, pos.column, rule, severity, message)


def _span(node: Any) -> int:
    """How many positions ``node`` takes in a document's marks (itself, then each key and value inside)."""
    count = 1
    kind = type(node)
    if kind is dict:
        for child in node.values():
            inner = type(child)
            count += (1 + _span(child)) if inner is dict or inner is list else 2
    elif kind is list:
        for child in node:
            inner = type(child)
            count += _span(child) if inner is dict or inner is list else 1
    return count


class _Marks:
    """A fast-path document's positions: (line, column) pairs, 0-based, in document order.

    The order is the walk's: a node's value position, then for a mapping each
    entry's key position followed by its value's positions, for a list each
    item's. A path is found by walking ``data`` alongside; no table is built
    unless one is asked for (``Document.values`` / ``Document.keys``).
    """

    __slots__ = ("_ends", "_spent", "_tables", "data", "marks")

    def __init__(self, data: Any, marks: array) -> None:
        self.data = data
        self.marks = marks
        self._tables: tuple[dict, dict] | None = None
        self._ends: array | None = None
        self._spent = 0  # nodes counted to skip containers; past half the document, the end table is built

    def _skip(self, node: Any, at: int) -> int:
        """The index just past the container ``node`` whose value position is ``at``.

        A few lookups count the skipped containers' nodes; once that has cost half
        a walk of the document, :meth:`ends` is built and every later skip is one step.
        """
        if self._ends is None and self._spent * 2 < len(self.marks):
            span = _span(node)
            self._spent += span
            return at + span
        return self.ends()[at]

    def ends(self) -> array:
        """For each value's position index, the index just past everything in it (one pass, when first asked):
        a lookup then skips a sibling in one step instead of counting its contents."""
        if self._ends is None:
            ends = array("I", bytes(len(self.marks) * 2))

            def visit(node: Any, at: int) -> int:
                j = at + 1
                if isinstance(node, dict):
                    for child in node.values():
                        j = visit(child, j + 1)  # the key's position, then the value's
                elif isinstance(node, list):
                    for child in node:
                        j = visit(child, j)
                ends[at] = j
                return j

            visit(self.data, 0)
            self._ends = ends
        return self._ends

    def _at(self, i: int) -> Position:
        return Position(self.marks[2 * i] + 1, self.marks[2 * i + 1] + 1)

    def position(self, path: JsonPath, key: bool) -> Position | None:
        """The position of the longest existing part of ``path`` (None: only the root exists)."""
        node, at, key_at, depth = self.data, 0, None, 0
        for part in path:  # a scalar sibling is one position (two with its key); a container is skipped
            kind = type(node)
            if kind is dict:
                if type(part) is not str or part not in node:
                    break
                j = at + 1
                for name, child in node.items():
                    if name == part:
                        key_at, at, node = j, j + 1, child
                        break
                    inner = type(child)
                    j = self._skip(child, j + 1) if inner is dict or inner is list else j + 2
            elif kind is list:
                if type(part) is not int or not 0 <= part < len(node):
                    break
                j = at + 1
                for child in node[:part]:
                    inner = type(child)
                    j = self._skip(child, j) if inner is dict or inner is list else j + 1
                key_at, at, node = None, j, node[part]
            else:
                break
            depth += 1
        if depth == 0:
            return None
        i = 2 * (key_at if key and key_at is not None else at)
        marks = self.marks
        return Position(marks[i] + 1, marks[i + 1] + 1)

    def tables(self) -> tuple[dict[JsonPath, Position], dict[JsonPath, Position]]:
        if self._tables is None:
            values: dict[JsonPath, Position] = {}
            keys: dict[JsonPath, Position] = {}
            counter = iter(range(len(self.marks) // 2))

            def visit(node: Any, path: JsonPath) -> None:
                values[path] = self._at(next(counter))
                if isinstance(node, dict):
                    for name, child in node.items():
                        keys[(*path, name)] = self._at(next(counter))
                        visit(child, (*path, name))
                elif isinstance(node, list):
                    for i, child in enumerate(node):
                        visit(child, (*path, i))

            visit(self.data, ())
            self._tables = (values, keys)
        return self._tables


class _LazyTable(Mapping):
    """A position table built when first read (``_get``)."""

    __slots__ = ()

    def _get(self) -> dict[JsonPath, Position]:
        raise NotImplementedError

    def __getitem__(self, path: JsonPath) -> Position:
        return self._get()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._get()

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class _MarkTable(_LazyTable):
    """``Document.values`` / ``Document.keys`` of a fast-path document."""

    __slots__ = ("marks", "which")

    def __init__(self, marks: _Marks, which: int) -> None:
        self.marks = marks
        self.which = which

    def _get(self) -> dict[JsonPath, Position]:
        return self.marks.tables()[self.which]


def marked_document(file: str, index: int, data: dict, marks: array | bytes, clean: bool = False) -> Document:
    """A fast-path document; ``marks`` as an array of line/column pairs, or the bytes of one (unpickled)."""
    if isinstance(marks, bytes):
        marks = array("I", marks)
    values, keys = mark_tables(data, marks)
    return Document(file, index, data, Position(marks[0] + 1, marks[1] + 1), values, keys, clean)


def mark_tables(data: dict, marks: array) -> tuple[_MarkTable, _MarkTable]:
    """``Document.values`` and ``Document.keys`` of a fast-path document: one walk of ``data`` and ``marks``
    shared by both."""
    shared = _Marks(data, marks)
    return _MarkTable(shared, 0), _MarkTable(shared, 1)


class _FlatPositions(_LazyTable):
    """Positions kept as (path, line, column) tuples (a composer document from the cache)."""

    __slots__ = ("_flat", "_table")

    def __init__(self, flat: tuple) -> None:
        self._flat = flat
        self._table: dict[JsonPath, Position] | None = None

    def _get(self) -> dict[JsonPath, Position]:
        if self._table is None:
            self._table = {path: Position(line, column) for path, line, column in self._flat}
        return self._table


def _flat(table: Mapping[JsonPath, Position]) -> tuple:
    if isinstance(table, _FlatPositions) and table._table is None:
        return table._flat
    return tuple((path, pos.line, pos.column) for path, pos in table.items())


def _document(file: str, index: int, data: dict, start: tuple[int, int], values: tuple, keys: tuple,
              clean: bool = False) -> Document:
    return Document(file, index, data, Position(*start), _FlatPositions(values), _FlatPositions(keys), clean)


@dataclass
class LoadResult:
    documents: list[Document]
    diagnostics: list[Diagnostic]
    files: list[str]


# --- YAML 1.2 core schema -------------------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NONFINITE = re.compile(r"[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z")


class _Problem(Exception):
    """A finding that stops composing the current document."""

    def __init__(self, rule: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.mark = mark


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


#: Longest number literal read (a bound: 10,000 digits would cost seconds and overflow every computation).
MAX_NUMBER_CHARS = 40


def _resolve_plain(value: str, mark: Any) -> Any:
    if len(value) > MAX_NUMBER_CHARS and (_INT10.match(value) or _INT8.match(value) or _INT16.match(value)
                                          or _FLOAT.match(value)):
        raise _Problem("yaml.number", f"number with {len(value)} characters; at most {MAX_NUMBER_CHARS} are read "
                       "(quote it if it is not a number)", mark)
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return Decimal(value)
    if _NONFINITE.match(value):
        raise _Problem("yaml.number", f"non-finite number {value!r} is not allowed", mark)
    return value


class _Composer:
    """Builds plain Python values from parser events, recording positions."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.warnings: list[tuple[str, str, Any]] = []

    def _next(self) -> Any:
        return self.parser.get_event()

    def compose(self, path: JsonPath, depth: int) -> Any:
        event = self._next()
        self.values[path] = _pos(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            raise _Problem(
                "yaml.alias", "aliases (*name) are not allowed: write the value out", event.start_mark
            )
        if getattr(event, "anchor", None) is not None:
            raise _Problem(
                "yaml.anchor",
                f"anchors (&{event.anchor}) are not allowed: write values out in full",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise _Problem("yaml.tag", f"tags ({tag}) are not allowed", event.start_mark)
        if depth > MAX_DEPTH:
            raise _Problem(
                "yaml.depth", f"nesting deeper than {MAX_DEPTH} levels", event.start_mark
            )
        if isinstance(event, yaml.ScalarEvent):
            if not event.style and event.implicit[0]:  # plain style: None (Python) or "" (libyaml)
                return _resolve_plain(event.value, event.start_mark)
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(self.parser.peek_event(), yaml.SequenceEndEvent):
                items.append(self.compose((*path, len(items)), depth + 1))
            self._next()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            result: dict[str, Any] = {}
            while not isinstance(self.parser.peek_event(), yaml.MappingEndEvent):
                key_event = self.parser.peek_event()
                if not isinstance(key_event, yaml.ScalarEvent):
                    raise _Problem(
                        "yaml.key", "mapping keys must be plain scalars", key_event.start_mark
                    )
                key_value = self.compose((*path, "\0key"), depth + 1)
                key = key_value if isinstance(key_value, str) else key_event.value
                if key in result:
                    first = self.keys[(*path, key)]
                    raise _Problem(
                        "yaml.duplicate_key",
                        f"duplicate key '{key}' (first defined at line {first.line})",
                        key_event.start_mark,
                    )
                self.keys[(*path, key)] = _pos(key_event.start_mark)
                result[key] = self.compose((*path, key), depth + 1)
            self.values.pop((*path, "\0key"), None)
            self._next()
            return result
        raise _Problem("yaml.syntax", f"unexpected {type(event).__name__}", event.start_mark)


#: Characters that send a file to the event composer: anchors, aliases, tags
#: and tabs get its findings (and a file with none of them is most files).
_COMPOSER_ONLY = re.compile(r"[&*!\t]")


class _Fallback(Exception):
    """The fast path cannot give this file's exact findings; the event composer will."""


if _CParser is not None:
    class _NodeLoader(_CParser):  # type: ignore[valid-type,misc]
        """libyaml's composer without PyYAML's tag resolver (in Python, half the composing time).

        The walk resolves plain scalars itself (the YAML 1.2 core schema, as the
        event composer does); files with tags never reach it.
        """

        def resolve(self, kind: Any, value: Any, implicit: Any) -> None:
            return None

        def descend_resolver(self, parent: Any, index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


def _fast_parse(text: str, file: str) -> list[Document]:
    """Documents composed by libyaml in C, walked in Python (the common, clean case).

    Raises :class:`_Fallback` for anything the event composer reports (syntax
    errors, duplicate keys, non-scalar keys, deep nesting, non-finite numbers,
    a document that is not a mapping), so findings stay exactly its own.
    """
    try:
        loader = _NodeLoader(text)
    except (yaml.YAMLError, UnicodeEncodeError) as exc:
        raise _Fallback from exc
    found: list[tuple[int, dict, list[int]]] = []
    walk = _Walk()
    try:
        index = 0
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                index += 1
                continue
            marks: list[int] = []
            walk.marks = marks
            data = walk.node(node, 0)
            if data is not None:
                if not isinstance(data, dict):
                    raise _Fallback
                found.append((index, data, marks))
            index += 1
    except (yaml.YAMLError, _Problem, UnicodeEncodeError) as exc:
        raise _Fallback from exc
    finally:
        loader.dispose()
    return [marked_document(file, index, data, array("I", marks), walk.clean) for index, data, marks in found]


_PLAIN_FIRST = frozenset("0123456789+-.~nNtTfF") | {""}
_MISSING = object()
#: Plain scalars already resolved (dates, amounts, booleans repeat across files); bounded.
_PLAIN_SEEN: dict[str, Any] = {}
#: Plain mapping keys already resolved without a finding.
_PLAIN_KEYS: set[str] = set()
#: Mapping keys already looked at: True when the secret rule could report the field.
_SECRET_KEYS: dict[str, bool] = {}
_SEEN_MAX = 50_000


class _Walk:
    """Node graph to plain values, positions appended to ``marks`` (see :class:`_Marks`).

    ``clean`` stays True while no field name or text could be a secret finding.
    """

    __slots__ = ("clean", "marks")

    def __init__(self) -> None:
        self.marks: list[int] = []
        self.clean = True

    def node(self, node: Any, depth: int) -> Any:
        mark = node.start_mark
        marks = self.marks
        marks.append(mark.line)
        marks.append(mark.column)
        if depth >= MAX_DEPTH:
            raise _Fallback
        cls = node.__class__
        if cls is _ScalarNode:
            value = node.value
            if node.style:
                if self.clean and secret_in_value(value):
                    self.clean = False
                return value
            return self.plain(value, mark)
        if cls is _SequenceNode:
            return [self.node(child, depth + 1) for child in node.value]
        if cls is not _MappingNode:
            raise _Fallback
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not _ScalarNode:
                raise _Fallback
            key = sys.intern(key_node.value)  # one str a field name, not one a document (memory at 10^5 files)
            if not key_node.style and key not in _PLAIN_KEYS:
                _resolve_plain(key, key_node.start_mark)  # a key too long for a number, or .nan: refused
                if len(_PLAIN_KEYS) < _SEEN_MAX:
                    _PLAIN_KEYS.add(key)
            if self.clean:
                secret = _SECRET_KEYS.get(key)
                if secret is None:
                    secret = looks_like_secret_field(key) or key == "key_ref"
                    if len(_SECRET_KEYS) < _SEEN_MAX:
                        _SECRET_KEYS[key] = secret
                if secret:
                    self.clean = False
            if key in result:
                raise _Fallback
            key_mark = key_node.start_mark
            marks.append(key_mark.line)
            marks.append(key_mark.column)
            result[key] = self.node(value_node, depth + 1)
        return result

    def plain(self, value: str, mark: Any) -> Any:
        if value[:1] not in _PLAIN_FIRST:
            if self.clean and secret_in_value(value):
                self.clean = False
            return value
        resolved = _PLAIN_SEEN.get(value, _MISSING)
        if resolved is _MISSING:
            resolved = _resolve_plain(value, mark)
            if len(_PLAIN_SEEN) < _SEEN_MAX:
                _PLAIN_SEEN[value] = resolved
        if self.clean and isinstance(resolved, str) and secret_in_value(resolved):
            self.clean = False
        return resolved


def parse_text(text: str, file: str) -> tuple[list[Document], list[Diagnostic]]:
    """Parse YAML text into documents; all problems come back as diagnostics."""
    if _CParser is not None and not _COMPOSER_ONLY.search(text):
        try:
            return _fast_parse(text, file), []
        except _Fallback:
            pass
    return _compose_text(text, file)


def _compose_text(text: str, file: str) -> tuple[list[Document], list[Diagnostic]]:
    """The event composer: every finding with file, line and column."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []

    def report(rule: str, message: str, line: int | None, column: int | None) -> None:
        diagnostics.append(Diagnostic(file, line, column, rule, Severity.ERROR, message))

    parser = None
    index = 0
    try:
        parser = _Parser(text)
        parser.get_event()  # StreamStart
        while not isinstance(parser.peek_event(), yaml.StreamEndEvent):
            start = parser.get_event()  # DocumentStart
            composer = _Composer(parser)
            start_pos = _pos(start.start_mark)
            try:
                data = composer.compose((), 0)
            except _Problem as problem:
                pos = _pos(problem.mark)
                report(problem.rule, problem.message, pos.line, pos.column)
                _skip_document(parser)
                index += 1
                continue
            parser.get_event()  # DocumentEnd
            if data is None:
                index += 1
                continue
            root = composer.values.get((), start_pos)
            if not isinstance(data, dict):
                kind = "a list" if isinstance(data, list) else "a single value"
                report(
                    "yaml.not_mapping",
                    f"a document must be a mapping of fields (apiVersion, kind, id, ...), not {kind}",
                    root.line,
                    root.column,
                )
            else:
                documents.append(
                    Document(file, index, data, root, composer.values, composer.keys)
                )
            index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        if "'\\t'" in problem or (mark and "\t" in _line_of(text, mark.line)[: mark.column + 1]):
            problem += "; indent with spaces, not tabs"
        report("yaml.syntax", problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    except UnicodeEncodeError as exc:  # lone surrogates in a str (never from a decoded file)
        line = text.count("\n", 0, exc.start) + 1
        report("yaml.encoding", "text holds characters that are not valid Unicode", line, None)
    except yaml.YAMLError as exc:  # reader errors carry a character offset instead of a mark
        offset = getattr(exc, "position", None)
        line = column = None
        if isinstance(offset, int):
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc)
        report("yaml.syntax", f"unreadable YAML: {reason}", line, column)
    finally:
        dispose = getattr(parser, "dispose", None) if parser is not None else None
        if dispose:
            dispose()
    return documents, diagnostics


def _line_of(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def _skip_document(parser: Any) -> None:
    """After a finding, skip to the end of the current document."""
    depth = 0
    while True:
        event = parser.get_event()
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        elif (isinstance(event, yaml.DocumentEndEvent) and depth <= 0) or isinstance(event, yaml.StreamEndEvent):
            return


def decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (with or without BOM) only; binary data is refused."""
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        return None, [
            Diagnostic(
                file, line, None, "yaml.encoding", Severity.ERROR,
                "file contains NUL bytes: binary data, not a YAML text file",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic(
                file, line, column, "yaml.encoding", Severity.ERROR,
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            )
        ]


def display_namer(cwd: Path | None = None) -> Callable[[Path | str], str]:
    """:func:`display_path` for many paths (or their strings): the working directory read once, names made
    by prefix."""
    cwd = cwd or Path.cwd()
    if os.sep != "/":
        return lambda path: display_path(Path(path), cwd)
    base = str(cwd)
    prefix = base.rstrip("/") + "/"

    def name(path: Path | str) -> str:
        text = str(path)  # a Path's str is its POSIX form here, and relative_to compares its parts
        if text == base:
            return "."
        return text[len(prefix):] if text.startswith(prefix) else text

    return name


def display_inside(root: Path, cwd: Path | None = None) -> Callable[[str], str]:
    """:func:`display_path` of ``root / rel`` for many POSIX paths ``rel`` inside ``root`` (a revision's files):
    ``root``'s name worked out once, each file's by joining (no path object a file)."""
    base = display_path(root, cwd)
    if base == ".":
        return lambda rel: rel
    prefix = base.rstrip("/") + "/"
    return lambda rel: prefix + rel


def load_file(path: Path, file: str | None = None, max_bytes: int = MAX_FILE_BYTES
              ) -> tuple[list[Document], list[Diagnostic]]:
    """The documents of the file at ``path``."""
    file = file or display_path(path)
    data = read_file(path, file, max_bytes)
    if isinstance(data, Diagnostic):
        return [], [data]
    return load_bytes(data, file, max_bytes)


def read_file(path: Path | str, file: str, max_bytes: int = MAX_FILE_BYTES) -> bytes | Diagnostic:
    """The content of the file at ``path`` (named ``file``), or why it is not read (too large, unreadable)."""
    try:
        data = _read_regular(path, max_bytes)
    except OSError as exc:
        return Diagnostic(file, None, None, "yaml.unreadable", Severity.ERROR,
                          f"cannot read file: {exc.strerror or exc}")
    if isinstance(data, int):
        return too_large(file, data, max_bytes)
    return data


def too_large(file: str, size: int, limit: int = MAX_FILE_BYTES) -> Diagnostic:
    return Diagnostic(
        file, None, None, "yaml.too_large", Severity.ERROR,
        f"file is {size} bytes; the limit is {limit} (split it into several files, "
        f"or raise `{FILE_LIMIT_SETTING}` in Settings)",
    )


def load_bytes(data: bytes, file: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[list[Document], list[Diagnostic]]:
    """The documents of one file's content (named ``file`` in diagnostics)."""
    if len(data) > max_bytes:
        return [], [too_large(file, len(data), max_bytes)]
    text, problems = decode(data, file)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [Diagnostic(file, None, None, "yaml.empty", Severity.WARNING, "file is empty")]
    documents, problems = parse_text(text, file)
    if not documents and not problems and not _has_content(text):
        problems = [Diagnostic(file, None, None, "yaml.empty", Severity.WARNING,
                               "file holds no document")]
    return documents, problems


def is_registry_path(rel: PurePosixPath | str) -> bool:
    """Whether the loader reads the file at ``rel`` (a path inside the registry folder; a string: in POSIX
    form without empty or ``.`` parts, as git lists a tree, and read without making a path object)."""
    parts = rel.split("/") if isinstance(rel, str) else rel.parts
    return bool(parts) and parts[-1].endswith(YAML_SUFFIXES) and not any(part.startswith(".") for part in parts)


def load_blobs(root: Path, blobs: Iterable[tuple[str, int, bytes | None]],
               links: Iterable[str] = (), max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Load files given as ``(path inside root, size, content)``, such as a revision's from git.

    Files are named as they would be under ``root`` on disk; ``None`` content is a file over the
    size limit; ``links`` (symbolic links) are reported and not followed.
    """
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    for rel in links:
        diagnostics.append(Diagnostic(display_path(root / rel), None, None, "yaml.symlink", Severity.WARNING,
                                      "symbolic link in a git revision; not followed"))
    for rel, size, data in blobs:
        if not is_registry_path(PurePosixPath(rel)):
            continue
        file = display_path(root / rel)
        files.append(file)
        docs, problems = (load_bytes(data, file, max_bytes) if data is not None
                          else ([], [too_large(file, size, max_bytes)]))
        documents.extend(docs)
        diagnostics.extend(problems)
    return LoadResult(documents, diagnostics, files)


def _read_regular(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> bytes | int:
    """The bytes of a regular file, or its size when that is over ``max_bytes``.

    Opened without blocking (a FIFO swapped in is refused, not waited on); read
    in as many bytes as the file has (a buffer of the limit for every small file
    cost more than parsing it), at most ``max_bytes + 1`` even if it grows.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > max_bytes:
            return info.st_size
        limit = max_bytes + 1
        parts = []
        size = 0
        while size < limit:
            chunk = os.read(fd, min(limit - size, max(info.st_size + 1 - size, 65536)))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def _has_content(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped not in ("---", "..."):
            return True
    return False


def file_limit(documents: Iterable[Document]) -> int:
    """The file-size limit a registry's Settings ask for (``max_file_bytes``), else the default."""
    for doc in documents:
        if doc.data.get("kind") == "Settings":
            limit = doc.data.get(FILE_LIMIT_SETTING)
            if isinstance(limit, int) and not isinstance(limit, bool) and MAX_FILE_BYTES < limit <= MAX_FILE_LIMIT:
                return limit
            break
    return MAX_FILE_BYTES


def load_registry(root: Path, max_bytes: int | None = None) -> LoadResult:
    """Load every ``*.yaml``/``*.yml`` file under ``root``.

    Files over the default size limit are refused at first; when the Settings
    document raises the limit (``max_file_bytes``), the registry is read again
    with it, so the order of documents stays the order of files.
    """
    if max_bytes is None:
        loaded = load_registry(root, MAX_FILE_BYTES)
        if any(d.rule == "yaml.too_large" for d in loaded.diagnostics):
            limit = file_limit(loaded.documents)
            if limit != MAX_FILE_BYTES:
                return load_registry(root, limit)
        return loaded
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    for path, problem in iter_registry_files(root):
        if problem is not None:
            diagnostics.append(problem)
            continue
        file = display_path(path)
        files.append(file)
        docs, problems = load_file(path, file, max_bytes)
        documents.extend(docs)
        diagnostics.extend(problems)
    return LoadResult(documents, diagnostics, files)
