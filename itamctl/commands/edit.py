"""The change commands: ``new``, ``set``, ``retire``, ``dispose``, ``assign``, ``audit``.

Each edits the YAML in place (comments and layout kept), validates the whole
registry with the change and writes atomically; a change that would add a
validation error is refused with the diagnostics and nothing is written
(exit status 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from itamctl.commands._options import amount_callback, emit, format_option, parse_date, registry_option
from itamctl.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from itamctl.render import formats

_COMMON = [format_option(*formats("itamctl.edit.apply:EditResult")),
           click.option("--dry-run", is_flag=True, help="Validate the change and show it without writing."),
           registry_option]


def _common(func: Callable) -> Callable:
    for option in _COMMON:
        func = option(func)
    return func


def _finish(result, fmt: str) -> None:
    emit(result, fmt)
    raise SystemExit(EXIT_FINDINGS if result.refused else EXIT_OK)




@click.command("new")
@click.argument("kind", type=click.Choice(["asset", "license", "contract", "person"]))
@click.argument("fields", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--id", "item_id", default=None, help="The new id [default: the next free one of its prefix].")
@_common
def new(kind: str, fields: tuple[str, ...], item_id: str | None, registry: Path, dry_run: bool, fmt: str) -> None:
    """Add an item: an asset file assets/<category>/<id>.yaml (with its schema modeline), a license or
    contract file, or a person at the end of the people file.

    \b
    itamctl new asset category=laptop name="ThinkPad for Sam" status=in_stock purchase.cost=1450.00
    """
    from itamctl.edit.apply import new_item

    _finish(new_item(registry, kind, fields, item_id=item_id, dry_run=dry_run), fmt)


@click.command("set")
@click.argument("item_id", metavar="ID")
@click.argument("fields", nargs=-1, required=True, metavar="FIELD=VALUE...")
@_common
def set_(item_id: str, fields: tuple[str, ...], registry: Path, dry_run: bool, fmt: str) -> None:
    """Change fields of an item (dotted paths reach nested fields: warranty.end=2028-01-31).

    Values are read as in a YAML file (1299.00 a decimal, 2026-03-01 a date,
    [a, b] a list); quote to keep a string (serial='"007"'); an empty value
    (notes=) removes the field.
    """
    from itamctl.edit.apply import set_fields

    _finish(set_fields(registry, item_id, fields, dry_run=dry_run), fmt)


def _chore(item_id: str, registry: Path, dry_run: bool, fmt: str, change, action: str) -> None:
    from itamctl.edit.apply import change_item

    _finish(change_item(registry, item_id, change, action=action, dry_run=dry_run), fmt)


@click.command("retire")
@click.argument("item_id", metavar="ID")
@_common
def retire(item_id: str, registry: Path, dry_run: bool, fmt: str) -> None:
    """Take an asset out of use (status: retired) or mark a person as gone (active: false)."""
    from itamctl.edit import changes

    _chore(item_id, registry, dry_run, fmt, changes.retire, "retire")


@click.command("dispose")
@click.argument("item_id", metavar="ID")
@click.option("--date", "day", required=True, callback=parse_date, metavar="YYYY-MM-DD", help="Disposal date.")
@click.option("--method", default="resale", show_default=True,
              type=click.Choice(["resale", "recycle", "donate", "destroy", "return"]))
@click.option("--proceeds", default=None, callback=amount_callback, help="Money received (registry currency).")
@click.option("--cost", default=None, callback=amount_callback, help="What the disposal cost (registry currency).")
@_common
def dispose(item_id: str, day: date, method: str, proceeds: Decimal | None, cost: Decimal | None, registry: Path,
            dry_run: bool, fmt: str) -> None:
    """Record that an asset left the organisation (status: disposed plus its disposal)."""
    from itamctl.edit import changes

    _chore(item_id, registry, dry_run, fmt, lambda data: changes.dispose(data, day, method, proceeds, cost),
           "dispose")


@click.command("assign")
@click.argument("item_id", metavar="LICENSE_OR_ASSET")
@click.argument("holder", metavar="ID")
@_common
def assign(item_id: str, holder: str, registry: Path, dry_run: bool, fmt: str) -> None:
    """Give a license seat to a person or asset (assigned_to), or an asset to its owner
    (an asset in stock becomes deployed)."""
    from itamctl.edit import changes

    _chore(item_id, registry, dry_run, fmt, lambda data: changes.assign(data, holder), "assign")


@click.command("audit")
@click.argument("item_id", metavar="ID")
@click.option("--date", "day", default=None, callback=parse_date, metavar="YYYY-MM-DD",
              help="Date of the audit [default: today].")
@_common
def audit(item_id: str, day: date | None, registry: Path, dry_run: bool, fmt: str) -> None:
    """Record that an asset was seen and checked (last_audit)."""
    from itamctl.edit import changes

    when = day or date.today()
    if when > date.today():
        raise UsageError(f"--date {when.isoformat()} is in the future")
    _chore(item_id, registry, dry_run, fmt, lambda data: changes.audit(data, when), "audit")
