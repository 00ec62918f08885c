"""``itamctl list`` and ``itamctl show``: find items and see everything about one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from itamctl.commands._options import as_of_option, emit, format_option, output_options, registry_option
from itamctl.errors import UsageError
from itamctl.inventory import ItemList, ItemReport
from itamctl.render import formats


@click.command("list")
@click.argument("kind", required=False)
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
              help="Only items whose field (a dotted path such as purchase.vendor) has this value; repeatable.")
@click.option("--owner", default=None, metavar="ID", help="Only items owned by, or assigned to, this person.")
@click.option("--status", default=None, help="Only assets in this status (deployed, in_stock, retired, ...).")
@registry_option
@format_option(*formats(ItemList))
@output_options
def list_items(kind: str | None, where: tuple[str, ...], owner: str | None, status: str | None, registry: Path,
               fmt: str, output: Path | None, force: bool) -> None:
    """List items (KIND: asset, license, contract, person, location, vendor; default all)."""
    from itamctl.inventory import select_items
    from itamctl.pipeline import open_registry

    items = select_items(open_registry(registry).registry, kind, where=where, owner=owner, status=status)
    emit(ItemList(tuple(items)), fmt, output, force)


@click.command("show")
@click.argument("item_id", metavar="ID")
@registry_option
@as_of_option
@format_option(*formats(ItemReport))
@output_options
def show(item_id: str, registry: Path, as_of: date, fmt: str, output: Path | None, force: bool) -> None:
    """Every field of one item, its computed figures (book value, TCO, next expiry), open findings and file:line."""
    from itamctl.inventory import Inventory
    from itamctl.pipeline import open_registry

    checked = open_registry(registry)
    item = checked.registry.get(item_id)
    if item is None:
        hint = " (its document has validation errors: run itamctl validate)" if item_id in \
            checked.registry.known_ids else ""
        raise UsageError(f"no item with id {item_id!r} in the registry{hint}")
    emit(Inventory(checked, as_of).report(item), fmt, output, force)
