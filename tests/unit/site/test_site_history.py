"""The site's history: item pages with field changes, the Recent changes page, what people were given."""

from __future__ import annotations

import git
import pytest

from itamctl.pipeline import load_valid_registry
from itamctl.site.history import SiteHistory
from tests.conftest import RegistryDir, run_cli
from tests.helpers_git import commit

AS_OF = "2026-06-01"


@pytest.fixture
def repo(registry: RegistryDir) -> git.Repo:
    repo = git.Repo.init(registry.root.parent)
    commit(repo, "Initial registry")
    return repo


def _people(registry):
    registry.write("people-bob.yaml", """\
        apiVersion: itam/v1
        kind: Person
        id: bob
        name: Bob Example
        """)


def test_assignments_and_recent_changes_from_one_history(registry, repo):
    _people(registry)
    commit(repo, "Bob joins")
    registry.replace("assets/LT-0001.yaml", "owner: alice", "owner: bob")
    registry.replace("licenses/LIC-0001.yaml", "assigned_to: [alice, LT-0001]", "assigned_to: [bob, LT-0001]")
    commit(repo, "Alice's laptop and editor seat go to Bob")
    site = SiteHistory.of(load_valid_registry(registry.root))
    bob = [(a["action"], a["id"]) for a in site.person("bob")]
    alice = [(a["action"], a["id"]) for a in site.person("alice")]
    assert bob == [("assigned", "LIC-0001"), ("assigned", "LT-0001")]
    assert alice[:2] == [("taken", "LIC-0001"), ("taken", "LT-0001")]
    assert ("assigned", "LT-0001") in alice[2:]  # from the first commit
    recent = site.recent()
    assert [c["subject"] for c in recent] == ["Alice's laptop and editor seat go to Bob", "Bob joins",
                                             "Initial registry"]
    assert [(i["id"], i["fields"]) for i in recent[0]["items"]] == [("LIC-0001", ["assigned_to"]),
                                                                    ("LT-0001", ["owner"])]
    assert site.item("LT-0001")[0]["changes"] == [{"field": "owner", "old": "alice", "new": "bob"}]


@pytest.mark.slow
def test_site_pages_show_history_recent_changes_and_assignments(registry, repo, tmp_path):
    _people(registry)
    commit(repo, "Bob joins")
    registry.replace("assets/LT-0001.yaml", "owner: alice", "owner: bob")
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: in_repair")
    commit(repo, "LT-0001: keyboard <b>repair</b>")
    out = tmp_path / "site"
    code, _, err = run_cli("site", "build", "--registry", registry.root, "--out", out, "--as-of", AS_OF)
    assert code == 0, err
    page = (out / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert 'id="history"' in page and "<b>repair</b>" not in page
    assert "owner&#58; alice → bob" in page and "status&#58; deployed → in&#95;repair" in page
    assert page.index("keyboard") < page.index("Initial registry")
    recent = (out / "changes.html").read_text(encoding="utf-8")
    assert "Bob joins" in recent and 'href="asset/LT-0001.html"' in recent
    person = (out / "person" / "bob.html").read_text(encoding="utf-8")
    assert "assigned" in person and 'href="../asset/LT-0001.html"' in person
    # The site at an older revision: the history stops there.
    old = tmp_path / "old"
    code, _, err = run_cli("site", "build", "--registry", registry.root, "--out", old, "--as-of", AS_OF,
                           "--at", "HEAD~1")
    assert code == 0, err
    page = (old / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert "keyboard" not in page and "Initial registry" in page
