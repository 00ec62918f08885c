"""Writing an import plan: YAML files the loader reads back exactly; existing files changed only with ``force``.

* Assets go to ``assets/<category>/<id>.yaml``, licenses to ``licenses/<id>.yaml``,
  contracts to ``contracts/<id>.yaml``, one document each; People, Locations and
  Vendors to one multi-document file per kind at the registry's top
  (``people-imported.yaml``, or ``people-imported-2.yaml`` when that exists).
* Existing items whose imported fields differ are updated in place with ``force``
  (:mod:`itamctl.edit.yamledit`: only that document's changed fields; comments,
  order and every other byte of the file kept); without it they are left alone.
* All or nothing: when a row cannot be taken (the plan's or this module's
  blocking skips), nothing is written and the report says so.
* Files start with a ``yaml-language-server`` modeline when the registry sits
  next to itamctl's ``schemas/`` folder (:mod:`itamctl.modelines`).
* Dates are written as plain ``YYYY-MM-DD``, money as plain exact decimals
  (``2499.00``, never a float), strings the loader would read as numbers are
  quoted; each file is parsed back before it is written and must equal what
  was meant.
* Every file is written with :func:`itamctl.fileio.write_inside` (atomic, never
  through a symbolic link, never outside the registry); a document that would
  hold a secret is never written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.errors import FatalError
from itamctl.fileio import check_inside, write_inside
from itamctl.importers.planner import ImportPlan, NewDocument, RowWarning, Skipped, Unchanged, Update, as_loaded
from itamctl.loader import display_path, parse_text
from itamctl.model import Registry, Settings
from itamctl.modelines import modeline_for
from itamctl.pipeline import open_registry
from itamctl.portable import fold, free_name, portable_stem
from itamctl.render.escape import terminal
from itamctl.rules.validation import secret_in_field
from itamctl.schema import schema_file

REFERENCE_FILES = {"Person": "people-imported", "Location": "locations-imported", "Vendor": "vendors-imported"}
FOLDERS = {"License": "licenses", "Contract": "contracts"}

# Plain scalars the loader (YAML 1.2 core schema) reads as something other than a string.
_NOT_A_STRING = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
)


@dataclass(frozen=True)
class Created:
    id: str
    kind: str
    file: str


@dataclass(frozen=True)
class Updated:
    id: str
    kind: str
    file: str
    line: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    source: str
    dry_run: bool
    created: tuple[Created, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[RowWarning, ...]
    missing_categories: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    updated: tuple[Updated, ...] = ()
    unchanged: tuple[Unchanged, ...] = ()
    #: False when nothing was written: a dry run, or rows it cannot take (all or nothing).
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def blocking(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.skipped if s.blocking)

    @property
    def ok(self) -> bool:
        """Every row imported, unchanged or kept as the registry has it, and the registry validates."""
        return not self.blocking and not self.has_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "written": self.written,
            "created": [{"id": c.id, "kind": c.kind, "file": c.file} for c in self.created],
            "updated": [{"id": u.id, "kind": u.kind, "file": u.file, "line": u.line, "fields": list(u.fields)}
                        for u in self.updated],
            "unchanged": [{"line": u.line, "id": u.id, "kind": u.kind} for u in self.unchanged],
            "skipped": [{"line": s.line, "id": s.id, "reason": s.reason, "blocking": s.blocking}
                        for s in self.skipped],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
            "missing_categories": list(self.missing_categories),
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


# --- YAML ----------------------------------------------------------------

try:  # libyaml's emitter is the fast path (5,000 assets, dry run: 5.3 s -> 4.3 s); pure Python is the fallback
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]


class _Dumper(_SafeDumper):
    """SafeDumper with exact decimals, literal blocks for multi-line text and 1.2-safe strings."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = f"{value:f}"
    return dumper.represent_scalar(dumper.resolve(yaml.ScalarNode, text, (True, False)), text)


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _NOT_A_STRING.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _string)


