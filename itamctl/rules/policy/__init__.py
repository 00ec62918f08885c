"""Policy rules: dated, configurable, waivable; they run in ``itamctl check`` only.

They judge a valid registry on an as-of date (an expired warranty, an
over-allocated license, ...). Each module is one rule, named after its id;
``check(registry, as_of)`` yields :class:`~itamctl.rules.finding.Finding`
objects. The runner (:func:`itamctl.rules.run_policy`) gives every rule the
same treatment: severity from Settings ``policy`` (else ``DEFAULT_SEVERITY``;
``off`` does not run), retired and disposed items exempt, waivers applied.
See :mod:`itamctl.rules`.
"""
