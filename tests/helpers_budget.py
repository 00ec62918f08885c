"""Small registries for the budget tests, written as real YAML files under ``tmp_path``.

The settings use a fiscal year starting on 1 April (as in the UK or Japan)
and dated USD rates, so currency conversion depends on the payment date:
1 USD = 0.90 EUR from 2024-01-01, 0.80 from 2027-01-01 and 0.75 from
2027-10-01 (the latest known rate, used for every later date).
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from conftest import build_registry
from conftest import run_cli as run_cli  # the suite's one CLI runner; budget tests import it from here

from itamctl.budget import BudgetReport, budget_report
from itamctl.pipeline import load_valid_registry

SETTINGS = """\
    apiVersion: itam/v1
    kind: Settings
    id: settings
    organization: Budget Test Ltd
    currency: EUR
    fiscal_year_start: "04-01"
    fx:
      - {date: 2024-01-01, USD: 0.90}
      - {date: 2027-01-01, USD: 0.80}
      - {date: 2027-10-01, USD: 0.75}
    categories:
      laptop: {depreciation: {method: straight_line, life_months: 36}}
      server: {depreciation: {method: straight_line, life_months: 60}}
      cable: {depreciation: {method: none}}
    service_levels:
      gold: {maintenance_factor: 1.5}
      standard: {maintenance_factor: 1.0}
    """

REFERENCES = """\
    apiVersion: itam/v1
    kind: Vendor
    id: acme
    name: ACME Corp
    ---
    apiVersion: itam/v1
    kind: Vendor
    id: globex
    name: Globex
    """


def write_registry(root: Path, *documents: str, settings: str = SETTINGS) -> Path:
    """A registry folder holding Settings, two vendors and one file per document in ``documents``."""
    return build_registry(root, *documents, files={"settings.yaml": settings, "vendors.yaml": REFERENCES}).root


def report(root: Path, as_of: date, **options) -> BudgetReport:
    return budget_report(load_valid_registry(root), as_of, **options)


def asset(item_id: str, body: str, *, category: str = "laptop", status: str = "deployed") -> str:
    """An Asset document: the common header plus ``body`` (YAML, dedented)."""
    return (f"apiVersion: itam/v1\nkind: Asset\nid: {item_id}\nname: Asset {item_id}\n"
            f"category: {category}\nstatus: {status}\n" + textwrap.dedent(body))


def billable(kind: str, item_id: str, body: str) -> str:
    """A License or Contract document: the common header plus ``body``."""
    type_ = "subscription" if kind == "License" else "support"
    return (f"apiVersion: itam/v1\nkind: {kind}\nid: {item_id}\nname: {kind} {item_id}\n"
            f"vendor: acme\ntype: {type_}\n" + textwrap.dedent(body))


