"""Changing the registry safely: edit in memory, validate the whole registry, then write atomically.

A change is refused, and nothing written, when the registry would have a
validation error it does not have now (errors that were already there, in the
demo's planted findings for example, do not block unrelated edits). Files are
never written through symbolic links or outside the registry folder.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.edit import changes
from itamctl.edit.yamledit import dump_segment, edit_item
from itamctl.errors import EXIT_USAGE, FatalError, UsageError
from itamctl.fileio import write_atomic
from itamctl.loader import Document, display_path
from itamctl.model import Registry
from itamctl.pipeline import Checked, open_registry
from itamctl.schema import schema_file

#: ``new`` kinds -> (model kind, folder of one-file-per-item kinds, default id prefix).
NEW_KINDS = {
    "asset": ("Asset", "assets", None),
    "license": ("License", "licenses", "LIC-"),
    "contract": ("Contract", "contracts", "CTR-"),
    "person": ("Person", None, None),
}


@dataclass(frozen=True)
class EditResult:
    action: str
    id: str
    file: str
    summary: str
    written: bool
    dry_run: bool
    created: bool
    #: The validation errors the change would add (it is refused, and nothing written, when there are any).
    diagnostics: tuple[Diagnostic, ...]

    @property
    def refused(self) -> bool:
        return bool(self.diagnostics)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "id": self.id, "file": self.file, "summary": self.summary,
                "written": self.written, "dry_run": self.dry_run, "created": self.created,
                "refused": self.refused, "diagnostics": [d.to_json() for d in self.diagnostics]}


def _errors(checked: Checked) -> Counter:
    return Counter((d.file, d.rule, re.sub(r":\d+", "", d.message))
                   for d in checked.diagnostics if d.severity is Severity.ERROR)


def _new_errors(before: Checked, after: Checked) -> tuple[Diagnostic, ...]:
    extra = _errors(after) - _errors(before)
    found = []
    for d in after.diagnostics:
        key = (d.file, d.rule, re.sub(r":\d+", "", d.message))
        if d.severity is Severity.ERROR and extra[key] > 0:
            extra[key] -= 1
            found.append(d)
    return tuple(found)


def _document(checked: Checked, item_id: str) -> Document:
    for doc in checked.registry.documents:
        if doc.data.get("id") == item_id and doc.data.get("kind") in (
                "Asset", "License", "Contract", "Person", "Location", "Vendor"):
            return doc
    raise UsageError(f"no item with id {item_id!r} in the registry")


def _safe_target(root: Path, path: Path) -> None:
    if path.is_symlink():
        raise FatalError(f"{display_path(path)} is a symbolic link; edit the file it points at instead",
                         exit_code=EXIT_USAGE)
    real_root = root.resolve()
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if parent.resolve() != real_root and real_root not in parent.resolve().parents:
        raise FatalError(f"{display_path(path)} is outside the registry folder {display_path(root)}",
                         exit_code=EXIT_USAGE)


def _read(path: Path) -> tuple[str, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    return ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)


def _commit(root: Path, before: Checked, path: Path, text: str, *, action: str, item_id: str, summary: str,
            dry_run: bool, created: bool) -> EditResult:
    file = display_path(path)
    after = open_registry(root, extra=[(file, text)])
    added = _new_errors(before, after)
    if added or dry_run:
        return EditResult(action, item_id, file, summary, False, dry_run, created, added)
    _safe_target(root, path)
    write_atomic(path, text, overwrite=not created)
    return EditResult(action, item_id, file, summary, True, False, created, ())


def change_item(root: Path, item_id: str, change: Callable[[Any], str], *, action: str,
                dry_run: bool = False) -> EditResult:
    """Apply ``change`` (which returns a one-line summary) to the document of ``item_id``."""
    before = open_registry(root)
    doc = _document(before, item_id)
    path = Path(doc.file)
    _safe_target(root, path)
    bom, text = _read(path)
    summary: list[str] = []
    new_text = edit_item(text, item_id, lambda data: summary.append(change(data)), file=doc.file)
    return _commit(root, before, path, bom + new_text, action=action, item_id=item_id, summary=summary[0],
                   created=False, dry_run=dry_run)


def set_fields(root: Path, item_id: str, pairs: Sequence[str], *, dry_run: bool = False) -> EditResult:
    assignments = changes.parse_assignments(pairs)
    if not assignments:
        raise UsageError("nothing to set: give FIELD=VALUE pairs")

    def change(data: Any) -> str:
        changes.assign_fields(data, assignments)
        return ", ".join(f"{'.'.join(p)}: {'(removed)' if v is None else v}" for p, v in assignments)

    return change_item(root, item_id, change, action="set", dry_run=dry_run)


# --- new items -------------------------------------------------------------

def next_id(registry: Registry, kind: str, category: str | None = None) -> str:
    """The next free id of a kind: the highest number after the usual prefix, plus one (``LT-0042`` -> ``LT-0043``)."""
    model_kind, _, default_prefix = NEW_KINDS[kind]
    if model_kind == "Asset":
        pool = [a.id for a in registry.assets if a.category == category]
        default_prefix = re.sub(r"[^A-Z0-9]", "", (category or "item").upper())[:3] + "-"
    else:
        pool = [d.data["id"] for d in registry.documents
                if d.data.get("kind") == model_kind and isinstance(d.data.get("id"), str)]
    numbered = [m for m in (re.fullmatch(r"(.*?)(\d+)", i) for i in pool) if m]
    if numbered:
        prefix = Counter(m.group(1) for m in numbered).most_common(1)[0][0]
        same = [m for m in numbered if m.group(1) == prefix]
        width = max(len(m.group(2)) for m in same)
        number = max(int(m.group(2)) for m in same) + 1
    else:
        prefix, width, number = default_prefix, 4, 1
    while f"{prefix}{number:0{width}d}" in registry.known_ids:
        number += 1
    return f"{prefix}{number:0{width}d}"


def new_item(root: Path, kind: str, pairs: Sequence[str], *, item_id: str | None = None,
             dry_run: bool = False) -> EditResult:
    """A new document of ``kind`` with the given fields, in the file the layout calls for."""
    from ruamel.yaml.comments import CommentedMap

    from itamctl.modelines import modeline_for

    model_kind, folder, _ = NEW_KINDS[kind]
    assignments = changes.parse_assignments(pairs)
    before = open_registry(root)
    fields = {".".join(p): v for p, v in assignments}
    if model_kind == "Asset" and not fields.get("category"):
        raise UsageError("a new asset needs category=NAME (one of the categories in Settings)")
    if item_id is None:
        if model_kind == "Person":
            raise UsageError("a new person needs --id (for example their login name)")
        item_id = next_id(before.registry, kind, str(fields.get("category") or ""))
    elif item_id in before.registry.known_ids:
        raise UsageError(f"the id {item_id} is already in the registry")
    data = CommentedMap()
    data["apiVersion"] = "itam/v1"
    data["kind"] = model_kind
    data["id"] = item_id
    changes.assign_fields(data, assignments)
    if folder is None:
        path, text, created = _append_target(root, before, model_kind, data)
    else:
        sub = f"{folder}/{fields['category']}" if model_kind == "Asset" else folder
        relpath = f"{sub}/{item_id}.yaml"
        path = root / relpath
        if path.exists() or path.is_symlink():
            raise UsageError(f"{display_path(path)} already exists")
        _portable(root, relpath)
        modeline = modeline_for(root, relpath, schema_file(model_kind))
        text = (modeline + "\n" if modeline else "") + dump_segment("", data)
        created = True
    _safe_target(root, path)
    return _commit(root, before, path, text, action="new", item_id=item_id,
                   summary=f"new {model_kind} {item_id}", dry_run=dry_run, created=created)


def _portable(root: Path, relpath: str) -> None:
    """Refuse a new file whose name a Windows or macOS checkout could not hold beside its neighbours."""
    from itamctl.portable import fold, name_problem

    folder = root
    for part in relpath.split("/"):
        problem = name_problem(part)
        if problem:
            raise UsageError(f"{relpath}: the name {part!r} {problem}; choose another --id or category")
        if folder.is_dir():
            clash = [e.name for e in folder.iterdir() if fold(e.name) == fold(part) and e.name != part]
            if clash:
                raise UsageError(f"{relpath}: {clash[0]!r} is already in {display_path(folder)}; the names differ "
                                 "only by case, which macOS and Windows checkouts cannot hold apart")
        folder = folder / part


def _append_target(root: Path, before: Checked, model_kind: str, data: Any) -> tuple[Path, str, bool]:
    """Kinds that share files: the new document goes at the end of the file holding most of them."""
    from itamctl.modelines import modeline_for

    files = Counter(d.file for d in before.registry.documents if d.data.get("kind") == model_kind)
    if files:
        path = Path(files.most_common(1)[0][0])
        bom, text = _read(path)
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith(("\n", "\r")):
            text += newline
        body = dump_segment("\r\n" if newline == "\r\n" else "", data)
        return path, bom + text + "---" + newline + body, False
    relpath = {"Person": "people.yaml", "Location": "locations.yaml", "Vendor": "vendors.yaml"}[model_kind]
    modeline = modeline_for(root, relpath, "itam.schema.json")
    return root / relpath, (modeline + "\n" if modeline else "") + "---\n" + dump_segment("", data), True
