"""A site built by several MkDocs processes is the site one build makes, byte for byte."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from itamctl.errors import FatalError
from itamctl.site import shards
from itamctl.site.build import build_site, write_files
from tests.helpers_site import HOSTILE, asset_doc, write_registry

pytestmark = pytest.mark.slow


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    assets = [asset_doc(f"A-{i:03d}", f"Device {i}", owner="alice" if i % 2 else "bob") for i in range(12)]
    assets.append(asset_doc("A-999", HOSTILE["img"]))
    licenses = [{"apiVersion": "itam/v1", "kind": "License", "id": "LIC-1", "name": "Suite", "vendor": "acme",
                 "type": "subscription", "seats": 3, "cost": 5, "billing": "monthly", "start": "2025-01-01",
                 "end": "2026-12-31", "renewal": "auto", "assigned_to": ["alice", "A-001"]}]
    return write_registry(root / "registry", assets, licenses=licenses)


@pytest.mark.slow
def test_split_builds_write_the_same_bytes_as_one(registry, tmp_path):
    one = build_site(registry, tmp_path / "one", date(2026, 5, 15), jobs=1)
    expected = files(one.out)
    assert len([f for f in expected if f.startswith("asset/")]) == 13
    for jobs in (2, 3):
        result = build_site(registry, tmp_path / f"jobs{jobs}", date(2026, 5, 15), jobs=jobs)
        assert result.pages == one.pages
        got = files(result.out)
        assert got.keys() == expected.keys(), jobs
        assert [name for name in expected if got[name] != expected[name]] == [], jobs
    index = json.loads(expected["search/search_index.json"])
    pages = [d["location"] for d in index["docs"] if "#" not in d["location"]]
    assert len(pages) == len(set(pages)) and "asset/A-011.html" in pages and "person/alice.html" in pages
    assert not list(tmp_path.glob(".jobs*"))  # no work folders left behind


def test_runs_keep_the_page_order_and_the_first_is_lighter():
    pages = [f"asset/A-{i}.md" for i in range(100)]
    runs = shards.plan(pages, [1] * 100, 2)
    assert runs[0] + runs[1] == pages
    assert 30 < len(runs[0]) < 50  # it also builds the section pages
    three = shards.plan(pages, [1] * 100, 3)
    assert [page for run in three for page in run] == pages and all(three)
    assert shards.plan(pages, [1] * 100, 1) == [pages]


def test_job_count():
    assert shards.job_count(3, 100) == 3
    assert shards.job_count(5, 2) == 2  # no more builds than pages
    assert shards.job_count(0, 100) == 1
    assert shards.job_count(None, 50) == 1  # a small site: one build
    assert 1 <= shards.job_count(None, 100_000) <= shards.MAX_AUTO_JOBS


def _pages() -> list[tuple[str, str]]:
    return [(f"asset/A-{i}.md", f"# A-{i}\n") for i in range(4)]


def test_a_failing_worker_build_is_a_fatal_error(tmp_path):
    def broken_config(folder: Path, docs: Path, site: Path) -> Path:
        path = folder / "mkdocs.yml"
        path.write_text(f"site_name: x\ndocs_dir: {tmp_path / 'missing'}\nsite_dir: {site}\n", encoding="utf-8")
        return path

    with shards.item_builds(_pages(), tmp_path / "docs", tmp_path, ["index.md"], 2, broken_config,
                            write_files) as workers:
        assert (tmp_path / "docs" / "asset" / "A-0.md").is_file()
        assert (tmp_path / "shard-1" / "docs" / "index.md").is_file()
        with pytest.raises(FatalError, match="mkdocs build failed"):
            shards.finish(workers, tmp_path / "site")


def test_workers_stop_when_this_build_fails(tmp_path):
    def any_config(folder: Path, docs: Path, site: Path) -> Path:
        return folder / "does-not-matter.yml"

    with pytest.raises(RuntimeError), shards.item_builds(_pages(), tmp_path / "docs", tmp_path, [], 3,
                                                         any_config, write_files) as workers:
        assert len(workers.processes) == 2
        raise RuntimeError("the section pages failed")
    assert all(process.returncode is not None for process in workers.processes)
