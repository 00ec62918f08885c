"""Renderers for ``itamctl validate`` (a :class:`~itamctl.pipeline.Checked`): text and GitHub commands.

JSON is the report's ``to_json()``; the lines themselves are :mod:`itamctl.render.diagnostics`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options
from itamctl.render import diagnostics as lines

if TYPE_CHECKING:
    from itamctl.pipeline import Checked


def render_text(checked: Checked, options: Options = PLAIN) -> str:
    return lines.render_text(checked.diagnostics, files=len(checked.registry.files), colour=options.colour)


def render_github(checked: Checked, options: Options = PLAIN) -> str:
    return lines.render_github(checked.diagnostics, files=len(checked.registry.files))
