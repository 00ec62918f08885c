"""The Markdown of ``check`` (the job summary, the daily issue): registry text stays text (issue 11 class 5).

Table pipes, HTML, the diff bot's comment marker, ``@user``/``@org/team``
mentions, Markdown markup and control characters in item names and file names
are escaped; every row keeps its column count.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import MINIMAL_REGISTRY, run_cli, write_registry
from helpers_output import assert_safe

from itamctl.pipeline import run_check
from itamctl.render.check_summary import render_markdown

HOSTILE = ("a|b <b>x</b> <img src=x onerror=alert(1)> @alice @octo-org/team <!-- itamctl-diff --> "
           "\x1b]52;c;eA==\x07 \x9b2J \u202e \r\n::error::forged ##[add-mask]v1 `code` [link](https://e.example) *em*")
AS_OF = date(2026, 11, 1)
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
MENTION = re.compile(r"@(?=[A-Za-z0-9])")
UNESCAPED_TAG = re.compile(r"(?<!\\)<")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    reg = write_registry(tmp_path_factory.mktemp("summary") / "registry")
    name = json.dumps(HOSTILE)
    reg.replace("assets/LT-0001.yaml", "name: Laptop (Alice)", f"name: {name}")
    reg.replace("assets/LT-0001.yaml", "end: 2027-03-14", "end: 2025-03-14")  # expired warranty: a finding
    reg.replace("contracts/CTR-0001.yaml", "name: Laptop support", f"name: {name}")  # an upcoming expiry
    stem = HOSTILE.replace("/", "_").replace("\r\n", " ")
    reg.write(f"assets/{stem}.yaml", MINIMAL_REGISTRY["assets/LT-0001.yaml"].replace("LT-0001", "LT-0002")
              .replace("end: 2027-03-14", "end: 2025-01-01"))  # a finding whose Where is the hostile name
    return reg


def _tables(markdown: str) -> list[list[str]]:
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def test_every_row_keeps_its_columns_and_no_markup_survives(hostile):
    markdown = render_markdown(run_check(hostile.root, AS_OF))
    tables = _tables(markdown)
    assert len(tables) == 3  # counts, findings, upcoming expiries
    for table in tables:
        columns = len(UNESCAPED_PIPE.findall(table[0]))
        assert all(len(UNESCAPED_PIPE.findall(row)) == columns for row in table), table
    findings, upcoming = "\n".join(tables[1]), "\n".join(tables[2])
    assert "a\\|b" in findings and "a\\|b" in upcoming  # the hostile file name and item name are there, as text
    for text in (findings, upcoming):
        assert not MENTION.search(text)
        assert not UNESCAPED_TAG.search(text) and "\\<!-- itamctl-diff --\\>" in text  # HTML and the marker
        assert "[link](" not in text and "`code`" not in text and "*em*" not in text
    assert_safe(markdown, "markdown", github=True)


def test_the_title_is_escaped_too(hostile):
    markdown = render_markdown(run_check(hostile.root, AS_OF), title="@alice <b>|</b>")
    assert markdown.startswith("## @&#8203;alice \\<b\\>\\|\\</b\\>: failed")


@pytest.mark.parametrize("github", [False, True])
def test_summary_file_and_markdown_output_are_the_same_safe_text(hostile, tmp_path, github):
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true"} if github else None
    code, out, err = run_cli("check", "--registry", hostile.root, "--as-of", AS_OF.isoformat(), "--format",
                             "markdown", "--summary", summary, env=env)
    assert code == 1, err
    written = summary.read_text(encoding="utf-8")
    assert written == out if out.endswith("\n") else out + "\n"
    assert_safe(written, "markdown", github=True)
    assert not MENTION.search(written) and "<!-- itamctl-diff -->" not in written
