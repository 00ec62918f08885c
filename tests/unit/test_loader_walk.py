"""The registry walk is bounded (issue 11 class 8): crafted folder trees are findings, never a hang or a crash.

A 1000-deep nesting used to end in a RecursionError (``os.walk`` recurses on
Python 3.11); 10^5 empty folders were all walked. Now folders deeper than
``MAX_FOLDER_DEPTH`` and every folder after the first ``MAX_FOLDERS`` are not
read, each with an error finding that names the bound.
"""

from __future__ import annotations

import os

import pytest
from conftest import run_cli, write_registry

from itamctl import listing, loader


def _nest(root, depth: int, name: str = "d"):
    path = root
    for _ in range(depth):  # os.makedirs itself recurses per level
        path = path / name
        path.mkdir()
    return path


def _unnest(deepest, top) -> None:
    """Remove a deep nesting bottom-up (shutil.rmtree, and so pytest's clean-up, recurses per level)."""
    for path in deepest.iterdir():
        path.unlink()
    while deepest != top:
        deepest.rmdir()
        deepest = deepest.parent


@pytest.fixture
def deep(tmp_path):
    reg = write_registry(tmp_path / "registry")
    deepest = _nest(reg.root, 1000)
    yield reg, deepest
    _unnest(deepest, reg.root)


def test_a_thousand_deep_nesting_is_a_finding_not_a_recursion_error(deep):
    reg, deepest = deep
    (deepest / "x.yaml").write_text("kind: Nope\n", encoding="utf-8")
    code, out, err = run_cli("validate", "--registry", reg.root)
    assert code == 1, err
    [finding] = [line for line in out.splitlines() if "yaml.too_deep" in line]
    assert f"more than {loader.MAX_FOLDER_DEPTH} levels deep" in finding
    assert "/d" * loader.MAX_FOLDER_DEPTH + ": error" in finding
    assert "x.yaml" not in out  # nothing below the bound was read
    for name in ("costs", "expiries", "budget"):  # the reports refuse the incomplete registry in one line
        code, out, err = run_cli(name, "--registry", reg.root, "--as-of", "2026-01-01")
        assert code == 1 and len(err.splitlines()) == 1 and "yaml.too_deep" in err


def test_files_at_the_depth_bound_are_still_read(tmp_path):
    reg = write_registry(tmp_path / "registry")
    folder = _nest(reg.root / "assets", loader.MAX_FOLDER_DEPTH - 1)
    os.replace(reg.root / "assets" / "LT-0001.yaml", folder / "LT-0001.yaml")
    result = loader.load_registry(reg.root)
    assert not result.diagnostics
    assert any(f.endswith("/d/LT-0001.yaml") for f in result.files)
    (folder / "d").mkdir()  # one level more, empty: nothing is lost, but the walk stops here
    assert [d.rule for d in loader.load_registry(reg.root).diagnostics] == ["yaml.too_deep"]


def test_the_number_of_folders_is_bounded(tmp_path, monkeypatch):
    reg = write_registry(tmp_path / "registry")
    for i in range(5):
        (reg.root / "assets" / f"empty-{i}").mkdir()
    monkeypatch.setattr(listing, "MAX_FOLDERS", 4)
    result = loader.load_registry(reg.root)
    [problem] = result.diagnostics
    assert problem.rule == "yaml.too_many_folders" and "more than 4 folders" in problem.message
    assert problem.severity.value == "error"


@pytest.mark.slow
def test_a_hundred_thousand_empty_folders(tmp_path):
    reg = write_registry(tmp_path / "registry")
    for i in range(100_000):
        os.mkdir(reg.root / f"e{i:06d}")
    code, out, _ = run_cli("validate", "--registry", reg.root, "--format", "json")
    assert code == 1
    assert f'more than {loader.MAX_FOLDERS} folders in the registry' in out


@pytest.mark.parametrize("root", [".", "registry", "./registry", "registry/", "registry/../registry"])
def test_listed_paths_are_the_ones_path_objects_give(tmp_path, monkeypatch, root):
    """The walk joins strings (no path object a file): the names it gives are those of ``Path(root) / ...``."""
    from pathlib import Path

    reg = write_registry(tmp_path / "registry")
    (reg.root / "assets" / "sub").mkdir(parents=True)
    (reg.root / "assets" / "sub" / "x.yaml").write_text("apiVersion: itam/v1\n")
    monkeypatch.chdir(tmp_path if root != "." else reg.root)
    listed = [path for path, problem, _ in loader.registry_files(Path(root)) if problem is None]
    expected = sorted(str(Path(root) / p.relative_to(reg.root)) for p in reg.root.rglob("*.yaml"))
    assert sorted(listed) == expected and "assets/sub/x.yaml" in "".join(listed)
    assert [str(p) for p in loader.iter_registry_files(Path(root)) for p in [p[0]]] == listed
