"""Policy rules that judge items one at a time: run by chunk of files, their findings kept across runs.

A rule module that declares ``ITEMS`` (the kinds it judges) and
``check_items(items, as_of, scope)`` finds what it finds about each item from
that item, the Settings, the item's events and the rule's own
``context(registry, as_of)`` (:class:`~itamctl.rules.finding.Scope`), nothing
else. The runner hands it the items of one chunk of files at a time (the
chunks the model items are cached by, :mod:`itamctl.itempack`) and keeps the
diagnostics of every such rule for a chunk in the facts pack
(:mod:`itamctl.factpack`), keyed by the chunk's items key, which of its items
the registry holds, the Settings, the as-of date, and the rules in force with
their severities and contexts. A warm ``check`` after an edit judges the
edited file's chunk alone and reads the others' findings back (8,700 findings
of 10^4 assets: ~5 ms, where judging them took ~0.15 s). Items no chunk holds
(the cache off, diff's sides, a file the cache could not keep) are judged in
every run. Either way the diagnostics are the same, and those of one item
come in the same order (by rule).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.model import Asset, Contract, Item, License, Registry
from itamctl.rules.finding import Scope
from itamctl.rules.waivers import waived
from itamctl.sharing import MISS, per_item

if TYPE_CHECKING:
    from itamctl.rules import Rule

#: The kinds a rule's ``ITEMS`` may name, and the items' classes.
KINDS: dict[str, type] = {"assets": Asset, "licenses": License, "contracts": Contract}
#: The fact's name in the facts pack.
FAMILY = "policy findings"
_SEVERITY = {s.value: s for s in Severity}


def findings(registry: Registry, as_of: date, rules: Sequence[tuple[Rule, Severity]]) -> list[Diagnostic]:
    """The diagnostics of the item-by-item ``rules`` (each with its severity) on ``registry`` on ``as_of``,
    after exemptions (retired items) and waivers."""
    if not rules:
        return []
    from itamctl.tracking.events import events_of

    settings = registry.settings
    events = events_of(registry, as_of)
    scopes = [Scope(settings, events, r.module.context(registry, as_of) if hasattr(r.module, "context") else None)
              for r, _ in rules]
    items = [*registry.assets, *registry.licenses, *registry.contracts]
    factpack = sys.modules.get("itamctl.factpack")  # imported by the pipeline when it keeps facts
    store = factpack.current if factpack is not None else None
    if store is None:
        return _judge(items, as_of, rules, scopes, settings)
    by_chunk, rest = store.chunked(registry, items)
    extra = hashlib.sha256(repr([(r.id, level.value, scope.context) for (r, level), scope
                                 in zip(rules, scopes, strict=True)]).encode("utf-8", "surrogateescape")).digest()
    found: list[Diagnostic] = []
    for chunk, triples in by_chunk.items():
        record = store.chunk_slot(FAMILY, chunk, triples, settings, as_of, extra)
        kept = record.values.get((FAMILY,), MISS) if record is not None else MISS
        if kept is not MISS:
            try:
                found.extend([Diagnostic(file, line, column, rule, _SEVERITY[level], message)
                              for file, line, column, rule, level, message in kept])
                continue
            except (TypeError, ValueError, KeyError):  # not what this module writes: judged again
                pass
        judged = _judge([t[2] for t in triples], as_of, rules, scopes, settings)
        found.extend(judged)
        if record is not None:
            store.put((record, (FAMILY,)), [(d.file, d.line, d.column, d.rule, d.severity.value, d.message)
                                            for d in judged])
    if rest:
        found.extend(_judge(rest, as_of, rules, scopes, settings))
    return found


def _judge(items: Sequence[Item], as_of: date, rules: Sequence[tuple[Rule, Severity]], scopes: Sequence[Scope],
           settings: Any) -> list[Diagnostic]:
    of_kind: dict[type, list[Item]] = {cls: [] for cls in KINDS.values()}
    for item in items:
        of_kind[next(cls for cls in KINDS.values() if isinstance(item, cls))].append(item)
    found: list[Diagnostic] = []
    for (rule, level), scope in zip(rules, scopes, strict=True):
        chosen = [item for kind in rule.items for item in of_kind[KINDS[kind]]]
        if not chosen:
            continue
        for finding in rule.module.check_items(chosen, as_of, scope):
            item = finding.item
            if getattr(item, "retired", False) or (rule.waivable and waived(item, rule.id, as_of)):
                continue
            # the same finding of the very same item (diff's sides): its position is looked up once
            found.append(per_item(("policy finding", rule.id, tuple(finding.path), finding.message, level), item,
                                  settings, as_of, item.diagnostic, finding.path, rule.id, finding.message, level))
    return found
