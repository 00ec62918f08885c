"""Writes stay where they belong: never through a link, never outside the registry or -o, atomic, right mode.

And the loader's side of the same notion of "inside": links that loop, FIFOs
named ``*.yaml`` and too many files are findings, never a traceback or a hang.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest
from conftest import run_cli

from itamctl import loader
from itamctl.errors import FatalError
from itamctl.fileio import check_inside, inside, write_atomic

AS_OF = "2026-11-01"
CSV = "Asset Tag,Asset Name,Category,Status\nLT-0300,Spare,Laptop,Ready to Deploy\n"


def tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_import_refuses_a_category_folder_linked_outside_the_registry(registry, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (registry.root / "assets/laptop").symlink_to(outside, target_is_directory=True)
    csv = tmp_path / "export.csv"
    csv.write_text(CSV)
    before = tree(registry.root)
    code, out, err = run_cli("import", "snipeit", csv, "--registry", registry.root)
    assert code == 2, (out, err)
    assert "symbolic link" in err and err.count("\n") == 1
    assert list(outside.iterdir()) == []
    assert tree(registry.root) == before
    code, _, err = run_cli("import", "snipeit", csv, "--registry", registry.root, "--dry-run")
    assert code == 2 and "symbolic link" in err


@pytest.mark.parametrize("relpath", ["../x.yaml", "/etc/x.yaml", "a/../../x.yaml", "", "a\\..\\x"])
def test_paths_that_are_not_plainly_inside_are_refused(tmp_path, relpath):
    with pytest.raises(FatalError) as info:
        check_inside(tmp_path, relpath)
    assert info.value.exit_code == 2


def test_inside_follows_links_and_survives_loops(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "in.yaml").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/link.yaml").symlink_to(tmp_path / "in.yaml")
    assert not inside(tmp_path / "a.yaml", tmp_path)
    assert inside(tmp_path / "sub/link.yaml", tmp_path)
    assert not inside(tmp_path / "sub/link.yaml", tmp_path / "sub")


def test_output_file_honours_the_umask_and_keeps_an_existing_mode(registry, tmp_path):
    target = tmp_path / "costs.csv"
    old = os.umask(0o027)
    try:
        assert run_cli("costs", "--registry", registry.root, "--as-of", AS_OF, "--format", "csv", "-o", target)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    target.chmod(0o604)
    assert run_cli("costs", "--registry", registry.root, "--as-of", AS_OF, "--format", "csv", "-o", target,
                   "--force")[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_output_through_a_symbolic_link_is_refused(registry, tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("keep me")
    link = tmp_path / "out.csv"
    link.symlink_to(kept)
    code, _, err = run_cli("costs", "--registry", registry.root, "--as-of", AS_OF, "-o", link, "--force")
    assert code == 2 and "symbolic link" in err and err.count("\n") == 1
    assert kept.read_text() == "keep me" and link.is_symlink()


def test_output_under_a_file_is_a_one_line_usage_error(registry, tmp_path):
    (tmp_path / "file").write_text("x")
    code, out, err = run_cli("expiries", "--registry", registry.root, "--as-of", AS_OF,
                             "-o", tmp_path / "file/sub/x.txt")
    assert (code, out) == (2, "")
    assert err.startswith("itamctl: error: cannot create") and err.count("\n") == 1


def test_a_failing_write_leaves_nothing_behind(registry, tmp_path):
    """A real failing write: the file-size limit (as a full disk) makes write() fail with EFBIG."""
    out = tmp_path / "out"
    out.mkdir()
    script = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
        from itamctl.cli import main
        sys.argv = ["itamctl", *sys.argv[1:]]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script, "costs", "--registry", str(registry.root), "--as-of", AS_OF,
                           "--format", "json", "-o", str(out / "costs.json")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(f"itamctl: error: cannot write {out / 'costs.json'}: File too large")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert list(out.iterdir()) == []


def test_write_atomic_never_replaces_unless_asked(tmp_path):
    target = tmp_path / "x.txt"
    write_atomic(target, "one")
    with pytest.raises(FatalError, match="already exists"):
        write_atomic(target, "two")
    write_atomic(target, "two", overwrite=True)
    assert target.read_text() == "two" and sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


# --- the loader's side ---------------------------------------------------------

def _rules(registry) -> dict[str, list[str]]:
    _, out, _ = run_cli("validate", "--registry", registry.root, "--format", "json")
    found: dict[str, list[str]] = {}
    for d in json.loads(out)["diagnostics"]:
        found.setdefault(d["rule"], []).append(d["file"].rsplit("/", 1)[-1])
    return found


def test_a_symbolic_link_loop_between_two_files_is_a_finding(registry):
    (registry.root / "a.yaml").symlink_to(registry.root / "b.yaml")
    (registry.root / "b.yaml").symlink_to(registry.root / "a.yaml")
    found = _rules(registry)
    assert sorted(found["yaml.symlink"]) == ["a.yaml", "b.yaml"]
    for name in ("costs", "expiries", "budget"):
        assert run_cli(name, "--registry", registry.root, "--as-of", AS_OF)[0] == 0


def test_a_fifo_named_yaml_is_skipped_not_waited_on(registry):
    os.mkfifo(registry.root / "pipe.yaml")
    done = subprocess.run([sys.executable, "-m", "itamctl", "validate", "--registry", str(registry.root)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pipe.yaml: warning [yaml.not_a_file]" in done.stdout


def test_the_number_of_files_is_bounded(registry, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILES", 3)
    result = loader.load_registry(registry.root)
    assert len(result.files) == 3
    assert [d.rule for d in result.diagnostics] == ["yaml.too_many_files"]


def test_a_device_or_fifo_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FatalError, match="not a regular file") as info:
        write_atomic(fifo, "x", overwrite=True)
    assert info.value.exit_code == 2 and stat.S_ISFIFO(fifo.stat().st_mode)
