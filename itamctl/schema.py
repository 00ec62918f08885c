"""JSON Schema validation of documents, with findings pointing at lines.

The built-in schemas (``schemas/`` in the source tree, shipped inside the
package) are loaded once into a :mod:`referencing` registry; one validator per
kind is built once and reused for every document.

Two backends share the work. jsonschema-rs (Rust, ~100x faster) answers
"is this document valid?" for every document; only documents it refuses go
through python-jsonschema, whose errors :func:`_explain` turns into the
findings users see, so messages, paths and suggestions are python-jsonschema's
alone. The fast backend checks formats as python-jsonschema does (the formats
the shipped schemas use are restated in ``OWN_FORMATS`` and tested against the
reference's, so a changed file is checked without importing python-jsonschema;
an extension's other formats call the reference's functions), so both agree
on what a valid date, email or URL is; a document
that the fast backend accepts but python-jsonschema would refuse is a bug
(``tests/unit/test_schema_backends.py`` runs both on every fixture). A registry may add its own
fields: ``<registry>/schemas/<kind>.schema.json`` holding ``properties`` (and
optionally ``required``) is merged into the built-in schema of that kind.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from itamctl.diagnostics import Diagnostic
from itamctl.errors import FatalError
from itamctl.fileio import inside, read_regular
from itamctl.loader import MAX_FILE_BYTES, Document, display_path
from itamctl.secret_patterns import looks_like_secret_field

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

API_VERSION = "itam/v1"

#: ``uri`` as RFC 3986 has it (what ajv and jsonschema-rs check): a scheme, then
#: only URI characters and well-formed percent escapes. python-jsonschema checks
#: ``uri`` only with an optional package; this needs none.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _integral(value: Decimal) -> bool:
    """JSON Schema's integer for a Decimal (``30.0`` counts): what both backends' integer checks use."""
    return value.is_finite() and value == value.to_integral_value()


@cache
def _reference() -> SimpleNamespace:
    """python-jsonschema, set up once: imported only when a document is checked (a registry read
    wholly from the cache never pays for it). ``checker``: the format functions both backends call;
    ``validator``: the Draft 2020-12 class whose integers include ``30.0``; ``types``: its type checker."""
    from jsonschema import Draft202012Validator, validators

    checker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    checker.checks("uri")(_is_uri)
    base_types = Draft202012Validator.TYPE_CHECKER

    def is_integer(type_checker: Any, value: Any) -> bool:
        """JSON Schema's integer: any number with a zero fraction, so ``30.0`` (read as Decimal) counts."""
        if isinstance(value, Decimal):
            return _integral(value)
        return base_types.is_type(value, "integer")

    validator = validators.extend(Draft202012Validator, type_checker=base_types.redefine("integer", is_integer))
    return SimpleNamespace(checker=checker, validator=validator, types=validator.TYPE_CHECKER)


KINDS = ("Settings", "Asset", "License", "Contract", "Person", "Location", "Vendor")


#: Every rule id a schema finding can carry: ``schema.<check>``, stable (not JSON Schema's keyword names).
SCHEMA_RULES: dict[str, str] = {
    "schema.api_version": "`apiVersion` is not `itam/v1`",
    "schema.kind": "`kind` is not one of the known kinds",
    "schema.required": "a required field is missing",
    "schema.unknown_field": "a field the schema does not define (custom fields start with `x-`)",
    "schema.type": "a value of the wrong type (a string where a number is expected, ...)",
    "schema.enum": "a value not among the allowed ones",
    "schema.const": "a value other than the one allowed",
    "schema.format": "a malformed date, e-mail address, URI, ...",
    "schema.pattern": "a string not of the required form (ids, currency codes, ...)",
    "schema.value": "a value none of the allowed forms accepts (money, ...)",
    "schema.minimum": "a number below its lower bound (inclusive or exclusive)",
    "schema.maximum": "a number above its upper bound (inclusive or exclusive)",
    "schema.unique_items": "a list names the same entry twice",
    "schema.invalid": "any other schema violation (the message names the JSON Schema keyword)",
}


def builtin_schema_dir() -> Path:
    packaged = Path(__file__).parent / "_data" / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


def schema_file(kind: str) -> str:
    return f"{kind.lower()}.schema.json"


