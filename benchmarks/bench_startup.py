"""Start-up time of the CLI, against Python + click alone as the baseline.

    .venv/bin/python benchmarks/bench_startup.py [RUNS]

Each case runs in a fresh interpreter; runs are interleaved and the median is
reported, with its ratio to the baseline measured in the same run (issue 10:
``itamctl --help`` under 0.1 s, where click alone takes about 0.05 s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "python -c 'import click' (baseline)": ["-c", "import click"],
    "itamctl --help": ["-m", "itamctl", "--help"],
    "itamctl validate (demo)": ["-m", "itamctl", "validate", "--registry", str(ROOT / "registry")],
    "itamctl check --help": ["-m", "itamctl", "check", "--help"],
}


def main(runs: int = 15) -> None:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(runs):
        for name, args in CASES.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - started)
    base = statistics.median(next(iter(times.values())))
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:40} {median * 1000:7.1f} ms  x{median / base:4.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
