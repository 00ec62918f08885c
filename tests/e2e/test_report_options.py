"""Every report command: its --format choices come from the renderer table, and it has -o/--output and --force.

The exceptions are named here with their reason (issue 10; ARCHITECTURE.md "A new report").
"""

from __future__ import annotations

import click
import pytest

from itamctl.cli import cli
from itamctl.render import RENDERERS
from tests.conftest import REPO_ROOT, run_cli
from tests.e2e.test_cli_formats import leaf_commands

DEMO = REPO_ROOT / "registry"
AS_OF = "2026-12-01"
#: A local preview server: nothing to print but where it serves.
INTERACTIVE = {"site serve"}
#: Commands that write (a repository, registry files, a site) and print a receipt of what they wrote, not a
#: report: no -o (the receipt is not worth keeping), and their own --force, where they have one, means
#: "replace what I write" (import: update items in place; site build: replace --out).
WRITERS = {"init", "new", "set", "retire", "dispose", "assign", "audit", "import snipeit", "import csv",
           "import xlsx", "site build"}
#: Formats a command offers beside its report's renderers: binary files it writes itself (needs -o).
BINARY = {"export": {"xlsx", "sqlite"}}
#: The report commands run on the demo registry below (diff and history need commits: their own tests).
ON_DEMO = {
    "validate": [], "check": ["--as-of", AS_OF, "--exit-zero"], "list": [], "show": ["LT-0001", "--as-of", AS_OF],
    "costs": ["--as-of", AS_OF], "depreciation": ["LT-0001", "--as-of", AS_OF], "budget": ["--as-of", AS_OF],
    "expiries": ["--as-of", AS_OF], "export": ["--as-of", AS_OF], "schema": [],
}
ALL = [n for n in leaf_commands(cli) if n not in INTERACTIVE]
REPORTS = [n for n in ALL if n not in WRITERS]


def _command(name: str) -> click.Command:
    command: click.Command = cli
    for part in name.split():
        assert isinstance(command, click.Group)
        command = command.get_command(click.Context(command), part)
    return command


def _options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}


def _formats(command: click.Command) -> tuple[str, ...]:
    (param,) = [p for p in command.params if "--format" in p.opts]
    return tuple(param.type.choices)


def test_the_exceptions_are_commands():
    assert set(ALL) >= WRITERS and set(ON_DEMO) <= set(REPORTS)
    assert set(REPORTS) - set(ON_DEMO) == {"diff", "history"}


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_command_has_output_and_force(name):
    assert {"-o", "--output", "--force"} <= _options(_command(name)), name


@pytest.mark.parametrize("name", ALL)
def test_every_command_offers_exactly_its_reports_formats_json_included(name):
    offered = _formats(_command(name))
    assert "json" in offered
    rendered = tuple(f for f in offered if f not in BINARY.get(name, ()))
    assert rendered in [tuple(by_format) for by_format in RENDERERS.values()], (name, offered)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ON_DEMO))
def test_output_holds_what_stdout_shows_and_is_never_replaced_without_force(name, tmp_path):
    args = [*name.split(), "--registry", DEMO, *ON_DEMO[name], "--format", "json"]
    code, shown, err = run_cli(*args)
    assert code == 0, err
    target = tmp_path / "report.json"
    assert run_cli(*args, "-o", target)[:2] == (0, "")
    assert target.read_text(encoding="utf-8") == shown
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli(*args, "-o", target)
    assert code != 0 and "--force" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run_cli(*args, "-o", target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == shown
