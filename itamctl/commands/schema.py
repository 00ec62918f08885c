"""``itamctl schema``: print the JSON Schema of a kind, for editors and other validators."""

from __future__ import annotations

from pathlib import Path

import click

from itamctl.commands._options import emit, format_option, output_options, registry_option
from itamctl.render import formats


@click.command("schema")
@click.argument("kind", required=False, metavar="[KIND]")
@click.option("--bundle", is_flag=True,
              help="One self-contained file: everything the schema refers to inlined under `$defs`.")
@registry_option
@format_option(*formats("itamctl.schema_bundle:SchemaListing"))
@output_options
def schema(kind: str | None, bundle: bool, registry: Path, fmt: str, output: Path | None, force: bool) -> None:
    """Print the JSON Schema of KIND (Asset, License, ...; `itam` for any kind, dispatching on `kind`).

    Without KIND, lists the schemas. The registry's own schema extensions
    (`<registry>/schemas/`) are merged in when the registry folder exists.
    The schema itself is JSON whatever --format says; --format json lists
    the schemas as JSON.
    """
    from itamctl.errors import FatalError
    from itamctl.schema import KINDS, load_schemas, schema_file
    from itamctl.schema_bundle import SchemaDocument, SchemaListing
    from itamctl.schema_bundle import bundle as make_bundle

    schemas = load_schemas(registry if (registry / "schemas").is_dir() else None)
    names = {k.lower(): schema_file(k) for k in KINDS} | {"itam": "itam.schema.json", "common": "common.schema.json"}
    if kind is None:
        rows = tuple((key, file, schemas[file].get("title", "")) for key, file in names.items())
        emit(SchemaListing(rows), fmt, output, force)
        return
    file = names.get(kind.lower().removesuffix(".schema.json"))
    if file is None:
        raise FatalError(f"no schema for kind {kind!r} (one of: {', '.join(names)})", exit_code=2)
    document = make_bundle(file, schemas) if bundle else {k: v for k, v in schemas[file].items() if k != "$id"}
    emit(SchemaDocument(document), "json", output, force)
