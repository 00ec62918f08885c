"""A warm run's facts of one item (an asset's costs row) from the cache, never when anything they depend on
changed: the item's file, the Settings, the as-of date, another item they name."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl import cache, factpack
from itamctl.finance.costs import costs_report
from itamctl.pipeline import open_registry

AS_OF = date(2026, 11, 28)


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    return root


def _kept(store: factpack.FactStore, registry, as_of: date = AS_OF) -> dict[str, object]:
    """The costs rows the store has for ``registry``'s assets before anything is computed."""
    out = {}
    for asset in registry.assets:
        slot = store.slot("costs", asset, registry.settings, as_of)
        if slot is not None and slot[1] in slot[0].values:
            out[asset.id] = slot[0].values[slot[1]]
    return out


def test_a_warm_run_reads_costs_rows_kept_by_the_last_and_they_name_this_runs_assets(tmp_path, cached):
    root = _demo(tmp_path)
    first = open_registry(root).registry
    rows = {row.asset.id: row for row in costs_report(first, AS_OF).items}
    factpack.save()
    second = open_registry(root).registry
    kept = _kept(factpack.current, second)
    assert kept  # most assets: those no contract covers and no per-seat license is assigned to
    by_id = {a.id: a for a in second.assets}
    for asset_id, row in kept.items():
        assert row == rows[asset_id]
        assert row.asset is by_id[asset_id]  # this run's item, not a copy
    assert costs_report(second, AS_OF) == costs_report(first, AS_OF)
    # another date, other rows: none is read for it
    assert _kept(factpack.current, second, date(2026, 11, 29)) == {}


def test_validate_never_opens_the_facts(tmp_path, cached):
    root = _demo(tmp_path)
    run_cli("validate", "--registry", str(root))
    run_cli("validate", "--registry", str(root))
    assert list(Path(cache.cache_dir()).glob("facts-*.pickle")) == []
    run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28")
    assert len(list(Path(cache.cache_dir()).glob("facts-*.pickle"))) == 1


@pytest.mark.parametrize("change", ["asset", "settings", "as_of", "contract"])
def test_costs_are_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = _demo(tmp_path)
    as_of = "2026-11-28"

    def costs() -> tuple:
        expected = run_cli("costs", "--registry", str(root), "--as-of", as_of, "--format", "json", "--no-cache")
        assert expected[0] == 0, expected
        assert run_cli("costs", "--registry", str(root), "--as-of", as_of, "--format", "json") == expected
        return expected

    before = costs()
    assert costs() == before  # warm: from the facts
    if change == "asset":
        path = next(p for p in sorted((root / "assets").rglob("*.yaml")) if "cost:" in p.read_text())
        text = path.read_text()
        head, _, tail = text.partition("cost: ")
        number, _, rest = tail.partition("\n")
        path.write_text(f"{head}cost: {float(number.split()[0]) + 100}\n{rest}")
    elif change == "settings":  # every category's life doubles: every row changes
        path = root / "settings.yaml"
        path.write_text(path.read_text().replace("life_months: 36", "life_months: 72")
                        .replace("life_months: 48", "life_months: 96"))
    elif change == "as_of":
        as_of = "2026-12-28"
    else:  # a contract's cost: the rows of the assets it covers are not item-only facts, never kept
        path = next(p for p in sorted(root.rglob("*.yaml")) if "kind: Contract" in p.read_text()
                    and "cost:" in p.read_text())
        path.write_text(path.read_text().replace("cost: ", "cost: 1", 1))
    after = costs()
    assert after != before
    assert costs() == after


def test_damaged_facts_are_computed_again(tmp_path, cached):
    root = _demo(tmp_path)
    expected = run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28", "--no-cache")
    assert run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28") == expected
    registry = open_registry(root).registry
    store = factpack.current
    for asset in registry.assets:
        slot = store.slot("costs", asset, registry.settings, AS_OF)
        if slot is not None:
            store.cache.put_record(next(k for k, r in store.records.items() if r is slot[0]), b"not a pickle")
    store.cache.save()
    factpack.current = None
    assert run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28") == expected
    assert run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28") == expected


def test_a_value_that_names_an_item_of_another_chunk_is_not_kept(tmp_path, cached):
    root = _demo(tmp_path)
    registry = open_registry(root).registry
    store = factpack.current
    first, second = registry.assets[0], registry.assets[1]
    stranger = dataclasses.replace(second, name="not of these files")  # an item no chunk of this run holds
    own = store.slot("costs", first, registry.settings, AS_OF)
    other = store.slot("costs", second, registry.settings, AS_OF)
    assert own is not None and other is not None
    store.put(own, ("mine", first))
    store.put(other, ("a stranger's", stranger))
    assert store._dump(own[0]) and store._dump(other[0])  # the records are written ...
    assert own[1] in own[0].values and other[1] not in other[0].values  # ... without the value naming it
    # and the item named by its place comes back as the next run's own item
    factpack.save()
    again = open_registry(root).registry
    slot = factpack.current.slot("costs", again.assets[0], again.settings, AS_OF)
    assert slot[0].values[slot[1]] == ("mine", again.assets[0]) and slot[0].values[slot[1]][1] is again.assets[0]


def test_settings_without_a_repr_of_their_own_are_not_kept(tmp_path, cached):
    root = _demo(tmp_path)
    registry = open_registry(root).registry
    store = factpack.current

    class Opaque:
        pass

    assert store.slot("costs", registry.assets[0], Opaque(), AS_OF) is None
    assert store.slot("events", registry.assets[0], registry.settings, AS_OF) is None  # not a kept kind


def test_diffs_sides_read_the_costs_rows_costs_kept_and_add_none(tmp_path, cached, monkeypatch):
    import git

    from tests.helpers_git import commit

    root = _demo(tmp_path)
    for i in range(400):  # files enough for chunks between the first and the last (which a revision, listing
        # its files in git's order, chunks differently)
        (root / "assets" / f"S-{i:04d}.yaml").write_text(
            f"apiVersion: itam/v1\nkind: Asset\nid: S-{i:04d}\nname: Spare {i}\ncategory: laptop\n"
            f"status: in_stock\nowner: tkoch\nlocation: dc-frankfurt\n"
            f"purchase: {{date: 2025-01-{1 + i % 28:02d}, cost: {900 + i}.25, vendor: dell}}\n")
    commit(git.Repo.init(root), "registry")
    run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28")  # keeps the rows of this date
    path = next(p for p in sorted((root / "assets").rglob("*.yaml")) if "cost:" in p.read_text())
    path.write_text(path.read_text().rstrip("\n") + "\nx-note: edited\n")
    args = ("diff", "--registry", str(root), "--base", "HEAD", "--as-of", "2026-11-28", "--format", "json")
    expected = run_cli(*args, "--no-cache")
    assert expected[0] == 0, expected
    read, added = [], []
    real_slot, real_save = factpack.FactStore.slot, factpack.FactStore.save

    def slot(self, fact, item, settings, as_of):
        found = real_slot(self, fact, item, settings, as_of)
        if fact == "costs" and found is not None:
            read.append(found[1] in found[0].values)
        return found

    def save(self):
        added.extend(r for r in self.records.values() if r.fresh and r.readonly)
        return real_save(self)

    monkeypatch.setattr(factpack.FactStore, "slot", slot)
    monkeypatch.setattr(factpack.FactStore, "save", save)
    assert run_cli(*args) == expected
    assert any(read) and added == []  # rows read back, none added for the sides
