"""Portable file names: the shared helper, the ``portable_file_name`` rule and the importer using it."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL_REGISTRY, run_cli

from itamctl import portable
from itamctl.portable import all_portable, case_collisions, free_name, name_problem, portable_stem


@pytest.mark.parametrize("name", ["CON.yaml", "nul.yaml", "Lpt1.yaml", "COM9.tar.gz", "aux", "CON .yaml",
                                  "a:b.yaml", "a|b.yaml", "what?.yaml", "trailing.", "space ", "tab\t.yaml",
                                  "x" * 252 + ".yaml"])
def test_names_windows_cannot_hold(name):
    assert name_problem(name)


@pytest.mark.parametrize("name", ["LT-0001.yaml", "console.yaml", "CONTRACTS", "nul-devices.yaml", "COM10.yaml",
                                  "people-imported-2.yaml", "café.yaml", ".hidden"])
def test_portable_names(name):
    assert name_problem(name) is None


def test_one_scan_of_all_names_agrees_with_asking_each_name():
    """``all_portable`` (the rule's screen) never passes names ``name_problem`` objects to, alone or among
    others, in paths or not; and it passes clean ASCII names."""
    import random

    bad = ["CON.yaml", "nul.yaml", "Lpt1.yaml", "COM9.tar.gz", "aux", "CON .yaml", "CON", "con  .x", "a:b.yaml",
           "a|b.yaml", "what?.yaml", "trailing.", "space ", "tab\t.yaml", "x" * 252 + ".yaml", "", ".", "..",
           "a\\b", "q\"", "<", "del\x7f", "COM¹.yaml", "conin$.yaml", "CLOCK$"]
    good = ["LT-0001.yaml", "console.yaml", "CONTRACTS", "nul-devices.yaml", "COM10.yaml", "COMX.yaml",
            "xCON.yaml", "a.b.c", "LPT", "people-imported-2.yaml"]
    assert all(name_problem(name) for name in bad) and not any(name_problem(name) for name in good)
    assert all_portable(good) and all_portable(["assets/" + name for name in good]) and all_portable([])
    for name in bad:
        assert not all_portable([*good, name]) and not all_portable([*good, f"assets/{name}/x.yaml"])
    rng = random.Random(5)
    alphabet = "aAcCoOnNuUlLpPtT1239 ._-:|/?*\\$"
    for _ in range(3000):
        names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(3)]
        parts = [part for name in names for part in name.split("/")]
        if all_portable(names):
            assert not any(name_problem(part) for part in parts), names


@pytest.mark.parametrize(("files", "root"), [
    (("assets/a.yaml", "b.yaml"), "."), (("../x/a.yaml", "b.yaml"), "."), (("/abs/a.yaml",), "."),
    (("./a.yaml",), "."), (("a//b.yaml",), "."), (("r/a.yaml", "r/b/c.yaml"), "r"), (("r/a.yaml", "s/b.yaml"), "r"),
    (("/r/a.yaml", "/r/b/c.yaml"), "/r"), (("x/a.yaml",), "/r"), (("r/a\nb.yaml", "r/c.yaml"), "r"),
    (("r/./a.yaml", "r/b.yaml"), "r"), ((), "r")])
def test_files_relative_to_the_registry_as_path_objects_make_them(files, root):
    """The rule cuts the registry's folder off all files at once when it can: the same as relative_to."""
    from pathlib import PurePosixPath

    from itamctl.rules.validation.portable_file_name import _relative

    expected = []
    for file in files:
        try:
            expected.append((file, PurePosixPath(file).relative_to(root).as_posix()))
        except ValueError:
            continue
    assert _relative(files, root) == expected


def test_the_quick_case_check_agrees_with_folding_each_name():
    import random

    rng = random.Random(11)
    for _ in range(2000):
        paths = sorted({"/".join(rng.choice(["a", "A", "b", "B", "ab", "aB"]) for _ in range(rng.randint(1, 3)))
                        for _ in range(rng.randint(1, 5))})
        paths = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]  # a file is no folder
        assert case_collisions(paths) == portable._collisions(paths)
        if portable._no_collision(paths):
            assert portable._collisions(paths) == []
    assert not portable._no_collision(["a/x.yaml", "A/y.yaml"]) and case_collisions(["a/x.yaml", "A/y.yaml"])
    assert portable._no_collision(["a/x.yaml", "b/x.yaml"])


