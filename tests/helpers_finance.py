"""Small registries for the finance tests: real YAML files in ``tmp_path``, loaded by the real pipeline."""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from conftest import RegistryDir, build_registry, run_cli
from hypothesis import strategies as st

from itamctl.model import (
    Asset,
    Contract,
    Depreciation,
    Disposal,
    License,
    Maintenance,
    Purchase,
    Registry,
    ServiceLevel,
    Settings,
)
from itamctl.money import Money
from itamctl.pipeline import load_valid_registry, open_registry

REFERENCES = """\
apiVersion: itam/v1
kind: Person
id: alice
name: Alice
---
apiVersion: itam/v1
kind: Location
id: hq
name: Headquarters
---
apiVersion: itam/v1
kind: Location
id: lon
name: London office
---
apiVersion: itam/v1
kind: Vendor
id: acme
name: ACME
---
apiVersion: itam/v1
kind: Vendor
id: globex
name: Globex
"""

DEFAULT_FX = "[{date: 2024-01-01, USD: 0.9, GBP: 1.2}, {date: 2025-01-01, USD: 0.8, GBP: 1.25}]"


def settings_yaml(*, fiscal_year_start: str = "01-01", fx: str = DEFAULT_FX, categories: str = "") -> str:
    categories = categories or (
        "  laptop: {depreciation: {method: straight_line, life_months: 36}}\n"
        "  server: {depreciation: {method: straight_line, life_months: 60}}\n"
        "  tools: {}\n"
    )
    return (
        "apiVersion: itam/v1\nkind: Settings\nid: settings\ncurrency: EUR\n"
        f'fiscal_year_start: "{fiscal_year_start}"\nfx: {fx}\ncategories:\n{categories}'
    )


def asset_yaml(id: str, *, category: str = "laptop", status: str = "deployed", date: str | None = "2024-03-15",
               cost: str | None = "1200.00", extra: str = "", cost_center: str = "ENG",
               location: str = "hq", vendor: str = "acme") -> str:
    """YAML of an asset; ``extra`` (dedented) is appended as top-level YAML."""
    lines = ["apiVersion: itam/v1", "kind: Asset", f"id: {id}", f"name: Asset {id}", f"category: {category}",
             f"status: {status}", f"cost_center: {cost_center}", f"location: {location}"]
    if date is not None or cost is not None:
        lines.append("purchase:")
        if date is not None:
            lines.append(f"  date: {date}")
        if cost is not None:
            lines.append(f"  cost: {cost}")
        lines.append(f"  vendor: {vendor}")
    return "\n".join(lines) + "\n" + textwrap.dedent(extra)


class FinanceRegistry(RegistryDir):
    """A registry folder the test fills file by file, then loads (validation must pass)."""

    def __init__(self, root: Path, **settings) -> None:
        super().__init__(build_registry(root, files={"settings.yaml": settings_yaml(**settings),
                                                     "refs.yaml": REFERENCES}).root)

    def asset(self, id: str, **kwargs) -> Path:
        return self.write(f"assets/{id}.yaml", asset_yaml(id, **kwargs))

    def load(self) -> Registry:
        return load_valid_registry(self.root)

    def load_unchecked(self) -> tuple[Registry, list]:
        """The typed registry even when cross-file rules find errors, with those findings.

        For testing the finance engine's own guards, which protect library callers
        that skip validation.
        """
        checked = open_registry(self.root)
        return checked.registry, [(d.file, d.line, d.rule) for d in checked.diagnostics]


run = run_cli  # the suite's one CLI runner (conftest.py)


def run_json(*args: str) -> dict:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# --- generated registries for the property tests (hypothesis) -------------------------------
# Model objects built directly, as tests/unit/budget/test_budget_properties.py does: no files, no
# category defaults (each asset carries its own depreciation), one currency.

gen_days = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
_amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("50000"), places=3)
_STATUSES = ("planned", "ordered", "in_stock", "deployed", "in_repair", "retired", "disposed")


