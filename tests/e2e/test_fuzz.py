"""A bounded fuzz run: generated registries of valid documents with hostile strings and extreme numbers
and dates, through every reporting command and format (strategies in tests/helpers_fuzz.py).

Nothing may raise (a traceback is always a bug), exit with anything but 0 or 1, print a raw control
character or a forged workflow command, write anything, or take more than ``MAX_RSS_MIB`` of memory (each
example's commands run in one fresh process). Bounded for CI: ``ITAMCTL_FUZZ_EXAMPLES`` examples (default 5)
with a derandomised search, so the run is the same every time; set ``ITAMCTL_FUZZ_RANDOM=1`` (and more
examples) to explore. Failing examples found so far are kept below as ``@example`` regression tests.
The other fuzz runs: test_fuzz_git.py (diff, history), test_fuzz_import.py (import, init),
test_fuzz_options.py (every command's options and arguments).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_REGISTRY, write_registry
from helpers_fuzz import FUZZ, as_of_dates, registries, run_batch, snapshot
from helpers_output import assert_safe, formats_of
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

REPORTS = {"validate": [], "check": [], "expiries": [], "budget": ["--years", "30", "--history", "30"],
           "costs": [], "depreciation": ["LT-0001"], "list": [], "show": ["LT-0001"], "export": []}
UNDATED = ("validate", "list", "show")
FILE_ONLY = ("xlsx", "sqlite")  # formats written only to -o


def _run_everything(files: dict[str, str], as_of: date, github: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-") as tmp:
        root = write_registry(Path(tmp) / "registry", files).root
        files = Path(tmp) / "out"
        before = snapshot(Path(tmp))
        env = {"GITHUB_ACTIONS": "true"} if github else None
        jobs = []
        for name, extra in REPORTS.items():
            dated = [] if name in UNDATED else ["--as-of", as_of.isoformat()]
            jobs += [([name, *extra, "--registry", root, *dated, "--format", fmt,
                       *(["-o", files / f"{name}.{fmt}"] if fmt in FILE_ONLY else [])], env)
                     for fmt in formats_of(name)]
        for run in run_batch(jobs):
            fmt = run.args[run.args.index("--format") + 1]
            assert run.code in (0, 1), (run.args, run.err)
            assert_safe(run.out, fmt, github=github)
            assert_safe(run.err, "text", github=github)
        assert snapshot(Path(tmp), skip=files) == before  # nothing written but -o
        assert sorted(p.name for p in files.iterdir()) == ["export.sqlite", "export.xlsx"]


@FUZZ
@given(files=registries(), as_of=as_of_dates, github=st.booleans())
@example(files={**MINIMAL_REGISTRY, "contracts/never.yaml": MINIMAL_REGISTRY["contracts/CTR-0001.yaml"]
                .replace("CTR-0001", "C-9").replace("end: 2026-12-31", "end: 9999-12-31")},
         as_of=date(9899, 12, 31), github=True)
def test_fuzz_every_report_and_format(files, as_of, github):
    _run_everything(files, as_of, github)


@pytest.mark.slow
@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=registries(), as_of=as_of_dates)
def test_fuzz_site_build(files, as_of):
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-site-") as tmp:
        root = write_registry(Path(tmp) / "registry", files).root
        site = Path(tmp) / "site"
        before = snapshot(Path(tmp))
        [run] = run_batch([(["site", "build", "--registry", root, "--out", site, "--as-of", as_of.isoformat()],
                            {"GITHUB_ACTIONS": "true"})])
        assert run.code in (0, 1), run.err
        assert_safe(run.out + run.err, "text", github=True)
        assert snapshot(Path(tmp), skip=site) == before  # nothing written but --out
