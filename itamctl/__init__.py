"""itamctl: a GitOps IT asset registry.

The package is a library core with a thin command line on top. Data flows one
way: files are loaded into documents (with line positions), checked against
JSON Schema, turned into a typed immutable :class:`~itamctl.model.Registry`,
checked by cross-file rules, and then computed into reports that renderers
turn into text, JSON, GitHub annotations, Markdown, CSV, iCalendar or a site.
"""

__version__ = "0.2.0"
