"""`itamctl history ID` on real repositories: renames, moves, multi-document files, merges, deletions, new ids."""

from __future__ import annotations

import json

import git
import pytest

from itamctl.history import registry_history
from tests.conftest import RegistryDir, run_cli
from tests.helpers_git import commit

BOB = git.Actor("Bob Builder", "bob@example.com")


@pytest.fixture
def repo(registry: RegistryDir) -> git.Repo:
    repo = git.Repo.init(registry.root.parent, initial_branch="main")
    commit(repo, "Initial registry")
    return repo


def history_json(registry: RegistryDir, item_id: str) -> dict:
    code, out, err = run_cli("history", item_id, "--registry", registry.root, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def messages(registry, item_id):
    return [e["message"] for e in history_json(registry, item_id)["entries"]]


def test_field_changes_newest_first_with_commit_date_author(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "LT-0001 goes to repair", BOB)
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1250.50")
    sha = commit(repo, "Price correction")
    data = history_json(registry, "LT-0001")
    assert data["id"] == "LT-0001"
    first, second, third = data["entries"]
    assert (first["commit"], first["message"], first["author"]) == (sha, "Price correction", "Ada Admin")
    assert first["date"][:4].isdigit() and "T" in first["date"]
    assert first["changes"] == [{"field": "purchase.cost", "old": "1200.00", "new": "1250.50"}]
    assert second["changes"] == [{"field": "status", "old": "deployed", "new": "in_repair"}]
    assert second["author"] == "Bob Builder"
    assert (third["change"], third["changes"]) == ("added", [])
    assert set(first) >= {"commit", "date", "author", "message", "changes"}


def test_follows_renames_moves_into_multi_document_files_and_deletion(registry, repo):
    repo.git.mv("registry/assets/LT-0001.yaml", "registry/assets/laptop-1.yaml")
    commit(repo, "Rename the file")
    text = (registry.root / "assets/laptop-1.yaml").read_text()
    registry.remove("assets/laptop-1.yaml")
    registry.write("fleet.yaml", (registry.root / "people.yaml").read_text() + "---\n"
                   + text.replace("status: deployed", "status: in_stock"))
    registry.remove("people.yaml")
    commit(repo, "One file for the fleet")
    registry.replace("fleet.yaml", "team: Engineering", "team: Platform")  # another document, same file
    commit(repo, "Alice moves team")
    registry.remove("fleet.yaml")
    commit(repo, "Drop the fleet file")
    assert messages(registry, "LT-0001") == ["Drop the fleet file", "One file for the fleet", "Rename the file",
                                            "Initial registry"]
    entries = history_json(registry, "LT-0001")["entries"]
    assert entries[0]["change"] == "removed"
    assert entries[1]["changes"] == [{"field": "status", "old": "deployed", "new": "in_stock"},
                                     {"field": "file", "old": "assets/laptop-1.yaml", "new": "fleet.yaml"}]
    assert entries[2]["changes"] == [{"field": "file", "old": "assets/LT-0001.yaml", "new": "assets/laptop-1.yaml"}]
    assert messages(registry, "alice") == ["Drop the fleet file", "Alice moves team", "One file for the fleet",
                                           "Initial registry"]


def test_an_id_changed_in_place_keeps_its_history(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_stock")
    commit(repo, "Stock")
    registry.replace("assets/LT-0001.yaml", "id: LT-0001", "id: NB-0001")
    registry.replace("licenses/LIC-0001.yaml", "LT-0001", "NB-0001")
    registry.replace("contracts/CTR-0001.yaml", "LT-0001", "NB-0001")
    commit(repo, "New tag scheme")
    entries = history_json(registry, "NB-0001")["entries"]
    assert [e["message"] for e in entries] == ["New tag scheme", "Stock", "Initial registry"]
    assert entries[0]["change"] == "renamed"
    assert {"field": "id", "old": "LT-0001", "new": "NB-0001"} in entries[0]["changes"]
    assert messages(registry, "LT-0001") == ["Stock", "Initial registry"]


def test_merges_list_each_change_once_under_the_commit_that_made_it(registry, repo, monkeypatch):
    for key, value in (("GIT_AUTHOR_NAME", "Ada"), ("GIT_AUTHOR_EMAIL", "ada@example.com"),
                       ("GIT_COMMITTER_NAME", "Ada"), ("GIT_COMMITTER_EMAIL", "ada@example.com")):
        monkeypatch.setenv(key, value)  # a fresh CI machine has no git identity
    repo.git.checkout("-b", "feature")
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    side = commit(repo, "Repair on a branch")
    repo.git.checkout("main")
    registry.replace("licenses/LIC-0001.yaml", "seats: 5", "seats: 6")
    commit(repo, "More seats on main")
    repo.git.merge("feature", "--no-ff", "-m", "Merge feature")
    entries = history_json(registry, "LT-0001")["entries"]
    assert entries[0]["commit"] == side
    assert [e["message"] for e in entries] == ["Repair on a branch", "Initial registry"]


def test_one_git_log_pass_serves_every_item(registry, repo, monkeypatch):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "Repair")
    calls = []
    import subprocess

    real = subprocess.Popen

    def counting(args, *a, **k):  # subprocess.run starts its process through Popen too
        calls.append(args)
        return real(args, *a, **k)

    monkeypatch.setattr(subprocess, "Popen", counting)
    history = registry_history(registry.root)
    assert {"LT-0001", "alice", "LIC-0001", "CTR-0001"} <= set(history.by_id)
    logs = [c for c in calls if "log" in c]
    batches = [c for c in calls if "--batch" in c]
    assert len(logs) == 1 and len(batches) == 1 and len(calls) <= 4


def test_text_markdown_and_errors(registry, repo):
    registry.replace("assets/LT-0001.yaml", "name: Laptop (Alice)", "name: Laptop <b>|</b>")
    commit(repo, "Rename *bold*")
    code, out, _ = run_cli("history", "LT-0001", "--registry", registry.root)
    assert code == 0 and "name: Laptop (Alice) → Laptop <b>|</b>" in out and "Rename *bold*" in out
    code, out, _ = run_cli("history", "LT-0001", "--registry", registry.root, "--format", "markdown")
    assert code == 0 and "Rename \\*bold\\*" in out and "<b>" not in out
    code, _, err = run_cli("history", "NOPE-1", "--registry", registry.root)
    assert code == 2 and "NOPE-1" in err
    code, _, err = run_cli("history", "LT-0001", "--registry", registry.root, "--rev", "-p")
    assert code == 2 and "refused" in err


def test_history_in_a_shallow_clone_and_outside_git(registry, repo, tmp_path, tmp_path_factory):
    import subprocess

    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "Repair")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{registry.root.parent}", str(clone)], check=True)
    data = history_json(RegistryDir(clone / "registry"), "LT-0001")
    assert [e["message"] for e in data["entries"]] == ["Repair"]  # all that the clone holds
    code, _, err = run_cli("history", "LT-0001", "--registry", tmp_path_factory.mktemp("nogit"))
    assert code == 2 and "not inside a git working tree" in err


def test_a_commit_that_breaks_a_file_shows_its_items_unreadable_not_removed(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: [deployed")
    commit(repo, "Broken YAML")
    registry.replace("assets/LT-0001.yaml", "status: [deployed", "status: in_stock")
    commit(repo, "Fixed, and in stock")
    entries = history_json(registry, "LT-0001")["entries"]
    assert [(e["message"], e["change"]) for e in entries] == [
        ("Fixed, and in stock", "modified"), ("Broken YAML", "unreadable"), ("Initial registry", "added")]
    assert entries[0]["changes"] == [{"field": "status", "old": "deployed", "new": "in_stock"}]


def test_text_names_an_unreadable_file(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: [deployed")
    commit(repo, "Broken YAML")
    code, out, _ = run_cli("history", "LT-0001", "--registry", registry.root)
    assert code == 0 and "assets/LT-0001.yaml does not parse at this commit" in out
