"""The site's escaper on its own: every hostile value comes out of Python-Markdown as plain text."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from itamctl.site import escape
from itamctl.site.templating import environment
from tests.helpers_site import HOSTILE


def _md() -> markdown.Markdown:
    # The extensions of site/mkdocs.yml.
    return markdown.Markdown(extensions=["tables", "admonition", "toc"])


def _visible(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (tags dropped, references decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("value", [*HOSTILE.values(), "---", "=== x", "+ plus", "    indented code", "2) two",
                                   "a\nb\n# c", "x\\y", "*", "<", "&amp;"])
def test_paragraph_shows_the_value_as_typed(value):
    out = _md().convert(escape.text(value))
    assert out.startswith("<p>") and out.endswith("</p>"), out
    assert out.count("<") == 2  # <p> and </p> only: no element made from the value
    assert _visible(out) == " ".join(value.split())


@pytest.mark.parametrize("value", HOSTILE.values())
def test_table_cell_holds_the_value_as_typed(value):
    out = _md().convert(f"| a | b |\n|---|---|\n| {escape.text(value)} | end |\n")
    cells = re.findall(r"<td>(.*?)</td>", out)
    assert len(cells) == 2, out  # a `|` did not split the cell
    assert _visible(cells[0]) == value and cells[1] == "end"


def test_heading_keeps_the_value_as_typed():
    value = HOSTILE["img"] + " " + HOSTILE["link"]
    out = _md().convert("# " + escape.text(value))
    assert "<img" not in out and "href" not in out
    assert _visible(out) == value


@pytest.mark.parametrize(("url", "linked"), [
    ("https://example.com/a?b=1&c=2", True),
    ("http://example.com", True),
    ("mailto:it@example.com", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("//evil.example/x", False),
    ("https://example.com/a) [x](javascript:alert(1)", False),
    ("ftp://example.com", False),
])
def test_only_http_https_and_mailto_become_links(url, linked):
    out = _md().convert(escape.link("label", url))
    hrefs = re.findall(r'href="([^"]*)"', out)
    if linked:
        assert len(hrefs) == 1 and hrefs[0].split(":")[0] in ("http", "https", "mailto")
    else:
        assert hrefs == [], out


def test_link_target_cannot_break_out_of_the_link():
    out = _md().convert(escape.link("x", 'https://example.com/"onmouseover="alert(1)(<b>)'))
    assert out.count("<a ") == 1 and "onmouseover=" not in out.replace("%22onmouseover", "")
    assert "<b>" not in out


def test_templates_escape_every_value_by_default():
    template = environment().from_string("{{ value }} | {{ value|money if false else value }}")
    out = template.render(value=HOSTILE["img"])
    assert "<img" not in out and out.count("&#60;img") == 2


def test_money_is_grouped_and_rounded():
    from itamctl.site.templating import money

    assert money("1234.565") == "1,234.57"
    assert money("") == "" and money(None) == ""


def test_front_matter_title_is_html_escaped_json():
    import yaml
    raw = escape.front_matter_title("</title><script>x</script> & \"q\"")
    expected = "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"
    assert yaml.safe_load(f"title: {raw}")["title"] == expected


@pytest.mark.parametrize("value", [*HOSTILE.values(), "</td></tr></table><script>alert(6)</script>", "a\n\nb"])
def test_raw_html_table_cell_holds_the_value_as_typed(value):
    from itamctl.site.templating import table

    rows = [[value, "1,200.00"], ["x", escape.link("site", "javascript:alert(7)")]]
    page = f"Before.\n\n{table(['Name', 'Cost'], rows, right=['Cost'])}\n\nAfter.\n"
    out = _md().convert(page)
    assert out.count("<table>") == 1 and "<script" not in out and "javascript:" not in out, out
    cells = re.findall(r"<td[^>]*>(.*?)</td>", out)
    assert len(cells) == 4, out  # nothing in the value ended a cell, a row or the table
    assert _visible(cells[0]) == " ".join(value.split()) and cells[1] == "1,200.00"
    assert _visible(cells[3]) == "site"
    right = ' style="text-align: right;"'  # as `---:` in a Markdown table
    assert re.findall(r"<t[hd](?: [^>]*)?>", out) == ["<th>", f"<th{right}>"] + ["<td>", f"<td{right}>"] * 2
    assert out.startswith("<p>Before.</p>") and out.endswith("<p>After.</p>")


def test_raw_html_table_is_the_markup_of_a_markdown_table():
    from itamctl.site.templating import table

    markdown_table = _md().convert("| A | B |\n|---|---:|\n| x | 1 |\n|  | 2 |\n")
    assert table(["A", "B"], [["x", 1], ["", 2]], right=[1]) == markdown_table
    with pytest.raises(ValueError, match="2 cells"):
        table(["A"], [["x", "y"]])


def test_internal_links_point_at_built_pages_in_any_context():
    from itamctl.site.templating import item_link

    link = item_link("LT-1", "Asset", HOSTILE["img"], depth=1)
    assert link.startswith('<a href="../asset/LT-1.html">') and "<img" not in link
    for text in (f"Owner: {link}.", f"| a |\n|---|\n| {link} |\n"):
        out = _md().convert(text)
        assert re.findall(r'href="([^"]*)"', out) == ["../asset/LT-1.html"] and _visible(out).count(HOSTILE["img"]) == 1
