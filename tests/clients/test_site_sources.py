"""`itamctl site build --keep-sources DIR`: Markdown and an mkdocs.yml that MkDocs and Zensical build as they are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, run_cli

AS_OF = "2026-11-28"


def _keep(tmp_path: Path, registry: Path) -> Path:
    code, _, err = run_cli("site", "build", "--registry", str(registry), "--as-of", AS_OF,
                             "--out", str(tmp_path / "built"), "--keep-sources", str(tmp_path / "sources"))
    assert code == 0, err
    return tmp_path / "sources"


@pytest.mark.slow
def test_kept_sources_have_relative_paths_and_build_with_mkdocs_strict(tmp_path, registry):
    sources = _keep(tmp_path, registry.root)
    config = yaml.safe_load((sources / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    assert (sources / "docs" / "index.md").is_file()
    assert (sources / "docs" / "schemas" / "asset.schema.json").is_file()  # the site publishes the schemas
    moved = shutil.move(sources, tmp_path / "elsewhere")  # nothing points back at where it was written
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run([str(mkdocs), "build", "--strict", "--quiet"], cwd=moved, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (Path(moved) / "site" / "index.html").is_file()
    assert (tmp_path / "built" / "schemas" / "bundled" / "itam.schema.json").is_file()


def test_keep_sources_never_replaces_a_folder_it_did_not_write(tmp_path, registry):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "mine.txt").write_text("keep me\n", encoding="utf-8")
    code, _, err = run_cli("site", "build", "--registry", str(registry.root), "--as-of", AS_OF,
                           "--out", str(tmp_path / "built"), "--keep-sources", str(tmp_path / "sources"))
    assert code == 2 and "--force" in err
    assert (tmp_path / "sources" / "mine.txt").read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.slow
def test_zensical_builds_the_kept_sources(tmp_path, registry):
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.exists():
        if os.environ.get("ITAMCTL_REQUIRE_CLIENTS"):
            pytest.fail("zensical is not installed: it comes with the test extra on Linux x86_64")
        pytest.skip("zensical does not install on this platform")
    sources = _keep(tmp_path, registry.root)
    done = subprocess.run([str(zensical), "build"], cwd=sources, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (sources / "site" / "index.html").is_file()


def test_site_build_without_mkdocs_says_how_to_install_it(tmp_path):
    """The `site` extra is optional: without MkDocs the command says which extra to install."""
    script = ("import sys; sys.modules['mkdocs'] = None; sys.modules['material'] = None\n"
              "from itamctl.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", script, "site", "build", "--registry", str(REPO_ROOT / "registry"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "pip install 'itamctl[site]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
