"""Escaping per output channel: one function per channel, used by every renderer and by the output sink.

* terminals (:func:`terminal`, :func:`terminal_text`): control characters
  (C0, DEL, C1) and Unicode bidirectional controls are shown as ``\\x1b``,
  ``\\r``, ``\\u202e``: nothing a name holds can move the cursor, ring the
  bell, set the title or write the clipboard (OSC 52);
* GitHub workflow commands (:func:`workflow_data`, :func:`workflow_property`)
  as ``@actions/core`` escapes them, and :func:`neutralise_workflow_commands`
  for every other line printed under ``GITHUB_ACTIONS``: the runner reads a
  line as a command when it starts with ``::`` after white space, or holds
  ``##[`` anywhere (the v1 syntax), and splits lines at CR as well as LF;
* JSON (:func:`json_text`): what :func:`json.dumps` leaves raw (DEL, C1, bidi
  controls, U+2028/9) becomes ``\\uXXXX``, the same value for a JSON reader;
* iCalendar TEXT (:func:`ics_text`): no control character but the line break;
* Markdown mentions (:func:`no_mentions`): ``@user`` and ``@org/team`` never notify.
"""

from __future__ import annotations

import os
import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Characters a terminal acts on, or that reorder what it shows.
CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(char: str) -> str:
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _shown_match(match: re.Match) -> str:
    return _shown(match.group())


#: The ASCII characters a line of output may hold as they are: the printable ones, a line break, a tab.
_ASCII_LAYOUT = bytes(range(0x20, 0x7F)) + b"\n\t"
_ASCII_PRINTABLE = bytes(range(0x20, 0x7F))


def _ascii_only(text: str, allowed: bytes) -> bool:
    """Whether ``text`` is ASCII made of ``allowed`` characters alone: two passes in C (a regular expression
    over the character classes below took 8 ms for a 1.3 MB report)."""
    return text.isascii() and not text.encode("ascii").translate(None, allowed)


def no_control(text: str) -> bool:
    """Whether ``text`` holds no character :data:`CONTROL` matches (what :func:`terminal` would escape)."""
    return _ascii_only(text, _ASCII_PRINTABLE) or CONTROL.search(text) is None


def terminal(value: object) -> str:
    """One value (a name, a path, a message) for a terminal: every control character shown escaped."""
    text = "" if value is None else str(value)
    return CONTROL.sub(_shown_match, text) if CONTROL.search(text) else text


#: What the renderers themselves put in human output: line breaks, tabs and colour (SGR) sequences.
_RENDERER_TEXT = re.compile(r"\n|\t|\x1b\[[0-9;]*m")
_TEXT_CONTROL = re.compile(f"\x1b\\[[0-9;]*m|[\n\t]|{CONTROL.pattern}")


#: A control character other than a line break or tab (ESC included): output without one is left as it is.
_NOT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def terminal_text(text: str) -> str:
    """A whole human-readable output: control characters escaped except line breaks, tabs and colours.

    The safety net behind :func:`terminal`: whatever a renderer forgot to
    escape, no cursor movement, title, hyperlink or clipboard sequence gets through.
    Output with no control character but line breaks and tabs (most of it) is
    returned after one scan, not matched line by line.
    """
    if _ascii_only(text, _ASCII_LAYOUT) or _NOT_LAYOUT.search(text) is None:
        return text
    return _TEXT_CONTROL.sub(lambda m: m.group() if _RENDERER_TEXT.fullmatch(m.group()) else _shown(m.group()),
                             text)


_CRLF_TEXT = re.compile(f"\r\n|[\n\t]|{CONTROL.pattern}")


def file_text(text: str) -> str:
    """CSV, Markdown and iCalendar output: CRLF, LF and tab stay; other control characters are shown escaped."""
    return _CRLF_TEXT.sub(lambda m: m.group() if m.group() in ("\r\n", "\n", "\t") else _shown(m.group()), text)


_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_text(text: str) -> str:
    """JSON text from :func:`json.dumps` with the characters it leaves raw written as ``\\uXXXX``."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def ics_text(value: object) -> str:
    """A value for an iCalendar TEXT property (RFC 5545 3.3.11 forbids control characters but the break).

    CRLF and a lone CR become a line break (which the iCalendar library
    writes as ``\\n``); other control characters are shown escaped.
    """
    text = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub(lambda m: m.group() if m.group() == "\n" else _shown(m.group()), text)


# --- GitHub Actions ---------------------------------------------------------

def workflow_data(text: str) -> str:
    """The message part of a workflow command (after ``::``), as ``@actions/core`` escapes it."""
    if "%" not in text and "\r" not in text and "\n" not in text:  # most messages: nothing to escape
        return text
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def under_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


_LINES = re.compile(r"\r\n|\r|\n")
_COMMAND_START = re.compile(r"^(\s*):")
_V1_COMMAND = "##["


def neutralise_workflow_commands(text: str, fmt: str = "text") -> str:
    """``text`` with nothing the Actions runner would run as a workflow command.

    A line (split at CR, LF or CRLF, as the runner splits) that starts with
    ``::`` gets a backslash before it, and ``##[`` becomes ``##\\[`` (Markdown
    shows both unchanged). In JSON, ``[`` after ``##`` becomes ``\\u005b``,
    the same string for a JSON reader. With ``fmt="github"`` lines that start
    with ``::`` are the renderer's own commands (their data escaped by
    :func:`workflow_data`), so only the ``##[`` form is neutralised elsewhere.
    """
    if "::" not in text and _V1_COMMAND not in text:
        return text
    parts = _LINES.split(text)
    breaks = _LINES.findall(text)
    out = []
    for line in parts:
        command = line.lstrip().startswith("::")
        if command and fmt != "github":
            line = _COMMAND_START.sub(lambda m: m.group(1) + "\\:", line, count=1)
        if _V1_COMMAND in line and not (command and fmt == "github"):
            line = line.replace(_V1_COMMAND, "##\\u005b" if fmt == "json" else "##\\[")
        out.append(line)
    return "".join(part + brk for part, brk in zip(out, [*breaks, ""], strict=True))


# --- Markdown -----------------------------------------------------------------

_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def no_mentions(markdown: str) -> str:
    """Markdown in which ``@user`` and ``@org/team`` stay text: a zero-width space follows the ``@``.

    GitHub turns an ``@`` before a login into a notification even behind a
    backslash; the zero-width space (as Dependabot and Renovate write it) keeps
    the text readable and notifies nobody.
    """
    return _MENTION.sub("@&#8203;", markdown)


def for_channel(text: str, fmt: str) -> str:
    """A renderer's whole output made safe for its format (before it reaches a terminal or a file)."""
    if fmt == "json":
        return json_text(text)
    if fmt in ("text", "github"):
        return terminal_text(text)
    return file_text(text)


def for_stream(text: str, fmt: str) -> str:
    """What may be printed on stdout or stderr: :func:`for_channel`, and no forged workflow command in CI."""
    text = for_channel(text, fmt)
    return neutralise_workflow_commands(text, fmt) if under_github_actions() else text
