"""``itamctl import snipeit``: real Snipe-IT style CSV exports imported into real registries, then validated."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli, write_registry

from itamctl.diagnostics import Severity
from itamctl.importers.values import parse_date, parse_money, sanitise_id, slash_order
from itamctl.importers.writer import dump_documents
from itamctl.loader import load_file, parse_text
from itamctl.pipeline import open_registry

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "import"
#: Nine rows as the Snipe-IT asset list exports them: assorted statuses, currencies and date
#: formats, people checked out to, a tag with a space, a tag the registry has (with other values),
#: a bad date and a multi-line note (rows 2-3 in the file).
EXPORT = (FIXTURES / "snipeit-assets.csv").read_text(encoding="utf-8")
HEADER = EXPORT.splitlines(keepends=True)[0]


def write_csv(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def doc(root: Path, relpath: str, index: int = 0) -> dict:
    documents, problems = load_file(root / relpath)
    assert problems == []
    return documents[index].data


def import_json(csv: Path, root: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = run_cli("import", "snipeit", csv, "--registry", root, "--format", "json", *extra)
    assert err == ""
    return code, json.loads(out, parse_float=Decimal)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "snipeit-assets.csv", EXPORT)


def test_import_creates_asset_files_with_the_mapped_fields(registry, export):
    code, report = import_json(export, registry.root)
    assert code == 1  # three categories are missing from Settings (validation errors, listed)
    assert report["written"] is True
    root = registry.root
    assert {(c["kind"], c["id"]) for c in report["created"]} == {
        ("Asset", "LT-0100"), ("Asset", "LT-0101"), ("Asset", "LT-0102"), ("Asset", "LT-0103"),
        ("Asset", "SRV-0001"), ("Asset", "PH-0001"), ("Asset", "MON-0001"), ("Asset", "LT-0104"),
        ("Person", "bbuilder"), ("Person", "cjones"), ("Location", "berlin-office"), ("Vendor", "lenovo-store"),
        ("Vendor", "dell"),
    }
    assert doc(root, "assets/laptop/LT-0100.yaml") == {
        "apiVersion": "itam/v1", "kind": "Asset", "id": "LT-0100", "name": "MacBook Pro 14 (Alice)",
        "category": "laptop", "status": "deployed", "manufacturer": "Apple", "model": "MacBook Pro 14 (A2442)",
        "serial": "C02ABC123", "owner": "alice", "location": "hq",
        "purchase": {"date": "2024-03-15", "cost": Decimal("2499.00"), "vendor": "acme", "order_ref": "PO-2024-0113"},
        "warranty": {"end": "2027-03-14"}, "notes": "Keyboard replaced\nunder AppleCare",
        "x-company": "Example Corp",
    }
    lt101 = doc(root, "assets/laptop/LT-0101.yaml")
    assert (lt101["name"], lt101["status"], lt101["owner"], lt101["location"]) == (
        "ThinkPad T14", "deployed", "bbuilder", "berlin-office")  # "Ready to Deploy" but checked out
    assert lt101["purchase"] == {"date": "2024-03-15", "cost": "1299.00 USD", "vendor": "lenovo-store"}
    assert lt101["warranty"] == {"end": "2025-03-14"}
    lt102 = doc(root, "assets/laptop/LT-0102.yaml")
    assert (lt102["status"], lt102["purchase"]["cost"], lt102["warranty"]) == (
        "in_stock", Decimal("1099.00"), {"end": "2026-06-30"})
    lt103 = doc(root, "assets/laptop/LT-0103.yaml")
    assert (lt103["id"], lt103["status"], lt103["purchase"]) == ("LT-0103", "ordered", {"order_ref": "PO-2025-0007"})
    server = doc(root, "assets/servers/SRV-0001.yaml")
    assert (server["status"], server["serial"], server["purchase"]["cost"], server["end_of_life"]) == (
        "retired", "1E5", "4800.00 GBP", "2029-12-31")
    assert server["warranty"] == {"end": "2029-01-09"}
    phone = doc(root, "assets/mobile-phones/PH-0001.yaml")
    assert (phone["status"], phone["owner"], phone["notes"]) == ("retired", "cjones", "Snipe-IT status: Lost/Stolen")
    assert phone["purchase"] == {"cost": 899}  # the bad date is left out, with a warning
    monitor = doc(root, "assets/monitors/MON-0001.yaml")
    assert (monitor["status"], monitor["serial"], monitor["purchase"]) == (
        "in_repair", "007", {"date": "2024-03-15", "cost": "189.99 GBP", "vendor": "dell"})
    assert doc(root, "assets/laptop/LT-0104.yaml")["status"] == "in_stock"
    assert doc(root, "people-imported.yaml", 0) == {
        "apiVersion": "itam/v1", "kind": "Person", "id": "bbuilder", "name": "Bob Builder", "email": "bob@example.com"}
    assert doc(root, "locations-imported.yaml")["name"] == "Berlin Office"
    assert [doc(root, "vendors-imported.yaml", i)["id"] for i in (0, 1)] == ["lenovo-store", "dell"]


def test_skipped_rows_warnings_and_missing_categories_name_the_csv_line(registry, export):
    _, report = import_json(export, registry.root)
    assert report["skipped"] == [
        {"line": 9, "id": "LT-0001", "blocking": False,
         "reason": f"the registry already has Asset LT-0001 ({registry.root}/assets/LT-0001.yaml:1), which differs "
                   "in name, manufacturer, serial, x-company; kept as it is (--force updates those fields)"},
    ]
    warnings = {(w["line"], w["message"]) for w in report["warnings"]}
    assert (1, "column 'Company' is imported as the custom field x-company") in warnings
    assert (6, "asset tag 'LT 0103' becomes the id 'LT-0103'") in warnings
    assert (8, "Purchase Date: unreadable date 'sometime in 2023'; write it as YYYY-MM-DD; left out") in warnings
    assert (11, "unknown status 'Weird Label'; imported as in_stock") in warnings
    assert (None, "category 'Laptops' is the Settings category 'laptop'") in warnings
    assert report["missing_categories"] == ["mobile-phones", "monitors", "servers"]
    assert report["dry_run"] is False


def test_the_registry_is_validated_after_the_import(registry, export):
    _, report = import_json(export, registry.root)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert {(Path(d["file"]).name, d["rule"]) for d in errors} == {
        ("SRV-0001.yaml", "unresolved_reference"), ("PH-0001.yaml", "unresolved_reference"),
        ("MON-0001.yaml", "unresolved_reference")}
    assert all("is not a category defined in Settings" in d["message"] for d in errors)
    # Once the user adds the categories the report lists, the imported registry is clean.
    registry.replace("settings.yaml", "categories:\n", "categories:\n  servers: {}\n  monitors: {}\n"
                     "  mobile-phones: {}\n")
    checked = open_registry(registry.root)
    assert [d for d in checked.diagnostics if d.severity is Severity.ERROR] == []
    assert len(checked.registry.assets) == 9


def test_imported_money_reads_back_as_the_exact_decimal(registry, export):
    import_json(export, registry.root)
    text = (registry.root / "assets/laptop/LT-0100.yaml").read_text(encoding="utf-8")
    assert "  cost: 2499.00\n" in text and "  date: 2024-03-15\n" in text  # plain scalars, no quotes or tags
    cost = open_registry(registry.root).registry.by_id["LT-0100"].purchase.cost
    assert (cost.amount, str(cost.amount), cost.currency) == (Decimal("2499.00"), "2499.00", "EUR")


@pytest.mark.parametrize("value", [Decimal("2499.00"), Decimal("0.10"), Decimal("1000"), Decimal("0"),
                                   Decimal("12345678901234567890.123456789")])
def test_decimals_are_dumped_as_plain_exact_numbers(value):
    text = dump_documents([{"cost": value}])
    assert "!!" not in text and "'" not in text
    documents, problems = parse_text(text, "x.yaml")
    assert problems == [] and str(documents[0].data["cost"]) == str(value)


@pytest.mark.parametrize("value", ["1E5", "007", "0x1F", "0o17", "true", "null", "12.5", ".inf", "-3", "yes",
                                   "2024-03-15", "a: b", "line\nbreak", "  padded", "#hash"])
def test_strings_stay_strings_in_the_written_yaml(value):
    documents, problems = parse_text(dump_documents([{"serial": value}]), "x.yaml")
    assert problems == [] and documents[0].data["serial"] == value


def test_dry_run_writes_nothing_and_reports_what_a_real_run_does(registry, export, tmp_path):
    before = snapshot(registry.root)
    code, dry = import_json(export, registry.root, "--dry-run")
    assert snapshot(registry.root) == before
    assert dry["dry_run"] is True
    real_root = tmp_path / "real"
    shutil.copytree(registry.root, real_root)
    real_code, real = import_json(export, real_root)
    assert code == real_code == 1

    assert (dry["written"], real["written"]) == (False, True)

    def relative(report: dict, root: Path) -> dict:
        kept = {k: v for k, v in report.items() if k not in ("dry_run", "written")}
        text = json.dumps(kept).replace(str(root), "REG")
        return json.loads(text)

    assert relative(dry, registry.root) == relative(real, real_root)  # same files, findings and validation


def test_existing_files_are_never_overwritten_without_force(registry, export):
    stale = "# a file someone keeps\n"
    registry.write("assets/laptop/LT-0102.yaml", stale)
    registry.write("people-imported.yaml", "apiVersion: itam/v1\nkind: Person\nid: carl\nname: Carl\n")
    before = snapshot(registry.root)
    code, report = import_json(export, registry.root)
    assert code == 1 and report["written"] is False and report["created"] != []  # what would be made is listed
    assert {"line": 5, "id": "LT-0102", "blocking": True,
            "reason": f"{registry.root}/assets/laptop/LT-0102.yaml already exists and does not hold Asset LT-0102; "
                      "--force replaces it"} in report["skipped"]
    assert snapshot(registry.root) == before  # all or nothing
    code, report = import_json(export, registry.root, "--force")
    assert report["written"] is True
    assert doc(registry.root, "assets/laptop/LT-0102.yaml")["id"] == "LT-0102"
    assert "Carl" in (registry.root / "people-imported.yaml").read_text(encoding="utf-8")
    assert doc(registry.root, "people-imported-2.yaml")["id"] == "bbuilder"  # a shared file is never replaced


def test_a_second_run_creates_nothing_and_changes_nothing(registry, export):
    import_json(export, registry.root)
    before = snapshot(registry.root)
    code, report = import_json(export, registry.root)
    assert code == 1  # still the three categories Settings lacks
    assert report["created"] == [] and report["updated"] == []
    assert len(report["unchanged"]) == 8
    assert [(s["id"], s["blocking"]) for s in report["skipped"]] == [("LT-0001", False)]
    assert snapshot(registry.root) == before


def test_force_updates_the_differing_fields_in_place_keeping_the_rest(registry, export):
    registry.write("assets/LT-0001.yaml", """\
        # kept: a comment of ours
        apiVersion: itam/v1
        kind: Asset
        id: LT-0001
        name: Laptop (Alice)   # and this one
        category: laptop
        status: deployed
        owner: alice
        location: hq
        service_level: standard
        """)
    import_json(export, registry.root, "--force")
    text = (registry.root / "assets/LT-0001.yaml").read_text(encoding="utf-8")
    assert text.startswith("# kept: a comment of ours\napiVersion: itam/v1\nkind: Asset\nid: LT-0001\n")
    assert re.search(r"\nname: Already there +# and this one\ncategory: laptop\n", text), text
    data = doc(registry.root, "assets/LT-0001.yaml")
    assert (data["manufacturer"], data["serial"], data["x-company"], data["service_level"], data["owner"]) == (
        "Apple", "Y", "Example Corp", "standard", "alice")  # imported fields set, the registry's own kept
    before = snapshot(registry.root)
    _code, report = import_json(export, registry.root, "--force")
    assert report["updated"] == [] and len(report["unchanged"]) == 9
    assert snapshot(registry.root) == before


def test_a_repeated_tag_stops_the_whole_import(registry, tmp_path):
    csv = write_csv(tmp_path / "dup.csv", HEADER + EXPORT.splitlines(keepends=True)[3]
                    + "6,Example Corp,Duplicate,LT-0101,X,,,Laptops,Apple,Deployed,,,,,2024-01-01,1,,,,,,,0\n")
    before = snapshot(registry.root)
    code, report = import_json(csv, registry.root)
    assert code == 1 and report["written"] is False
    assert report["skipped"] == [{"line": 3, "id": "LT-0101", "blocking": True,
                                  "reason": "duplicate asset tag (first on line 2)"}]
    assert snapshot(registry.root) == before
    code, out, _ = run_cli("import", "snipeit", csv, "--registry", registry.root)
    assert out.endswith("nothing written: 1 row cannot be imported (all or nothing); fix them and run the import "
                        "again\n")


def test_bom_semicolons_decimal_commas_and_dotted_dates(registry, tmp_path):
    """A German Excel save of the importer's template: UTF-8 BOM, ';' delimiter, '1.299,00' and '15.03.2024'."""
    text = ("Item Name;Asset Tag;Serial Number;Model Name;Category;Manufacturer;Status;Full Name;Email;"
            "Location;Purchase Date;Purchase Cost;Supplier;Warranty Months;Notes\n"
            "Laptop Jörg;LT-0200;C02;Latitude 5440;Laptop;Dell;Deployed;Jörg Müller;"
            "joerg.mueller@example.com;Headquarters;15.03.2024;1.299,00;ACME Corp;24;Tastatur: DE\n"
            "Laptop Ana;LT-0201;C03;Latitude 5440;laptop;Dell;Ready to Deploy;;;Headquarters;"
            "2024-04-02;999,5;ACME Corp;;\n")
    csv = write_csv(tmp_path / "export.csv", "\ufeff" + text)
    code, report = import_json(csv, registry.root)
    assert report["skipped"] == [] and report["warnings"] == [] and report["missing_categories"] == []
    assert code == 0
    assert doc(registry.root, "assets/laptop/LT-0200.yaml") == {
        "apiVersion": "itam/v1", "kind": "Asset", "id": "LT-0200", "name": "Laptop Jörg", "category": "laptop",
        "status": "deployed", "manufacturer": "Dell", "model": "Latitude 5440", "serial": "C02",
        "owner": "joerg.mueller", "location": "hq",
        "purchase": {"date": "2024-03-15", "cost": Decimal("1299.00"), "vendor": "acme"},
        "warranty": {"end": "2026-03-14"}, "notes": "Tastatur: DE",
    }
    assert doc(registry.root, "assets/laptop/LT-0201.yaml")["purchase"]["cost"] == Decimal("999.5")
    assert doc(registry.root, "people-imported.yaml")["name"] == "Jörg Müller"
    assert open_registry(registry.root).diagnostics == ()


