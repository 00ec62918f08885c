"""A bounded fuzz run of ``diff`` and ``history``: two commits of generated hostile registries in a real git
repository, with hostile authors and commit messages (strategies in tests/helpers_fuzz.py).

Every format of ``diff`` (base to head, and base to the working tree) and of ``history`` (each id on
either side) runs in one fresh process per example: no traceback, an exit code of 0 or 1 (2 only for an
id that no commit changed), nothing unescaped, nothing written in the repository, memory bounded.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import git
from conftest import MINIMAL_REGISTRY, write_registry
from helpers_fuzz import FUZZ, PIECES, as_of_dates, registries, run_batch, snapshot
from helpers_output import assert_safe, formats_of
from hypothesis import example, given
from hypothesis import strategies as st

#: What git accepts in an author name (no NUL, line break, ``<`` or ``>``) and a commit message (no NUL).
authors = st.lists(st.sampled_from([p for p in PIECES if not re.search("[\x00\n<>]", p)])
                   | st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00\n<>"),
                             max_size=8), min_size=1, max_size=4).map("".join).filter(lambda s: s.strip(" .,;:'\""))
messages = st.lists(st.sampled_from([p for p in PIECES if "\x00" not in p]) | st.text(max_size=8).filter(
    lambda s: "\x00" not in s), min_size=1, max_size=5).map("".join).filter(str.strip)


def _commit(repo: git.Repo, files: dict[str, str], author: str, message: str) -> None:
    root = Path(repo.working_tree_dir) / "registry"
    for path in root.rglob("*.yaml"):
        path.unlink()
    write_registry(root, files)
    repo.git.add(A=True)
    actor = git.Actor(author, "fuzz@example.com")
    repo.index.commit(message, author=actor, committer=actor)


def _ids(files: dict[str, str]) -> set[str]:
    return {m.group(1) for text in files.values() for m in re.finditer(r"^id: (\S+)$", text, re.MULTILINE)}


def _run(base: dict[str, str], head: dict[str, str], author: str, message: str, as_of: date, github: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-git-") as tmp:
        repo = git.Repo.init(tmp)
        _commit(repo, base, author, message)
        _commit(repo, head, author[::-1], message[::-1])
        registry = Path(tmp) / "registry"
        write_registry(registry, {**base, "licenses/LIC-0001.yaml": head.get("licenses/LIC-0001.yaml", "")})
        before = snapshot(Path(tmp))
        env = {"GITHUB_ACTIONS": "true"} if github else None
        dated = ["--registry", registry, "--as-of", as_of.isoformat()]
        jobs = []
        for fmt in formats_of("diff"):
            jobs.append((["diff", "--base", "HEAD~1", "--head", "HEAD", *dated, "--format", fmt], env))
            jobs.append((["diff", "--base", "HEAD~1", *dated, "--format", fmt], env))
        for item in sorted(_ids(base) | _ids(head)):
            jobs += [(["history", item, "--registry", registry, "--format", fmt], env) for fmt in formats_of("history")]
        for run in run_batch(jobs):
            fmt = run.args[run.args.index("--format") + 1]
            assert run.code in ((0, 1, 2) if run.args[0] == "history" else (0, 1)), (run.args, run.err)
            assert_safe(run.out, fmt, github=github)
            assert_safe(run.err, "text", github=github)
            if run.err:
                assert run.err.count("\n") == 1, run.err
        assert snapshot(Path(tmp)) == before


@FUZZ
@given(base=registries(), head=registries(), author=authors, message=messages, as_of=as_of_dates,
       github=st.booleans())
@example(base=dict(MINIMAL_REGISTRY), head={**MINIMAL_REGISTRY, "assets/LT-0001.yaml": MINIMAL_REGISTRY[
    "assets/LT-0001.yaml"].replace("name: Laptop (Alice)", 'name: "\\e]52;c;eA==\\a\\r::error::x @alice |"')},
         author="::error file=a::b \x1b[2J", message="\r::add-mask::k\n##[error]v1 <!-- itamctl-diff -->",
         as_of=date(9899, 12, 31), github=True)
def test_fuzz_diff_and_history(base, head, author, message, as_of, github):
    _run(base, head, author, message, as_of, github)
