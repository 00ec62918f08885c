"""The content cache: same output with and without it, reused only when nothing it depends on changed."""

from __future__ import annotations

import itertools
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl import cache, itempack
from itamctl.cache import FileCache


def _packs() -> list[Path]:
    return sorted(Path(os.environ["ITAMCTL_CACHE_DIR"]).glob("files-*.pickle"))


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    return root


COMMANDS = [("validate",), ("check", "--as-of", "2026-11-28", "--exit-zero"), ("costs", "--as-of", "2026-11-28"),
            ("expiries", "--as-of", "2026-11-28"), ("budget", "--as-of", "2026-11-28")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_output_is_byte_identical_with_and_without_the_cache(tmp_path, command):
    root = _demo(tmp_path)
    args = (*command, "--registry", str(root), "--format", "json")
    cold = run_cli(*args, "--no-cache")
    assert _packs() == []
    first = run_cli(*args)
    assert _packs()
    warm = run_cli(*args)
    assert cold == first == warm


def test_a_registry_with_findings_reports_the_same_from_the_cache(registry):
    registry.write("assets/bad.yaml", "apiVersion: itam/v1\nkind: Asset\nid: B-1\nname: B\ncategory: laptopp\n"
                   "status: sold\nowner: nobody\npurchase: {date: 2024-02-30}\n")
    registry.write("broken.yaml", "a: [\n")
    cold = run_cli("validate", "--registry", str(registry.root), "--no-cache")
    assert cold[0] == 1
    assert run_cli("validate", "--registry", str(registry.root)) == cold
    assert run_cli("validate", "--registry", str(registry.root)) == cold


def test_an_edited_file_is_read_again(registry):
    run_cli("validate", "--registry", str(registry.root))
    registry.replace("people.yaml", "name: Alice Example", "name: [1, 2]")
    code, out, _ = run_cli("validate", "--registry", str(registry.root))
    assert code == 1 and "schema.type" in out


def test_unchanged_files_come_from_the_cache(registry):
    cache.set_enabled(True)
    from pathlib import Path

    from itamctl.pipeline import open_registry

    checked = open_registry(registry.root)
    files = [(file, cache.blob_id(Path(file).read_bytes())) for file in checked.registry.files]
    same = FileCache(registry.root, cache.salt())
    item_chunks = itempack.chunks([(same.key(f, b), [f]) for f, b in files])  # and the model items, by chunk
    assert len(same._old) == len(files) + len(item_chunks) and all(same.key(f, b) in same for f, b in files)
    other = FileCache(registry.root, cache.salt([("asset.schema.json", cache.blob_id(b"{}"))]))
    assert not any(other.key(f, b) in other for f, b in files)  # other schemas: nothing matches
    assert all(same.get(same.key(f, b)) is not None for f, b in files) and same.hits == len(files)


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_corrupt_cache_is_ignored_and_replaced(registry, damage):
    expected = run_cli("validate", "--registry", str(registry.root), "--no-cache")
    run_cli("validate", "--registry", str(registry.root))
    (pack,) = _packs()
    raw = pack.read_bytes()
    # None: the right header with a changed payload (the checksum no longer matches)
    raw = raw[:-10] + b"0123456789" if damage is None else damage
    pack.write_bytes(raw)
    assert run_cli("validate", "--registry", str(registry.root)) == expected
    assert pack.read_bytes() != raw


def test_a_schema_extension_change_invalidates_the_cache(registry):
    registry.write("schemas/asset.schema.json", '{"properties": {"tag": {"type": "string"}}, "required": ["tag"]}')
    assert run_cli("validate", "--registry", str(registry.root))[0] == 1
    registry.write("schemas/asset.schema.json", '{"properties": {"tag": {"type": "string"}}}')
    assert run_cli("validate", "--registry", str(registry.root))[0] == 0


def test_an_unwritable_cache_folder_means_no_cache(registry, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ITAMCTL_CACHE_DIR", str(blocker / "cache"))
    assert run_cli("validate", "--registry", str(registry.root))[0] == 0


def test_every_command_that_reads_the_registry_offers_no_cache():
    from itamctl.cli import cli

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    for path, command in walk(cli):
        names = {p.name for p in command.params}
        if "registry" in names:
            assert "no_cache" in names, path


def test_a_registry_read_from_the_cache_does_not_import_the_schema_libraries(registry):
    """Start-up: jsonschema-rs loads only when a file is checked, python-jsonschema (and referencing) only
    when a document fails and must be explained."""
    import subprocess
    import sys

    script = ("import sys\nfrom pathlib import Path\nfrom itamctl import cache\n"
              "from itamctl.pipeline import open_registry\ncache.set_enabled(True)\n"
              "assert open_registry(Path(sys.argv[1])).ok\n"
              "print(sorted(m for m in ('jsonschema', 'jsonschema_rs', 'referencing') if m in sys.modules))\n")
    env = {**os.environ}
    first = subprocess.run([sys.executable, "-c", script, str(registry.root)], capture_output=True, text=True, env=env)
    assert first.stdout.strip() == "['jsonschema_rs']", first.stderr
    again = subprocess.run([sys.executable, "-c", script, str(registry.root)], capture_output=True, text=True, env=env)
    assert again.stdout.strip() == "[]", again.stderr
    registry.replace("people.yaml", "Alice Example", "Alice Exemplary")
    edited = subprocess.run([sys.executable, "-c", script, str(registry.root)], capture_output=True, text=True, env=env)
    assert edited.stdout.strip() == "['jsonschema_rs']", edited.stderr
    registry.replace("people.yaml", "alice@example.com", "alice.example.com")  # a bad e-mail: explained
    broken = subprocess.run([sys.executable, "-c", script.replace("assert open_registry", "assert not open_registry"),
                             str(registry.root)], capture_output=True, text=True, env=env)
    assert broken.stdout.strip() == "['jsonschema', 'jsonschema_rs', 'referencing']", broken.stderr


def _no_racy_window(monkeypatch) -> None:
    """Files just written count as settled (a test cannot make their change time older)."""
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)


def _reads(monkeypatch) -> list[str]:
    """The files the pipeline reads from disk from now on (a spy on the real reader)."""
    from itamctl import pipeline

    seen: list[str] = []
    real = pipeline.read_file

    def spy(path, file, limit):
        seen.append(file)
        return real(path, file, limit)

    monkeypatch.setattr(pipeline, "read_file", spy)
    return seen


def test_an_unchanged_file_is_not_even_read(registry, monkeypatch):
    from itamctl.pipeline import open_registry

    cache.set_enabled(True)
    _no_racy_window(monkeypatch)
    first = open_registry(registry.root)  # reads every file and notes its lstat
    reads = _reads(monkeypatch)
    second = open_registry(registry.root)
    assert reads == []
    assert second.diagnostics == first.diagnostics and second.registry.files == first.registry.files
    registry.replace("people.yaml", "name: Alice Example", "name: Alice Exampel")  # same size, new times
    third = open_registry(registry.root)
    assert reads == [str(registry.root / "people.yaml")]
    assert any(p.name == "Alice Exampel" for p in third.registry.people)


def test_files_changed_just_before_a_run_are_read_again_next_time(registry, monkeypatch):
    from itamctl.pipeline import open_registry

    cache.set_enabled(True)
    then = os.stat(registry.root).st_mtime_ns - 60 * 1_000_000_000
    for path in registry.root.rglob("*.yaml"):  # modified a minute ago, but the change time (ctime) is now
        os.utime(path, ns=(then, then))
    open_registry(registry.root)
    reads = _reads(monkeypatch)
    open_registry(registry.root)
    assert sorted(reads) == sorted(str(p) for p in registry.root.rglob("*.yaml"))  # none trusted by its lstat yet


def test_a_revision_run_keeps_the_working_trees_file_index(registry, monkeypatch):
    import subprocess

    from itamctl.pipeline import open_registry

    cache.set_enabled(True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "r"]):
        subprocess.run(["git", *args], cwd=registry.root, env=env, check=True)
    _no_racy_window(monkeypatch)
    open_registry(registry.root)
    open_registry(registry.root, at="HEAD")  # a revision: no lstat to note, the index stays
    reads = _reads(monkeypatch)
    open_registry(registry.root)
    assert reads == []