def test_text_format_lists_files_findings_and_a_summary(registry, export):
    code, out, err = run_cli("import", "snipeit", export, "--registry", registry.root)
    assert code == 1 and err == ""
    assert f"created {registry.root}/assets/laptop/LT-0100.yaml (Asset LT-0100)\n" in out
    assert f"{export}:9: skipped LT-0001: the registry already has Asset LT-0001" in out
    assert f"{export}:6: warning: asset tag 'LT 0103' becomes the id 'LT-0103'\n" in out
    assert "Settings has no category mobile-phones, monitors, servers;" in out
    assert "error [unresolved_reference] `category` 'servers' is not a category defined in Settings" in out
    assert out.endswith(f"imported 2 people, 1 location, 2 vendors, 8 assets from {export}; "
                        "1 row skipped, 5 warnings\n")


def test_clean_import_exits_0_and_dry_run_says_would(registry, tmp_path):
    csv = write_csv(tmp_path / "one.csv",
                    "Asset Tag,Asset Name,Category,Status\nLT-0300,Spare,Laptop,Ready to Deploy\n")
    code, out, _ = run_cli("import", "snipeit", csv, "--registry", registry.root, "--dry-run")
    assert code == 0
    assert out.startswith(f"would create {registry.root}/assets/laptop/LT-0300.yaml (Asset LT-0300)\n")
    assert not (registry.root / "assets/laptop").exists()
    assert run_cli("import", "snipeit", csv, "--registry", registry.root)[0] == 0
    assert doc(registry.root, "assets/laptop/LT-0300.yaml")["status"] == "in_stock"


