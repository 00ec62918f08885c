"""`diff` and `--at` with the cache: files are known by git blob id, only changed ones are read, output unchanged."""

from __future__ import annotations

import json

import git
import pytest

from itamctl import cache
from itamctl.pipeline import registry_snapshot
from tests.conftest import RegistryDir, run_cli
from tests.helpers_git import commit

AS_OF = "2026-06-01"


@pytest.fixture
def repo(registry: RegistryDir) -> git.Repo:
    for i in range(12):
        registry.write(f"assets/A-{i}.yaml", f"""\
            apiVersion: itam/v1
            kind: Asset
            id: A-{i}
            name: Laptop {i}
            category: laptop
            status: deployed
            owner: alice
            purchase: {{date: 2024-01-10, cost: {1000 + i}.00, vendor: acme}}
            """)
    repo = git.Repo.init(registry.root.parent)
    commit(repo, "registry")
    return repo


def _read(registry: RegistryDir, rev: str = "HEAD") -> set[str]:
    """The registry files whose content git was asked for (the others came from the cache by blob id)."""
    snapshot = registry_snapshot(registry.root, rev)
    assert snapshot is not None
    return {b.path for b in snapshot.files if b.data is not None}


def test_a_revision_reads_only_the_files_the_cache_does_not_know(registry, repo):
    cache.set_enabled(True)
    assert len(_read(registry)) == len(list(registry.root.rglob("*.yaml")))  # empty cache: everything
    assert run_cli("validate", "--registry", registry.root)[0] == 0  # fills the cache from the working tree
    assert _read(registry) == set()  # HEAD's files are the working tree's: known by blob id
    registry.replace("assets/A-3.yaml", "Laptop 3", "Laptop three")
    commit(repo, "rename")
    assert _read(registry) == {"assets/A-3.yaml"}
    assert run_cli("validate", "--registry", registry.root, "--at", "HEAD")[0] == 0
    assert _read(registry) == set()
    cache.set_enabled(False)
    assert len(_read(registry)) == len(list(registry.root.rglob("*.yaml")))  # --no-cache: git reads all


def test_schema_extensions_are_part_of_the_key(registry, repo):
    cache.set_enabled(True)
    run_cli("validate", "--registry", registry.root)
    registry.write("schemas/asset.schema.json", json.dumps({"properties": {"tag": {"type": "string"}}}))
    commit(repo, "extension")
    read = _read(registry)
    assert "schemas/asset.schema.json" in read and {p for p in read if p.endswith(".yaml")} == {
        p.relative_to(registry.root).as_posix() for p in registry.root.rglob("*.yaml")}


@pytest.mark.parametrize("command", [
    ("diff", "--base", "HEAD~1", "--as-of", AS_OF, "--format", "json"),
    ("diff", "--base", "HEAD~1", "--head", "HEAD", "--as-of", AS_OF, "--format", "markdown"),
    ("validate", "--at", "HEAD~1", "--format", "json"),
    ("costs", "--at", "HEAD", "--as-of", AS_OF, "--format", "json"),
], ids=lambda c: "-".join(c[:2]))
def test_output_is_the_same_with_and_without_the_cache(registry, repo, command):
    registry.replace("assets/A-5.yaml", "cost: 1005.00", "cost: 2005.00")
    registry.write("assets/A-99.yaml", "apiVersion: itam/v1\nkind: Asset\nid: A-99\nname: New\n"
                   "category: laptop\nstatus: planned\n")
    commit(repo, "change two")
    registry.replace("assets/A-7.yaml", "Laptop 7", "Laptop seven")  # and one in the working tree
    args = (*command, "--registry", str(registry.root))
    cold = run_cli(*args, "--no-cache")
    assert cold[0] == 0, cold
    assert run_cli(*args) == cold  # fills the cache
    assert run_cli(*args) == cold  # from the cache
    assert run_cli("validate", "--registry", str(registry.root))[0] == 0
    assert run_cli(*args) == cold  # after the working tree's entries


_SCENARIOS = {
    # the contract's price changes: the shares of assets whose files did not change differ between the sides
    "contract": ("contracts/CTR-0001.yaml", "cost: 480", "cost: 960"),
    # Settings change: every figure may differ although no asset file changed
    "settings": ("settings.yaml", "life_months: 36", "life_months: 24"),
    # a planned successor on one side: the budget of the asset it replaces changes
    "successor": ("assets/A-99.yaml", None, "apiVersion: itam/v1\nkind: Asset\nid: A-99\nname: Next\n"
                  "category: laptop\nstatus: planned\nreplaces: A-3\n"
                  "purchase: {date: 2026-09-01, cost: 1500.00}\n"),
}


@pytest.mark.parametrize("scenario", sorted(_SCENARIOS))
def test_diff_shares_only_what_is_the_same_on_both_sides(registry, repo, scenario):
    """The sides share an item's figures when nothing they depend on changed (itamctl.sharing): the report is
    the one computed side by side without the cache (nothing shared)."""
    registry.replace("contracts/CTR-0001.yaml", "covers: [LT-0001]", "covers: [LT-0001, A-1, A-2]")
    commit(repo, "the contract covers two more")
    path, old, new = _SCENARIOS[scenario]
    if old is None:
        registry.write(path, new, dedent=False)
    else:
        registry.replace(path, old, new)
    args = ("diff", "--base", "HEAD", "--as-of", AS_OF, "--format", "json", "--registry", str(registry.root))
    cold = run_cli(*args, "--no-cache")
    assert cold[0] == 0, cold
    report = json.loads(cold[1])
    assert report["totals"]["tco"]["delta"] != "0.00" or any(b["delta"] != "0.00" for b in report["budget"])
    assert run_cli(*args) == cold  # fills the cache
    assert run_cli(*args) == cold  # from the cache: the sides share their files


def test_a_revision_is_listed_and_loaded_with_one_opening_of_the_pack(registry, repo, monkeypatch):
    """Each opening reads and checks the whole pack (~0.5 s at 10^5 files): `--at` opens it once, `diff` once a
    side, and the output is the same as without the cache."""
    cold_at = run_cli("costs", "--registry", registry.root, "--at", "HEAD", "--as-of", AS_OF, "--no-cache")
    registry.replace("assets/A-3.yaml", "Laptop 3", "Laptop three")
    cold_diff = run_cli("diff", "--registry", registry.root, "--base", "HEAD", "--as-of", AS_OF, "--no-cache")
    run_cli("validate", "--registry", registry.root)  # the pack exists
    opened = []
    real = cache.FileCache._read
    monkeypatch.setattr(cache.FileCache, "_read", lambda self: opened.append(self.path.name[:5]) or real(self))
    assert run_cli("costs", "--registry", registry.root, "--at", "HEAD", "--as-of", AS_OF) == cold_at
    assert opened == ["files", "facts"]  # the files' pack once, and the facts' (itamctl.factpack) once
    opened.clear()
    assert run_cli("diff", "--registry", registry.root, "--base", "HEAD", "--as-of", AS_OF) == cold_diff
    # a side each, and the facts' once for both (the chunks' policy findings; the sides keep no item's facts)
    assert opened == ["files", "facts", "files"]
