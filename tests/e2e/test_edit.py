"""Find and change: real files edited in place, comments and layout kept byte for byte, invalid changes refused."""

from __future__ import annotations

import difflib
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli, write_registry

from itamctl.finance.tco import asset_costs
from itamctl.loader import load_file
from itamctl.pipeline import open_registry

COMMENTED = """\
# yaml-language-server: $schema=../../schemas/asset.schema.json
# Alice's laptop. Keep the serial as printed on the box.
apiVersion: itam/v1
kind: Asset
id: LT-0001
name: Laptop (Alice)   # the name staff see
category: laptop
status: deployed
owner: alice
location: hq
service_level: standard
purchase:
  date: 2024-03-15
  cost: 1200.00        # incl. docking station
  vendor: acme
warranty:
  end: 2027-03-14
tags: [loaner, "2024"]
maintenance:
    - date: 2025-01-10
      kind: repair
      cost: 89.90
      note: 'Keyboard: replaced'
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo registry with its schemas beside it (planted findings included)."""
    shutil.copytree(REPO_ROOT / "registry", tmp_path / "registry")
    shutil.copytree(REPO_ROOT / "schemas", tmp_path / "schemas")
    return tmp_path / "registry"


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(True), after.splitlines(True)) if line[:1] in "+-"]


def edit(*args: str) -> tuple[int, dict]:
    code, out, err = run_cli(*args, "--format", "json")
    assert err == "", err
    return code, json.loads(out)


def test_set_changes_only_its_lines_and_keeps_comments_quotes_and_indentation(registry):
    path = registry.write("assets/LT-0001.yaml", COMMENTED)
    code, result = edit("set", "LT-0001", "purchase.cost=1250.00", "serial=SN-1", "--registry", registry.root)
    assert code == 0 and result["written"], result
    after = path.read_text(encoding="utf-8")
    assert changed_lines(COMMENTED, after) == [
        "-   cost: 1200.00        # incl. docking station\n",
        "+   cost: 1250.00        # incl. docking station\n",
        "+ serial: SN-1\n",
    ]
    [doc], problems = load_file(path)
    assert problems == [] and doc.data["purchase"]["cost"] == Decimal("1250.00")


def test_an_edit_in_a_multi_document_file_leaves_the_other_documents_byte_for_byte(demo):
    path = demo / "people.yaml"
    before = path.read_text(encoding="utf-8")
    code, result = edit("set", "tkoch", "team=IT Operations", "--registry", demo)
    assert code == 0, result
    assert changed_lines(before, path.read_text(encoding="utf-8")) == ["- team: IT\n", "+ team: IT Operations\n"]


def test_an_invalid_change_is_refused_with_diagnostics_and_nothing_written(registry):
    path = registry.write("assets/LT-0001.yaml", COMMENTED)
    for args in (["set", "LT-0001", "status=broken"], ["set", "LT-0001", "owner=nobody"],
                 ["dispose", "LT-0001", "--date", "2020-01-01"]):
        code, result = edit(*args, "--registry", registry.root)
        assert code == 1 and result["refused"] and not result["written"], args
        assert result["diagnostics"] and result["diagnostics"][0]["file"].endswith("LT-0001.yaml")
        assert path.read_text(encoding="utf-8") == COMMENTED
    code, out, _ = run_cli("set", "LT-0001", "status=broken", "--registry", registry.root)
    assert code == 1 and "nothing written" in out and "schema.enum" in out