def test_modeline_points_at_the_schemas_beside_the_registry(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "schemas", repo / "schemas")
    inside = write_registry(repo / "registry")
    elsewhere = write_registry(tmp_path / "elsewhere")
    csv = write_csv(tmp_path / "e.csv", "Asset Tag,Category,Supplier\nLT-0400,Laptop,Newco\n")
    for reg in (inside, elsewhere):
        assert run_cli("import", "snipeit", csv, "--registry", reg.root)[0] == 0
    asset = (inside.root / "assets/laptop/LT-0400.yaml").read_text(encoding="utf-8")
    assert asset.startswith("# yaml-language-server: $schema=../../../schemas/asset.schema.json\n")
    vendors = (inside.root / "vendors-imported.yaml").read_text(encoding="utf-8")
    assert vendors.startswith("# yaml-language-server: $schema=../schemas/itam.schema.json\n")
    assert "yaml-language-server" not in (elsewhere.root / "assets/laptop/LT-0400.yaml").read_text(encoding="utf-8")
    assert open_registry(inside.root).diagnostics == ()


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"Asset Tag,Name\nLT-1,Caf\xe9\n", 2, "invalid UTF-8 (byte 0xe9)"),
    (b"Name,Serial\nLaptop,C02\n", 1, "cannot tell which Snipe-IT export this is from its header row (found: "
                                     "'Name', 'Serial'); pass --kind asset|license|user|location|supplier"),
    (b"Asset Tag,Name\nLT-1,One\nLT-2,Two,extra\n", 3, "row has 3 cells but the header has 2"),
    (b"Asset Tag,Name\nLT-1,\"multi\nline\"\nLT-2,Two,x\n", 4, "row has 3 cells but the header has 2"),
    (b"Asset Tag,Name\nLT-1,\"never closed\n", 2, "malformed CSV"),
    (b"", 1, "the CSV file is empty"),
    (b"\xff\xfeA\x00", 1, "the file is UTF-16"),
])
def test_malformed_csv_is_a_usage_error_with_file_and_line(registry, tmp_path, data, line, message):
    csv = tmp_path / "bad.csv"
    csv.write_bytes(data)
    before = snapshot(registry.root)
    code, out, err = run_cli("import", "snipeit", csv, "--registry", registry.root)
    assert (code, out) == (2, "")
    assert err.startswith(f"itamctl: error: {csv}:{line}: {message}"), err
    assert snapshot(registry.root) == before


