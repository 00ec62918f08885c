"""The pre-commit hook as other repositories use it, run by real pre-commit (`pre-commit try-repo`).

pre-commit comes from the ``test`` extra. ``try-repo`` installs this
repository (its working tree) into a fresh hook environment, exactly as a
``rev:`` pin would (a fresh temporary environment each time), and runs the
hook on what is staged in a temporary repository of a team's registry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import git
import pytest
import yaml
from conftest import REPO_ROOT, run_cli
from helpers_clients import tool

from tests.helpers_tracking import asset, make_registry

REPO = REPO_ROOT
BREAKING_EXTENSION = {
    "properties": {"insurance_policy": {"type": "string", "title": "Insurance policy", "description": "Policy number"}},
    "required": ["insurance_policy"],
}


def _team_repo(root: Path) -> git.Repo:
    make_registry(root / "registry", asset("LT-1"), asset("LT-2"))
    repo = git.Repo.init(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "t").set_value("user", "email", "t@example.com")
    repo.index.add([str(p.relative_to(root)) for p in (root / "registry").rglob("*.yaml")])
    repo.index.commit("registry")
    return repo


def _try_repo(cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("ITAMCTL_REGISTRY", None)
    return subprocess.run([tool("pre-commit"), "try-repo", str(REPO), "itamctl-validate"],
                          cwd=cwd, capture_output=True, text=True, timeout=900, env=env)


def test_the_hook_watches_yaml_schema_extensions_and_settings():
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hook["files"])
    for path in ("registry/assets/LT-1.yaml", "registry/settings.yaml", "registry/people.yml",
                 "registry/schemas/asset.schema.json"):
        assert pattern.search(path), path
    assert not pattern.search("README.md") and not pattern.search("package.json")


@pytest.mark.slow
def test_pre_commit_fails_a_commit_that_only_changes_a_breaking_schema_extension(tmp_path):
    root = tmp_path / "team"
    repo = _team_repo(root)
    home = tmp_path / "pre-commit-home"

    (root / "README.md").write_text("notes\n", encoding="utf-8")
    repo.index.add(["README.md"])
    done = _try_repo(root, home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(no files to check)Skipped" in done.stdout  # a README change does not run the hook

    extension = root / "registry" / "schemas" / "asset.schema.json"
    extension.parent.mkdir()
    extension.write_text(json.dumps(BREAKING_EXTENSION), encoding="utf-8")
    repo.index.add(["registry/schemas/asset.schema.json"])
    done = _try_repo(root, home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "missing required field `insurance_policy`" in done.stdout
    assert "Failed" in done.stdout



def test_the_hook_installs_without_the_site_builder():
    """pre-commit installs the package with its plain dependencies: MkDocs and Material are the `site` extra."""
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["language"] == "python" and "additional_dependencies" not in hook
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]]
    assert not {"mkdocs", "mkdocs-material"} & set(names)
    site = [re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower() for dep in project["optional-dependencies"]["site"]]
    assert {"mkdocs", "mkdocs-material"} <= set(site)


@pytest.mark.slow
def test_pre_commit_run_all_files_in_the_new_repository(tmp_path):
    """The hook init writes runs offline (`repo: local`) with the itamctl on PATH, passes, then catches a bad file."""
    code, _out, err = run_cli("init", tmp_path)
    assert code == 0, err
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path.parent / "pre-commit-home"), "PRE_COMMIT_COLOR": "never",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("ITAMCTL_REGISTRY", None)
    assert shutil.which("itamctl", path=env["PATH"])

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([tool("pre-commit"), "run", "--all-files"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env=env)

    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"itamctl validate\.+Passed", done.stdout), done.stdout
    asset = tmp_path / "registry/assets/laptop/LT-0001.yaml"
    asset.write_text(asset.read_text(encoding="utf-8").replace("status: deployed", "status: lent-out"),
                     encoding="utf-8")
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    done = run()
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"itamctl validate\.+Failed", done.stdout), done.stdout
    assert "registry/assets/laptop/LT-0001.yaml" in done.stdout and "lent-out" in done.stdout
