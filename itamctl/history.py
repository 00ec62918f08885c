"""Item history from git: every commit that changed an item, with field-level changes.

Items are matched by ``id``, never by path, so an item's history follows it
across renamed files, moves between files and multi-document files. An id
changed in place (same file, same document position, same kind, in one
commit) links the new id's history to the old one's.

One ``git log --raw`` pass and one ``git cat-file --batch`` serve every item
(:meth:`itamctl.gitrepo.Repository.log`); each blob is parsed once. Merge
commits list no changes of their own: a change is shown under the commit that
made it (a conflict resolved differently from both sides is not shown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from itamctl.gitrepo import Commit, Repository
from itamctl.loader import decode, is_registry_path, parse_text


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # dotted path; lists compare whole; "file" when the item moved between files
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": json_value(self.old), "new": json_value(self.new)}


@dataclass(frozen=True)
class Entry:
    """What one commit did to one item."""

    id: str
    kind: str
    commit: str
    date: str
    author: str
    message: str
    change: str  # added | removed | modified | moved | renamed | unreadable (its file does not parse there)
    file: str  # inside the registry folder (the old file for a removal)
    changes: tuple[FieldChange, ...]
    old: dict[str, Any] | None = field(default=None, repr=False)
    new: dict[str, Any] | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"commit": self.commit, "date": self.date, "author": self.author, "message": self.message,
                "change": self.change, "file": self.file, "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True)
class CommitSummary:
    """A commit that changed registry files, and the ids it changed."""

    commit: str
    date: str
    author: str
    message: str
    entries: tuple[Entry, ...]


@dataclass
class History:
    """The history of every item in a registry folder, newest first."""

    commits: list[CommitSummary]
    by_id: dict[str, list[Entry]]
    renamed_from: dict[tuple[str, str], str]  # (commit, new id) -> old id

    def of(self, item_id: str) -> list[Entry]:
        """``item_id``'s entries, newest first, continued through ids it was renamed from."""
        result: list[Entry] = []
        order = {c.commit: i for i, c in enumerate(self.commits)}
        current, after, seen = item_id, -1, set()  # ``after``: only commits older than this position
        while current not in seen:
            seen.add(current)
            old = None
            for entry in self.by_id.get(current, []):
                if order[entry.commit] <= after:
                    continue
                result.append(entry)
                old = self.renamed_from.get((entry.commit, current)) if entry.change == "renamed" else None
                if old is not None:
                    after = order[entry.commit]
                    break
            if old is None:
                break
            current = old
        return result


