"""``import csv`` and ``import xlsx``: a messy real spreadsheet export and a workbook with merged header rows."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import run_cli

from itamctl.loader import load_file
from itamctl.pipeline import open_registry

#: As a spreadsheet saves it: BOM, CRLF, a blank row, blank cells, a repeated and an unknown column,
#: headers of its own ("Asset No", "Price"), money with symbols and separators, D/M/Y dates.
MESSY = ("\ufeffAsset No,Device,Kind,State,Serial,Price,Bought,Warranty until,Serial,Desk\r\n"
         "LT-0200,ThinkPad X1,laptop,in stock,SN-1,\"€1.299,00\",15/03/2024,14/03/2027,dup,3.14\r\n"
         ",,,,,,,,,\r\n"
         "LT-0201,MacBook Air,laptop,,SN-2,\"$1,099.50\",02/01/2025,,,\r\n"
         "LT-0202,Broken row,laptop,deployed,SN-3,lots,yesterday,,,\r\n"
         "LT-0001,Already there,laptop,deployed,SN-4,100,01/02/2024,,,\r\n")
MAP = ["--map", "Asset No=id", "--map", "Device=name", "--map", "Kind=category", "--map", "State=status",
       "--map", "Price=purchase.cost", "--map", "Bought=purchase.date", "--map", "Warranty until=warranty.end"]


def run_import(*args) -> tuple[int, dict]:
    code, out, err = run_cli("import", *args, "--format", "json")
    assert err == "", err
    return code, json.loads(out, parse_float=Decimal)


def test_a_messy_csv_with_a_column_map_imports_into_valid_files(registry, tmp_path):
    source = tmp_path / "inventory.csv"
    source.write_bytes(MESSY.encode("utf-8"))
    code, report = run_import("csv", source, *MAP, "--registry", registry.root)
    assert {c["id"] for c in report["created"] if c["kind"] == "Asset"} == {"LT-0200", "LT-0201", "LT-0202"}
    skipped = {s["line"]: s["reason"] for s in report["skipped"]}
    assert 6 in skipped and "already has" in skipped[6]
    warnings = " ".join(f"{w['line']}:{w['message']}" for w in report["warnings"])
    assert "x-desk" in warnings and "repeats" in warnings
    assert "5:" in warnings  # the unreadable price and date of line 5 are named with their line
    [doc], problems = load_file(registry.root / "assets/laptop/LT-0200.yaml")
    assert problems == []
    assert doc.data["purchase"] == {"date": "2024-03-15", "cost": Decimal("1299.00")}
    assert doc.data["warranty"]["end"] == "2027-03-14" and doc.data["x-desk"] == "3.14"
    assert doc.data["serial"] == "SN-1"
    [doc], _ = load_file(registry.root / "assets/laptop/LT-0201.yaml")
    assert doc.data["purchase"]["date"] == "2025-01-02"  # D/M/Y, learnt from 15/03/2024 in the same file
    assert open_registry(registry.root).ok
    assert code == 0  # the row already in the registry is unchanged, not a failure


def test_all_or_nothing_a_row_it_cannot_take_stops_the_whole_import(registry, tmp_path):
    source = tmp_path / "inventory.csv"
    source.write_bytes((MESSY + ",No id at all,laptop,deployed,SN-9,10,01/02/2024,,,\r\n").encode("utf-8"))
    before = {p: p.read_bytes() for p in registry.root.rglob("*") if p.is_file()}
    code, report = run_import("csv", source, *MAP, "--registry", registry.root)
    assert code == 1 and report["dry_run"] is False and report["written"] is False
    assert {s["line"]: s["reason"] for s in report["skipped"]}[7] == "no asset tag"
    assert {p: p.read_bytes() for p in registry.root.rglob("*") if p.is_file()} == before
    code, out, _ = run_cli("import", "csv", source, *MAP, "--registry", registry.root)
    assert "nothing written" in out


def test_a_second_import_changes_nothing(registry, tmp_path):
    source = tmp_path / "inventory.csv"
    source.write_bytes(MESSY.encode("utf-8"))
    run_import("csv", source, *MAP, "--registry", registry.root)
    before = {p: p.read_bytes() for p in registry.root.rglob("*") if p.is_file()}
    _code, report = run_import("csv", source, *MAP, "--registry", registry.root)
    assert [c for c in report["created"] if c["kind"] == "Asset"] == []
    assert {p: p.read_bytes() for p in registry.root.rglob("*") if p.is_file()} == before


def test_ambiguous_dates_need_date_order(registry, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("id,name,category,status,purchase.date,purchase.cost\n"
                      "LT-0300,A,laptop,in_stock,03/04/2024,10\n", encoding="utf-8")
    _, report = run_import("csv", source, "--registry", registry.root, "--dry-run")
    assert any("ambiguous" in w["message"] for w in report["warnings"])
    _code, report = run_import("csv", source, "--registry", registry.root, "--dry-run", "--date-order", "month-first")
    assert not any("ambiguous" in w["message"] for w in report["warnings"])
    assert not (registry.root / "assets/laptop/LT-0300.yaml").exists()


def test_an_unknown_map_field_is_a_usage_error(registry, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("x\n1\n", encoding="utf-8")
    code, _, err = run_cli("import", "csv", source, "--map", "x=colour", "--registry", registry.root)
    assert code == 2 and "an Asset has no field 'colour'" in err


def test_xlsx_with_merged_header_rows(registry, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Asset", None, None, "Purchase", None, "Warranty"])
    sheet.append(["Tag", "Name", "Category", "Date", "Cost", "End"])
    sheet.append(["LT-0400", "Workbook laptop", "laptop", "2024-05-01", 1499.5, "2027-04-30"])
    sheet.append(["LT-0401", "=HYPERLINK(\"x\")", "laptop", None, None, None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:E1")
    source = tmp_path / "book.xlsx"
    book.save(source)
    _code, report = run_import("xlsx", source, "--map", "Asset Tag=id", "--map", "Asset Name=name",
                              "--map", "Asset Category=category", "--registry", registry.root)
    assert {c["id"] for c in report["created"] if c["kind"] == "Asset"} == {"LT-0400", "LT-0401"}, report
    [doc], _ = load_file(registry.root / "assets/laptop/LT-0400.yaml")
    assert doc.data["purchase"]["cost"] == Decimal("1499.5") and doc.data["purchase"]["date"] == "2024-05-01"
    assert doc.data["warranty"]["end"] == "2027-04-30"
    lines = {w["line"] for w in report["warnings"]}
    assert None in lines or all(line is None or line >= 2 for line in lines)
