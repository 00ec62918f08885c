"""The text renderer of ``itamctl site build`` (a ``BuildResult``); JSON is its ``to_json()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.site.build import BuildResult


def render_text(result: BuildResult, options: Options = PLAIN) -> str:
    return f"built {result.pages} pages ({result.assets} assets) as of {result.as_of.isoformat()} into {result.out}\n"
