"""``itamctl schema``: print the JSON Schema of a kind, for editors and other validators."""

from __future__ import annotations

import json
from pathlib import Path

import click

from itamctl.commands._options import format_option, print_text, registry_option


@click.command("schema")
@click.argument("kind", required=False, metavar="[KIND]")
@click.option("--bundle", is_flag=True,
              help="One self-contained file: everything the schema refers to inlined under `$defs`.")
@registry_option
@format_option("text", "json")
def schema(kind: str | None, bundle: bool, registry: Path, fmt: str) -> None:
    """Print the JSON Schema of KIND (Asset, License, ...; `itam` for any kind, dispatching on `kind`).

    Without KIND, lists the schemas. The registry's own schema extensions
    (`<registry>/schemas/`) are merged in when the registry folder exists.
    The schema itself is JSON whatever --format says; --format json lists
    the schemas as JSON.
    """
    from itamctl.errors import FatalError
    from itamctl.schema import KINDS, load_schemas, schema_file
    from itamctl.schema_bundle import bundle as make_bundle
    from itamctl.schema_bundle import dumps

    schemas = load_schemas(registry if (registry / "schemas").is_dir() else None)
    names = {k.lower(): schema_file(k) for k in KINDS} | {"itam": "itam.schema.json", "common": "common.schema.json"}
    if kind is None:
        listing = [{"kind": key, "file": file, "title": schemas[file].get("title", "")} for key, file in names.items()]
        if fmt == "json":
            print_text(json.dumps(listing, indent=2) + "\n", fmt="json")
        else:
            print_text("".join(f"{row['kind']:<10} {row['file']:<22} {row['title']}\n" for row in listing))
        return
    file = names.get(kind.lower().removesuffix(".schema.json"))
    if file is None:
        raise FatalError(f"no schema for kind {kind!r} (one of: {', '.join(names)})", exit_code=2)
    if bundle:
        print_text(dumps(make_bundle(file, schemas)), fmt="json")
    else:
        print_text(dumps({k: v for k, v in schemas[file].items() if k != "$id"}), fmt="json")