def dump_documents(documents: Sequence[dict[str, Any]], header: str = "") -> str:
    """YAML text for ``documents`` (``---`` between several), after an optional comment ``header``."""
    body = yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                         explicit_start=len(documents) > 1, default_flow_style=False)
    return header + body


def _checked_text(documents: Sequence[dict[str, Any]], header: str, file: str) -> str:
    text = dump_documents(documents, header)
    parsed, problems = parse_text(text, file)
    if problems or [d.data for d in parsed] != [as_loaded(d) for d in documents]:
        raise FatalError(f"internal error: the YAML written for {file} would not read back as written "
                         f"({problems[0].message if problems else 'values differ'}); please report this")
    return text


# --- files ---------------------------------------------------------------

def _header(root: Path, relpath: str, schema: str, source: str) -> str:
    line = modeline_for(root, relpath, schema)
    lines = [line] if line else []
    lines.append(f"# Imported from {terminal(Path(source).name)} by `itamctl import`.")  # a name may hold a break
    return "\n".join(lines) + "\n"


def _folder(root: Path, relfolder: str) -> str:
    """``relfolder`` with portable names, reusing an existing folder whose name differs only by case."""
    parts: list[str] = []
    for part in relfolder.split("/"):
        name = portable_stem(part)
        try:
            existing = {fold(e.name): e.name for e in root.joinpath(*parts).iterdir() if e.is_dir()}
        except OSError:
            existing = {}
        parts.append(existing.get(fold(name), name))
    return "/".join(parts)


def _files(root: Path, plan: ImportPlan, force: bool) -> tuple[list[tuple[str, list[NewDocument]]], list[Skipped]]:
    """(registry-relative path, documents) for every file to write, and the documents that cannot be written.

    Names are portable (:mod:`itamctl.portable`): no Windows device names, no
    two files in a folder that differ only by case. A file in the way that does
    not hold the item (else it would be in the registry) is replaced only with ``force``.
    """
    files: list[tuple[str, list[NewDocument]]] = []
    chosen: dict[str, list[str]] = {}

    def new_name(folder: str, stem: str) -> str:
        name = free_name(root / folder, stem, ".yaml", chosen.setdefault(folder, []))
        chosen[folder].append(name)
        return f"{folder}/{name}" if folder else name

    documents = [*plan.items, *plan.references]
    for kind, stem in REFERENCE_FILES.items():
        docs = [d for d in documents if d.kind == kind]
        if docs:
            files.append((new_name("", stem), docs))
    skipped = []
    for doc in documents:
        if doc.kind in REFERENCE_FILES:
            continue
        folder = _folder(root, f"assets/{doc.data['category']}" if doc.kind == "Asset" else FOLDERS[doc.kind])
        relpath = f"{folder}/{portable_stem(doc.id)}.yaml"
        if (root / relpath).exists() and not force:
            skipped.append(Skipped(doc.line, doc.id, f"{display_path(root / relpath)} already exists and does not "
                                   f"hold {doc.kind} {doc.id}; --force replaces it"))
        elif (root / relpath).exists():
            files.append((relpath, [doc]))
        else:
            files.append((new_name(folder, doc.id), [doc]))
    return files, skipped


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _updates(root: Path, updates: Sequence[Update]) -> tuple[list[tuple[str, str, str]], list[Updated], list[Skipped]]:
    """(relpath, file, new text) of each file an update changes, edited in place (:mod:`itamctl.edit.yamledit`)."""
    from itamctl.edit.changes import assign_fields
    from itamctl.edit.yamledit import edit_item

    by_file: dict[str, list[Update]] = {}
    for update in updates:
        by_file.setdefault(update.file, []).append(update)
    texts, done, skipped = [], [], []
    top = root.resolve()
    for file, group in by_file.items():
        path = Path(file)
        try:
            relpath = path.resolve().relative_to(top).as_posix()
        except ValueError:
            skipped.extend(Skipped(u.line, u.id, f"{file} is outside the registry folder; not updated") for u in group)
            continue
        original = _read(path)
        bom, text = ("\ufeff", original[1:]) if original.startswith("\ufeff") else ("", original)
        kept = []
        for update in group:
            probe = dump_documents([{"kind": update.kind, "id": update.id,
                                     **{".".join(p): v for p, v in update.fields}}])
            secret = _secret(probe, file)
            if secret:
                skipped.append(Skipped(update.line, update.id, f"not updated: {secret}"))
                continue
            text = edit_item(text, update.id, lambda data, u=update: assign_fields(data, u.fields), file=file)
            kept.append(update)
        if not kept:
            continue
        documents, problems = parse_text(bom + text, file)
        by_id = {d.data.get("id"): d.data for d in documents}
        for update in kept:
            data = by_id.get(update.id, {})
            for path_, value in update.fields:
                node: Any = data
                for part in path_:
                    node = node.get(part) if isinstance(node, dict) else None
                if problems or node != as_loaded(value):
                    raise FatalError(f"internal error: updating {update.id} in {file} would not read back as "
                                     "written; please report this")
            done.append(Updated(update.id, update.kind, file, update.line,
                                tuple(".".join(p) for p, _ in update.fields)))
        texts.append((relpath, file, bom + text))
    return texts, done, skipped


