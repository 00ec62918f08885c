"""Every output channel escapes what the registry says: terminals, GitHub workflow commands, JSON, ICS, Markdown.

A registry whose names, file names and field names hold terminal control
sequences (OSC 52 writes the clipboard), forged workflow commands (``::error``,
``::add-mask::``, the v1 ``##[...]`` form), a lone CR, mentions and HTML goes
through every command in every format, with and without ``GITHUB_ACTIONS``.
"""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL_REGISTRY, run_cli, write_registry
from helpers_git import commit
from helpers_output import RAW_CONTROL, assert_safe, formats_of

from itamctl.render.escape import (
    file_text,
    ics_text,
    json_text,
    neutralise_workflow_commands,
    no_mentions,
    terminal,
    terminal_text,
    workflow_data,
    workflow_property,
)
from itamctl.render.table import md_escape

HOSTILE = ("Evil\x1b]52;c;ZXZpbA==\x07\r::add-mask::s3cret\n::error file=x.yaml::forged ##[add-mask]v1 "
           "\x9b2J @octo-org/team @alice \u202e<b>|x</b> <!-- itamctl-diff -->")
AS_OF = "2026-11-01"
COMMANDS = {
    "validate": [], "check": ["--as-of", AS_OF], "costs": ["--as-of", AS_OF],
    "depreciation": ["LT-0001", "--as-of", AS_OF], "expiries": ["--as-of", AS_OF],
    "budget": ["--as-of", AS_OF, "--lines"], "list": [], "show": ["LT-0001", "--as-of", AS_OF],
    "export": ["--as-of", AS_OF],
    "diff": ["--base", "HEAD~1", "--as-of", AS_OF], "history": ["LT-0002"],
}
CASES = [(name, fmt) for name in COMMANDS for fmt in formats_of(name) if fmt not in ("xlsx", "sqlite")]
#: What git accepts as an author name: no line break, ``<`` or ``>``.
AUTHOR = "Mallory \x1b]0;title\x07 ::error file=a::b @alice"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Hostile names in a real repository: a first commit, then one that adds LT-0002 (named the same)."""
    import git

    reg = write_registry(tmp_path_factory.mktemp("hostile") / "registry")
    name = json.dumps(HOSTILE)
    reg.replace("assets/LT-0001.yaml", "name: Laptop (Alice)", f"name: {name}")
    reg.replace("licenses/LIC-0001.yaml", "name: Editor subscription", f"name: {name}")
    reg.replace("contracts/CTR-0001.yaml", "name: Laptop support", f"name: {name}")
    repo = git.Repo.init(reg.root.parent)
    actor = git.Actor(AUTHOR, "m@example.com")
    commit(repo, HOSTILE, actor)
    reg.write("assets/LT-0002.yaml", MINIMAL_REGISTRY["assets/LT-0001.yaml"].replace("LT-0001", "LT-0002")
              .replace("name: Laptop (Alice)", f"name: {name}"))
    commit(repo, "\r::add-mask::k\n##[error]v1 <!-- itamctl-diff --> @alice", actor)
    return reg


@pytest.mark.parametrize("github", [False, True], ids=["terminal", "actions"])
@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_hostile_names_in_every_command_and_format(hostile, name, fmt, github):
    env = {"GITHUB_ACTIONS": "true"} if github else None
    code, out, err = run_cli(*name.split(), *COMMANDS[name], "--registry", hostile.root, "--format", fmt, env=env)
    assert code in (0, 1), err
    assert out
    assert_safe(out, fmt, github=github)
    assert_safe(err, "text", github=github)
    if fmt != "csv":  # a line break in a value never breaks the output's line (CSV quotes it)
        assert "s3cret\n" not in out and "s3cret\r" not in out
    if fmt == "json":
        json.loads(out)
    if fmt == "markdown":
        assert "@octo-org" not in out and "@alice" not in out
        assert "<b>" not in out
        marker = "<!-- itamctl-diff -->"  # the diff comment starts with its own marker, and holds no other
        assert out.count(marker) == (1 if name == "diff" else 0) and (name != "diff" or out.startswith(marker))


def test_xlsx_and_sqlite_hold_no_control_character_and_no_formula(hostile, tmp_path):
    import sqlite3

    from openpyxl import load_workbook

    code, _, err = run_cli("export", "--registry", hostile.root, "--as-of", AS_OF, "--format", "xlsx",
                           "-o", tmp_path / "x.xlsx")
    assert code == 0, err
    sheet = load_workbook(tmp_path / "x.xlsx")["assets"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Evil\\x1b]52") for t in texts)
    assert not any(RAW_CONTROL.search(t.replace("\n", "")) for t in texts)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    code, _, err = run_cli("export", "--registry", hostile.root, "--as-of", AS_OF, "--format", "sqlite",
                           "-o", tmp_path / "x.sqlite")
    assert code == 0, err
    with sqlite3.connect(tmp_path / "x.sqlite") as db:  # a database keeps the exact value, like JSON
        assert HOSTILE in {r[0] for r in db.execute('SELECT name FROM "assets"')}


def test_json_keeps_the_exact_value(hostile):
    code, out, _ = run_cli("costs", "--registry", hostile.root, "--as-of", AS_OF, "--format", "json",
                           env={"GITHUB_ACTIONS": "true"})
    assert json.loads(out)["items"][0]["name"] == HOSTILE
    assert code == 0


def test_ics_text_has_no_control_character_and_keeps_the_break(hostile, tmp_path):
    target = tmp_path / "x.ics"
    code, _, _ = run_cli("expiries", "--registry", hostile.root, "--as-of", AS_OF, "--format", "ics", "-o", target)
    data = target.read_bytes()
    assert code == 0
    assert not RAW_CONTROL.search(data.decode().replace("\r\n", ""))
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF, no lone CR or LF
    unfolded = data.decode().replace("\r\n ", "")
    assert "Evil\\\\x1b]52\\;c\\;ZXZpbA==\\\\x07\\n::add-mask::s3cret\\n::error" in unfolded


@pytest.mark.parametrize("github", [False, True])
def test_fatal_errors_on_stderr_are_escaped(registry, github):
    """The error quoting a schema extension's property name cannot forge a command or move the cursor."""
    registry.write("schemas/asset.schema.json", json.dumps(
        {"properties": {"x\n::add-mask::s3cret\n::error file=a::b \x1b]52;c;eA==\x07": {"type": "nope"}}}))
    code, _, err = run_cli("validate", "--registry", registry.root, env={"GITHUB_ACTIONS": "true"} if github
                             else None)
    assert code == 3
    assert err.startswith("itamctl: error: ")
    assert_safe(err, "text", github=github)
    assert "\\x1b]52" in err


