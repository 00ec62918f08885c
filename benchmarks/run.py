"""Every command's time and peak memory, as ratios to baselines measured in the same run.

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000] [--huge] [--rounds 3]
                                       [--json out.json] [--markdown out.md]

Run on demand, never in CI. For each size it writes a synthetic registry
(benchmarks/synth.py: one asset a file) and a copy of it with 1% of the
asset owners unresolved, then runs, in fresh processes, interleaved round by
round (medians reported; a ratio is the median of each round's own ratio):

* baselines: the libyaml parse floor (PyYAML CSafeLoader on every file) in one
  process and in two, and check-jsonschema with ``--base-uri`` on the same
  asset files (when it is installed; up to 10,000 assets, one round above 2,000);
* ``validate`` cold (``--no-cache``, all cores, and ``ITAMCTL_JOBS=1``) and
  warm (cache filled, then one file edited); ``check``, ``costs``,
  ``budget``, ``expiries`` warm; ``diff --base HEAD`` warm with 10 files
  changed since the commit; ``validate`` cold on the registry with 1%
  unresolved references.

Times are wall-clock seconds; memory is the peak RSS of the largest process
(wait4: the command or one of its worker processes), measured through a small
launcher process (Linux would otherwise count this script's own peak in it). The machine is shared:
read the ratios, not the seconds, and say how loaded it was (the load average
is printed with the results, at the start and at the end of the run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import write_registry  # noqa: E402

PYTHON = sys.executable
ITAMCTL = str(Path(PYTHON).parent / "itamctl")
AS_OF = "2026-06-30"

FLOOR = """
import sys, yaml
from pathlib import Path
from multiprocessing import Pool
def load(paths):
    for p in paths:
        list(yaml.load_all(Path(p).read_bytes(), Loader=yaml.CSafeLoader))
files = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.yaml"))
jobs = int(sys.argv[2])
if jobs == 1:
    load(files)
else:
    with Pool(jobs) as pool:
        pool.map(load, [files[i::jobs] for i in range(jobs)])
"""


#: Runs one command and prints its seconds, peak RSS (KiB) and exit code. A small launcher, because
#: Linux carries the peak RSS of the process that forks into the child's ``ru_maxrss`` across exec:
#: measured straight from this process (which holds the registry it wrote), a 20 MB command read 100 MB.
LAUNCH = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    try:
        os.execvpe(sys.argv[1], sys.argv[1:], os.environ)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one fresh process."""
    done = subprocess.run([PYTHON, "-c", LAUNCH, *argv], env=env, capture_output=True, text=True, check=True)
    elapsed, kib, code = json.loads(done.stdout)
    if code not in (0, 1):  # 1: findings (the registry with unresolved references); anything else: broken
        print(f"warning: exit {code}: {' '.join(argv)}", file=sys.stderr)
    return elapsed, kib / 1024


def check_jsonschema(assets: list[Path]) -> list[str] | None:
    tool = shutil.which("check-jsonschema") or str(Path(PYTHON).parent / "check-jsonschema")
    if not Path(tool).exists():
        return None
    base = (ROOT / "schemas").as_uri() + "/"
    return [tool, "--base-uri", base, "--schemafile", str(ROOT / "schemas" / "asset.schema.json"),
            *map(str, assets)]


