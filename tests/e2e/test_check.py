"""``itamctl check``: every policy rule, waivers, severities, exemptions, exit codes and output formats."""

from __future__ import annotations

import json

import pytest

from itamctl.rules import policy_rules, rule_ids
from tests.helpers_tracking import (
    asset,
    check_json,
    contract,
    findings,
    license,
    line_of,
    make_registry,
    run,
)

AS_OF = "2026-11-28"


def test_every_policy_rule_has_a_default_severity_and_a_description():
    assert all(rule.description and rule.takes_as_of and rule.default_severity for rule in policy_rules())


def test_clean_registry_passes(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1"), license("LIC-1"), contract("CTR-1"))
    code, out, err = run("check", "--registry", root, "--as-of", AS_OF)
    assert (code, out, err) == (0, "0 errors, 0 warnings in 5 files\n", "")


# --- expired_warranty -------------------------------------------------------


@pytest.mark.parametrize("status", ["deployed", "in_stock", "in_repair"])
def test_expired_warranty_fails_an_asset_in_service(tmp_path, status):
    root = make_registry(tmp_path / "r", asset("LT-1", status=status, warranty_end="2026-11-27"))
    code, payload = check_json(root, AS_OF)
    assert code == 1
    [found] = findings(payload, "expired_warranty")
    assert found["severity"] == "error"
    assert found["file"].endswith("LT-1.yaml")
    assert found["line"] == line_of(root / "LT-1.yaml", "end: 2026-11-27")
    assert "warranty ended 2026-11-27 (1 day ago)" in found["message"]


def test_warranty_ending_today_is_not_expired(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end=AS_OF))
    code, payload = check_json(root, AS_OF)
    assert code == 0
    assert not findings(payload, "expired_warranty")
    [soon] = findings(payload, "expiring_soon")
    assert "warranty ends 2026-11-28 (today)" in soon["message"]


