"""The rule registry is the one list of rules: everything else says the same (issue 10).

rule ids = module names = settings schema policy keys = waiver examples =
``check --help`` = docs/rules.md. After adding a rule, run
``python -m itamctl.rules.sync`` to regenerate the schema and docs parts.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

import itamctl.rules.policy
import itamctl.rules.validation
from itamctl.diagnostics import Severity
from itamctl.model import Settings
from itamctl.rules import all_rules, get, policy_rules, rule_ids, severity, validation_rules, waivable_ids
from itamctl.rules.sync import stale

ROOT = REPO_ROOT


def _modules(package) -> set[str]:
    return {m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}


def test_rule_ids_are_module_names_in_two_groups():
    assert rule_ids("validation") == tuple(sorted(_modules(itamctl.rules.validation)))
    assert rule_ids("policy") == tuple(sorted(_modules(itamctl.rules.policy)))
    assert len(set(rule_ids())) == len(rule_ids())
    for rule in all_rules():
        assert rule.module.__name__.rsplit(".", 1)[1] == rule.id
        assert rule.description and rule.description == rule.description.strip()


def test_groups_differ_in_date_configuration_and_waivers():
    assert all(not r.takes_as_of and not r.waivable for r in validation_rules())
    assert all(r.takes_as_of for r in policy_rules())
    assert set(waivable_ids()) <= set(rule_ids("policy"))


def test_every_rule_module_declares_the_contract_without_computing_it():
    for rule in all_rules():
        tree = ast.parse(Path(rule.module.__file__).read_text(encoding="utf-8"))
        assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                    if isinstance(t, ast.Name)}
        assert {"ID", "DESCRIPTION", "DEFAULT_SEVERITY", "TAKES_AS_OF", "WAIVABLE"} <= assigned, rule.id
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        if rule.items is not None:  # a rule that judges items one at a time (itamctl.rules.itemwise)
            assert rule.group == "policy" and "ITEMS" in assigned and "check" not in functions, rule.id
            assert rule.items and set(rule.items) <= {"assets", "licenses", "contracts"}, rule.id
            assert [a.arg for a in functions["check_items"].args.args][1:] == ["as_of", "scope"], rule.id
            if "context" in functions:
                assert [a.arg for a in functions["context"].args.args] == ["registry", "as_of"], rule.id
            continue
        params = [a.arg for a in functions["check"].args.args]
        assert params == (["registry", "as_of"] if rule.takes_as_of else ["registry"]), rule.id


def test_settings_schema_policy_keys_are_the_policy_rules():
    schema = json.loads((ROOT / "schemas" / "settings.schema.json").read_text(encoding="utf-8"))
    policy = schema["properties"]["policy"]
    assert tuple(policy["properties"]) == rule_ids("policy")
    assert policy["additionalProperties"] is False
    for rule in policy_rules():
        assert f"`{rule.default_severity.value}`" in policy["properties"][rule.id]["description"]


def test_waiver_examples_are_the_waivable_rules():
    schema = json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    field = schema["$defs"]["waiver"]["properties"]["rule"]
    assert tuple(field["examples"]) == waivable_ids()
    assert "contract_covers_retired" in field["examples"]


def test_docs_list_every_rule():
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| `{rule.id}` | {rule.group} | {rule.default_severity.value} |" in docs


def test_check_help_lists_the_policy_rules():
    code, out, _ = run_cli("check", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert ", ".join(rule_ids("policy")) in text


def test_generated_files_are_up_to_date():
    outdated = [str(p.relative_to(ROOT)) for p in stale(ROOT)]
    assert outdated == [], "run `python -m itamctl.rules.sync` to regenerate them"


def test_settings_override_a_policy_rule_and_off_disables_it():
    rule = get("expired_warranty")
    assert severity(Settings(), rule) is Severity.ERROR
    assert severity(Settings(policy={"expired_warranty": "warning"}), rule) is Severity.WARNING
    assert severity(Settings(policy={"expired_warranty": "off"}), rule) is None
    with pytest.raises(KeyError):
        get("no_such_rule")


def test_schema_findings_use_only_the_documented_ids():
    """Every ``schema.*`` id in schema.py is a literal listed in SCHEMA_RULES (no ids built from keywords)."""
    from itamctl.schema import SCHEMA_RULES

    tree = ast.parse((ROOT / "itamctl" / "schema.py").read_text(encoding="utf-8"))
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and re.fullmatch(r"schema\.\w+", n.value)}
    built = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) and n.values
             and isinstance(n.values[0], ast.Constant) and str(n.values[0].value).startswith("schema.")]
    assert literals == set(SCHEMA_RULES) and not built
    assert all(re.fullmatch(r"schema\.[a-z_]+", rule_id) for rule_id in SCHEMA_RULES)
