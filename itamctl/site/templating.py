"""Jinja2 templates → Markdown pages, with every registry value escaped by default.

The environment's ``finalize`` hook escapes each ``{{ … }}`` result with
:func:`itamctl.site.escape.text` unless it is :class:`~itamctl.site.escape.Safe`
(built here from escaped parts by the filters below), so a template cannot
forget to escape. Registry values are only ever template *variables*: no value
is fed through a template twice, so ``{{ … }}`` in a name stays text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from itamctl.render.numbers import amount
from itamctl.site import attention, escape, status
from itamctl.site.escape import Safe

KIND_DIRS = {"Asset": "asset", "License": "license", "Contract": "contract", "Person": "person",
             "Location": "location", "Vendor": "vendor"}
#: Page ``asset/A-1.md`` is built as ``asset/A-1.html`` (``use_directory_urls: false`` in site/mkdocs.yml);
#: links point at the built file because MkDocs does not rewrite links inside raw HTML.
PAGE_SUFFIX = ".html"


def _finalize(value: Any) -> Safe:
    return value if isinstance(value, Safe) else escape.text(value)


def money(value: Any) -> Safe:
    """A JSON money string or Decimal as ``1,234.56``; empty for none."""
    if value is None or value == "":
        return Safe("")
    return escape.text(amount(Decimal(str(value))))


def item_link(item_id: Any, kind: str, label: Any = None, *, depth: int = 0) -> Safe:
    """A link to an item's page; ``depth`` is how many folders below the site root the linking page is."""
    if item_id in (None, ""):
        return Safe("")
    folder = KIND_DIRS.get(kind)
    if folder is None:
        return escape.text(label if label is not None else item_id)
    prefix = "../" * depth
    return escape.internal(label if label is not None else item_id, f"{prefix}{folder}/{item_id}{PAGE_SUFFIX}")


def ref(item_id: Any, index: Mapping[str, str], label: Any = None, *, depth: int = 0) -> Safe:
    """Link ``item_id`` to its page when it is an item with one (``index``: id → kind)."""
    return item_link(item_id, index.get(item_id, ""), label, depth=depth)


def filter_key(column: Any) -> str:
    """The URL parameter of a list filter: its column heading in lower case, spaces as ``-``."""
    return "-".join(str(column).lower().split())


def filtered(label: Any, page: str, column: Any = None, value: Any = None, *, depth: int = 0,
             ended: bool = False) -> Safe:
    """A link to list ``page`` filtered to rows whose ``column`` shows ``value`` (site/docs/javascripts/tables.js).

    ``ended``: include the retired, disposed and ended rows the live view hides.
    """
    target = "../" * depth + page
    params = {}
    if column is not None and value not in (None, ""):
        params[filter_key(column)] = str(value)
    if ended:
        params["all"] = "1"
    if params:
        target += "?" + urlencode(params, quote_via=quote)
    return Safe(f'<a href="{html.escape(target, quote=True)}">{_finalize(label)}</a>')


def code_block(source: Any, language: str = "") -> Safe:
    """``source`` as a preformatted block, every character shown as written (HTML-escaped, never Markdown)."""
    css = f' class="language-{html.escape(language, quote=True)}"' if language else ""
    return Safe(f"<pre><code{css}>{html.escape(str(source).rstrip(chr(10)), quote=False)}</code></pre>")


def badge(b: Mapping[str, Any]) -> Safe:
    """One status badge (:mod:`itamctl.site.status`): its colour class, its words, its sentence on hover."""
    css = re.sub(r"[^a-z-]", "", str(b.get("css", "")))
    raw = " ".join(str(b.get("title") or "").split())
    title = f' title="{html.escape(raw, quote=True)}"' if raw else ""
    return Safe(f'<span class="itam-badge itam-badge--{css}"{title}>{_finalize(b.get("text", ""))}</span>')


def badges(values: Iterable[Mapping[str, Any]]) -> Safe:
    return Safe(" ".join(badge(b) for b in values))


class Cell:
    """A table cell whose filter and sort key (``data-value``) differs from what it shows."""

    __slots__ = ("content", "key")

    def __init__(self, content: Any, key: Any) -> None:
        self.content = content
        self.key = key

    def __len__(self) -> int:  # so a Cell is never mistaken for an empty value
        return 1


def cell(content: Any, key: Any) -> Cell:
    return Cell(content, key)


def status_cell(row: Mapping[str, Any]) -> Cell:
    """A list's status cell: the lifecycle word, then the badges; filtered and sorted by the word."""
    shown = _finalize(row.get("state_label", ""))
    if row.get("badges"):
        shown = Safe(f"{shown} {badges(row['badges'])}")
    return Cell(shown, row.get("state_label", ""))


SEAT_WORDS = {"over": "more assigned than bought", "full": "every seat assigned", "unused": "no seat assigned"}


