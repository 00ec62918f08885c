"""Renderers for ``itamctl check`` (a :class:`~itamctl.pipeline.CheckReport`): text, GitHub commands, Markdown.

JSON is the report's ``to_json()``; the Markdown report (job summary, daily
issue) is :mod:`itamctl.render.check_summary`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options
from itamctl.render import diagnostics as lines
from itamctl.render.check_summary import render_markdown as summary

if TYPE_CHECKING:
    from itamctl.pipeline import CheckReport


def render_text(report: CheckReport, options: Options = PLAIN) -> str:
    return lines.render_text(report.diagnostics, files=report.files, colour=options.colour)


def render_github(report: CheckReport, options: Options = PLAIN) -> str:
    return lines.render_github(report.diagnostics, files=report.files)


def render_markdown(report: CheckReport, options: Options = PLAIN) -> str:
    return summary(report)
