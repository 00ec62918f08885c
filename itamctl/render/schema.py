"""The text renderer of ``itamctl schema``'s listing; a schema itself is JSON (the generic renderer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itamctl.render import PLAIN, Options

if TYPE_CHECKING:  # a renderer does not import the command's core
    from itamctl.schema_bundle import SchemaListing


def render_text(listing: SchemaListing, options: Options = PLAIN) -> str:
    return "".join(f"{kind:<10} {file:<22} {title}\n" for kind, file, title in listing.rows)
