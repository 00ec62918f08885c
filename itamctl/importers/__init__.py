"""Importers: turn another tool's export into registry files (``itamctl import ...``).

Each importer plans first (pure: CSV rows + the current registry -> documents,
skipped rows, warnings) and :mod:`itamctl.importers.writer` then writes the
plan atomically, never over an existing file, and validates the result.
"""
