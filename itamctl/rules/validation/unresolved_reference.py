"""Every reference resolves: people, locations, vendors, assets, categories, service levels."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping

from itamctl.diagnostics import Diagnostic
from itamctl.model import Item, Registry

ID = "unresolved_reference"
DESCRIPTION = "owner, location, vendor, assigned_to, covers, replaces, category, service_level " \
              "and (when Settings lists cost_centers) cost_center resolve"
DEFAULT_SEVERITY = "error"
TAKES_AS_OF = False
WAIVABLE = False


#: Up to this many candidates, a suggestion looks at all of them; above, at the
#: ``NEAR`` ids sorted next to the reference on either side (ids that share its
#: beginning), and as many next to it when ids are compared from their end.
#: difflib costs ~10 us a candidate: a suggestion costs at most ~0.5 ms whatever
#: the size of the registry (1% unresolved references must cost < 10% more:
#: with 40 a side they cost ~15% at 10^5 assets).
FULL_SCAN = 160
NEAR = 12


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only when a reference is unresolved

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Candidates:
    """Ids of each kind (or pair of kinds), built once; suggestions with bounded work.

    Without a bound, each unresolved reference compared itself with every id of
    the registry, so a registry where many references fail (one big file
    refused) took minutes. difflib's best match does not depend on the order of
    the candidates (ties go to the greater id), so small registries get exactly
    the suggestion a full scan gives.
    """

    def __init__(self, known_ids: Mapping[str, str]) -> None:
        self.known_ids = known_ids
        self._sorted: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}

    def near(self, word: str, kinds: tuple[str, ...]) -> list[str]:
        if kinds not in self._sorted:
            ids = sorted(i for i, k in self.known_ids.items() if k in kinds)
            self._sorted[kinds] = (ids, sorted(i[::-1] for i in ids))
        ids, reversed_ids = self._sorted[kinds]
        if len(ids) <= FULL_SCAN:
            return ids
        at = bisect.bisect_left(ids, word)
        near = ids[max(0, at - NEAR):at + NEAR]
        at = bisect.bisect_left(reversed_ids, word[::-1])
        near += [i[::-1] for i in reversed_ids[max(0, at - NEAR):at + NEAR]]
        return near


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'AEIOU' else 'a'} {noun}"


def _ref(
    candidates: _Candidates, item: Item, path: tuple, target: str | None, kinds: tuple[str, ...]
) -> Iterator[Diagnostic]:
    if target is None:
        return
    found = candidates.known_ids.get(target)
    wanted = " or ".join(kinds)
    field = ".".join(str(p) for p in path if not isinstance(p, int))
    if found is None:
        yield item.diagnostic(
            path, ID, f"`{field}` refers to '{target}', but no {wanted} has that id"
            f"{_suggest(target, candidates.near(target, kinds))}",
        )
    elif found not in kinds:
        yield item.diagnostic(
            path, ID, f"`{field}` refers to '{target}', which is {_a(found)}, not {_a(wanted)}"
        )


def _named(item: Item, path: tuple, name: str | None, names: Mapping[str, object], what: str
           ) -> Iterator[Diagnostic]:
    if name is not None and name not in names:
        known = ", ".join(sorted(names)) or "none defined"
        yield item.diagnostic(
            path, ID, f"`{path[-1]}` '{name}' is not a {what} defined in Settings "
            f"(known: {known}){_suggest(name, names)}",
        )


def check(registry: Registry) -> Iterator[Diagnostic]:
    settings = registry.settings
    ids = _Candidates(registry.known_ids)
    kind_of = registry.known_ids.get
    # each reference is first tested inline (most resolve): a finding's message is built only for those that fail
    categories, levels = settings.categories, settings.service_levels
    named = settings.doc is not None
    centres = dict.fromkeys(settings.cost_centers) if settings.cost_centers is not None else None
    for a in registry.assets:
        if a.owner is not None and kind_of(a.owner) != "Person":
            yield from _ref(ids, a, ("owner",), a.owner, ("Person",))
        if a.location is not None and kind_of(a.location) != "Location":
            yield from _ref(ids, a, ("location",), a.location, ("Location",))
        if a.replaces is not None and kind_of(a.replaces) != "Asset":
            yield from _ref(ids, a, ("replaces",), a.replaces, ("Asset",))
        if centres is not None and a.cost_center is not None and a.cost_center not in centres:
            yield from _named(a, ("cost_center",), a.cost_center, centres, "cost centre")
        if a.purchase and a.purchase.vendor is not None and kind_of(a.purchase.vendor) != "Vendor":
            yield from _ref(ids, a, ("purchase", "vendor"), a.purchase.vendor, ("Vendor",))
        for m in a.maintenance:
            if m.vendor is not None and kind_of(m.vendor) != "Vendor":
                yield from _ref(ids, a, ("maintenance", m.index, "vendor"), m.vendor, ("Vendor",))
        if named and (a.category not in categories or (a.service_level is not None
                                                        and a.service_level not in levels)):
            yield from _named(a, ("category",), a.category, categories, "category")
            yield from _named(a, ("service_level",), a.service_level, levels, "service level")
    for lic in registry.licenses:
        yield from _ref(ids, lic, ("vendor",), lic.vendor, ("Vendor",))
        for i, target in enumerate(lic.assigned_to):
            yield from _ref(ids, lic, ("assigned_to", i), target, ("Person", "Asset"))
    for c in registry.contracts:
        yield from _ref(ids, c, ("vendor",), c.vendor, ("Vendor",))
        yield from _ref(ids, c, ("owner",), c.owner, ("Person",))
        for i, target in enumerate(c.covers):
            yield from _ref(ids, c, ("covers", i), target, ("Asset",))
    for p in registry.people:
        if p.location is not None and kind_of(p.location) != "Location":
            yield from _ref(ids, p, ("location",), p.location, ("Location",))
