"""Renderers for diagnostics: text (default), json and github workflow commands."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

from itamctl.diagnostics import Diagnostic, Severity, counts, location
from itamctl.render.escape import no_control, terminal, workflow_data, workflow_property

FORMATS = ("text", "json", "github")

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTICE: "\x1b[36m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def summary_line(diagnostics: Sequence[Diagnostic], files: int) -> str:
    c = counts(diagnostics)
    parts = [f"{c['error']} error{'s' * (c['error'] != 1)}",
             f"{c['warning']} warning{'s' * (c['warning'] != 1)}"]
    if c["notice"]:
        parts.append(f"{c['notice']} notice{'s' * (c['notice'] != 1)}")
    return f"{', '.join(parts)} in {files} file{'s' * (files != 1)}"


def render_text(diagnostics: Sequence[Diagnostic], *, files: int, colour: bool = False) -> str:
    wheres = [location(d) for d in diagnostics]
    messages = [d.message for d in diagnostics]
    if not (no_control("".join(wheres)) and no_control("".join(messages))):  # one scan of all, not two a line
        wheres, messages = [terminal(w) for w in wheres], [terminal(m) for m in messages]
    if colour:
        lines = [f"{_BOLD}{where}{_RESET}: {_COLOURS[d.severity]}{d.severity.value}{_RESET} [{d.rule}] {message}"
                 for where, message, d in zip(wheres, messages, diagnostics, strict=True)]
    else:
        lines = [f"{where}: {d.severity.value} [{d.rule}] {message}"
                 for where, message, d in zip(wheres, messages, diagnostics, strict=True)]
    lines.append(summary_line(diagnostics, files))
    return "\n".join(lines) + "\n"


def render_json(diagnostics: Sequence[Diagnostic], *, files: int, extra: dict | None = None) -> str:
    payload = {"diagnostics": [d.to_json() for d in diagnostics],
               "summary": {**counts(diagnostics), "files": files}}
    if extra:
        payload.update(extra)
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@functools.lru_cache(maxsize=4096)
def _file_property(file: str) -> str:
    return f"file={workflow_property(file)}"


@functools.lru_cache(maxsize=256)
def _title_property(rule: str) -> str:
    return f"title={workflow_property(f'itamctl [{rule}]')}"


def github_command(d: Diagnostic) -> str:
    """One GitHub Actions workflow command (``::error file=…,line=…::message``)."""
    props = [_file_property(d.file)]
    if d.line is not None:
        props.append(f"line={d.line}")
        if d.column is not None:
            props.append(f"col={d.column}")
    props.append(_title_property(d.rule))
    return f"::{d.severity.value} {','.join(props)}::{workflow_data(d.message)}"


def render_github(diagnostics: Sequence[Diagnostic], *, files: int) -> str:
    lines = [github_command(d) for d in diagnostics]
    lines.append(summary_line(diagnostics, files))
    return "\n".join(lines) + "\n"


def render(fmt: str, diagnostics: Sequence[Diagnostic], *, files: int, colour: bool = False) -> str:
    if fmt == "json":
        return render_json(diagnostics, files=files)
    if fmt == "github":
        return render_github(diagnostics, files=files)
    return render_text(diagnostics, files=files, colour=colour)
