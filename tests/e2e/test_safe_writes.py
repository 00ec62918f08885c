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

from itamctl import listing, loader
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
    monkeypatch.setattr(listing, "MAX_FILES", 3)
    result = loader.load_registry(registry.root)
    assert len(result.files) == 3
    assert [d.rule for d in result.diagnostics] == ["yaml.too_many_files"]


def test_a_device_or_fifo_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FatalError, match="not a regular file") as info:
        write_atomic(fifo, "x", overwrite=True)
    assert info.value.exit_code == 2 and stat.S_ISFIFO(fifo.stat().st_mode)


# --- targets that are not files: -o, --out, --keep-sources, --summary, init DIRECTORY -----------------

#: Arguments each command needs besides -o (commands that gain -o later are found by the test below).
NEEDS = {"depreciation": ["LT-0001"], "history": ["LT-0001"], "export": ["--format", "csv"]}


def _output_commands() -> list[str]:
    import click

    from itamctl.cli import COMMANDS, load_command

    found = []
    for name in COMMANDS:
        command = load_command(name)
        subcommands = command.commands.items() if isinstance(command, click.Group) else [("", command)]
        for sub, cmd in subcommands:
            if any("-o" in getattr(p, "opts", ()) for p in cmd.params):
                found.append(f"{name} {sub}".strip())
    return found


@pytest.fixture(scope="module")
def repo_registry(tmp_path_factory):
    import git
    from conftest import write_registry
    from helpers_git import commit

    reg = write_registry(tmp_path_factory.mktemp("targets") / "registry")
    commit(git.Repo.init(reg.root.parent), "Initial registry")
    return reg


def _odd_target(tmp_path, kind: str):
    """A path that is not a file itamctl may replace: a FIFO, a device, a folder, a path under a file."""
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        return tmp_path / "pipe"
    if kind == "folder":
        (tmp_path / "folder").mkdir()
        return tmp_path / "folder"
    if kind in ("file", "under a file"):
        (tmp_path / "file").write_text("x")
        return tmp_path / "file" / ("out.txt" if kind == "under a file" else "")
    if kind in ("broken link", "link to a file"):
        if kind == "link to a file":
            (tmp_path / "kept.txt").write_text("keep me")
        (tmp_path / "link").symlink_to(tmp_path / ("kept.txt" if kind == "link to a file" else "nowhere"))
        return tmp_path / "link"
    return {"/dev/null": "/dev/null", "/dev/full": "/dev/full"}[kind]


ODD = ["fifo", "/dev/null", "/dev/full", "folder", "under a file", "broken link", "link to a file"]


def test_every_command_with_o_is_covered():
    assert {"costs", "expiries", "budget", "diff", "history", "depreciation", "export"} <= set(_output_commands())


@pytest.mark.parametrize("kind", ODD)
@pytest.mark.parametrize("name", _output_commands())
def test_o_to_something_that_is_not_a_file_is_refused_in_one_line(repo_registry, tmp_path, name, kind):
    target = _odd_target(tmp_path, kind)
    before = tree(tmp_path)
    for force in ([], ["--force"]):
        code, out, err = run_cli(*name.split(), *NEEDS.get(name, []), "--registry", repo_registry.root,
                                 "--as-of", AS_OF, "-o", target, *force)
        assert (code, out) == (2, ""), err
        assert err.startswith("itamctl: error: ") and err.count("\n") == 1
    assert tree(tmp_path) == before  # nothing written, no temporary file left
    if kind == "fifo":
        assert stat.S_ISFIFO(os.stat(target).st_mode)


@pytest.mark.parametrize("kind", ["fifo", "/dev/null", "file", "under a file", "broken link"])
@pytest.mark.parametrize("option", ["--out", "--keep-sources"])
def test_site_build_refuses_an_out_that_is_not_a_folder_before_writing(registry, tmp_path, option, kind):
    pytest.importorskip("mkdocs")
    work = tmp_path / "work"
    work.mkdir()
    target = _odd_target(work, kind)
    before = tree(work)
    args = ["--out", target] if option == "--out" else ["--out", work / "site", "--keep-sources", target]
    for force in ([], ["--force"]):
        code, out, err = run_cli("site", "build", "--registry", registry.root, "--as-of", AS_OF, *args, *force)
        assert (code, out) == (2, ""), err
        assert err.startswith("itamctl: error: ") and err.count("\n") == 1
    assert tree(work) == before


@pytest.mark.parametrize("kind", ["fifo", "folder", "link", "under a file"])
def test_check_summary_appends_only_to_a_regular_file(registry, tmp_path, kind):
    if kind == "link":
        (tmp_path / "real.md").write_text("kept\n")
        target = tmp_path / "summary.md"
        target.symlink_to(tmp_path / "real.md")
    else:
        target = _odd_target(tmp_path, kind)
    code, out, err = run_cli("check", "--registry", registry.root, "--as-of", AS_OF, "--summary", target)
    assert code in (2, 3) and out == "" and err.startswith("itamctl: error: ") and err.count("\n") == 1
    if kind == "link":
        assert (tmp_path / "real.md").read_text() == "kept\n"


def test_check_summary_appends_and_honours_the_umask(registry, tmp_path):
    target = tmp_path / "summary.md"
    old = os.umask(0o027)
    try:
        for _ in range(2):
            assert run_cli("check", "--registry", registry.root, "--as-of", AS_OF, "--summary", target)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text().count("## itamctl check: passed") == 2


