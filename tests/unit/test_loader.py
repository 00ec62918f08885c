"""The safe YAML loader: file discovery, the YAML 1.2 subset, positions, and every bad input."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itamctl import loader
from itamctl.diagnostics import Severity
from itamctl.loader import MAX_DEPTH, MAX_FILE_BYTES, Position, load_file, load_registry, parse_text


def parse_one(text: str):
    docs, problems = parse_text(text, "f.yaml")
    assert problems == []
    assert len(docs) == 1
    return docs[0]


def problem(text: str):
    """The single diagnostic that ``text`` produces."""
    _docs, problems = parse_text(text, "f.yaml")
    assert len(problems) == 1, problems
    d = problems[0]
    assert d.file == "f.yaml"
    assert d.severity is Severity.ERROR
    return d


def test_uses_libyaml():
    assert loader._Parser is yaml.cyaml.CParser


# --- the YAML 1.2 core schema, no implicit types beyond it --------------------------


def test_scalars_follow_yaml_1_2():
    data = parse_one(
        "date: 2024-03-15\nstamp: 2024-03-15T10:00:00Z\nno: no\nyes: yes\non: on\noff: off\n"
        "y: y\nint: 42\nneg: -7\noct: 0o17\nhex: 0x1F\nold_octal: 017\ndec: 2499.00\nexp: 1e3\n"
        "t: true\nf: False\nnull: null\ntilde: ~\nempty:\nquoted: '42'\ndq: \"true\"\n"
        "sexagesimal: 1:20\nversion: 1.2.3\n"
    ).data
    assert data == {
        "date": "2024-03-15", "stamp": "2024-03-15T10:00:00Z",
        "no": "no", "yes": "yes", "on": "on", "off": "off", "y": "y",
        "int": 42, "neg": -7, "oct": 15, "hex": 31, "old_octal": 17,
        "dec": Decimal("2499.00"), "exp": Decimal("1e3"),
        "t": True, "f": False, "null": None, "tilde": None, "empty": None,
        "quoted": "42", "dq": "true", "sexagesimal": "1:20", "version": "1.2.3",
    }
    assert not any(isinstance(v, float) for v in data.values())


def test_block_scalars_and_flow_collections():
    data = parse_one("a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: [1, x, {d: 2}]\n").data
    assert data == {"a": "line 1\nline 2\n", "b": "folded text", "c": [1, "x", {"d": 2}]}


def test_merge_keys_are_not_interpreted():
    assert parse_one("a:\n  <<: {b: 1}\n").data == {"a": {"<<": {"b": 1}}}


# --- positions ------------------------------------------------------------------------


def test_records_line_and_column_of_every_key_and_value():
    doc = parse_one(
        "# comment\n"
        "id: LT-1\n"
        "purchase:\n"
        "  date: 2024-03-15\n"
        "  cost:   100\n"
        "tags: [a, b]\n"
        "maintenance:\n"
        "  - date: 2025-01-01\n"
        "    kind: repair\n"
    )
    assert doc.start == Position(2, 1)
    assert doc.keys[("id",)] == Position(2, 1)
    assert doc.values[("id",)] == Position(2, 5)
    assert doc.keys[("purchase", "date")] == Position(4, 3)
    assert doc.values[("purchase", "date")] == Position(4, 9)
    assert doc.values[("purchase", "cost")] == Position(5, 11)
    assert doc.values[("tags", 1)] == Position(6, 11)
    assert doc.values[("maintenance", 0)] == Position(8, 5)
    assert doc.keys[("maintenance", 0, "kind")] == Position(9, 5)
    assert doc.values[("maintenance", 0, "kind")] == Position(9, 11)
    # every key and value has a position
    assert set(doc.keys) == {("id",), ("purchase",), ("purchase", "date"), ("purchase", "cost"), ("tags",),
                             ("maintenance",), ("maintenance", 0, "date"), ("maintenance", 0, "kind")}
    assert all(("\0key" not in path) for path in doc.values)


def test_position_falls_back_to_the_nearest_enclosing_part():
    doc = parse_one("id: x\npurchase:\n  date: 2024-01-01\n")
    assert doc.position(("purchase", "cost")) == Position(3, 3)  # the purchase mapping
    assert doc.position(("purchase", "date"), key=True) == Position(3, 3)
    assert doc.position(("nothing", "here")) == Position(1, 1)
    d = doc.diagnostic(("purchase", "date"), "some_rule", "msg")
    assert (d.file, d.line, d.column, d.rule) == ("f.yaml", 3, 9, "some_rule")


def test_multi_document_file_keeps_each_documents_lines(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("# people\n---\nid: a\nname: A\n---\nid: b\nname: B\n...\n---\nid: c\n", encoding="utf-8")
    docs, problems = load_file(path, "people.yaml")
    assert problems == []
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert [d.index for d in docs] == [0, 1, 2]
    assert [d.position(("name",)).line for d in docs[:2]] == [4, 7]
    assert docs[2].start.line == 10


def test_a_bad_document_does_not_hide_the_next_one():
    docs, problems = parse_text("id: a\n---\nid: b\nid: c\n---\n- x\n---\nid: d\n", "f.yaml")
    assert [d.id for d in docs] == ["a", "d"]
    assert [(p.rule, p.line) for p in problems] == [("yaml.duplicate_key", 4), ("yaml.not_mapping", 6)]


def test_bom_and_crlf_load_with_correct_line_numbers(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf# header\r\nid: x\r\npurchase:\r\n  date: 2024-01-01\r\n  cost: 5\r\n")
    docs, problems = load_file(path, "crlf.yaml")
    assert problems == []
    doc = docs[0]
    assert doc.data == {"id": "x", "purchase": {"date": "2024-01-01", "cost": 5}}
    assert doc.keys[("id",)] == Position(2, 1)
    assert doc.values[("purchase", "date")] == Position(4, 9)
    assert doc.values[("purchase", "cost")] == Position(5, 9)


def test_bom_and_crlf_in_a_registry_point_at_the_right_line(registry):
    text = (registry.root / "assets" / "LT-0001.yaml").read_text(encoding="utf-8")
    text = text.replace("status: deployed", "status: deploid")
    registry.write_bytes("assets/LT-0001.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert f"{registry.root}/assets/LT-0001.yaml:6:9: error [schema.enum]" in out


# --- bad input: each class becomes a diagnostic with a rule and (where one exists) a line ---


@pytest.mark.parametrize(("text", "rule", "line", "column", "words"), [
    ("a: 1\nb: 2\na: 3\n", "yaml.duplicate_key", 3, 1, "first defined at line 1"),
    ("a:\n  x: 1\n  x: 2\n", "yaml.duplicate_key", 3, 3, "duplicate key 'x'"),
    ("a: &x 1\nb: *x\n", "yaml.anchor", 1, 4, "anchors (&x)"),
    ("a: 1\nb: *x\n", "yaml.alias", 2, 4, "aliases"),
    ("a: !!str 1\n", "yaml.tag", 1, 4, "tags"),
    ("a: !!timestamp 2024-01-01\n", "yaml.tag", 1, 4, "tags"),
    ("a: !custom x\n", "yaml.tag", 1, 4, "tags (!custom)"),
    ("!!map\na: 1\n", "yaml.tag", 1, 1, "tags"),
    ("a: 1\nb:\n\tc: 2\n", "yaml.syntax", 3, 1, "indent with spaces, not tabs"),
    ("a:\n  b: 1\n\tc: 2\n", "yaml.syntax", 3, 1, "indent with spaces, not tabs"),
    ("- a\n- b\n", "yaml.not_mapping", 1, 1, "not a list"),
    ("just text\n", "yaml.not_mapping", 1, 1, "not a single value"),
    ("a: .nan\n", "yaml.number", 1, 4, "non-finite"),
    ("a: [-.inf]\n", "yaml.number", 1, 5, "non-finite"),
    ("a: .Inf\n", "yaml.number", 1, 4, "non-finite"),
    ("? [a]\n: 1\n", "yaml.key", 1, 3, "plain scalars"),
    ("{a: 1}: 2\n", "yaml.key", 1, 1, "plain scalars"),
    ("a: [1, 2\nb: 3\n", "yaml.syntax", 2, 2, "flow sequence"),
    ("a: 'unterminated\n", "yaml.syntax", 2, 1, "quoted scalar"),
    ("a: \x07\n", "yaml.syntax", 1, 4, "control characters"),
    ("a: b: c\n", "yaml.syntax", 1, 5, "mapping values are not allowed"),
    ("a: 1\n\ud800: 2\n", "yaml.encoding", 2, None, "not valid Unicode"),
])
def test_bad_yaml_is_a_diagnostic(text, rule, line, column, words):
    d = problem(text)
    assert (d.rule, d.line, d.column) == (rule, line, column), d
    assert words in d.message


def test_deep_nesting_is_refused_without_recursion_errors():
    d = problem("a: " + "[" * 100 + "]" * 100)
    assert (d.rule, d.line, d.column) == ("yaml.depth", 1, 4 + MAX_DEPTH)
    d = problem("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)))
    assert (d.rule, d.line) == ("yaml.depth", MAX_DEPTH + 1)
    # far deeper: libyaml's own limit (1000 flow levels) answers first; still a diagnostic
    d = problem("a: " + "[" * 50000 + "]" * 50000)
    assert d.rule in ("yaml.depth", "yaml.syntax") and d.line == 1
    # exactly at the limit is fine
    parse_one("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))


@pytest.mark.parametrize(("data", "line", "column", "words"), [
    (b"a: 1\nb: caf\xe9\n", 2, 7, "invalid UTF-8 (byte 0xe9)"),
    (b"\xff\xfea\x00:\x00", 1, None, "NUL bytes"),  # UTF-16
    (b"a: 1\nb: 2\n\x00\x01\x02binary", 3, None, "NUL bytes"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, None, "NUL bytes"),
    (b"a: \xed\xa0\x80\n", 1, 4, "invalid UTF-8"),  # an encoded surrogate
])
def test_binary_and_non_utf8_files(tmp_path, data, line, column, words):
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    docs, problems = load_file(path, "bad.yaml")
    assert docs == []
    assert [(p.rule, p.line, p.column) for p in problems] == [("yaml.encoding", line, column)]
    assert words in problems[0].message


@pytest.mark.parametrize("content", ["", "\n\n", "   \n", "# only a comment\n# and another\n", "---\n", "---\n...\n",
                                     "\ufeff"])
def test_empty_and_comment_only_files_are_a_warning(tmp_path, content):
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    docs, problems = load_file(path, "empty.yaml")
    assert docs == []
    assert [(p.rule, p.severity) for p in problems] == [("yaml.empty", Severity.WARNING)]


def test_an_empty_file_does_not_fail_validation(registry):
    registry.write("empty.yaml", "# nothing yet\n")
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 0
    assert f"{registry.root}/empty.yaml: warning [yaml.empty]" in out


def test_oversized_file_is_refused_before_reading(tmp_path, registry):
    big = registry.root / "big.yaml"
    line = b"- " + b"x" * 1000 + b"\n"
    with big.open("wb") as fh:
        fh.write(b"notes:\n")
        for _ in range(MAX_FILE_BYTES // len(line) + 2):
            fh.write(line)
    assert big.stat().st_size > 2 * 1024 * 1024
    docs, problems = load_file(big, "big.yaml")
    assert docs == []
    assert [(p.rule, p.line) for p in problems] == [("yaml.too_large", None)]
    assert str(MAX_FILE_BYTES) in problems[0].message
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 1
    assert f"{big}: error [yaml.too_large]" in out


def test_a_file_just_under_the_limit_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    body = "notes: |\n" + "  " + "y" * 98 + "\n"
    path.write_text(body * 1 + ("  " + "y" * 98 + "\n") * ((MAX_FILE_BYTES - 200) // 101), encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    docs, problems = load_file(path)
    assert problems == [] and len(docs) == 1


def test_unreadable_path(tmp_path):
    path = tmp_path / "folder.yaml"
    path.mkdir()
    docs, problems = load_file(path, "folder.yaml")
    assert docs == []
    assert [(p.rule, p.file, p.line) for p in problems] == [("yaml.unreadable", "folder.yaml", None)]
    assert "cannot read file" in problems[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    _docs, problems = load_file(path, "secret.yaml")
    assert [(p.rule, p.file) for p in problems] == [("yaml.unreadable", "secret.yaml")]


# --- discovery -----------------------------------------------------------------------


def test_reads_yaml_and_yml_recursively_and_skips_the_rest(tmp_path):
    root = tmp_path / "reg"
    (root / "a" / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "one.yaml").write_text("id: one\n")
    (root / "a" / "two.yml").write_text("id: two\n---\nid: three\n")
    (root / "a" / "b" / "four.yaml").write_text("id: four\n")
    (root / "a" / "readme.md").write_text("id: no\n")
    (root / "a" / "data.json").write_text("{}")
    (root / ".hidden.yaml").write_text("id: hidden\n")
    (root / ".git" / "x.yaml").write_text("id: git\n")
    result = load_registry(root)
    assert result.diagnostics == []
    assert [d.id for d in result.documents] == ["one", "two", "three", "four"]
    assert [Path(f).name for f in result.files] == ["one.yaml", "two.yml", "four.yaml"]


def test_symlinks_leaving_the_registry_are_not_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.yaml").write_text("id: outside-file\n")
    (outside / "nested.yaml").write_text("id: outside-folder\n")
    root = tmp_path / "reg"
    root.mkdir()
    (root / "inside.yaml").write_text("id: inside\n")
    (root / "link-to-file.yaml").symlink_to(outside / "passwd.yaml")
    (root / "link-to-folder").symlink_to(outside, target_is_directory=True)
    (root / "alias.yaml").symlink_to(root / "inside.yaml")  # stays inside: followed
    monkeypatch.chdir(tmp_path)
    result = load_registry(Path("reg"))
    assert sorted(d.id for d in result.documents) == ["inside", "inside"]
    found = sorted((d.file, d.rule, d.severity, d.line) for d in result.diagnostics)
    assert found == [
        ("reg/link-to-file.yaml", "yaml.symlink", Severity.WARNING, None),
        ("reg/link-to-folder", "yaml.symlink", Severity.WARNING, None),
    ]
    assert "not followed" in result.diagnostics[0].message


def test_symlink_warning_does_not_fail_validation(registry, tmp_path):
    (tmp_path / "elsewhere.yaml").write_text("apiVersion: itam/v1\nkind: Vendor\nid: evil\nname: Evil\n")
    (registry.root / "vendors-link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    code, out, _ = run_cli("validate", "--registry", registry.root)
    assert code == 0
    assert "warning [yaml.symlink] symbolic link to a file outside the registry; not followed" in out


def test_a_broken_symlink_is_reported_not_raised(tmp_path):
    root = tmp_path / "reg"
    root.mkdir()
    (root / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    result = load_registry(root)
    assert result.documents == []
    assert [d.rule for d in result.diagnostics] in (["yaml.symlink"], ["yaml.unreadable"])


@pytest.mark.slow
def test_a_large_file_loads_whole(tmp_path):
    """About 1.5 MiB of asset documents in one file; its speed is measured by benchmarks/bench_load.py."""
    doc = ("---\napiVersion: itam/v1\nkind: Asset\nid: LT-{i}\nname: Laptop {i}\ncategory: laptop\n"
           "status: deployed\npurchase: {{date: 2024-03-15, cost: 1200.00, vendor: acme}}\ntags: [a, b]\n")
    path = tmp_path / "many.yaml"
    path.write_text("".join(doc.format(i=i) for i in range(10000)), encoding="utf-8")
    docs, problems = load_file(path)
    assert problems == [] and len(docs) == 10000
    assert docs[-1].data["id"] == "LT-9999" and docs[-1].position(("id",)).line == 9999 * 9 + 4


# --- property-based: no input makes the loader raise ---------------------------------

YAML_CHARS = [*"ab01:-?[]{},&*!#|>'\"%@`~. \t\n\r\\", "\ufeff", "é", "\x00", "\x85", "\u2028"]
YAMLISH = st.text(alphabet=st.sampled_from(YAML_CHARS), max_size=200)


def _check(docs, problems, file):
    for d in problems:
        assert d.file == file and d.rule.startswith("yaml.")
        assert d.line is None or d.line >= 1
    for doc in docs:
        assert isinstance(doc.data, dict)
        assert doc.file == file


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_parse_text_never_raises(text):
    docs, problems = parse_text(text, "fuzz.yaml")
    _check(docs, problems, "fuzz.yaml")


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), YAMLISH.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_load_file_never_raises(tmp_path, data):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    docs, problems = load_file(path, "fuzz.yaml")
    _check(docs, problems, "fuzz.yaml")
