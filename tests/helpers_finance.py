"""Small registries for the finance tests: real YAML files in ``tmp_path``, loaded by the real pipeline."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import RegistryDir, build_registry, run_cli

from itamctl.model import Registry
from itamctl.pipeline import load_valid_registry, open_registry

REFERENCES = """\
apiVersion: itam/v1
kind: Person
id: alice
name: Alice
---
apiVersion: itam/v1
kind: Location
id: hq
name: Headquarters
---
apiVersion: itam/v1
kind: Location
id: lon
name: London office
---
apiVersion: itam/v1
kind: Vendor
id: acme
name: ACME
---
apiVersion: itam/v1
kind: Vendor
id: globex
name: Globex
"""

DEFAULT_FX = "[{date: 2024-01-01, USD: 0.9, GBP: 1.2}, {date: 2025-01-01, USD: 0.8, GBP: 1.25}]"


def settings_yaml(*, fiscal_year_start: str = "01-01", fx: str = DEFAULT_FX, categories: str = "") -> str:
    categories = categories or (
        "  laptop: {depreciation: {method: straight_line, life_months: 36}}\n"
        "  server: {depreciation: {method: straight_line, life_months: 60}}\n"
        "  tools: {}\n"
    )
    return (
        "apiVersion: itam/v1\nkind: Settings\nid: settings\ncurrency: EUR\n"
        f'fiscal_year_start: "{fiscal_year_start}"\nfx: {fx}\ncategories:\n{categories}'
    )


def asset_yaml(id: str, *, category: str = "laptop", status: str = "deployed", date: str | None = "2024-03-15",
               cost: str | None = "1200.00", extra: str = "", cost_center: str = "ENG",
               location: str = "hq", vendor: str = "acme") -> str:
    """YAML of an asset; ``extra`` (dedented) is appended as top-level YAML."""
    lines = ["apiVersion: itam/v1", "kind: Asset", f"id: {id}", f"name: Asset {id}", f"category: {category}",
             f"status: {status}", f"cost_center: {cost_center}", f"location: {location}"]
    if date is not None or cost is not None:
        lines.append("purchase:")
        if date is not None:
            lines.append(f"  date: {date}")
        if cost is not None:
            lines.append(f"  cost: {cost}")
        lines.append(f"  vendor: {vendor}")
    return "\n".join(lines) + "\n" + textwrap.dedent(extra)


class FinanceRegistry(RegistryDir):
    """A registry folder the test fills file by file, then loads (validation must pass)."""

    def __init__(self, root: Path, **settings) -> None:
        super().__init__(build_registry(root, files={"settings.yaml": settings_yaml(**settings),
                                                     "refs.yaml": REFERENCES}).root)

    def asset(self, id: str, **kwargs) -> Path:
        return self.write(f"assets/{id}.yaml", asset_yaml(id, **kwargs))

    def load(self) -> Registry:
        return load_valid_registry(self.root)

    def load_unchecked(self) -> tuple[Registry, list]:
        """The typed registry even when cross-file rules find errors, with those findings.

        For testing the finance engine's own guards, which protect library callers
        that skip validation.
        """
        checked = open_registry(self.root)
        return checked.registry, [(d.file, d.line, d.rule) for d in checked.diagnostics]


run = run_cli  # the suite's one CLI runner (conftest.py)


def run_json(*args: str) -> dict:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)
