"""The test harness: one CLI runner (:func:`run_cli`) and one registry builder (:func:`build_registry`).

Typical use::

    def test_something(registry):
        registry.write("assets/LT-9.yaml", '''
            apiVersion: itam/v1
            kind: Asset
            ...
        ''')
        code, out, err = run_cli("validate", "--registry", str(registry.root))

``registry`` starts out holding :data:`MINIMAL_REGISTRY` (Settings, a Person,
Location and Vendor, and one Asset, License and Contract), which validates with
no findings. ``registry.write`` adds or replaces a file (text is dedented),
``registry.replace(relpath, old, new)`` edits one, ``registry.remove`` deletes one.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from itamctl.cli import cli

REPO_ROOT = Path(__file__).resolve().parent.parent

#: File name -> YAML text of a small registry that validates clean.
MINIMAL_REGISTRY: dict[str, str] = {
    "settings.yaml": """\
        apiVersion: itam/v1
        kind: Settings
        id: settings
        organization: Example Corp
        currency: EUR
        fiscal_year_start: "01-01"
        fx:
          - {date: 2024-01-01, USD: 0.92, GBP: 1.16}
        categories:
          laptop: {depreciation: {method: straight_line, life_months: 36}, warranty_months: 12}
        service_levels:
          standard: {maintenance_factor: 1.0}
        """,
    "people.yaml": """\
        apiVersion: itam/v1
        kind: Person
        id: alice
        name: Alice Example
        email: alice@example.com
        team: Engineering
        """,
    "locations.yaml": """\
        apiVersion: itam/v1
        kind: Location
        id: hq
        name: Headquarters
        address: 1 Main Street
        """,
    "vendors.yaml": """\
        apiVersion: itam/v1
        kind: Vendor
        id: acme
        name: ACME Corp
        url: https://acme.example.com
        """,
    "assets/LT-0001.yaml": """\
        apiVersion: itam/v1
        kind: Asset
        id: LT-0001
        name: Laptop (Alice)
        category: laptop
        status: deployed
        owner: alice
        location: hq
        service_level: standard
        purchase:
          date: 2024-03-15
          cost: 1200.00
          vendor: acme
        warranty:
          end: 2027-03-14
        """,
    "licenses/LIC-0001.yaml": """\
        apiVersion: itam/v1
        kind: License
        id: LIC-0001
        name: Editor subscription
        vendor: acme
        type: subscription
        seats: 5
        cost: 100
        per_seat: true
        billing: yearly
        start: 2024-01-01
        end: 2026-12-31
        renewal: auto
        assigned_to: [alice, LT-0001]
        key_ref: vault://itam/editor
        """,
    "contracts/CTR-0001.yaml": """\
        apiVersion: itam/v1
        kind: Contract
        id: CTR-0001
        name: Laptop support
        vendor: acme
        type: support
        start: 2024-01-01
        end: 2026-12-31
        renewal: manual
        notice_days: 60
        cost: 480
        billing: yearly
        covers: [LT-0001]
        """,
}


class RegistryDir:
    """A registry folder under ``tmp_path`` that tests can edit file by file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relpath: str, text: str, *, dedent: bool = True) -> Path:
        """Add or replace ``relpath`` with ``text`` (dedented unless told not to); returns the file's path."""
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
        return path

    def write_bytes(self, relpath: str, data: bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def replace(self, relpath: str, old: str, new: str) -> Path:
        """Edit one file: replace ``old`` (which must occur) with ``new``."""
        path = self.root / relpath
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relpath}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    def remove(self, relpath: str) -> None:
        (self.root / relpath).unlink()

    def __str__(self) -> str:
        return str(self.root)


def build_registry(root: Path, *documents: str, files: Mapping[str, str] | None = None,
                   dedent: bool = True) -> RegistryDir:
    """The one registry builder of the suite.

    Writes ``files`` (relative path -> YAML text, dedented), then each of
    ``documents`` (one YAML document, dedented) as ``<its id>.yaml`` in
    ``root``. With neither, the folder holds :data:`MINIMAL_REGISTRY`.
    ``dedent=False`` writes ``files`` byte for byte (YAML dumped by a library). The
    helpers of each area (tests/helpers_*.py) keep their own settings and
    reference documents and build through this function.
    """
    root.mkdir(parents=True, exist_ok=True)
    reg = RegistryDir(root)
    for relpath, text in (MINIMAL_REGISTRY if files is None and not documents else files or {}).items():
        reg.write(relpath, text, dedent=dedent)
    for text in documents:
        text = textwrap.dedent(text)
        found = re.search(r"^id:[ \t]*['\"]?([^'\"\s]+)", text, re.MULTILINE)
        assert found, f"a document without an id: {text[:80]!r}"
        reg.write(f"{found.group(1)}.yaml", text)
    return reg


