"""``itamctl validate`` end to end: exit codes, formats, options, and no traceback on any input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_REGISTRY, REPO_ROOT, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from itamctl import __version__
from itamctl.pipeline import open_registry


def test_clean_registry_exits_0(registry):
    assert run_cli("validate", "--registry", registry.root) == (0, "0 errors, 0 warnings in 7 files\n", "")


def test_findings_exit_1_with_file_line_and_rule(registry):
    registry.replace("assets/LT-0001.yaml", "purchase:", "purchse:")
    code, out, err = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert err == ""
    assert out == (f"{registry.root}/assets/LT-0001.yaml:10:1: error [schema.unknown_field] "
                   "unknown field `purchse` (did you mean `purchase`?)\n"
                   "1 error, 0 warnings in 7 files\n")


def test_warnings_alone_exit_0(registry):
    registry.write("notes.yaml", "# nothing here yet\n")
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 0
    assert out.endswith("0 errors, 1 warning in 8 files\n")


def test_default_registry_is_the_registry_folder_of_the_working_directory(registry, monkeypatch):
    monkeypatch.chdir(registry.root.parent)
    registry.write("assets/LT-0001.yaml", "- a list\n")
    code, out, _ = run_cli("validate")
    assert code == 1
    assert out.startswith("registry/assets/LT-0001.yaml:1:1: error [yaml.not_mapping] ")


def test_registry_from_the_environment(registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("validate", env={"ITAMCTL_REGISTRY": str(registry.root)})
    assert (code, out) == (0, "0 errors, 0 warnings in 7 files\n")


def test_missing_registry_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("validate", "--registry", "nowhere")
    assert (code, out) == (2, "")
    assert err == ("itamctl: error: registry folder not found: nowhere "
                   "(pass --registry PATH or run from the folder that holds registry/)\n")
    code, _, err = run_cli("validate")
    assert code == 2
    assert "registry folder not found: registry" in err


def test_registry_that_is_a_file_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("reg.yaml").write_text("a: 1\n")
    code, _, err = run_cli("validate", "--registry", "reg.yaml")
    assert code == 2
    assert err == "itamctl: error: not a folder: reg.yaml\n"


def test_empty_registry_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("registry").mkdir()
    code, out, _ = run_cli("validate")
    assert code == 1
    assert "registry: error [registry_empty] no *.yaml or *.yml files in the registry folder" in out
    assert "[settings_missing]" in out


@pytest.mark.parametrize("args", [
    ["validate", "--format", "xml"],
    ["validate", "--no-such-option"],
    ["validate", "extra-argument"],
    ["no-such-command"],
])
def test_bad_usage_exits_2(registry, args):
    code, out, err = run_cli(*args, "--registry", registry.root) if args[0] == "validate" else run_cli(*args)
    assert code == 2
    assert out == ""
    [line] = err.splitlines()  # one line, however click words it
    assert line.startswith("itamctl: error: ") and "--help')" in line


def test_json_format(registry):
    registry.replace("assets/LT-0001.yaml", "status: deployed", "status: broken")
    code, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["diagnostics"] == [{
        "file": f"{registry.root}/assets/LT-0001.yaml", "line": 6, "column": 9, "rule": "schema.enum",
        "severity": "error",
        "message": "`status` is 'broken'; expected one of planned, ordered, in_stock, deployed, in_repair, "
                   "retired, disposed",
    }]
    assert payload["summary"] == {"error": 1, "warning": 0, "notice": 0, "files": 7}
    code, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json",
                           env={"GITHUB_ACTIONS": "true"})
    assert json.loads(out)["summary"]["error"] == 1


def test_github_format_is_chosen_under_github_actions(registry):
    registry.write("assets/LT-0001.yaml", "id: [unclosed\n")
    file = f"{registry.root}/assets/LT-0001.yaml".replace(":", "%3A").replace(",", "%2C")
    code, out, _ = run_cli("validate", "--registry", registry.root, env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={file},line=2,col=1,title=itamctl [yaml.syntax]::")
    # an explicit --format wins; other values of GITHUB_ACTIONS do not switch
    _, out, _ = run_cli("validate", "--registry", registry.root, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert not out.startswith("::")
    _, out, _ = run_cli("validate", "--registry", registry.root, env={"GITHUB_ACTIONS": "false"})
    assert not out.startswith("::")
    _, out, _ = run_cli("validate", "--registry", registry.root, "--format", "github")
    assert out.startswith("::error ")


def test_no_colour_when_not_on_a_terminal(registry):
    registry.write("x.yaml", "")
    _, out, _ = run_cli("validate", "--registry", registry.root)
    assert "\x1b[" not in out


def test_version_and_help():
    code, out, _ = run_cli("--version")
    assert (code, out) == (0, f"itamctl, version {__version__}\n")
    code, out, _ = run_cli("--help")
    assert code == 0 and "validate" in out
    code, out, _ = run_cli("validate", "-h")
    assert code == 0
    for option in ("--registry", "--format", "Exit status"):
        assert option in out


@pytest.mark.slow
def test_python_dash_m_help_and_version():
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.run([sys.executable, "-m", "itamctl", "--help"], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: itamctl ")
    proc = subprocess.run([sys.executable, "-m", "itamctl", "--version"], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=env, check=False)
    assert proc.stdout == f"itamctl, version {__version__}\n"


SCRIPT = Path(sys.executable).parent / "itamctl"


@pytest.mark.slow
def test_the_console_script_on_a_binary_file(registry):
    # the test set-up (dev.py test, pip install -e '.[test]') always installs the console script:
    # a missing one is a packaging regression, not a reason to skip
    assert SCRIPT.exists(), f"{SCRIPT} is missing: the [project.scripts] entry point did not install"
    (registry.root / "bad.yaml").write_bytes(b"\x00\x01binary")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.run([str(SCRIPT), "validate", "--registry", str(registry.root)], capture_output=True,
                          text=True, env=env, check=False)
    assert proc.returncode == 1
    assert f"{registry.root}/bad.yaml:1: error [yaml.encoding]" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.slow
def test_the_console_script_flushes_everything_before_it_leaves(tmp_path):
    # main() leaves without the interpreter's teardown: every byte must still be out, with the right exit code
    assert SCRIPT.exists(), f"{SCRIPT} is missing: the [project.scripts] entry point did not install"
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    demo = str(REPO_ROOT / "registry")
    for args, code in ((["costs", "--as-of", "2026-11-28", "--format", "csv"], 0),
                       (["validate"], 0), (["check", "--as-of", "2026-11-28", "--format", "json"], 1)):
        expected = run_cli(*args, "--registry", demo)
        out = tmp_path / "out"
        with out.open("wb") as stream:  # a file, not a pipe: nothing reads while it is written
            proc = subprocess.run([str(SCRIPT), *args, "--registry", demo], stdout=stream, stderr=subprocess.PIPE,
                                  env=env, check=False)
        assert (proc.returncode, out.read_text(encoding="utf-8")) == (code, expected[1]), args
        assert expected[0] == code
    proc = subprocess.run([str(SCRIPT), "validate", "--registry", str(tmp_path / "none")], capture_output=True,
                          text=True, env=env, check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("itamctl: error: registry folder not found")


# --- property-based: whatever the documents hold, validation never raises ----------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["2024-02-30", "2024-01-01", "10.00 USD", "-1 EUR", "laptop", "alice",
                                           "LT-0001", "acme", "hq", "vault://x/y", "subscription", "disposed"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def _documents() -> dict[str, dict]:
    return {name: yaml.safe_load(textwrap.dedent(text)) for name, text in MINIMAL_REGISTRY.items()}


def _paths(value, path=()):
    if path:
        yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*path, i))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(target=st.sampled_from(sorted(MINIMAL_REGISTRY)), data=st.data())
def test_validation_never_raises_on_mutated_documents(target, data):
    """Replace 1-3 values anywhere in one document (or add top-level fields) with random data."""
    docs = _documents()
    doc = docs[target]
    extra = [("purchase",), ("disposal",), ("fx",), ("categories",), ("maintenance",), ("end",), ("waivers",)]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([*_paths(doc), *extra]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent, dict | list) else {}
        if isinstance(parent, dict) or (isinstance(parent, list) and isinstance(path[-1], int)):
            parent[path[-1]] = data.draw(VALUES)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, content in docs.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        checked = open_registry(root)
    for d in checked.diagnostics:
        assert d.file and d.rule and d.message
