"""Real `itamctl site build` runs: the demo registry, hostile values, secrets, determinism, no external URLs."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl.site.build import MARKER
from tests.helpers_site import HOSTILE, asset_doc, small_registry, write_registry

pytestmark = pytest.mark.slow

REPO = REPO_ROOT
DEMO = REPO / "registry"
AS_OF = "2026-05-15"


def build(registry: Path, out: Path, *extra: str) -> None:
    code, out_, err = run_cli("site", "build", "--registry", registry, "--out", out, "--as-of", AS_OF, *extra)
    assert code == 0, out_ + err


def html_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    names = list(HOSTILE.values())
    assets = [asset_doc(f"H-{i:02d}", name, notes=name, model=name, tags=[name[:20]],
                        **{"x-comment": name, "x-link": "javascript:alert(5)", "x-home": "https://example.com/ok"})
              for i, name in enumerate(names)]
    assets.append(asset_doc("H-99", "Normal", maintenance=[{"date": "2025-01-01", "kind": "repair", "cost": 10,
                                                             "note": HOSTILE["img"]}]))
    licenses = [{"apiVersion": "itam/v1", "kind": "License", "id": "LIC-H", "name": HOSTILE["script"],
                 "vendor": "acme", "type": "subscription", "seats": 2, "cost": 10, "billing": "yearly",
                 "start": "2025-01-01", "end": "2026-06-30", "renewal": "manual", "notice_days": 30,
                 "assigned_to": ["alice"], "key_ref": "vault://itam/very-secret-key-path"}]
    registry = write_registry(root / "registry", assets, licenses=licenses,
                              organization="<b>Org</b> | {{ x }}",
                              people_extra=[{"apiVersion": "itam/v1", "kind": "Person", "id": "mallory",
                                             "name": HOSTILE["img"], "email": "m@example.com"}])
    out = root / "out"
    build(registry, out)
    return out


def test_hostile_values_are_inert(hostile_site):
    pages = {name: data.decode("utf-8") for name, data in html_files(hostile_site).items()}
    assert "asset/H-00.html" in pages and "inventory.html" in pages
    for name, page in pages.items():
        assert "<img src=x" not in page, name
        assert "<script>alert" not in page, name
        assert "</title><script>" not in page, name
        assert not re.search(r"""href=["']?\s*javascript:""", page, re.IGNORECASE), name
        assert "<b>Org</b>" not in page, name
        assert page.count("<h1") == 1, name  # "# not a heading" made no second heading
        assert 'class="admonition danger"' not in page, name
        assert "<strong>bold</strong>" not in page and "<code>code</code>" not in page, name
        assert "<blockquote>" not in page, name
        assert "<ol>" not in page.split('class="md-content"')[-1], name
    asset = visible(pages["asset/H-00.html"])
    assert HOSTILE["img"] in asset  # shown as text
    inventory = pages["inventory.html"]
    rows = re.findall(r"<tr>(.*?)</tr>", inventory, re.DOTALL)
    pipe_row = next(r for r in rows if "H-03" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", pipe_row, re.DOTALL)
    assert len(cells) == 11 and visible(cells[1]).strip() == HOSTILE["pipe"]
    jinja = visible(pages["asset/H-06.html"])
    assert "{{ 7*7 }}" in jinja and "49" not in jinja.replace("2049", "")
    heading = visible(pages["asset/H-04.html"])
    assert "# not a heading" in heading
    assert "<title>H-00 &lt;img src=x onerror=alert(1)&gt;" in pages["asset/H-00.html"]


def test_only_web_and_mail_links(hostile_site):
    for name, data in html_files(hostile_site).items():
        for href in re.findall(r'href="([^"]*)"', data.decode("utf-8")):
            scheme = href.split(":", 1)[0].lower() if ":" in href.split("/")[0] else ""
            assert scheme in ("", "http", "https", "mailto"), (name, href)
    asset = (hostile_site / "asset" / "H-00.html").read_text(encoding="utf-8")
    assert 'href="https://example.com/ok"' in asset
    directory = (hostile_site / "directory.html").read_text(encoding="utf-8")
    assert "[x](javascript" in visible(directory)
    # A vendor's website is linked on its page (the vendors list keeps contact and e-mail).
    assert 'href="https://acme.example"' in (hostile_site / "vendor" / "acme.html").read_text(encoding="utf-8")


def test_sensitive_fields_are_never_rendered(hostile_site):
    for path in hostile_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".ics", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "very-secret-key-path" not in text, path
    fields = visible((hostile_site / "license" / "LIC-H.html").read_text(encoding="utf-8"))
    assert "key_ref" not in fields and "vault://" not in fields


def test_no_external_resources(hostile_site):
    external = re.compile(r"^(https?:)?//", re.IGNORECASE)
    for path in hostile_site.rglob("*"):
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8")
            for src in re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", page):
                assert not external.match(src), (path, src)
            for tag in re.findall(r"<link[^>]*>", page):
                href = re.search(r'href="([^"]+)"', tag)
                assert href is None or not external.match(href.group(1)), (path, tag)
        if path.suffix in (".css", ".html", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for url in re.findall(r"(?:@import\s+|url\()\s*['\"]?([^'\")\s]+)", text):
                assert not external.match(url), (path, url)
    assert "fonts.googleapis" not in (hostile_site / "index.html").read_text(encoding="utf-8")


def test_item_pages_stay_out_of_the_navigation(hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    nav = index.split('class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "asset/" not in nav and "Inventory" in nav


def test_downloads(hostile_site):
    data = json.loads((hostile_site / "inventory.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in data["assets"]] == sorted(a["id"] for a in data["assets"])
    assert data["as_of"] == AS_OF and len(data["assets"]) == len(HOSTILE) + 1
    csv_text = (hostile_site / "inventory.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("id,name,category,status")
    ics = hostile_site / "expiries.ics"
    if ics.exists():
        assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_build_is_deterministic(tmp_path):
    registry = small_registry(tmp_path / "registry")
    build(registry, tmp_path / "one")
    build(registry, tmp_path / "two")
    one, two = html_files(tmp_path / "one"), html_files(tmp_path / "two")
    assert one.keys() == two.keys() and len(one) > 10
    for name in one:
        assert one[name] == two[name], name
    for name in ("search/search_index.json", "inventory.json", "inventory.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_small_registry_pages_show_every_item(tmp_path):
    registry = small_registry(tmp_path / "registry")
    out = tmp_path / "out"
    build(registry, out)
    inventory = visible((out / "inventory.html").read_text(encoding="utf-8"))
    for asset_id in ("LT-0001", "LT-0003", "SRV-0002"):
        assert asset_id in inventory and (out / "asset" / f"{asset_id}.html").is_file()
    server = visible((out / "asset" / "SRV-0002.html").read_text(encoding="utf-8"))
    assert "Depreciation schedule" in server and "Fan" in server and "CTR-ONE" in server
    lic = visible((out / "license" / "LIC-ONE.html").read_text(encoding="utf-8"))
    assert "2 / 5" in lic and "LT-0001" in lic
    contracts = visible((out / "contracts.html").read_text(encoding="utf-8"))
    # CTR-ONE renews manually: its term ends 2026-12-31 and there is nothing to cancel (as in `expiries`)
    assert "2026-12-31" in contracts and "2026-10-02" not in contracts
    assert (out / "person" / "alice.html").is_file()


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    registry = small_registry(tmp_path / "registry")
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    code, _, err = run_cli("site", "build", "--registry", registry, "--out", out, "--as-of", AS_OF)
    assert code == 2 and "--force" in err
    assert (out / "precious.txt").read_text() == "keep me"
    build(registry, out, "--force")
    assert not (out / "precious.txt").exists() and (out / MARKER).is_file()
    build(registry, out)  # ours now: rebuilt without --force
    assert not list(tmp_path.glob(".out.*"))  # no temporary folders left behind


def test_invalid_registry_is_refused_with_file_and_line(tmp_path):
    registry = small_registry(tmp_path / "registry")
    (registry / "assets" / "LT-0001.yaml").write_text(
        "apiVersion: itam/v1\nkind: Asset\nid: LT-0001\nname: x\ncategory: laptop\nstatus: lost\n")
    code, out, err = run_cli("site", "build", "--registry", registry, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert code == 1 and "LT-0001.yaml:6" in out + err
    assert not (tmp_path / "out").exists()


def test_bad_as_of_is_a_usage_error(tmp_path):
    code, _, err = run_cli("site", "build", "--as-of", "2026-13-01", "--out", tmp_path / "o")
    assert code == 2 and "YYYY-MM-DD" in err


def broken_links(out: Path) -> list[tuple[str, str]]:
    """Every relative ``href``/``src`` in the built HTML whose target file does not exist."""
    broken = []
    for page in sorted(out.rglob("*.html")):
        for target in re.findall(r'(?:href|src)="([^"#?]*)[^"]*"', page.read_text(encoding="utf-8")):
            if not target or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", target):
                continue  # a fragment of the page itself, or an absolute URL
            path = out / target.lstrip("/") if target.startswith("/") else page.parent / target
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append((str(page.relative_to(out)), target))
    return broken


def test_internal_links_resolve_to_built_files(hostile_site):
    assert broken_links(hostile_site) == []
    asset = (hostile_site / "asset" / "H-00.html").read_text(encoding="utf-8")
    assert 'href="../person/alice.html"' in asset and 'href="../license/LIC-H.html"' not in asset
    lic = (hostile_site / "license" / "LIC-H.html").read_text(encoding="utf-8")
    assert 'href="../person/alice.html"' in lic


def test_hostile_value_in_a_raw_html_table_cell_is_inert(hostile_site):
    page = (hostile_site / "asset" / "H-00.html").read_text(encoding="utf-8")
    fields = page.split('id="all-fields"', 1)[1]
    assert "<table>" in fields and "<img" not in fields
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", fields, re.DOTALL) if "x-comment" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    assert len(cells) == 2 and visible(cells[1]).strip() == HOSTILE["img"]
    maintenance = (hostile_site / "asset" / "H-99.html").read_text(encoding="utf-8")
    assert "<img" not in maintenance and HOSTILE["img"] in visible(maintenance.split('id="maintenance-history"')[1])


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO, out)
    return out


def test_demo_site_links_resolve_to_built_files(demo_site):
    assert broken_links(demo_site) == []
    for page in demo_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<p><table>" not in text and "&lt;table" not in text, page  # raw tables stayed HTML blocks
    inventory = (demo_site / "inventory.html").read_text(encoding="utf-8")
    assert inventory.count('href="asset/') >= 10


def test_demo_registry_builds_and_shows_every_item(demo_site):
    from itamctl.pipeline import load_valid_registry

    out = demo_site
    registry = load_valid_registry(DEMO)
    inventory = (out / "inventory.html").read_text(encoding="utf-8")
    for asset in registry.assets:
        assert f'href="asset/{asset.id}.html"' in inventory, asset.id
        assert (out / "asset" / f"{asset.id}.html").is_file()
    for lic in registry.licenses:
        assert (out / "license" / f"{lic.id}.html").is_file()
    for ctr in registry.contracts:
        assert (out / "contract" / f"{ctr.id}.html").is_file()
    home = visible((out / "index.html").read_text(encoding="utf-8"))
    assert "Total book value" in home and "not available yet" not in home
    budget = (out / "budget.html").read_text(encoding="utf-8")
    assert "<svg" in budget and "Forecast per cost centre" in budget
    assert (out / "expiries.ics").is_file()


def test_search_indexes_names_and_serials_but_not_figures_or_the_inventory(demo_site):
    """Item pages are found by name and serial; schedules, history and the big tables stay out of the index."""
    index = json.loads((demo_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    lt12 = [d for d in docs if d["location"].startswith("asset/LT-0012.html")]
    assert any("MacBook Pro 14" in d["title"] for d in lt12)
    assert any("FVFH3KQ2Q6L4" in d["text"] for d in lt12)  # its serial, from "All fields"
    schedule = next(d for d in lt12 if d["location"].endswith("#depreciation-schedule"))
    assert "FY2022" not in schedule["text"]
    inventory = [d for d in docs if d["location"].startswith("inventory.html")]
    assert inventory and not any("LT-0012" in d["text"] for d in inventory)


def _row(page: str, item_id: str) -> str:
    """The ``<tr …>…</tr>`` of the list row that links ``item_id``."""
    return next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", page, re.DOTALL) if f"/{item_id}.html\"" in r)


def test_lists_show_status_yearly_cost_seats_and_hide_what_ended(demo_site):
    """Issue 15 items 2 and 5: a status column with badges, the live view by default, a yearly figure."""
    licenses = (demo_site / "licenses.html").read_text(encoding="utf-8")
    assert "<th>Status</th>" in licenses and '<th style="text-align: right;">Per year</th>' in licenses
    adobe = _row(licenses, "LIC-ADOBE-CC")  # 4 seats assigned, 3 bought
    assert adobe.startswith('<tr class="itam-row--over">') and "itam-seats--over" in adobe
    assert "Over-allocated" in visible(adobe) and "license_overallocated" not in adobe
    m365 = visible(_row(licenses, "LIC-M365-BP"))  # monthly: the yearly figure is twelve payments
    assert "927.00" in m365 and "11,124.00" in m365
    assert 'class="itam-filter" data-columns="Vendor|Status|Billing"' in licenses
    contracts = (demo_site / "contracts.html").read_text(encoding="utf-8")
    assert _row(contracts, "CTR-SPREE-LEASE-2020").startswith('<tr class="itam-ended">')  # the 2020 lease ended
    assert 'data-value="Ended"' in _row(contracts, "CTR-SPREE-LEASE-2020")
    assert 'data-value="Active"' in _row(contracts, "CTR-KOLO-FRA")
    # A person's disposed laptop is hidden behind the toggle, not listed among what they hold.
    person = (demo_site / "person" / "amueller.html").read_text(encoding="utf-8")
    assert _row(person, "LT-0001").startswith('<tr class="itam-ended">') and 'data-ended="' in person
    directory = (demo_site / "directory.html").read_text(encoding="utf-8")
    for prefix in ("people", "locations", "vendors"):
        assert f'data-prefix="{prefix}"' in directory


def test_item_pages_lead_with_a_header_findings_and_links(demo_site):
    """Issue 15 item 3: header card, then open findings and waivers in plain words, every reference a link."""
    page = (demo_site / "asset" / "LT-0012.html").read_text(encoding="utf-8")
    shown = visible(page)
    order = [shown.index(h) for h in ("Open findings and waivers", "Cost", "Depreciation schedule",
                                     "Maintenance history", "History", "All fields")]
    assert order == sorted(order)
    head = page.split('class="itam-head"', 1)[1].split("</div>", 1)[0]
    for label in ("Status", "Owner", "Location", "Warranty", "Book value", "Serial", "File"):
        assert f'itam-head__label">{label}<' in head, label
    assert 'href="../person/jschneider.html"' in head and 'href="../location/hq-berlin.html"' in head
    assert 'href="../vendor/' in head
    findings = visible(page.split('id="open-findings-and-waivers"', 1)[1].split("<h2", 1)[0])
    assert "Waived" in findings and "Warranty expired" in findings and "2027-03-31" in findings
    assert "Out of AppleCare" in findings and "expired_warranty" not in findings
    # Without a repository URL the file is named, not linked.
    assert "registry/assets/laptop/LT-0012.yaml</span>" in head


def test_location_and_vendor_pages(demo_site):
    """Issue 15 item 4: a page per location and vendor, with what is there or bought there, and counts."""
    from itamctl.pipeline import load_valid_registry

    registry = load_valid_registry(DEMO)
    for loc in registry.locations:
        assert (demo_site / "location" / f"{loc.id}.html").is_file(), loc.id
    for vendor in registry.vendors:
        assert (demo_site / "vendor" / f"{vendor.id}.html").is_file(), vendor.id
    berlin = (demo_site / "location" / "hq-berlin.html").read_text(encoding="utf-8")
    here = [a for a in registry.assets if a.location == "hq-berlin"]
    assert all(f'href="../asset/{a.id}.html"' in berlin for a in here)
    assert "Book value here" in visible(berlin)
    apple = visible((demo_site / "vendor" / "apple.html").read_text(encoding="utf-8"))
    bought = [a for a in registry.assets if a.purchase and a.purchase.vendor == "apple"]
    assert f"{len(bought)} assets bought" in apple and "Bought from them" in apple
    directory = (demo_site / "directory.html").read_text(encoding="utf-8")
    assert 'href="location/hq-berlin.html"' in directory and 'href="vendor/apple.html"' in directory
    # Out of the navigation like the other item pages.
    nav = (demo_site / "index.html").read_text(encoding="utf-8").split('class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "location/" not in nav and "vendor/" not in nav


def test_vendor_pages_and_list_show_the_cores_spend(demo_site):
    """Issue 15: spend per vendor (assets bought + license and contract payments) is the core's figure."""
    from datetime import date

    from itamctl.finance.costs import costs_report, vendor_spend
    from itamctl.pipeline import load_valid_registry

    registry = load_valid_registry(DEMO)
    spend = vendor_spend(registry, costs_report(registry, date.fromisoformat(AS_OF)))
    assert all(any(getattr(s, part) for s in spend) for part in ("assets", "licenses", "contracts"))
    directory = visible((demo_site / "directory.html").read_text(encoding="utf-8").split('id="vendors"', 1)[1])
    for s in spend:
        page = visible((demo_site / "vendor" / f"{s.vendor}.html").read_text(encoding="utf-8"))
        shown = page.split("Spent on", 1)[1]
        for label, value in (("Assets bought", s.assets), ("License payments", s.licenses),
                             ("Contract payments", s.contracts), (f"Total to {AS_OF}", s.total)):
            assert re.search(rf"{re.escape(label)}\s+{re.escape(f'{value:,.2f}')}\b", shown), (s.vendor, label)
        assert f"{s.total:,.2f} EUR to {AS_OF}" in page
        assert f"{s.total:,.2f}" in directory


def test_dashboard_cards_for_this_and_next_fiscal_year(demo_site):
    budget = json.loads((demo_site / "budget.json").read_text(encoding="utf-8"))
    cards = visible((demo_site / "index.html").read_text(encoding="utf-8").split('class="itam-cards"', 1)[1]
                    .split("</div>", 1)[0])
    current, following = budget["current"], budget["years"][0]
    assert f"Forecast FY{current['label']}, rest of the year" in cards
    assert f"{Decimal(current['total']):,.2f}" in cards
    assert f"Budget FY{following['label']} (next year)" in cards and f"{Decimal(following['total']):,.2f}" in cards
    assert "In service" in cards and "In repair" in cards and "Total book value" in cards
    # the whole current year is the core's figure (actual to date + forecast), not a sum made by the site
    assert f"FY{current['label']} in all (spent and forecast)" in cards
    assert f"{Decimal(current['expected_total']):,.2f}" in cards


def test_expiries_keep_what_passed_long_ago_but_not_what_is_closed(demo_site):
    """Issue 15: older open problems no longer drop off after 90 days; ended items with nothing to do do."""
    page = (demo_site / "expiries.html").read_text(encoding="utf-8")
    passed = page.split('id="passed-still-open"', 1)[1].split("<h2", 1)[0]
    assert 'href="asset/LT-0011.html"' in passed and "2024-06-06" in passed  # ~2 years before as_of
    assert "CTR-SPREE-LEASE-2020" not in page  # closed: ended 2023, renewal none
    srv = _row(passed, "SRV-0001")  # its expired warranty is waived: the badge says why and until when
    assert "itam-badge--waived" in srv and "2027-03-31" in srv and "CTR-DELL-PS-2024" in srv


def test_asset_not_bought_yet_says_so(demo_site):
    page = (demo_site / "asset" / "DT-0006.html").read_text(encoding="utf-8")
    assert "Not purchased yet on 2026-05-15" in visible(page)
    for figure in ("Purchase cost", "Book value", "Total cost of ownership"):
        assert re.search(rf"<td>{figure}</td>\s*<td[^>]*>not purchased yet</td>", page), figure


def test_item_pages_link_their_file_in_the_repository_on_ci(tmp_path):
    """Issue 15 item 3: on GitHub Actions the site knows the repository, and each item page links its file."""
    checkout = tmp_path / "checkout"
    registry = small_registry(checkout / "registry")
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/itam", "GITHUB_REF_NAME": "main",
           "GITHUB_WORKSPACE": str(checkout)}
    code, out, err = run_cli("site", "build", "--registry", registry, "--out", tmp_path / "out", "--as-of", AS_OF,
                             env=env)
    assert code == 0, out + err
    page = (tmp_path / "out" / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/acme/itam/blob/main/registry/assets/LT-0001.yaml">' in page


def test_settings_source_url_links_files_off_github_and_wins_over_the_ci_environment(tmp_path):
    """Issue 15 item 3: Settings `source_url` (any forge) gives each item page its file link."""
    checkout = tmp_path / "checkout"
    registry = small_registry(checkout / "registry")
    settings = registry / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "source_url: https://git.example.org/it/itam/src/branch/main/registry\n", encoding="utf-8")
    code, out, err = run_cli("site", "build", "--registry", registry, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert code == 0, out + err
    link = '<a href="https://git.example.org/it/itam/src/branch/main/registry/assets/LT-0001.yaml">'
    assert link in (tmp_path / "out" / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/itam", "GITHUB_REF_NAME": "main",
           "GITHUB_WORKSPACE": str(checkout)}
    code, out, err = run_cli("site", "build", "--registry", registry, "--out", tmp_path / "ci", "--as-of", AS_OF,
                             env=env)
    page = (tmp_path / "ci" / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert code == 0 and link in page and "https://github.com/acme" not in page


def test_settings_source_url_must_be_a_web_address(tmp_path):
    registry = small_registry(tmp_path / "registry")
    settings = registry / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "source_url: 'javascript:alert(1)'\n",
                        encoding="utf-8")
    code, out, _ = run_cli("validate", "--registry", registry)
    assert code == 1 and "settings.yaml" in out and "source_url" in out


def test_badges_headers_and_new_pages_keep_hostile_values_inert(tmp_path):
    """A waiver's reason (a badge's hover text), a serial (search tags) and a location's name stay text."""
    evil = HOSTILE["script"] + ' " onmouseover="alert(9)'
    assets = [asset_doc("LT-0001", "Plain", serial=evil, warranty={"end": "2025-01-01"},
                        waivers=[{"rule": "expired_warranty", "until": "2027-01-01", "reason": evil}])]
    registry = write_registry(tmp_path / "registry", assets)
    locations = registry / "locations.yaml"
    locations.write_text(locations.read_text(encoding="utf-8").replace("name: Head office",
                                                                       f"name: '{HOSTILE['img']}'"),
                         encoding="utf-8")
    out = tmp_path / "out"
    build(registry, out)
    for rel in ("asset/LT-0001.html", "location/hq.html", "inventory.html", "index.html"):
        page = (out / rel).read_text(encoding="utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page, rel
        assert 'onmouseover="alert' not in page, rel
    asset = (out / "asset" / "LT-0001.html").read_text(encoding="utf-8")
    assert "itam-badge--waived" in asset and evil in visible(asset)
    assert HOSTILE["img"] in visible((out / "location" / "hq.html").read_text(encoding="utf-8"))
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(evil in html.unescape(" ".join(d.get("tags", []))) for d in index["docs"])
