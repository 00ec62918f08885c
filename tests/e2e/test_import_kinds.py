"""``itamctl import`` of every kind: Snipe-IT's license, user, location and supplier exports (the real column
layouts, tests/fixtures/import/), and messy spreadsheets of each kind through ``import csv`` / ``import xlsx``."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl.loader import load_file
from itamctl.pipeline import open_registry

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "import"


def run_import(*args) -> tuple[int, dict]:
    code, out, err = run_cli("import", *args, "--format", "json")
    assert err == "", err
    return code, json.loads(out, parse_float=Decimal)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def docs(path: Path) -> dict[str, dict]:
    documents, problems = load_file(path)
    assert problems == []
    return {d.data["id"]: d.data for d in documents}


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- Snipe-IT exports ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("fixture", "kind", "created"), [
    ("snipeit-licenses.csv", "License", {"jetbrains-all-products-pack", "microsoft-office-2021",
                                         "microsoft-office-2021-4", "adobe-acrobat-pro"}),
    ("snipeit-users.csv", "Person", {"bbuilder", "cjones", "jmueller"}),
    ("snipeit-locations.csv", "Location", {"berlin-office", "remote", "london"}),
    ("snipeit-suppliers.csv", "Vendor", {"lenovo-store", "dell-technologies"}),
])
def test_each_snipeit_export_is_recognised_imports_valid_files_and_a_second_import_changes_nothing(
        registry, fixture, kind, created):
    code, report = run_import("snipeit", FIXTURES / fixture, "--registry", registry.root)
    assert code == 0, report
    assert report["written"] is True
    assert {c["id"] for c in report["created"] if c["kind"] == kind} == created
    assert [d for d in report["diagnostics"] if d["severity"] == "error"] == []
    assert open_registry(registry.root).ok
    before = snapshot(registry.root)
    code, again = run_import("snipeit", FIXTURES / fixture, "--registry", registry.root)
    assert code == 0 and again["created"] == [] and again["updated"] == []
    assert {u["id"] for u in again["unchanged"]} == created
    assert snapshot(registry.root) == before


def test_snipeit_licenses_map_to_license_fields_and_never_carry_the_key(registry):
    run_import("snipeit", FIXTURES / "snipeit-licenses.csv", "--registry", registry.root)
    jetbrains = docs(registry.root / "licenses/jetbrains-all-products-pack.yaml")["jetbrains-all-products-pack"]
    assert jetbrains == {
        "apiVersion": "itam/v1", "kind": "License", "id": "jetbrains-all-products-pack",
        "name": "JetBrains All Products Pack", "vendor": "jetbrains-s-r-o", "type": "subscription",
        "reference": "ORD-2025-001", "seats": 25, "cost": Decimal("779.00"), "start": "2025-01-01",
        "end": "2026-12-31", "tags": ["development-tools"], "notes": "Renews every January",
        "x-manufacturer": "JetBrains", "x-purchase-order": "PO-2025-0042",
        "x-licensed-to-email": "licenses@example.com", "x-company": "Example Corp", "x-maintained": "Yes",
        "x-reassignable": "Yes",
    }
    office = docs(registry.root / "licenses/microsoft-office-2021.yaml")["microsoft-office-2021"]
    assert (office["type"], office["vendor"], office["cost"], office["billing"]) == (
        "perpetual", "acme", Decimal("1499.00"), "once")  # "ACME Corp" is the registry's vendor acme
    second = docs(registry.root / "licenses/microsoft-office-2021-4.yaml")["microsoft-office-2021-4"]
    assert second["start"] == "2024-09-15"  # a namesake told apart by Snipe-IT's id
    assert docs(registry.root / "vendors-imported.yaml").keys() == {"jetbrains-s-r-o", "adobe"}
    text = "".join(p.read_text(encoding="utf-8") for p in registry.root.rglob("*.yaml"))
    for key in ("ABCD-1234-EFGH-5678", "XXXXX-YYYYY", "AAAAA-BBBBB"):
        assert key not in text


def test_snipeit_users_create_locations_and_force_updates_a_person_in_place(registry):
    code, report = run_import("snipeit", FIXTURES / "snipeit-users.csv", "--registry", registry.root)
    [kept] = report["skipped"]
    assert (kept["line"], kept["id"], kept["blocking"]) == (2, "alice", False)
    assert "differs in location, x-company, x-title, x-employee-number" in kept["reason"]
    people = docs(registry.root / "people-imported.yaml")
    assert people["bbuilder"] == {
        "apiVersion": "itam/v1", "kind": "Person", "id": "bbuilder", "name": "Bob Builder",
        "email": "bob@example.com", "team": "Design", "location": "berlin-office", "notes": "Starts Monday",
        "x-company": "Example Corp", "x-title": "Designer", "x-employee-number": "E-1002",
        "x-manager": "Alice Example"}
    assert "active" not in people["cjones"]  # Snipe-IT's "Active" is "may log in", not "still with us"
    assert people["jmueller"]["name"] == "Jörg Müller" and people["jmueller"]["location"] == "hq"
    assert docs(registry.root / "locations-imported.yaml")["berlin-office"]["name"] == "Berlin Office"

    people_file = registry.root / "people.yaml"
    people_file.write_text("# our people\n" + people_file.read_text(encoding="utf-8"), encoding="utf-8")
    code, report = run_import("snipeit", FIXTURES / "snipeit-users.csv", "--registry", registry.root, "--force")
    assert code == 0
    assert [(u["id"], u["fields"]) for u in report["updated"]] == [
        ("alice", ["location", "x-company", "x-title", "x-employee-number"])]
    text = people_file.read_text(encoding="utf-8")
    assert text.startswith("# our people\napiVersion: itam/v1\nkind: Person\nid: alice\nname: Alice Example\n")
    assert docs(people_file)["alice"]["location"] == "hq"


def test_snipeit_locations_and_suppliers_fields(registry):
    run_import("snipeit", FIXTURES / "snipeit-locations.csv", "--registry", registry.root)
    run_import("snipeit", FIXTURES / "snipeit-suppliers.csv", "--registry", registry.root)
    locations = docs(registry.root / "locations-imported.yaml")
    assert locations["berlin-office"] == {
        "apiVersion": "itam/v1", "kind": "Location", "id": "berlin-office", "name": "Berlin Office",
        "address": "Examplestr. 1, 3. OG, 10115 Berlin", "country": "DE", "x-parent": "Headquarters",
        "x-manager": "Alice Example"}
    assert locations["london"]["address"] == "1 High Street, EC1A 1AA London, United Kingdom"
    assert "country" not in locations["london"]
    vendors = docs(registry.root / "vendors-imported.yaml")
    assert vendors["lenovo-store"]["url"] == "https://www.lenovo.com"
    assert vendors["dell-technologies"] == {
        "apiVersion": "itam/v1", "kind": "Vendor", "id": "dell-technologies", "name": "Dell Technologies",
        "url": "https://www.dell.com", "contact": "Support desk", "email": "support@dell.example.com",
        "phone": "+1 800 999 3355", "x-supplier-address": "1 Dell Way", "x-fax": "+1 800 999 3356"}


def test_an_unrecognised_header_needs_kind(registry, tmp_path):
    source = write(tmp_path / "export.csv", "Name,Website,Notes\nNewco,newco.example,\n")
    code, out, err = run_cli("import", "snipeit", source, "--registry", registry.root)
    assert code == 2 and out == ""
    assert "cannot tell which Snipe-IT export this is" in err and "--kind asset|license|user|location|supplier" in err
    code, _report = run_import("snipeit", source, "--kind", "supplier", "--registry", registry.root)
    assert code == 0 and docs(registry.root / "vendors-imported.yaml")["newco"]["url"] == "https://newco.example"


def test_the_detected_kind_can_be_overridden(registry, tmp_path):
    """A users export that happens to carry "Seats" (a custom field) is still imported as users with --kind."""
    source = write(tmp_path / "users.csv", "Name,Username,Email,Seats\nDana Lee,dlee,dana@example.com,2\n")
    _code, report = run_import("snipeit", source, "--registry", registry.root, "--dry-run")
    assert {c["kind"] for c in report["created"]} == {"License", "Person"}  # "Seats" says license; Dana a holder
    _code, report = run_import("snipeit", source, "--kind", "user", "--registry", registry.root)
    assert [(c["kind"], c["id"]) for c in report["created"]] == [("Person", "dlee")]
    assert docs(registry.root / "people-imported.yaml")["dlee"]["x-seats"] == "2"


# --- messy spreadsheets of each kind through import csv -----------------------------------------------

def test_messy_license_csv(registry, tmp_path):
    """BOM, CRLF, a blank row, blank cells, a repeated and an unknown column, M/D/Y dates, $ and thousands."""
    source = write(tmp_path / "licenses.csv", "\ufeff"
                   "Product,Vendor,Seats,Price,Billing,Renewal date,Starts,Seats,Owner team\r\n"
                   "Figma Org,Figma,12,\"$1,440.00\",yearly,03/04/2026,03/05/2025,99,Design\r\n"
                   ",,,,,,,,\r\n"
                   "Slack Pro,ACME Corp,,\"€ 2.400,00\",Monthly,,,,\r\n")
    args = ("csv", source, "--kind", "license", "--map", "Product=name", "--map", "Renewal date=end",
            "--map", "Starts=start", "--map", "Price=cost", "--registry", registry.root)
    code, report = run_import(*args, "--dry-run")
    assert code == 0
    assert any("ambiguous date '03/04/2026'" in w["message"] for w in report["warnings"])
    code, report = run_import(*args, "--date-order", "month-first")
    assert code == 0, report
    warnings = " | ".join(w["message"] for w in report["warnings"])
    assert "column 'Seats' repeats 'Seats'" in warnings and "x-owner-team" in warnings
    figma = docs(registry.root / "licenses/figma-org.yaml")["figma-org"]
    assert figma == {"apiVersion": "itam/v1", "kind": "License", "id": "figma-org", "name": "Figma Org",
                     "vendor": "figma", "type": "subscription", "seats": 12, "cost": "1440.00 USD",
                     "billing": "yearly", "start": "2025-03-05", "end": "2026-03-04", "x-owner-team": "Design"}
    slack = docs(registry.root / "licenses/slack-pro.yaml")["slack-pro"]
    assert (slack["vendor"], slack["cost"], slack["billing"], slack["type"]) == (
        "acme", Decimal("2400.00"), "monthly", "perpetual")
    assert open_registry(registry.root).ok


def test_messy_contract_csv_with_day_first_dates(registry, tmp_path):
    source = write(tmp_path / "contracts.csv",
                   "Contract,Provider,Type,Start,End,Notice period (days),Annual cost,Billing,Covers,Owner,Extra\r\n"
                   "Dell ProSupport,Dell,Support,01/02/2024,31/01/2027,90,\"4.800,00 €\",yearly,LT-0001,alice,x\r\n"
                   "Office lease,,Leasing,15/03/2024,14/03/2029,180,\"£12,000.00\",monthly,,Alice Example,\r\n")
    code, report = run_import("csv", source, "--kind", "contract", "--registry", registry.root)
    assert code == 0, report
    dell = docs(registry.root / "contracts/dell-prosupport.yaml")["dell-prosupport"]
    assert dell == {"apiVersion": "itam/v1", "kind": "Contract", "id": "dell-prosupport", "name": "Dell ProSupport",
                    "vendor": "dell", "type": "support", "owner": "alice", "start": "2024-02-01",
                    "end": "2027-01-31", "notice_days": 90, "cost": Decimal("4800.00"), "billing": "yearly",
                    "covers": ["LT-0001"], "x-extra": "x"}
    lease = docs(registry.root / "contracts/office-lease.yaml")["office-lease"]
    assert (lease["type"], lease["cost"], lease["owner"], lease["start"]) == (
        "lease", "12000.00 GBP", "alice", "2024-03-15")  # D/M/Y learnt from 31/01/2027 in the same file
    assert open_registry(registry.root).ok


def test_a_contract_row_without_dates_stops_the_import(registry, tmp_path):
    source = write(tmp_path / "contracts.csv", "name,type,start,end\nGood,service,2024-01-01,2024-12-31\n"
                                               "No end,service,2024-01-01,\n")
    before = snapshot(registry.root)
    code, report = run_import("csv", source, "--kind", "contract", "--registry", registry.root)
    assert code == 1 and report["written"] is False
    assert [(s["line"], s["id"], s["blocking"]) for s in report["skipped"]] == [(3, "no-end", True)]
    assert "a contract needs end" in report["skipped"][0]["reason"]
    assert snapshot(registry.root) == before


def test_messy_people_csv(registry, tmp_path):
    source = write(tmp_path / "staff.csv", "\ufeffFirst Name;Last Name;E-Mail;Department;Office;Active;E-Mail;Desk\r\n"
                   "Sam;Kaiser;sam.kaiser@example.com;Ops;Headquarters;yes;dup@example.com;4.2\r\n"
                   ";;;;;;;\r\n"
                   "Lee;Ng;not-an-address;Ops;Remote;no;;\r\n"
                   "Alice;Example;alice@example.com;Engineering;;;;\r\n")
    code, report = run_import("csv", source, "--kind", "person", "--map", "Office=location",
                              "--registry", registry.root)
    assert code == 0, report
    people = docs(registry.root / "people-imported.yaml")
    assert people["sam.kaiser"] == {"apiVersion": "itam/v1", "kind": "Person", "id": "sam.kaiser",
                                    "name": "Sam Kaiser", "email": "sam.kaiser@example.com", "team": "Ops",
                                    "location": "hq", "active": True, "x-desk": "4.2"}
    assert people["lee-ng"]["active"] is False and "email" not in people["lee-ng"]
    assert docs(registry.root / "locations-imported.yaml")["remote"]["name"] == "Remote"
    assert [u["id"] for u in report["unchanged"]] == ["alice"]  # found by e-mail: the registry's alice
    assert any("'not-an-address' is not an e-mail address" in w["message"] for w in report["warnings"])


def test_locations_and_vendors_csv(registry, tmp_path):
    locations = write(tmp_path / "sites.csv", "Site,Street,Postcode,Town,Country\n"
                                              "Munich,Leopoldstr. 1,80802,München,de\n")
    code, _ = run_import("csv", locations, "--kind", "location", "--map", "Site=name", "--map", "Street=address",
                         "--registry", registry.root)
    assert code == 0
    assert docs(registry.root / "locations-imported.yaml")["munich"] == {
        "apiVersion": "itam/v1", "kind": "Location", "id": "munich", "name": "Munich",
        "address": "Leopoldstr. 1, 80802 München", "country": "DE"}
    vendors = write(tmp_path / "vendors.csv", "id,Vendor Name,Web,Contact email\n"
                                              "softco,Softco GmbH,softco.example,sales@softco.example\n"
                                              ",Bad id row,,\n")
    code, report = run_import("csv", vendors, "--kind", "vendor", "--registry", registry.root)
    assert code == 0, report
    assert docs(registry.root / "vendors-imported.yaml")["softco"]["url"] == "https://softco.example"
    assert "bad-id-row" in docs(registry.root / "vendors-imported.yaml")


def test_an_unknown_field_for_the_kind_is_a_usage_error(registry, tmp_path):
    source = write(tmp_path / "a.csv", "name\nx\n")
    code, _out, err = run_cli("import", "csv", source, "--kind", "license", "--map", "name=serial",
                              "--registry", registry.root)
    assert code == 2 and "a License has no field 'serial'" in err


def test_xlsx_of_licenses_with_merged_header_rows(registry, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["License", None, "Term", None, "Money"])
    sheet.append(["Name", "Seats", "Start", "End", "Cost"])
    sheet.append(["Miro Business", 20, "2025-02-01", "2026-01-31", 1920])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    source = tmp_path / "licenses.xlsx"
    book.save(source)
    code, report = run_import("xlsx", source, "--kind", "license", "--map", "License Name=name",
                              "--map", "License Seats=seats", "--map", "Term Start=start", "--map", "Term End=end",
                              "--map", "Money Cost=cost", "--registry", registry.root)
    assert code == 0, report
    miro = docs(registry.root / "licenses/miro-business.yaml")["miro-business"]
    assert (miro["seats"], miro["start"], miro["end"], miro["cost"], miro["type"]) == (
        20, "2025-02-01", "2026-01-31", 1920, "subscription")


def test_an_init_repository_takes_every_snipeit_export(tmp_path):
    """The Done-when of issue 13 in one go: a new repository, every Snipe-IT export, valid, a second run idle."""
    code, _out, err = run_cli("init", tmp_path / "repo", "--no-git")
    assert code == 0, err
    root = tmp_path / "repo" / "registry"
    for name in ("snipeit-suppliers.csv", "snipeit-locations.csv", "snipeit-users.csv", "snipeit-licenses.csv"):
        assert run_import("snipeit", FIXTURES / name, "--registry", root)[0] == 0, name
    shutil.copy(FIXTURES / "snipeit-assets.csv", tmp_path / "assets.csv")
    code, report = run_import("snipeit", tmp_path / "assets.csv", "--registry", root)
    assert report["written"] is True
    before = snapshot(root)
    for name in ("snipeit-suppliers.csv", "snipeit-locations.csv", "snipeit-users.csv", "snipeit-licenses.csv"):
        run_import("snipeit", FIXTURES / name, "--registry", root)
    run_import("snipeit", tmp_path / "assets.csv", "--registry", root)
    assert snapshot(root) == before
    license_file = (root / "licenses/adobe-acrobat-pro.yaml").read_text(encoding="utf-8")
    assert license_file.startswith("# yaml-language-server: $schema=../../schemas/license.schema.json\n")


def test_an_id_another_kind_holds_gets_the_same_variant_on_every_run(registry, tmp_path):
    """A license called like a vendor ("ACME") gets acme-license; the second run finds it, not acme-license-2."""
    source = write(tmp_path / "licenses.csv", "Name,Seats\nACME,5\n")
    _code, first = run_import("csv", source, "--kind", "license", "--registry", registry.root)
    assert [c["id"] for c in first["created"]] == ["acme-license"]
    before = snapshot(registry.root)
    _code, second = run_import("csv", source, "--kind", "license", "--registry", registry.root)
    assert second["created"] == [] and [u["id"] for u in second["unchanged"]] == ["acme-license"]
    assert snapshot(registry.root) == before
