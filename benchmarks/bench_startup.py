"""Start-up time of the CLI, against Python + click alone as the baseline.

    .venv/bin/python benchmarks/bench_startup.py [RUNS]

Each case runs in a fresh interpreter; runs are interleaved and the median is
reported, with its ratio to the baseline measured in the same run (issue 10:
``itamctl --help`` under 0.1 s, where click alone takes about 0.05 s), and
``validate`` of the demo, cold and warm, against the demo's own parse floor
(a fresh Python parsing every demo file with libyaml; issue 16: within 3×).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "python -c 'import click' (baseline)": ["-c", "import click"],
    "itamctl --help": ["-m", "itamctl", "--help"],
    "itamctl validate (demo)": ["-m", "itamctl", "validate", "--registry", str(ROOT / "registry")],
    "itamctl check --help": ["-m", "itamctl", "check", "--help"],
    "demo parse floor (libyaml, fresh Python)": [
        "-c", "import sys, yaml\nfrom pathlib import Path\n"
        "for p in sorted(Path(sys.argv[1]).rglob('*.y*ml')): list(yaml.load_all(p.read_bytes(), yaml.CSafeLoader))",
        str(ROOT / "registry")],
    "itamctl validate (demo, --no-cache)": ["-m", "itamctl", "validate", "--registry", str(ROOT / "registry"),
                                            "--no-cache"],
}
FLOOR = "demo parse floor (libyaml, fresh Python)"


def main(runs: int = 15) -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "itamctl"), quiet=1)  # bytecode as an installed copy has it (run.py: compiled)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    with tempfile.TemporaryDirectory(prefix="itamctl-startup-") as cache:
        env = {**os.environ, "ITAMCTL_CACHE_DIR": cache}  # the warm runs fill their own cache first
        for _ in range(runs):
            for name, args in CASES.items():
                started = time.perf_counter()
                subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=False, env=env)
                times[name].append(time.perf_counter() - started)
    base = statistics.median(next(iter(times.values())))
    floor = statistics.median(times[FLOOR])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:42} {median * 1000:7.1f} ms  x{median / base:4.2f} of click  x{median / floor:4.2f} of the floor")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