def write_registry(root: Path, files: dict[str, str] | None = None) -> RegistryDir:
    """Write :data:`MINIMAL_REGISTRY` (or ``files``) into ``root`` (an alias of :func:`build_registry`)."""
    return build_registry(root, files=MINIMAL_REGISTRY if files is None else files)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Each test its own itamctl cache folder (never the user's), and the cache off again after it."""
    from itamctl import cache

    monkeypatch.setenv("ITAMCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    cache.set_enabled(False)


@pytest.fixture
def cached():
    """The content cache on (the suite runs with it off), and no store of facts left behind."""
    from itamctl import cache, factpack

    cache.set_enabled(True)
    yield
    cache.set_enabled(False)
    factpack.current = None


@pytest.fixture
def registry(tmp_path: Path) -> RegistryDir:
    """A minimal valid registry in ``tmp_path / "registry"``."""
    return write_registry(tmp_path / "registry")


@pytest.fixture
def repo_root() -> Path:
    """The checkout's root folder (holds ``schemas/``, ``registry/``, ``tests/``)."""
    return REPO_ROOT


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``itamctl *args`` in-process; returns (exit code, stdout, stderr).

    An exception other than ``SystemExit`` is re-raised: a traceback is always a bug.
    ``GITHUB_ACTIONS`` and ``NO_COLOR`` are cleared unless ``env`` sets them.
    """
    base = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "ITAMCTL_REGISTRY": None}
    result = CliRunner().invoke(cli, [str(a) for a in args], env={**base, **(env or {})},
                                catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def chunk_ids(root: Path, registry, edited: Path) -> set[str]:
    """The ids of the assets, licenses and contracts in the chunk of files (:mod:`itamctl.itempack`) that
    holds ``edited``."""
    from itamctl import cache, itempack
    from itamctl.cache import FileCache

    same = FileCache(root, cache.salt())
    by_file: dict[str, list] = {}
    for doc in registry.documents:
        by_file.setdefault(doc.file, []).append(doc)
    keyed = [(same.key(f, cache.blob_id(Path(f).read_bytes())), by_file[f]) for f in registry.files if f in by_file]
    same.close()
    [chunk] = [c for c in itempack.chunks(keyed) if any(Path(docs[0].file) == edited for _, docs in c)]
    files = {docs[0].file for _, docs in chunk}
    return {item.id for item in (*registry.assets, *registry.licenses, *registry.contracts) if item.file in files}


def edit_in_chunk(root: Path, path: Path, text: str) -> set[str]:
    """Write ``text`` to ``path`` (a file of the registry at ``root``): the ids of the assets, licenses and
    contracts in the chunks of files that hold it before and after (an edit can end a chunk at it, or no
    longer: then the chunk after it is made anew too)."""
    from itamctl.pipeline import open_registry

    before = chunk_ids(root, open_registry(root).registry, path)
    path.write_text(text)
    return before | chunk_ids(root, open_registry(root).registry, path)


def demo_copy(tmp_path: Path, copies: int = 0, folders: tuple[str, ...] = ("assets",)) -> Path:
    """The demo registry in ``tmp_path / "registry"``, with ``copies`` more copies of the one-item files in
    ``folders`` (ids suffixed ``-C<n>``, files prefixed ``c<n>-``) so that it spans chunks of files."""
    import shutil

    root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", root)
    originals = [p for folder in folders for p in sorted((root / folder).rglob("*.yaml"))]
    for n in range(copies):
        for path in originals:
            text = path.read_text(encoding="utf-8")
            ids = [line[4:].strip() for line in text.splitlines() if line.startswith("id: ")]
            if len(ids) != 1:
                continue
            target = path.with_name(f"c{n}-{path.name}")
            target.write_text(text.replace(f"id: {ids[0]}", f"id: {ids[0]}-C{n}"), encoding="utf-8")
    return root


def warm_runs_compute_the_edited_chunk_alone(monkeypatch, command: tuple[str, ...], module: object, name: str,
                                            root: Path, edit: Callable[[str], str],
                                            always: set[str] = frozenset(), changed: bool = False) -> None:
    """A warm ``command`` (run once, with the cache on) calls ``module.name`` (a function whose first
    argument is an item) for no item; after ``edit`` of the text of a deployed copy's file, for that item
    and others of its chunk of files alone (:func:`edit_in_chunk`); then for none again. Its output is
    the same as without the cache each time. Items in ``always`` are let be (computed every run), and with
    ``changed`` the edited item (a changed item diff computes on each run)."""
    from itamctl.pipeline import open_registry

    expected = run_cli(*command, "--no-cache")
    assert run_cli(*command) == expected  # makes and keeps every chunk's part
    computed: list[str] = []
    real = getattr(module, name)

    def spy(item, *args, **kwargs):
        if item.id not in always:
            computed.append(item.id)
        return real(item, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    assert run_cli(*command) == expected
    assert computed == []  # every unchanged chunk's part read back
    own = [a for a in open_registry(root).registry.assets if "-C" in a.id and a.status == "deployed"]
    chosen = own[len(own) // 2]
    edited = Path(chosen.file)
    around = edit_in_chunk(root, edited, edit(edited.read_text()))
    now = run_cli(*command, "--no-cache")
    assert now != expected
    del computed[:]
    assert run_cli(*command) == now
    assert chosen.id in computed and set(computed) <= around
    del computed[:]
    assert run_cli(*command) == now
    assert set(computed) <= ({chosen.id} if changed else set())  # and that chunk's part was kept in turn


def same_with_the_cache(*command: str) -> tuple:
    """``command``'s (exit code, stdout, stderr) without the cache, asserted a success and the same from a
    run that fills the cache and from one that reads it back."""
    expected = run_cli(*command, "--no-cache")
    assert expected[0] == 0, expected
    assert run_cli(*command) == expected
    assert run_cli(*command) == expected  # read back
    return expected

