"""`itamctl diff` on real repositories made in temp folders: the JSON contract, Markdown, both sides valid."""

from __future__ import annotations

import json
from datetime import date

import git
import pytest

from itamctl.diff import diff_registries
from itamctl.pipeline import empty_registry, load_valid_registry
from itamctl.render.diff import MARKER, MAX_MARKDOWN, render_markdown
from tests.conftest import RegistryDir, run_cli, write_registry
from tests.helpers_git import commit

AS_OF = "2026-06-01"


@pytest.fixture
def repo(registry: RegistryDir) -> git.Repo:
    """The minimal registry, committed as the first commit of a new repository."""
    repo = git.Repo.init(registry.root.parent)
    commit(repo, "Initial registry")
    return repo


def diff_json(registry: RegistryDir, *args: str) -> dict:
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_no_change_is_an_empty_report(registry, repo):
    report = diff_json(registry)
    assert (report["added"], report["removed"], report["changed"], report["items"]) == ([], [], [], [])
    assert {k: v["delta"] for k, v in report["totals"].items()} == {
        "purchase_cost": "0.00", "book_value": "0.00", "recurring_12m": "0.00", "tco": "0.00"}
    assert report["findings"] == {"introduced": [], "resolved": []}
    code, out, _ = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF)
    assert code == 0 and "No registry changes between HEAD and working tree" in out


def test_json_contract_between_two_commits(registry, repo):
    base = repo.head.commit.hexsha
    # More seats on the per-seat license (100 a seat, yearly, renews on 2027-01-01 within 12 months of AS_OF).
    registry.replace("licenses/LIC-0001.yaml", "seats: 5", "seats: 8")
    # A new laptop bought in USD (1 USD = 0.92 EUR from 2024-01-01): 1000.01 USD -> 920.0092 EUR.
    registry.write("assets/LT-0002.yaml", """\
        apiVersion: itam/v1
        kind: Asset
        id: LT-0002
        name: Laptop (spare)
        category: laptop
        status: in_stock
        purchase: {date: 2025-02-01, cost: "1000.01 USD", vendor: acme}
        """)
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1200.37")
    # The support contract (480 yearly, manual renewal, next payment 2027-01-01) is dropped.
    registry.remove("contracts/CTR-0001.yaml")
    head = commit(repo, "Spare laptop, more seats, no support")
    report = diff_json(registry, "--base", base, "--head", head)
    assert (report["base"], report["head"], report["as_of"], report["currency"]) == (base, head, AS_OF, "EUR")
    assert report["added"] == ["LT-0002"]
    assert report["removed"] == ["CTR-0001"]
    assert report["changed"] == ["LIC-0001", "LT-0001"]
    assert [i["id"] for i in report["items"]] == ["CTR-0001", "LIC-0001", "LT-0001", "LT-0002"]
    items = {i["id"]: i for i in report["items"]}
    assert items["LIC-0001"]["fields"] == [{"field": "seats", "old": 5, "new": 8}]
    assert items["LIC-0001"]["impact"]["recurring_12m"] == {"base": "500.00", "head": "800.00", "delta": "300.00"}
    assert items["LT-0001"]["fields"] == [{"field": "purchase.cost", "old": "1200.00", "new": "1200.37"}]
    assert items["LT-0001"]["file"].endswith("registry/assets/LT-0001.yaml")
    assert items["CTR-0001"]["impact"]["recurring_12m"]["delta"] == "-480.00"
    assert items["LT-0002"]["fields"] == []
    # 0.37 + 920.0092 = 920.3792 exactly, rounded once: 920.38.
    assert report["totals"]["purchase_cost"] == {"base": "1200.00", "head": "2120.38", "delta": "920.38"}
    assert report["totals"]["recurring_12m"]["delta"] == "-180.00"
    assert set(report["totals"]) == {"purchase_cost", "book_value", "recurring_12m", "tco"}
    assert report["budget"] and all(set(b) == {"period", "base", "head", "delta"} for b in report["budget"])


def test_an_invalid_side_fails_with_file_and_line_never_removed(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: deployd")
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--format", "json")
    assert code == 1 and out == ""
    assert "head (working tree)" in err and "LT-0001.yaml:6" in err and "removed" not in err
    commit(repo, "typo")
    registry.replace("assets/LT-0001.yaml", "status: deployd", "status: deployed")
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF)
    assert code == 1 and "base (HEAD)" in err and "at HEAD" in err and "LT-0001.yaml:6" in err


def test_findings_introduced_and_resolved(registry, repo):
    # The laptop's warranty ends 2027-03-14; ending it in 2025 makes it an expired warranty in service.
    registry.replace("assets/LT-0001.yaml", "end: 2027-03-14", "end: 2025-03-14")
    report = diff_json(registry)
    assert [d["rule"] for d in report["findings"]["introduced"]] == ["expired_warranty"]
    assert report["findings"]["resolved"] == []
    commit(repo, "warranty")
    registry.replace("assets/LT-0001.yaml", "end: 2025-03-14", "end: 2027-03-14")
    report = diff_json(registry)
    assert [d["rule"] for d in report["findings"]["resolved"]] == ["expired_warranty"]