@pytest.mark.parametrize(("stem", "expected"), [("LT-7", "LT-7"), ("CON", "_CON"), ("lpt1.x", "_lpt1.x"),
                                                ("a/b:c", "a_b_c"), ("dots...", "dots"), ("", "_")])
def test_portable_stem(stem, expected):
    assert portable_stem(stem) == expected
    assert name_problem(portable_stem(stem) + ".yaml") is None


def test_free_name_avoids_names_differing_only_by_case(tmp_path):
    (tmp_path / "lt-7.yaml").write_text("")
    assert free_name(tmp_path, "LT-7") == "LT-7-2.yaml"
    assert free_name(tmp_path, "LT-7", taken=["LT-7-2.yaml"]) == "LT-7-3.yaml"
    assert free_name(tmp_path, "NUL") == "_NUL.yaml"
    assert free_name(tmp_path / "missing", "x") == "x.yaml"


def test_case_collisions_of_files_and_folders():
    found = case_collisions(["assets/laptop/a.yaml", "assets/Laptop/b.yaml", "LT-7.yaml", "lt-7.yaml", "x.yaml"])
    assert found == [("assets/Laptop", "assets/laptop"), ("lt-7.yaml", "LT-7.yaml")]


def _portable_findings(registry) -> list[dict]:
    _, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json")
    return [d for d in json.loads(out)["diagnostics"] if d["rule"] == "portable_file_name"]


def test_validate_reports_device_names_and_case_collisions(registry):
    asset = MINIMAL_REGISTRY["assets/LT-0001.yaml"]
    registry.write("assets/CON.yaml", asset.replace("LT-0001", "LT-0002").replace("        owner: alice\n", ""))
    registry.write("assets/lt-0001.yaml", asset.replace("LT-0001", "LT-0003").replace("        owner: alice\n", ""))
    found = _portable_findings(registry)
    files = sorted(d["file"].rsplit("/", 2)[-2:][-1] for d in found)
    assert files == ["CON.yaml", "lt-0001.yaml"]
    assert all(d["severity"] == "warning" for d in found)
    assert any("Windows device name CON" in d["message"] for d in found)
    assert any("only by case" in d["message"] for d in found)


def test_a_clean_registry_has_no_portability_finding(registry):
    assert _portable_findings(registry) == []


def test_import_never_creates_device_names_or_case_twins(registry, tmp_path):
    registry.write("assets/laptop/lt-7.yaml", MINIMAL_REGISTRY["assets/LT-0001.yaml"]
                   .replace("LT-0001", "lt-7").replace("        owner: alice\n", ""))
    csv = tmp_path / "export.csv"
    csv.write_text("Asset Tag,Asset Name,Category,Status\nCON,Console,Laptop,Ready to Deploy\n"
                   "LT-7,Seven,Laptop,Ready to Deploy\nNUL,Null,Laptop,Ready to Deploy\n")
    code, out, _ = run_cli("import", "snipeit", csv, "--registry", registry.root, "--format", "json")
    report = json.loads(out)
    assert code == 0, out
    written = sorted(p.name for p in (registry.root / "assets/laptop").iterdir())
    assert written == ["LT-7-2.yaml", "_CON.yaml", "_NUL.yaml", "lt-7.yaml"]
    assert {c["id"] for c in report["created"]} == {"CON", "LT-7", "NUL"}
    assert not [d for d in report["diagnostics"] if d["rule"] == "portable_file_name"]


def test_license_and_contract_imports_get_portable_names_too(registry, tmp_path):
    csv = tmp_path / "licenses.csv"
    csv.write_text("id,name,type\nCON,Console licence,perpetual\nPrn,Printer drivers,perpetual\n", encoding="utf-8")
    code, out, _ = run_cli("import", "csv", csv, "--kind", "license", "--registry", registry.root, "--format", "json")
    assert code == 0, out
    assert sorted(p.name for p in (registry.root / "licenses").iterdir()) == ["LIC-0001.yaml", "_CON.yaml", "_Prn.yaml"]
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("name,type,start,end\nCom1,service,2024-01-01,2024-12-31\n", encoding="utf-8")
    code, out, _ = run_cli("import", "csv", contracts, "--kind", "contract", "--registry", registry.root,
                           "--format", "json")
    assert code == 0, out
    assert sorted(p.name for p in (registry.root / "contracts").iterdir()) == ["CTR-0001.yaml", "_com1.yaml"]
    assert not [d for d in json.loads(out)["diagnostics"] if d["rule"] == "portable_file_name"]