def test_diff_sides_share_the_files_they_have_in_common(registry):
    from itamctl.pipeline import open_registry, shared_files

    cache.set_enabled(True)
    with shared_files():
        one = open_registry(registry.root)
        two = open_registry(registry.root)
    assert one.registry.assets and all(a is b for a, b in zip(one.registry.assets, two.registry.assets, strict=True))
    assert one.diagnostics == two.diagnostics
    three = open_registry(registry.root)  # outside: a registry of its own
    assert not any(a is b for a, b in zip(one.registry.assets, three.registry.assets, strict=True))
    assert one.registry.assets == three.registry.assets


def test_entries_are_read_from_the_pack_when_used_and_a_pack_cut_short_meanwhile_only_misses(registry):
    """The pack is checked and listed when opened, not held: an entry is read from the file when it is used.
    A pack cut short after that (another run, a full disk) gives misses, never a wrong or broken entry."""
    from itamctl.pipeline import open_registry

    cold = run_cli("validate", "--registry", str(registry.root), "--format", "json", "--no-cache")
    cache.set_enabled(True)
    open_registry(registry.root)
    [pack] = _packs()
    opened = FileCache(registry.root, cache.salt())
    records = sorted(((key, cache._where(place)) for key, place in opened._old.items()), key=lambda kv: kv[1][0])
    assert len(records) >= 6 and all(isinstance(place, int) for place in opened._old.values())
    first, last = records[0][0], records[-1][0]
    assert opened.get(first) is not None
    with open(pack, "r+b") as handle:  # the last record loses its end
        handle.truncate(records[-1][1][0] + 1)
    assert opened.get(last) is None and opened.get(first) is not None
    opened.save()
    assert FileCache(registry.root, cache.salt())._old == {}  # a pack that no longer checks: ignored as a whole
    assert run_cli("validate", "--registry", str(registry.root), "--format", "json") == cold
    assert FileCache(registry.root, cache.salt())._old  # and written anew


