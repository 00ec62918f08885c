"""`itamctl diff` and the git module, on real repositories made in temp folders."""

from __future__ import annotations

import json

import git
import pytest

from itamctl.gitrepo import Repository, file_history
from tests.conftest import RegistryDir, run_cli

AS_OF = "2026-06-01"
ACTOR = git.Actor("Ada Admin", "ada@example.com")


def commit(repo: git.Repo, message: str) -> str:
    repo.git.add(A=True)
    return repo.index.commit(message, author=ACTOR, committer=ACTOR).hexsha


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
    assert report["changes"] == []
    assert report["totals"] == {"capital": "0.00", "recurring": "0.00"}
    code, out, _ = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF)
    assert code == 0 and "No registry changes between HEAD and working tree" in out


def test_added_removed_and_modified_items_with_their_cost_impact(registry, repo):
    # More seats on the per-seat license (100 a seat, yearly, renews on 2027-01-01 within 12 months of AS_OF).
    registry.replace("licenses/LIC-0001.yaml", "seats: 5", "seats: 8")
    # A new laptop bought in USD (1 USD = 0.92 EUR from 2024-01-01): 1000 USD -> 920.00 EUR of capital.
    registry.write("assets/LT-0002.yaml", """\
        apiVersion: itam/v1
        kind: Asset
        id: LT-0002
        name: Laptop (spare)
        category: laptop
        status: in_stock
        purchase: {date: 2025-02-01, cost: "1000.00 USD", vendor: acme}
        """)
    # The support contract (480 yearly, manual renewal, next payment 2027-01-01) is dropped.
    registry.remove("contracts/CTR-0001.yaml")
    report = diff_json(registry)
    changes = {c["id"]: c for c in report["changes"]}
    assert changes["LIC-0001"] == {
        "id": "LIC-0001", "kind": "License", "change": "modified", "name": "Editor subscription",
        "file": changes["LIC-0001"]["file"], "fields": ["seats"], "capital": "0.00", "recurring": "300.00",
    }
    assert changes["LIC-0001"]["file"].endswith("licenses/LIC-0001.yaml")
    assert (changes["LT-0002"]["change"], changes["LT-0002"]["capital"]) == ("added", "920.00")
    assert (changes["CTR-0001"]["change"], changes["CTR-0001"]["recurring"]) == ("removed", "-480.00")
    assert changes["CTR-0001"]["file"].endswith("contracts/CTR-0001.yaml")
    assert not changes["CTR-0001"]["file"].startswith("/tmp/itamctl-diff")  # named as in the working tree
    assert report["counts"] == {"added": 1, "removed": 1, "modified": 1}
    assert report["totals"] == {"capital": "920.00", "recurring": "-180.00"}


def test_compares_two_commits_and_renders_markdown_for_a_pull_request(registry, repo):
    base = repo.head.commit.hexsha
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1500.00")
    head = commit(repo, "Correct the laptop's price")
    code, out, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF, "--base", base,
                             "--head", head, "--format", "markdown")
    assert code == 0, err
    assert out.startswith("<!-- itamctl-diff -->")
    assert "**Capital:** +300.00 EUR" in out
    assert "| modified | Asset | LT-0001 | Laptop (Alice) | purchase.cost | \\+300.00 | 0.00 |" in out


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
    from tests.conftest import write_registry

    registry = write_registry(tmp_path / "registry")
    report = diff_json(registry)
    assert {c["change"] for c in report["changes"]} == {"added"}
    assert len(report["changes"]) == 6  # every item; Settings is not an item


def test_bad_revision_and_missing_repository_are_usage_errors(registry, tmp_path):
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", AS_OF)
    assert code == 2 and "not inside a git repository" in err
    git.Repo.init(registry.root.parent)
    commit(git.Repo(registry.root.parent), "Initial registry")
    code, _, err = run_cli("diff", "--registry", registry.root, "--base", "no-such-branch")
    assert code == 2 and "unknown git revision 'no-such-branch'" in err
    code, _, err = run_cli("diff", "--registry", registry.root, "--as-of", "2026-02-30")
    assert code == 2 and "2026-02-30" in err


def test_history_lists_the_commits_of_each_file_newest_first(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "LT-0001 goes to repair")
    history = file_history(registry.root)
    asset = (registry.root / "assets/LT-0001.yaml").resolve()
    assert [c.subject for c in history[asset]] == ["LT-0001 goes to repair", "Initial registry"]
    assert history[asset][0].author == "Ada Admin"
    assert [c.subject for c in history[(registry.root / "settings.yaml").resolve()]] == ["Initial registry"]


def test_history_outside_git_is_empty(registry):
    assert file_history(registry.root) == {}


def test_export_skips_symlinks(registry, repo, tmp_path):
    (registry.root / "link.yaml").symlink_to("/etc/hostname")
    commit(repo, "A link")
    r = Repository(registry.root)
    dest = tmp_path / "exported"
    assert r.export("HEAD", r.relative(registry.root), dest)
    assert (dest / "assets" / "LT-0001.yaml").is_file()
    assert not (dest / "link.yaml").exists()


@pytest.mark.slow
def test_item_pages_show_their_git_history(registry, repo, tmp_path):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "LT-0001: keyboard <b>repair</b>")
    out = tmp_path / "site"
    code, _, err = run_cli("site", "build", "--registry", registry.root, "--out", out, "--as-of", AS_OF)
    assert code == 0, err
    page = (out / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert 'id="history"' in page
    assert "LT-0001&#58; keyboard &#60;b&#62;repair&#60;/b&#62;" in page  # the subject, inert
    assert "<b>repair</b>" not in page
    assert "Ada Admin" in page and page.index("keyboard") < page.index("Initial registry")


@pytest.mark.slow
def test_item_pages_outside_git_say_so(registry, tmp_path):
    out = tmp_path / "site"
    code, _, err = run_cli("site", "build", "--registry", registry.root, "--out", out, "--as-of", AS_OF)
    assert code == 0, err
    assert "No git history for" in (out / "license" / "LIC-0001.html").read_text(encoding="utf-8")