def apply_plan(root: Path, plan: ImportPlan, *, dry_run: bool = False, force: bool = False) -> ImportReport:
    """Write the plan's files and updates (unless ``dry_run`` or a row cannot be taken) and validate the registry."""
    files, skipped = _files(root, plan, force)
    texts = []
    kept = []
    for relpath, docs in files:
        file = display_path(root / relpath)
        if len(docs) > 1 or docs[0].kind in REFERENCE_FILES:
            ok_docs = []
            for doc in docs:  # a shared file: the document holding a secret is left out, the others written
                secret = _secret(dump_documents([doc.data]), file)
                if secret:
                    skipped.append(Skipped(doc.line, doc.id, f"not written: {secret}"))
                else:
                    ok_docs.append(doc)
            if not ok_docs:
                continue
            text = _checked_text([d.data for d in ok_docs], _header(root, relpath, "itam.schema.json", plan.source),
                                 file)
        else:
            ok_docs = docs
            text = _checked_text([docs[0].data], _header(root, relpath, schema_file(docs[0].kind), plan.source), file)
            secret = _secret(text, file)
            if secret:
                skipped.append(Skipped(docs[0].line, docs[0].id, f"not written: {secret}"))
                continue
        kept.append((relpath, ok_docs))
        texts.append((relpath, file, text, not (root / relpath).exists()))
    updated_texts, updated, not_updated = _updates(root, plan.updates) if force else ([], [], [])
    skipped.extend(not_updated)
    all_skipped = tuple(sorted((*plan.skipped, *skipped), key=lambda s: s.line))
    blocked = any(s.blocking for s in all_skipped)
    for relpath, *_ in (*texts, *updated_texts):  # every target checked before the first write
        check_inside(root, relpath)
    write = not dry_run and not blocked
    if write:
        for relpath, _, text, new in texts:
            write_inside(root, relpath, text, overwrite=not new)
        for relpath, _, text in updated_texts:
            write_inside(root, relpath, text, overwrite=True)
    pending = () if write else [(file, text) for _, file, text, _ in texts] + [(f, t) for _, f, t in updated_texts]
    diagnostics = open_registry(root, extra=pending).diagnostics
    created = tuple(Created(d.id, d.kind, file) for (relpath, docs), (_, file, _, _) in zip(kept, texts, strict=True)
                    for d in docs)
    return ImportReport(plan.source, dry_run, created, all_skipped, plan.warnings, plan.missing_categories,
                        diagnostics, tuple(updated), plan.unchanged, write)


def _secret(text: str, file: str) -> str | None:
    """What the ``secret_in_field`` rule would say about ``text``: such a document is better not written at all."""
    documents, _ = parse_text(text, file)
    found = list(secret_in_field.check(Registry(Path(file).parent, Settings(), documents=tuple(documents))))
    return found[0].message if found else None
