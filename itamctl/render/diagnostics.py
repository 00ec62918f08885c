"""Renderers for diagnostics: text (default), json and github workflow commands."""

from __future__ import annotations

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
    if not colour and no_control("".join(wheres)) and no_control("".join([d.message for d in diagnostics])):
        # nothing to escape in any of them (one scan of all, not two a line: 8,700 findings at 10^4 assets)
        lines = [f"{where}: {d.severity.value} [{d.rule}] {d.message}"
                 for where, d in zip(wheres, diagnostics, strict=True)]
        lines.append(summary_line(diagnostics, files))
        return "\n".join(lines) + "\n"
    lines = []
    for d in diagnostics:
        severity = d.severity.value
        where, message = terminal(location(d)), terminal(d.message)
        if colour:
            severity = f"{_COLOURS[d.severity]}{severity}{_RESET}"
            lines.append(f"{_BOLD}{where}{_RESET}: {severity} [{d.rule}] {message}")
        else:
            lines.append(f"{where}: {severity} [{d.rule}] {message}")
    lines.append(summary_line(diagnostics, files))
    return "\n".join(lines) + "\n"


def render_json(diagnostics: Sequence[Diagnostic], *, files: int, extra: dict | None = None) -> str:
    payload = {"diagnostics": [d.to_json() for d in diagnostics],
               "summary": {**counts(diagnostics), "files": files}}
    if extra:
        payload.update(extra)
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def github_command(d: Diagnostic) -> str:
    """One GitHub Actions workflow command (``::error file=…,line=…::message``)."""
    props = [f"file={workflow_property(d.file)}"]
    if d.line is not None:
        props.append(f"line={d.line}")
        if d.column is not None:
            props.append(f"col={d.column}")
    props.append(f"title={workflow_property(f'itamctl [{d.rule}]')}")
    return f"::{d.severity.value} {','.join(props)}::{workflow_data(d.message)}"


def render_github(diagnostics: Sequence[Diagnostic], *, files: int) -> str:
    messages = "".join([d.message for d in diagnostics])
    if "%" in messages or "\r" in messages or "\n" in messages:
        lines = [github_command(d) for d in diagnostics]
    else:  # no message to escape: github_command's lines, each file and rule escaped once
        names: dict[str, str] = {}
        titles: dict[str, str] = {}
        lines = []
        for d in diagnostics:
            name = names.get(d.file)
            if name is None:
                name = names[d.file] = f"file={workflow_property(d.file)}"
            title = titles.get(d.rule)
            if title is None:
                title = titles[d.rule] = f"title={workflow_property(f'itamctl [{d.rule}]')}"
            if d.line is None:
                lines.append(f"::{d.severity.value} {name},{title}::{d.message}")
            elif d.column is None:
                lines.append(f"::{d.severity.value} {name},line={d.line},{title}::{d.message}")
            else:
                lines.append(f"::{d.severity.value} {name},line={d.line},col={d.column},{title}::{d.message}")
    lines.append(summary_line(diagnostics, files))
    return "\n".join(lines) + "\n"


def render(fmt: str, diagnostics: Sequence[Diagnostic], *, files: int, colour: bool = False) -> str:
    if fmt == "json":
        return render_json(diagnostics, files=files)
    if fmt == "github":
        return render_github(diagnostics, files=files)
    return render_text(diagnostics, files=files, colour=colour)
