"""Dates come in a possible order: nothing ends before it starts."""

from __future__ import annotations

from collections.abc import Iterator

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.model import Registry

ID = "date_order"
DESCRIPTION = "warranty ends after purchase, contracts and licenses end after they start, " \
    "disposal and maintenance come after purchase"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def check(registry: Registry) -> Iterator[Diagnostic]:
    for a in registry.assets:
        bought = a.purchase.date if a.purchase else None
        if a.warranty and a.warranty.end and bought and a.warranty.end <= bought:
            yield a.diagnostic(("warranty", "end"), ID,
                               f"warranty ends {a.warranty.end} but the asset was bought {bought}")
        if a.warranty and a.warranty.start and a.warranty.end and a.warranty.end <= a.warranty.start:
            yield a.diagnostic(("warranty", "end"), ID,
                               f"warranty ends {a.warranty.end}, before it starts {a.warranty.start}")
        if a.disposal and bought and a.disposal.date < bought:
            yield a.diagnostic(("disposal", "date"), ID,
                               f"disposed {a.disposal.date}, before it was bought {bought}")
        if a.end_of_life and bought and a.end_of_life <= bought:
            yield a.diagnostic(("end_of_life",), ID,
                               f"end of life {a.end_of_life} is not after the purchase {bought}")
        for m in a.maintenance:
            if bought and m.date < bought:
                yield a.diagnostic(("maintenance", m.index, "date"), ID,
                                   f"maintenance on {m.date}, before the purchase {bought}",
                                   Severity.WARNING)
    for item in (*registry.licenses, *registry.contracts):
        if item.start and item.end and item.end <= item.start:
            yield item.diagnostic(("end",), ID, f"ends {item.end}, not after it starts {item.start}")
