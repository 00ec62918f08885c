"""The demo registry in ``registry/``: clean, varied, and editor-friendly."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_cli

from itamctl.model import STATUSES
from itamctl.pipeline import open_registry

DEMO = REPO_ROOT / "registry"
FILES = sorted(p for p in DEMO.rglob("*") if p.suffix in (".yaml", ".yml")) if DEMO.is_dir() else []
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<schema>\S+)$")



@pytest.fixture(scope="module")
def checked():
    cwd = os.getcwd()
    os.chdir(REPO_ROOT)
    try:
        return open_registry(Path("registry"))
    finally:
        os.chdir(cwd)


def test_demo_registry_validates_clean(checked):
    assert [f"{d.file}:{d.line}: [{d.rule}] {d.message}" for d in checked.diagnostics] == []


def test_demo_registry_through_the_cli(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    code, out, err = run_cli("validate")
    assert (code, err) == (0, "")
    assert out == f"0 errors, 0 warnings in {len(FILES)} files\n"


def test_demo_registry_is_big_and_varied(checked):
    reg = checked.registry
    assert len(reg.assets) >= 60
    assert {a.status for a in reg.assets} == set(STATUSES)
    assert len(reg.licenses) >= 8
    assert len(reg.contracts) >= 5
    assert {lic.type for lic in reg.licenses} == {"subscription", "perpetual"}
    assert reg.people and reg.locations and reg.vendors


def test_demo_registry_uses_two_foreign_currencies(checked):
    reg = checked.registry
    money = [a.purchase.cost for a in reg.assets if a.purchase and a.purchase.cost]
    money += [item.cost for item in (*reg.licenses, *reg.contracts) if item.cost]
    foreign = {m.currency for m in money} - {reg.settings.currency}
    assert len(foreign) >= 2, foreign
    assert foreign <= reg.settings.fx.currencies()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DEMO)))
def test_every_file_starts_with_the_yaml_language_server_modeline(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path.relative_to(REPO_ROOT)} starts with {first!r}"
    schema = (path.parent / match["schema"]).resolve()
    assert schema.is_file(), f"{match['schema']} does not exist"
    assert schema.parent == (REPO_ROOT / "schemas").resolve()
