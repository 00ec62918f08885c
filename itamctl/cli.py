"""The command line: parses options, calls the core, picks a renderer. Nothing else.

Commands load lazily: ``itamctl --help`` and ``itamctl validate`` import only
what they use. Registering a command is one entry in :data:`COMMANDS`: its
name, ``module:attribute`` and the one-line help shown in ``itamctl --help``
(tests/e2e/test_cli_lazy.py checks that the line matches the command's own).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Iterator

import click

from itamctl import __version__
from itamctl.errors import EXIT_FATAL, EXIT_USAGE, FatalError

#: name -> (where the click command is, its short help for ``itamctl --help``), in help order.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("itamctl.commands.init:init", "Create a registry repository in DIRECTORY (default: here)."),
    "list": ("itamctl.commands.inventory:list_items",
             "List items (KIND: asset, license, contract, person, location, vendor; default all)."),
    "show": ("itamctl.commands.inventory:show", "Every field of one item, its computed figures (book value, TCO, "
             "next expiry), open findings and file:line."),
    "new": ("itamctl.commands.edit:new", "Add an item: an asset file assets/<category>/<id>.yaml (with its schema "
            "modeline), a license or contract file, or a person at the end of the people file."),
    "set": ("itamctl.commands.edit:set_",
            "Change fields of an item (dotted paths reach nested fields: warranty.end=2028-01-31)."),
    "retire": ("itamctl.commands.edit:retire",
               "Take an asset out of use (status: retired) or mark a person as gone (active: false)."),
    "dispose": ("itamctl.commands.edit:dispose",
                "Record that an asset left the organisation (status: disposed plus its disposal)."),
    "assign": ("itamctl.commands.edit:assign", "Give a license seat to a person or asset (assigned_to), or an asset "
               "to its owner (an asset in stock becomes deployed)."),
    "audit": ("itamctl.commands.edit:audit", "Record that an asset was seen and checked (last_audit)."),
    "export": ("itamctl.commands.export:export",
               "Export assets, licenses, contracts and people for spreadsheets, BI tools and SQL."),
    "validate": ("itamctl.commands.validate:validate",
                 "Check every registry file against the schemas and the cross-file rules."),
    "costs": ("itamctl.commands.costs:costs",
              "What each asset cost, what it is worth and what it has cost in all, as of a date."),
    "depreciation": ("itamctl.commands.depreciation:depreciation",
                     "The depreciation schedule of asset ID per fiscal year, with its book value as of a date."),
    "budget": ("itamctl.commands.budget:budget",
               "Forecast the budget that keeps today's service levels, beside past actuals."),
    "diff": ("itamctl.commands.diff:diff",
             "Items added, removed and changed between two revisions, with their cost impact."),
    "history": ("itamctl.commands.history:history",
                "Every commit that changed item ID, newest first, with its field changes."),
    "check": ("itamctl.commands.check:check", "Validate the registry, then apply the policy rules: the CI gate."),
    "expiries": ("itamctl.commands.expiries:expiries", "List what expires, renews or falls due, soonest first."),
    "schema": ("itamctl.commands.schema:schema",
               "Print the JSON Schema of KIND (Asset, License, ...; `itam` for any kind, dispatching on `kind`)."),
    "site": ("itamctl.commands.site:site",
             "Build or preview the MkDocs Material site staff browse the registry with."),
    "import": ("itamctl.commands.importer:importer", "Create registry files from another tool's export."),
}


def load_command(name: str) -> click.Command:
    """Import the module of command ``name`` and return its click command."""
    module, _, attribute = COMMANDS[name][0].partition(":")
    return getattr(importlib.import_module(module), attribute)


class _Group(click.Group):
    """Loads commands on demand and maps the single fatal error type to a message and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMANDS`, without importing any command."""
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        with one_line_errors():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context):
        with one_line_errors():
            return super().invoke(ctx)


def _click_message(exc: click.ClickException) -> str:
    """Click's own error (bad option, unknown command) as one line, with where to find help."""
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and ctx.help_option_names:
        message = message.removesuffix(".") + f" (see '{ctx.command_path} {ctx.help_option_names[-1]}')"
    return message


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    from itamctl.commands._options import echo_line

    echo_line(f"itamctl: warning: {category.__name__}: {message}")


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """Every fatal error, ours or click's, as one escaped line on stderr (``itamctl: error: ...``) and its exit code.

    Click would print a usage block and quote option values raw; here they go
    through :func:`~itamctl.commands._options.echo_error` like every other
    error. A group called without a command still shows its help. A Python
    warning (a library's) is one escaped line too (``itamctl: warning: ...``),
    not the two-line default that quotes source code.
    """
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except (FatalError, click.ClickException) as exc:
        from itamctl.commands._options import echo_error

        if isinstance(exc, FatalError):
            echo_error(str(exc))
            code = exc.exit_code
        else:
            echo_error(_click_message(exc))
            code = EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_FATAL
        raise click.exceptions.Exit(code) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(__version__, prog_name="itamctl")
def cli() -> None:
    """itamctl: a GitOps IT asset registry.

    Hardware, licenses and contracts live as YAML files in git; itamctl
    validates them, computes their costs, tracks what expires, forecasts the
    budget and publishes a site for staff.
    """


def main() -> None:
    """The ``itamctl`` program. It leaves without tearing the interpreter down once its output is flushed:
    freeing a loaded registry object by object took ~0.1 s at 10^4 assets, for nothing. A reading command's
    registry is listed on the other core while the command's modules import (:mod:`itamctl.prelist`)."""
    from itamctl import prelist

    prelist.start(sys.argv[1:])
    try:
        cli(prog_name="itamctl")
        code = 0
    except SystemExit as exc:
        if not isinstance(exc.code, int | None):
            raise  # a message as the exit code: Python prints it
        code = exc.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (itamctl ... | head): what Python itself would do
        code = code or 120
    os._exit(code)
