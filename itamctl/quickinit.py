"""A faster ``__init__`` for the frozen, slotted dataclasses built once per item (model items, money,
positions, report rows).

A frozen dataclass's generated ``__init__`` sets each field with
``object.__setattr__`` (looked up again for every field): 2.6 µs for the 31
fields of an :class:`~itamctl.model.Asset`. Setting them through the slots'
own descriptors does the same in half the time, and an asset takes five to
ten such objects. :func:`quick_init` replaces the generated ``__init__`` with
one that does exactly what it did (same parameters, defaults and default
factories, keyword-only fields, ``init=False`` fields with a default,
``__post_init__``) by way of the descriptors. Equality, hashing, ``repr``,
pickling (which does not call ``__init__``) and :func:`dataclasses.replace` are
the dataclass's own.
``tests/unit/test_quickinit.py`` checks every class it is applied to against
the dataclass's ``__init__`` (kept as ``_dataclass_init``).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T", bound=type)

_MISSING = object()


def quick_init(cls: T) -> T:
    """Give the frozen, slotted dataclass ``cls`` a descriptor-based ``__init__`` (see the module)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen dataclasses with slots")
    if any(f._field_type is dataclasses._FIELD_INITVAR for f in cls.__dataclass_fields__.values()):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: quick_init does not take InitVar fields")
    env: dict[str, Any] = {"_MISSING": _MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):
        setter = getattr(cls, f.name)
        if type(setter).__name__ != "member_descriptor":
            raise TypeError(f"{cls.__name__}.{f.name}: not a slot")
        env[f"_set_{f.name}"] = setter.__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default_{f.name}"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            env[f"_factory_{f.name}"] = f.default_factory
        if not f.init:  # set only from a default (else left to __post_init__)
            if f.default is not dataclasses.MISSING:
                body.append(f"    _set_{f.name}(self, _default_{f.name})")
            elif f.default_factory is not dataclasses.MISSING:
                body.append(f"    _set_{f.name}(self, _factory_{f.name}())")
            continue
        if f.default is not dataclasses.MISSING:
            param = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            param = f"{f.name}=_MISSING"
            body.append(f"    if {f.name} is _MISSING:\n        {f.name} = _factory_{f.name}()")
        else:
            param = f.name
        (keyword if f.kw_only else positional).append(param)
        body.append(f"    _set_{f.name}(self, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    namespace: dict[str, Any] = {}
    exec(source, env, namespace)  # the source is built above from the dataclass's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls._dataclass_init = cls.__init__  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls
