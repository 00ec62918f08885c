"""``itamctl init``: a real new repository that validates, checks clean and builds its site."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli
from helpers_clients import actionlint

from itamctl.pipeline import open_registry
from itamctl.scaffold import REPO_FILES, TEMPLATES, modeline, planned_files


def toplevel(path: Path) -> Path:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True,
                          check=True)
    return Path(done.stdout.strip()).resolve()


def init(target: Path, *args: str) -> tuple[int, dict]:
    code, out, err = run_cli("init", target, "--format", "json", *args)
    assert err == ""
    return code, json.loads(out)


def test_init_makes_a_repository_that_validates_and_checks_clean(tmp_path):
    target = tmp_path / "inventory"
    code, result = init(target, "--organization", "Acme: \"GmbH\"", "--currency", "GBP")
    assert code == 0, result
    assert result["valid"] and result["diagnostics"] == [] and result["skipped"] == []
    assert result["git_initialised"] is True
    assert toplevel(target) == target.resolve()
    for needed in ("registry/settings.yaml", "registry/assets/laptop/LT-0001.yaml", "schemas/asset.schema.json",
                   ".github/workflows/registry.yml", ".github/workflows/daily-check.yml",
                   ".github/workflows/pages.yml", "site/mkdocs.yml", ".pre-commit-config.yaml",
                   ".vscode/settings.json", "README.md", "requirements.txt"):
        assert needed in result["created"]
        assert (target / needed).is_file()
    assert "Acme: \"GmbH\"" in (target / "README.md").read_text(encoding="utf-8")
    code, out, _ = run_cli("validate", "--registry", target / "registry", "--format", "json")
    assert code == 0, out
    code, out, _ = run_cli("check", "--registry", target / "registry", "--as-of", date.today().isoformat())
    assert code == 0, out
    assert "0 errors, 0 warnings" in out
    reg = open_registry(target / "registry").registry
    assert reg.settings.currency == "GBP"
    assert all(len(getattr(reg, kind)) == 1 for kind in ("assets", "licenses", "contracts", "people", "locations",
                                                         "vendors"))


def test_every_modeline_names_a_schema_file_that_exists(tmp_path):
    init(tmp_path)
    files = sorted((tmp_path / "registry").rglob("*.yaml"))
    assert len(files) == 7
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match.group(1)).resolve().is_file(), (path, match.group(1))
    assert modeline("assets/laptop/X.yaml", "asset.schema.json").endswith("=../../../schemas/asset.schema.json")
    assert modeline("people.yaml", "itam.schema.json").endswith("=../schemas/itam.schema.json")


def test_vscode_settings_map_every_registry_file_to_the_kind_dispatching_schema(tmp_path):
    init(tmp_path)
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))
    [(schema, globs)] = settings["yaml.schemas"].items()
    assert (tmp_path / schema).is_file() and schema.endswith("itam.schema.json")
    assert "registry/**/*.yaml" in globs


def test_init_never_overwrites_and_lists_what_it_skipped(tmp_path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    code, result = init(tmp_path)
    assert code == 0
    assert result["skipped"] == ["README.md"] and result["git_initialised"] is False
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "ours\n"
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts}
    code, result = init(tmp_path)
    assert result["created"] == [] and len(result["skipped"]) == len(before)
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert toplevel(tmp_path) == tmp_path.resolve()


def test_init_into_a_folder_with_a_broken_settings_reports_the_error(tmp_path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry/settings.yaml").write_text("apiVersion: itam/v1\nkind: Settings\nid: settings\n",
                                                      encoding="utf-8")
    code, out, _err = run_cli("init", tmp_path, "--no-git")
    assert code == 1
    assert "registry/settings.yaml" in out and "validation error" in out
    assert not (tmp_path / ".git").exists()


def test_a_bad_currency_is_a_usage_error(tmp_path):
    code, _out, err = run_cli("init", tmp_path / "x", "--currency", "euro")
    assert code == 2 and "ISO 4217" in err
    assert not (tmp_path / "x").exists()


def test_init_does_not_write_through_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "repo"
    target.mkdir()
    (target / "schemas").symlink_to(outside, target_is_directory=True)
    code, _out, err = run_cli("init", target, "--no-git")
    assert code == 2 and "symbolic link" in err and len(err.splitlines()) == 1
    assert list(outside.iterdir()) == [] and sorted(p.name for p in target.iterdir()) == ["schemas"]


@pytest.mark.parametrize("template", sorted(t for t in REPO_FILES if t.startswith("workflows/")))
def test_actionlint_accepts_the_workflow_templates(template):
    done = subprocess.run([actionlint(), "-oneline", str(TEMPLATES / template)], capture_output=True, text=True,
                          timeout=120, cwd=TEMPLATES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflows_init_writes_are_the_package_templates(tmp_path):
    written = dict(planned_files(date(2026, 1, 1), organization="X", currency="EUR"))
    for template, target in REPO_FILES.items():
        if template.startswith("workflows/"):
            assert written[target] == (TEMPLATES / template).read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_new_repository_builds_its_site(tmp_path):
    init(tmp_path)
    code, out, err = run_cli("site", "build", "--registry", tmp_path / "registry", "--out", tmp_path / "site/build",
                             "--format", "json")
    assert code == 0, err
    assert json.loads(out)["assets"] == 1
    assert (tmp_path / "site/build/index.html").is_file()
    editing = (tmp_path / "site/build/editing.html").read_text(encoding="utf-8")
    for line in ("$schema=../schemas/itam.schema.json", "$schema=../../schemas/license.schema.json",
                     "$schema=../../../schemas/asset.schema.json"):
        assert line in editing  # the How to edit page: right for each folder depth
    # ... and the format reference's complete example of each kind, shown as written
    from itamctl.reference import EXAMPLES

    for kind, path in EXAMPLES.items():
        assert f"registry/{path}" in editing, kind
    assert "key_ref: vault://itam/jetbrains      # a pointer; never the key itself" in editing
    assert "$schema=../schemas/settings.schema.json" in editing


@pytest.mark.slow
def test_site_build_uses_the_repositorys_own_mkdocs_yml(tmp_path):
    """A team customises its site in site/mkdocs.yml: a real `mkdocs build` through `itamctl site build` reads it."""
    init(tmp_path)
    config = tmp_path / "site/mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "itamctl site build --registry registry` reads this" in text
    config.write_text(text.replace("primary: indigo", "primary: teal")
                      + "copyright: Run by the Example IT team\n"
                      + "extra_javascript:\n  - javascripts/tables.js\n  - !ENV [TEAM_SCRIPT, javascripts/tables.js]\n",
                      encoding="utf-8")
    code, _out, err = run_cli("site", "build", "--registry", tmp_path / "registry", "--out", tmp_path / "out")
    assert code == 0, err
    index = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "Run by the Example IT team" in index
    assert 'data-md-color-primary="teal"' in index
    # The site name is still the organisation from Settings, not the file's placeholder.
    assert "<title>Example Organisation" in index or "Example Organisation" in index

    config.write_text("theme: [unclosed\n", encoding="utf-8")
    code, _out, err = run_cli("site", "build", "--registry", tmp_path / "registry", "--out", tmp_path / "out")
    assert code == 2 and f"{config}:" in err and "cannot read the site configuration" in err
    assert (tmp_path / "out/index.html").read_text(encoding="utf-8") == index  # the old site is kept