def test_missing_csv_or_registry_is_a_usage_error(registry, tmp_path, export):
    code, _, err = run_cli("import", "snipeit", tmp_path / "nope.csv", "--registry", registry.root)
    assert code == 2 and err == f"itamctl: error: {tmp_path}/nope.csv: no such CSV file\n"
    code, _, err = run_cli("import", "snipeit", export, "--registry", tmp_path / "missing")
    assert code == 2 and "registry folder not found" in err


def test_json_carries_no_fractional_numbers(registry, export):
    _, report = import_json(export, registry.root)

    def numbers(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from numbers(v)
        elif isinstance(value, list):
            for v in value:
                yield from numbers(v)
        elif isinstance(value, Decimal):
            yield value

    assert list(numbers(report)) == []


# --- the cell readers ------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2499.00", (Decimal("2499.00"), "EUR")), ("$2,499.00", (Decimal("2499.00"), "USD")),
    ("1.299,00 €", (Decimal("1299.00"), "EUR")), ("2499 USD", (Decimal("2499"), "USD")),
    ("USD 2,499.50", (Decimal("2499.50"), "USD")), ("£899", (Decimal("899"), "GBP")),
    ("CHF 1'299.00", (Decimal("1299.00"), "CHF")), ("1 299,00", (Decimal("1299.00"), "EUR")),
    ("12.345.678,90", (Decimal("12345678.90"), "EUR")), ("A$ 100", (Decimal("100"), "AUD")),
])
def test_money_cells(text, expected):
    assert parse_money(text, "EUR") == expected


