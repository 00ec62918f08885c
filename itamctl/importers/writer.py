"""Writing an import plan: YAML files the loader reads back exactly, never over existing files.

* Assets go to ``assets/<category>/<id>.yaml``, one document each; new People,
  Locations and Vendors to one multi-document file per kind at the registry's
  top (``people-imported.yaml``, or ``people-imported-2.yaml`` when that exists).
* Files start with a ``yaml-language-server`` modeline when the registry sits
  next to itamctl's ``schemas/`` folder (the repository layout); a registry
  elsewhere gets no modeline (a relative path would point nowhere).
* Dates are written as plain ``YYYY-MM-DD``, money as plain exact decimals
  (``2499.00``, never a float), strings the loader would read as numbers are
  quoted; each file is parsed back before it is written and must equal what
  was meant.
* Every file is written with :func:`itamctl.fileio.write_inside` (atomic, never
  through a symbolic link, never outside the registry); a file that
  exists is never replaced (its asset is skipped and reported).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.errors import FatalError
from itamctl.fileio import check_inside, write_inside
from itamctl.importers.snipeit import ImportPlan, NewDocument, RowWarning, Skipped
from itamctl.loader import display_path, parse_text
from itamctl.model import Registry, Settings
from itamctl.pipeline import open_registry
from itamctl.portable import fold, free_name, portable_stem
from itamctl.rules.validation import secret_in_field

SCHEMA_TITLE = "itamctl Asset"
REFERENCE_FILES = {"Person": "people-imported", "Location": "locations-imported", "Vendor": "vendors-imported"}

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
class ImportReport:
    source: str
    dry_run: bool
    created: tuple[Created, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[RowWarning, ...]
    missing_categories: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        """Every row imported and the registry validates (warnings allowed)."""
        return not self.skipped and not self.has_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "created": [{"id": c.id, "kind": c.kind, "file": c.file} for c in self.created],
            "skipped": [{"line": s.line, "id": s.id, "reason": s.reason} for s in self.skipped],
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


def _as_loaded(value: Any) -> Any:
    """What the loader yields for a value we dump: dates become strings, the rest is unchanged."""
    if isinstance(value, dict):
        return {k: _as_loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_loaded(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _checked_text(documents: Sequence[dict[str, Any]], header: str, file: str) -> str:
    text = dump_documents(documents, header)
    parsed, problems = parse_text(text, file)
    if problems or [d.data for d in parsed] != [_as_loaded(d) for d in documents]:
        raise FatalError(f"internal error: the YAML written for {file} would not read back as written "
                         f"({problems[0].message if problems else 'values differ'}); please report this")
    return text


# --- files ---------------------------------------------------------------

def schema_folder(root: Path) -> Path | None:
    """itamctl's ``schemas/`` beside the registry folder (the repository layout), if it is there."""
    folder = root.resolve().parent / "schemas"
    try:
        schema = json.loads((folder / "asset.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return folder if isinstance(schema, dict) and schema.get("title") == SCHEMA_TITLE else None


def modeline_for(root: Path, relpath: str, schema: str) -> str | None:
    """The ``yaml-language-server`` line for ``relpath`` in the registry, when the schemas are beside it."""
    folder = schema_folder(root)
    if folder is None:
        return None
    target = os.path.relpath(folder / schema, (root.resolve() / relpath).parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def _header(root: Path, relpath: str, schema: str, source: str) -> str:
    line = modeline_for(root, relpath, schema)
    lines = [line] if line else []
    lines.append(f"# Imported from {Path(source).name} by `itamctl import`.")
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


def _files(root: Path, plan: ImportPlan) -> tuple[list[tuple[str, list[NewDocument]]], list[Skipped]]:
    """(registry-relative path, documents) for every file to write; assets whose file exists are skipped.

    Names are portable (:mod:`itamctl.portable`): no Windows device names, no
    two files in a folder that differ only by case.
    """
    files: list[tuple[str, list[NewDocument]]] = []
    chosen: dict[str, list[str]] = {}

    def new_name(folder: str, stem: str) -> str:
        name = free_name(root / folder, stem, ".yaml", chosen.setdefault(folder, []))
        chosen[folder].append(name)
        return f"{folder}/{name}" if folder else name

    for kind, stem in REFERENCE_FILES.items():
        docs = [d for d in plan.references if d.kind == kind]
        if docs:
            files.append((new_name("", stem), docs))
    skipped = []
    for doc in plan.assets:
        folder = _folder(root, f"assets/{doc.data['category']}")
        relpath = f"{folder}/{doc.id}.yaml"
        if (root / relpath).exists():
            skipped.append(Skipped(doc.line, doc.id, f"{display_path(root / relpath)} already exists"))
        else:
            files.append((new_name(folder, doc.id), [doc]))
    return files, skipped


def apply_plan(root: Path, plan: ImportPlan, *, dry_run: bool = False) -> ImportReport:
    """Write the plan's files (unless ``dry_run``) and validate the registry with them."""
    files, skipped = _files(root, plan)
    texts = []
    kept = []
    for relpath, docs in files:
        schema = "asset.schema.json" if docs[0].kind == "Asset" else "itam.schema.json"
        file = display_path(root / relpath)
        text = _checked_text([d.data for d in docs], _header(root, relpath, schema, plan.source), file)
        secret = _secret(text, file)
        if secret and docs[0].kind == "Asset":
            skipped.append(Skipped(docs[0].line, docs[0].id, f"not written: {secret}"))
            continue
        kept.append((relpath, docs))
        texts.append((relpath, file, text))
    files = kept
    for relpath, _, _ in texts:  # every target checked before the first write: all or nothing is refused
        check_inside(root, relpath)
    if not dry_run:
        for relpath, _, text in texts:
            write_inside(root, relpath, text)
    pending = () if not dry_run else [(file, text) for _, file, text in texts]
    diagnostics = open_registry(root, extra=pending).diagnostics
    created = tuple(Created(d.id, d.kind, file) for (relpath, docs), (_, file, _) in zip(files, texts, strict=True)
                    for d in docs)
    return ImportReport(plan.source, dry_run, created, tuple(sorted((*plan.skipped, *skipped),
                                                                      key=lambda s: s.line)),
                        plan.warnings, plan.missing_categories, diagnostics)


def _secret(text: str, file: str) -> str | None:
    """What the ``secret_in_field`` rule would say about ``text``: such a file is better not written at all."""
    documents, _ = parse_text(text, file)
    found = list(secret_in_field.check(Registry(Path(file).parent, Settings(), documents=tuple(documents))))
    return found[0].message if found else None
