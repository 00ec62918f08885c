"""The format reference is generated from the schemas: the committed docs/reference.md equals the generator's output."""

from __future__ import annotations

import json

from conftest import REPO_ROOT

from itamctl.reference import fields, render
from itamctl.schema import KINDS


def test_the_committed_reference_is_the_generated_one():
    committed = (REPO_ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/reference.md is stale: run python -m itamctl.reference > docs/reference.md"


def test_every_top_level_schema_property_is_documented_with_its_description():
    for kind in KINDS:
        schema = json.loads((REPO_ROOT / "schemas" / f"{kind.lower()}.schema.json").read_text(encoding="utf-8"))
        documented = {path: description for path, _, _, _, description in fields(kind)}
        for name in schema["properties"]:
            assert name in documented, (kind, name)
            assert documented[name], (kind, name)


def test_the_asset_fields_the_old_guide_missed_are_there():
    paths = {path for path, *_ in fields("Asset")}
    assert {"owner", "location", "serial", "model", "cost_center", "service_level", "last_audit", "tags",
            "purchase.cost", "warranty.end", "maintenance[].kind", "disposal.proceeds"} <= paths


def test_each_kind_has_an_example_and_the_modelines_match_the_folder_depth():
    text = render()
    for kind in KINDS:
        assert f"## {kind}\n" in text
    assert "$schema=../../../schemas/asset.schema.json" in text
    assert text.count("```yaml") == len(KINDS)


def _paths(value, prefix=""):
    """Every dotted path of a loaded document, as ``fields`` writes them (``maintenance[].kind``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}{key}"
            yield path
            if isinstance(item, dict):
                yield from _paths(item, f"{path}.")
            elif isinstance(item, list):
                for entry in item:
                    if isinstance(entry, dict):
                        yield from _paths(entry, f"{path}[].")


def test_the_complete_examples_validate_and_check_clean():
    from datetime import date

    from itamctl.pipeline import open_registry, run_check
    from itamctl.reference import EXAMPLE_REGISTRY

    assert open_registry(EXAMPLE_REGISTRY).diagnostics == ()
    assert run_check(EXAMPLE_REGISTRY, date(2025, 12, 1)).diagnostics == ()


def test_each_example_uses_every_field_of_its_kind():
    from itamctl.loader import parse_text
    from itamctl.reference import EXAMPLES, SHOWN_ELSEWHERE, example

    for kind in KINDS:
        documents, problems = parse_text(example(kind), EXAMPLES[kind])
        assert problems == []
        used = {path for doc in documents if doc.data.get("kind") == kind for path in _paths(doc.data)}
        documented = {path for path, *_ in fields(kind)}
        missing = documented - used - {path for (k, path) in SHOWN_ELSEWHERE if k == kind}
        assert missing == set(), (kind, sorted(missing))
        assert used - documented <= {p for p in used if p.startswith(("categories.", "service_levels.", "fx[]."))}


def test_each_example_starts_with_the_modeline_for_its_folder_depth():
    from itamctl.reference import EXAMPLES, example
    from itamctl.scaffold import modeline
    from itamctl.schema import schema_file

    for kind in KINDS:
        first = example(kind).splitlines()[0]
        schema = "itam.schema.json" if kind in ("Person", "Location", "Vendor") else schema_file(kind)
        assert first == modeline(EXAMPLES[kind], schema), kind


def test_the_reference_links_the_conventions():
    text = render()
    assert "## Conventions" in text and "](conventions.md)" in text
    for anchor in ("#months", "#warranty-end", "#terms-of-licenses-and-contracts", "#payment-anchoring"):
        assert f"conventions.md{anchor}" in text
        heading = anchor[1:].replace("-", " ")
        conventions = (REPO_ROOT / "docs" / "conventions.md").read_text(encoding="utf-8").lower()
        assert f"## {heading}" in conventions.replace("'", "")
