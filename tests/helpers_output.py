"""Assertions about what itamctl prints: no raw control character, no workflow command it did not mean."""

from __future__ import annotations

import json
import re

#: Raw characters no output may hold (CR only inside CRLF).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
RUNNER_LINES = re.compile(r"\r\n|\r|\n")
OWN_COMMAND = re.compile(r"::(error|warning|notice) (file|title)=[^:\r\n]*::")


def assert_safe(text: str, fmt: str, *, github: bool) -> None:
    """``text`` (printed in ``fmt``) holds no control sequence, and under Actions no forged workflow command.

    JSON must still be JSON (escaping for a channel never changes the value a reader gets).
    """
    assert not RAW_CONTROL.search(text), RAW_CONTROL.search(text)
    if fmt == "json" and text.strip():
        json.loads(text)
    if not github:
        return
    for line in RUNNER_LINES.split(text):
        if line.lstrip().startswith("::"):
            assert fmt == "github" and OWN_COMMAND.match(line), line
        else:
            assert "##[" not in line, line


def formats_of(name: str) -> list[str]:
    """The ``--format`` choices of the command ``name`` (``"import snipeit"`` for a subcommand)."""
    import click

    from itamctl.cli import cli

    command: click.Command = cli
    for part in name.split():
        command = command.get_command(click.Context(command), part)  # type: ignore[attr-defined]
    option = next(p for p in command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)
