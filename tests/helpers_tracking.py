"""Small registries for the tracking tests: real YAML files in ``tmp_path``, run through the real CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import build_registry, run_cli

SETTINGS = """\
apiVersion: itam/v1
kind: Settings
id: settings
currency: EUR
categories:
  laptop: {{depreciation: {{method: straight_line, life_months: 36}}}}
alerts: {{days: [90, 30]}}
{extra}
"""

REFERENCES = """\
apiVersion: itam/v1
kind: Person
id: alice
name: Alice
---
apiVersion: itam/v1
kind: Person
id: bob
name: Bob
---
apiVersion: itam/v1
kind: Person
id: carol
name: Carol
---
apiVersion: itam/v1
kind: Location
id: hq
name: Headquarters
---
apiVersion: itam/v1
kind: Vendor
id: acme
name: ACME
"""


def asset(id: str, *, status: str = "deployed", warranty_end: str | None = "2027-06-30",
          purchase: str = "2025-01-10", extra: str = "") -> str:
    """YAML of an asset; ``extra`` is appended as top-level YAML."""
    text = f"""\
apiVersion: itam/v1
kind: Asset
id: {id}
name: Laptop {id}
category: laptop
status: {status}
owner: alice
location: hq
purchase:
  date: {purchase}
  cost: 1000
  vendor: acme
"""
    if warranty_end:
        text += f"warranty:\n  end: {warranty_end}\n"
    if status == "disposed":
        text += f"disposal:\n  date: {purchase}\n  method: recycle\n"
    return text + textwrap.dedent(extra)


def license(id: str, *, seats: int = 5, end: str = "2027-06-30", renewal: str = "none",
            assigned: tuple[str, ...] = ("alice",), extra: str = "") -> str:
    return f"""\
apiVersion: itam/v1
kind: License
id: {id}
name: Licence {id}
vendor: acme
type: subscription
seats: {seats}
cost: 10
billing: yearly
start: 2025-01-01
end: {end}
renewal: {renewal}
assigned_to: [{", ".join(assigned)}]
""" + textwrap.dedent(extra)


def contract(id: str, *, end: str = "2027-06-30", renewal: str = "none", notice_days: int | None = None,
             extra: str = "") -> str:
    text = f"""\
apiVersion: itam/v1
kind: Contract
id: {id}
name: Contract {id}
vendor: acme
type: support
start: 2025-01-01
end: {end}
renewal: {renewal}
cost: 100
billing: yearly
"""
    if notice_days is not None:
        text += f"notice_days: {notice_days}\n"
    return text + textwrap.dedent(extra)


def make_registry(root: Path, *docs: str, settings: str = "") -> Path:
    """A registry folder with Settings (plus ``settings`` YAML), references and one file per document."""
    files = {"settings.yaml": SETTINGS.format(extra=textwrap.dedent(settings)), "refs.yaml": REFERENCES}
    return build_registry(root, *docs, files=files).root


run = run_cli  # the suite's one CLI runner (conftest.py)


def check_json(root: Path, as_of: str) -> tuple[int, dict]:
    code, out, err = run("check", "--registry", root, "--as-of", as_of, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def findings(payload: dict, rule: str | None = None) -> list[dict]:
    return [d for d in payload["diagnostics"] if rule is None or d["rule"] == rule]


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