@pytest.mark.parametrize("run_bytes", [1, 300, 1 << 20])
def test_records_kept_from_the_last_pack_are_copied_whole_in_any_order(tmp_path, monkeypatch, run_bytes):
    """The next pack copies the last one's records in runs (one read for records that lie together):
    entries used in another order, dropped, or new in between all come back intact and the pack checks."""
    import random

    monkeypatch.setattr(cache, "_RUN_BYTES", run_bytes)
    root = tmp_path / "registry"
    root.mkdir()
    first = FileCache(root, b"salt")
    keys = [first.key(f"f{i}.yaml", bytes(20)) for i in range(60)]
    for i, key in enumerate(keys):
        first.put(key, ([f"doc {i}" * (i % 7)], [], [[i]]))
    first.save()
    second = FileCache(root, b"salt")
    used = keys[:40]
    random.Random(7).shuffle(used)
    used = used[:10] + sorted(used[10:], key=keys.index)  # a shuffled start, then the pack's own order
    for key in used[:20]:
        assert second.get(key) == ([f"doc {keys.index(key)}" * (keys.index(key) % 7)], [], [[keys.index(key)]])
    new = second.key("new.yaml", bytes(20))
    second.put(new, (["new"], [], []))
    for key in used[20:]:
        assert second.get(key) is not None
    second.save()
    third = FileCache(root, b"salt")
    assert third.get(new) == (["new"], [], [])
    for i, key in enumerate(keys):  # the 20 not used are kept too (at most KEEP_OLD of earlier runs)
        assert third.get(key) == ([f"doc {i}" * (i % 7)], [], [[i]])
    # no bytes that no record owns: a run of old records after a new one starts where its first record does
    # (it once started where the run before the new record had, and copied that run a second time)
    records = sorted(map(cache._where, [*third._old.values(), *([third._stats_at] if third._stats_at else [])]))
    assert [offset for offset, _, _ in records] == list(
        itertools.accumulate((size for _, size, _ in records[:-1]), initial=len(cache.MAGIC)))
    assert third.path.stat().st_size == (len(cache.MAGIC) + sum(size for _, size, _ in records)
                                         + len(records) * cache._INDEX.size + cache._TRAILER.size)
    third.close()


