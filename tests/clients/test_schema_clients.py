"""Third-party clients read the schemas as shipped, with no flags, and agree with `itamctl validate`.

check-jsonschema, jsonschema-rs and python-jsonschema come from the ``test``
extra; a missing one fails the test (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import jsonschema_rs
import pytest
from conftest import REPO_ROOT, run_cli
from helpers_clients import tool
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from itamctl.loader import load_file
from itamctl.schema import KINDS, SchemaValidator, schema_file

SCHEMAS = REPO_ROOT / "schemas"
BUNDLED = SCHEMAS / "bundled"
DEMO = REPO_ROOT / "registry"
ASSET_FILES = sorted((DEMO / "assets").rglob("*.yaml"))
SINGLE_DOC_FILES = sorted([*ASSET_FILES, *(DEMO / "licenses").glob("*.yaml"), *(DEMO / "contracts").glob("*.yaml"),
                           DEMO / "settings.yaml"])
BUNDLE_NAMES = [*(k.lower() for k in KINDS), "itam"]

#: Documents that one field makes valid or invalid: (name, kind, yaml fragment appended, valid?)
VARIANTS = [
    ("integral-alert-days", "asset", "alerts: {days: [30.0, 7]}\n", True),
    ("fractional-alert-days", "asset", "alerts: {days: [30.5]}\n", False),
    ("unknown-status", "asset", None, False),
    ("impossible-date", "asset", None, False),
    ("url-with-space", "vendor", "url: https://www.apple .com/\n", False),
    ("url-fine", "vendor", "url: https://www.apple.com/de/\n", True),
]


def as_json(value):
    """A document as any JSON/YAML client reads it: numbers are plain JSON numbers."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return json.loads(str(value))
    return value


def python_jsonschema(name: str) -> Draft202012Validator:
    """python-jsonschema on the source file, its `$ref`s resolved relative to the file as a checkout has it."""
    registry = Registry().with_resources(
        (path.resolve().as_uri(), Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMAS.glob("*.schema.json"))
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator({"$id": (SCHEMAS / name).resolve().as_uri(), **schema}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def rust(name: str):
    """jsonschema-rs on the bundled file, given nothing but the schema."""
    schema = json.loads((BUNDLED / name).read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@pytest.mark.parametrize("kind", BUNDLE_NAMES)
def test_bundled_schema_is_what_itamctl_schema_bundle_prints(kind):
    code, out, err = run_cli("schema", kind, "--bundle", "--registry", str(REPO_ROOT / "no-registry"))
    assert code == 0, err
    assert (BUNDLED / f"{kind}.schema.json").read_text(encoding="utf-8") == out, (
        f"regenerate: itamctl schema {kind} --bundle > schemas/bundled/{kind}.schema.json")
    bundle = json.loads(out)
    assert "$ref" not in json.dumps(bundle).replace('"$ref": "#/', "")  # every reference is inside the file
    Draft202012Validator.check_schema(bundle)


def test_itamctl_schema_prints_the_source_and_lists_kinds():
    code, out, _ = run_cli("schema", "Asset")
    assert code == 0 and json.loads(out) == json.loads((SCHEMAS / "asset.schema.json").read_text(encoding="utf-8"))
    code, out, _ = run_cli("schema", "--format", "json")
    assert code == 0 and {row["kind"] for row in json.loads(out)} >= {"asset", "itam"}
    code, _, err = run_cli("schema", "Laptop")
    assert code == 2 and "no schema for kind 'Laptop'" in err


def test_a_money_field_keeps_its_own_description_in_the_bundle():
    """Editors show the innermost matching description; the oneOf alternatives of money carry none."""
    bundle = json.loads((BUNDLED / "asset.schema.json").read_text(encoding="utf-8"))
    cost = bundle["properties"]["purchase"]["properties"]["cost"]
    assert cost["description"].startswith("Purchase price")
    assert all("description" not in branch for branch in bundle["$defs"]["money"]["oneOf"])


def test_check_jsonschema_validates_the_demo_assets_with_no_option():
    """The command of the issue, verbatim: no --base-uri, no network."""
    done = subprocess.run([tool("check-jsonschema"), "--schemafile", "schemas/asset.schema.json",
                           *(str(p.relative_to(REPO_ROOT)) for p in ASSET_FILES)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "validation done" in done.stdout


def _variant(tmp_path: Path, name: str, kind: str, extra: str | None) -> Path:
    if kind == "asset":
        text = (DEMO / "assets" / "laptop" / "LT-0002.yaml").read_text(encoding="utf-8")
    else:
        text = "apiVersion: itam/v1\nkind: Vendor\nid: apple-x\nname: Apple\n"
    if name == "unknown-status":
        text = text.replace("\nstatus: ", "\nstatus: lost\nx-was: ")
    if name == "impossible-date":
        text = text.replace("  date: 20", "  date: 2023-02-30\n  x-was: 20", 1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text + (extra or ""), encoding="utf-8")
    return path


def _itamctl_verdict(path: Path) -> bool:
    docs, problems = load_file(path)
    assert problems == [] and len(docs) == 1
    return SchemaValidator().validate(docs[0]) == []


@pytest.mark.parametrize(("name", "kind", "extra", "valid"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_every_client_agrees_with_itamctl_on_a_variant(tmp_path, name, kind, extra, valid):
    path = _variant(tmp_path, name, kind, extra)
    assert _itamctl_verdict(path) is valid
    [doc], _ = load_file(path)
    data = as_json(doc.data)
    assert rust(f"{kind}.schema.json").is_valid(data) is valid
    assert rust("itam.schema.json").is_valid(data) is valid
    # python-jsonschema (and check-jsonschema) check `uri` with the optional rfc3986-validator of the test extra
    assert python_jsonschema(f"{kind}.schema.json").is_valid(data) is valid
    done = subprocess.run([tool("check-jsonschema"), "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), str(path)],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode == 0) is valid, done.stdout + done.stderr


def test_every_client_agrees_with_itamctl_on_the_demo_files():
    validators = {kind: (rust(schema_file(kind)), python_jsonschema(schema_file(kind))) for kind in KINDS}
    editor = rust("itam.schema.json")
    for path in SINGLE_DOC_FILES:
        [doc], _ = load_file(path)
        ours = SchemaValidator().validate(doc) == []
        data = as_json(doc.data)
        fast, python = validators[doc.kind]
        assert (fast.is_valid(data), python.is_valid(data), editor.is_valid(data)) == (ours, ours, ours), path


def test_an_integral_number_where_an_integer_is_wanted_reads_as_that_integer(registry):
    def expiries() -> str:
        code, out, err = run_cli("expiries", "--registry", str(registry.root), "--as-of", "2026-09-01",
                                 "--within", "3650", "--format", "json")
        assert code == 0, err
        return [{k: v for k, v in event.items() if k != "line"} for event in json.loads(out)["events"]]

    before = expiries()
    registry.replace("contracts/CTR-0001.yaml", "notice_days: 60", "notice_days: 60.0")
    registry.replace("assets/LT-0001.yaml", "kind: Asset", "kind: Asset\nalerts: {days: [90.0, 30]}")
    code, out, err = run_cli("validate", "--registry", str(registry.root))
    assert code == 0, out + err
    assert expiries() == before
