"""The command line: parses options, calls the core, picks a renderer. Nothing else."""

from __future__ import annotations

import click

from itamctl import __version__
from itamctl.commands._options import echo_error
from itamctl.commands.budget import budget
from itamctl.commands.check import check
from itamctl.commands.costs import costs
from itamctl.commands.depreciation import depreciation
from itamctl.commands.diff import diff
from itamctl.commands.edit import assign, audit, dispose, new, retire, set_
from itamctl.commands.expiries import expiries
from itamctl.commands.history import history
from itamctl.commands.importer import importer
from itamctl.commands.init import init
from itamctl.commands.inventory import list_items, show
from itamctl.commands.site import site
from itamctl.commands.validate import validate
from itamctl.errors import FatalError

COMMANDS = [init, list_items, show, new, set_, retire, dispose, assign, audit,
            validate, costs, depreciation, budget, diff, history, check, expiries, site, importer]


class _Group(click.Group):
    """Maps the single fatal error type to a message and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FatalError as exc:
            echo_error(str(exc))
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(__version__, prog_name="itamctl")
def cli() -> None:
    """itamctl: a GitOps IT asset registry.

    Hardware, licenses and contracts live as YAML files in git; itamctl
    validates them, computes their costs, tracks what expires, forecasts the
    budget and publishes a site for staff.
    """


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="itamctl")