def test_validate_findings_quote_file_and_field_names_escaped(registry):
    registry.write("assets/::error file=a::b.yaml", MINIMAL_REGISTRY["assets/LT-0001.yaml"]
                   .replace("LT-0001", "LT-0009").replace("        owner: alice\n", "").rstrip(" ")
                   + '        "\\e]52;c;eA==\\a\\n::add-mask::k": 1\n')
    for fmt in ("text", "github", "json"):
        code, out, err = run_cli("validate", "--registry", registry.root, "--format", fmt,
                                 env={"GITHUB_ACTIONS": "true"})
        assert code == 1, err
        assert_safe(out, fmt, github=True)
        assert "add-mask" in out


# --- the escaping functions -------------------------------------------------

def test_terminal_shows_every_control_character():
    assert terminal("a\x1b]52;c;x\x07b\rc\nd\te\x7f\x9b\u202e") == "a\\x1b]52;c;x\\x07b\\rc\\nd\\te\\x7f\\x9b\\u202e"
    assert terminal(None) == "" and terminal(42) == "42"


def test_terminal_text_keeps_line_breaks_tabs_and_colours_only():
    text = "\x1b[31merror\x1b[0m\tx\n\x1b]0;title\x07\x1b[2J\r"
    assert terminal_text(text) == "\x1b[31merror\x1b[0m\tx\n\\x1b]0;title\\x07\\x1b[2J\\r"


def test_file_text_keeps_crlf_only():
    assert file_text("a\r\nb\rc\nd\x1be") == "a\r\nb\\rc\nd\\x1be"


def test_json_text_is_the_same_json_value():
    raw = json.dumps({"k": "a\x7f\x9b\u202e\u2028"}, ensure_ascii=False)
    assert json.loads(json_text(raw)) == {"k": "a\x7f\x9b\u202e\u2028"}
    assert not RAW_CONTROL.search(json_text(raw))


def test_ics_text():
    assert ics_text("a\rb\r\nc\nd\x1b\x00") == "a\nb\nc\nd\\x1b\\x00"


def test_workflow_escaping_as_actions_core_does():
    assert workflow_data("50%\r\n::x") == "50%25%0D%0A::x"
    assert workflow_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@pytest.mark.parametrize(("fmt", "text", "expected"), [
    ("text", "ok\n  ::add-mask::x\n", "ok\n  \\::add-mask::x\n"),
    ("text", "a\r::error::b", "a\r\\::error::b"),
    ("text", "name ##[add-mask]x", "name ##\\[add-mask]x"),
    ("json", '"##[error]x"', '"##\\u005berror]x"'),
    ("github", "::error file=a::m ##[x]\nsummary ##[x]", "::error file=a::m ##[x]\nsummary ##\\[x]"),
    ("markdown", "| a | b |\n", "| a | b |\n"),
])
def test_neutralise_workflow_commands(fmt, text, expected):
    assert neutralise_workflow_commands(text, fmt) == expected


def test_no_mentions_and_md_escape():
    assert no_mentions("@alice and @org/team, a@b.example") == "@&#8203;alice and @&#8203;org/team, a@&#8203;b.example"
    assert md_escape("@org/team <b>|x</b> \x1b]52") == "@&#8203;org/team \\<b\\>\\|x\\</b\\> \\x1b\\]52"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_edit_commands_echo_hostile_values_escaped(registry, fmt):
    for args in (["set", "LT-0001", f"name={HOSTILE}"], ["audit", "LT-0001"],
                 ["new", "asset", "category=laptop", "status=in_stock", f"name={HOSTILE}"]):
        code, out, err = run_cli(*args, "--registry", registry.root, "--format", fmt, env={"GITHUB_ACTIONS": "true"})
        assert code == 0, err
        assert_safe(out, fmt, github=True)
        assert_safe(err, "text", github=True)
        assert "s3cret\n" not in out
