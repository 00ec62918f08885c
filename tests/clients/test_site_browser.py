"""The built site in a real browser: Debian's Chromium, headless, offline (served from 127.0.0.1).

Opens the inventory, sorts a column, filters, searches with Material's search
box, and checks the console has no errors. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from itamctl.site.build import build_site
from tests.helpers_site import ARTIFACTS, CHROMEDRIVER, CHROMIUM, browser_required, chromium, serve, small_registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists() and not browser_required():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): "
                "apt-get install chromium chromium-driver", allow_module_level=True)


def _wait(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _column(driver, index: int) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.md-content table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[arguments[0]].textContent.trim());", index)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from datetime import date

    root = tmp_path_factory.mktemp("browser")
    registry = small_registry(root / "registry")
    return build_site(registry, root / "out", date(2026, 5, 15)).out


def test_inventory_sorts_filters_and_searches_without_console_errors(site):
    assert CHROMEDRIVER.exists(), "chromium-driver is not installed (/usr/bin/chromedriver)"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    ARTIFACTS.mkdir(exist_ok=True)
    with serve(site) as base, chromium() as driver:
        driver.get(f"{base}/inventory.html")
        assert _wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".itam-filter input"))
        ids = _column(driver, 0)
        assert ids == ["LT-0001", "LT-0003", "SRV-0002"]

        # Sort by cost (numeric, "1,200.00" style), then descending.
        headers = driver.find_elements(By.CSS_SELECTOR, ".md-content table thead th")
        names = [h.text.strip() for h in headers]
        cost = headers[names.index("Cost")]
        cost.click()
        costs = _column(driver, names.index("Cost"))
        assert costs == sorted(costs, key=lambda c: float(c.replace(",", ""))) and costs[0] == "900.00"
        assert cost.get_attribute("aria-sort") == "ascending"
        cost.click()
        assert _column(driver, 0)[0] == "SRV-0002" and cost.get_attribute("aria-sort") == "descending"
        headers[names.index("Name")].click()
        assert _column(driver, 1) == ["Alpha laptop", "Bravo server", "Charlie laptop"]

        # Filter by text, then by a select.
        box = driver.find_element(By.CSS_SELECTOR, ".itam-filter input")
        box.send_keys("charlie")
        assert _wait(lambda: _column(driver, 0) == ["LT-0003"])
        box.clear()
        driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)
        assert _wait(lambda: len(_column(driver, 0)) == 3)
        status = Select(driver.find_element(By.CSS_SELECTOR, ".itam-filter select[aria-label='Status']"))
        status.select_by_value("In stock")
        assert _wait(lambda: _column(driver, 0) == ["SRV-0002"])
        assert "1 of 3 shown" in driver.find_element(By.CSS_SELECTOR, ".itam-filter__count").text
        driver.save_screenshot(str(ARTIFACTS / "site-inventory.png"))

        # Material's search: results appear for an asset's name.
        driver.get(f"{base}/index.html")
        driver.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__inner").click()
        query = _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, "input.md-search__input")
                               if e.is_displayed()])
        assert query, "search box did not open"
        query[0].send_keys("Bravo")
        results = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), timeout=15)
        assert results, "no search results"
        assert any("SRV-0002" in r.text or "Bravo" in r.text for r in results)
        driver.save_screenshot(str(ARTIFACTS / "site-search.png"))

        # An item page renders too.
        driver.get(f"{base}/asset/SRV-0002.html")
        assert "Bravo server" in driver.find_element(By.TAG_NAME, "h1").text
        # Raw HTML tables get Material's scroll wrapper and the sort handles like Markdown tables did.
        tables = driver.find_elements(By.CSS_SELECTOR, ".md-content table")
        assert len(tables) >= 4
        assert _wait(lambda: len(driver.find_elements(
            By.CSS_SELECTOR, ".md-typeset__scrollwrap > .md-typeset__table > table")) == len(tables))
        # Tables of three rows or more sort; a two-row key/value table has no sort handles.
        assert all(bool(t.find_elements(By.CSS_SELECTOR, "th[role='columnheader']"))
                   == (len(t.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 3) for t in tables)
        driver.save_screenshot(str(ARTIFACTS / "site-asset.png"))

        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == [], errors


DEMO = REPO_ROOT / "registry"
#: Policy rule ids must never reach text meant for staff.
RULE_ID = re.compile(r"\b(expired_warranty|expired_license_in_use|license_overallocated|notice_passed|"
                                   r"expiring_soon|eol_passed|contract_covers_retired|waiver_lapsed|in_repair|in_stock)\b")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    from datetime import date

    return build_site(DEMO, tmp_path_factory.mktemp("portal") / "out", date(2026, 12, 1)).out


def _no_sideways_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")


#: The pages staff open, each checked for sideways scrolling at both widths (issue 15 item 7).
KEY_PAGES = ("index.html", "inventory.html", "licenses.html", "contracts.html", "expiries.html", "findings.html",
             "budget.html", "directory.html", "changes.html", "downloads.html", "asset/LT-0012.html",
             "license/LIC-ADOBE-CC.html", "contract/CTR-DATADOG-2026.html", "person/jschneider.html",
             "location/hq-berlin.html", "vendor/apple.html")


def _search(driver, base: str, query: str) -> list[str]:
    """Material's search box on the home page: the pages of the results, best first."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/index.html")
    # The header's search button (a magnifier on a phone, the box itself on a desktop).
    opener = _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR,
                                                            "label[for='__search'], .md-search__inner")
                            if e.is_displayed()])
    opener[0].click()
    box = _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, "input.md-search__input")
                         if e.is_displayed()])
    assert box, "search box did not open"
    box[0].send_keys(query)

    from urllib.parse import parse_qs, urlsplit

    last_term = re.split(r"[\s\-]+", query.lower())[-1]

    def results() -> list[str] | None:
        """The result pages once they are for the whole query (each link's ?h= has the query's terms)."""
        from selenium.common.exceptions import StaleElementReferenceException

        try:
            links = [a.get_attribute("href") for a in
                     driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item > .md-search-result__link")]
        except StaleElementReferenceException:  # the list was redrawn while read
            return None
        if not links or last_term not in parse_qs(urlsplit(links[0]).query).get("h", [""])[0].split():
            return None  # results of what was typed so far
        return [link.split("?", 1)[0].split("#", 1)[0].removeprefix(base + "/") for link in links]

    return _wait(results, timeout=15) or []


@pytest.mark.parametrize("width", [1400, 400])
def test_portal_pages_fit_the_width_and_search_finds_ids_first(demo_site, tmp_path, width):
    """No key page scrolls sideways; search by id, serial or e-mail puts that item first (issue 15, items 6, 7)."""
    from selenium.webdriver.common.by import By

    with serve(demo_site) as base, chromium(width=width, height=900) as driver:
        wide = []
        for page in KEY_PAGES:
            driver.get(f"{base}/{page}")
            assert driver.execute_script("return window.innerWidth") == width
            if not _no_sideways_scroll(driver):
                wide.append(page)
            driver.save_screenshot(str(tmp_path / f"{page.replace('/', '-').removesuffix('.html')}-{width}.png"))
        assert wide == [], f"scroll sideways at {width} px: {wide}"
        # The budget chart shown at this width: its labels at least 9 px high as drawn, none overlapping.
        driver.get(f"{base}/budget.html")
        boxes = driver.execute_script(
            "return Array.from(document.querySelectorAll('.itam-chart svg text')).map(t => t.getBoundingClientRect())"
            ".filter(r => r.height > 0).map(r => [r.left, r.top, r.right, r.bottom]);")
        assert len(boxes) >= 10 and min(b[3] - b[1] for b in boxes) >= 9, boxes
        overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
        assert overlaps == [], overlaps
        assert _search(driver, base, "LT-0012")[0] == "asset/LT-0012.html"
        assert _search(driver, base, "FVFH3KQ2Q6L4")[0] == "asset/LT-0012.html"  # its serial
        assert _search(driver, base, "jonas.schneider@northwind-analytics.example")[0] == "person/jschneider.html"
        snippet = driver.find_element(By.CSS_SELECTOR, ".md-search-result__item").text
        assert "Jonas Schneider" in snippet and "Property" not in snippet
        driver.save_screenshot(str(tmp_path / f"search-{width}.png"))


@pytest.mark.parametrize("width", [1400, 400])
def test_portal_dashboard_item_and_filtered_list(demo_site, tmp_path, width):
    """The dashboard names what needs attention in plain words, linked to items; lists keep filters in the URL."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with serve(demo_site) as base, chromium(width=width, height=900) as driver:
        driver.get(f"{base}/index.html")
        body = driver.find_element(By.TAG_NAME, "article").text
        assert "Needs attention" in body and "In service" in body
        assert RULE_ID.search(body) is None, RULE_ID.search(body)
        entries = driver.find_elements(By.CSS_SELECTOR, ".itam-attention li")
        assert len(entries) >= 10
        first = entries[0]
        assert "Warranty expired" in first.text and first.find_element(By.TAG_NAME, "a").get_attribute(
            "href").endswith(".html")
        assert any("LIC-ADOBE-CC" in e.text and "4 seats assigned, 3 bought" in e.text for e in entries)
        cards = driver.find_element(By.CSS_SELECTOR, ".itam-cards").text
        assert len(driver.find_elements(By.CSS_SELECTOR, ".itam-card")) >= 7
        assert "Forecast FY2026, rest of the year" in cards and "Budget FY2027 (next year)" in cards
        if width < 700:  # two cards a row on a phone, not one
            tops = driver.execute_script("return Array.from(document.querySelectorAll('.itam-card'))"
                                         ".map(c => Math.round(c.getBoundingClientRect().top));")
            assert tops[0] == tops[1], tops
        assert _no_sideways_scroll(driver)
        driver.save_screenshot(str(tmp_path / f"dashboard-{width}.png"))

        # A dashboard link opens the inventory filtered; the filter is in the URL, disposed items hidden.
        driver.get(f"{base}/inventory.html?status=In%20repair")
        assert _wait(lambda: "of 101 shown" in driver.find_element(By.CSS_SELECTOR, ".itam-filter__count").text)
        status = Select(driver.find_element(By.CSS_SELECTOR, ".itam-filter select[aria-label='Status']"))
        assert status.first_selected_option.text == "In repair"
        shown = [r for r in driver.find_elements(By.CSS_SELECTOR, ".md-content table tbody tr") if r.is_displayed()]
        assert len(shown) == 3 and all("In repair" in r.text for r in shown)
        status.select_by_visible_text("Status: all")
        assert _wait(lambda: "status=" not in driver.current_url)
        assert "78 of 101 shown" in driver.find_element(By.CSS_SELECTOR, ".itam-filter__count").text
        driver.find_element(By.CSS_SELECTOR, ".itam-filter__all").click()
        assert _wait(lambda: "all=1" in driver.current_url)
        assert "101 of 101 shown" in driver.find_element(By.CSS_SELECTOR, ".itam-filter__count").text
        assert _no_sideways_scroll(driver)
        # Not only the page: the table itself fits, its box does not scroll sideways either.
        boxes = driver.execute_script(
            "return Array.from(document.querySelectorAll('.md-content .md-typeset__table,"
            " .md-content .md-typeset__scrollwrap')).map(e => [e.scrollWidth, e.clientWidth]);")
        assert boxes and all(scroll <= client for scroll, client in boxes), boxes
        driver.save_screenshot(str(tmp_path / f"inventory-{width}.png"))

        # A list other than the inventory: its filter comes from the URL, ended rows wait behind the toggle.
        driver.get(f"{base}/licenses.html?status=Active")
        assert _wait(lambda: "of 13 shown" in driver.find_element(By.CSS_SELECTOR, ".itam-filter__count").text)
        shown = [r for r in driver.find_elements(By.CSS_SELECTOR, ".md-content table tbody tr") if r.is_displayed()]
        assert shown and all(r.find_element(By.CSS_SELECTOR, "td[data-value]").get_attribute("data-value") == "Active"
                             for r in shown)
        adobe = next(r for r in shown if "LIC-ADOBE-CC" in r.text)
        assert adobe.find_element(By.CSS_SELECTOR, ".itam-badge--over").text == "Over-allocated"
        assert adobe.find_element(By.CSS_SELECTOR, ".itam-seats--over").text == "4 / 3"
        driver.save_screenshot(str(tmp_path / f"licenses-{width}.png"))
        # Several filtered tables on one page keep their own URL parameters.
        driver.get(f"{base}/directory.html?people-team=Engineering")
        team = Select(driver.find_element(
            By.CSS_SELECTOR, ".itam-filter[data-prefix='people'] select[aria-label='Team']"))
        assert team.first_selected_option.text == "Engineering"
        box = driver.find_element(By.CSS_SELECTOR, ".itam-filter[data-prefix='vendors'] input")
        box.send_keys("apple")
        assert _wait(lambda: "vendors-q=apple" in driver.current_url
                     and "people-team=Engineering" in driver.current_url)

        # The expiries page: one box filters every month's table, from the URL; empty months go.
        driver.get(f"{base}/expiries.html?event=cancel%20by")
        count = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".itam-filter__count"))
        assert _wait(lambda: re.fullmatch(r"\d+ of \d+ shown", count[0].text))
        shown, total = (int(n) for n in re.findall(r"\d+", count[0].text))
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, ".md-content table tbody tr") if r.is_displayed()]
        assert 0 < shown == len(rows) < total and all("cancel by" in r.text for r in rows)
        months = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".md-content h2") if h.is_displayed()]
        assert len({r.find_element(By.XPATH, "ancestor::table") for r in rows}) == len(months)
        event = Select(driver.find_element(By.CSS_SELECTOR, ".itam-filter select[aria-label='Event']"))
        event.select_by_visible_text("Event: all")
        assert _wait(lambda: "event=" not in driver.current_url)
        assert count[0].text == f"{total} of {total} shown"
        assert _no_sideways_scroll(driver)
        driver.save_screenshot(str(tmp_path / f"expiries-{width}.png"))

        driver.get(f"{base}/asset/LT-0012.html")
        assert "LT-0012" in driver.find_element(By.TAG_NAME, "h1").text
        head = driver.find_element(By.CSS_SELECTOR, ".itam-head").text
        assert all(label in head.upper() for label in ("STATUS", "OWNER", "LOCATION", "WARRANTY", "BOOK VALUE"))
        links = {a.text: a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".itam-head a")}
        assert links["Jonas Schneider"].endswith("/person/jschneider.html")
        assert links["Headquarters Berlin"].endswith("/location/hq-berlin.html")
        findings = driver.find_element(By.CSS_SELECTOR, "#open-findings-and-waivers + ul").text
        assert "Waived" in findings and RULE_ID.search(findings) is None
        assert _no_sideways_scroll(driver)
        driver.save_screenshot(str(tmp_path / f"item-{width}.png"))

        driver.get(f"{base}/findings.html")
        links = driver.find_elements(By.CSS_SELECTOR, ".md-content table tbody tr td a")
        assert links and all(".html" in a.get_attribute("href") for a in links)
        assert _no_sideways_scroll(driver)
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == [], errors
