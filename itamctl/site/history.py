"""The site's view of git history: item histories, recent changes, what each person was given.

All of it comes from one :func:`itamctl.history.registry_history` pass (one
``git log`` and one ``git cat-file --batch``), however many items there are.
History is a bonus: a registry outside git gets none, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from itamctl.errors import FatalError
from itamctl.history import Entry, History, json_value, registry_history
from itamctl.model import Registry

#: Commits shown on the "Recent changes" page.
RECENT = 50
#: Commits shown on an item page.
PER_ITEM = 20
#: Items listed per commit on the "Recent changes" page (the rest are counted).
ITEMS_PER_COMMIT = 20


def _value(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def entry_row(entry: Entry) -> dict[str, Any]:
    return {"date": entry.date[:10], "subject": entry.message, "author": entry.author, "commit": entry.commit[:10],
            "change": entry.change,
            "changes": [{"field": c.field, "old": _value(c.old), "new": _value(c.new)} for c in entry.changes]}


def _holders(entry_data: dict[str, Any] | None, kind: str) -> set[str]:
    if not entry_data:
        return set()
    if kind == "Asset":
        owner = entry_data.get("owner")
        return {owner} if isinstance(owner, str) else set()
    if kind == "License":
        held = entry_data.get("assigned_to")
        return {h for h in held if isinstance(h, str)} if isinstance(held, list) else set()
    return set()


@dataclass
class SiteHistory:
    history: History | None
    _given: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, registry: Registry) -> SiteHistory:
        try:
            found = registry_history(registry.root, rev=registry.revision or "HEAD")
        except FatalError:
            found = None
        site = cls(found)
        site._given = site._assignments()
        return site

    def item(self, item_id: str) -> list[dict[str, Any]]:
        """An item page's history rows, newest first."""
        if self.history is None:
            return []
        return [entry_row(e) for e in self.history.of(item_id)[:PER_ITEM]]

    def recent(self) -> list[dict[str, Any]]:
        """The last :data:`RECENT` commits that changed registry items, with the items they changed."""
        if self.history is None:
            return []
        return [{"date": c.date[:10], "subject": c.message, "author": c.author, "commit": c.commit[:10],
                 "items": [{"id": e.id, "kind": e.kind, "change": e.change,
                            "fields": [ch.field for ch in e.changes]} for e in c.entries[:ITEMS_PER_COMMIT]],
                 "more": max(0, len(c.entries) - ITEMS_PER_COMMIT)}
                for c in self.history.commits[:RECENT]]

    def person(self, person_id: str) -> list[dict[str, Any]]:
        """What was assigned to and taken from a person, newest first."""
        return self._given.get(person_id, [])

    def _assignments(self) -> dict[str, list[dict[str, Any]]]:
        given: dict[str, list[dict[str, Any]]] = {}
        if self.history is None:
            return given
        for commit in self.history.commits:
            for e in commit.entries:
                before, after = _holders(e.old, e.kind), _holders(e.new, e.kind)
                for who, what in [*((p, "assigned") for p in sorted(after - before)),
                                  *((p, "taken") for p in sorted(before - after))]:
                    given.setdefault(who, []).append({
                        "date": commit.date[:10], "commit": commit.commit[:10], "subject": commit.message,
                        "author": commit.author, "action": what, "id": e.id, "kind": e.kind})
        return given


def attach(registry: Registry, rows: list[dict[str, Any]], people: list[dict[str, Any]]) -> SiteHistory:
    """Put history into item rows (``history``) and people rows (``assignments``)."""
    site = SiteHistory.of(registry)
    for row in rows:
        row["history"] = site.item(row["id"])
    for person in people:
        person["assignments"] = site.person(person["id"])
    return site

