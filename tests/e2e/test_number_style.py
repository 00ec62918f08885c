"""One number style (issue 9 item 12, issue 10): people read ``452,170.81``; CSV and JSON carry ``452170.81``.

Every human format (text, Markdown) of every report command on the demo registry, and of ``diff``, is
read for an amount of 1,000 or more written without separators. ``show``, ``history`` and ``diff`` echo
the item's fields as the file has them (``purchase.cost  2349.00``, ``2799.00 → 12345.67``): those are
left out (only ``show``'s computed figures are read, and ``diff``'s outside its field changes).
"""

from __future__ import annotations

import re
import shutil

import click
import git
import pytest

from itamctl.cli import cli
from tests.conftest import REPO_ROOT, run_cli
from tests.helpers_git import commit

DEMO = REPO_ROOT / "registry"
AS_OF = ["--as-of", "2026-12-01"]
#: An amount of 1000 or more without a thousands separator (not part of a longer number or a grouped one).
UNGROUPED = re.compile(r"(?<![\d,.])\d{4,}\.\d{2}(?!\d)")
GROUPED = re.compile(r"(?<![\d,.-])\d{1,3}(?:,\d{3})+\.\d{2}(?!\d)")
#: A field's change as diff and history show it (``purchase.cost: 2799.00 → 12345.67``): the values as written.
FIELD_CHANGE = re.compile(r"\S+ → \S+")
HUMAN, MACHINE = ("text", "markdown"), ("csv", "json")
#: command -> (arguments, whether its human output shows an amount of 1,000 or more on the demo)
COMMANDS = {
    "costs": ([*AS_OF], True),
    "costs --by category": ([*AS_OF], True),
    "budget": ([*AS_OF, "--lines"], True),
    "depreciation LT-0001": ([*AS_OF], True),
    "show LT-0001": ([*AS_OF], True),
    "expiries": ([*AS_OF], False),
    "check": ([*AS_OF, "--exit-zero"], False),
    "validate": ([], False),
    "list": ([], False),
}


def _offered(name: str) -> tuple[str, ...]:
    command = cli.get_command(click.Context(cli), name.split()[0])
    (param,) = [p for p in command.params if "--format" in p.opts]
    return tuple(param.type.choices)


CASES = [(name, fmt) for name in sorted(COMMANDS) for fmt in _offered(name) if fmt in HUMAN + MACHINE]


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_people_read_grouped_amounts_machines_plain_ones(name, fmt):
    args, shows_thousands = COMMANDS[name]
    code, out, err = run_cli(*name.split(), "--registry", DEMO, *args, "--format", fmt)
    assert code == 0, err
    if fmt in MACHINE:
        assert GROUPED.findall(out) == []
        return
    if name.startswith("show"):
        out = out.split("Computed as of", 1)[1]
    assert UNGROUPED.findall(out) == []
    assert bool(GROUPED.search(out)) is shows_thousands, "an amount of 1,000 or more should show here"


@pytest.fixture
def demo_repo(tmp_path):
    shutil.copytree(DEMO, tmp_path / "registry")
    repo = git.Repo.init(tmp_path)
    commit(repo, "demo")
    assert run_cli("set", "LT-0001", "purchase.cost=12345.67", "--registry", tmp_path / "registry")[0] == 0
    return tmp_path / "registry"


@pytest.mark.slow
def test_diff_shows_grouped_amounts_to_people_and_plain_ones_in_json(demo_repo):
    for fmt in ("text", "markdown"):
        code, out, err = run_cli("diff", "--registry", demo_repo, *AS_OF, "--format", fmt)
        assert code == 0, err
        assert UNGROUPED.findall(FIELD_CHANGE.sub("", out)) == [] and "+9,546.67" in out
    code, out, _ = run_cli("diff", "--registry", demo_repo, *AS_OF, "--format", "json")
    assert GROUPED.findall(out) == [] and '"9546.67"' in out
