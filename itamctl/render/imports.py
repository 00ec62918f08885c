"""The text renderer of an import report (`itamctl import ...`); JSON is the report's ``to_json()``."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options, diagnostics

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.importers.writer import ImportReport

_PLURAL = {"Person": "people", "Asset": "assets", "Location": "locations", "Vendor": "vendors",
           "License": "licenses", "Contract": "contracts"}


def render_text(report: ImportReport, options: Options = PLAIN) -> str:
    verb = "created" if report.written else "would create"
    lines = [f"{verb} {c.file} ({c.kind} {c.id})" for c in report.created]
    lines += [f"{'updated' if report.written else 'would update'} {u.file} ({u.kind} {u.id}): {', '.join(u.fields)}"
              for u in report.updated]
    lines += [f"{report.source}:{s.line}: skipped {s.id or 'row'}: {s.reason}" for s in report.skipped]
    lines += [f"{report.source}:{w.line}: warning: {w.message}" if w.line else f"{report.source}: warning: {w.message}"
              for w in report.warnings]
    if report.missing_categories:
        lines.append("Settings has no category " + ", ".join(report.missing_categories)
                     + "; add them under `categories:` in the Settings file")
    counts = Counter(c.kind for c in report.created)
    made = ", ".join(f"{n} {_PLURAL.get(kind, kind) if n != 1 else kind.lower()}" for kind, n in counts.items())
    verb = "imported" if report.written else "dry run: would import" if report.dry_run else "would import"
    summary = (f"{verb} {made or 'nothing'} from {report.source}; "
               + (f"{len(report.updated)} updated, " if report.updated else "")
               + (f"{len(report.unchanged)} unchanged, " if report.unchanged else "")
               + f"{len(report.skipped)} row{'s' * (len(report.skipped) != 1)} skipped, "
               f"{len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}")
    blocking = len(report.blocking)
    if blocking and not report.dry_run:
        summary += (f"\nnothing written: {blocking} row{'s' * (blocking != 1)} cannot be imported (all or nothing); "
                    "fix them and run the import again")
    lines.append(f"validation of the registry{'' if report.written else ' with these files'}:")
    text = "\n".join(lines) + "\n"
    files = len({c.file for c in report.created} | {u.file for u in report.updated})
    return text + diagnostics.render_text(report.diagnostics, files=files, colour=options.colour).replace(
        f" in {files} file{'s' * (files != 1)}\n", "\n") + summary + "\n"
