"""``itamctl init``: a new registry repository that validates clean as created.

Everything it writes comes from the package's ``templates/`` folder (the
workflow templates there are the ones the package ships; this repository's own
``.github/workflows`` are its CI, not templates). Example items get dates from
the ``today`` the CLI passes in, so the new registry is clean under ``check``
too. Nothing that exists is ever replaced: such files are listed as skipped.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

from itamctl import __version__
from itamctl.dates import add_months
from itamctl.diagnostics import Diagnostic, Severity
from itamctl.errors import UsageError
from itamctl.fileio import check_inside, make_folder, write_atomic
from itamctl.schema import builtin_schema_dir
from itamctl.site.build import base_dir

TEMPLATES = Path(__file__).resolve().parent / "templates"
REGISTRY = "registry"
SCHEMAS = "schemas"

#: Package template (under templates/) -> where init writes it in the new repository.
REPO_FILES = {
    "repo/README.md": "README.md",
    "repo/requirements.txt": "requirements.txt",
    "repo/pre-commit-config.yaml": ".pre-commit-config.yaml",
    "repo/vscode-settings.json": ".vscode/settings.json",
    "repo/gitignore": ".gitignore",
    "workflows/registry.yml": ".github/workflows/registry.yml",
    "workflows/daily-check.yml": ".github/workflows/daily-check.yml",
    "workflows/pages.yml": ".github/workflows/pages.yml",
    "repo/dependabot.yml": ".github/dependabot.yml",
}
#: Example registry files and the schema their modeline names (one document each, or several: itam).
REGISTRY_FILES = {
    "settings.yaml": "settings.schema.json",
    "assets/laptop/LT-0001.yaml": "asset.schema.json",
    "licenses/LIC-0001.yaml": "license.schema.json",
    "contracts/CTR-0001.yaml": "contract.schema.json",
    "people.yaml": "itam.schema.json",
    "locations.yaml": "itam.schema.json",
    "vendors.yaml": "itam.schema.json",
}
_CURRENCY = re.compile(r"[A-Z]{3}\Z")
SITE_CONFIG_HEADER = (
    "# The site's MkDocs configuration: `itamctl site build --registry registry` reads this\n"
    "# file (the one beside registry/), so change the theme, palette, navigation, extra CSS,\n"
    "# site_url or Markdown extensions here. The build sets site_name (Settings organization),\n"
    "# docs_dir and site_dir itself; a relative theme.custom_dir is taken from this folder.\n"
)


@dataclass(frozen=True)
class InitResult:
    root: Path
    git_initialised: bool
    created: tuple[str, ...]
    skipped: tuple[str, ...]

    def to_json(self) -> dict:
        return {"root": str(self.root), "git_initialised": self.git_initialised,
                "created": list(self.created), "skipped": list(self.skipped)}


@dataclass(frozen=True)
class InitReport:
    """The report of ``itamctl init``: what was written, and the validation of the new registry."""

    result: InitResult
    diagnostics: tuple[Diagnostic, ...]

    @property
    def valid(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def to_json(self) -> dict:
        return {**self.result.to_json(), "valid": self.valid, "diagnostics": [d.to_json() for d in self.diagnostics]}


def modeline(relpath: str, schema: str) -> str:
    """The ``yaml-language-server`` line for ``registry/<relpath>``: right for the file's folder depth."""
    depth = len(PurePosixPath(REGISTRY, relpath).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS}/{schema}"


def _substitute(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def planned_files(today: date, *, organization: str, currency: str,
                  requirement: str | None = None) -> list[tuple[str, str]]:
    """(path in the new repository, text) of every file ``init`` writes, in writing order."""
    if not _CURRENCY.match(currency):
        raise UsageError(f"--currency {currency!r} is not an ISO 4217 code such as EUR")
    if not organization.strip() or "\n" in organization or "@" in organization:
        raise UsageError("--organization must be one line of text without '@'")
    values = {
        "TODAY": today.isoformat(),
        "IN_1_YEAR": (add_months(today, 12) - timedelta(days=1)).isoformat(),
        "IN_3_YEARS": (add_months(today, 36) - timedelta(days=1)).isoformat(),
        "CURRENCY": currency,
        "REQUIREMENT": requirement or f"itamctl[site]=={__version__}",
    }
    files: list[tuple[str, str]] = []
    for relpath, schema in REGISTRY_FILES.items():
        text = (TEMPLATES / "registry" / relpath).read_text(encoding="utf-8")
        text = _substitute(text, {**values, "ORGANIZATION": json.dumps(organization, ensure_ascii=False)})
        files.append((f"{REGISTRY}/{relpath}", f"{modeline(relpath, schema)}\n{text}"))
    for path in sorted(builtin_schema_dir().glob("*.schema.json")):
        files.append((f"{SCHEMAS}/{path.name}", path.read_text(encoding="utf-8")))
    for path in sorted((builtin_schema_dir() / "bundled").glob("*.schema.json")):  # the editor settings' schema
        files.append((f"{SCHEMAS}/bundled/{path.name}", path.read_text(encoding="utf-8")))
    mkdocs = (base_dir() / "mkdocs.yml").read_text(encoding="utf-8")
    files.append(("site/mkdocs.yml", SITE_CONFIG_HEADER + mkdocs))
    for template, target in REPO_FILES.items():
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        files.append((target, _substitute(text, {**values, "ORGANIZATION": organization})))
    return files


def init_repository(root: Path, today: date, *, organization: str = "Example Organisation",
                    currency: str = "EUR", requirement: str | None = None,
                    git_init: bool = True) -> InitResult:
    """Write the new repository into ``root``; existing files are skipped, never replaced."""
    from itamctl import gitrepo

    files = planned_files(today, organization=organization, currency=currency, requirement=requirement)
    if (root.exists() or root.is_symlink()) and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    make_folder(root)
    planned, skipped = [], []
    for relpath, text in files:  # every target checked before the first is written
        if os.path.lexists(root / relpath):
            skipped.append(relpath)
        else:
            planned.append((check_inside(root, relpath), relpath, text))
    created = []
    for target, relpath, text in planned:
        write_atomic(target, text)
        created.append(relpath)
    initialised = gitrepo.init_repository(root) if git_init else False
    return InitResult(root, initialised, tuple(created), tuple(skipped))