def _eur(amount: Decimal) -> Money:
    return Money(amount, "EUR")


@st.composite
def _depreciations(draw) -> Depreciation:
    return Depreciation(
        method=draw(st.sampled_from(["straight_line", "declining_balance", "macrs", "none"])),
        life_months=draw(st.integers(1, 120)),
        salvage=_eur(draw(st.decimals(min_value=0, max_value=Decimal("2000"), places=2))),
        factor=draw(st.sampled_from([Decimal(1), Decimal("1.5"), Decimal(2)])),
        class_years=draw(st.sampled_from([3, 5, 7])),
        convention=draw(st.sampled_from(["half_year", "mid_quarter"])),
    )


@st.composite
def _assets(draw, index: int) -> Asset:
    status = draw(st.sampled_from(_STATUSES))
    planned = status in ("planned", "ordered")
    bought = draw(st.one_of(st.none(), gen_days)) if planned else draw(gen_days)
    cost = draw(st.one_of(st.none(), _amounts)) if planned else draw(_amounts)
    purchase = Purchase(bought, None if cost is None else _eur(cost)) if bought or cost is not None else None
    maintenance = tuple(Maintenance(draw(gen_days), "repair", _eur(draw(_amounts)), None, False, None, None, i)
                        for i in range(draw(st.integers(0, 3))))
    disposal = None
    if status == "disposed":
        disposal = Disposal(bought + timedelta(days=draw(st.integers(0, 3000))), "resale",
                            _eur(draw(_amounts)), draw(st.one_of(st.none(), _amounts.map(_eur))))
    return Asset(
        id=f"A-{index}", name=f"asset {index}", doc=None, category=draw(st.sampled_from(["laptop", "server"])),
        status=status, cost_center=draw(st.sampled_from([None, "ENG", "OPS"])),
        location=draw(st.sampled_from([None, "hq", "lon"])),
        service_level=draw(st.sampled_from([None, "gold", "standard"])),
        purchase=purchase, depreciation=draw(_depreciations()), maintenance=maintenance, disposal=disposal,
        end_of_life=draw(st.one_of(st.none(), gen_days)),
    )


@st.composite
def _billables(draw, index: int, asset_ids: list[str]) -> License | Contract:
    start = draw(gen_days)
    common = dict(
        id=f"B-{index}", name="item", doc=None, start=start,
        end=start + timedelta(days=draw(st.integers(27, 1500))),
        cost=_eur(draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=3))),
        billing=draw(st.sampled_from(["once", "monthly", "quarterly", "yearly"])),
        renewal=draw(st.sampled_from(["auto", "manual", "none"])),
    )
    linked = tuple(draw(st.lists(st.sampled_from(asset_ids), max_size=4)))
    if draw(st.booleans()):
        return License(type="subscription", seats=draw(st.integers(1, 9)), per_seat=True, assigned_to=linked,
                       **common)
    return Contract(type="support", renewal_months=draw(st.sampled_from([None, 1, 12])), covers=linked, **common)


@st.composite
def generated_registries(draw) -> Registry:
    """Small in-memory registries: every status, dates anywhere (maintenance before the purchase too),
    disposals, contracts covering and per-seat licenses assigned to any of the assets."""
    found = [draw(_assets(i)) for i in range(draw(st.integers(1, 5)))]
    items = [draw(_billables(i, [a.id for a in found])) for i in range(draw(st.integers(0, 3)))]
    levels = {"gold": ServiceLevel("gold", Decimal("1.5")), "standard": ServiceLevel("standard")}
    settings = Settings(fiscal_year_start=(draw(st.integers(1, 12)), 1), service_levels=levels)
    return Registry(root=Path("."), settings=settings, assets=tuple(found),
                    licenses=tuple(i for i in items if isinstance(i, License)),
                    contracts=tuple(i for i in items if isinstance(i, Contract)))