def test_a_damaged_record_is_a_miss_and_only_that_file_is_read_again(registry):
    """Each record is checked when it is read (opening a pack reads only its index): a flipped byte in one
    entry makes that file a miss, parsed again, and the output is the same as without a cache."""
    cold = run_cli("validate", "--registry", str(registry.root), "--format", "json", "--no-cache")
    run_cli("validate", "--registry", str(registry.root))
    [pack] = _packs()
    opened = FileCache(registry.root, cache.salt())
    offset, size, _crc = max(map(cache._where, opened._old.values()), key=lambda where: where[1])  # the largest
    opened.close()
    raw = bytearray(pack.read_bytes())
    raw[offset + size // 2] ^= 0xFF
    pack.write_bytes(bytes(raw))
    damaged = FileCache(registry.root, cache.salt())
    assert len(damaged._old) == len(opened._old)  # the index still checks
    assert sum(damaged._record(where) is None for where in damaged._old.values()) == 1
    damaged.close()
    assert run_cli("validate", "--registry", str(registry.root), "--format", "json") == cold


def test_a_pack_keeps_at_most_keep_old_entries_of_earlier_runs(tmp_path, monkeypatch):
    """Every edit leaves the file's old entry behind; a pack keeps only the last KEEP_OLD of them."""
    monkeypatch.setattr(cache, "KEEP_OLD", 3)
    root = tmp_path / "registry"
    root.mkdir()
    for run in range(8):
        pack = FileCache(root, b"salt")
        for i in range(5):  # five files; the first one edited at every run
            key = pack.key(f"f{i}.yaml", bytes([run if i == 0 else 0]) * 20)
            if pack.get(key) is None:
                pack.put(key, ([run, i], [], []))
        pack.save()
    last = FileCache(root, b"salt")
    assert len(last._old) == 5 + 3
    assert last.get(last.key("f0.yaml", bytes([7]) * 20)) == ([7, 0], [], [])
    assert last.get(last.key("f0.yaml", bytes([4]) * 20)) == ([4, 0], [], [])  # among the last 3 earlier ones
    assert last.get(last.key("f0.yaml", bytes([3]) * 20)) is None
    last.close()


def test_a_diff_keeps_every_entry_its_sides_shared(registry, monkeypatch):
    """diff's head side takes the files it shares with the base from the base side, not the pack: they must
    still be kept. They were not, and a 10^4-file registry's next run parsed 6,000 files again."""
    import subprocess

    monkeypatch.setattr(cache, "KEEP_OLD", 0)
    _no_racy_window(monkeypatch)
    cache.set_enabled(True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=registry.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=registry.root, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=registry.root, check=True)
    assert run_cli("validate", "--registry", str(registry.root))[0] == 0
    registry.replace("people.yaml", "Alice Example", "Alice Exemplary")
    assert run_cli("diff", "--registry", str(registry.root), "--base", "HEAD", "--as-of", "2026-11-28")[0] == 0
    reads = _reads(monkeypatch)
    assert run_cli("validate", "--registry", str(registry.root))[0] == 0
    assert reads == []


def _entry_of(text: str, file: str = "assets/x.yaml"):
    from itamctl.pipeline import _entry
    from itamctl.schema import SchemaValidator

    return _entry(file, text.encode(), SchemaValidator(REPO_ROOT / "registry"), 1 << 20)


def _same_entry(a, b) -> None:
    docs_a, problems_a, found_a = a
    docs_b, problems_b, found_b = b
    assert problems_a == problems_b and found_a == found_b and len(docs_a) == len(docs_b)
    for x, y in zip(docs_a, docs_b, strict=True):
        assert (x.file, x.index, x.clean, x.start) == (y.file, y.index, y.clean, y.start)
        assert repr(x.data) == repr(y.data)  # types too: Decimal('1.50') stays a Decimal with its digits
        assert dict(x.values) == dict(y.values) and dict(x.keys) == dict(y.keys)


ASSET = """apiVersion: itam/v1
kind: Asset
id: A-1
name: Laptop
category: laptop
status: deployed
purchase: {date: 2024-01-15, cost: 1299.50, vendor: dell}
maintenance:
  - {date: 2024-06-01, kind: repair, cost: 80.10}
  - {date: 2024-07-01, kind: upgrade, cost: "12.5 USD"}
tags: [a, b]
"""


def test_a_fast_path_entry_is_marshalled_and_comes_back_the_same_decimals_included():
    entry = _entry_of(ASSET)
    before = repr([d.data for d in entry[0]])
    raw = cache.dump_entry(entry)
    assert raw[:1] == b"M"
    assert repr([d.data for d in entry[0]]) == before  # the Decimals swapped for text are put back
    back = cache.load_entry(raw)
    _same_entry(entry, back)
    assert back[0][0].data["maintenance"][0]["cost"] == Decimal("80.10")
    assert type(back[0][0].data["purchase"]["cost"]) is Decimal


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # an anchor: the composer's document, positions as tables
    "apiVersion: itam/v1\nkind: Asset\nid: A-1\nname: x\ncategory: laptop\nstatus: sold\n",  # a schema finding
    "a: [\n",  # a loader finding
], ids=["composer", "schema finding", "broken"])
def test_other_entries_are_pickled_and_come_back_the_same(text):
    entry = _entry_of(text)
    raw = cache.dump_entry(entry)
    assert raw[:1] == b"P"
    _same_entry(entry, cache.load_entry(raw))


