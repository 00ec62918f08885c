"""Diagnostics: every finding is data (file, line, column, rule, severity, message)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from itamctl.quickinit import quick_init


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "notice": 2}[self.value]


@quick_init
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the registry.

    ``file`` is the path as the user should see it (relative to the registry's
    parent when possible); ``line`` and ``column`` are 1-based and ``None``
    when the finding has no position (for example a missing Settings file).
    """

    file: str
    line: int | None
    column: int | None
    rule: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


def location(d: Diagnostic) -> str:
    """``file:line:column`` with the parts that exist."""
    where = d.file
    if d.line is not None:
        where += f":{d.line}"
        if d.column is not None:
            where += f":{d.column}"
    return where


def one_line(d: Diagnostic) -> str:
    """``file:line:column: [rule] message``: a diagnostic inside an error message (not escaped)."""
    return f"{location(d)}: [{d.rule}] {d.message}"


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort and de-duplicate diagnostics so output is deterministic (the first of equal ones kept: their
    order as given, mostly sorted already, is what the sort starts from)."""
    return sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    result = {s.value: 0 for s in Severity}
    for d in diagnostics:
        result[d.severity.value] += 1
    return result
