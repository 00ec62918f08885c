"""The Markdown report of ``itamctl check``: the GitHub job summary and the daily issue's body.

Counts, the findings table (errors first) and the upcoming expiries (events within their lead
times). Every cell goes through :func:`~itamctl.render.table.md_escape`, so
nothing in a registry file can inject markup or HTML into the summary.
"""

from __future__ import annotations

from itamctl.diagnostics import counts
from itamctl.pipeline import CheckReport
from itamctl.render.expiries import markdown_events
from itamctl.render.table import markdown_table, md_escape

_ICON = {"error": "❌ error", "warning": "⚠️ warning", "notice": "ℹ️ notice"}


def render_markdown(report: CheckReport, *, title: str = "itamctl check") -> str:
    c = counts(report.diagnostics)
    verdict = "failed" if report.failed else "passed"
    out = [
        f"## {md_escape(title)}: {verdict} (as of {report.as_of.isoformat()})",
        "",
        markdown_table(("Errors", "Warnings", "Notices", "Files", "Upcoming expiries"),
                       [[c["error"], c["warning"], c["notice"], report.files, len(report.upcoming)]],
                       right=(0, 1, 2, 3, 4)),
        "### Findings",
        "",
    ]
    if report.diagnostics:
        rows = [[_ICON[d.severity.value], d.rule, f"{d.file}:{d.line}" if d.line else d.file, d.message]
                for d in sorted(report.diagnostics, key=lambda d: (d.severity.rank, d.sort_key()))]
        out.append(markdown_table(("Severity", "Rule", "Where", "Message"), rows))
    else:
        out.append("No findings.\n")
    out += ["### Upcoming expiries", ""]
    if report.upcoming:
        out.append(markdown_events(report.upcoming))
    else:
        out.append("Nothing falls within its alert lead time.\n")
    return "\n".join(out)
