"""``itamctl export``: real CSV, JSON, XLSX (read back with openpyxl) and SQLite (queried with sqlite3) files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl.finance.tco import asset_costs
from itamctl.pipeline import open_registry

AS_OF = "2026-06-30"


@pytest.fixture
def custom(registry):
    """The minimal registry with an x- field, a schema-extension field and a would-be formula."""
    registry.write("schemas/asset.schema.json", json.dumps({
        "properties": {"insurance_policy": {"type": "string", "title": "Insurance policy",
                                            "description": "Policy number"}}}))
    registry.replace("assets/LT-0001.yaml", "status: deployed\n",
                     "status: deployed\nx-asset-tag: NW-00042\ninsurance_policy: POL-7\n"
                     "notes: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\"\ntags: [a, b]\n")
    assert open_registry(registry.root).ok
    return registry


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_row_per_asset_with_computed_and_custom_columns(custom):
    code, out, err = run_cli("export", "--registry", custom.root, "--as-of", AS_OF)
    assert code == 0, err
    [row] = csv_rows(out)
    reg = open_registry(custom.root).registry
    costs = asset_costs(reg.get("LT-0001"), reg, date.fromisoformat(AS_OF))
    assert row["id"] == "LT-0001" and row["purchase.cost"] == "1200.00"
    assert row["x-asset-tag"] == "NW-00042" and row["insurance_policy"] == "POL-7"
    assert row["book_value"] == f"{costs.book_value.quantize(Decimal('0.01'))}"
    assert row["tco"] == f"{costs.tco.quantize(Decimal('0.01'))}"
    assert (row["next_expiry"], row["next_expiry_kind"]) == ("2027-03-14", "warranty_end")
    assert row["open_findings"] == "0"
    assert row["tags"] == "a; b"
    assert row["notes"].startswith("'=HYPERLINK")


def test_the_demo_exports_every_asset(tmp_path):
    code, out, _ = run_cli("export", "--registry", REPO_ROOT / "registry", "--as-of", "2026-11-28",
                           "-o", tmp_path / "assets.csv")
    assert code == 0 and out == ""
    rows = csv_rows((tmp_path / "assets.csv").read_text(encoding="utf-8"))
    assert len(rows) == len(open_registry(REPO_ROOT / "registry").registry.assets)
    assert sum(int(r["open_findings"]) for r in rows) > 0  # the demo's planted findings show up
    code, _, err = run_cli("export", "--registry", REPO_ROOT / "registry", "-o", tmp_path / "assets.csv")
    assert code != 0 and "--force" in err


def test_json_carries_money_as_strings_and_every_kind(custom):
    code, out, _ = run_cli("export", "--registry", custom.root, "--as-of", AS_OF, "--format", "json")
    data = json.loads(out, parse_float=Decimal)
    assert code == 0 and set(data) == {"as_of", "assets", "licenses", "contracts", "people"}
    assert data["assets"][0]["purchase.cost"] == "1200.00" and isinstance(data["assets"][0]["tco"], str)
    assert data["licenses"][0]["next_expiry_kind"]


def test_sqlite_has_a_table_per_kind_and_a_figures_view(custom, tmp_path):
    target = tmp_path / "itam.sqlite"
    code, _, err = run_cli("export", "--registry", custom.root, "--as-of", AS_OF, "--format", "sqlite", "-o", target)
    assert code == 0, err
    with sqlite3.connect(target) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"assets", "licenses", "contracts", "people"}
        [(tag, policy, cost)] = db.execute('SELECT "x-asset-tag", insurance_policy, "purchase.cost" FROM assets')
        assert (tag, policy, cost) == ("NW-00042", "POL-7", "1200.00")
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM figures GROUP BY kind"))
        assert kinds == {"Asset": 1, "License": 1, "Contract": 1, "Person": 1}
        [(book,)] = db.execute("SELECT CAST(book_value AS NUMERIC) FROM figures WHERE id = 'LT-0001'")
        assert book > 0


def test_xlsx_has_a_sheet_per_kind_and_no_formula(custom, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "itam.xlsx"
    code, _, err = run_cli("export", "--registry", custom.root, "--as-of", AS_OF, "--format", "xlsx", "-o", target)
    assert code == 0, err
    book = load_workbook(target)
    assert book.sheetnames == ["assets", "licenses", "contracts", "people"]
    sheet = book["assets"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["x-asset-tag"] == "NW-00042" and values["notes"].startswith("'=")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_usage_errors(custom, tmp_path):
    assert run_cli("export", "--registry", custom.root, "--format", "xlsx")[0] == 2
    assert run_cli("export", "--registry", custom.root, "--kind", "asset", "--kind", "license")[0] == 2
