"""The registry's files listed on the other core while a command starts (Linux, two cores or more).

Listing a registry is a walk of its folders and one ``lstat`` a file (its
signature for the cache: :func:`itamctl.listing.signature`): ~4 µs a file on
a virtual machine, 40 ms at 10^4 files, most of it in the kernel. A reading
command spends about as long importing what it needs before it lists. So
:func:`start`, called by the CLI with its arguments, forks a process that lists
the folder the command line names (``--registry``, else ``ITAMCTL_REGISTRY``,
else ``registry``) while the command imports, and :func:`take` hands that
listing to the pipeline when it opens that very folder from the same working
directory (git's ``core.preloadIndex`` does the same with threads; Python's
threads would wait for each other).

Only for a registry whose cache says it is large (:data:`MIN_PACK_BYTES`),
for the commands of :data:`READERS`, which read the working tree before they
write anything, and never with ``--at``, ``--head`` or ``--help``. A listing
is taken at most once. Anything unusual (a finding while listing, such as a
symbolic link leaving the registry; a child that fails; another folder) means
the pipeline lists the files itself, so output never depends on this.
``ITAMCTL_JOBS=1`` turns it off, as it does the process pool;
``ITAMCTL_PRELIST=0`` turns off only this, ``ITAMCTL_PRELIST=1`` lists ahead
whatever the size.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from itamctl import forked

#: Commands whose first reading of the registry is of the working tree, before they write anything.
READERS = frozenset({"validate", "check", "costs", "budget", "expiries", "depreciation", "diff", "list", "show",
                     "export"})
#: Options after which the working tree is not what the command reads first (or at all).
_NOT_THE_TREE = ("--at", "--head", "--help", "-h")

#: (folder as the command line names it, working directory, child's pid, read end of its pipe)
_started: tuple[str, str, int, int] | None = None

Listing = list[tuple[str, None, bytes | None, int]]


def registry_argument(args: list[str]) -> str | None:
    """The folder a reading command's arguments name, as click will give it to the command (a ``Path``'s
    string); None when the command is not in :data:`READERS` or the working tree is not what it reads."""
    if not args or args[0] not in READERS:
        return None
    value = None
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            break
        if arg in _NOT_THE_TREE or any(arg.startswith(f"{name}=") for name in _NOT_THE_TREE):
            return None
        if arg == "--registry":
            value = next(rest, None)
            if value is None:
                return None
        elif arg.startswith("--registry="):
            value = arg.partition("=")[2]
    if value is None:
        value = os.environ.get("ITAMCTL_REGISTRY") or "registry"
    return str(Path(value)) if value else None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: ``ITAMCTL_PRELIST=0``: never list ahead; ``1``: whatever the registry's size; unset: by its size.
VARIABLE = "ITAMCTL_PRELIST"
#: A registry is listed ahead when its cache's pack of files has at least this many bytes (~1 KB a file):
#: below ~2,000 files forking costs about what it saves (+5% at 10^3 files, -7% at 5,000, -12% at 10^4, in
#: interleaved runs of a warm validate).
MIN_PACK_BYTES = 2_000_000


def _large(root: Path) -> bool:
    """Whether the last run of ``root`` left a pack of files of :data:`MIN_PACK_BYTES` or more."""
    from itamctl.cachepath import pack_path

    try:
        return os.stat(pack_path(root)).st_size >= MIN_PACK_BYTES
    except (OSError, ValueError, RuntimeError):
        return False


def start(args: list[str]) -> None:
    """Fork a process listing the folder the command line ``args`` (without the program name) reads, if
    it is worth it (see the module)."""
    global _started
    if _started is not None or sys.platform != "linux" or not hasattr(os, "fork"):
        return
    asked = os.environ.get(VARIABLE, "").strip()
    if os.environ.get("ITAMCTL_JOBS", "").strip() == "1" or asked == "0" or _cores() < 2:
        return
    root = registry_argument(args)
    if root is None or (asked != "1" and not _large(Path(root))):
        return
    try:
        cwd = os.getcwd()
        pid, fd = forked.fork(lambda: _listing(Path(root)))
    except OSError:
        return
    _started = (root, cwd, pid, fd)


def _listing(root: Path) -> tuple[int, Listing] | None:
    """``(time.time_ns() before the first lstat, [(path, None, signature, size)])``, as the pipeline's own
    listing has them; None if any file comes with a finding (the pipeline lists them itself)."""
    from itamctl.listing import registry_files, signature

    listed_at = time.time_ns()
    out: Listing = []
    for path, problem, info in registry_files(root):
        if problem is not None:
            return None
        out.append((path, None, signature(info), info.st_size) if info is not None else (path, None, None, -1))
    return listed_at, out


def take(root: Path) -> tuple[int, Listing] | None:
    """The listing :func:`start` made of ``root`` from this working directory (see :func:`_listing`), once;
    None if there is none."""
    global _started
    started, _started = _started, None
    if started is None:
        return None
    given, cwd, pid, fd = started
    try:
        here = os.getcwd()
    except OSError:
        here = None
    if given != str(root) or cwd != here:
        forked.stop(pid, fd)
        return None
    listed = forked.received(pid, fd)
    ok = isinstance(listed, tuple) and len(listed) == 2 and isinstance(listed[0], int) and isinstance(listed[1], list)
    return listed if ok else None


def stop() -> None:
    """Let a listing not taken go (a library caller that started one; the CLI just exits)."""
    global _started
    started, _started = _started, None
    if started is not None:
        forked.stop(started[2], started[3])
