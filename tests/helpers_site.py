"""Helpers for the site tests: small registries with hostile values, a local web server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from conftest import build_registry

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

#: Registry values that would be markup if the site did not escape them.
HOSTILE = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "</title><script>alert(2)</script>",
    "link": "[click](javascript:alert(3))",
    "pipe": "left | right",
    "heading": "# not a heading",
    "admonition": "!!! danger \"boom\"",
    "jinja": "{{ 7*7 }} {% if true %}x{% endif %}",
    "emphasis": "**bold** _it_ `code`",
    "list": "1. first",
    "quote": "> quoted",
}


def _dump(path: Path, docs: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True), encoding="utf-8")


def settings_doc(**extra) -> dict:
    return {"apiVersion": "itam/v1", "kind": "Settings", "id": "settings", "organization": "Test Org",
            "currency": "EUR", "fiscal_year_start": "01-01",
            "fx": [{"date": "2020-01-01", "USD": 0.9}],
            "categories": {"laptop": {"depreciation": {"method": "straight_line", "life_months": 36}},
                           "server": {"depreciation": {"method": "straight_line", "life_months": 60}}},
            **extra}


def asset_doc(asset_id: str, name: str, **fields) -> dict:
    doc = {"apiVersion": "itam/v1", "kind": "Asset", "id": asset_id, "name": name,
           "category": "laptop", "status": "deployed", "owner": "alice", "location": "hq",
           "purchase": {"date": "2024-03-15", "cost": 1200, "vendor": "acme"},
           "warranty": {"end": "2027-03-14"}}
    doc.update(fields)
    return doc


def write_registry(root: Path, assets: list[dict], *, licenses: list[dict] = (), contracts: list[dict] = (),
                   organization: str = "Test Org", people_extra: list[dict] = ()) -> Path:
    files = {"settings.yaml": [settings_doc(organization=organization)]}
    files["people.yaml"] = [
        {"apiVersion": "itam/v1", "kind": "Person", "id": "alice", "name": "Alice Example",
         "email": "alice@example.com", "team": "IT"},
        {"apiVersion": "itam/v1", "kind": "Person", "id": "bob", "name": "Bob Example", "team": "Sales"},
        *people_extra,
    ]
    files["locations.yaml"] = [
        {"apiVersion": "itam/v1", "kind": "Location", "id": "hq", "name": "Head office"},
        {"apiVersion": "itam/v1", "kind": "Location", "id": "lab", "name": "Lab"},
    ]
    files["vendors.yaml"] = [
        {"apiVersion": "itam/v1", "kind": "Vendor", "id": "acme", "name": "Acme", "url": "https://acme.example"},
        {"apiVersion": "itam/v1", "kind": "Vendor", "id": "evil", "name": "Evil",
         "contact": "[x](javascript:alert(4))"},
    ]
    for doc in assets:
        files[f"assets/{doc['id']}.yaml"] = [doc]
    for doc in licenses:
        files[f"licenses/{doc['id']}.yaml"] = [doc]
    for doc in contracts:
        files[f"contracts/{doc['id']}.yaml"] = [doc]
    dumped = {rel: yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True) for rel, docs in files.items()}
    return build_registry(root, files=dumped, dedent=False).root


def small_registry(root: Path) -> Path:
    """A few ordinary assets (for sorting and filtering), one license and one contract."""
    assets = [
        asset_doc("LT-0003", "Charlie laptop", purchase={"date": "2023-01-10", "cost": 900, "vendor": "acme"}),
        asset_doc("LT-0001", "Alpha laptop", owner="bob", location="lab"),
        asset_doc("SRV-0002", "Bravo server", category="server", status="in_stock",
                  purchase={"date": "2022-06-01", "cost": "5000 USD", "vendor": "acme"},
                  maintenance=[{"date": "2025-02-01", "kind": "repair", "cost": 150, "note": "Fan"}]),
    ]
    licenses = [{"apiVersion": "itam/v1", "kind": "License", "id": "LIC-ONE", "name": "Office suite",
                 "vendor": "acme", "type": "subscription", "seats": 5, "cost": 10, "per_seat": True,
                 "billing": "monthly", "start": "2025-01-01", "end": "2026-12-31", "renewal": "auto",
                 "notice_days": 30, "assigned_to": ["alice", "LT-0001"], "key_ref": "vault://itam/secret-office"}]
    contracts = [{"apiVersion": "itam/v1", "kind": "Contract", "id": "CTR-ONE", "name": "Server support",
                  "vendor": "acme", "type": "support", "start": "2024-01-01", "end": "2026-12-31",
                  "renewal": "manual", "notice_days": 90, "cost": 1000, "billing": "yearly",
                  "covers": ["SRV-0002"]}]
    return write_registry(root, assets, licenses=licenses, contracts=contracts)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium(width: int = 1400, height: int = 1000):
    """A headless Debian Chromium driven by Selenium, with a fresh profile and its console log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="itamctl-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # Headless windows are at least 500 px wide: a phone's width is emulated (as the DevTools do).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def browser_required() -> bool:
    return os.environ.get("ITAMCTL_REQUIRE_BROWSER") == "1"
