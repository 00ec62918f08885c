"""The JSON Schemas themselves, registry extensions, and the valid/invalid fixture files.

Each file in ``tests/fixtures/invalid/`` starts with one or more header lines::

    # expect: <rule> line <N> ["substring of the message"]

and is validated together with the valid fixtures (so cross-file rules have
something to refer to). The test asserts the exact set of (rule, line) findings
in that file, that each quoted substring appears in the matching message, and
that the valid files gain no findings.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from itamctl.loader import load_file
from itamctl.pipeline import open_registry
from itamctl.schema import KINDS, SchemaValidator, builtin_schema_dir, schema_file

SCHEMA_DIR = REPO_ROOT / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
VALID_DIR = REPO_ROOT / "tests" / "fixtures" / "valid"
INVALID_DIR = REPO_ROOT / "tests" / "fixtures" / "invalid"
VALID_FILES = sorted(VALID_DIR.glob("*.yaml"))
INVALID_FILES = sorted(INVALID_DIR.glob("*.yaml"))
EXPECT = re.compile(r'^# expect: (?P<rule>[\w.]+) line (?P<line>\d+)(?: "(?P<text>.*)")?\s*$')


def _schemas() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_FILES}


def _ref_registry() -> Registry:
    """The schemas by their file URI, as a client reading them from a checkout sees them."""
    return Registry().with_resources(
        ((SCHEMA_DIR / name).resolve().as_uri(), Resource.from_contents(s)) for name, s in _schemas().items()
    )


# --- the schemas -------------------------------------------------------------


def test_every_kind_has_a_schema_and_the_package_uses_them():
    names = {p.name for p in SCHEMA_FILES}
    assert {schema_file(k) for k in KINDS} | {"common.schema.json", "itam.schema.json"} == names
    assert builtin_schema_dir().resolve() == SCHEMA_DIR.resolve()


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_passes_the_2020_12_metaschema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schemas_carry_no_id_so_relative_refs_resolve_from_the_file():
    """A `$id` URL would make every client resolve `common.schema.json` against a server that serves nothing."""
    for name, schema in _schemas().items():
        assert not any("$id" in node for _, node in _walk(schema)), name


def _walk(node, path=()):
    """Yield (path, node) for every dict in a schema."""
    if isinstance(node, dict):
        yield path, node
        for key, child in node.items():
            yield from _walk(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk(child, (*path, i))


def _property_schemas(schema):
    for path, node in _walk(schema):
        for group in ("properties", "patternProperties", "$defs"):
            for name, sub in (node.get(group) or {}).items() if isinstance(node.get(group), dict) else ():
                yield (*path, group, name), sub


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_a_title_and_a_description(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema.get("title") and schema.get("description")
    checked = 0
    for where, sub in _property_schemas(schema):
        # `properties` inside an if-condition only match a value; they are documented too.
        assert isinstance(sub, dict), where
        assert sub.get("title"), f"{path.name}: {'/'.join(map(str, where))} has no title"
        assert sub.get("description"), f"{path.name}: {'/'.join(map(str, where))} has no description"
        checked += 1
    assert checked > 3


@pytest.mark.parametrize("path", [p for p in SCHEMA_FILES if p.name not in ("common.schema.json", "itam.schema.json")],
                         ids=lambda p: p.name)
def test_document_schemas_close_their_objects(path):
    """Every object with ``properties`` says ``additionalProperties: false`` (typos are caught).

    ``itam.schema.json`` is exempt: it only dispatches to the kind's schema, which is closed.
    """
    schema = json.loads(path.read_text(encoding="utf-8"))
    for where, node in _walk(schema):
        if "properties" in node and "if" not in where and node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{path.name}: {where}"


def test_common_definitions_close_their_objects_and_use_enums():
    common = _schemas()["common.schema.json"]["$defs"]
    for name in ("alerts", "waiver", "depreciation"):
        assert common[name]["additionalProperties"] is False
    assert common["billing"]["enum"] == ["once", "monthly", "quarterly", "yearly"]
    assert common["renewal"]["enum"] == ["auto", "manual", "none"]
    asset = _schemas()["asset.schema.json"]["properties"]
    assert asset["status"]["enum"] == [
        "planned", "ordered", "in_stock", "deployed", "in_repair", "retired", "disposed"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_ref_resolves(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    resolver = _ref_registry().resolver(base_uri=path.resolve().as_uri())
    refs = [node["$ref"] for _, node in _walk(schema) if isinstance(node.get("$ref"), str)]
    for ref in refs:
        resolver.lookup(ref)  # raises Unresolvable
    if path.name not in ("common.schema.json", "location.schema.json", "vendor.schema.json"):
        assert refs


# --- the fixture files ---------------------------------------------------------


def test_there_is_a_valid_fixture_for_every_kind():
    kinds = {p.name.split("-", 1)[0] for p in VALID_FILES}
    assert kinds == {k.lower() for k in KINDS}


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_valid_fixture_passes_its_schema_and_the_editor_schema(path):
    docs, problems = load_file(path)
    assert problems == []
    assert docs
    validator = SchemaValidator()
    itam = SCHEMA_DIR / "itam.schema.json"
    editor = Draft202012Validator({"$id": itam.resolve().as_uri(), **_schemas()[itam.name]}, registry=_ref_registry(),
                                  format_checker=Draft202012Validator.FORMAT_CHECKER)
    for doc in docs:
        assert path.name.startswith(doc.kind.lower() + "-")
        assert validator.validate(doc) == []
        assert list(editor.iter_errors(doc.data)) == []


def test_valid_fixtures_together_are_a_clean_registry(monkeypatch):
    monkeypatch.chdir(VALID_DIR)
    checked = open_registry(Path("."))
    assert checked.diagnostics == ()
    reg = checked.registry
    assert (len(reg.assets), len(reg.licenses), len(reg.contracts)) == (3, 2, 2)
    assert (len(reg.people), len(reg.locations), len(reg.vendors)) == (2, 2, 3)


def _expectations(path: Path) -> list[tuple[str, int, str | None]]:
    header = path.read_bytes().decode("latin-1").splitlines()
    found = [EXPECT.match(line) for line in header if line.startswith("# expect:")]
    assert found and all(found), f"{path.name}: malformed or missing `# expect:` header"
    return [(m["rule"], int(m["line"]), m["text"]) for m in found]


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_fixture_reports_the_expected_rule_and_line(path, tmp_path, monkeypatch):
    root = tmp_path / "registry"
    shutil.copytree(VALID_DIR, root / "valid")
    (root / "zz").mkdir()  # walked after valid/: a duplicate id is reported here
    shutil.copy(path, root / "zz" / path.name)
    monkeypatch.chdir(root)

    checked = open_registry(Path("."))

    here = f"zz/{path.name}"
    assert [d for d in checked.diagnostics if d.file != here] == []
    expected = _expectations(path)
    assert sorted((d.rule, d.line) for d in checked.diagnostics) == sorted((r, n) for r, n, _ in expected)
    for rule, line, text in expected:
        if text:
            messages = [d.message for d in checked.diagnostics if (d.rule, d.line) == (rule, line)]
            assert any(text in m for m in messages), (text, messages)
    assert not checked.ok


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_fixture_through_the_cli(path, tmp_path, monkeypatch):
    """End to end: non-zero exit, and a `file:line:col: error [rule]` line, never a traceback."""
    root = tmp_path / "registry"
    shutil.copytree(VALID_DIR, root / "valid")
    (root / "zz").mkdir()
    shutil.copy(path, root / "zz" / path.name)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("validate", "--registry", "registry")
    assert code == 1
    assert err == ""
    for rule, line, _ in _expectations(path):
        assert re.search(rf"^registry/zz/{re.escape(path.name)}:{line}(:\d+)?: \w+ \[{re.escape(rule)}\] ",
                         out, re.M), out


def test_invalid_fixtures_cover_every_class_the_issue_names():
    rules = {rule for p in INVALID_FILES for rule, _, _ in _expectations(p)}
    assert {
        "schema.unknown_field", "schema.required", "schema.type", "schema.enum", "schema.format",
        "schema.value", "schema.pattern", "schema.kind", "schema.api_version",
        "yaml.duplicate_key", "yaml.alias", "yaml.anchor", "yaml.tag", "yaml.syntax",
        "yaml.not_mapping", "yaml.encoding", "yaml.number",
        "duplicate_id", "unresolved_reference", "date_order", "disposal_required",
        "subscription_end", "secret_in_field", "fx_missing_rate",
    } <= rules


# --- a registry's own schemas/ extending the built-in ones -----------------------

TAGGED_ASSET = """\
    apiVersion: itam/v1
    kind: Asset
    id: LT-0002
    name: Tagged laptop
    category: laptop
    status: in_stock
    asset_tag: "A-000123"
    """


def test_extension_adds_a_custom_field(registry):
    registry.write("assets/LT-0002.yaml", TAGGED_ASSET)
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert "[schema.unknown_field] unknown field `asset_tag`" in out

    registry.write("schemas/asset.schema.json", json.dumps({"properties": {"asset_tag": {
        "title": "Asset tag", "description": "Sticker number.", "type": "string",
        "pattern": "^A-[0-9]{6}$"}}}))
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert (code, out) == (0, "0 errors, 0 warnings in 8 files\n")

    registry.write("assets/LT-0002.yaml", TAGGED_ASSET.replace("A-000123", "B-1"))
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert re.search(r"LT-0002\.yaml:7:\d+: error \[schema\.pattern\] `asset_tag` is 'B-1'", out), out


def test_extension_can_make_a_custom_field_required(registry):
    registry.write("schemas/asset.schema.json", json.dumps({
        "properties": {"asset_tag": {"type": "string"}}, "required": ["asset_tag"]}))
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert "LT-0001.yaml:1:1: error [schema.required] missing required field `asset_tag`" in out
    # the built-in required fields are still required
    validator = SchemaValidator(registry.root)
    assert validator.schemas["asset.schema.json"]["required"][:3] == ["apiVersion", "kind", "id"]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("foo.schema.json", "{}", "no built-in schema named foo.schema.json"),
    ("common.schema.json", "{}", "no built-in schema named common.schema.json"),
    ("asset.schema.json", "{oops", "cannot read schema extension"),
    ("asset.schema.json", "[1, 2]", "must be an object with `properties`"),
    ("asset.schema.json", '{"properties": {"x": {"type": "strin"}}}', "invalid schema extension at properties/x/type"),
    ("asset.schema.json", '{"properties": {"x": 5}}', "invalid schema extension at properties/x"),
    ("asset.schema.json", '{"required": "x"}', "invalid schema extension at required"),
    ("asset.schema.json", '{"properties": {"x": {"pattern": "(["}}}', "not a 'regex'"),
    ("asset.schema.json", '{"properties": {"x": {"$ref": "nowhere.json"}}}', "'nowhere.json' does not resolve"),
])
def test_a_bad_extension_is_a_clean_error(registry, name, text, message):
    registry.write(f"schemas/{name}", text)
    code, out, err = run_cli("validate", "--registry", registry.root)
    assert code != 0
    assert out == ""
    assert err.startswith(f"itamctl: error: {registry.root / 'schemas' / name}: ")
    assert message in err
    assert "Traceback" not in err


def test_extension_may_reference_the_common_definitions(registry):
    registry.write("schemas/asset.schema.json", json.dumps(
        {"properties": {"leased_until": {"$ref": "common.schema.json#/$defs/date"}}}))
    registry.write("assets/LT-0002.yaml", TAGGED_ASSET.replace('asset_tag: "A-000123"', "leased_until: 2024-02-30"))
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert "LT-0002.yaml:7:15: error [schema.format] `leased_until` is '2024-02-30'" in out


def test_validators_are_built_once_per_kind(registry):
    validator = SchemaValidator(registry.root)
    assert validator.validator("Asset") is validator.validator("Asset")
    assert validator.validator("Asset") is not validator.validator("License")
    assert validator.validator("Asset").format_checker is not None


def test_a_malformed_date_is_one_finding(registry):
    text = (registry.root / "assets/LT-0001.yaml").read_text()
    registry.write("assets/LT-0001.yaml", text.replace("date: 2024-03-15", "date: 15.03.2024"))
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert out.splitlines() == [
        f"{registry.root}/assets/LT-0001.yaml:11:9: error [schema.format] `purchase.date` is '15.03.2024', "
        "not a real calendar date (YYYY-MM-DD)",
        "1 error, 0 warnings in 7 files",
    ]


def test_pattern_messages_quote_the_schema_description_in_full(registry):
    text = (registry.root / "settings.yaml").read_text()
    registry.write("settings.yaml", text.replace("currency: EUR", "currency: euro"))
    _, out, _ = run_cli("validate", "--registry", registry.root)
    assert ("settings.yaml:5:11: error [schema.pattern] `currency` is 'euro': expected a three-letter upper-case "
            "ISO 4217 currency code, e.g. `EUR`, `USD`, `GBP`\n") in out


def test_the_model_knows_the_top_level_fields_of_every_shipped_schema():
    """``model.SCHEMA_FIELDS`` lets an item skip the scan for ``x-`` fields: it must be these, none ``x-``."""
    from itamctl.model import SCHEMA_FIELDS

    fields = set()
    for path in builtin_schema_dir().glob("*.schema.json"):
        fields |= set(json.loads(path.read_text()).get("properties", {}))
    assert fields == SCHEMA_FIELDS and not any(name.startswith("x-") for name in SCHEMA_FIELDS)


def test_x_fields_are_kept_beside_schema_fields_and_extension_fields():
    from itamctl.loader import parse_text
    from itamctl.model import Asset

    base = ("apiVersion: itam/v1\nkind: Asset\nid: A-1\nname: A\ncategory: laptop\nstatus: deployed\n")
    plain, = parse_text(base, "a.yaml")[0]
    assert dict(Asset.from_document(plain, "EUR").extra) == {}
    marked, = parse_text(base + "x-rack: R1\nbadge: 7\nx-slot: 3\n", "b.yaml")[0]
    assert dict(Asset.from_document(marked, "EUR").extra) == {"x-rack": "R1", "x-slot": 3}
    other, = parse_text(base + "badge: 7\n", "c.yaml")[0]
    assert dict(Asset.from_document(other, "EUR").extra) == {}
