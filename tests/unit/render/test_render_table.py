"""The shared table renderers: aligned text, CSV for spreadsheets, GitHub Markdown."""

from __future__ import annotations

import csv
import io

from itamctl.render.table import csv_text, markdown_table, md_escape, text_table


def test_text_table_aligns_and_right_aligns_numbers():
    out = text_table(["Id", "Cost"], [["LT-1", "9.50"], ["SRV-0001", "12450.00"]], right=[1])
    assert out.splitlines() == [
        "Id            Cost",
        "--------  --------",
        "LT-1          9.50",
        "SRV-0001  12450.00",
    ]


def test_text_table_draws_no_rule_under_an_unnamed_column():
    # depreciation's "<- as of" marker column has no header: no stray dashes under it
    out = text_table(["Year", "Cost", ""], [["2026", "9.50", "<- as of"], ["2027", "1.00", ""]], right=[1])
    assert out.splitlines()[:2] == ["Year  Cost", "----  ----"]
    assert out.splitlines()[2] == "2026  9.50  <- as of"


def test_csv_defuses_formulas_but_keeps_numbers():
    """A name like =HYPERLINK(...) must not run as a formula when the CSV is opened in a spreadsheet."""
    out = csv_text(["name", "amount"], [["=HYPERLINK(\"http://x\")", "-180.00"], ["+cmd|' /C calc'!A0", "12"],
                                        ["@SUM(A1)", "0.00"], ["Laptop, 14\"", None]])
    assert out.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [["name", "amount"], ["'=HYPERLINK(\"http://x\")", "-180.00"], ["'+cmd|' /C calc'!A0", "12"],
                    ["'@SUM(A1)", "0.00"], ["Laptop, 14\"", ""]]


def test_markdown_escapes_what_acts_inline_and_line_starts_only_at_the_start():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md_escape("**bold** _it_ `code`") == "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("Laptop (Alice) #2") == "Laptop (Alice) #2"
    assert md_escape("30.00") == "30.00"
    assert md_escape("two\nlines") == "two lines"
    table = markdown_table(["Name", "Cost"], [["a|b", "1.00"]], right=[1])
    assert table == "| Name | Cost |\n|---|---:|\n| a\\|b | 1.00 |\n"


def test_a_table_of_text_cells_is_the_table_of_any_cells():
    """Rows of text cells as many as the headers take a faster path: the same lines, escapes included."""
    headers = ["Id", "Days", "", "Note %s"]
    rows = [("A-1", "-12", "x", "100% done"), ("LT-0002\x1b[31m", "7", "", "tab\there"), ("B", "1234", "", "")]
    fast = text_table(headers, rows, right=[1])
    slow = text_table(headers, [[*row[:1], int(row[1]), *row[2:]] for row in rows], right=[1])  # an int cell
    assert fast == slow and "\x1b" not in fast and "100% done" in fast
    assert fast.splitlines()[1] == "---------------  ----     ---------"
    assert text_table(headers, rows[1:2]) == text_table(headers, [[*rows[1][:2], None, rows[1][3]]])  # None: ""
    assert text_table(["A", "B"], [("a",), ("b", "c")]) == "A  B\n-  -\na\nb  c\n"  # a short row pads
