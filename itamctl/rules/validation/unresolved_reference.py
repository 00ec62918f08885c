"""Every reference resolves: people, locations, vendors, assets, categories, service levels."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from itamctl.diagnostics import Diagnostic
from itamctl.model import Item, Registry

ID = "unresolved_reference"
DESCRIPTION = "owner, location, vendor, assigned_to, covers, category and service_level resolve"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


def _suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'AEIOU' else 'a'} {noun}"


def _ref(
    registry: Registry, item: Item, path: tuple, target: str | None, kinds: tuple[str, ...]
) -> Iterator[Diagnostic]:
    if target is None:
        return
    found = registry.known_ids.get(target)
    wanted = " or ".join(kinds)
    field = ".".join(str(p) for p in path if not isinstance(p, int))
    if found is None:
        candidates = [i for i, k in registry.known_ids.items() if k in kinds]
        yield item.diagnostic(
            path, ID, f"`{field}` refers to '{target}', but no {wanted} has that id"
            f"{_suggest(target, candidates)}",
        )
    elif found not in kinds:
        yield item.diagnostic(
            path, ID, f"`{field}` refers to '{target}', which is {_a(found)}, not {_a(wanted)}"
        )


def _named(item: Item, path: tuple, name: str | None, names: Iterable[str], what: str
           ) -> Iterator[Diagnostic]:
    names = list(names)
    if name is not None and name not in names:
        known = ", ".join(sorted(names)) or "none defined"
        yield item.diagnostic(
            path, ID, f"`{path[-1]}` '{name}' is not a {what} defined in Settings "
            f"(known: {known}){_suggest(name, names)}",
        )


def check(registry: Registry) -> Iterator[Diagnostic]:
    settings = registry.settings
    for a in registry.assets:
        yield from _ref(registry, a, ("owner",), a.owner, ("Person",))
        yield from _ref(registry, a, ("location",), a.location, ("Location",))
        if a.purchase:
            yield from _ref(registry, a, ("purchase", "vendor"), a.purchase.vendor, ("Vendor",))
        for m in a.maintenance:
            yield from _ref(registry, a, ("maintenance", m.index, "vendor"), m.vendor, ("Vendor",))
        if settings.doc is not None:
            yield from _named(a, ("category",), a.category, settings.categories, "category")
            yield from _named(a, ("service_level",), a.service_level, settings.service_levels,
                              "service level")
    for lic in registry.licenses:
        yield from _ref(registry, lic, ("vendor",), lic.vendor, ("Vendor",))
        for i, target in enumerate(lic.assigned_to):
            yield from _ref(registry, lic, ("assigned_to", i), target, ("Person", "Asset"))
    for c in registry.contracts:
        yield from _ref(registry, c, ("vendor",), c.vendor, ("Vendor",))
        yield from _ref(registry, c, ("owner",), c.owner, ("Person",))
        for i, target in enumerate(c.covers):
            yield from _ref(registry, c, ("covers", i), target, ("Asset",))
    for p in registry.people:
        yield from _ref(registry, p, ("location",), p.location, ("Location",))