@pytest.mark.parametrize("text", ["1,299", "abc", "-5", "(5.00)", "1.2.3,4,5", "12,"])
def test_money_cells_that_are_refused(text):
    with pytest.raises(ValueError):
        parse_money(text, "EUR")


def test_a_dollar_means_the_registry_currency_when_that_is_a_dollar():
    assert parse_money("$10", "CAD") == (Decimal("10"), "CAD")
    assert parse_money("$10", "EUR") == (Decimal("10"), "USD")


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("2024-03-15", None, "2024-03-15"), ("2024-03-15 00:00:00", None, "2024-03-15"),
    ("2024-03-15T10:30:00Z", None, "2024-03-15"), ("15.03.2024", None, "2024-03-15"),
    ("03/15/2024", None, "2024-03-15"), ("15/03/2024", None, "2024-03-15"), ("Mar 15, 2024", None, "2024-03-15"),
    ("Fri Mar 15, 2024", None, "2024-03-15"), ("03/04/2024", "month-first", "2024-03-04"),
    ("03/04/2024", "day-first", "2024-04-03"), ("04/04/2024", None, "2024-04-04"),
])
def test_date_cells(text, order, expected):
    assert parse_date(text, order).isoformat() == expected


@pytest.mark.parametrize("text", ["03/04/2024", "2024-02-30", "soon", "15/13/2024"])
def test_date_cells_that_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_the_slash_order_is_learnt_from_the_file_and_a_contradiction_learns_nothing():
    assert slash_order(["03/15/2024", "01/02/2024"]) == "month-first"
    assert slash_order(["15/03/2024", "01/02/2024"]) == "day-first"
    assert slash_order(["15/03/2024", "03/15/2024"]) is None
    assert slash_order(["01/02/2024"]) is None