@cache
def _builtin_schemas() -> dict[str, dict]:
    """File name -> schema. The files carry no ``$id`` (so their relative ``$ref``s
    resolve against wherever a client reads them from, with no network); in
    memory each gets its file's URI as ``$id``."""
    result = {}
    for path in sorted(builtin_schema_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        result[path.name] = {"$id": path.resolve().as_uri(), **schema}
    return result


def load_schemas(registry_root: Path | None = None,
                 extensions: Sequence[tuple[str, bytes]] | None = None) -> dict[str, dict]:
    """File name -> schema, with a registry's extensions merged in.

    The extensions are read from ``registry_root / "schemas"``, unless ``extensions`` gives them
    as ``(file shown in messages, content)`` pairs (a registry at a git revision).
    """
    schemas = dict(_builtin_schemas())
    if extensions is None:
        extensions = read_extensions(registry_root)
    for shown, content in extensions:
        name = PurePosixPath(shown).name
        if name not in schemas or name == "common.schema.json":
            raise FatalError(
                f"no built-in schema named {name} to extend "
                f"(one of: {', '.join(schema_file(k) for k in KINDS)})",
                file=shown,
            )
        try:
            ext = json.loads(content.decode("utf-8"))
        except ValueError as exc:
            raise FatalError(f"cannot read schema extension: {exc}", file=shown) from exc
        except RecursionError:
            ext = None
        if ext is None or _too_deep(ext):
            raise FatalError(f"cannot read schema extension: nested deeper than {MAX_EXTENSION_DEPTH} levels",
                             file=shown)
        if not isinstance(ext, dict) or not isinstance(ext.get("properties", {}), dict):
            raise FatalError("a schema extension must be an object with `properties`", file=shown)
        _check_extension(ext, schemas[name]["$id"], shown)
        merged = copy.deepcopy(schemas[name])
        merged.setdefault("properties", {}).update(ext.get("properties", {}))
        required = merged.get("required", []) + [
            r for r in ext.get("required", []) if r not in merged.get("required", [])
        ]
        if required:
            merged["required"] = required
        schemas[name] = merged
    return schemas


#: How deep a schema extension may nest (JSON Schema checks recurse per level; real ones need a handful).
MAX_EXTENSION_DEPTH = 64


def _too_deep(value: Any) -> bool:
    """Whether ``value`` (parsed JSON) nests deeper than :data:`MAX_EXTENSION_DEPTH`, found without recursion."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXTENSION_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def _read_extension(path: Path, registry_root: Path) -> bytes:
    """An extension's bytes: a regular file inside the registry (no link out of it, FIFO or device) within the
    loader's size limit, as the loader reads registry files (pull-request content: never a hang or a leak)."""
    shown = display_path(path)
    if not inside(path, registry_root):
        raise FatalError("cannot read schema extension: a symbolic link out of the registry (or a loop); "
                         "not followed", file=shown)
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise FatalError(f"cannot read schema extension: {exc.strerror or exc}", file=shown) from exc
    if len(data) > MAX_FILE_BYTES:
        raise FatalError(f"cannot read schema extension: larger than {MAX_FILE_BYTES} bytes", file=shown)
    return data


def read_extensions(registry_root: Path | None) -> list[tuple[str, bytes]]:
    """``(file shown in messages, content)`` of each schema extension in ``registry_root / "schemas"``."""
    ext_dir = registry_root / "schemas" if registry_root is not None else None
    if registry_root is None or ext_dir is None or not ext_dir.is_dir():
        return []
    return [(display_path(path), _read_extension(path, registry_root))
            for path in sorted(ext_dir.glob("*.schema.json"))]


@cache
def builtin_digest() -> bytes:
    """SHA-256 of the built-in schemas (part of every cache key)."""
    import hashlib

    return hashlib.sha256(json.dumps(_builtin_schemas(), sort_keys=True).encode()).digest()


def _check_extension(ext: dict, base_uri: str, shown: str) -> None:
    """An extension is itself valid JSON Schema and its ``$ref``s resolve (else: FatalError)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable

    try:
        Draft202012Validator.check_schema(ext)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise FatalError(f"invalid schema extension at {where}: {exc.message}", file=shown) from exc
    builtin = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in _builtin_schemas().values()
    )
    resolver = builtin.resolver(base_uri=base_uri)
    for ref in _keyword_values(ext, "$ref"):
        try:
            resolver.lookup(ref)
        except Unresolvable as exc:
            raise FatalError(f"schema extension: `$ref` {ref!r} does not resolve", file=shown) from exc


def _keyword_values(value: Any, keyword: str) -> Iterator[str]:
    """Every string value of ``keyword`` anywhere in a schema (``$ref``, ``format``)."""
    if isinstance(value, dict):
        if isinstance(value.get(keyword), str):
            yield value[keyword]
        for child in value.values():
            yield from _keyword_values(child, keyword)
    elif isinstance(value, list):
        for child in value:
            yield from _keyword_values(child, keyword)


class SchemaValidator:
    """Validates documents of every kind; validators are built once per kind.

    ``fast=False`` uses python-jsonschema alone (the reference, for tests).
    """

    def __init__(self, registry_root: Path | None = None,
                 extensions: Sequence[tuple[str, bytes]] | None = None, *, fast: bool = True) -> None:
        #: ``(file shown, content)`` of the registry's schema extensions.
        self.extensions = list(extensions) if extensions is not None else read_extensions(registry_root)
        self.schemas = load_schemas(registry_root, self.extensions)
        self._registry: Any = None
        self._validators: dict[str, Any] = {}
        self.fast = fast
        self._fast: dict[str, Any] = {}
        self._fast_registry: Any = None
        self._plans: dict[str, _IntPlan | None] = {}
        self._inlined: dict[str, dict] = {}

    def inlined(self, kind: str) -> dict:
        """The schema of ``kind`` with its local ``$ref``s inlined (what the python-jsonschema validator checks)."""
        if kind not in self._inlined:
            self._inlined[kind] = _inline_refs(self.schemas[schema_file(kind)], self.schemas, schema_file(kind))
        return self._inlined[kind]

    def validator(self, kind: str) -> Any:
        """The python-jsonschema validator of ``kind`` (the reference; it explains refused documents)."""
        if kind not in self._validators:
            if self._registry is None:
                from referencing import Registry, Resource

                self._registry = Registry().with_resources(
                    (schema["$id"], Resource.from_contents(schema)) for schema in self.schemas.values()
                    if "$id" in schema)
            reference = _reference()
            self._validators[kind] = reference.validator(self.inlined(kind), registry=self._registry,
                                                         format_checker=reference.checker)
        return self._validators[kind]

    def prepare(self) -> None:
        """Compile what every kind needs for a valid document now (before worker processes fork)."""
        for kind in KINDS:
            if self.fast:
                self.fast_validator(kind)
            self._plan(kind)

    def fast_validator(self, kind: str) -> Any:
        """The jsonschema-rs validator of ``kind`` (same schemas, same format functions)."""
        if kind not in self._fast:
            import jsonschema_rs

            if self._fast_registry is None:
                self._fast_registry = jsonschema_rs.Registry(
                    [(schema["$id"], _fast_schema(schema)) for schema in self.schemas.values() if "$id" in schema]
                )
            schema = _fast_schema(self.schemas[schema_file(kind)])
            self._fast[kind] = jsonschema_rs.Draft202012Validator(
                schema, registry=self._fast_registry, validate_formats=True,
                formats=_fast_formats(self.schemas.values()), ignore_unknown_formats=True, offline=True,
                keywords={_INTEGER_KEYWORD: _Integer},
                base_uri=schema.get("$id"),
            )
        return self._fast[kind]

    def is_valid(self, doc: Document) -> bool:
        """Whether ``doc`` has no schema finding, answered by the fast backend where it can."""
        if doc.data.get("apiVersion") != API_VERSION or doc.data.get("kind") not in KINDS:
            return False
        if self.fast:
            return self.fast_validator(doc.kind).is_valid(doc.data)
        return not self.validate(doc)

    def validate(self, doc: Document) -> list[Diagnostic]:
        header = list(_check_header(doc))
        if header:
            return header
        validator = self.validator(doc.kind)
        found: list[Diagnostic] = []
        errors = list(validator.iter_errors(doc.data))
        # a date like 15.03.2024 fails both `format` and `pattern`: report it once
        bad_format = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
        for error in errors:
            if error.validator == "pattern" and tuple(error.absolute_path) in bad_format:
                continue
            found.extend(_explain(doc, error))
        return found

    def findings(self, doc: Document) -> list[Diagnostic]:
        """The schema findings of ``doc``: none when the fast backend accepts it."""
        if self.fast and self.is_valid(doc):
            return []
        return self.validate(doc)

    def _plan(self, kind: str) -> _IntPlan | None:
        if kind not in self._plans:
            self._plans[kind] = _IntPlan.of(self.inlined(kind))
        return self._plans[kind]

    def to_int(self, doc: Document) -> None:
        """Integral Decimals where the schema wants integers made ints, in ``doc.data`` (a valid document)."""
        plan = self._plan(doc.kind)
        if plan is not None:
            plan.apply(doc.data)

    def validate_all(self, docs: Iterable[Document]) -> tuple[list[Document], list[Diagnostic]]:
        """Documents that passed, and the findings of those that did not."""
        valid: list[Document] = []
        found: list[Diagnostic] = []
        for doc in docs:
            problems = self.findings(doc)
            if problems:
                found.extend(problems)
            else:
                self.to_int(doc)
                valid.append(doc)
        return valid, found


#: python-jsonschema's ``date`` check: the pattern, then the calendar.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


#: The formats the shipped schemas use, as python-jsonschema checks them (``uri`` as :func:`_is_uri`), so
#: jsonschema-rs can check a changed file without importing python-jsonschema (~0.15 s on every warm run);
#: ``test_schema_backends`` holds them to the reference's functions.
OWN_FORMATS: dict[str, Callable[[object], bool]] = {
    "date": _is_date, "email": _is_email, "idn-email": _is_email, "uri": _is_uri,
}


def _reference_format(name: str) -> Callable[[object], bool]:
    """A format the shipped schemas do not use (an extension's), checked by python-jsonschema when first met."""
    return lambda value: _reference().checker.conforms(value, name)


def _fast_formats(schemas: Iterable[dict]) -> dict[str, Any]:
    """The format functions jsonschema-rs calls for every format the schemas name: the reference's.

    Formats the reference does not check are accepted by both.
    """
    names = {name for schema in schemas for name in _keyword_values(schema, "format")}
    return {name: OWN_FORMATS.get(name) or _reference_format(name) for name in sorted(names)}


_INTEGER_KEYWORD = "x-itamctl-integer"


class _Integer:
    """jsonschema-rs keyword: an integer as python-jsonschema's type checker sees one.

    jsonschema-rs takes ``Decimal("30.0")`` for an integer; python-jsonschema's
    type checker decides instead, so both backends agree.
    """

    def __init__(self, parent_schema: dict, value: Any, schema_path: Any) -> None:
        self.types = value

    def validate(self, instance: Any) -> None:
        if (isinstance(instance, Decimal) and "number" not in self.types
                and not _integral(instance)):
            raise ValueError(f"{instance} is not an integer")



def _fast_schema(node: Any) -> Any:
    """A copy of a schema for jsonschema-rs: integer types also checked by :class:`_Integer`."""
    if isinstance(node, list):
        return [_fast_schema(child) for child in node]
    if not isinstance(node, dict):
        return node
    result = {key: _fast_schema(value) for key, value in node.items()}
    types = node.get("type")
    types = [types] if isinstance(types, str) else types
    if isinstance(types, list) and "integer" in types:
        result[_INTEGER_KEYWORD] = types
    return result


def _all_of(schema: dict) -> Iterator[dict]:
    yield schema
    for part in schema.get("allOf", []):
        if isinstance(part, dict):
            yield from _all_of(part)


def _integral_to_int(schema: Any, data: Any) -> Any:
    """``data`` with each integral Decimal where ``schema`` wants an integer made an int (in place).

    The model reads counts (days, months, seats) as ints; a valid ``30.0`` becomes ``30``.
    """
    if not isinstance(schema, dict):
        return data
    parts = list(_all_of(schema))
    if isinstance(data, Decimal):
        wants_int = any(isinstance(p, dict) and p.get("type") == "integer" for p in parts)
        return int(data) if wants_int else data
    for part in parts:
        if not isinstance(part, dict):
            continue
        if isinstance(data, dict):
            for key, sub in part.get("properties", {}).items():
                if key in data:
                    data[key] = _integral_to_int(sub, data[key])
        elif isinstance(data, list) and isinstance(part.get("items"), dict):
            data[:] = [_integral_to_int(part["items"], item) for item in data]
    return data


class _IntPlan:
    """Where a schema wants integers, reduced to the branches that lead to one.

    :func:`_integral_to_int` walks every property of the schema for every
    document; a plan follows only the properties (``allOf`` parts, ``items``)
    under which some ``type: integer`` is, so the same values change and most
    documents are barely walked (measured: 0.24 s -> 0.01 s at 10k assets).
    """

    __slots__ = ("items", "properties", "wants_int")

    def __init__(self, wants_int: bool, properties: list[tuple[str, _IntPlan]], items: list[_IntPlan]) -> None:
        self.wants_int = wants_int
        self.properties = properties
        self.items = items

    @classmethod
    def of(cls, schema: Any, seen: dict[int, _IntPlan | None] | None = None) -> _IntPlan | None:
        """The plan of ``schema``; None when no integer is wanted anywhere under it."""
        seen = {} if seen is None else seen
        if not isinstance(schema, dict):
            return None
        if id(schema) in seen:
            return seen[id(schema)]
        seen[id(schema)] = None  # a recursive schema reached again wants nothing more
        parts = [p for p in _all_of(schema) if isinstance(p, dict)]
        wants_int = any(p.get("type") == "integer" for p in parts)
        properties = []
        items = []
        for part in parts:
            for key, sub in part.get("properties", {}).items():
                plan = cls.of(sub, seen)
                if plan is not None:
                    properties.append((key, plan))
            if isinstance(part.get("items"), dict):
                plan = cls.of(part["items"], seen)
                if plan is not None:
                    items.append(plan)
        plan = cls(wants_int, properties, items) if wants_int or properties or items else None
        seen[id(schema)] = plan
        return plan

    def apply(self, data: Any) -> Any:
        """What :func:`_integral_to_int` does to ``data`` (in place)."""
        if isinstance(data, Decimal):
            return int(data) if self.wants_int else data
        if isinstance(data, dict):
            for key, plan in self.properties:
                if key in data:
                    data[key] = plan.apply(data[key])
        elif isinstance(data, list):
            for plan in self.items:
                data[:] = [plan.apply(item) for item in data]
        return data


def _inline_refs(node: Any, schemas: dict[str, dict], base: str) -> Any:
    """Replace local-file ``$ref``s by the schemas they name (wrapped in ``allOf``).

    Resolving a ``$ref`` through the referencing registry costs a URL join and
    a lookup every time a value is checked; the built-in schemas are not
    recursive, so resolving them once up front saves that work (measured with
    benchmarks/bench_load.py: open_registry 5.9x -> 4.4x the plain-parse baseline).
    References that cannot be resolved here are left for jsonschema.
    """
    if isinstance(node, list):
        return [_inline_refs(child, schemas, base) for child in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline_refs(value, schemas, base) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if ref is None:
        return result
    file, _, pointer = ref.partition("#")
    file = file or base
    target: Any = schemas.get(file)
    for part in pointer.split("/")[1:] if pointer else []:
        target = target.get(part) if isinstance(target, dict) else None
    if not isinstance(target, dict) or ref.startswith(("http:", "https:")):
        result["$ref"] = ref
        return result
    target = {k: v for k, v in _inline_refs(target, schemas, file).items() if k not in ("$id", "$schema", "$defs")}
    result["allOf"] = [*result.get("allOf", []), target]
    return result


def _check_header(doc: Document) -> Iterator[Diagnostic]:
    api = doc.data.get("apiVersion")
    if api is None:
        yield doc.diagnostic((), "schema.required", f"missing `apiVersion: {API_VERSION}`")
    elif api != API_VERSION:
        yield doc.diagnostic(
            ("apiVersion",), "schema.api_version",
            f"unsupported apiVersion {api!r}; this itamctl reads {API_VERSION!r}",
        )
    kind = doc.data.get("kind")
    if kind is None:
        yield doc.diagnostic((), "schema.required", f"missing `kind` (one of {', '.join(KINDS)})")
    elif kind not in KINDS:
        yield doc.diagnostic(("kind",), "schema.kind", f"unknown kind {kind!r}{_suggest(kind, KINDS)}")


def _suggest(word: Any, choices: Iterable[str]) -> str:
    if not isinstance(word, str):
        return ""
    import difflib  # only for a finding's suggestion

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not matches:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f" (did you mean `{matches[0]}`?)" if matches else ""


def _field(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


_TYPE_NAMES = {
    "string": "a string", "number": "a number", "integer": "a whole number",
    "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty",
}


def _type_of(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a number"


_JSON_TYPES = {str: "string", bool: "boolean", int: "number", dict: "object", list: "array"}


def _branch_for(schema: dict, value: Any) -> dict:
    """Of a oneOf/anyOf, the alternative of the value's own type (its description fits best)."""
    kind = "number" if isinstance(value, Decimal) else _JSON_TYPES.get(type(value))
    for option in schema.get("oneOf", schema.get("anyOf", [])):
        if isinstance(option, dict) and option.get("type") in (kind, "integer" if kind == "number" else None):
            return option
    return schema


def _shown(value: Any) -> str:
    """A value as a message quotes it: numbers as written, long values cut."""
    text = str(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(schema: dict, error: ValidationError) -> str:
    """What a value should look like, from the schema's own description."""
    if error.validator in ("oneOf", "anyOf"):
        schema = _branch_for(schema, error.instance)
    described = schema.get("description") or schema.get("title")
    if not described:
        return f"must match {error.validator_value}" if error.validator == "pattern" else "invalid value"
    first = re.split(r"(?<!e\.g)(?<!i\.e)\. ", described)[0].rstrip(".")
    return f"expected {first[0].lower()}{first[1:]}"


def _explain(doc: Document, error: ValidationError) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    field = _field(path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if schema.get("x-sensitive"):
        return  # the secret_in_field rule reports these without echoing the value

    if keyword == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        for key in value:
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            if looks_like_secret_field(key):
                continue  # reported by the secret_in_field rule, with a pointer to key_ref
            where = f" in `{field}`" if path else ""
            yield doc.diagnostic(
                (*path, key), "schema.unknown_field",
                f"unknown field `{key}`{where}{_suggest(key, allowed)}", key=True,
            )
        return
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        where = f" in `{field}`" if path else ""
        yield doc.diagnostic(path, "schema.required", f"missing required field `{missing}`{where}", key=True)
        return
    if keyword == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        hint = ""
        if "string" in names and isinstance(value, int | float) and not isinstance(value, bool):
            hint = " (put it in quotes)"
        if "string" in names and isinstance(value, bool):
            hint = " (put it in quotes: unquoted true/false are booleans)"
        yield doc.diagnostic(path, "schema.type", f"`{field}` must be {want}, not {_type_of(value)}{hint}")
        return
    if keyword == "enum":
        choices = [str(c) for c in error.validator_value]
        yield doc.diagnostic(
            path, "schema.enum",
            f"`{field}` is {value!r}; expected one of {', '.join(choices)}{_suggest(value, choices)}",
        )
        return
    if keyword == "const":
        yield doc.diagnostic(path, "schema.const", f"`{field}` must be {error.validator_value!r}")
        return
    if keyword == "format":
        what = {"date": "a real calendar date (YYYY-MM-DD)", "email": "an email address",
                "uri": "an absolute URL"}.get(error.validator_value, error.validator_value)
        yield doc.diagnostic(path, "schema.format", f"`{field}` is {value!r}, not {what}")
        return
    if keyword in ("oneOf", "anyOf", "pattern"):
        rule = "schema.pattern" if keyword == "pattern" else "schema.value"
        yield doc.diagnostic(path, rule, f"`{field}` is {_shown(value)}: {_expected(schema, error)}")
        return
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        word = {"minimum": "at least", "exclusiveMinimum": "more than",
                "maximum": "at most", "exclusiveMaximum": "less than"}[keyword]
        limit = error.validator_value
        rule = "schema.minimum" if "inimum" in keyword else "schema.maximum"
        yield doc.diagnostic(path, rule, f"`{field}` is {value}; it must be {word} {limit}")
        return
    if keyword == "uniqueItems":
        yield doc.diagnostic(path, "schema.unique_items", f"`{field}` lists the same entry twice")
        return
    message = error.message
    yield doc.diagnostic(path, "schema.invalid", f"`{field}`: {message} ({keyword})")