def test_the_chores_edit_in_place_and_the_registry_still_validates(registry):
    path = registry.write("assets/LT-0001.yaml", COMMENTED)
    registry.write("people.yaml", "apiVersion: itam/v1\nkind: Person\nid: alice\nname: Alice Example\n---\n"
                                  "apiVersion: itam/v1\nkind: Person\nid: bob\nname: Bob\n")
    root = registry.root
    assert edit("assign", "LIC-0001", "bob", "--registry", root)[0] == 0
    assert edit("assign", "LT-0001", "bob", "--registry", root)[0] == 0
    assert edit("audit", "LT-0001", "--date", "2026-01-05", "--registry", root)[0] == 0
    assert edit("retire", "LT-0001", "--registry", root)[0] == 0
    assert edit("dispose", "LT-0001", "--date", "2026-02-01", "--proceeds", "300", "--registry", root)[0] == 0
    assert edit("retire", "bob", "--registry", root)[0] == 0
    reg = open_registry(root)
    assert reg.ok, reg.diagnostics
    asset = reg.registry.get("LT-0001")
    assert (asset.owner, asset.status, asset.last_audit) == ("bob", "disposed", date(2026, 1, 5))
    assert asset.disposal.proceeds.amount == Decimal(300) and asset.disposal.method == "resale"
    assert reg.registry.get("LIC-0001").assigned_to == ("alice", "LT-0001", "bob")
    assert reg.registry.get("bob").active is False
    text = path.read_text(encoding="utf-8")
    assert "# Alice's laptop. Keep the serial as printed on the box.\n" in text
    assert "  cost: 1200.00        # incl. docking station\n" in text and "tags: [loaner, \"2024\"]\n" in text
    assert "    - date: 2025-01-10\n" in text and "!!" not in text
    code, _, err = run_cli("assign", "LIC-0001", "bob", "--registry", root)
    assert code == 2 and "already assigned" in err


def test_crlf_and_a_byte_order_mark_survive_an_edit(registry):
    data = ("\ufeff" + COMMENTED).replace("\n", "\r\n").encode("utf-8")
    path = registry.write_bytes("assets/LT-0001.yaml", data)
    assert edit("set", "LT-0001", "serial=X1", "--registry", registry.root)[0] == 0
    after = path.read_bytes()
    assert after.startswith("\ufeff".encode()) and b"\r\nserial: X1\r\n" in after
    assert after.count(b"\n") == after.count(b"\r\n")


def test_new_asset_gets_the_next_id_of_its_category_and_a_modeline(demo):
    code, result = edit("new", "asset", "category=laptop", "name=Spare ThinkPad", "status=in_stock",
                        "purchase.date=2026-11-02", "purchase.cost=1399.00", "--registry", demo)
    assert code == 0, result
    assert result["id"] == "LT-0045" and result["created"]
    path = demo / "assets/laptop/LT-0045.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schemas/asset.schema.json"
    assert "  cost: 1399.00" in lines and "  date: 2026-11-02" in lines
    assert open_registry(demo).registry.get("LT-0045").purchase.cost.amount == Decimal("1399.00")


def test_new_refuses_an_incomplete_item_and_writes_nothing(registry):
    code, result = edit("new", "license", "name=Half a license", "--registry", registry.root)
    assert code == 1 and result["refused"]
    assert not (registry.root / "licenses" / f"{result['id']}.yaml").exists()
    code, _, err = run_cli("new", "person", "name=No Id", "--registry", registry.root)
    assert code == 2 and "--id" in err


def test_new_person_goes_at_the_end_of_the_people_file(demo):
    before = (demo / "people.yaml").read_text(encoding="utf-8")
    assert edit("new", "person", "--id", "sam", "name=Sam Example", "email=sam@example.com", "--registry",
                demo)[0] == 0
    after = (demo / "people.yaml").read_text(encoding="utf-8")
    assert after.startswith(before) and after[len(before):].startswith("---\n")


def test_dry_run_writes_nothing(registry):
    before = (registry.root / "assets/LT-0001.yaml").read_bytes()
    code, result = edit("set", "LT-0001", "serial=Z", "--dry-run", "--registry", registry.root)
    assert code == 0 and result["dry_run"] and not result["written"]
    assert (registry.root / "assets/LT-0001.yaml").read_bytes() == before


def test_unknown_ids_and_fields_are_usage_errors(registry):
    assert run_cli("set", "NOPE", "a=b", "--registry", registry.root)[0] == 2
    assert run_cli("set", "LT-0001", "id=LT-9", "--registry", registry.root)[0] == 2
    assert run_cli("set", "LT-0001", "novalue", "--registry", registry.root)[0] == 2
    assert run_cli("retire", "LIC-0001", "--registry", registry.root)[0] == 2


