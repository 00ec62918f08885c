"""Text and JSON forms of an import report (`itamctl import ...`)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from itamctl.render.diagnostics import render_text

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.importers.writer import ImportReport

FORMATS = ("text", "json")
_PLURAL = {"Person": "people", "Asset": "assets", "Location": "locations", "Vendor": "vendors"}


def render_json(report: ImportReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_report(report: ImportReport, *, colour: bool = False) -> str:
    verb = "would create" if report.dry_run else "created"
    lines = [f"{verb} {c.file} ({c.kind} {c.id})" for c in report.created]
    lines += [f"{report.source}:{s.line}: skipped {s.id or 'row'}: {s.reason}" for s in report.skipped]
    lines += [f"{report.source}:{w.line}: warning: {w.message}" if w.line else f"{report.source}: warning: {w.message}"
              for w in report.warnings]
    if report.missing_categories:
        lines.append("Settings has no category " + ", ".join(report.missing_categories)
                     + "; add them under `categories:` in the Settings file")
    counts = Counter(c.kind for c in report.created)
    made = ", ".join(f"{n} {_PLURAL.get(kind, kind) if n != 1 else kind.lower()}" for kind, n in counts.items())
    summary = (f"{'dry run: would import' if report.dry_run else 'imported'} {made or 'nothing'} "
               f"from {report.source}; {len(report.skipped)} row{'s' * (len(report.skipped) != 1)} skipped, "
               f"{len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}")
    lines.append(f"validation of the registry{' with these files' if report.dry_run else ''}:")
    text = "\n".join(lines) + "\n"
    files = len({c.file for c in report.created})
    return text + render_text(report.diagnostics, files=files, colour=colour).replace(
        f" in {files} file{'s' * (files != 1)}\n", "\n") + summary + "\n"