def test_an_entry_with_a_value_marshal_does_not_know_is_pickled():
    import datetime

    entry = _entry_of(ASSET)
    entry[0][0].data["when"] = datetime.date(2024, 1, 1)  # not from the loader, but kept all the same
    raw = cache.dump_entry(entry)
    assert raw[:1] == b"P" and cache.load_entry(raw)[0][0].data["when"] == datetime.date(2024, 1, 1)
    assert type(entry[0][0].data["purchase"]["cost"]) is Decimal


@pytest.mark.parametrize("raw", [b"", b"X123", b"M\x00garbage", b"P\x80\x05garbage"])
def test_bytes_that_are_not_an_entry_raise_and_the_cache_misses_on_them(registry, raw):
    with pytest.raises(Exception):  # noqa: B017 - any error: FileCache.get turns it into a miss
        cache.load_entry(raw)
    opened = FileCache(registry.root, cache.salt())
    opened._new[b"k" * 32] = raw
    assert opened.get(b"k" * 32) is None


def test_a_record_that_does_not_decode_is_replaced_by_the_entry_computed_again(tmp_path):
    """A record the pack holds but that does not decode (an itamctl changed without a new version) is a
    miss; the entry computed instead must be saved over it, or every later run would compute it again."""
    root = tmp_path / "registry"
    root.mkdir()
    first = FileCache(root, b"salt")
    key = first.key("a.yaml", bytes(20))
    first.put(key, None, raw=b"P-not-a-pickle")
    first.save()
    second = FileCache(root, b"salt")
    assert key in second and second.get(key) is None
    second.put(key, ([], [], []))
    second.save()
    third = FileCache(root, b"salt")
    assert third.get(key) == ([], [], [])
    third.close()


def test_a_large_pack_is_not_rewritten_for_a_few_changed_files(tmp_path, monkeypatch):
    """Rewriting the pack costs ~3 us a record, parsing a file again ~0.1 ms: a big pack stays as it is while
    the files to read again are few (they are parsed again next time), and is written once they are many."""
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)  # every file's lstat noted at once
    monkeypatch.setattr(cache, "DEFER_FROM", 20)
    monkeypatch.setattr(itempack, "CHUNK_END", 256)  # each file's model items a chunk of their own
    root = _demo(tmp_path)
    assets = sorted((root / "assets").rglob("*.yaml"))[:12]
    assert len(assets) == 12
    args = ("validate", "--registry", str(root), "--format", "json")
    run_cli(*args)
    [pack] = _packs()
    first = pack.read_bytes()
    records = len(FileCache(root, cache.salt())._old)
    assert records >= 20
    # up to 8 records to make again (an entry, its file's model items, its lstat: 3 a file): not written
    monkeypatch.setattr(cache, "DEFER_SHARE", records // 8)

    def edit(paths, n):
        for path in paths:
            text = path.read_text().split("\nx-edit:")[0].rstrip("\n")
            path.write_text(f"{text}\nx-edit: {n}\n")

    edit(assets[:2], 1)
    expected = run_cli(*args, "--no-cache")
    assert run_cli(*args) == expected
    assert pack.read_bytes() == first  # two files changed (content and lstat): the pack is left as it was
    assert run_cli(*args) == expected  # and they are parsed again
    assert pack.read_bytes() == first
    edit(assets, 2)  # twelve: written
    expected = run_cli(*args, "--no-cache")
    assert run_cli(*args) == expected
    written = pack.read_bytes()
    assert written != first
    assert run_cli(*args) == expected
    assert pack.read_bytes() == written  # every file from the cache: nothing to write
