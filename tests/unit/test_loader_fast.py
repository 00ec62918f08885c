"""The loader's fast path agrees with the event composer: same data, same positions, same secret verdicts."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from itamctl import loader
from itamctl.loader import _compose_text, _fast_parse, parse_text
from itamctl.rules.validation import secret_in_field
from itamctl.schema import SchemaValidator, _integral_to_int

SOURCES = sorted([*(REPO_ROOT / "registry").rglob("*.yaml"), *(REPO_ROOT / "tests" / "fixtures").rglob("*.yaml")])

NESTED = """\
apiVersion: itam/v1
kind: Asset
id: A-1
name: "quoted: value"
purchase:
  date: 2024-01-15
  cost: 1200.50
maintenance:
  - {date: 2024-02-01, kind: repair, cost: 30.0}
  - date: 2024-03-01
    kind: service
    parts: [a, [b, c], {d: [1, 2]}, []]
empty: {}
nothing:
---
apiVersion: itam/v1
kind: Person
id: p-1
name: P
"""


def _fast_docs(text: str, file: str = "f.yaml") -> list:
    """The documents of the fast path, [] when parse_text gives the file to the composer."""
    if loader._COMPOSER_ONLY.search(text):
        return []
    try:
        return _fast_parse(text, file)
    except loader._Fallback:
        return []


def _paths(doc) -> set:
    """Every path of the composer's tables, and paths under and beside them that do not exist."""
    found = set(doc.values) | set(doc.keys)
    extra = set()
    for path in found:
        extra |= {(*path, "missing"), (*path, 0), (*path, 99), (*path, -1), (*path, "missing", 3)}
    return found | extra


def _texts() -> list[tuple[str, str]]:
    texts = [("nested.yaml", NESTED)]
    for path in SOURCES:
        try:
            texts.append((path.name, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue
    return texts


@pytest.mark.parametrize(("name", "text"), _texts(), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "")
def test_fast_documents_equal_the_composers(name, text):
    fast = _fast_docs(text, name)
    slow, problems = _compose_text(text, name)
    if not fast:
        return  # the file goes to the composer (anchors, tabs, findings): nothing to compare
    assert problems == []
    assert [(d.index, d.data, d.start) for d in fast] == [(d.index, d.data, d.start) for d in slow]
    for f, s in zip(fast, slow, strict=True):
        assert dict(f.values) == dict(s.values)
        assert dict(f.keys) == dict(s.keys)
        for path in _paths(s):
            assert f.position(path) == s.position(path), path
            assert f.position(path, key=True) == s.position(path, key=True), path
        again = pickle.loads(pickle.dumps(f))
        assert again == f and again.clean == f.clean
        assert [again.position(p) for p in _paths(s)] == [s.position(p) for p in _paths(s)]


def test_positions_of_nested_documents():
    asset, person = parse_text(NESTED, "f.yaml")[0]
    assert asset.position(("maintenance", 1, "parts", 2, "d", 1)).line == 12
    assert asset.position(("maintenance", 1, "parts", 2, "d", 1)).column == 32
    assert asset.position(("maintenance", 1, "kind"), key=True).column == 5
    assert asset.position(("nothing",)).line == 14
    assert asset.position(("nope", "deeper")) == asset.start
    assert person.start.line == 16
    assert asset.data["purchase"]["cost"] == Decimal("1200.50")


@pytest.mark.parametrize("path", sorted(p for p in SOURCES if "secret" in p.name or p.parent.name == "valid"),
                         ids=lambda p: p.name)
def test_a_clean_document_has_nothing_for_the_secret_rule(path: Path):
    """``clean`` is only ever set on documents the rule's own walk finds nothing in."""
    documents = _fast_docs(path.read_text(encoding="utf-8"), path.name)
    for doc in documents:
        if doc.clean:
            assert not _secret_findings(doc)
    if "secret" in path.name and documents:
        assert not all(doc.clean for doc in documents)


def _secret_findings(doc) -> list:
    class Reg:
        documents = (doc,)

    unmarked = loader.Document(doc.file, doc.index, doc.data, doc.start, doc.values, doc.keys)
    Reg.documents = (unmarked,)
    return list(secret_in_field.check(Reg))


def test_integer_plan_does_what_the_schema_walk_does():
    validator = SchemaValidator(REPO_ROOT / "registry")
    texts = [*_texts(), ("ints.yaml", "apiVersion: itam/v1\nkind: License\nid: L\nname: L\ntype: subscription\n"
                                      "seats: 30.0\nnotice_days: 60.0\ncost: 5.0\nalerts: {days: [30.0, 7]}\n")]
    for name, text in texts:
        docs, _ = parse_text(text, name)
        for doc in docs:
            if doc.kind not in ("Settings", "Asset", "License", "Contract", "Person", "Location", "Vendor"):
                continue
            expected = pickle.loads(pickle.dumps(doc.data))
            _integral_to_int(validator.validator(doc.kind).schema, expected)
            validator.to_int(doc)
            assert doc.data == expected
            assert _types(doc.data) == _types(expected)


def _types(value):
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value)


@pytest.mark.parametrize("cwd", ["/work/reg", "/", "/work/reg/", "/work"])
def test_display_names_by_prefix_equal_display_path(cwd):
    paths = ["/work/reg/assets/a.yaml", "/work/reg", "/work/regx/a.yaml", "/work/re", "registry/a.yaml",
             "a.yaml", "/other/a.yaml", "/work/reg/assets/sub/b.yml", "/"]
    name = loader.display_namer(Path(cwd))
    for text in paths:
        assert name(Path(text)) == loader.display_path(Path(text), Path(cwd)), (cwd, text)
