"""`--at REV`: the registry at any revision, straight from git objects, and every way a revision can be wrong."""

from __future__ import annotations

import json
import subprocess

import git
import pytest

from itamctl import gitrepo
from itamctl.pipeline import registry_snapshot
from tests.conftest import RegistryDir, run_cli, write_registry
from tests.helpers_fuzz import run_batch
from tests.helpers_git import commit, commit_tree, git_out, tree_object

AS_OF = "2026-06-01"


@pytest.fixture
def repo(registry: RegistryDir) -> git.Repo:
    repo = git.Repo.init(registry.root.parent)
    commit(repo, "Initial registry")
    repo.create_tag("v1")
    return repo


def costs_total(registry: RegistryDir, *args: str) -> str:
    code, out, err = run_cli("costs", "--registry", registry.root, "--as-of", AS_OF, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)["totals"]["cost"]


def test_costs_at_a_revision_and_today(registry, repo):
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1500.00")
    commit(repo, "Price")
    registry.replace("assets/LT-0001.yaml", "cost: 1500.00", "cost: 1700.00")  # not committed
    assert costs_total(registry, "--at", "v1") == "1200.00"
    assert costs_total(registry, "--at", "HEAD") == "1500.00"
    assert costs_total(registry) == "1700.00"
    assert (registry.root / "assets/LT-0001.yaml").read_text().count("1700.00") == 1  # nothing checked out


@pytest.mark.parametrize("command", [
    ["validate"], ["check"], ["costs"], ["depreciation", "LT-0001"], ["expiries"], ["budget"],
])
def test_every_reporting_command_takes_at(registry, repo, command):
    registry.remove("assets/LT-0001.yaml")  # the working tree lacks what the revision has
    registry.replace("licenses/LIC-0001.yaml", "assigned_to: [alice, LT-0001]", "assigned_to: [alice]")
    registry.replace("contracts/CTR-0001.yaml", "covers: [LT-0001]", "covers: []")
    dated = [] if command == ["validate"] else ["--as-of", AS_OF]
    code, out, err = run_cli(*command, "--registry", registry.root, "--at", "v1", *dated, "--format", "json")
    assert code == 0, err
    json.loads(out)


def test_validate_at_reports_errors_of_that_revision_by_file_and_line(registry, repo):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: deployd")
    commit(repo, "typo")
    registry.replace("assets/LT-0001.yaml", "status: deployd", "status: deployed")
    code, out, _ = run_cli("validate", "--registry", registry.root, "--at", "HEAD")
    assert code == 1 and "LT-0001.yaml:6" in out
    code, _, err = run_cli("costs", "--registry", registry.root, "--at", "HEAD")
    assert code == 1 and "at HEAD" in err and "LT-0001.yaml:6" in err
    assert run_cli("validate", "--registry", registry.root)[0] == 0


def test_schema_extensions_come_from_the_revision(registry, repo):
    registry.write("schemas/asset.schema.json", json.dumps(
        {"properties": {"insurance_policy": {"type": "string"}}, "required": ["insurance_policy"]}))
    commit(repo, "require insurance")
    registry.remove("schemas/asset.schema.json")
    code, out, _ = run_cli("validate", "--registry", registry.root, "--at", "HEAD")
    assert code == 1 and "insurance_policy" in out
    assert run_cli("validate", "--registry", registry.root, "--at", "v1")[0] == 0


@pytest.mark.parametrize("rev, message", [
    ("no-such-tag", "unknown git revision 'no-such-tag'"),
    ("-n", "starts with '-': refused"),
    ("--output=/tmp/x", "starts with '-': refused"),
    ("@{-1}", "reflog has no such entry"),
    ("HEAD@{99}", "reflog has no such entry"),
    ("HEAD@{1 year ago}", "only goes back to"),
    ("HEAD\nx", "control characters"),
])
def test_revision_errors_are_one_line_usage_errors(registry, repo, rev, message):
    code, _, err = run_cli("costs", "--registry", registry.root, "--at", rev)
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_registry_missing_or_a_file_at_the_revision(registry, repo, tmp_path_factory):
    root = registry.root.parent
    (root / "registry-2").mkdir()
    code, _, err = run_cli("costs", "--registry", root / "registry-2", "--at", "HEAD")
    assert code == 2 and "does not exist at HEAD" in err
    code, _, err = run_cli("validate", "--registry", registry.root / "settings.yaml", "--at", "HEAD")
    assert code == 2 and "is a file at HEAD, not a folder" in err
    code, _, err = run_cli("costs", "--registry", tmp_path_factory.mktemp("outside") / "registry", "--at", "HEAD")
    assert code == 2 and "not inside a git working tree" in err


