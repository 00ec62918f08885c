"""Renderers of diagnostics: text, json and GitHub workflow commands."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.render.diagnostics import FORMATS, github_command, render, render_github, render_json, render_text

E = Severity.ERROR
W = Severity.WARNING
N = Severity.NOTICE

SAMPLE = [
    Diagnostic("registry/assets/LT-1.yaml", 7, 3, "schema.unknown_field", E,
               "unknown field `purchse` (did you mean `purchase`?)"),
    Diagnostic("registry/assets/LT-1.yaml", 9, None, "yaml.encoding", E, "file contains NUL bytes"),
    Diagnostic("registry/empty.yaml", None, None, "yaml.empty", W, "file is empty"),
    Diagnostic("registry/x.yaml", 2, 1, "some_notice", N, "just so you know"),
]


def test_formats():
    assert FORMATS == ("text", "json", "github")


def test_text_is_exact():
    assert render_text(SAMPLE, files=3) == (
        "registry/assets/LT-1.yaml:7:3: error [schema.unknown_field] unknown field `purchse` "
        "(did you mean `purchase`?)\n"
        "registry/assets/LT-1.yaml:9: error [yaml.encoding] file contains NUL bytes\n"
        "registry/empty.yaml: warning [yaml.empty] file is empty\n"
        "registry/x.yaml:2:1: notice [some_notice] just so you know\n"
        "2 errors, 1 warning, 1 notice in 3 files\n"
    )


@pytest.mark.parametrize(("diagnostics", "files", "summary"), [
    ([], 0, "0 errors, 0 warnings in 0 files"),
    ([], 1, "0 errors, 0 warnings in 1 file"),
    (SAMPLE[:1], 2, "1 error, 0 warnings in 2 files"),
    (SAMPLE[2:3] * 2, 2, "0 errors, 2 warnings in 2 files"),
])
def test_text_summary_line(diagnostics, files, summary):
    assert render_text(diagnostics, files=files).splitlines()[-1] == summary


def test_text_has_no_colour_unless_asked():
    plain = render_text(SAMPLE, files=1)
    assert "\x1b[" not in plain
    coloured = render_text(SAMPLE, files=1, colour=True)
    assert coloured.splitlines()[0] == (
        "\x1b[1mregistry/assets/LT-1.yaml:7:3\x1b[0m: \x1b[31merror\x1b[0m [schema.unknown_field] "
        "unknown field `purchse` (did you mean `purchase`?)")
    assert "\x1b[33mwarning\x1b[0m" in coloured and "\x1b[36mnotice\x1b[0m" in coloured
    # stripping the escapes gives the plain text back
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_json_shape():
    payload = json.loads(render_json(SAMPLE, files=3))
    assert set(payload) == {"diagnostics", "summary"}
    assert payload["diagnostics"][0] == {
        "file": "registry/assets/LT-1.yaml", "line": 7, "column": 3, "rule": "schema.unknown_field",
        "severity": "error", "message": "unknown field `purchse` (did you mean `purchase`?)",
    }
    assert payload["diagnostics"][2] == {
        "file": "registry/empty.yaml", "line": None, "column": None, "rule": "yaml.empty",
        "severity": "warning", "message": "file is empty",
    }
    assert all(set(d) == {"file", "line", "column", "rule", "severity", "message"} for d in payload["diagnostics"])
    assert payload["summary"] == {"error": 2, "warning": 1, "notice": 1, "files": 3}
    assert json.loads(render_json([], files=0)) == {
        "diagnostics": [], "summary": {"error": 0, "warning": 0, "notice": 0, "files": 0}}


def test_json_keeps_non_ascii_readable():
    text = render_json([Diagnostic("café.yaml", 1, 1, "r", E, "naïve – ok")], files=1)
    assert "café.yaml" in text and "naïve – ok" in text
    assert json.loads(text)["diagnostics"][0]["message"] == "naïve – ok"


def test_github_command():
    assert github_command(SAMPLE[0]) == (
        "::error file=registry/assets/LT-1.yaml,line=7,col=3,title=itamctl [schema.unknown_field]"
        "::unknown field `purchse` (did you mean `purchase`?)")
    assert github_command(SAMPLE[1]) == (
        "::error file=registry/assets/LT-1.yaml,line=9,title=itamctl [yaml.encoding]::file contains NUL bytes")
    assert github_command(SAMPLE[2]) == (
        "::warning file=registry/empty.yaml,title=itamctl [yaml.empty]::file is empty")
    assert github_command(SAMPLE[3]).startswith("::notice file=registry/x.yaml,line=2,col=1,")


def test_github_escaping_of_properties_and_data():
    d = Diagnostic("dir:1/a,b%c.yaml", 4, 2, "rule:x,y", E, "100% sure: a, b\nsecond line\r\nthird")
    assert github_command(d) == (
        "::error file=dir%3A1/a%2Cb%25c.yaml,line=4,col=2,title=itamctl [rule%3Ax%2Cy]"
        "::100%25 sure: a, b%0Asecond line%0D%0Athird")
    # the escaping happens once: `%` first, so `%0A` in a message stays literal text
    literal = Diagnostic("f.yaml", 1, 1, "r", E, "literally %0A")
    assert github_command(literal).endswith("::literally %250A")


def test_github_output_is_one_command_per_line_plus_a_summary():
    lines = render_github(SAMPLE, files=3).splitlines()
    assert len(lines) == len(SAMPLE) + 1
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1] == "2 errors, 1 warning, 1 notice in 3 files"


def test_render_dispatches_on_format():
    assert render("text", SAMPLE, files=3) == render_text(SAMPLE, files=3)
    assert render("json", SAMPLE, files=3) == render_json(SAMPLE, files=3)
    assert render("github", SAMPLE, files=3) == render_github(SAMPLE, files=3)
    assert render("text", SAMPLE, files=3, colour=True) == render_text(SAMPLE, files=3, colour=True)


# --- colour on a real terminal ------------------------------------------------------------


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run ``python -m itamctl`` with stdout on a pseudo-terminal; returns what it printed."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "itamctl", *args], stdout=follower,
                                stderr=subprocess.PIPE, cwd=REPO_ROOT, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
    finally:
        os.close(leader)
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_colour_only_on_a_terminal_and_never_with_no_color(registry):
    registry.write("empty.yaml", "")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS")}
    args = ["validate", "--registry", str(registry.root)]
    on_tty = _run_on_a_terminal(args, env)
    assert "\x1b[33mwarning\x1b[0m [yaml.empty]" in on_tty
    assert "\x1b[" not in _run_on_a_terminal(args, {**env, "NO_COLOR": "1"})
    # no-color.org: only a non-empty NO_COLOR turns colour off
    assert "\x1b[33mwarning" in _run_on_a_terminal(args, {**env, "NO_COLOR": ""})
    piped = subprocess.run([sys.executable, "-m", "itamctl", *args], capture_output=True, text=True,
                           cwd=REPO_ROOT, env=env, check=False)
    assert "warning [yaml.empty]" in piped.stdout
    assert "\x1b[" not in piped.stdout