def json_value(value: Any) -> Any:
    """A YAML value as JSON: exact decimals as strings, containers converted throughout."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and (value or not prefix):
        out: dict[str, Any] = {}
        for key, child in value.items():
            out.update(_flatten(child, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def field_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[FieldChange, ...]:
    """Dotted paths whose values differ between two documents (lists compare whole), sorted."""
    a, b = _flatten(old or {}), _flatten(new or {})
    return tuple(FieldChange(k, a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))


_Docs = dict[str, tuple[str, int, dict[str, Any]]]  # id -> (kind, index in file, data)


class _Parser:
    """Documents of blob contents by id, each distinct content parsed once; None for unreadable content."""

    def __init__(self) -> None:
        self._cache: dict[bytes, _Docs | None] = {}

    def docs(self, content: bytes, name: str) -> _Docs | None:
        if content in self._cache:
            return self._cache[content]
        found: _Docs | None = {}
        text, problems = decode(content, name)
        documents, problems = parse_text(text, name) if text is not None else ([], problems)
        if problems:
            found = None  # a file that does not parse says nothing about its items
        else:
            for doc in documents:
                item_id, kind = doc.data.get("id"), doc.data.get("kind")
                if isinstance(item_id, str) and isinstance(kind, str):
                    found.setdefault(item_id, (kind, doc.index, doc.data))
        self._cache[content] = found
        return found


def _entries_of(commit: Commit, parser: _Parser, last_good: dict[str, _Docs],
                ) -> tuple[list[Entry], dict[str, str]]:
    """The entries of one commit and its in-place id renames (new id -> old id).

    ``last_good`` holds each file's documents as last read (commits come oldest first): a file that
    does not parse at a commit keeps them, so its items are "unreadable" there, never "removed".
    """
    before: dict[str, tuple[str, str, int, dict]] = {}
    after: dict[str, tuple[str, str, int, dict]] = {}
    unreadable: dict[str, tuple[str, str, int, dict]] = {}
    for change in commit.files:
        old = parser.docs(change.old, change.path) if change.old is not None else {}
        if old is None:
            old = last_good.get(change.path, {})
        new = parser.docs(change.new, change.path) if change.new is not None else {}
        if new is None:
            new = old
            for item_id, (kind, index, data) in old.items():
                unreadable.setdefault(item_id, (change.path, kind, index, data))
        if change.new is None:
            last_good.pop(change.path, None)
        else:
            last_good[change.path] = new
        for item_id, (kind, index, data) in old.items():
            before.setdefault(item_id, (change.path, kind, index, data))
        for item_id, (kind, index, data) in new.items():
            after.setdefault(item_id, (change.path, kind, index, data))
    gone = {i: v for i, v in before.items() if i not in after}
    by_place = {(v[0], v[1], v[2]): i for i, v in gone.items()}
    renames: dict[str, str] = {}
    for item_id, (path, kind, index, _) in after.items():
        old_id = by_place.get((path, kind, index)) if item_id not in before else None
        if old_id is not None:
            renames[item_id] = old_id
    entries = []

    def entry(item_id: str, kind: str, change: str, path: str, changes: tuple[FieldChange, ...],
              old: dict | None, new: dict | None) -> Entry:
        return Entry(item_id, kind, commit.sha, commit.date, commit.author, commit.subject, change, path,
                     changes, old, new)

    renamed_old = set(renames.values())
    for item_id in sorted(before.keys() | after.keys()):
        old, new = before.get(item_id), after.get(item_id)
        if item_id in unreadable:
            place = unreadable[item_id]
            entries.append(entry(item_id, place[1], "unreadable", place[0], (), place[3], place[3]))
        elif new is not None and item_id in renames:
            source = before[renames[item_id]]
            entries.append(entry(item_id, new[1], "renamed", new[0], field_changes(source[3], new[3]),
                                 source[3], new[3]))
        elif new is not None and old is not None:
            changes = field_changes(old[3], new[3])
            if old[0] != new[0]:
                changes = (*changes, FieldChange("file", old[0], new[0]))
            if changes:
                entries.append(entry(item_id, new[1], "moved" if old[0] != new[0] else "modified", new[0],
                                     changes, old[3], new[3]))
        elif new is not None:
            entries.append(entry(item_id, new[1], "added", new[0], (), None, new[3]))
        elif old is not None and item_id not in renamed_old:
            entries.append(entry(item_id, old[1], "removed", old[0], (), old[3], None))
    return entries, renames


def registry_history(root: Path, *, rev: str = "HEAD", max_commits: int | None = None) -> History:
    """The history of every item of the registry folder ``root``, from ``rev`` back."""
    repo = Repository(root)
    return history_of(repo.log(repo.relative(root), is_registry_path, rev=rev, max_commits=max_commits))


def history_of(commits: Iterable[Commit]) -> History:
    parser = _Parser()
    summaries: list[CommitSummary] = []
    by_id: dict[str, list[Entry]] = {}
    renamed_from: dict[tuple[str, str], str] = {}
    last_good: dict[str, _Docs] = {}
    for commit in reversed(list(commits)):  # oldest first, for files that do not parse at some commit
        entries, renames = _entries_of(commit, parser, last_good)
        for new_id, old_id in renames.items():
            renamed_from[(commit.sha, new_id)] = old_id
        for e in entries:
            by_id.setdefault(e.id, []).append(e)
        if entries:
            summaries.append(CommitSummary(commit.sha, commit.date, commit.author, commit.subject, tuple(entries)))
    summaries.reverse()
    for entries in by_id.values():
        entries.reverse()
    return History(summaries, by_id, renamed_from)


@dataclass(frozen=True)
class HistoryReport:
    """The report of ``itamctl history ID``: the commits that changed one item, newest first."""

    id: str
    entries: tuple[Entry, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "entries": [e.to_json() for e in self.entries]}
