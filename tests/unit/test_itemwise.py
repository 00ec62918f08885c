"""Policy rules that judge items one at a time: a warm check reads the findings of unchanged chunks of
files back from the cache and judges the edited file's chunk alone; whatever changed, its output is the
one ``--no-cache`` gives (itamctl.rules.itemwise)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, edit_in_chunk, run_cli

from itamctl import cache, factpack
from itamctl.diagnostics import Diagnostic, Severity
from itamctl.pipeline import open_registry
from itamctl.render.diagnostics import github_command, render_github, render_text, summary_line
from itamctl.render.escape import terminal, terminal_text
from itamctl.rules import itemwise, policy_rules, run_policy
from itamctl.rules.finding import Scope
from itamctl.tracking.events import events_of

AS_OF = "2026-11-28"


def _demo(tmp_path: Path, copies: int = 0) -> Path:
    """The demo registry, with ``copies`` more copies of its assets (new ids) so that it spans chunks."""
    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    assets = sorted((root / "assets").rglob("*.yaml"))
    for n in range(copies):
        for path in assets:
            text = path.read_text(encoding="utf-8")
            if text.count("\nid: ") + text.startswith("id: ") != 1 or "kind: Asset" not in text:
                continue
            ids = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id: ")]
            target = path.with_name(f"copy{n}-{path.name}")
            target.write_text(text.replace(f"id: {ids[0]}", f"id: {ids[0]}-C{n}"), encoding="utf-8")
    return root


def _judged(monkeypatch) -> list[str]:
    """The ids of the assets the rule ``eol_passed`` (one of the item-by-item rules) is given from now on;
    the rule runs as it is."""
    seen: list[str] = []
    rule = next(r for r in policy_rules() if r.id == "eol_passed")
    assert rule.items == ("assets",)
    real = rule.module.check_items

    def spy(items, as_of, scope):
        items = list(items)
        seen.extend(item.id for item in items)
        return real(items, as_of, scope)

    monkeypatch.setattr(rule.module, "check_items", spy)
    return seen


def _check(root: Path, *args: str) -> tuple:
    return run_cli("check", "--registry", str(root), "--as-of", AS_OF, "--exit-zero", *args)


def test_a_warm_check_judges_only_the_edited_files_chunk(tmp_path, cached, monkeypatch):
    root = _demo(tmp_path, copies=2)
    expected = _check(root, "--format", "json", "--no-cache")
    assert json.loads(expected[1])["diagnostics"]
    assert _check(root, "--format", "json") == expected  # fills the facts
    judged = _judged(monkeypatch)
    assert _check(root, "--format", "json") == expected
    assert judged == []  # every finding read back
    edited = next(p for p in sorted((root / "assets").rglob("*.yaml")) if "status: deployed" in p.read_text())
    around = edit_in_chunk(root, edited, edited.read_text().replace("status: deployed", "status: in_stock"))
    now = _check(root, "--format", "json", "--no-cache")
    assert now != expected
    del judged[:]
    assert _check(root, "--format", "json") == now
    registry = open_registry(root).registry
    (edited_id,) = {a.id for a in registry.assets if a.file.endswith("/" + edited.name)}
    assert edited_id in judged and set(judged) <= around  # its chunk alone
    del judged[:]
    assert _check(root, "--format", "json") == now
    assert judged == []  # and that chunk's findings were kept in turn


@pytest.mark.parametrize("change", ["asset", "waiver", "settings", "as_of", "coverage", "removed", "duplicate"])
def test_check_is_the_same_with_and_without_the_cache_whatever_changes(tmp_path, cached, change):
    root = _demo(tmp_path, copies=1)
    as_of = AS_OF

    def check() -> tuple:
        expected = run_cli("check", "--registry", str(root), "--as-of", as_of, "--exit-zero", "--format", "json",
                           "--no-cache")
        assert run_cli("check", "--registry", str(root), "--as-of", as_of, "--exit-zero", "--format", "json") \
            == expected
        assert run_cli("check", "--registry", str(root), "--as-of", as_of, "--exit-zero", "--format", "json") \
            == expected
        return expected

    before = check()
    assets = sorted((root / "assets").rglob("*.yaml"))
    found = [d for d in json.loads(before[1])["diagnostics"] if d["rule"] in ("expired_warranty", "eol_passed")]
    assert found
    target = root.parent / found[0]["file"] if (root.parent / found[0]["file"]).exists() else Path(found[0]["file"])
    if change == "asset":  # an asset no longer in service: its findings go
        target.write_text(target.read_text().replace("status: deployed", "status: in_stock")
                          .replace("status: in_stock", "status: retired"))
    elif change == "waiver":
        text = target.read_text()
        target.write_text(text.rstrip("\n") + f"\nwaivers:\n  - rule: {found[0]['rule']}\n    until: 2027-06-30\n"
                          "    reason: replacement ordered\n")
    elif change == "settings":  # a rule off: its findings go everywhere
        path = root / "settings.yaml"
        text = path.read_text()
        assert f"\n  {found[0]['rule']}: " in text
        path.write_text(text.replace(f"\n  {found[0]['rule']}: ", f"\n  {found[0]['rule']}: off\n  x-was: "))
    elif change == "as_of":
        as_of = "2027-11-28"
    elif change == "coverage":  # a warranty extension covers the asset: the rule's context changes
        asset_id = found[0]["message"].split()[0]
        (root / "contracts").mkdir(exist_ok=True)
        (root / "contracts" / "CTR-EXT-TEST.yaml").write_text(
            "apiVersion: itam/v1\nkind: Contract\nid: CTR-EXT-TEST\nname: Extended cover\nvendor: apple\n"
            "type: warranty_extension\nowner: lfischer\nstart: 2025-01-01\nend: 2028-12-31\nrenewal: none\n"
            f"notice_days: 30\ncost: 100.00\nbilling: once\ncovers: [{asset_id}]\n")
    elif change == "removed":
        target.unlink()
    else:  # the same id twice: validation reports it, and the registry holds one of them
        shutil.copy(assets[0], assets[0].with_name("zz-duplicate.yaml"))
    after = check()
    assert after != before


def test_damaged_findings_are_judged_again(tmp_path, cached):
    root = _demo(tmp_path)
    expected = _check(root, "--no-cache")
    assert _check(root) == expected
    for pack in Path(cache.cache_dir()).glob("facts-*.pickle"):
        data = bytearray(pack.read_bytes())
        for at in range(64, len(data) - 4096, 97):  # records damaged, the index at the end intact
            data[at] ^= 0xFF
        pack.write_bytes(bytes(data))
    assert _check(root) == expected
    assert _check(root) == expected


def test_item_rules_find_the_same_one_item_at_a_time_as_over_the_registry(tmp_path):
    registry = open_registry(_demo(tmp_path)).registry
    as_of = date(2026, 11, 28)
    rules = [rule for rule in policy_rules() if rule.items is not None]
    assert {rule.id for rule in rules} >= {"eol_passed", "expired_warranty", "expiring_soon", "audit_overdue"}
    total = 0
    for rule in rules:
        whole = [(f.item.id, f.path, f.message) for f in rule.check(registry, as_of)]
        context = rule.module.context(registry, as_of) if hasattr(rule.module, "context") else None
        scope = Scope(registry.settings, events_of(registry, as_of), context)
        one_by_one = [(f.item.id, f.path, f.message) for kind in rule.items for item in getattr(registry, kind)
                      for f in rule.module.check_items([item], as_of, scope)]
        assert sorted(one_by_one) == sorted(whole), rule.id
        total += len(whole)
    assert total
    assert run_policy(registry, as_of)


def test_text_and_github_lines_are_the_same_whether_or_not_anything_needs_escaping():
    plain = [Diagnostic("assets/a.yaml", 3, 5, "eol_passed", Severity.WARNING, "A-1 is past 100% of its life"),
             Diagnostic("assets/b, c.yaml", None, None, "expired_warranty", Severity.ERROR, "B-2: over"),
             Diagnostic("assets/d.yaml", 7, None, "audit_overdue", Severity.NOTICE, "D-3: due")]
    hostile = [*plain, Diagnostic("assets/e.yaml", 1, 1, "eol_passed", Severity.WARNING, "E\x1b]52;c;x\x07\nnext")]
    for ds in (plain, hostile):
        lines = [f"{terminal(f'{d.file}' + (f':{d.line}' if d.line else '') + (f':{d.column}' if d.column else ''))}: "
                 f"{d.severity.value} [{d.rule}] {terminal(d.message)}" for d in ds]
        assert render_text(ds, files=5) == "\n".join([*lines, summary_line(ds, 5)]) + "\n"
        assert render_github(ds, files=5) == "\n".join([*map(github_command, ds), summary_line(ds, 5)]) + "\n"
    assert "\x1b" not in render_text(hostile, files=5) and "%0A" in render_github(hostile, files=5)
    assert terminal_text("ok\tline\n") == "ok\tline\n"
    assert terminal_text("bell\x07 and \x9b and \u202e") == "bell\\x07 and \\x9b and \\u202e"


def test_diffs_sides_judge_the_chunks_they_share_once_and_keep_them_for_the_next_diff(tmp_path, cached,
                                                                                    monkeypatch):
    import git

    from tests.helpers_git import commit

    root = _demo(tmp_path, copies=3)
    commit(git.Repo.init(root), "registry")
    judged = _judged(monkeypatch)
    # a change that resolves findings (an asset retired) and introduces one (a lapsed waiver)
    found = json.loads(_check(root, "--format", "json", "--no-cache")[1])["diagnostics"]
    retired = next(d for d in found if d["rule"] == "expired_warranty")
    path = root.parent / retired["file"]
    path.write_text(path.read_text().replace("status: deployed", "status: retired")
                    .replace("status: in_stock", "status: retired"))
    other = next(p for p in sorted((root / "assets").rglob("*.yaml"))
                 if p != path and "status: deployed" in p.read_text())
    other.write_text(other.read_text().rstrip("\n") + "\nwaivers:\n  - rule: eol_passed\n    until: 2025-01-31\n"
                     "    reason: old\n")
    args = ("diff", "--registry", str(root), "--base", "HEAD", "--as-of", AS_OF, "--format", "json")
    expected = run_cli(*args, "--no-cache")
    report = json.loads(expected[1])
    assert report["findings"]["resolved"] and report["findings"]["introduced"]
    asked: list[tuple[bytes, bool] | None] = []  # (chunk, its findings were there already); None: a side
    real, real_findings = factpack.FactStore.chunk_slot, itemwise.findings

    def spy(self, family, chunk, *rest):
        record = real(self, family, chunk, *rest)
        if family == itemwise.FAMILY:
            asked.append((chunk, record is not None and (family,) in record.values))
        return record

    def side(*given):
        asked.append(None)  # the findings of a side are asked for from here on
        return real_findings(*given)

    monkeypatch.setattr(factpack.FactStore, "chunk_slot", spy)
    monkeypatch.setattr(itemwise, "findings", side)
    del judged[:]
    assert run_cli(*args) == expected
    assert asked[0] is None and asked.count(None) == 2
    at = asked.index(None, 1)
    base, head = asked[1:at], asked[at + 1:]
    # a chunk both sides have is judged once, for the base side (the first and last chunks may differ: a
    # revision lists its files in git's order, the working tree top-level files first)
    shared = {chunk for chunk, _ in base} & {chunk for chunk, _ in head}
    assert all(hit for chunk, hit in head if chunk in shared)
    assert not shared or len(judged) < 2 * len(open_registry(root).registry.assets)
    del judged[:], asked[:]
    assert run_cli(*args) == expected
    assert judged == [] and all(entry[1] for entry in asked if entry)  # both sides' findings kept


def test_each_reports_facts_outlive_the_others_saves(tmp_path, cached, monkeypatch):
    """A pack keeps at most KEEP_OLD earlier records, or more (KEEP_RECORDS a chunk of files): check's
    findings must outlive costs' and budget's saves."""
    monkeypatch.setattr(cache, "KEEP_OLD", 1)
    root = _demo(tmp_path, copies=1)
    expected = _check(root)
    for command in ("costs", "budget"):
        assert run_cli(command, "--registry", str(root), "--as-of", AS_OF)[0] == 0
    judged = _judged(monkeypatch)
    assert _check(root) == expected
    assert judged == []


def test_every_reports_facts_outlive_the_others_saves(tmp_path, cached, monkeypatch):
    """check, costs, budget, expiries and diff each keep facts of every chunk (findings, costs rows and
    cells, budget sums and actuals, event rows, diff's figures): run once each, none has any to make again
    when run a second time, however small KEEP_OLD is (KEEP_RECORDS a chunk are kept)."""
    import git

    from tests.helpers_git import commit

    monkeypatch.setattr(cache, "KEEP_OLD", 1)
    root = _demo(tmp_path, copies=1)
    commit(git.Repo.init(root), "registry")
    edited = next(p for p in sorted((root / "assets").rglob("*.yaml")) if "status: deployed" in p.read_text())
    edited.write_text(edited.read_text().replace("status: deployed", "status: in_stock"))
    commands = [("check", "--exit-zero"), ("costs",), ("budget",), ("expiries",), ("diff", "--base", "HEAD")]
    first = [run_cli(*command, "--registry", str(root), "--as-of", AS_OF) for command in commands]
    fresh: list[bytes] = []
    real_save = factpack.FactStore.save

    def save(self):
        fresh.extend(key for key, record in self.records.items() if record.fresh)
        return real_save(self)

    monkeypatch.setattr(factpack.FactStore, "save", save)
    for command, out in zip(commands, first, strict=True):
        assert out[0] in (0, 1) and run_cli(*command, "--registry", str(root), "--as-of", AS_OF) == out
    assert fresh == []
