"""Editing one YAML document of a file in place, keeping everything else byte for byte.

A file is split at its ``---`` lines (a ``---`` at column 0 always starts a
document: block scalars are indented); only the segment holding the item is
parsed with ruamel.yaml's round-trip loader, changed and dumped again, with the
indentation guessed from that segment, quotes preserved and no line folding.
Every other byte of the file, comments and modelines included, is copied
unchanged. Values are written the way the loader reads them back: exact
decimals as plain numbers, dates as plain ``YYYY-MM-DD``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from itamctl.errors import FatalError

_SEPARATOR = re.compile(r"(?m)^---[ \t]*(?:#[^\n]*)?\r?\n")


def _yaml(segment: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, indent, block_seq_indent = load_yaml_guess_indent(segment)
    except Exception:
        indent, block_seq_indent = 2, 0
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=indent or 2, offset=block_seq_indent or 0)
    yaml.representer.add_representer(Decimal, _decimal)
    return yaml


def _decimal(representer: Any, value: Decimal) -> Any:
    """An exact decimal as a plain number: ``1299.00`` stays ``1299.00`` (never a float, never tagged)."""
    text = f"{value:f}"
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def segments(text: str) -> list[tuple[str, str]]:
    """``(separator line, body)`` pairs whose concatenation is ``text`` (the first separator may be '')."""
    parts: list[tuple[str, str]] = []
    position, separator = 0, ""
    for match in _SEPARATOR.finditer(text):
        parts.append((separator, text[position:match.start()]))
        separator, position = match.group(0), match.end()
    parts.append((separator, text[position:]))
    return parts


def load_segment(body: str) -> Any:
    return _yaml(body).load(body)


def dump_segment(body: str, data: Any) -> str:
    """``data`` dumped in the layout of ``body`` (the segment it was loaded from)."""
    out = io.StringIO()
    _yaml(body).dump(data, out)
    dumped = out.getvalue()
    crlf = "\r\n" in body
    return dumped.replace("\r\n", "\n").replace("\n", "\r\n") if crlf else dumped


def edit_item(text: str, item_id: str, change: Callable[[Any], None], *, file: str) -> str:
    """``text`` with ``change`` applied to the mapping of the document whose ``id`` is ``item_id``."""
    parts = segments(text)
    for number, (separator, body) in enumerate(parts):
        if f"id: {item_id}" not in body and item_id not in body:
            continue
        data = load_segment(body)
        if not hasattr(data, "get") or data.get("id") != item_id:
            continue
        change(data)
        parts[number] = (separator, dump_segment(body, data))
        return "".join(sep + part for sep, part in parts)
    raise FatalError(f"no document with id {item_id} in {file}")


def plain(value: Any) -> Any:
    """A value as the loader reads it back (ruamel dates and scalars to plain Python), for comparing."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return str(value)
