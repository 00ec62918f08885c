"""Every fatal error is ONE line on stderr, however hostile the data it quotes (issue 11 class 2 and 7).

A line break, a CR, a forged workflow command or a terminal sequence in a
schema extension's property name, a file or folder name, a git revision or an
option value is shown escaped (``\\n``, ``\\x1b``) in ``itamctl: error: ...``,
and click's own usage errors take the same form instead of a usage block.
"""

from __future__ import annotations

import json

import git
import pytest
from conftest import run_cli, write_registry
from helpers_git import commit
from helpers_output import assert_safe

HOSTILE = "x\n::error file=a::forged\r::add-mask::k\x1b]52;c;eA==\x07\u2028##[error]v1"
SHOWN = "x\\n::error file=a::forged\\r::add-mask::k\\x1b]52;c;eA==\\x07\\u2028##"  # then [ or \[


@pytest.fixture(scope="module")
def repo_registry(tmp_path_factory):
    reg = write_registry(tmp_path_factory.mktemp("fatal") / "registry")
    commit(git.Repo.init(reg.root.parent), "Initial registry")
    return reg


def one_line_error(args, *, code: int | tuple[int, ...] = 2) -> str:
    """Run ``itamctl *args`` under GitHub Actions and in a terminal; the error is one safe line both times."""
    for github in (True, False):
        got, out, err = run_cli(*args, env={"GITHUB_ACTIONS": "true"} if github else None)
        assert got in ((code,) if isinstance(code, int) else code), (got, err)
        assert out == ""
        [line] = err.splitlines()
        assert err == line + "\n" and line.startswith("itamctl: error: ")
        assert_safe(err, "text", github=github)
    return line


ID_AND_OPTION_CASES = {
    "show ID": ["show", HOSTILE],
    "depreciation ID": ["depreciation", HOSTILE],
    "history ID": ["history", HOSTILE],
    "list KIND": ["list", HOSTILE],
    "--as-of": ["expiries", "--as-of", HOSTILE],
    "--within": ["expiries", "--within", HOSTILE],
    "--format": ["costs", "--format", HOSTILE],
    "--fail-above": ["diff", "--fail-above", HOSTILE],
    "--years": ["budget", "--years", HOSTILE],
    "an extra argument": ["validate", HOSTILE],
    "set FIELD=VALUE": ["set", "LT-0001", HOSTILE],
    "--at": ["validate", "--at", HOSTILE],
    "diff --base": ["diff", "--base", HOSTILE],
    "diff --head": ["diff", "--head", HOSTILE],
    "history --rev": ["history", "LT-0001", "--rev", HOSTILE],
    "--map": ["import", "csv", "missing.csv", "--map", HOSTILE],
}


@pytest.mark.parametrize("args", ID_AND_OPTION_CASES.values(), ids=ID_AND_OPTION_CASES.keys())
def test_ids_revisions_and_option_values_are_quoted_on_one_line(repo_registry, args):
    line = one_line_error([*args, "--registry", repo_registry.root])
    assert SHOWN in line or "'\\x07" in line or "\\u2028" in line  # the value, shown escaped (or its tail)


@pytest.mark.parametrize("args", [["--no-such-option"], ["no-such-command"], ["schema", HOSTILE],
                                  ["init", "x", "--currency", HOSTILE], ["site", "build", "--out", HOSTILE]])
def test_commands_without_a_registry_too(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    line = one_line_error(args, code=(2, 3))
    assert "(see '" in line or "--currency" in line or "kind" in line or "registry" in line


def test_a_registry_folder_and_csv_file_with_line_breaks_in_their_names(tmp_path):
    line = one_line_error(["costs", "--registry", tmp_path / HOSTILE])
    assert "registry folder not found" in line and SHOWN in line
    reg = write_registry(tmp_path / "registry")
    line = one_line_error(["import", "snipeit", tmp_path / f"{HOSTILE}.csv", "--registry", reg.root])
    assert "no such CSV file" in line and SHOWN in line


def test_a_schema_extension_property_name(tmp_path):
    reg = write_registry(tmp_path / "registry")
    reg.write("schemas/asset.schema.json", json.dumps({"properties": {HOSTILE: {"type": "nope"}}}))
    for command in (["validate"], ["check"], ["costs"]):
        line = one_line_error([*command, "--registry", reg.root], code=3)
        assert "invalid schema extension" in line and SHOWN in line


def test_validation_errors_that_stop_a_report_are_listed_on_the_same_line(tmp_path):
    """A value and a file name with line breaks, in the fatal 'fix them first' list (exit 1)."""
    reg = write_registry(tmp_path / "registry")
    reg.replace("assets/LT-0001.yaml", "status: deployed", f"status: {json.dumps(HOSTILE)}")
    reg.write(f"assets/{HOSTILE}.yaml", "kind: Nope\n")
    line = one_line_error(["costs", "--registry", reg.root], code=1)
    assert "validation error(s)" in line and line.count("[schema.") == 3 and SHOWN in line


def test_a_missing_exchange_rate_names_a_file_whose_folder_holds_a_line_break(tmp_path):
    reg = write_registry(tmp_path / f"reg{HOSTILE}")
    reg.replace("assets/LT-0001.yaml", "cost: 1200.00", 'cost: "1200 CHF"')
    for command in (["costs"], ["depreciation", "LT-0001"], ["budget"]):
        line = one_line_error([*command, "--registry", reg.root, "--as-of", "2026-01-01"], code=1)
        assert "fx_missing_rate" in line and "\\n::error" in line


def test_a_library_warning_is_one_escaped_line_too(tmp_path):
    """openpyxl warns about a worksheet extension it drops; Python would print it with a line of its source."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Asset Tag", "Asset Name", "Category", "Status"])
    book.active.append(["LT-0300", "Spare", "Laptop", "Ready to Deploy"])
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(tmp_path / "ext.xlsx", "w") as workbook:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"/>'
                                                     b"</extLst></worksheet>")
            workbook.writestr(info, data)
    reg = write_registry(tmp_path / "registry")
    code, _, err = run_cli("import", "xlsx", tmp_path / "ext.xlsx", "--registry", reg.root, "--dry-run",
                           env={"GITHUB_ACTIONS": "true"})
    assert code == 0
    assert err == ("itamctl: warning: UserWarning: Conditional Formatting extension is not supported "
                   "and will be removed\n")
