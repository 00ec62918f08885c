"""Shared parts of the fuzz runs (tests/e2e/test_fuzz*.py): hostile strings, registries, and a batch runner.

:func:`run_batch` runs many ``itamctl`` invocations in ONE fresh Python
process (through :func:`conftest.run_cli`) and returns each one's exit code,
stdout, stderr and traceback, and the process's peak resident memory
(``resource.getrusage``): memory is bounded per batch, never timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import MINIMAL_REGISTRY, REPO_ROOT
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("ITAMCTL_FUZZ_EXAMPLES", "5"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("ITAMCTL_FUZZ_RANDOM"),
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = ["\x1b]52;c;ZXZpbA==\x07", "\r", "\n::add-mask::s3cret\n", "::error file=a,line=1::x", "##[error]v1",
          "@octo-org/team", "@alice", "<!-- itamctl-diff -->", "<script>x</script>", "|", "\u202e", "\x9b2J",
          "=cmd|' /C calc'!A0", "%0A", "\\", "'", '"', "{{ 7*7 }}", "{% raw %}", "CON", "\x00", "\u2028", "\U0001f4bb"]
hostile = st.one_of(
    st.lists(st.sampled_from(PIECES) | st.text(max_size=6), min_size=1, max_size=5).map("".join),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
).filter(str.strip)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31))
as_of_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(9899, 12, 31))
money = st.one_of(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2),
                  st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("999999999999.99")]))


def yq(value: str) -> str:
    """A YAML double-quoted scalar holding exactly ``value`` (every non-ASCII character escaped)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _span(draw) -> tuple[date, date]:
    a, b = draw(days), draw(days)
    return min(a, b), max(a, b)


@st.composite
def asset(draw, n: int) -> tuple[str, str]:
    bought, warranty_end = _span(draw)
    text = f"""apiVersion: itam/v1
kind: Asset
id: A-{n}
name: {yq(draw(hostile))}
category: laptop
status: {draw(st.sampled_from(["deployed", "in_stock", "retired", "in_repair", "planned"]))}
owner: alice
location: hq
service_level: standard
notes: {yq(draw(hostile))}
{yq("x-" + draw(hostile))}: {yq(draw(hostile))}
purchase:
  date: {bought.isoformat()}
  cost: {draw(money)}
  vendor: acme
warranty:
  end: {warranty_end.isoformat()}
"""
    folder = draw(st.sampled_from(["", "laptop/"]) | file_stem.map(lambda stem: stem + "/"))
    return f"assets/{folder}{draw(file_stem)}-{n}.yaml", text


@st.composite
def license_(draw, n: int) -> tuple[str, str]:
    start, end = _span(draw)
    text = f"""apiVersion: itam/v1
kind: License
id: L-{n}
name: {yq(draw(hostile))}
vendor: acme
type: subscription
seats: {draw(st.integers(0, 10**9))}
cost: {draw(money)}
per_seat: {draw(st.sampled_from(["true", "false"]))}
billing: {draw(st.sampled_from(["once", "monthly", "quarterly", "yearly"]))}
start: {start.isoformat()}
end: {end.isoformat()}
renewal: {draw(st.sampled_from(["auto", "manual", "none"]))}
notice_days: {draw(st.integers(0, 36500))}
assigned_to: [alice]
"""
    return f"licenses/{draw(file_stem)}-{n}.yaml", text


@st.composite
def contract(draw, n: int) -> tuple[str, str]:
    start, end = _span(draw)
    text = f"""apiVersion: itam/v1
kind: Contract
id: C-{n}
name: {yq(draw(hostile))}
vendor: acme
type: {draw(st.sampled_from(["support", "maintenance", "lease", "saas", "service", "warranty_extension"]))}
start: {start.isoformat()}
end: {end.isoformat()}
renewal: {draw(st.sampled_from(["auto", "manual", "none"]))}
renewal_months: {draw(st.integers(1, 1200))}
notice_days: {draw(st.integers(0, 36500))}
cost: {draw(money)}
billing: {draw(st.sampled_from(["once", "monthly", "quarterly", "yearly"]))}
covers: [LT-0001]
"""
    return f"contracts/{draw(file_stem)}-{n}.yaml", text


