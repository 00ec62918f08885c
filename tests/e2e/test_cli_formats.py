"""Every command offers --format json (money as strings) beside its human form, on the demo registry."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import click
import pytest

from itamctl.cli import cli
from tests.conftest import REPO_ROOT, run_cli

DEMO = REPO_ROOT / "registry"
AS_OF = "2026-11-28"
INTERACTIVE = {"site serve"}  # a local preview server has no report to print
#: Covered by their own tests, not on the demo here; `import snipeit` needs a CSV file and would write
#: into the demo (tests/e2e/test_import_snipeit.py checks its JSON, and that it carries no float); `diff` and
#: `history` need a git repository (tests/e2e/test_diff.py, tests/e2e/test_history.py); `init` writes a new
#: repository (tests/e2e/test_init.py); the change commands edit files (tests/e2e/test_edit.py).
ELSEWHERE = {"diff", "history", "import snipeit", "import csv", "import xlsx", "init",
             "new", "set", "retire", "dispose", "assign", "audit"}

COMMANDS = {
    "validate": [],
    "list": [],
    "export": ["--as-of", AS_OF, "--format", "json"],
    "show": ["LT-0012", "--as-of", AS_OF],
    "check": ["--as-of", AS_OF],
    "costs": ["--as-of", AS_OF],
    "depreciation": ["LT-0012", "--as-of", AS_OF],
    "expiries": ["--as-of", AS_OF],
    "budget": ["--as-of", AS_OF],
    "site build": ["--as-of", AS_OF],
    "schema": [],  # the listing; a schema itself is JSON Schema (tests/clients/test_schema_clients.py)
}


def leaf_commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            names += leaf_commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_every_command_is_covered_here():
    """A new command must join this file (and so offer --format json)."""
    assert set(leaf_commands(cli)) - INTERACTIVE - ELSEWHERE == set(COMMANDS)


@pytest.mark.parametrize("name", [n for n in leaf_commands(cli) if n not in INTERACTIVE])
def test_every_command_has_help_and_a_json_format(name):
    code, out, _ = run_cli(*name.split(), "--help")
    assert code == 0
    assert re.search(r"--format \[[a-z|]*\bjson\b", out), out


def _money_values(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _money_values(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _money_values(v, key)
    else:
        yield key, value


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_parses_and_carries_no_float(name, tmp_path):
    extra = ["--out", str(tmp_path / "site")] if name == "site build" else []
    code, out, err = run_cli(*name.split(), "--registry", str(DEMO), *COMMANDS[name], *extra, "--format", "json")
    assert code in (0, 1), err
    payload = json.loads(out, parse_float=Decimal)
    floats = [(k, v) for k, v in _money_values(payload) if isinstance(v, Decimal)]
    assert floats == [], f"numbers with a fraction must be strings in JSON: {floats[:5]}"
