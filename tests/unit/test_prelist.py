"""The registry listed on the other core while a command starts (itamctl/prelist.py): the same listing as the
pipeline's own, handed over only for the folder it was made for, and never changing what a command prints."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_registry

from itamctl import pipeline, prelist
from itamctl.cache import FileCache

linux_smp = pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
                               reason="forks a lister only on Linux with two cores or more")


@pytest.fixture(autouse=True)
def _nothing_left(monkeypatch):
    monkeypatch.delenv("ITAMCTL_JOBS", raising=False)
    monkeypatch.setenv("ITAMCTL_PRELIST", "1")  # the registries here are small (see test_small_registries_are_not)
    monkeypatch.delenv("ITAMCTL_REGISTRY", raising=False)
    yield
    prelist.stop()


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["validate"], None, "registry"),
    (["validate", "--registry", "reg/"], None, "reg"),
    (["costs", "--as-of", "2026-01-01", "--registry=./a/b"], None, "a/b"),
    (["check", "--registry", "one", "--registry", "two"], None, "two"),  # the last one, as click takes it
    (["validate"], "from-env", "from-env"),
    (["validate", "--registry", "given"], "from-env", "given"),
    (["diff", "--base", "main"], None, "registry"),
    (["diff", "--head", "HEAD~1"], None, None),  # reads two revisions, not the tree
    (["validate", "--at", "v1"], None, None),
    (["costs", "--at=v1"], None, None),
    (["validate", "--help"], None, None),
    (["validate", "--registry"], None, None),  # click refuses it: nothing to list
    (["set", "LT-1", "name=x"], None, None),  # writes: not listed ahead
    (["import", "snipeit", "x.csv"], None, None),
    (["init"], None, None),
    ([], None, None),
    (["--version"], None, None),
])
def test_the_folder_a_command_line_reads(monkeypatch, args, env, expected):
    if env is not None:
        monkeypatch.setenv("ITAMCTL_REGISTRY", env)
    assert prelist.registry_argument(args) == expected


def _own_listing(root: Path) -> list:
    return list(pipeline._listing(root, signed=True))


@linux_smp
def test_the_listing_is_the_pipelines_own(tmp_path, monkeypatch):
    reg = write_registry(tmp_path / "registry")
    (reg.root / "assets" / "deep").mkdir()
    (reg.root / "assets" / "deep" / "x.yml").write_text("apiVersion: itam/v1\n")
    (reg.root / "notes.txt").write_text("not YAML")
    monkeypatch.chdir(tmp_path)
    before = time.time_ns()
    prelist.start(["validate"])
    listed = prelist.take(Path("registry"))
    assert listed is not None
    listed_at, files = listed
    assert before <= listed_at <= time.time_ns()
    assert files == _own_listing(Path("registry"))
    yaml_files = sorted(str(p.relative_to(tmp_path)) for p in reg.root.rglob("*.y*ml"))
    assert sorted(path for path, _, _, _ in files) == yaml_files and "registry/assets/deep/x.yml" in yaml_files
    assert all(sig == FileCache.signature(os.lstat(path)) and size == os.lstat(path).st_size
               for path, _, sig, size in files)
    assert prelist.take(Path("registry")) is None  # once


@linux_smp
def test_another_folder_or_working_directory_gets_nothing(tmp_path, monkeypatch):
    write_registry(tmp_path / "registry")
    write_registry(tmp_path / "other")
    monkeypatch.chdir(tmp_path)
    prelist.start(["validate", "--registry", "registry"])
    pid = prelist._started[2]
    assert prelist.take(Path("other")) is None
    with pytest.raises(ChildProcessError):  # stopped and reaped: no process left behind
        os.waitpid(pid, os.WNOHANG)
    prelist.start(["validate"])
    monkeypatch.chdir(tmp_path / "registry")
    assert prelist.take(Path("registry")) is None


@linux_smp
def test_a_finding_while_listing_leaves_it_to_the_pipeline(tmp_path, monkeypatch):
    reg = write_registry(tmp_path / "registry")
    outside = tmp_path / "outside.yaml"
    outside.write_text("apiVersion: itam/v1\n")
    (reg.root / "link.yaml").symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    prelist.start(["validate"])
    assert prelist.take(Path("registry")) is None


@pytest.mark.parametrize("variable", ["ITAMCTL_JOBS=1", "ITAMCTL_PRELIST=0"])
def test_turned_off(tmp_path, monkeypatch, variable):
    write_registry(tmp_path / "registry")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(*variable.split("="))
    prelist.start(["validate"])
    assert prelist._started is None
    assert prelist.take(Path("registry")) is None


def _itamctl(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "itamctl", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "ITAMCTL_CACHE_DIR": str(cwd / "cache"), **env}, check=False)


@linux_smp
@pytest.mark.parametrize("command", [["validate"], ["check", "--as-of", "2026-06-30", "--exit-zero"],
                                     ["costs", "--as-of", "2026-06-30", "--format", "json"],
                                     ["expiries", "--as-of", "2026-06-30"]])
def test_commands_print_the_same_with_it_and_without(tmp_path, command):
    reg = write_registry(tmp_path / "registry")
    (reg.root / "assets" / "broken.yaml").write_text("apiVersion: itam/v1\nkind: Asset\nid: BR-1\n")
    runs = [_itamctl(tmp_path, *command, **env)
            for env in ({}, {"ITAMCTL_PRELIST": "0"}, {}, {"ITAMCTL_JOBS": "1"}, {"ITAMCTL_PRELIST": ""})]
    assert len({(r.returncode, r.stdout, r.stderr) for r in runs}) == 1, runs[0].stdout + runs[0].stderr


@linux_smp
def test_the_cache_knows_the_files_it_listed(tmp_path, monkeypatch):
    from itamctl import cache as cache_module

    reg = write_registry(tmp_path / "registry")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0)  # the files were written just now
    cache_module.set_enabled(True)
    prelist.start(["validate"])
    pid = prelist._started[2]
    assert pipeline.open_registry(Path("registry")).ok
    with pytest.raises(ChildProcessError):  # its listing was taken
        os.waitpid(pid, os.WNOHANG)
    cache = FileCache(reg.root, b"")  # the index of file signatures does not depend on the salt
    known = cache._stats
    assert sorted(known) == sorted(str(p.relative_to(tmp_path)) for p in reg.root.rglob("*.yaml"))
    for file, record in known.items():
        assert record[:-20] == FileCache.signature(os.lstat(tmp_path / file))
    cache.close()


@linux_smp
def test_small_registries_are_not(tmp_path, monkeypatch):
    """Below MIN_PACK_BYTES of cache (or with no cache yet) forking would cost what it saves."""
    from itamctl.cachepath import pack_path

    write_registry(tmp_path / "registry")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ITAMCTL_PRELIST")
    prelist.start(["validate"])
    assert prelist._started is None  # no pack yet
    pack = pack_path(Path("registry"))
    pack.parent.mkdir(parents=True, exist_ok=True)
    pack.write_bytes(bytes(prelist.MIN_PACK_BYTES - 1))
    prelist.start(["validate"])
    assert prelist._started is None
    pack.write_bytes(bytes(prelist.MIN_PACK_BYTES))
    prelist.start(["validate"])
    assert prelist._started is not None
    assert prelist.take(Path("registry")) is not None
