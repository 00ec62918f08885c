"""Start-up: ``itamctl --help`` imports no command; commands import only what they need (issue 10)."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from conftest import REPO_ROOT

from itamctl.cli import COMMANDS, cli, load_command

ROOT = REPO_ROOT
DEMO = ROOT / "registry"
HEAVY = ("git", "jinja2", "mkdocs", "icalendar")


def _modules_after(*args: str) -> set[str]:
    """The modules imported by ``itamctl ARGS`` in a fresh interpreter."""
    code = ("import sys, json\nfrom itamctl.cli import cli\n"
            "try:\n    cli(sys.argv[1:], prog_name='itamctl')\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_the_short_help_in_the_table_is_the_commands_own():
    for name, (_, short) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert command.get_short_help_str(limit=200) == short, name


def test_every_command_is_reachable_through_the_group():
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == list(COMMANDS)
    assert all(cli.get_command(ctx, name) is load_command(name) for name in COMMANDS)
    assert cli.get_command(ctx, "no-such-command") is None


@pytest.mark.slow
def test_help_imports_no_command_and_no_heavy_library():
    modules = _modules_after("--help")
    assert not {m for m in modules if m.startswith("itamctl.commands")}
    assert not _top(modules) & {*HEAVY, "jsonschema", "yaml"}


@pytest.mark.slow
def test_validate_imports_neither_git_nor_templates_nor_calendars():
    modules = _modules_after("validate", "--registry", str(DEMO))
    assert "itamctl.pipeline" in modules
    assert not _top(modules) & set(HEAVY), _top(modules) & set(HEAVY)


@pytest.mark.slow
def test_expiries_as_text_does_not_import_icalendar():
    modules = _modules_after("expiries", "--registry", str(DEMO), "--as-of", "2026-11-28")
    assert "itamctl.tracking.events" in modules
    assert "icalendar" not in _top(modules)