def test_markdown_comment_has_marker_summary_tables_and_details(registry, repo):
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1500.00")
    registry.replace("assets/LT-0001.yaml", "name: Laptop (Alice)", "name: Laptop | @org/team <b>x</b>")
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--format", "markdown")
    assert code == 0, err
    assert out.startswith(MARKER + "\n")
    assert "0 added, 0 removed, 1 changed; capital +300.00 EUR" in out
    assert "| Purchase cost (capital) | 1,200.00 | 1,500.00 | \\+300.00 |" in out
    assert "purchase.cost: 1200.00 → 1500.00" in out
    assert "<details><summary>1 item(s) changed</summary>" in out and "</details>" in out
    assert "Budget per fiscal year" in out
    assert "<b>" not in out and "Laptop \\| @&#8203;org/team \\<b\\>x\\</b\\>" in out


def test_markdown_is_capped_and_says_how_many_items_are_left_out(tmp_path):
    base = load_valid_registry(write_registry(tmp_path / "r").root)
    reg = write_registry(tmp_path / "big")
    for n in range(2000):
        reg.write(f"assets/LT-{n:05}.yaml", f"""\
            apiVersion: itam/v1
            kind: Asset
            id: LT-{n:05}
            name: {"Very long laptop name " * 4}{n}
            category: laptop
            status: in_stock
            purchase: {{date: 2025-02-01, cost: 1000.00, vendor: acme}}
            """)
    head = load_valid_registry(reg.root)
    report = diff_registries(base, head, date(2026, 6, 1))
    text = render_markdown(report)
    assert len(text) <= MAX_MARKDOWN
    assert "more item(s) left out" in text and text.startswith(MARKER)
    assert "| Purchase cost (capital) | 1,200.00 | 2,001,200.00 | \\+2,000,000.00 |" in text
    assert render_markdown(diff_registries(empty_registry(reg.root), head, date(2026, 6, 1)))


def test_fail_above(registry, repo):
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1500.00")
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--fail-above", "300")
    assert code == 0, err
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--fail-above", "299.99")
    assert code == 1 and "capital (purchase cost) grows by 300.00 EUR" in err and "LT-0001" in out
    code, _, err = run_cli("diff", "--registry", registry.root, "--fail-above", "lots")
    assert code == 2 and "lots" in err


def test_text_output_writes_atomically_and_never_overwrites(registry, repo, tmp_path):
    registry.replace("licenses/LIC-0001.yaml", "seats: 5", "seats: 6")
    target = tmp_path / "impact.txt"
    target.write_text("keep me")
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "-o", target)
    assert code != 0 and "already exists" in err and target.read_text() == "keep me"
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "-o", target, "--force")
    assert code == 0, err
    assert "LIC-0001" in target.read_text() and "+100.00" in target.read_text()


def test_registry_that_did_not_exist_at_the_base(tmp_path):
    repo = git.Repo.init(tmp_path)
    (tmp_path / "README").write_text("empty\n")
    commit(repo, "Start")
    registry = write_registry(tmp_path / "registry")
    report = diff_json(registry)
    assert report["removed"] == [] and report["changed"] == []
    assert len(report["added"]) == 6  # every item; Settings is not an item
    assert report["totals"]["purchase_cost"] == {"base": "0.00", "head": "1200.00", "delta": "1200.00"}


def test_bad_revision_missing_repository_and_file_registry_are_usage_errors(registry, tmp_path):
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF)
    assert code == 2 and "not inside a git working tree" in err
    git.Repo.init(registry.root.parent)
    commit(git.Repo(registry.root.parent), "Initial registry")
    code, _, err = run_cli("diff", "--registry", registry.root, "--base", "no-such-branch")
    assert code == 2 and "unknown git revision 'no-such-branch'" in err
    code, _, err = run_cli("diff", "--registry", registry.root, "--base", "--output=x")
    assert code == 2 and "refused" in err
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", "2026-02-30")
    assert code == 2 and "2026-02-30" in err
    code, _, err = run_cli("diff", "--registry", registry.root / "settings.yaml")
    assert code == 2 and "is a file" in err and "Traceback" not in err


def test_moved_item_is_changed_not_removed_and_added(registry, repo):
    text = (registry.root / "assets/LT-0001.yaml").read_text()
    registry.remove("assets/LT-0001.yaml")
    registry.write("assets/laptops/all.yaml", text + "---\n" + text.replace("LT-0001", "LT-0003"))
    report = diff_json(registry)
    assert report["added"] == ["LT-0003"] and report["removed"] == []
    assert report["changed"] == ["LT-0001"]
    fields = report["items"][0]["fields"]
    assert fields[-1]["field"] == "file" and fields[-1]["new"].endswith("assets/laptops/all.yaml")
