"""A bounded fuzz run of the command line itself: every command (and subcommand) with hostile option values
and arguments, found by introspecting the click commands (a new option is fuzzed without editing this file).

Values are hostile strings, numbers at and past their ranges, dates outside the calendar and valid
choices; paths name places inside the example's temporary folder (the process runs there), so whatever a
command writes stays there. Each example runs in one fresh process: no traceback, an exit code of 0 to 3,
a fatal error on one line, nothing unescaped under GitHub Actions or on a terminal, memory bounded, and
nothing written outside the working folder the commands run in.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
import git
from conftest import write_registry
from helpers_fuzz import FUZZ, PIECES, hostile, run_batch, snapshot
from helpers_git import commit
from helpers_output import assert_safe
from hypothesis import example, given
from hypothesis import strategies as st

from itamctl.cli import COMMANDS, load_command

#: Never run: `site serve` starts a server that runs until interrupted.
SKIP = {"site serve"}
#: Commands whose format defaults to github under GitHub Actions.
AUTO_GITHUB = ("check", "validate")


def _commands() -> dict[str, click.Command]:
    found = {}
    for name in COMMANDS:
        command = load_command(name)
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": cmd for sub, cmd in command.commands.items()})
        else:
            found[name] = command
    return {name: cmd for name, cmd in found.items() if name not in SKIP}


COMMAND_LINES = _commands()
numbers = st.sampled_from(["0", "-1", "1", "30", "31", "36500", "99999999999999999999", "1e999999", "NaN", "0x10"])
dates = st.sampled_from(["1900-01-01", "9899-12-31", "0001-01-01", "9999-12-31", "2026-02-30", "26-01-01"])
ids = st.sampled_from(["LT-0001", "LIC-0001", "CTR-0001", "alice", "settings", "asset", "license", "itam"])
relative_paths = st.one_of(hostile, st.sampled_from(PIECES), st.sampled_from(["out", "a/b/c", "registry", "."])).map(
    lambda s: s.lstrip("/").replace("\x00", "") or "x").filter(lambda s: ".." not in s.split("/"))


def _value(draw, param: click.Parameter) -> str:
    kind = param.type
    if isinstance(kind, click.Path):
        return draw(relative_paths)
    if isinstance(kind, click.Choice):
        return draw(st.sampled_from(list(kind.choices)) | hostile)
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return draw(numbers | hostile)
    if param.name in ("as_of",):
        return draw(dates | hostile)
    return draw(st.one_of(hostile, ids, dates, numbers, st.sampled_from(PIECES),
                          hostile.map(lambda s: f"name={s}"), st.just("purchase.cost=1e999999")))


@st.composite
def command_lines(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMAND_LINES)))
    command = COMMAND_LINES[name]
    args: list[str] = name.split()
    options = []
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("registry", "help") and draw(st.booleans()):
            flag = next(o for o in param.opts if o.startswith("--"))
            options += [flag] if param.is_flag else [flag, _value(draw, param)]
    positional = []
    for param in command.params:
        if isinstance(param, click.Argument):
            count = draw(st.integers(0, 3)) if param.nargs == -1 else 1
            positional += [_value(draw, param) for _ in range(count)]
    return [*args, *options, "--", *positional] if positional else [*args, *options]


def _registry_option(line: list[str], registry: Path) -> list[str]:
    """``--registry`` goes before ``--`` (when the command has it)."""
    command = COMMAND_LINES[" ".join(line[:2]) if " ".join(line[:2]) in COMMAND_LINES else line[0]]
    if not any(p.name == "registry" for p in command.params):
        return line
    at = line.index("--") if "--" in line else len(line)
    return [*line[:at], "--registry", str(registry), *line[at:]]


@FUZZ
@given(lines=st.lists(command_lines(), min_size=1, max_size=6), github=st.booleans())
@example(lines=[["expiries", "--as-of", "x\n::error::y", "--within", "\x1b]52;c;eA==\x07"],
                ["init", "--organization", "@alice\r::add-mask::k", "--", "new\nrepo"],
                ["history", "--rev", "HEAD\n::error::x", "--", "LT-0001"],
                ["set", "--", "LT-0001", "name=\x1b[2J\n::error::x"]], github=True)
def test_fuzz_every_option_and_argument(lines, github):
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-options-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        registry = write_registry(work / "registry").root
        commit(git.Repo.init(work), "Initial registry")
        beside = snapshot(tmp, skip=work)
        env = {"GITHUB_ACTIONS": "true"} if github else None
        runs = run_batch([(_registry_option(line, registry), env) for line in lines], cwd=work)
        for run in runs:
            default = "github" if github and run.args[0] in AUTO_GITHUB else "text"
            fmt = run.args[run.args.index("--format") + 1] if "--format" in run.args else default
            assert_safe(run.out, fmt, github=github)
            assert_safe(run.err, "text", github=github)
            if run.code in (2, 3):
                assert run.err.count("\n") == 1 and run.err.startswith("itamctl: error: "), (run.args, run.err)
        assert snapshot(tmp, skip=work) == beside  # nothing written outside the working folder