@pytest.mark.parametrize(("tag", "expected"), [
    ("LT-0042", "LT-0042"), (" LT 0042 ", "LT-0042"), ("LT/0042", "LT-0042"), ("#0042", "0042"),
    ("Büro-1", "Buro-1"), ("x" * 64, "x" * 64), ("x" * 65, None), ("***", None), ("", None),
])
def test_asset_tags_become_ids(tag, expected):
    assert sanitise_id(tag) == expected


def test_secrets_are_never_written(registry, tmp_path):
    csv = write_csv(tmp_path / "keys.csv", "Asset Tag,Category,License Key,Windows Product,Notes\n"
                    "LT-0500,Laptop,AAAAA-BBBBB-CCCCC-DDDDD-EEEEE,,fine\n"
                    "LT-0501,Laptop,,FFFFF-GGGGG-HHHHH-IIIII-JJJJJ,\n")
    code, report = import_json(csv, registry.root)
    assert code == 1 and report["written"] is False  # a row it cannot take: all or nothing
    assert {"line": 1, "message": "column 'License Key' is left out: secrets belong in a vault, "
            "not in the registry"} in report["warnings"]
    assert [(s["line"], s["id"], s["blocking"]) for s in report["skipped"]] == [(3, "LT-0501", True)]
    assert "looks like a product key" in report["skipped"][0]["reason"]
    assert not (registry.root / "assets/laptop").exists()
    csv.write_text(csv.read_text(encoding="utf-8").replace("FFFFF-GGGGG-HHHHH-IIIII-JJJJJ", ""), encoding="utf-8")
    assert import_json(csv, registry.root)[0] == 0
    assert doc(registry.root, "assets/laptop/LT-0500.yaml") == {
        "apiVersion": "itam/v1", "kind": "Asset", "id": "LT-0500", "name": "LT-0500", "category": "laptop",
        "status": "in_stock", "notes": "fine"}
    assert "FFFFF" not in "".join(p.read_text(encoding="utf-8") for p in registry.root.rglob("*.yaml"))
