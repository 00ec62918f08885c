"""Both cores: the pipeline's worker processes change nothing in what is reported.

Output must be byte-identical with one process or several, with and without the
cache, cold or warm, and when a worker process fails (its files are then
parsed by the main process).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, build_registry, run_cli

from itamctl import cache, pipeline

BAD_FIXTURES = sorted((REPO_ROOT / "tests" / "fixtures" / "invalid").glob("*.yaml"))


def _asset(i: int, owner: str = "alice") -> str:
    return (f"apiVersion: itam/v1\nkind: Asset\nid: A-{i:04d}\nname: Laptop {i}\ncategory: laptop\n"
            f"status: deployed\nowner: {owner}\nlocation: hq\npurchase: {{date: 2024-01-{1 + i % 28:02d}, "
            f"cost: {100 + i}.50, vendor: acme}}\nwarranty: {{end: 2027-01-01}}\n")


@pytest.fixture
def mixed(registry):
    """The minimal registry, 60 generated assets (some with unresolved owners) and every invalid fixture."""
    for i in range(60):
        registry.write(f"assets/A-{i:04d}.yaml", _asset(i, "alice" if i % 7 else f"nobody{i}"), dedent=False)
    for path in BAD_FIXTURES:
        target = registry.root / "bad" / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
    return registry


COMMANDS = [("validate", "--format", "json"), ("validate",), ("check", "--as-of", "2026-06-30", "--format", "json")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:1] + c[-1:]))
def test_output_is_the_same_whatever_the_number_of_processes(mixed, command):
    args = (*command, "--registry", str(mixed.root))
    single = run_cli(*args, "--no-cache", env={"ITAMCTL_JOBS": "1"})
    assert single[0] == 1 and "yaml.anchor" in single[1] and "unresolved_reference" in single[1]
    for jobs in ("2", "3"):
        assert run_cli(*args, "--no-cache", env={"ITAMCTL_JOBS": jobs}) == single
        assert run_cli(*args, env={"ITAMCTL_JOBS": jobs}) == single  # fills the cache
        assert run_cli(*args, env={"ITAMCTL_JOBS": jobs}) == single  # from the cache
    mixed.replace("assets/A-0003.yaml", "Laptop 3", "Laptop three")
    edited = run_cli(*args, "--no-cache", env={"ITAMCTL_JOBS": "1"})
    assert run_cli(*args, env={"ITAMCTL_JOBS": "2"}) == edited  # warm, one file changed


def test_a_worker_that_fails_only_costs_time(mixed, monkeypatch):
    expected = run_cli("validate", "--registry", str(mixed.root), "--format", "json", "--no-cache",
                       env={"ITAMCTL_JOBS": "1"})
    parent = os.getpid()
    real = pipeline._entry

    def entry_failing_in_children(*args):
        if os.getpid() != parent:
            raise RuntimeError("a worker process dies")
        return real(*args)

    monkeypatch.setattr(pipeline, "_entry", entry_failing_in_children)
    got = run_cli("validate", "--registry", str(mixed.root), "--format", "json", "--no-cache",
                  env={"ITAMCTL_JOBS": "2"})
    assert got == expected


def test_work_is_shared_by_size():
    pending = [(0, "big", b"x" * 10_000), *((i, f"f{i}", b"y" * 100) for i in range(1, 101))]
    parts = pipeline._share(pending, 2)
    assert sorted(job for part in parts for job in part) == sorted(pending)
    sizes = [sum(len(job[2]) + 512 for job in part) for part in parts]
    assert max(sizes) - min(sizes) <= 10_000 + 512
    assert pipeline._share(pending[:1], 3)[0] == pending[:1]


def test_small_registries_stay_in_one_process(monkeypatch):
    monkeypatch.delenv("ITAMCTL_JOBS", raising=False)
    assert pipeline._jobs(pipeline.POOL_MIN_FILES - 1) == 1
    monkeypatch.setenv("ITAMCTL_JOBS", "1")
    assert pipeline._jobs(50_000) == 1
    monkeypatch.setenv("ITAMCTL_JOBS", "2")
    assert pipeline._jobs(10) == (2 if hasattr(os, "fork") and os.sys.platform == "linux" else 1)


def test_the_cache_key_is_the_git_blob_id(tmp_path):
    path = tmp_path / "a.yaml"
    for content in (b"", b"apiVersion: itam/v1\n", "name: Zo\u00eb\r\n".encode(), bytes(range(256)) * 3):
        path.write_bytes(content)
        git = subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True)
        assert cache.blob_id(content).hex() == git.stdout.strip()


def test_many_files_go_through_the_pool_and_match_one_process(tmp_path):
    """Above the threshold the pool starts by itself; the result equals one process's."""
    files = {f"assets/A-{i:04d}.yaml": _asset(i, "alice" if i % 50 else "ghost") for i in range(1100)}
    reg = build_registry(tmp_path / "big", files={**_minimal(), **files}, dedent=False)
    args = ("validate", "--registry", str(reg.root), "--format", "json", "--no-cache")
    single = run_cli(*args, env={"ITAMCTL_JOBS": "1"})
    assert single[0] == 1 and single[1].count("unresolved_reference") == 22
    assert run_cli(*args) == single


