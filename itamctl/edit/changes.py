"""What the find-and-change commands do to a document: ``field=value`` assignments and the everyday chores.

Each function here takes the round-trip mapping of one document and changes it
in place; :mod:`itamctl.edit.apply` validates the result before anything is
written. Values typed on the command line are read as the loader reads YAML
(``12`` an integer, ``1299.00`` an exact decimal, ``2026-03-01`` a date,
``[a, b]`` a list, ``true``/``false``); quote a value (``serial='"007"'``) to
keep it a string; an empty value (``notes=``) removes the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from itamctl.errors import UsageError
from itamctl.loader import parse_text

_INT = re.compile(r"[-+]?[0-9]+\Z")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]+\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\Z")
#: Fields a chore must not change through ``set`` (they identify the document).
FIXED = ("apiVersion", "kind", "id")


def parse_value(text: str) -> Any:
    """A command-line value as the loader would read it in a file."""
    value = text.strip()
    if _INT.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return Decimal(value)
    if _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"no such date {value!r}") from None
    if value in ("true", "false"):
        return value == "true"
    if value[:1] in ("[", "{", "'", '"'):
        documents, problems = parse_text(f"value: {value}\n", "<command line>")
        if problems or not documents:
            raise UsageError(f"cannot read {text!r}: {problems[0].message if problems else 'empty'}")
        found = documents[0].data["value"]
        return [_typed(v) for v in found] if isinstance(found, list) else found
    return value


def _typed(value: Any) -> Any:
    return parse_value(value) if isinstance(value, str) and _DATE.match(value) else value


def parse_assignments(pairs: Sequence[str]) -> list[tuple[tuple[str, ...], Any]]:
    """``["purchase.cost=1200", "notes="]`` -> ``[(("purchase", "cost"), Decimal("1200")), (("notes",), None)]``."""
    result = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not _FIELD.match(name):
            raise UsageError(f"expected FIELD=VALUE (a dotted path such as purchase.cost=1200), got {pair!r}")
        if name in FIXED:
            raise UsageError(f"{name} cannot be changed with set (it identifies the document)")
        result.append((tuple(name.split(".")), None if value.strip() == "" else parse_value(value)))
    return result


def assign_fields(data: Any, assignments: Sequence[tuple[tuple[str, ...], Any]]) -> None:
    """Set (or, for ``None``, remove) each dotted path; missing parent mappings are created."""
    from ruamel.yaml.comments import CommentedMap

    for path, value in assignments:
        node = data
        for part in path[:-1]:
            key: Any = int(part) if isinstance(node, list) and part.isdigit() else part
            if isinstance(node, list):
                if not isinstance(key, int) or key >= len(node):
                    raise UsageError(f"{'.'.join(path)}: no item {part} in the list")
                node = node[key]
                continue
            if key not in node or node[key] is None:
                if value is None:
                    break
                node[key] = CommentedMap()
            node = node[key]
            if not hasattr(node, "get") and not isinstance(node, list):
                raise UsageError(f"{'.'.join(path)}: {part} holds a value, not fields")
        else:
            last = path[-1]
            if isinstance(node, list):
                if not last.isdigit() or int(last) >= len(node):
                    raise UsageError(f"{'.'.join(path)}: no item {last} in the list")
                node[int(last)] = value
            elif value is None:
                node.pop(last, None)
            else:
                node[last] = value


def retire(data: Any) -> str:
    """An asset out of use (``status: retired``) or a person who left (``active: false``)."""
    kind = data.get("kind")
    if kind == "Asset":
        data["status"] = "retired"
        return "status: retired"
    if kind == "Person":
        data["active"] = False
        return "active: false"
    raise UsageError(f"retire takes an asset or a person; {data.get('id')} is a {kind}")


def dispose(data: Any, day: date, method: str, proceeds: Decimal | None, cost: Decimal | None) -> str:
    from ruamel.yaml.comments import CommentedMap

    if data.get("kind") != "Asset":
        raise UsageError(f"dispose takes an asset; {data.get('id')} is a {data.get('kind')}")
    data["status"] = "disposed"
    disposal = CommentedMap()
    disposal["date"] = day
    disposal["method"] = method
    if cost is not None:
        disposal["cost"] = cost
    if proceeds is not None:
        disposal["proceeds"] = proceeds
    data["disposal"] = disposal
    return f"status: disposed, disposal on {day.isoformat()} ({method})"


def assign(data: Any, holder: str) -> str:
    """A license seat to ``holder`` (added to ``assigned_to``) or an asset to its new ``owner``."""
    from ruamel.yaml.comments import CommentedSeq

    kind = data.get("kind")
    if kind == "License":
        seats = data.get("assigned_to")
        if seats is None:
            seats = data["assigned_to"] = CommentedSeq()
        if holder in seats:
            raise UsageError(f"{data['id']} is already assigned to {holder}")
        seats.append(holder)
        return f"assigned_to + {holder}"
    if kind == "Asset":
        data["owner"] = holder
        if data.get("status") == "in_stock":
            data["status"] = "deployed"
            return f"owner: {holder}, status: deployed"
        return f"owner: {holder}"
    raise UsageError(f"assign takes a license or an asset; {data.get('id')} is a {kind}")


def audit(data: Any, day: date) -> str:
    if data.get("kind") != "Asset":
        raise UsageError(f"audit takes an asset; {data.get('id')} is a {data.get('kind')}")
    data["last_audit"] = day
    return f"last_audit: {day.isoformat()}"
