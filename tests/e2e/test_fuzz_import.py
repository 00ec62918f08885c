"""A bounded fuzz run of the writing commands: ``import snipeit`` / ``import csv`` over hostile CSV exports,
and ``init`` into odd targets (strategies in tests/helpers_fuzz.py).

CSV: a byte-order mark, NUL bytes, fields past the CSV field limit, formula cells, control characters,
CR / CRLF / LF row ends, hostile header names, amounts and dates out of every range. ``init``: hostile
folder and organisation names, and targets holding files, folders, FIFOs and links where it writes.

Each example runs in one fresh process: no traceback, a documented exit code, nothing unescaped, memory
bounded, nothing written outside the registry (or the new repository), no existing file changed, a dry
run writes nothing, and what an import wrote reads back (no ``yaml.*`` finding).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from conftest import write_registry
from helpers_fuzz import FUZZ, PIECES, hostile, run_batch, snapshot
from helpers_output import assert_safe
from hypothesis import example, given
from hypothesis import strategies as st

COLUMNS = ["Asset Tag", "Asset Name", "Category", "Status", "Purchase Cost", "Purchase Date", "Serial", "Model",
           "Manufacturer", "Location", "Checked Out To", "Email", "Supplier", "Warranty", "Warranty Expires",
           "Notes", "serial", "purchase.cost", "warranty.end", "id"]
SPECIAL_CELLS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "$1,299.00", "1.299,00 €",
                 "9" * 30, "1e999999", "-5", "0.0000000001", "2024-03-15", "0001-01-01", "9999-12-31",
                 "31/12/9999", "13/13/2024", "Deployed", "Lost/Stolen", "CON", "lt-7", "LT-7", "..", "../x", ""]
cells = st.one_of(hostile, st.sampled_from(SPECIAL_CELLS), st.sampled_from(PIECES),
                  st.sampled_from([1000, 131_073]).map(lambda n: "x" * n), st.text(max_size=12))


@st.composite
def csv_exports(draw) -> bytes:
    columns = draw(st.lists(st.sampled_from(COLUMNS) | hostile, min_size=1, max_size=8))
    if draw(st.integers(0, 4)):  # mostly with the column Snipe-IT requires, so rows are read
        columns = ["Asset Tag", *columns]
    rows = draw(st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), max_size=5))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerows([columns, *rows])
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    return data


def _yaml_problems(run) -> list[str]:
    return [d["rule"] for d in json.loads(run.out)["diagnostics"] if d["rule"].startswith("yaml.")]


@FUZZ
@given(data=csv_exports(), name=st.sampled_from(["export.csv", "x\n::error::y.csv", "\u202e.csv"]),
       github=st.booleans())
@example(data=b"\xef\xbb\xbfAsset Tag,Asset Name,Purchase Cost\r\nLT-1,\"a\r\n::error::x\",99999999999999999\r\n"
              b"=cmd,@alice <b>,1e999999\r\n", name="x\n::error::y.csv", github=True)
def test_fuzz_import_hostile_csv(data, name, github):
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-import-") as tmp:
        tmp = Path(tmp)
        export = tmp / name
        export.write_bytes(data)
        roots = {key: write_registry(tmp / key).root for key in ("snipeit", "csv", "dry")}
        before = snapshot(tmp)
        env = {"GITHUB_ACTIONS": "true"} if github else None
        jobs = [(["import", "snipeit", export, "--registry", roots["snipeit"]], env),
                (["import", "csv", export, "--registry", roots["csv"], "--format", "json"], env)]
        jobs += [(["import", cmd, export, "--registry", roots["dry"], "--dry-run", "--format", fmt], env)
                 for cmd in ("snipeit", "csv") for fmt in ("text", "json")]
        jobs += [(["validate", "--registry", roots[key], "--format", "json"], None) for key in ("snipeit", "csv")]
        runs = run_batch(jobs)
        for run in runs[:-2]:
            assert run.code in (0, 1, 2), (run.args, run.err)
            fmt = run.args[run.args.index("--format") + 1] if "--format" in run.args else "text"
            assert_safe(run.out, fmt, github=github)
            assert_safe(run.err, "text", github=github)
            if run.code == 2:
                assert run.out == "" and run.err.count("\n") == 1, run.err
        for run in runs[-2:]:  # what was written reads back
            assert run.code in (0, 1) and not _yaml_problems(run), (run.args, run.out)
        after = snapshot(tmp)
        assert {k: after.get(k) for k in before} == before  # nothing existing changed or removed
        new = set(after) - set(before)
        assert all(p.startswith(("snipeit/", "csv/")) for p in new), new  # only inside the two imported registries


ODD = ["nothing", "a file where README.md goes", "a folder where README.md goes", "a FIFO as registry/settings.yaml",
       "registry linked outside", "schemas linked outside", "a link as .gitignore"]
folder_names = st.one_of(st.sampled_from(["repo", "x\n::error::y", "-rf", "\u202e", "CON", " a ", "@alice", "é"]),
                         hostile.filter(lambda s: "/" not in s and "\x00" not in s and s not in (".", "..")))


@FUZZ
@given(folder=folder_names, odd=st.sampled_from(ODD), organization=hostile,
       currency=st.sampled_from(["EUR", "usd", "€", "EURO", "\x1b[2J"]), github=st.booleans())
@example(folder="x\n::error::y", odd="registry linked outside", organization="::add-mask::k", currency="EUR",
         github=True)
def test_fuzz_init_into_odd_targets(folder, odd, organization, currency, github):
    with tempfile.TemporaryDirectory(prefix="itamctl-fuzz-init-") as tmp:
        tmp = Path(tmp)
        target, elsewhere = tmp / "work" / folder, tmp / "elsewhere"
        target.mkdir(parents=True)
        elsewhere.mkdir()
        if odd == "a file where README.md goes":
            (target / "README.md").write_text("ours\n")
        elif odd == "a folder where README.md goes":
            (target / "README.md").mkdir()
        elif odd == "a FIFO as registry/settings.yaml":
            (target / "registry").mkdir()
            os.mkfifo(target / "registry" / "settings.yaml")
        elif odd == "registry linked outside":
            (target / "registry").symlink_to(elsewhere, target_is_directory=True)
        elif odd == "schemas linked outside":
            (target / "schemas").symlink_to(elsewhere, target_is_directory=True)
        elif odd == "a link as .gitignore":
            (target / ".gitignore").symlink_to(elsewhere / "gitignore")
        existing = snapshot(target)
        outside = snapshot(tmp, skip=target)
        env = {"GITHUB_ACTIONS": "true"} if github else None
        [run, check] = run_batch([
            (["init", "--no-git", "--organization", organization, "--currency", currency, "--", target], env),
            (["validate", "--registry", target / "registry", "--format", "json"], None)])
        assert run.code in (0, 1, 2), run.err
        assert_safe(run.out, "text", github=github)
        assert_safe(run.err, "text", github=github)
        assert snapshot(tmp, skip=target) == outside and list(elsewhere.iterdir()) == []  # nothing outside
        after = snapshot(target)
        assert {k: v for k, v in after.items() if k in existing} == existing  # nothing replaced
        if run.code == 2:
            assert run.err.count("\n") == 1 and after == existing  # refused: nothing written at all
        else:
            assert check.code in (0, 1) and json.loads(check.out)["summary"]["files"] > 0