def test_edits_refuse_symbolic_links(tmp_path):
    reg = write_registry(tmp_path / "registry")
    real = tmp_path / "elsewhere.yaml"
    real.write_text((reg.root / "assets/LT-0001.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (reg.root / "assets/LT-0001.yaml").unlink()
    (reg.root / "assets/LT-0001.yaml").symlink_to(real)
    before = real.read_bytes()
    code, _, _err = run_cli("set", "LT-0001", "serial=Q", "--registry", reg.root)
    assert code == 2 and real.read_bytes() == before


def test_list_filters_by_kind_field_owner_and_status():
    demo = REPO_ROOT / "registry"
    code, out, _ = run_cli("list", "asset", "--status", "deployed", "--where", "category=laptop",
                           "--registry", demo, "--format", "json")
    items = json.loads(out)
    assert code == 0 and items and all(i["kind"] == "Asset" and i["fields"]["status"] == "deployed"
                                       and i["fields"]["category"] == "laptop" for i in items)
    code, out, _ = run_cli("list", "--owner", "tkoch", "--registry", demo, "--format", "json")
    owned = json.loads(out)
    assert owned and all(i["fields"].get("owner") == "tkoch" or "tkoch" in i["fields"].get("assigned_to", [])
                         for i in owned)
    assert {i["kind"] for i in owned} >= {"Asset", "License"}
    code, out, _ = run_cli("list", "licence", "--registry", demo)
    assert code == 2


def test_show_gives_every_field_the_core_figures_findings_and_where(demo):
    code, out, _ = run_cli("show", "LT-0012", "--registry", demo, "--as-of", "2026-11-28", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["file"].endswith("assets/laptop/LT-0012.yaml") and data["line"] >= 1
    reg = open_registry(demo).registry
    costs = asset_costs(reg.get("LT-0012"), reg, date(2026, 11, 28))
    assert data["computed"]["book_value"] == f"{costs.book_value.quantize(Decimal('0.01'))}"
    assert data["computed"]["tco"] == f"{costs.tco.quantize(Decimal('0.01'))}"
    assert data["fields"]["id"] == "LT-0012"
    code, out, _ = run_cli("show", "LT-0012", "--registry", demo, "--as-of", "2026-11-28")
    assert "book value" in out and "LT-0012.yaml:" in out
    # an item with a planted finding shows it
    code, out, _ = run_cli("check", "--registry", demo, "--as-of", "2026-11-28", "--format", "json")
    finding = next(d for d in json.loads(out)["diagnostics"] if "/assets/" in d["file"])
    item_id = Path(finding["file"]).stem
    code, out, _ = run_cli("show", item_id, "--registry", demo, "--as-of", "2026-11-28", "--format", "json")
    assert finding["rule"] in {f["rule"] for f in json.loads(out)["findings"]}


def test_show_says_not_purchased_yet_for_an_ordered_asset_never_zero(demo):
    # DT-0006 is ordered (issue 9 item 4): no book value or TCO yet, and show says so in words.
    code, out, _ = run_cli("show", "DT-0006", "--registry", demo, "--as-of", "2026-12-01", "--format", "json")
    computed = json.loads(out)["computed"]
    assert code == 0 and computed["purchased"] is False
    assert computed["book_value"] is None and computed["tco"] is None
    code, out, _ = run_cli("show", "DT-0006", "--registry", demo, "--as-of", "2026-12-01")
    computed_text = out.split("Computed as of")[1]
    assert "book value  not purchased yet" in computed_text and "0.00" not in computed_text
    code, out, _ = run_cli("show", "LT-0012", "--registry", demo, "--as-of", "2026-12-01", "--format", "json")
    assert json.loads(out)["computed"]["purchased"] is True


def test_new_refuses_names_a_windows_or_macos_checkout_cannot_hold(registry):
    code, _, err = run_cli("new", "license", "--id", "CON", "name=X", "--registry", registry.root)
    assert code == 2 and "device name" in err
    code, _, err = run_cli("new", "license", "--id", "lic-0001", "name=X", "--registry", registry.root)
    assert code == 2 and "only by case" in err
