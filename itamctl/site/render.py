"""Jinja2 templates → Markdown pages, with every registry value escaped by default.

The environment's ``finalize`` hook escapes each ``{{ … }}`` result with
:func:`itamctl.site.escape.text` unless it is :class:`~itamctl.site.escape.Safe`
(built here from escaped parts by the filters below), so a template cannot
forget to escape. Registry values are only ever template *variables*: no value
is fed through a template twice, so ``{{ … }}`` in a name stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import jinja2

from itamctl.money import cents
from itamctl.site import escape
from itamctl.site.escape import Safe

KIND_DIRS = {"Asset": "asset", "License": "license", "Contract": "contract", "Person": "person"}


def _finalize(value: Any) -> Safe:
    return value if isinstance(value, Safe) else escape.text(value)


def money(value: Any) -> Safe:
    """A JSON money string or Decimal as ``1,234.56``; empty for none."""
    if value is None or value == "":
        return Safe("")
    amount = cents(Decimal(str(value)))
    return escape.text(f"{amount:,.2f}")


def item_link(item_id: Any, kind: str, label: Any = None, *, depth: int = 0) -> Safe:
    """A link to an item's page; ``depth`` is how many folders below the site root the linking page is."""
    if item_id in (None, ""):
        return Safe("")
    folder = KIND_DIRS.get(kind)
    if folder is None:
        return escape.text(label if label is not None else item_id)
    prefix = "../" * depth
    return escape.internal(label if label is not None else item_id, f"{prefix}{folder}/{item_id}.md")


def ref(item_id: Any, index: Mapping[str, str], label: Any = None, *, depth: int = 0) -> Safe:
    """Link ``item_id`` to its page when it is an item with one (``index``: id → kind)."""
    return item_link(item_id, index.get(item_id, ""), label, depth=depth)


def join_safe(values: Any, sep: str = ", ") -> Safe:
    return Safe(sep.join(_finalize(v) for v in values))


def value(v: Any, index: Mapping[str, str], *, depth: int = 0) -> Safe:
    """A field value from a registry file: ids of items with pages and http(s)/mailto URLs become links."""
    if isinstance(v, list):
        return Safe(", ".join(value(x, index, depth=depth) for x in v))
    if isinstance(v, str):
        if v in index and index[v] in KIND_DIRS:
            return ref(v, index, depth=depth)
        if escape.href(v) is not None:
            return escape.link(v, v)
    return escape.text(v)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def month_name(value: str) -> str:
    """``2026-05`` → ``May 2026``."""
    year, _, month = str(value).partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else str(value)


_CODE = re.compile(r"&#96;(.+?)&#96;")


def prose(v: Any) -> Safe:
    """Escaped text whose `backtick` spans are shown as code (for schema descriptions)."""
    return Safe(_CODE.sub(r"<code>\1</code>", escape.text(v)))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("itamctl.site", "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=money,
        link=escape.link,
        lines=escape.lines,
        title=escape.front_matter_title,
        item=item_link,
        ref=ref,
        join_safe=join_safe,
        text=escape.text,
        value=value,
        prose=prose,
        month_name=month_name,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
