"""The CSV renderer of ``itamctl export`` (one table: the command refuses several kinds in CSV).

JSON is the report's ``to_json()``; xlsx and sqlite are binary files :mod:`itamctl.export` writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options
from itamctl.render.table import csv_text, defuse

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.export import ExportReport


def render_csv(report: ExportReport, options: Options = PLAIN) -> str:
    (table,) = report.tables
    return csv_text([defuse(c) for c in table.columns], table.rows)