def edit(root: Path, round_no: int, count: int = 1) -> None:
    """Change ``count`` asset files (an ``x-bench`` field), spread over the registry."""
    assets = sorted((root / "assets").glob("*.yaml"))
    for path in assets[len(assets) // 2::max(1, len(assets) // (2 * count))][:count]:
        path.write_text(path.read_text().rstrip("\n").split("\nx-bench:")[0] + f"\nx-bench: {round_no}\n")


def git_repo(root: Path) -> None:
    """Commit the registry (its folder becomes a git repository)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "registry"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def unresolved(root: Path, share: float = 0.01) -> Path:
    bad = root.parent / "registry-unresolved"
    shutil.copytree(root, bad)
    assets = sorted((bad / "assets").glob("*.yaml"))
    step = max(1, round(1 / share))
    for path in assets[::step]:
        text = path.read_text()
        lines = [line + "x" if line.startswith("owner: ") else line for line in text.splitlines()]
        path.write_text("\n".join(lines) + "\n")
    return bad


def compiled() -> None:
    """itamctl's bytecode written before anything is timed, as an installed copy has it (pip compiles;
    a checkout writes it on the first run). Under ``PYTHONDONTWRITEBYTECODE`` (set on some machines)
    every command would otherwise compile every module again: ~0.1 s a run, measured here."""
    import compileall

    compileall.compile_dir(str(ROOT / "itamctl"), quiet=1)


def run_size(n: int, rounds: int, tmp: Path) -> dict:
    root = write_registry(tmp / f"n{n}" / "registry", n)
    bad = unresolved(root)
    cache = tmp / f"n{n}" / "cache"
    env = {**os.environ, "ITAMCTL_CACHE_DIR": str(cache)}
    assets = sorted((root / "assets").glob("*.yaml"))
    cj = check_jsonschema(assets) if n <= 10_000 else None  # ~5 ms an asset: about a minute at 10k
    reg = ["--registry", str(root)]
    git_repo(root)
    cases: dict[str, tuple[list[str], str]] = {
        "floor 1 process": ([PYTHON, "-c", FLOOR, str(root), "1"], "cold"),
        "floor 2 processes": ([PYTHON, "-c", FLOOR, str(root), "2"], "cold"),
        "validate cold": ([ITAMCTL, "validate", *reg, "--no-cache"], "cold"),
        "validate cold, 1% unresolved": ([ITAMCTL, "validate", "--registry", str(bad), "--no-cache"], "cold"),
        "validate cold, 1 process": ([ITAMCTL, "validate", *reg, "--no-cache"], "cold-1"),
        "validate warm": ([ITAMCTL, "validate", *reg], "warm"),
        "check warm": ([ITAMCTL, "check", *reg, "--as-of", AS_OF, "--exit-zero"], "warm"),
        "costs warm": ([ITAMCTL, "costs", *reg, "--as-of", AS_OF], "warm"),
        "budget warm": ([ITAMCTL, "budget", *reg, "--as-of", AS_OF], "warm"),
        "expiries warm": ([ITAMCTL, "expiries", *reg, "--as-of", AS_OF], "warm"),
        "diff warm, 10 files changed": ([ITAMCTL, "diff", *reg, "--base", "HEAD", "--as-of", AS_OF], "diff"),
    }
    if cj:
        cases["check-jsonschema (assets)"] = (cj, "cold")
    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, list[float]] = {name: [] for name in cases}
    for r in range(rounds):
        for name, (argv, mode) in cases.items():
            if name.startswith("check-jsonschema") and r and n > 2_000:
                continue  # one round is enough for a baseline that slow
            if mode in ("warm", "diff"):
                subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
                subprocess.run([ITAMCTL, "validate", *reg], env=env, capture_output=True)  # fill the cache
                edit(root, r, 10 if mode == "diff" else 1)
            run_env = {**env, "ITAMCTL_JOBS": "1"} if mode == "cold-1" else env
            seconds, mb = measure(argv, run_env)
            times[name].append(seconds)
            memory[name].append(mb)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    med = {name: statistics.median(v) for name, v in times.items()}

    def ratio(name: str, base: str) -> float:
        return round(paired(times[name], times[base]), 2)

    rows = []
    for name in cases:
        rows.append({
            "command": name, "seconds": round(med[name], 3), "peak_mb": round(max(memory[name]), 1),
            "x_floor_1": ratio(name, "floor 1 process"), "x_floor_2": ratio(name, "floor 2 processes"),
            "x_validate_cold": ratio(name, "validate cold"), "x_validate_warm": ratio(name, "validate warm"),
            "per_asset_ms": round(1000 * med[name] / n, 3),
        })
    result = {"assets": n, "files": len(list(root.rglob("*.yaml"))), "rounds": rounds, "rows": rows}
    if cj:
        result["check_jsonschema_over_validate_cold"] = round(
            paired(times["check-jsonschema (assets)"], times["validate cold"]), 1)
    return result


def paired(times: list[float], base: list[float]) -> float:
    """The median of the ratios ``times[r] / base[r]`` of the rounds both ran in (a baseline and the
    commands measured against it run in the same round, minutes apart at most): a machine that slows
    down for a while slows both sides of a ratio, where a ratio of medians can pair a slow round's
    time with a fast round's baseline."""
    return statistics.median(t / b for t, b in zip(times, base, strict=False))


def _row(res: dict, command: str) -> dict:
    return next(row for row in res["rows"] if row["command"] == command)


