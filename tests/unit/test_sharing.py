"""Facts of one item computed once for the registries opened together (diff's two sides), never wrongly."""

from __future__ import annotations

from datetime import date

from itamctl import cache
from itamctl.finance.costs import costs_report
from itamctl.pipeline import open_registry, shared_files
from itamctl.sharing import per_item, sharing
from itamctl.tracking.events import events_of

AS_OF = date(2026, 6, 1)


def test_per_item_computes_once_for_the_same_objects_and_only_inside():
    calls: list[tuple] = []

    def compute(*args):
        calls.append(args)
        return len(calls)

    item, settings, other = object(), object(), object()
    assert per_item("f", item, settings, AS_OF, compute, 1) == 1
    assert per_item("f", item, settings, AS_OF, compute, 1) == 2  # outside: nothing kept
    with sharing():
        assert per_item("f", item, settings, AS_OF, compute, 1) == 3
        assert per_item("f", item, settings, AS_OF, compute, 1) == 3
        with sharing():  # nested: the same memo
            assert per_item("f", item, settings, AS_OF, compute, 1) == 3
        assert per_item("f", item, other, AS_OF, compute, 1) == 4  # other Settings
        assert per_item("f", item, settings, date(2026, 6, 2), compute, 1) == 5  # another day
        assert per_item("g", item, settings, AS_OF, compute, 1) == 6  # another fact
        assert per_item("f", item, settings, AS_OF, compute, 1, also=(other,)) == 7
        assert per_item("f", item, settings, AS_OF, compute, 1, also=(None,)) == 8
        assert per_item("f", item, settings, AS_OF, compute, 1, also=(other,)) == 7
    assert per_item("f", item, settings, AS_OF, compute, 1) == 9
    assert calls[0] == (1,)


def test_sides_share_settings_events_and_the_costs_of_unlinked_assets(registry):
    registry.write("assets/LT-0002.yaml", """\
        apiVersion: itam/v1
        kind: Asset
        id: LT-0002
        name: Spare laptop
        category: laptop
        status: in_stock
        purchase: {date: 2025-02-01, cost: 900.00, vendor: acme}
        """)
    cache.set_enabled(True)
    with shared_files():
        one, two = open_registry(registry.root).registry, open_registry(registry.root).registry
        assert one.settings is two.settings
        a, b = costs_report(one, AS_OF), costs_report(two, AS_OF)
        rows = {r.id: (r, s) for r, s in zip(a.items, b.items, strict=True)}
        assert rows["LT-0002"][0] is rows["LT-0002"][1]  # nothing links it to other items: computed once
        assert rows["LT-0001"][0] is not rows["LT-0001"][1]  # a contract and a per-seat license: per side
        assert rows["LT-0001"][0] == rows["LT-0001"][1]
        spare = next(x for x in one.assets if x.id == "LT-0002")
        assert events_of(one, AS_OF)(spare) is events_of(two, AS_OF)(spare)
    alone = costs_report(open_registry(registry.root).registry, AS_OF)
    assert alone.items == a.items and alone.totals == a.totals
