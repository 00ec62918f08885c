"""Registry values made inert for the site's Markdown (Python-Markdown) and HTML.

Every value from the registry reaches a page through :func:`text` (the Jinja
environment applies it to every ``{{ … }}`` that is not already :class:`Safe`).
Characters that HTML or Python-Markdown (with the site's extensions) give a
meaning are written as numeric character references, which Python-Markdown
passes through untouched and the browser shows as the character itself:
``<img onerror>``, ``[x](javascript:…)``, ``|`` in a table cell, ``{{ … }}``,
``**bold**`` all show as typed. Whitespace (newlines included) collapses to one
space so a value can never start a Markdown block (``#``, ``!!!``, ``>``,
``-``, ``1.``, a code block); the first character is also encoded when a line
starting with it would mean something. The same text is valid inside raw HTML
(the site's big tables are raw HTML blocks, which Python-Markdown leaves alone).

Links are HTML ``<a href>`` elements, which work both in Markdown and in raw
HTML: :func:`href` lets through only ``http``, ``https`` and ``mailto`` URLs,
and :func:`internal` links a page of the site by its built ``.html`` path.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote, urlsplit


class Safe(str):
    """Markdown produced here from escaped parts: emitted as is."""

    __slots__ = ()


#: Characters with a meaning anywhere in a line (HTML, inline Markdown, tables, attr lists, Jinja).
_ANYWHERE = frozenset("&<>\"'\\`*_{}[]()#!|~^$%=:@")
#: Characters with a meaning only at the start of a line (lists, rules, setext headings).
_LINE_START = frozenset("-+.>")
_ORDERED = re.compile(r"^(\d+)([.)])(\s|$)")


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


_REFS = str.maketrans({ch: _ref(ch) for ch in _ANYWHERE})


def text(value: Any) -> Safe:
    """Plain text for one line of Markdown (a paragraph, a heading, a table cell)."""
    if value is None:
        return Safe("")
    if isinstance(value, Safe):
        return value
    if isinstance(value, bool):
        value = "yes" if value else "no"
    raw = " ".join(str(value).split())
    if not raw.isprintable():
        raw = "".join(ch for ch in raw if ch.isprintable())
    if not raw:
        return Safe("")
    if raw[0] in _LINE_START:
        return Safe(_ref(raw[0]) + raw[1:].translate(_REFS))
    match = _ORDERED.match(raw)
    if match:  # "1." or "1)": the digits stay, the marker is encoded
        digits = match.group(1)
        return Safe(digits + _ref(match.group(2)) + raw[len(digits) + 1:].translate(_REFS))
    return Safe(raw.translate(_REFS))


def lines(value: Any) -> Safe:
    """Multi-line text (notes): each line escaped, joined by ``<br>`` on one Markdown line."""
    if value is None:
        return Safe("")
    return Safe("<br>".join(text(line) for line in str(value).splitlines() if line.strip()))


_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_SAFE = "/:?#@!$&*+,;=%~-._"  # no quotes, parentheses, angle brackets, spaces or backslashes


def href(url: Any) -> str | None:
    """``url`` percent-encoded for a link target when it is http(s) or mailto; else ``None``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(not ch.isprintable() or ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def _anchor(label: Safe, target: str) -> Safe:
    return Safe(f'<a href="{html.escape(target, quote=True)}">{label}</a>')


def link(label: Any, url: Any) -> Safe:
    """A link when ``url`` is allowed, else the label (or the URL) as plain text."""
    target = href(url)
    shown = text(label if label not in (None, "") else url)
    if target is None:
        return shown
    return _anchor(shown, target)


def internal(label: Any, path: str) -> Safe:
    """A link to a file of the built site, ``path`` relative to the linking page (``asset/A-1.html``).

    MkDocs does not rewrite links in raw HTML, so ``path`` is the built file, not its ``.md`` source;
    it is built from validated ids and encoded anyway.
    """
    return _anchor(text(label), quote(path, safe="/._-#"))


def front_matter_title(value: Any) -> Safe:
    """A page title for YAML front matter: MkDocs puts it into ``<title>`` without escaping."""
    raw = " ".join(str(value or "").split())
    return Safe(json.dumps(html.escape(raw, quote=True)))
