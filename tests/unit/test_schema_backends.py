"""jsonschema-rs (the fast backend) and python-jsonschema (the reference) agree.

The fast backend answers "valid?" for every document; python-jsonschema
explains the ones that are not. For that to be safe, both must give the same
verdict on every document: every fixture, the demo registry, and broken
variants of each valid fixture (fields dropped, wrong types, bad formats).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINIMAL_REGISTRY, REPO_ROOT

from itamctl.loader import load_file
from itamctl.schema import KINDS, SchemaValidator

FILES = sorted((REPO_ROOT / "tests" / "fixtures").rglob("*.yaml")) + sorted(
    (REPO_ROOT / "registry").rglob("*.yaml")
)
REFERENCE = SchemaValidator(fast=False)
FAST = SchemaValidator()

BROKEN_VALUES = (None, "", 12345, Decimal("1.5"), Decimal("30.0"), True, [], {}, "15.03.2024", "not an email",
                 "https://www.example .com/", "x" * 300, -1)


def _documents(path: Path):
    docs, _problems = load_file(path)
    return docs


def _verdicts(doc_data: dict, kind: str) -> tuple[bool, bool]:
    reference = not list(REFERENCE.validator(kind).iter_errors(doc_data))
    fast = FAST.fast_validator(kind).is_valid(doc_data)
    return reference, fast


def _variants(data: dict):
    """Broken copies of a document: each field dropped, or given a value of another type or format."""
    for key in data:
        if key in ("apiVersion", "kind"):
            continue
        dropped = dict(data)
        del dropped[key]
        yield dropped
        for value in BROKEN_VALUES:
            changed = dict(data)
            changed[key] = value
            yield changed
        if isinstance(data[key], dict):
            for inner in data[key]:
                for value in BROKEN_VALUES[:6]:
                    changed = copy.deepcopy(data)
                    changed[key][inner] = value
                    yield changed


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_both_backends_agree_on_every_document_of_every_fixture(path):
    for doc in _documents(path):
        if doc.kind not in KINDS or doc.data.get("apiVersion") != "itam/v1":
            continue
        reference, fast = _verdicts(doc.data, doc.kind)
        assert fast == reference, f"{path.name} document {doc.index}"


@pytest.mark.parametrize("path", [p for p in FILES if "valid" in p.parts and "invalid" not in p.parts],
                         ids=lambda p: p.name)
def test_both_backends_agree_on_broken_variants(path):
    checked = 0
    for doc in _documents(path):
        for data in _variants(doc.data):
            reference, fast = _verdicts(data, doc.kind)
            assert fast == reference, f"{path.name}: {data}"
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_findings_are_the_same_with_either_backend(path):
    docs = _documents(path)
    assert FAST.validate_all(docs) == REFERENCE.validate_all(docs)


def test_integral_decimal_where_an_integer_is_required():
    doc = _documents(REPO_ROOT / "tests/fixtures/valid/asset-laptop-deployed.yaml")[0]
    data = {**doc.data, "alerts": {"days": [Decimal("30.0")]}}
    assert _verdicts(data, "Asset")[0] == _verdicts(data, "Asset")[1]
    data = {**doc.data, "purchase": {**doc.data["purchase"], "cost": Decimal("30.0")}}
    assert _verdicts(data, "Asset") == (True, True)


def test_minimal_registry_is_valid_under_both(registry):
    for name in MINIMAL_REGISTRY:
        for doc in _documents(registry.root / name):
            assert _verdicts(doc.data, doc.kind) == (True, True)


FORMAT_SAMPLES = ("2024-02-29", "2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-01\n", " 2024-01-01",
                  "٢٠٢٤-٠١-٠١", "2024-01-01T00:00", "", "a@b", "@", "alice@example.com", "no at sign", "mailto:x@y",
                  "https://www.example.com/a?b=c#d", "https://www.example .com/", "http://x/%zz", "urn:isbn:123",
                  "relative/path", None, 12, Decimal("1.5"), True, [], {})


@pytest.mark.parametrize("name", sorted(__import__("itamctl.schema", fromlist=["OWN_FORMATS"]).OWN_FORMATS))
def test_own_format_functions_are_the_references(name):
    """A changed file is checked by jsonschema-rs with these; python-jsonschema explains with its own."""
    from itamctl.schema import OWN_FORMATS, _reference

    checker = _reference().checker
    for value in FORMAT_SAMPLES:
        assert OWN_FORMATS[name](value) == checker.conforms(value, name), (name, value)


def test_the_shipped_schemas_use_only_formats_restated_here():
    from itamctl.schema import OWN_FORMATS, _keyword_values

    used = {name for schema in FAST.schemas.values() for name in _keyword_values(schema, "format")}
    assert used and used <= set(OWN_FORMATS)


def test_an_extension_format_not_restated_is_checked_by_the_reference():
    from itamctl.schema import _fast_formats

    formats = _fast_formats([{"properties": {"ip": {"type": "string", "format": "ipv4"}}}])
    assert formats["ipv4"]("10.0.0.1") and not formats["ipv4"]("10.0.0.300")
