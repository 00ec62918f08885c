"""The policy gate: validation, then the policy rules, in one report (``itamctl check``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from itamctl.diagnostics import Diagnostic, Severity, sorted_diagnostics
from itamctl.model import Registry
from itamctl.rules import run_policy
from itamctl.tracking.events import Event, registry_events
from itamctl.validate import open_registry


@dataclass(frozen=True)
class CheckReport:
    as_of: date
    registry: Registry
    diagnostics: tuple[Diagnostic, ...]  # validation and policy, sorted by file and line
    events: tuple[Event, ...]

    @property
    def files(self) -> int:
        return len(self.registry.files)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def upcoming(self) -> tuple[Event, ...]:
        """Events within their lead times (``due``), soonest first."""
        return tuple(e for e in self.events if e.status == "due")


def run_check(root: Path, as_of: date, *, at: str | None = None) -> CheckReport:
    """Validate the registry at ``root`` and apply the policy rules to what is valid."""
    checked = open_registry(root, at=at)
    registry = checked.registry
    diagnostics = sorted_diagnostics([*checked.diagnostics, *run_policy(registry, as_of)])
    return CheckReport(as_of, registry, tuple(diagnostics), tuple(registry_events(registry, as_of)))
