"""quick_init's ``__init__`` does what the dataclass's did, for every class it is applied to."""

from __future__ import annotations

import dataclasses
from dataclasses import InitVar, dataclass, field
from datetime import date

import pytest
from conftest import REPO_ROOT

from itamctl import diagnostics, facts, loader, model, money
from itamctl.budget import forecast, lines
from itamctl.finance import depreciation, tco
from itamctl.quickinit import quick_init
from itamctl.rules import finding
from itamctl.tracking import events

MODULES = (model, money, loader, diagnostics, lines, tco, events, depreciation, facts, forecast, finding)
APPLIED = [cls for module in MODULES for cls in vars(module).values()
           if isinstance(cls, type) and "_dataclass_init" in cls.__dict__]


def test_it_is_applied_to_the_classes_made_once_an_item():
    names = {cls.__name__ for cls in APPLIED}
    assert {"Asset", "License", "Contract", "Person", "Location", "Vendor", "Purchase", "Warranty", "Maintenance",
            "Money", "Position", "Diagnostic", "Line", "AssetCosts", "Event", "Document", "DepreciationSchedule",
            "Segment", "Carrying", "Period", "Payment", "WarrantyEnd", "Unplaced", "Finding"} <= names


def _instances() -> dict[type, list]:
    """Instances of every class quick_init is applied to, from the demo registry and its reports."""
    from itamctl.budget import budget_report
    from itamctl.finance.costs import costs_report
    from itamctl.pipeline import open_registry
    from itamctl.rules import policy_rules, run_policy
    from itamctl.tracking.events import registry_events

    as_of = date(2026, 11, 28)
    checked = open_registry(REPO_ROOT / "registry")
    reg = checked.registry
    found: dict[type, list] = {}

    def walk(value: object, depth: int = 0) -> None:
        if depth > 4:
            return
        if type(value) in APPLIED:
            found.setdefault(type(value), []).append(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), depth + 1)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item, depth + 1)

    schedules = [s for a in reg.assets if (s := depreciation.depreciation_schedule(a, reg.settings)) is not None]
    budget = budget_report(reg, as_of)
    walk([*reg.items(), *checked.diagnostics, *run_policy(reg, as_of), *registry_events(reg, as_of),
          *schedules, *[s.carrying(as_of) for s in schedules], *[s.reported_periods() for s in schedules],
          *[facts.warranty_end(a, reg.settings) for a in reg.assets], *budget.unplaced,
          forecast.Unplaced("A-1", "Laptop", "no purchase date"),  # the demo's budget places every asset
          *[facts.payments(i, as_of) for i in (*reg.licenses, *reg.contracts)],
          *[f for rule in policy_rules() for f in rule.check(reg, as_of)],
          *costs_report(reg, as_of).items, *[ln for year in budget_report(reg, as_of).years for ln in year.lines]])
    for doc in reg.documents[:20]:
        walk(doc)
        walk(doc.start)
    return found


def test_every_instance_is_made_the_same_by_either_init():
    found = _instances()
    assert set(found) == set(APPLIED), set(APPLIED) - set(found)
    for cls, objects in found.items():
        for obj in objects[:200]:
            values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls) if f.init}
            by_dataclass = object.__new__(cls)
            cls._dataclass_init(by_dataclass, **values)
            assert cls(**values) == by_dataclass == obj
            positional = [values[f.name] for f in dataclasses.fields(cls) if f.init and not f.kw_only]
            keywords = {f.name: values[f.name] for f in dataclasses.fields(cls) if f.init and f.kw_only}
            assert cls(*positional, **keywords) == obj
            for f in dataclasses.fields(cls):  # every slot set, compare=False ones too
                assert getattr(cls(**values), f.name) == getattr(by_dataclass, f.name)
            assert dataclasses.replace(obj) == obj


@quick_init
@dataclass(frozen=True, slots=True)
class _Sample:
    a: int
    b: str = "b"
    c: list = field(default_factory=list)
    d: int = field(default=4, init=False)
    e: tuple = field(default=(), kw_only=True)
    total: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.a + self.d)


def test_defaults_factories_keyword_only_and_post_init_behave_as_the_dataclass_made_them():
    made = _Sample(1)
    assert (made.a, made.b, made.c, made.d, made.e, made.total) == (1, "b", [], 4, (), 5)
    assert _Sample(1).c is not _Sample(1).c  # a new list each time
    assert _Sample(2, "x", [1], e=(3,)) == _Sample(a=2, b="x", c=[1], e=(3,))
    with pytest.raises(TypeError):
        _Sample(1, "b", [], (5,))  # e is keyword-only
    with pytest.raises(TypeError):
        _Sample()  # a is required
    with pytest.raises(TypeError):
        _Sample(1, d=5)  # d is not a parameter
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = 2  # type: ignore[misc]
    reference = object.__new__(_Sample)
    _Sample._dataclass_init(reference, 2, "x", [1], e=(3,))
    assert reference == _Sample(2, "x", [1], e=(3,)) and reference.total == 6


@pytest.mark.parametrize("options", [{"frozen": True}, {"slots": True}], ids=["no slots", "not frozen"])
def test_it_refuses_classes_it_is_not_made_for(options):
    with pytest.raises(TypeError):
        @quick_init
        @dataclass(**options)
        class _Other:
            a: int


def test_it_refuses_init_vars():
    with pytest.raises(TypeError):
        @quick_init
        @dataclass(frozen=True, slots=True)
        class _WithInitVar:
            a: int
            b: InitVar[int] = 0
