"""Work done in a forked child process, sent back with :mod:`marshal` (Linux): the pipeline's process pool
(:mod:`itamctl.pipeline`) and the registry's listing on the other core (:mod:`itamctl.prelist`).

A child never runs an exit handler nor flushes what its parent buffered: it
leaves with ``os._exit``. Whatever goes wrong in it only means the parent gets
None and does the work itself.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
from collections.abc import Callable
from typing import Any


def fork(work: Callable[[], Any]) -> tuple[int, int]:
    """Fork a child that sends ``marshal.dumps(work())`` (nothing, and a failure, when ``work`` returns None
    or raises); ``(its pid, the read end of its pipe)``. Raises OSError when no child can be made."""
    read, write = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:  # the child: work, send, and leave without running any exit handler
        code = 1
        try:
            os.close(read)
            value = work()
            if value is not None:
                with os.fdopen(write, "wb") as out:
                    out.write(marshal.dumps(value))
                code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def received(pid: int, fd: int) -> Any:
    """What the child ``pid`` sent on ``fd`` once it has finished; None if it failed."""
    try:
        with os.fdopen(fd, "rb") as stream:
            raw = stream.read()
    except OSError:
        raw = b""
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        return marshal.loads(raw)
    except Exception:
        return None


def stop(pid: int, fd: int) -> None:
    """Stop the child ``pid`` (its answer on ``fd`` is not wanted) and reap it."""
    with contextlib.suppress(OSError):
        os.close(fd)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
