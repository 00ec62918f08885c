"""The text renderer of the change commands (``new``, ``set``, ``retire``, ...: an ``EditResult``).

JSON is the result's ``to_json()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.diagnostics import location
from itamctl.render import PLAIN, Options
from itamctl.render.escape import terminal

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.edit.apply import EditResult


def render_text(result: EditResult, options: Options = PLAIN) -> str:
    if result.refused:
        head = f"refused: {terminal(result.summary)} would make the registry invalid; nothing written"
        return "\n".join([head, *(f"  {terminal(location(d))}: [{d.rule}] {terminal(d.message)}"
                                  for d in result.diagnostics)]) + "\n"
    verb = "would write" if result.dry_run else ("created" if result.created else "updated")
    return f"{verb} {terminal(result.file)}: {terminal(result.summary)}\n"  # a value may hold a line break
