"""A warm run's unchanged files: model items from the cache, documents left packed until read.

The items must be the very items ``from_document`` makes (equal, each with its
own document), for the registry's currency; an edit rebuilds the items of the
chunk of files it is in and no other; what does not load is built again.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli
from test_cache import ASSET

from itamctl import cache, itempack
from itamctl.cache import FileCache
from itamctl.loader import Document, parse_text
from itamctl.packed import PackedDocument, pack_document, packed_document
from itamctl.pipeline import open_registry

KINDS = ("assets", "licenses", "contracts", "people", "locations", "vendors")


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    return root


def _synthetic(tmp_path: Path, n: int = 300) -> Path:
    root = _demo(tmp_path)
    for i in range(n):
        (root / "assets" / f"S-{i:04d}.yaml").write_text(
            f"apiVersion: itam/v1\nkind: Asset\nid: S-{i:04d}\nname: Spare {i}\ncategory: laptop\n"
            f"status: in_stock\nowner: alice\nlocation: hq\n"
            f"purchase: {{date: 2025-01-{1 + i % 28:02d}, cost: {900 + i}.25, vendor: dell}}\n")
    return root


def _unpacked(documents) -> set[tuple[str, int]]:
    return {(d.file, d.index) for d in documents if isinstance(d, PackedDocument) and d._packed is None}


def _keyed(same: FileCache, files, documents) -> list[tuple[bytes, list]]:
    """(cache key, documents) of each file, as the pipeline chunks them."""
    by_file: dict[str, list] = {}
    for doc in documents:
        by_file.setdefault(doc.file, []).append(doc)
    return [(same.key(f, cache.blob_id(Path(f).read_bytes())), by_file[f]) for f in files if f in by_file]


def _items(registry) -> dict[str, tuple]:
    return {kind: getattr(registry, kind) for kind in KINDS}


def test_a_warm_run_takes_items_from_the_cache_and_unpacks_only_what_it_reads(tmp_path, cached):
    root = _demo(tmp_path)
    cache.set_enabled(False)
    cold = open_registry(root)
    cache.set_enabled(True)
    open_registry(root)  # fills the cache
    warm = open_registry(root)
    assert _items(warm.registry) == _items(cold.registry)  # the same items (a document is not compared) ...
    assert warm.diagnostics == cold.diagnostics
    docs = warm.registry.documents
    by_place = {(d.file, d.index): d for d in docs}
    for kind in KINDS:
        for item in getattr(warm.registry, kind):
            assert by_place[item.doc.file, item.doc.index] is item.doc and item.doc.id == item.id  # its own document
    # a file with a finding is pickled whole (its documents are not packed); most files have none
    assert sum(isinstance(d, PackedDocument) for d in docs) > len(docs) // 2
    # unpacked: only the Settings (read every run), documents a finding points into, or that hold text the
    # secret rule looks at
    flagged = {d.file for d in warm.diagnostics}
    read = {(d.file, d.index) for d in docs if d.file in flagged or not d.clean or d.kind == "Settings"}
    assert _unpacked(docs) <= read
    assert len(_unpacked(docs)) < len(docs) // 2


def test_an_edit_builds_again_the_items_of_its_chunk_only(tmp_path, cached):
    root = _synthetic(tmp_path)
    open_registry(root)
    edited = root / "assets" / "S-0150.yaml"
    edited.write_text(edited.read_text() + "serial: X-1\n")
    warm = open_registry(root)
    cache.set_enabled(False)
    assert _items(warm.registry) == _items(open_registry(root).registry)
    files = warm.registry.files
    same = FileCache(root, cache.salt())
    keyed = _keyed(same, files, warm.registry.documents)
    same.close()
    [chunk] = [c for c in itempack.chunks(keyed) if any(docs[0].file.endswith("S-0150.yaml") for _, docs in c)]
    rebuilt = {docs[0].file for _, docs in chunk} - {str(edited)}  # the edited file is parsed again
    assert len(itempack.chunks(keyed)) > 3
    flagged = {d.file for d in warm.diagnostics}
    docs = warm.registry.documents
    unpacked = {file for file, _ in _unpacked(docs)}
    # a file the composer parsed (the demo's people.yaml) is kept whole, its documents never packed: which
    # chunk it falls in depends on the keys, which depend on tmp_path
    packed = {d.file for d in docs if isinstance(d, PackedDocument)}
    assert (rebuilt & packed) - flagged <= unpacked  # from_document read them
    assert len(rebuilt & packed) >= len(rebuilt) - 1
    assert unpacked <= rebuilt | flagged | {d.file for d in docs if not d.clean or d.kind == "Settings"}


def test_a_currency_change_builds_the_items_again_with_it(tmp_path, cached):
    root = _demo(tmp_path)
    open_registry(root)
    settings = root / "settings.yaml"
    text = settings.read_text()
    assert "currency: EUR" in text
    settings.write_text(text.replace("currency: EUR", "currency: USD"))
    warm = open_registry(root)
    cache.set_enabled(False)
    cold = open_registry(root)
    assert _items(warm.registry) == _items(cold.registry)
    costs = [a.purchase.cost for a in warm.registry.assets if a.purchase and a.purchase.cost]
    assert costs and {c.currency for c in costs} >= {"USD"}


def test_items_that_do_not_load_are_built_again(tmp_path, cached):
    root = _demo(tmp_path)
    expected = run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28", "--no-cache")
    checked = open_registry(root)
    files = checked.registry.files
    same = FileCache(root, cache.salt())
    keyed = _keyed(same, files, checked.registry.documents)
    for chunk in itempack.chunks(keyed):
        same.put_record(itempack.key(same, chunk, checked.registry.settings.currency), b"not a pickle", 1000)
    same.save()
    assert run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28") == expected
    assert run_cli("costs", "--registry", str(root), "--as-of", "2026-11-28") == expected


def test_output_is_the_same_cold_warm_and_after_an_edit(tmp_path, cached):
    root = _synthetic(tmp_path, 120)
    commands = [("validate", "--format", "json"), ("check", "--as-of", "2026-11-28", "--exit-zero"),
                ("costs", "--as-of", "2026-11-28"), ("budget", "--as-of", "2026-11-28")]
    for step in range(3):
        for command in commands:
            expected = run_cli(*command, "--registry", str(root), "--no-cache")
            assert run_cli(*command, "--registry", str(root)) == expected
            assert run_cli(*command, "--registry", str(root)) == expected
        path = root / "assets" / f"S-{step * 40:04d}.yaml"
        path.write_text(path.read_text() + f"serial: E-{step}\n")


def _packed(text: str = ASSET) -> tuple[Document, PackedDocument]:
    [doc], problems = parse_text(text, "a.yaml")
    assert not problems
    return doc, packed_document(*pack_document(doc))


def test_a_packed_document_is_the_document_it_was_packed_from():
    doc, packed = _packed()
    assert (packed.kind, packed.id) == ("Asset", "A-1") and packed._packed is not None  # known without unpacking
    assert packed == doc and doc == packed
    assert packed._packed is None  # compared: unpacked
    assert repr(packed.data) == repr(doc.data) and packed.start == doc.start and packed.clean == doc.clean
    for path in [("purchase", "cost"), ("maintenance", 0, "cost"), ("nowhere",), ()]:
        assert packed.position(path) == doc.position(path) and packed.position(path, key=True) == doc.position(
            path, key=True)
    assert dict(packed.values) == dict(doc.values) and dict(packed.keys) == dict(doc.keys)


@pytest.mark.parametrize("unpacked_first", [False, True])
def test_a_packed_document_starts_where_its_document_did(unpacked_first):
    """Its start is made from its first mark when asked for (not when it is made), before or after unpacking."""
    text = "# a comment\n\napiVersion: itam/v1\nkind: Person\nid: p1\nname: A\n---\n  kind: Person\n  id: p2\n"
    documents, _ = parse_text(text, "people.yaml")
    for doc in documents:
        packed = packed_document(*pack_document(doc))
        assert (packed.id, packed.kind) == (doc.id, doc.kind)
        if unpacked_first:
            assert packed.data == doc.data and packed._packed is None
        assert packed.start == doc.start and packed.start.line in (3, 8)
        assert packed.start is packed.start  # made once


@pytest.mark.parametrize("read", ["data", "values", "keys", "position", "pickle", "repr"])
def test_whatever_reads_a_packed_document_gets_what_the_document_had(read):
    doc, packed = _packed()
    got = {"data": lambda d: repr(d.data), "values": lambda d: dict(d.values), "keys": lambda d: dict(d.keys),
           "position": lambda d: d.position(("maintenance", 0, "kind")),
           "pickle": lambda d: pickle.loads(pickle.dumps(d)), "repr": repr}[read]
    assert got(packed) == got(doc)


def test_a_file_of_many_documents_is_a_chunk_of_its_own():
    """An edit of a small file beside a 1,666-person people.yaml must not build all those people again."""
    small = [(bytes([200]) + bytes(31), ["doc"]) for _ in range(10)]
    big = (bytes([200]) + bytes(31), ["doc"] * itempack.OWN_CHUNK)
    found = itempack.chunks([*small[:4], big, *small[4:]])
    assert [big] in found and sum(len(c) for c in found) == 11
    ends = [(bytes([0]) + bytes(31), ["doc"])]  # a key below CHUNK_END ends its chunk
    assert itempack.chunks([*small[:2], *ends, *small[2:4]]) == [[*small[:2], *ends], small[2:4]]
