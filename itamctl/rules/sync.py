"""What other files say about the rules, generated from the rule registry.

``python -m itamctl.rules.sync`` rewrites them after a rule is added,
removed or redescribed; ``python -m itamctl.rules.sync --check`` (and
tests/unit/rules/test_rule_registry.py) fails when one has drifted:

- ``schemas/settings.schema.json``: the ``policy`` properties, one per policy rule;
- ``schemas/common.schema.json``: the waiver ``rule`` description and examples;
- ``docs/rules.md``: the table of every rule.

``itamctl check --help`` is built from the registry when the command loads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from itamctl.rules import Rule, all_rules, policy_rules, waivable_ids

ROOT = Path(__file__).resolve().parents[2]
SEVERITY_LEVELS = ("error", "warning", "off")


def _sentence(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].upper() + text[1:] + "."


def policy_property(rule: Rule) -> dict:
    return {
        "title": rule.title,
        "description": f"Severity of the `{rule.id}` rule: {_sentence(rule.description)} "
                       "`error` fails `itamctl check`, `warning` only reports, `off` disables the rule. "
                       f"When omitted, `{rule.default_severity.value}`.",
        "type": "string",
        "enum": list(SEVERITY_LEVELS),
    }


def settings_schema(schema: dict) -> dict:
    """``schema`` (settings.schema.json) with its ``policy`` properties from the registry."""
    policy = schema["properties"]["policy"]
    policy["properties"] = {rule.id: policy_property(rule) for rule in policy_rules()}
    policy["additionalProperties"] = False
    return schema


def common_schema(schema: dict) -> dict:
    """``schema`` (common.schema.json) with the waiver ``rule`` examples from the registry."""
    field = schema["$defs"]["waiver"]["properties"]["rule"]
    ids = waivable_ids()
    field["description"] = ("ID of the policy rule being waived, as used in Settings `policy`: "
                            + ", ".join(f"`{i}`" for i in ids)
                            + ". A waiver of any other rule waives nothing and is reported (`waiver_unknown_rule`).")
    field["examples"] = list(ids)
    return schema


def rules_markdown() -> str:
    lines = [
        "# Rules",
        "",
        "<!-- Generated from the rule registry (itamctl/rules/) by `python -m itamctl.rules.sync`; "
        "do not edit by hand. -->",
        "",
        "Every finding of `itamctl validate` and `itamctl check` names its rule id.",
        "",
        "- **Validation** rules are always on, need no date and cannot be waived: "
        "`itamctl validate` and `itamctl check` run them.",
        "- **Policy** rules judge the registry on the as-of date (`--as-of`, default today): "
        "only `itamctl check` runs them. Their severity is set per rule in Settings `policy` "
        "(`error`, `warning` or `off`), retired and disposed assets are exempt, and an item's "
        "`waivers` suppress a waivable rule through their `until` date.",
        "",
        "| rule | group | default severity | waivable | what it reports |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        description = rule.description.replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.group} | {rule.default_severity.value} | "
                     f"{'yes' if rule.waivable else 'no'} | {description} |")
    from itamctl.schema import SCHEMA_RULES

    lines += [
        "",
        "## Schema findings",
        "",
        "A file that breaks its JSON Schema gets one of these ids (YAML syntax problems",
        "are `yaml.<problem>`):",
        "",
        "| rule | what it reports |",
        "| --- | --- |",
        *(f"| `{rule_id}` | {text.replace('|', chr(92) + '|')} |" for rule_id, text in SCHEMA_RULES.items()),
        "",
    ]
    return "\n".join(lines)


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def expected(root: Path = ROOT) -> dict[Path, str]:
    """The generated text of each file, keyed by path."""
    settings = root / "schemas" / "settings.schema.json"
    common = root / "schemas" / "common.schema.json"
    return {
        settings: _json(settings_schema(json.loads(settings.read_text(encoding="utf-8")))),
        common: _json(common_schema(json.loads(common.read_text(encoding="utf-8")))),
        root / "docs" / "rules.md": rules_markdown(),
    }


def stale(root: Path = ROOT) -> list[Path]:
    """Generated files whose text differs from what the registry says."""
    return [path for path, text in expected(root).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m itamctl.rules.sync", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    args = parser.parse_args(argv)
    outdated = stale()
    if args.check:
        for path in outdated:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if outdated else 0
    texts = expected()
    for path in outdated:
        path.write_text(texts[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