@pytest.mark.parametrize("kind", ["fifo", "/dev/null", "file", "under a file", "broken link"])
def test_init_into_something_that_is_not_a_folder_writes_nothing(tmp_path, kind):
    target = _odd_target(tmp_path, kind)
    before = tree(tmp_path)
    code, out, err = run_cli("init", target, "--no-git")
    assert (code, out) == (2, "") and err.startswith("itamctl: error: ") and err.count("\n") == 1
    assert tree(tmp_path) == before


# --- what itamctl reads besides registry files: schema extensions, import sources ---------------------------

@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "link out of the registry", "link loop", "too large",
                                  "5000 levels deep", "300 levels deep"])
def test_a_schema_extension_is_read_like_a_registry_file(registry, tmp_path, kind):
    """Pull-request content: never waited on (FIFO), endless (/dev/zero), followed out (a secret JSON file
    elsewhere would be quoted in the errors) or recursed into; a one-line fatal error each (exit 3)."""
    ext = registry.root / "schemas" / "asset.schema.json"
    ext.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(ext)
    elif kind == "/dev/zero":
        ext.symlink_to("/dev/zero")
    elif kind == "link out of the registry":
        (tmp_path / "secret.json").write_text('{"properties": {"token": "s3cret"}}')
        ext.symlink_to(tmp_path / "secret.json")
    elif kind == "link loop":
        ext.symlink_to(ext)
    elif kind == "too large":
        ext.write_text('{"properties": {}, "description": "' + "x" * loader.MAX_FILE_BYTES + '"}')
    else:
        depth = int(kind.split()[0])
        ext.write_text('{"properties": {"x": ' + '{"items": ' * depth + "{}" + "}" * depth + "}}")
    for command in (["validate"], ["check", "--as-of", AS_OF], ["costs", "--as-of", AS_OF]):
        code, out, err = run_cli(*command, "--registry", registry.root)
        assert (code, out) == (3, ""), err
        assert err.startswith("itamctl: error: ") and err.count("\n") == 1 and "schema extension" in err
        assert "s3cret" not in err


def test_a_schema_extension_linked_inside_the_registry_is_read(registry):
    (registry.root / "extensions").mkdir()
    (registry.root / "extensions" / "asset.json").write_text('{"properties": {"asset_tag": {"type": "string"}}}')
    (registry.root / "schemas").mkdir()
    (registry.root / "schemas" / "asset.schema.json").symlink_to(registry.root / "extensions" / "asset.json")
    code, out, err = run_cli("validate", "--registry", registry.root)
    assert code == 0, out + err


def _zip_bomb(path):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))  # ~300 KB zipped


SOURCES = [(command, kind) for command in ("snipeit", "csv", "xlsx")
           for kind in ("fifo", "/dev/zero", "/dev/null", "folder", *(("a CSV file", "zip bomb") if command == "xlsx"
                                                                      else ()))]


@pytest.mark.parametrize(("command", "kind"), SOURCES)
def test_an_import_source_that_is_not_a_readable_file_is_a_usage_error(registry, tmp_path, command, kind):
    source = {"/dev/zero": "/dev/zero", "/dev/null": "/dev/null"}.get(kind, tmp_path / "export")
    if kind == "fifo":
        os.mkfifo(source)
    elif kind == "folder":
        source.mkdir()
    elif kind == "a CSV file":
        source.write_text(CSV)
    elif kind == "zip bomb":
        _zip_bomb(source)
    before = tree(registry.root)
    code, out, err = run_cli("import", command, source, "--registry", registry.root)
    assert (code, out) == (2, ""), err
    assert err.startswith("itamctl: error: ") and err.count("\n") == 1
    assert tree(registry.root) == before


def _modes(root):
    return {stat.S_IMODE(p.lstat().st_mode) for p in root.rglob("*") if p.is_file()}, {
        stat.S_IMODE(p.lstat().st_mode) for p in [root, *root.rglob("*")] if p.is_dir()}


def test_every_writing_command_honours_the_umask(registry, tmp_path):
    """Files 0640 and folders 0750 under umask 027: import, init, site build --out and --keep-sources."""
    pytest.importorskip("mkdocs")
    csv = tmp_path / "export.csv"
    csv.write_text(CSV)
    old = os.umask(0o027)
    try:
        assert run_cli("import", "snipeit", csv, "--registry", registry.root)[0] == 0
        assert run_cli("init", tmp_path / "repo", "--no-git")[0] == 0
        code, _, err = run_cli("site", "build", "--registry", registry.root, "--as-of", AS_OF,
                               "--out", tmp_path / "site", "--keep-sources", tmp_path / "sources")
        assert code == 0, err
    finally:
        os.umask(old)
    assert stat.S_IMODE((registry.root / "assets/laptop/LT-0300.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((registry.root / "assets/laptop").stat().st_mode) == 0o750
    for root in ("repo", "site"):
        assert _modes(tmp_path / root) == ({0o640}, {0o750}), root
    # the kept sources: what itamctl writes is new (the copied theme files keep their package modes, as cp does)
    assert stat.S_IMODE((tmp_path / "sources").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "sources/mkdocs.yml").stat().st_mode) == 0o640


def test_import_force_never_updates_through_a_link(registry, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text(CSV)
    assert run_cli("import", "snipeit", csv, "--registry", registry.root)[0] == 0
    written = registry.root / "assets/laptop/LT-0300.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(written.read_bytes())
    written.unlink()
    written.symlink_to(outside)
    csv.write_text(CSV.replace("Spare", "Changed"))
    code, out, err = run_cli("import", "snipeit", csv, "--registry", registry.root, "--force")
    assert code == 2 and "symbolic link" in err and err.count("\n") == 1, out + err
    assert "Changed" not in outside.read_text() and written.is_symlink()
