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
