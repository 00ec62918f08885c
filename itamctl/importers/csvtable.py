"""Reading a spreadsheet export: a CSV file to rows keyed by canonical field names.

UTF-8 with or without a byte order mark; ``,``, ``;`` or tab delimited (the
delimiter is sniffed, and the header row decides between candidates); headers
are matched case-insensitively against a table of aliases. Anything malformed
(bad encoding, a missing required column, a row with the wrong number of cells)
is a :class:`~itamctl.errors.UsageError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from itamctl.errors import UsageError
from itamctl.fileio import read_regular
from itamctl.loader import display_path

DELIMITERS = (",", ";", "\t")
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One data row: its first line in the file, the mapped cells and the unmapped ones."""

    line: int
    values: Mapping[str, str]
    extra: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class Table:
    file: str
    delimiter: str
    columns: Mapping[str, str]  # canonical field -> header as written
    unmapped: tuple[str, ...]  # headers matching no field, in file order
    duplicates: tuple[tuple[str, str], ...]  # (header, field) of columns ignored as repeats
    rows: tuple[Row, ...]


def header_key(text: str) -> str:
    """``  Warranty (Months): `` -> ``warranty (months)``: the form aliases are compared in."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").strip().rstrip(":").strip()).lower()


def read_table(path: Path, aliases: Mapping[str, str], required: Mapping[str, str]) -> Table:
    """Read ``path``; ``aliases`` maps header keys to fields, ``required`` fields to their display names."""
    file = display_path(path)
    text = _decode(path, file)
    if not text.strip():
        raise UsageError("the CSV file is empty (expected a header row such as 'Asset Tag,Asset Name,...')",
                         file=file, line=1)
    delimiter = _delimiter(text, aliases)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise UsageError(f"malformed CSV header: {exc}", file=file, line=reader.line_num or 1) from None
    columns, index, unmapped, duplicates = _map_header(header, aliases)
    missing = [name for key, name in required.items() if key not in columns]
    if missing:
        raise UsageError(
            f"no {' / '.join(repr(m) for m in missing)} column in the header row "
            f"(found: {', '.join(repr(h.strip()) for h in header if h.strip()) or 'nothing'}); "
            f"is this an asset export, and is the delimiter one of , ; or tab?",
            file=file, line=1,
        )
    rows = []
    previous_end = reader.line_num
    try:
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise UsageError(
                    f"row has {len(cells)} cells but the header has {len(header)} "
                    f"(a stray {delimiter!r} or quote?)", file=file, line=line,
                )
            values = {name: cells[i].strip() for name, i in index.items()}
            extra = {header[i].strip(): cells[i].strip() for i in unmapped if cells[i].strip()}
            rows.append(Row(line, values, extra))
    except csv.Error as exc:
        raise UsageError(f"malformed CSV: {exc}", file=file, line=previous_end + 1) from None
    return Table(file, delimiter, {name: header[i].strip() for name, i in index.items()},
                 tuple(header[i].strip() for i in unmapped), tuple(duplicates), tuple(rows))


def read_header(path: Path, aliases: Mapping[str, str]) -> list[str]:
    """The header row of ``path`` (the delimiter chosen as :func:`read_table` chooses it)."""
    file = display_path(path)
    text = _decode(path, file)
    if not text.strip():
        raise UsageError("the CSV file is empty (expected a header row)", file=file, line=1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, aliases), strict=True)
    try:
        return next(reader)
    except csv.Error as exc:
        raise UsageError(f"malformed CSV header: {exc}", file=file, line=reader.line_num or 1) from None


def _decode(path: Path, file: str) -> str:
    if path.is_dir():
        raise UsageError("a folder, not a CSV file", file=file)
    try:
        data = read_regular(path, MAX_BYTES)  # a FIFO or device is refused, not waited on
        if len(data) > MAX_BYTES:
            raise UsageError(f"the CSV file is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=file)
    except FileNotFoundError:
        raise UsageError("no such CSV file", file=file) from None
    except IsADirectoryError:
        raise UsageError("a folder, not a CSV file", file=file) from None
    except OSError as exc:
        raise UsageError(f"cannot read the CSV file: {exc.strerror or exc}", file=file) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UsageError("the file is UTF-16; export or save it as CSV UTF-8", file=file, line=1)
    if b"\0" in data:
        raise UsageError("the file holds NUL bytes: binary data, not a CSV export", file=file,
                         line=data.count(b"\n", 0, data.index(b"\0")) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); export or save the file as CSV UTF-8",
                         file=file, line=line) from None


def _delimiter(text: str, aliases: Mapping[str, str]) -> str:
    """The delimiter: the sniffer's guess if its header row maps best, else the candidate that does."""
    sample = text[:65536]
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    candidates = list(DELIMITERS)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
        candidates.remove(sniffed)
        candidates.insert(0, sniffed)
    except csv.Error:
        pass

    def score(delimiter: str) -> int:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return 0
        return sum(header_key(cell) in aliases for cell in cells)

    best = max(candidates, key=score)  # max keeps the first of equal scores: the sniffed one
    return best


def _map_header(header: list[str], aliases: Mapping[str, str]):
    index: dict[str, int] = {}
    unmapped: list[int] = []
    duplicates: list[tuple[str, str]] = []
    for i, cell in enumerate(header):
        name = aliases.get(header_key(cell))
        if name is None:
            if cell.strip():
                unmapped.append(i)
        elif name in index:
            duplicates.append((cell.strip(), name))
        else:
            index[name] = i
    return {name: header[i] for name, i in index.items()}, index, unmapped, duplicates