def test_shallow_clone_says_to_fetch_more_history(registry, repo, tmp_path):
    registry.replace("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1500.00")
    commit(repo, "Price")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{registry.root.parent}", str(clone)], check=True)
    reg = clone / "registry"
    assert costs_total(RegistryDir(reg), "--at", "HEAD") == "1500.00"
    for command in (["costs", "--at", "HEAD~1"], ["diff", "--base", "HEAD~1"], ["diff", "--base", "v1"]):
        code, _, err = run_cli(*command, "--registry", reg)
        assert code == 2 and "shallow clone" in err and "fetch-depth: 0" in err and "git fetch --deepen" in err


def test_symlinks_in_a_revision_are_not_followed(registry, repo):
    (registry.root / "link.yaml").symlink_to("/etc/hostname")
    commit(repo, "A link")
    snap = registry_snapshot(registry.root, "HEAD")
    assert snap is not None and snap.links == ("link.yaml",)
    assert "link.yaml" not in [b.path for b in snap.files]
    code, out, _ = run_cli("validate", "--registry", registry.root, "--at", "HEAD")
    assert code == 0 and "not followed" in out


def _with_registry_tree(root, registry_tree: str) -> str:
    """A commit whose ``registry`` folder is ``registry_tree``."""
    top = tree_object(root, [("40000", "registry", registry_tree)])
    return commit_tree(root, top, "crafted")


def test_tree_entry_named_dot_dot_is_refused(registry, repo):
    root = registry.root.parent
    blob = git_out(root, "hash-object", "-w", "--stdin", input=b"apiVersion: itam/v1\n")
    inner = tree_object(root, [("100644", "x.yaml", blob)])
    crafted = _with_registry_tree(root, tree_object(root, [("40000", "..", inner)]))
    for command in (["validate", "--at", crafted], ["diff", "--base", crafted]):
        code, _, err = run_cli(*command, "--registry", registry.root)
        assert code == 2 and "unsafe name '../x.yaml'" in err, err


@pytest.mark.slow
def test_a_tree_expanding_to_ten_million_paths_is_refused(registry, repo, monkeypatch):
    root = registry.root.parent
    blob = git_out(root, "hash-object", "-w", "--stdin", input=b"apiVersion: itam/v1\n")
    tree = tree_object(root, [("100644", f"f{i}.yaml", blob) for i in range(10)])
    for _ in range(6):  # 10^7 paths from seven small tree objects
        tree = tree_object(root, [("40000", f"d{i}", tree) for i in range(10)])
    bomb = _with_registry_tree(root, tree)
    code, _, err = run_cli("validate", "--registry", registry.root, "--at", bomb)
    assert code == 2 and f"more than {gitrepo.MAX_FILES:,} files" in err
    # diff in a fresh process whose peak memory is bounded (helpers_fuzz.MAX_RSS_MIB)
    [diff] = run_batch([(["diff", "--registry", registry.root, "--base", bomb], None)])
    assert diff.code == 2 and "refused" in diff.err
    monkeypatch.setattr(gitrepo, "MAX_FILES", 5)
    code, _, err = run_cli("validate", "--registry", registry.root, "--at", "HEAD")
    assert code == 2 and "more than 5 files" in err
    code, _, err = run_cli("history", "LT-0001", "--registry", registry.root, "--rev", bomb)
    assert code == 2 and "changes more than 5 files" in err


def test_repository_with_the_registry_at_its_root(tmp_path):
    reg = write_registry(tmp_path / "top")
    repo = git.Repo.init(reg.root)
    commit(repo, "registry at the root")
    assert costs_total(reg, "--at", "HEAD") == "1200.00"


def test_a_repository_without_commits(registry):
    git.Repo.init(registry.root.parent)
    for command in (["diff"], ["costs", "--at", "HEAD"], ["history", "LT-0001"]):
        code, _, err = run_cli(*command, "--registry", registry.root)
        assert code == 2 and "has no commits yet" in err, err


def test_outside_git_says_why(tmp_path_factory):
    code, _, err = run_cli("validate", "--registry", tmp_path_factory.mktemp("plain"), "--at", "HEAD")
    assert code == 2 and "not inside a git working tree (not a git repository" in err


#: Commands that report on the registry: each takes --at REV (issue 12). `export` joins when it exists.
REPORTING = ("validate", "check", "costs", "depreciation", "expiries", "budget", "export", "site build")


def test_every_reporting_command_offers_at_in_its_help():
    present = []
    for name in REPORTING:
        code, out, _ = run_cli(*name.split(), "--help")
        if code != 0 and name == "export":
            continue  # not built yet
        assert code == 0 and "--at REV" in out, f"{name} --help lacks --at REV"
        present.append(name)
    assert len(present) >= len(REPORTING) - 1