def seats(row: Mapping[str, Any]) -> Safe:
    """A license's seats as "used / total", coloured when over-allocated, full or unused."""
    total = row.get("seats")
    shown = escape.text(f"{row.get('used', 0)} / {total if total is not None else 'unlimited'}")
    css = status.seats_class(row.get("used", 0), total)
    if not css:
        return shown
    return Safe(f'<span class="itam-seats itam-seats--{css}" title="{SEAT_WORDS[css]}">{shown}</span>')


def status_badges(row: Mapping[str, Any]) -> Safe:
    """The lifecycle word and the badges of an item, as in its list's status cell."""
    return _finalize(status_cell(row).content)


def finding_badge(entry: Mapping[str, Any]) -> Safe:
    return badge(status.finding_badge(entry))


def waiver_badge(waiver: Mapping[str, Any], as_of: str) -> Safe:
    if waiver.get("live"):
        return badge(status.waiver_badge(waiver, as_of))
    return badge({"css": "warning", "text": "Waiver lapsed", "title": f"lapsed on {waiver['until']}"})


def event_waiver(event: Mapping[str, Any], as_of: str) -> Safe:
    """An expiry event's waiver (``waiver`` of the events JSON) as a badge; empty when not waived."""
    waiver = event.get("waiver")
    if not waiver:
        return Safe("")
    return badge(status.waiver_badge(waiver, as_of))


def source_link(path: Any, shown: Any, base: str | None) -> Safe:
    """The item's file: a link into the repository when the site knows its URL (``base`` ends with ``/``)."""
    if not base or not path:
        return _finalize(shown)
    return escape.link(shown, base + quote(str(path), safe="/._-~"))


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


_RIGHT = ' style="text-align: right;"'
#: Tables wider than this many columns become one card per row on a phone (site/docs/stylesheets/itam.css).
CARD_COLUMNS = 3


def table(headers: Sequence[Any], rows: Iterable[Sequence[Any]], right: Collection[Any] = (),
          searchable: bool = True, classes: Sequence[str] | None = None) -> Safe:
    """An HTML table (a raw HTML block for Python-Markdown, which skips its inline processing).

    Every header and cell is escaped like any ``{{ … }}`` unless it is :class:`Safe`. ``right`` names the
    right-aligned (numeric) columns by header or index. The markup is what Python-Markdown's ``tables``
    extension writes, so the page looks, sorts and is indexed for search the same. Put the call on a line
    of its own with blank lines around it. ``searchable=False`` keeps the table out of the search index
    (Material's ``data-search-exclude``): for figures nobody searches for, and for big tables whose rows
    each have a page of their own. ``classes``, one per row, sets each row's ``class`` (status colours, and
    ``itam-ended`` for rows the live view hides). Tables of more than :data:`CARD_COLUMNS` columns are
    marked ``data-cards``: on a phone each row becomes a card.
    """
    right = set(right)
    aligns = [_RIGHT if i in right or h in right else "" for i, h in enumerate(headers)]
    width = len(aligns)
    attrs = ("" if searchable else " data-search-exclude") + (" data-cards" if width > CARD_COLUMNS else "")
    out = [f"<table{attrs}>\n<thead>\n<tr>"]
    out.extend(f"<th{align}>{_finalize(h)}</th>" for h, align in zip(headers, aligns, strict=True))
    out.append("</tr>\n</thead>\n<tbody>")
    for n, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"table row has {len(row)} cells, the header {width}: {row!r}")
        css = classes[n] if classes else ""
        out.append(f'<tr class="{html.escape(css, quote=True)}">' if css else "<tr>")
        out.extend(_td(cell, align) for cell, align in zip(row, aligns, strict=True))
        out.append("</tr>")
    out.append("</tbody>\n</table>")
    return Safe("\n".join(out))


def _td(content: Any, align: str) -> str:
    if isinstance(content, Cell):
        key = html.escape(" ".join(str(content.key or "").split()), quote=True)
        return f'<td{align} data-value="{key}">{_finalize(content.content)}</td>'
    return f"<td{align}>{_finalize(content)}</td>"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("itamctl.site", "templates"),
        auto_reload=False,  # templates ship with the package: no stat() per page and include
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
        code=code_block,
        text=escape.text,
        value=value,
        prose=prose,
        month_name=month_name,
        label=attention.label,
        plain=attention.plain,
        when=attention.when,
        badge=badge,
        badges=badges,
        status_badges=status_badges,
        finding_badge=finding_badge,
        waiver_badge=waiver_badge,
        event_waiver=event_waiver,
    )
    env.globals["table"] = table
    env.globals["filtered"] = filtered
    env.globals["cell"] = cell
    env.globals["seats"] = seats
    env.globals["seats_class"] = status.seats_class
    env.globals["status_cell"] = status_cell
    env.globals["source_link"] = source_link
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
