"""Cross-file rules, one at a time, on small registries written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from itamctl.pipeline import open_registry
from itamctl.rules import validation_rules

ASSET = """\
apiVersion: itam/v1
kind: Asset
id: LT-0002
name: Second laptop
category: laptop
status: deployed
"""


@pytest.fixture
def findings(registry, monkeypatch):
    """``findings(rule=None)``: (file, line, rule, severity, message) of every diagnostic."""
    monkeypatch.chdir(registry.root)

    def run(rule: str | None = None) -> list[tuple]:
        checked = open_registry(Path("."))
        return [(d.file, d.line, d.rule, d.severity.value, d.message)
                for d in checked.diagnostics if rule is None or d.rule == rule]

    return run


def test_the_minimal_registry_is_clean(findings):
    assert findings() == []


def test_every_rule_has_a_stable_id_and_a_description():
    ids = {rule.id for rule in validation_rules()}
    assert ids == {"duplicate_id", "unresolved_reference", "date_order", "disposal_required",
                   "subscription_end", "secret_in_field", "fx_missing_rate", "depreciation_incomplete",
                   "portable_file_name"}
    assert all(rule.description and not rule.takes_as_of and not rule.waivable for rule in validation_rules())


# --- duplicate_id --------------------------------------------------------------------


def test_duplicate_id_names_both_files(registry, findings):
    registry.write("assets/copy.yaml", ASSET.replace("LT-0002", "LT-0001"))
    assert findings() == [(
        "assets/copy.yaml", 3, "duplicate_id", "error",
        "id 'LT-0001' is already used by the Asset in assets/LT-0001.yaml:3",
    )]


def test_duplicate_id_across_kinds_and_within_one_file(registry, findings):
    registry.write("people.yaml", """\
        apiVersion: itam/v1
        kind: Person
        id: alice
        name: Alice
        ---
        apiVersion: itam/v1
        kind: Person
        id: alice
        name: Alice again
        ---
        apiVersion: itam/v1
        kind: Person
        id: acme
        name: Not the vendor
        """)
    assert [(f, line, msg) for f, line, _, _, msg in findings("duplicate_id")] == [
        ("people.yaml", 8, "id 'alice' is already used by the Person in people.yaml:3"),
        # vendors.yaml comes after people.yaml in file order, so the Vendor is the duplicate
        ("vendors.yaml", 3, "id 'acme' is already used by the Person in people.yaml:13"),
    ]


def test_duplicate_id_counts_documents_that_failed_the_schema(registry, findings):
    registry.write("assets/broken.yaml", ASSET.replace("LT-0002", "LT-0001").replace("deployed", "lost"))
    rules = sorted(r for _, _, r, _, _ in findings())
    assert rules == ["duplicate_id", "schema.enum"]


# --- unresolved_reference --------------------------------------------------------------

REFERENCES = [
    # (file, text, line, words)
    ("assets/x.yaml", ASSET + "owner: alicia\n", 7, "`owner` refers to 'alicia', but no Person has that id "
                                                    "(did you mean 'alice'?)"),
    ("assets/x.yaml", ASSET + "location: hq2\n", 7, "`location` refers to 'hq2', but no Location has that id"),
    ("assets/x.yaml", ASSET + "purchase: {vendor: acne}\n", 7, "`purchase.vendor` refers to 'acne', but no Vendor"),
    ("assets/x.yaml", ASSET + "maintenance:\n  - {date: 2025-01-01, kind: repair, vendor: nobody}\n", 8,
     "`maintenance.vendor` refers to 'nobody'"),
    ("assets/x.yaml", ASSET + "owner: acme\n", 7, "`owner` refers to 'acme', which is a Vendor, not a Person"),
    ("assets/x.yaml", ASSET.replace("laptop\n", "laptops\n"), 5,
     "`category` 'laptops' is not a category defined in Settings (known: laptop) (did you mean 'laptop'?)"),
    ("assets/x.yaml", ASSET + "service_level: gold\n", 7,
     "`service_level` 'gold' is not a service level defined in Settings (known: standard)"),
    ("licenses/x.yaml", "apiVersion: itam/v1\nkind: License\nid: L2\nname: L\ntype: perpetual\nvendor: nope\n", 6,
     "`vendor` refers to 'nope', but no Vendor has that id"),
    ("licenses/x.yaml", "apiVersion: itam/v1\nkind: License\nid: L2\nname: L\ntype: perpetual\n"
                        "assigned_to:\n  - alice\n  - LT-0001\n  - hq\n", 9,
     "`assigned_to` refers to 'hq', which is a Location, not a Person or Asset"),
    ("licenses/x.yaml", "apiVersion: itam/v1\nkind: License\nid: L2\nname: L\ntype: perpetual\n"
                        "assigned_to: [ghost]\n", 6, "`assigned_to` refers to 'ghost', but no Person or Asset"),
    ("contracts/x.yaml", "apiVersion: itam/v1\nkind: Contract\nid: C2\nname: C\ntype: support\n"
                         "start: 2024-01-01\nend: 2025-01-01\ncovers: [LT-0001, alice]\n", 8,
     "`covers` refers to 'alice', which is a Person, not an Asset"),
    ("contracts/x.yaml", "apiVersion: itam/v1\nkind: Contract\nid: C2\nname: C\ntype: support\n"
                         "start: 2024-01-01\nend: 2025-01-01\nvendor: acme\nowner: bobby\n", 9,
     "`owner` refers to 'bobby', but no Person has that id"),
    ("contracts/x.yaml", "apiVersion: itam/v1\nkind: Contract\nid: C2\nname: C\ntype: support\n"
                         "start: 2024-01-01\nend: 2025-01-01\nvendor: hq\n", 8,
     "`vendor` refers to 'hq', which is a Location, not a Vendor"),
    ("people2.yaml", "apiVersion: itam/v1\nkind: Person\nid: bob\nname: Bob\nlocation: moon\n", 5,
     "`location` refers to 'moon', but no Location"),
]


@pytest.mark.parametrize(("file", "text", "line", "words"), REFERENCES,
                         ids=[w.split("`")[1] + "-" + str(i) for i, (_, _, _, w) in enumerate(REFERENCES)])
def test_every_reference_field_must_resolve(registry, findings, file, text, line, words):
    registry.write(file, text)
    found = findings()
    assert [(f, n, r, s) for f, n, r, s, _ in found] == [(file, line, "unresolved_reference", "error")]
    assert words in found[0][4]


def test_a_reference_to_a_document_with_schema_errors_is_not_reported_twice(registry, findings):
    registry.write("people.yaml", "apiVersion: itam/v1\nkind: Person\nid: alice\nname: Alice\nemial: a@b.c\n")
    assert [r for _, _, r, _, _ in findings()] == ["schema.unknown_field"]


def test_references_need_settings_for_categories(registry, findings):
    registry.remove("settings.yaml")
    assert [(r, s) for _, _, r, s, _ in findings()] == [("settings_missing", "error")]


# --- date_order ------------------------------------------------------------------------

PURCHASED = ASSET + "purchase: {date: 2024-03-15, cost: 1000}\n"


@pytest.mark.parametrize(("extra", "line", "severity", "words"), [
    ("warranty: {end: 2024-03-15}\n", 8, "error", "warranty ends 2024-03-15 but the asset was bought 2024-03-15"),
    ("warranty: {start: 2024-06-01, end: 2024-05-01}\n", 8, "error", "before it starts 2024-06-01"),
    ("end_of_life: 2023-12-31\n", 8, "error", "end of life 2023-12-31 is not after the purchase 2024-03-15"),
    ("maintenance:\n  - date: 2024-03-14\n    kind: repair\n", 9, "warning", "maintenance on 2024-03-14, before"),
])
def test_date_order_on_assets(registry, findings, extra, line, severity, words):
    registry.write("assets/x.yaml", PURCHASED + extra)
    found = findings()
    assert [(f, n, r, s) for f, n, r, s, _ in found] == [("assets/x.yaml", line, "date_order", severity)]
    assert words in found[0][4]


def test_disposal_before_purchase(registry, findings):
    registry.write("assets/x.yaml", PURCHASED.replace("deployed", "disposed")
                   + "disposal:\n  date: 2024-03-14\n  method: recycle\n")
    assert findings() == [("assets/x.yaml", 9, "date_order", "error",
                           "disposed 2024-03-14, before it was bought 2024-03-15")]


def test_dates_in_order_are_fine(registry, findings):
    registry.write("assets/x.yaml", PURCHASED.replace("deployed", "disposed")
                   + "warranty: {start: 2024-03-15, end: 2024-03-16}\nend_of_life: 2027-01-01\n"
                   + "maintenance: [{date: 2024-03-15, kind: inspection}]\n"
                   + "disposal: {date: 2024-03-15, method: return}\n")
    assert findings() == []


@pytest.mark.parametrize("kind", ["License", "Contract"])
@pytest.mark.parametrize(("start", "end", "bad"), [
    ("2025-01-01", "2024-12-31", True), ("2025-01-01", "2025-01-01", True), ("2025-01-01", "2025-01-02", False)])
def test_licenses_and_contracts_end_after_they_start(registry, findings, kind, start, end, bad):
    registry.write("x.yaml", f"apiVersion: itam/v1\nkind: {kind}\nid: X1\nname: X\n"
                             f"type: {'perpetual' if kind == 'License' else 'saas'}\nstart: {start}\nend: {end}\n")
    expected = [("x.yaml", 7, "date_order", "error", f"ends {end}, not after it starts {start}")] if bad else []
    assert findings() == expected


# --- disposal_required, subscription_end -----------------------------------------------


def test_disposed_asset_needs_a_disposal_block(registry, findings):
    registry.write("assets/x.yaml", ASSET.replace("deployed", "disposed"))
    assert [(f, n, r) for f, n, r, _, _ in findings()] == [("assets/x.yaml", 6, "disposal_required")]
    registry.write("assets/x.yaml", ASSET.replace("deployed", "retired"))
    assert findings() == []
    registry.write("assets/x.yaml", ASSET.replace("deployed", "disposed") + "disposal: {date: 2025-01-01, method: "
                                                                            "donate}\n")
    assert findings() == []


def test_a_subscription_needs_an_end(registry, findings):
    lic = "apiVersion: itam/v1\nkind: License\nid: L2\nname: L\ntype: {type}\nstart: 2024-01-01\n"
    registry.write("licenses/x.yaml", lic.format(type="subscription"))
    assert [(f, n, r, s) for f, n, r, s, _ in findings()] == [("licenses/x.yaml", 5, "subscription_end", "error")]
    registry.write("licenses/x.yaml", lic.format(type="perpetual"))
    assert findings() == []


# --- secret_in_field ----------------------------------------------------------------------

SECRET = "s3cr3t-Value-42"


@pytest.mark.parametrize("field", ["password", "admin_password", "passwd", "passphrase", "secret", "api_key",
                                   "apiKey", "token", "license_key", "licence-key", "product_key", "private_key",
                                   "activation_key", "credentials", "x-root-password"])
def test_a_secret_field_is_rejected_with_a_pointer_to_key_ref(registry, findings, field):
    registry.write("assets/x.yaml", ASSET + f"{field}: {SECRET}\n")
    found = findings()
    assert [(f, n, r, s) for f, n, r, s, _ in found] == [("assets/x.yaml", 7, "secret_in_field", "error")]
    message = found[0][4]
    assert f"field `{field}` holds a secret" in message and "`key_ref`" in message
    assert SECRET not in message


def test_a_secret_field_inside_a_nested_block(registry, findings):
    registry.write("assets/x.yaml", ASSET + f"maintenance:\n  - date: 2025-01-01\n    kind: repair\n"
                                            f"    password: {SECRET}\n")
    assert [(n, r) for _, n, r, _, _ in findings()] == [(10, "secret_in_field")]


@pytest.mark.parametrize(("value", "what"), [
    ("key VK7JG-NPHTM-C97JM-9MPGT-3V66T", "a product key"),
    ("-----BEGIN RSA PRIVATE KEY-----", "a private key"),
    ("ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4", "an access token"),
    ("AKIA" + "ABCDEFGHIJKLMNOP", "an AWS access key"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", "a JSON web token"),
])
def test_a_secret_value_in_free_text_is_rejected(registry, findings, value, what):
    registry.write("assets/x.yaml", ASSET + f'notes: "{value}"\n')
    found = findings()
    assert [(n, r) for _, n, r, _, _ in found] == [(7, "secret_in_field")]
    assert f"looks like {what}" in found[0][4]
    assert value not in found[0][4]


@pytest.mark.parametrize(("key_ref", "ok"), [
    ("vault://itam/editor", True), ("op://IT/Editor/key", True),
    ("VK7JG-NPHTM-C97JM-9MPGT-3V66T", False), ("hunter2", False), ("vault:/missing-slash", False),
])
def test_key_ref_holds_a_pointer_not_the_key(registry, findings, key_ref, ok):
    text = (registry.root / "licenses/LIC-0001.yaml").read_text()
    registry.write("licenses/LIC-0001.yaml", text.replace("vault://itam/editor", key_ref))
    found = findings()
    if ok:
        assert found == []
    else:
        assert [(n, r) for _, n, r, _, _ in found] == [(15, "secret_in_field")]
        assert "not the key itself" in found[0][4]


def test_harmless_fields_and_empty_secrets_are_not_flagged(registry, findings):
    registry.write("assets/x.yaml", ASSET + 'serial: C02ABC123\nnotes: "password rotation is quarterly"\n'
                                            "x-token-count: 3\n")
    assert findings() == []


# --- fx_missing_rate ---------------------------------------------------------------------


@pytest.mark.parametrize(("cost", "on", "bad"), [
    ('"100.00 USD"', "2024-01-01", False),   # the first rate's own date
    ('"100.00 USD"', "2023-12-31", True),    # before any USD rate
    ('"100.00 CHF"', "2025-01-01", True),    # no CHF rate at all
    ('"100.00 EUR"', "2020-01-01", False),   # the report currency needs no rate
    ("100", "2020-01-01", False),
])
def test_foreign_amounts_need_a_rate(registry, findings, cost, on, bad):
    registry.write("assets/x.yaml", ASSET + f"purchase:\n  date: {on}\n  cost: {cost}\n")
    found = findings()
    if bad:
        assert [(f, n, r) for f, n, r, _, _ in found] == [("assets/x.yaml", 9, "fx_missing_rate")]
        assert f"dated on or before {on}" in found[0][4]
    else:
        assert found == []


def test_fx_rule_checks_every_amount(registry, findings):
    registry.write("assets/x.yaml", ASSET.replace("deployed", "disposed")
                   + 'purchase: {date: 2024-02-01, cost: "1.00 JPY"}\n'
                   + 'maintenance: [{date: 2024-03-01, kind: repair, cost: "2.00 JPY"}]\n'
                   + 'disposal: {date: 2025-01-01, method: resale, cost: "3.00 JPY", proceeds: "4.00 JPY"}\n')
    registry.write("contracts/x.yaml", "apiVersion: itam/v1\nkind: Contract\nid: C2\nname: C\ntype: saas\n"
                                       "start: 2024-01-01\nend: 2025-01-01\ncost: \"5.00 JPY\"\n")
    registry.write("licenses/x.yaml", "apiVersion: itam/v1\nkind: License\nid: L2\nname: L\ntype: perpetual\n"
                                      "start: 2024-01-01\ncost: \"6.00 JPY\"\n")
    found = [(f, n) for f, n, r, _, _ in findings() if r == "fx_missing_rate"]
    assert found == [("assets/x.yaml", 7), ("assets/x.yaml", 8), ("assets/x.yaml", 9), ("assets/x.yaml", 9),
                     ("contracts/x.yaml", 8), ("licenses/x.yaml", 7)]


def test_fx_rule_checks_salvage_and_replacement_cost(registry, findings):
    registry.write("assets/x.yaml", ASSET + 'purchase: {date: 2024-02-01, cost: 900}\n'
                   + 'depreciation: {salvage: "50.00 JPY"}\n'
                   + 'replacement_cost: "1000.00 CHF"\n')
    found = [(f, n, m) for f, n, r, _, m in findings() if r == "fx_missing_rate"]
    assert [(f, n) for f, n, _ in found] == [("assets/x.yaml", 8), ("assets/x.yaml", 9)]
    assert "no exchange rate for CHF at all" in found[1][2]


# --- depreciation settings ---------------------------------------------------------------------


@pytest.mark.parametrize(("block", "words"), [
    ("{method: declining_balance}", "method declining_balance needs `life_months`"),
    ("{method: macrs}", "method macrs needs `class_years`"),
])
def test_depreciation_needs_what_its_method_needs(registry, findings, block, words):
    registry.replace("settings.yaml", "laptop: {depreciation: {method: straight_line, life_months: 36}, ",
                     "laptop: {")
    registry.write("assets/x.yaml", ASSET + f"depreciation: {block}\n")
    found = findings("depreciation_incomplete")
    assert [(f, n) for f, n, *_ in found] == [("assets/x.yaml", 7)]
    assert words in found[0][4]


def test_asset_depreciation_inherits_its_category_default(registry, findings):
    """The laptop category sets straight_line over 36 months: an asset giving only salvage is complete."""
    registry.write("assets/x.yaml", ASSET + "purchase: {date: 2024-02-01, cost: 900}\ndepreciation: {salvage: 100}\n")
    assert findings() == []


def test_salvage_above_cost(registry, findings):
    registry.write("assets/x.yaml", ASSET + "purchase: {date: 2024-02-01, cost: 900}\ndepreciation: {salvage: 1000}\n")
    found = findings("depreciation_incomplete")
    assert [(f, n) for f, n, *_ in found] == [("assets/x.yaml", 8)]
    assert "more than the purchase cost" in found[0][4]


def test_category_default_is_checked_once_on_the_settings_line(registry, findings):
    registry.replace("settings.yaml", "{method: straight_line, life_months: 36}", "{method: straight_line}")
    found = findings("depreciation_incomplete")
    assert [(f, n) for f, n, *_ in found] == [("settings.yaml", 10)]
    assert "category 'laptop'" in found[0][4]


# --- settings as a whole ---------------------------------------------------------------------


def test_a_second_settings_document_is_reported(registry, findings):
    registry.write("zz-settings.yaml", "apiVersion: itam/v1\nkind: Settings\nid: settings2\ncurrency: USD\n")
    assert findings() == [("zz-settings.yaml", 2, "settings_duplicate", "error",
                           "a registry has one Settings document; the first is in settings.yaml:1")]
