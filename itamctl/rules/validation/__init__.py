"""Validation rules: always on, date-free, not waivable.

They say whether the files are a consistent registry at all (references
resolve, dates come in order, no secrets, ...), so they run in ``itamctl
validate`` (and the pre-commit hook) as well as in ``itamctl check``. Each
module is one rule, named after its id; ``check(registry)`` yields
:class:`~itamctl.diagnostics.Diagnostic` objects (at ``DEFAULT_SEVERITY``
unless a case is explicitly milder). See :mod:`itamctl.rules`.
"""
