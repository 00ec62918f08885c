"""Options and helpers shared by every subcommand."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from itamctl.fileio import write_atomic
from itamctl.render.escape import for_channel, for_stream, terminal


def _set_cache(ctx: Any, param: Any, no_cache: bool) -> None:
    from itamctl import cache, pipeline

    cache.set_enabled(not no_cache)
    pipeline.freeze_after_load(True)  # a command process keeps its registry until it exits


def registry_option(func: Callable) -> Callable:
    """``--registry PATH`` and ``--no-cache`` (every command that reads the registry has both)."""
    func = click.option(
        "--no-cache", is_flag=True, expose_value=False, callback=_set_cache,
        help="Parse and schema-check every file again instead of reusing unchanged ones from the cache "
             "(env: ITAMCTL_CACHE_DIR sets where it lives).",
    )(func)
    return click.option(
        "--registry", "registry",
        type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
        default=Path("registry"), show_default=True, envvar="ITAMCTL_REGISTRY",
        help="Folder holding the registry's YAML files (env: ITAMCTL_REGISTRY).",
    )(func)


def at_option(func: Callable) -> Callable:
    """``--at REV``: read the registry as it was at a git revision (from git's objects, no checkout)."""
    return click.option(
        "--at", "at", metavar="REV", default=None,
        help="Read the registry as it was at this git revision (commit, branch or tag); "
             "nothing is checked out.",
    )(func)


def format_option(*formats: str, auto_github: bool = False) -> Callable:
    """``--format``; with ``auto_github`` the default is ``github`` under GitHub Actions."""
    default_help = "text, or github when GITHUB_ACTIONS=true" if auto_github else "text"
    return click.option(
        "--format", "fmt", type=click.Choice(formats), default=None,
        help=f"Output format [default: {default_help}].",
        callback=lambda ctx, param, value: value or _default_format(formats, auto_github),
    )


def _default_format(formats: tuple[str, ...], auto_github: bool) -> str:
    if auto_github and "github" in formats and os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


#: The dates reports are computed for: wide enough for any registry, narrow enough that 30 fiscal years
#: of forecast or history (and a term after them) stay inside the calendar.
AS_OF_RANGE = (date(1900, 1, 1), date(9899, 12, 31))


def parse_date(ctx: Any, param: Any, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)
    low, high = AS_OF_RANGE
    if not low <= day <= high:
        raise click.BadParameter(f"{value} is outside {low.isoformat()} to {high.isoformat()}")
    return day


def _bad_date(value: str) -> date:
    raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD")


def as_of_option(func: Callable) -> Callable:
    """``--as-of DATE``: the only place that reads the clock is the default here."""
    return click.option(
        "--as-of", "as_of", callback=lambda c, p, v: parse_date(c, p, v) or date.today(),
        metavar="YYYY-MM-DD", default=None,
        help="Compute as of this date [default: today].",
    )(func)


def output_options(func: Callable) -> Callable:
    func = click.option("--force", is_flag=True, help="Overwrite --output if it exists.")(func)
    return click.option(
        "--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
        default=None, help="Write to this file (atomically) instead of standard output.",
    )(func)


def use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org: set and non-empty


def emit(report: Any, fmt: str, output: Path | None = None, force: bool = False, **options: Any) -> None:
    """Render ``report`` in ``fmt`` and print it, or write it to ``output``; every report command ends here.

    The renderer comes from the one table, :data:`itamctl.render.RENDERERS`;
    ``options`` are :class:`itamctl.render.Options` fields (``lines=True``);
    colour is on only for text on a terminal (:func:`use_colour`).
    """
    from itamctl.render import Options, render

    pipeline = sys.modules.get("itamctl.pipeline")  # loaded if the command loaded a registry (not imported here)
    if pipeline is not None:
        pipeline.keep(report)  # not freed object by object when the command returns: the process exits
    colour = output is None and fmt == "text" and use_colour()
    print_text(render(report, fmt, Options(colour=colour, **options)), output, force, fmt=fmt)
    factpack = sys.modules.get("itamctl.factpack")
    if factpack is not None:
        factpack.save()  # the facts this report computed (and rendering looked up), for the next run


def print_text(text: str, output: Path | None = None, force: bool = False, *, fmt: str = "text") -> None:
    """Print ``text`` (in ``fmt``) or write it to ``output``, escaped for its channel.

    :func:`itamctl.render.escape.for_stream` on standard output (no control
    sequence for a terminal, no workflow command under GitHub Actions),
    :func:`~itamctl.render.escape.for_channel` in a file. Reports go through
    :func:`emit`; this is for the few lines that are not a report.
    """
    if output is None:
        click.echo(for_stream(text, fmt), nl=False)
    else:
        write_atomic(output, for_channel(text, fmt), overwrite=force)


def echo_error(message: str) -> None:
    """One fatal error on standard error: always ONE line, escaped like every other line itamctl prints.

    The message may quote data (a name with a line break, a revision, an
    option value): every control character in it, line breaks included, is
    shown escaped (``\\n``), so the error stays one line and nothing in it can
    start a workflow command or move a terminal's cursor.
    """
    echo_line(f"itamctl: error: {message}")


def echo_line(text: str) -> None:
    """One line on standard error, whatever ``text`` holds: its control characters and line breaks shown escaped."""
    click.echo(for_stream(terminal(text), "text"), err=True)


def amount_callback(ctx, param, value: str | None) -> Decimal | None:
    """A click callback for a non-negative amount of money (``5000`` or ``5000.00``), exact as a Decimal."""
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not an amount such as 5000 or 5000.00") from None
    if not amount.is_finite() or amount < 0:
        raise click.BadParameter(f"{value!r} must be a non-negative amount such as 5000 or 5000.00")
    return amount
