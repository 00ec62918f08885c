"""The validation pipeline: load -> schema -> model -> cross-file rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from itamctl.diagnostics import Diagnostic, Severity, sorted_diagnostics
from itamctl.errors import EXIT_USAGE, FatalError
from itamctl.loader import display_path, load_registry, parse_text
from itamctl.model import Registry, build_registry
from itamctl.render.diagnostics import location
from itamctl.rules import run_rules
from itamctl.schema import SchemaValidator


@dataclass(frozen=True)
class Checked:
    """A registry and everything validation found about it."""

    registry: Registry
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def open_registry(root: Path, *, extra: Sequence[tuple[str, str]] = ()) -> Checked:
    """Load and validate the registry at ``root``; problems are diagnostics.

    ``extra`` holds (file, text) pairs validated as if they were files of the
    registry already: what a write command is about to add (a dry run).
    Raises :class:`FatalError` only when there is no registry to read at all.
    """
    if not root.exists():
        raise FatalError(
            f"registry folder not found: {display_path(root)} "
            "(pass --registry PATH or run from the folder that holds registry/)",
            exit_code=EXIT_USAGE,
        )
    if not root.is_dir():
        raise FatalError(f"not a folder: {display_path(root)}", exit_code=EXIT_USAGE)
    loaded = load_registry(root)
    for file, text in extra:
        documents, problems = parse_text(text, file)
        loaded.documents.extend(documents)
        loaded.diagnostics.extend(problems)
        loaded.files.append(file)
    diagnostics = list(loaded.diagnostics)
    if not loaded.files:
        diagnostics.append(Diagnostic(
            display_path(root), None, None, "registry_empty", Severity.ERROR,
            "no *.yaml or *.yml files in the registry folder",
        ))
    validator = SchemaValidator(root)
    valid, found = validator.validate_all(loaded.documents)
    diagnostics.extend(found)
    registry, found = build_registry(root, valid, loaded.documents, loaded.files)
    diagnostics.extend(found)
    diagnostics.extend(run_rules(registry))
    return Checked(registry, tuple(sorted_diagnostics(diagnostics)))


def load_valid_registry(root: Path, *, limit: int = 10) -> Registry:
    """The registry for a report command; refuses (with file:line) when validation fails.

    Reports computed from a registry with errors could be silently wrong, so
    commands other than ``validate`` and ``check`` stop and point at the errors.
    """
    checked = open_registry(root)
    if checked.ok:
        return checked.registry
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    shown = "\n".join(
        f"  {location(d)}: [{d.rule}] {d.message}" for d in errors[:limit]
    )
    more = f"\n  ... and {len(errors) - limit} more" if len(errors) > limit else ""
    raise FatalError(
        f"the registry has {len(errors)} validation error(s); run `itamctl validate` and fix them first:\n"
        f"{shown}{more}",
        exit_code=1,
    )