file_stem = st.one_of(st.sampled_from(["CON", "nul", "::error file=a::b", "##[x]", "a b", "é", "x", "\x1b]0;t\x07",
                                       "a\n::error::b", "\r::add-mask::k", "\u202e", "x\u2028y", "@alice", "a|b"]),
                      st.text(alphabet="abcXYZ09:#[]@ ._-", min_size=1, max_size=12)).filter(
    lambda s: s.strip(" .") == s and s not in (".", ".."))


@st.composite
def registries(draw) -> dict[str, str]:
    files = dict(MINIMAL_REGISTRY)
    files["settings.yaml"] = files["settings.yaml"].replace(
        "life_months: 36", f"life_months: {draw(st.integers(1, 1200))}").replace(
        "organization: Example Corp", f"organization: {yq(draw(hostile))}")
    makers = [asset, license_, contract]
    for n in range(draw(st.integers(1, 4))):
        relpath, text = draw(draw(st.sampled_from(makers))(n))
        files[relpath] = text
    return files



#: Peak resident memory a batch may take (Python with itamctl, click, PyYAML and jsonschema loaded needs ~50 MiB).
MAX_RSS_MIB = 384
#: Exit codes a command may end with (README: 0 clean, 1 findings, 2 usage, 3 other fatal).
EXIT_CODES = (0, 1, 2, 3)

_DRIVER = """
import json, resource, sys, traceback
sys.path.insert(0, sys.argv[1])
from conftest import run_cli
results = []
for args, env in json.load(sys.stdin):
    try:
        code, out, err = run_cli(*args, env=env)
        results.append({"code": code, "out": out, "err": err, "traceback": None})
    except BaseException as exc:
        results.append({"code": None, "out": "", "err": "", "traceback": "".join(traceback.format_exception(exc))})
def peak_mib():
    # VmHWM: this process's own peak since it started. ru_maxrss is not: Linux carries the peak of the
    # process that forked it (here pytest, ~430 MiB late in a full run) into a child across exec.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
json.dump({"results": results, "peak_mib": peak_mib()}, sys.stdout)
"""


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int | None
    out: str
    err: str
    traceback: str | None


def run_batch(jobs: list[tuple[list, dict | None]], *, cwd: Path | None = None,
              max_rss_mib: int = MAX_RSS_MIB) -> list[Run]:
    """Run ``(args, env)`` jobs in one subprocess; every job ended without a traceback, the batch within memory."""
    payload = json.dumps([([str(a) for a in args], env) for args, env in jobs])
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(REPO_ROOT / "tests")], input=payload,
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)
    runs = [Run(tuple(str(a) for a in args), r["code"], r["out"], r["err"], r["traceback"])
            for (args, _), r in zip(jobs, report["results"], strict=True)]
    for run in runs:
        assert run.traceback is None, (run.args, run.traceback)
        assert run.code in EXIT_CODES, (run.args, run.code, run.err)
    assert report["peak_mib"] < max_rss_mib, f"peak memory {report['peak_mib']} MiB"
    return runs


def snapshot(root: Path, *, skip: Path | None = None) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under ``root`` (but ``skip``): its mode, and its bytes (a file) or target (a link)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        if skip is not None and (base == skip or skip in base.parents):
            dirnames[:] = []
            continue
        for name in [*dirnames, *filenames]:
            path = base / name
            if skip is not None and path == skip:
                continue
            info = path.lstat()
            if path.is_symlink():
                content: bytes | str = os.readlink(path)
            else:
                content = path.read_bytes() if path.is_file() else ""
            found[path.relative_to(root).as_posix()] = (info.st_mode, content)
    return found