def test_expired_warranty_leap_day(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", purchase="2024-01-10", warranty_end="2028-02-29"))
    assert check_json(root, "2028-02-29")[0] == 0
    assert check_json(root, "2028-03-01")[0] == 1


@pytest.mark.parametrize("status", ["retired", "disposed", "planned", "ordered"])
def test_assets_not_in_service_are_exempt(tmp_path, status):
    root = make_registry(tmp_path / "r", asset("LT-1", status=status, warranty_end="2025-06-30",
                                               extra="end_of_life: 2026-01-31\n"))
    code, payload = check_json(root, AS_OF)
    assert code == 0
    assert findings(payload) == []


def test_github_annotation_points_at_the_warranty_line(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"))
    code, out, _ = run("check", "--registry", root, "--as-of", AS_OF, "--format", "github")
    assert code == 1
    line = line_of(root / "LT-1.yaml", "end: 2026-03-14")
    annotations = [row for row in out.splitlines() if row.startswith("::error ")]
    assert len(annotations) == 1
    assert f"LT-1.yaml,line={line},col=" in annotations[0]
    assert "title=itamctl [expired_warranty]::" in annotations[0]


def test_github_format_is_the_default_under_actions(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"))
    _, out, _ = run("check", "--registry", root, "--as-of", AS_OF, env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::error file=")


# --- waivers ----------------------------------------------------------------

WAIVER = """\
waivers:
  - rule: expired_warranty
    until: {until}
    reason: Replacement ordered, PO-2026-0042
"""


@pytest.mark.parametrize(("until", "waived"), [("2027-06-30", True), (AS_OF, True), ("2026-11-27", False)])
def test_waiver_suppresses_the_rule_through_until(tmp_path, until, waived):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14", extra=WAIVER.format(until=until)))
    code, payload = check_json(root, AS_OF)
    assert bool(findings(payload, "expired_warranty")) is not waived
    assert code == (0 if waived else 1)
    lapsed = findings(payload, "waiver_lapsed")
    if waived:
        assert lapsed == []
    else:
        [found] = lapsed
        assert found["severity"] == "warning"
        assert found["line"] == line_of(root / "LT-1.yaml", f"until: {until}")
        assert "PO-2026-0042" in found["message"]


def test_waiver_of_another_rule_does_not_suppress(tmp_path):
    extra = WAIVER.format(until="2027-06-30").replace("expired_warranty", "eol_passed")
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14", extra=extra))
    assert findings(check_json(root, AS_OF)[1], "expired_warranty")


def test_lapsed_waiver_is_reported_even_when_the_rule_no_longer_fires(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", extra=WAIVER.format(until="2026-01-31")))
    code, payload = check_json(root, AS_OF)
    assert code == 0
    assert [d["rule"] for d in findings(payload)] == ["waiver_lapsed"]


def test_waiver_of_an_unknown_rule_is_flagged(tmp_path):
    extra = WAIVER.format(until="2027-06-30").replace("expired_warranty", "expired_warrenty")
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14", extra=extra))
    payload = check_json(root, AS_OF)[1]
    assert findings(payload, "expired_warranty")
    [typo] = findings(payload, "waiver_unknown_rule")
    assert typo["severity"] == "warning" and "'expired_warrenty'" in typo["message"]


def test_waivers_work_on_licenses_and_contracts(tmp_path):
    waiver = "waivers:\n  - {rule: license_overallocated, until: 2027-01-31, reason: True-up in January}\n"
    root = make_registry(tmp_path / "r", license("LIC-1", seats=1, assigned=("alice", "bob"), extra=waiver))
    code, payload = check_json(root, AS_OF)
    assert code == 0 and not findings(payload, "license_overallocated")
    code, payload = check_json(root, "2027-02-01")
    assert code == 1 and findings(payload, "license_overallocated") and findings(payload, "waiver_lapsed")


# --- licenses and contracts -------------------------------------------------


def test_license_overallocated_points_at_the_first_assignment_over(tmp_path):
    root = make_registry(tmp_path / "r", license("LIC-1", seats=2, assigned=("alice", "bob", "carol", "LT-1")),
                         asset("LT-1"))
    code, payload = check_json(root, AS_OF)
    assert code == 1
    [found] = findings(payload, "license_overallocated")
    assert found["severity"] == "error"
    assert found["line"] == line_of(root / "LIC-1.yaml", "assigned_to:")
    assert found["column"] == len("assigned_to: [alice, bob, ") + 1  # at `carol`
    assert "2 seats but 4 assignments (2 over, from 'carol' on)" in found["message"]


def test_license_exactly_full_is_fine_and_duplicates_count_once(tmp_path):
    root = make_registry(tmp_path / "r", license("LIC-1", seats=2, assigned=("alice", "bob")),
                         license("LIC-2", seats=2, assigned=("alice", "bob", "alice")))
    assert not findings(check_json(root, AS_OF)[1], "license_overallocated")


def test_expired_license_in_use(tmp_path):
    root = make_registry(tmp_path / "r", license("LIC-1", end="2026-11-27", renewal="manual"),
                         license("LIC-2", end="2026-11-27", assigned=()),
                         license("LIC-3", end="2026-06-30", renewal="auto", extra="notice_days: 30\n"),
                         license("LIC-4", end=AS_OF))
    code, payload = check_json(root, AS_OF)
    assert code == 1
    [found] = findings(payload, "expired_license_in_use")
    assert found["file"].endswith("LIC-1.yaml")
    assert found["line"] == line_of(root / "LIC-1.yaml", "end: 2026-11-27")
    assert "still assigned to 1 person or asset" in found["message"]


def test_notice_passed_for_renewing_items_only(tmp_path):
    root = make_registry(tmp_path / "r",
                         contract("CTR-1", end="2026-12-31", renewal="auto", notice_days=30),  # cancel by 12-01
                         contract("CTR-2", end="2026-12-31", renewal="auto", notice_days=34),  # cancel by 11-27
                         contract("CTR-3", end="2026-12-31", renewal="manual", notice_days=90),
                         license("LIC-1", end="2026-12-31", renewal="auto", extra="notice_days: 33\n"))  # 11-28
    code, payload = check_json(root, AS_OF)
    assert code == 0  # a warning by default
    [found] = findings(payload, "notice_passed")
    assert found["file"].endswith("CTR-2.yaml") and found["severity"] == "warning"
    assert found["line"] == line_of(root / "CTR-2.yaml", "notice_days:")
    assert "last day to cancel was 2026-11-27 (1 day ago); it renews after 2026-12-31" in found["message"]
    soon = [d for d in findings(payload, "expiring_soon") if d["file"].endswith("LIC-1.yaml")]
    assert any("last day to cancel 2026-11-28 (today)" in d["message"] for d in soon)


def test_notice_passed_rolls_with_the_term(tmp_path):
    root = make_registry(tmp_path / "r", contract("CTR-1", end="2025-12-31", renewal="auto", notice_days=90))
    assert findings(check_json(root, "2026-10-03")[1], "notice_passed")  # cancel-by 2026-10-02 passed
    assert not findings(check_json(root, "2026-10-02")[1], "notice_passed")  # the last day itself
    assert not findings(check_json(root, "2027-01-01")[1], "notice_passed")  # next term, cancel-by 2027-10-02


# --- expiring_soon and eol_passed -------------------------------------------


def test_expiring_soon_lead_time_edges(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-90", warranty_end="2027-02-26"),
                         asset("LT-91", warranty_end="2027-02-27"),
                         asset("LT-OWN", warranty_end="2027-02-27", extra="alerts: {days: [120]}\n"))
    payload = check_json(root, AS_OF)[1]
    soon = {d["file"].rsplit("/", 1)[1]: d for d in findings(payload, "expiring_soon")}
    assert set(soon) == {"LT-90.yaml", "LT-OWN.yaml"}
    assert "within the 90-day alert" in soon["LT-90.yaml"]["message"]
    assert "within the 120-day alert" in soon["LT-OWN.yaml"]["message"]


def test_eol_passed_explicit_and_derived(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", extra="end_of_life: 2026-11-27\n"),
                         asset("LT-2", purchase="2023-11-27"),  # 36-month life: 2026-11-27
                         asset("LT-3", purchase="2023-11-28"))  # ends today: not passed
    payload = check_json(root, AS_OF)[1]
    found = {d["file"].rsplit("/", 1)[1]: d for d in findings(payload, "eol_passed")}
    assert set(found) == {"LT-1.yaml", "LT-2.yaml"}
    assert found["LT-1.yaml"]["line"] == line_of(root / "LT-1.yaml", "end_of_life:")
    assert found["LT-2.yaml"]["line"] == line_of(root / "LT-2.yaml", "date: 2023-11-27")
    assert "purchase date + service life" in found["LT-2.yaml"]["message"]
    assert all(d["severity"] == "warning" for d in found.values())


# --- policy severities ------------------------------------------------------


def test_policy_can_turn_rules_off_or_change_their_severity(tmp_path):
    docs = (asset("LT-1", warranty_end="2026-03-14"), license("LIC-1", seats=1, assigned=("alice", "bob")))
    off = make_registry(tmp_path / "off", *docs,
                        settings="policy: {expired_warranty: off, license_overallocated: off}\n")
    code, payload = check_json(off, AS_OF)
    assert code == 0 and findings(payload) == []
    warn = make_registry(tmp_path / "warn", *docs, settings="policy: {expired_warranty: warning,"
                                                            " license_overallocated: warning}\n")
    code, payload = check_json(warn, AS_OF)
    assert code == 0
    assert {d["severity"] for d in findings(payload, "expired_warranty")} == {"warning"}
    strict = make_registry(tmp_path / "strict", asset("LT-1", warranty_end="2026-12-01"),
                           settings="policy: {expiring_soon: error}\n")
    assert check_json(strict, AS_OF)[0] == 1


# --- validation and policy in one run ----------------------------------------


def test_check_reports_validation_findings_too(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"),
                         license("LIC-1", assigned=("alice", "nobody")))
    code, payload = check_json(root, AS_OF)
    assert code == 1
    rules = {d["rule"] for d in findings(payload)}
    assert "expired_warranty" in rules
    assert rules - set(rule_ids("policy"))  # the unknown reference from validation
    _, validate_out, _ = run("validate", "--registry", root, "--format", "json")
    validation = json.loads(validate_out)["diagnostics"]
    assert all(d in payload["diagnostics"] for d in validation)


def test_exit_zero_reports_but_succeeds(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"))
    code, out, _ = run("check", "--registry", root, "--as-of", AS_OF, "--exit-zero")
    assert code == 0
    assert "error [expired_warranty]" in out and out.endswith("1 error, 0 warnings in 3 files\n")


def test_json_document(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-12-10"))
    code, payload = check_json(root, AS_OF)
    assert code == 0
    assert payload["as_of"] == AS_OF
    assert payload["summary"] == {"error": 0, "warning": 1, "notice": 0, "files": 3}
    [d] = payload["diagnostics"]
    assert set(d) == {"file", "line", "column", "rule", "severity", "message"}
    [event] = payload["upcoming"]
    assert event["id"] == "LT-1" and event["event"] == "warranty_end" and event["days_left"] == 12


def test_markdown_summary_and_append(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"),
                         asset("LT-2", warranty_end="2026-12-10"),
                         license("LIC-1", seats=1, assigned=("alice", "bob")))
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    code, out, _ = run("check", "--registry", root, "--as-of", AS_OF, "--format", "github", "--summary", summary)
    assert code == 1 and out.count("::error ") == 2
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## itamctl check: failed (as of 2026-11-28)")
    assert "| 2 | 1 | 0 | 5 | 1 |" in text  # errors, warnings, notices, files, upcoming
    assert "| ❌ error | expired\\_warranty |" in text
    assert "### Upcoming expiries" in text and "| LT-2 | warranty\\_end |" in text
    run("check", "--registry", root, "--as-of", AS_OF, "--summary", summary)
    assert summary.read_text(encoding="utf-8").count("## itamctl check") == 2  # appended, not replaced
    code, md, _ = run("check", "--registry", root, "--as-of", AS_OF, "--format", "markdown")
    assert code == 1 and md == text[len("# Earlier step\n"):]


def test_markdown_escapes_registry_text(tmp_path):
    doc = asset("LT-1", warranty_end="2026-12-10").replace("name: Laptop LT-1", 'name: "<img src=x> | *boom*"')
    root = make_registry(tmp_path / "r", doc)
    _, md, _ = run("check", "--registry", root, "--as-of", AS_OF, "--format", "markdown")
    assert "| \\<img src=x\\> \\| \\*boom\\* |" in md  # the name, in the upcoming expiries
    assert "<img" not in md.replace("\\<img", "")


def test_clean_markdown(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1"))
    code, md, _ = run("check", "--registry", root, "--as-of", AS_OF, "--format", "markdown")
    assert code == 0
    assert "passed" in md and "No findings." in md and "Nothing falls within its alert lead time." in md


def test_bad_as_of_and_missing_registry(tmp_path):
    code, _, err = run("check", "--registry", tmp_path, "--as-of", "2026-02-30")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run("check", "--registry", tmp_path / "nope", "--as-of", AS_OF)
    assert code == 2 and "registry folder not found" in err


def test_summary_file_that_cannot_be_written(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1"))
    code, _, err = run("check", "--registry", root, "--as-of", AS_OF, "--summary", tmp_path / "no" / "dir.md")
    assert code == 3 and "cannot append to" in err


# --- warranty extensions and contracts covering retired assets ------------------------------------


def test_a_running_warranty_extension_keeps_an_expired_warranty_quiet(tmp_path):
    root = make_registry(
        tmp_path / "r",
        asset("LT-1", warranty_end="2026-03-14"),
        asset("LT-2", warranty_end="2026-03-14"),
        contract("CTR-EXT", end="2027-03-14", extra="covers: [LT-1]\n").replace("type: support",
                                                                              "type: warranty_extension"),
    )
    _, payload = check_json(root, "2026-06-01")
    assert [d["message"].split()[0] for d in findings(payload, "expired_warranty")] == ["LT-2"]
    # Once the extension has ended too, LT-1 is reported again.
    _, payload = check_json(root, "2027-04-01")
    assert sorted(d["message"].split()[0] for d in findings(payload, "expired_warranty")) == ["LT-1", "LT-2"]


def test_a_support_contract_is_not_a_warranty(tmp_path):
    root = make_registry(tmp_path / "r", asset("LT-1", warranty_end="2026-03-14"),
                         contract("CTR-SUP", end="2027-03-14", extra="covers: [LT-1]\n"))
    _, payload = check_json(root, "2026-06-01")
    assert len(findings(payload, "expired_warranty")) == 1


def test_a_running_contract_covering_a_disposed_asset_is_reported_at_the_covers_entry(tmp_path):
    disposed = asset("LT-9", status="disposed", purchase="2025-09-01")  # disposed on its purchase date
    root = make_registry(tmp_path / "r", asset("LT-1"), disposed,
                         contract("CTR-1", end="2026-12-31", extra="covers: [LT-1, LT-9]\n"))
    code, payload = check_json(root, "2026-06-01")
    [found] = findings(payload, "contract_covers_retired")
    assert found["severity"] == "warning" and code == 0
    assert found["file"].endswith("CTR-1.yaml") and found["line"] == line_of(root / "CTR-1.yaml", "covers:")
    assert "CTR-1 still covers LT-9, which is disposed since 2025-09-01" in found["message"]
    # After the contract has ended, nothing is paid any more: no finding.
    _, payload = check_json(root, "2027-01-15")
    assert findings(payload, "contract_covers_retired") == []