def _minimal() -> dict[str, str]:
    from textwrap import dedent

    from conftest import MINIMAL_REGISTRY

    return {name: dedent(text) for name, text in MINIMAL_REGISTRY.items()}


#: Defines ``run(command)`` in the code of :func:`_fresh_python`: the CLI in-process, on the registry in argv[1].
_CLI = (
    "from itamctl.cli import cli\n"
    "def run(command):\n"
    "    try:\n"
    "        cli([*command, '--registry', sys.argv[1], '--no-cache'], standalone_mode=False)\n"
    "    except SystemExit:\n"
    "        pass\n"
)


def _fresh_python(code: str, tmp_path) -> subprocess.CompletedProcess:
    """``code`` run in a fresh Python (a process of its own, as the CLI is), the demo registry as argv[1]."""
    env = {**os.environ, "ITAMCTL_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-c", code, str(REPO_ROOT / "registry")], capture_output=True,
                          text=True, env=env, cwd=tmp_path, check=True)


def test_a_command_process_freezes_what_it_loaded_and_collects_less_often(tmp_path):
    """The CLI freezes the loaded registry (later collections do not walk it) and raises the collector's
    thresholds for the report that follows; a library caller keeps Python's defaults."""
    code = (
        "import gc, sys\n"
        "from itamctl import pipeline\n"
        "library = gc.get_threshold()\n"
        "pipeline.load_valid_registry(pipeline.Path(sys.argv[1]))\n"
        "assert gc.get_freeze_count() == 0 and gc.get_threshold() == library, gc.get_threshold()\n"
        f"{_CLI}"
        "run(['validate'])\n"
        "print(gc.get_freeze_count() > 10_000, gc.get_threshold() == pipeline.COMMAND_GC_THRESHOLDS)\n"
    )
    result = _fresh_python(code, tmp_path)
    assert result.stdout.split()[-2:] == ["True", "True"]


def test_a_command_process_keeps_what_it_loaded_and_reported_until_it_exits(tmp_path):
    """Nothing a command loaded or reported is freed when the command returns (the process leaves with
    ``os._exit``): the registry and the report are still alive afterwards. A library caller frees them."""
    code = (
        "import gc, sys, weakref\n"
        "from itamctl import pipeline\n"
        "checked = pipeline.open_registry(pipeline.Path(sys.argv[1]))\n"
        "library = weakref.ref(checked)\n"
        "del checked\n"
        "assert library() is None\n"
        f"{_CLI}"
        "for command in (['validate'], ['costs', '--as-of', '2026-06-30']):\n"
        "    run(command)\n"
        "kept = [type(value).__name__ for value in pipeline._kept]\n"
        "print(' '.join(kept))\n"
    )
    result = _fresh_python(code, tmp_path)
    assert result.stdout.split()[-3:] == ["Checked", "Checked", "CostsReport"], result.stdout