def targets(results: list[dict]) -> list[dict]:
    """Issue 16's targets, each with what this run measured and whether it is met."""
    out: list[dict] = []

    def add(target: str, size: int, measured: float, met: bool, unit: str = "×") -> None:
        out.append({"target": target, "assets": size, "measured": round(measured, 2), "unit": unit, "met": met})

    big = [res for res in results if res["assets"] >= 5_000]
    for res in big:
        n = res["assets"]
        cold = _row(res, "validate cold")
        add("cold validate ≤ 1.0× the 1-process parse floor", n, cold["x_floor_1"], cold["x_floor_1"] <= 1.0)
        warm = _row(res, "validate warm")
        add("warm validate (one file edited) ≤ 0.25× the floor", n, warm["x_floor_1"], warm["x_floor_1"] <= 0.25)
    for res in results:
        n = res["assets"]
        if "check_jsonschema_over_validate_cold" in res:
            ratio = res["check_jsonschema_over_validate_cold"]
            add("≥ 20× faster than check-jsonschema (its time / cold validate)", n, ratio, ratio >= 20)
        for command in ("check", "costs", "budget", "expiries"):
            row = _row(res, f"{command} warm")
            add(f"{command} ≤ 1.2× validate (both warm)", n, row["x_validate_warm"], row["x_validate_warm"] <= 1.2)
        diff = _row(res, "diff warm, 10 files changed")
        ratio = diff["x_validate_warm"]
        add("diff of a 10-file change ≤ 1.5× a warm validate", n, ratio, ratio <= 1.5)
        bad = _row(res, "validate cold, 1% unresolved")
        extra = bad["x_validate_cold"] - 1
        add("1% unresolved references cost < 10% extra", n, 100 * extra, extra < 0.10, "%")
    for res in results:
        if res["assets"] < 100_000:
            continue
        cold = _row(res, "validate cold")
        add("100,000 assets: cold validate < 40 s", res["assets"], cold["seconds"], cold["seconds"] < 40, "s")
        peak = max(row["peak_mb"] for row in res["rows"] if not row["command"].startswith(("floor", "check-json")))
        add("100,000 assets: peak memory < 1 GB, every command", res["assets"], peak, peak < 1024, "MB")
    small = next((res for res in results if res["assets"] == 5_000), None)
    largest = max(results, key=lambda res: res["assets"]) if results else None
    if small and largest and largest is not small:
        for row in largest["rows"]:
            if row["command"].startswith(("floor", "check-json")):
                continue
            ratio = row["per_asset_ms"] / _row(small, row["command"])["per_asset_ms"]
            add(f"linear: {row['command']}, per asset at {largest['assets']:,} / at 5,000 ≤ 1.3",
                largest["assets"], ratio, ratio <= 1.3)
    return out


def markdown(results: list[dict], loads: list[tuple[float, float, float]]) -> str:
    shown = "; ".join(f"{a:.2f} {b:.2f} {c:.2f}" for a, b, c in loads)
    out = [f"Load average (1, 5, 15 min) at the start and at the end: {shown}, on {os.cpu_count()} cores.", ""]
    for res in results:
        out += [f"### {res['assets']:,} assets ({res['files']:,} files, median of {res['rounds']} rounds)", "",
                "| command | s | × floor (1 proc) | × floor (2 procs) | × validate cold | × validate warm "
                "| ms/asset | peak MB |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for row in res["rows"]:
            out.append(f"| {row['command']} | {row['seconds']} | {row['x_floor_1']} | {row['x_floor_2']} | "
                       f"{row['x_validate_cold']} | {row['x_validate_warm']} | {row['per_asset_ms']} | "
                       f"{row['peak_mb']} |")
        if "check_jsonschema_over_validate_cold" in res:
            out.append(f"\ncheck-jsonschema takes {res['check_jsonschema_over_validate_cold']}× "
                       "as long as a cold `itamctl validate` on the same assets.")
        out.append("")
    found = targets(results)
    if found:
        out += ["### Targets", "", "| target | assets | measured | met |", "|---|---:|---:|---|"]
        for t in found:
            out.append(f"| {t['target']} | {t['assets']:,} | {t['measured']}{t['unit']} | "
                       f"{'yes' if t['met'] else '**no**'} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated asset counts")
    parser.add_argument("--huge", action="store_true", help="also 100,000 assets (takes long)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the Markdown table here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([100_000] if args.huge else [])
    compiled()
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="itamctl-bench-") as tmp:
        results = [run_size(n, args.rounds, Path(tmp)) for n in sizes]
    loads.append(os.getloadavg())
    text = markdown(results, loads)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps({"load_average": loads, "cpus": os.cpu_count(), "results": results,
                                         "targets": targets(results)}, indent=2) + "\n")


if __name__ == "__main__":
    main()
