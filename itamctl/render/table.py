"""Tables for the human and spreadsheet formats: aligned text, CSV and Markdown."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from itertools import zip_longest

from itamctl.render.escape import no_control, no_mentions, terminal

Cell = object


def _text(value: Cell) -> str:
    return "" if value is None else str(value)


def _cell(value: Cell) -> str:
    """A cell of an aligned text table: control characters shown escaped, so rows stay rows."""
    return terminal(_text(value))


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, right: Sequence[int] = ()) -> str:
    """An aligned plain-text table; columns listed in ``right`` are right-aligned (numbers)."""
    width = len(headers)
    if all(len(row) == width for row in rows) and all(type(c) is str for row in rows for c in row):
        return _uniform_table([_cell(h) for h in headers], rows, frozenset(right))
    cells = [[c if type(c) is str else _text(c) for c in row] for row in rows]
    if not no_control(" ".join([" ".join(row) for row in cells])):  # one scan of every cell; escaped only if needed
        cells = [[terminal(c) for c in row] for row in cells]
    headers = [_cell(h) for h in headers]
    # padded a column at a time (one comprehension a column, not a call a cell); a short row's missing
    # cells pad to spaces, which the line's rstrip takes off again
    columns = list(zip_longest(headers, *cells, fillvalue=""))
    widths = [max(map(len, column)) for column in columns]
    right = frozenset(right)
    padded = [[c.rjust(w) for c in column] if i in right else [c.ljust(w) for c in column]
              for i, (column, w) in enumerate(zip(columns, widths, strict=True))]
    lines = ["  ".join(row).rstrip() for row in zip(*padded, strict=True)]
    rule = "  ".join("-" * w if h else " " * w for h, w in zip(headers, widths, strict=False)).rstrip()
    lines.insert(1, rule)
    return "\n".join(lines) + "\n"


def _uniform_table(headers: list[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> str:
    """:func:`text_table` of rows of text cells as many as the headers: each line one ``%`` format (a
    10^4-row report's table in half the time of padding each cell)."""
    if not no_control(" ".join([" ".join(row) for row in rows])):  # one scan of every cell; escaped only if needed
        rows = [[terminal(c) for c in row] for row in rows]
    widths = [max(map(len, column)) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"%{w}s" if i in right else f"%-{w}s" for i, w in enumerate(widths))
    rule = "  ".join("-" * w if h else " " * w for h, w in zip(headers, widths, strict=True)).rstrip()
    lines = [(line % tuple(headers)).rstrip(), rule, *[(line % tuple(row)).rstrip() for row in rows]]
    return "\n".join(lines) + "\n"


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """CSV (RFC 4180, CRLF rows); cells that a spreadsheet would run as formulas are defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([defuse(_text(c)) for c in row])
    return buffer.getvalue()


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def defuse(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first), made text with ``'``."""
    if _FORMULA.match(cell) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#+\-=>!]|\d+[.)](?=\s|$))")


def md_escape(value: Cell) -> str:
    """Plain text safe inside GitHub Markdown (and a table cell): no markup, no HTML, no newlines, no mentions.

    Characters that act anywhere (emphasis, code, links, HTML, table pipes,
    entities) are backslash-escaped everywhere; those that act only at the
    start of a line (headings, lists, quotes) only there. Other control
    characters are shown escaped, and ``@user``/``@org/team`` notify nobody.
    """
    text = _text(value).replace("\r", " ").replace("\n", " ")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if not m.group(1)[0].isdigit()
                              else m.group(1)[:-1] + "\\" + m.group(1)[-1], text)
    return no_mentions(terminal(text))


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, right: Sequence[int] = ()) -> str:
    """A GitHub-flavoured Markdown table with every cell escaped."""
    head = "| " + " | ".join(md_escape(h) for h in headers) + " |"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"
    body = ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"
