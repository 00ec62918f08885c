"""The fast loader path (libyaml composes in C) gives exactly what the event composer gives.

Files with anchors, aliases, tags or tabs, and any file the fast path finds a
problem in, go to the event composer; for every other file both must agree on
data, positions, document numbers and findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from itamctl import loader

FILES = sorted((REPO_ROOT / "tests" / "fixtures").rglob("*.yaml")) + sorted((REPO_ROOT / "registry").rglob("*.yaml"))


def _both(text: str):
    composed = loader._compose_text(text, "f.yaml")
    return loader.parse_text(text, "f.yaml"), composed


def _same(fast, composed) -> None:
    (fast_docs, fast_problems), (docs, problems) = fast, composed
    assert fast_problems == problems
    assert [(d.index, d.data, d.start, dict(d.values), dict(d.keys)) for d in fast_docs] == [
        (d.index, d.data, d.start, dict(d.values), dict(d.keys)) for d in docs]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_fixtures_load_the_same_either_way(path):
    text = path.read_bytes().decode("utf-8-sig", "replace").replace("\0", "")
    _same(*_both(text))


CASES = [
    "a: 1\na: 2\n",  # duplicate key
    "? [a, b]\n: c\n",  # non-scalar key
    "a: .inf\n",
    "- a\n- b\n",
    "just text\n",
    "a: 1\n---\n---\nb: [1, {c: 'x', d: \"y\"}]\n...\n",
    "a: {b: [\n",
    "1: x\nnull: y\ntrue: z\n2.5: w\n",
    "x: " + "[" * 40 + "]" * 40 + "\n",
    "a: 0x1F\nb: 0o17\nc: 1e3\nd: -.5\ne: yes\nf: ~\ng: ''\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: |\n  text\n  more\nb: >-\n  folded\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", CASES)
def test_edge_cases_load_the_same_either_way(text):
    _same(*_both(text))


def test_the_fast_path_is_taken_for_plain_files_only():
    assert loader._fast_parse("a: 1\n", "f.yaml")[0].data == {"a": 1}
    with pytest.raises(loader._Fallback):
        loader._fast_parse("a: 1\na: 2\n", "f.yaml")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab: -[]{},\n'\"#?|>.1", max_size=60))
def test_any_text_loads_the_same_either_way(text):
    _same(*_both(text))


@pytest.mark.parametrize("root", [".", "registry", "sub/registry", "../elsewhere/registry", "/abs/registry"])
def test_display_inside_equals_display_path(tmp_path, root):
    from itamctl.loader import display_inside, display_path

    cwd = tmp_path / "work"
    for base in (Path(root), cwd / root if not root.startswith("/") else Path(root), cwd):
        name = display_inside(base, cwd)
        for rel in ("settings.yaml", "assets/laptops/LT-1.yaml"):
            assert name(rel) == display_path(base / rel, cwd)
