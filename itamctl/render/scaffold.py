"""Text output of ``itamctl init``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.diagnostics import Severity, one_line
from itamctl.render import PLAIN, Options

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.scaffold import InitReport


def render_text(report: InitReport, options: Options = PLAIN) -> str:
    result, diagnostics = report.result, report.diagnostics
    root = str(result.root)
    lines = [f"Created {len(result.created)} file(s) in {root}" + (" (and ran git init)" if result.git_initialised
                                                                   else "")]
    lines += [f"  + {p}" for p in result.created]
    if result.skipped:
        lines.append(f"Skipped {len(result.skipped)} file(s) that already exist (left as they are):")
        lines += [f"  = {p}" for p in result.skipped]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        lines.append(f"The registry has {len(errors)} validation error(s):")
        lines += [f"  {one_line(d)}" for d in errors]
    else:
        lines += ["The registry validates. Next:",
                  f"  cd {root} && itamctl validate && itamctl check",
                  "  replace the example items in registry/ with your own (or itamctl import ...),",
                  "  then commit and push: the workflows in .github/workflows/ take it from there."]
    return "\n".join(lines) + "\n"
