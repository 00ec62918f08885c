"""Writing files safely, and the one notion of "inside the registry" that the loader and writers share.

* :func:`write_atomic` is the only way itamctl writes a file: a temporary
  file in the same folder, flushed to disk, then renamed over the target, so
  a reader sees the old file or the new one and a failed write (disk full,
  parent is a file) leaves nothing behind and is a one-line error. It never
  replaces an existing file unless asked, never writes through a symbolic
  link, and gives a new file the mode the umask asks for (an existing file
  keeps its mode), not the 0600 of :func:`tempfile.mkstemp`.
* :func:`write_inside` writes ``root/relpath`` only when no part of the way
  from ``root`` is a symbolic link and the file lands inside ``root``: what
  the loader reads (:func:`inside`) is what writers may write.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from itamctl.errors import EXIT_USAGE, FatalError


def resolved(path: Path) -> Path | None:
    """``path`` with every link followed, or ``None`` when that is impossible (a loop, a broken link)."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError, ValueError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links followed, lies in the folder ``root`` (links followed too)."""
    target, top = resolved(path), resolved(root)
    if target is None or top is None:
        return False
    return target == top or top in target.parents


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; a part of the way that is a file is a one-line usage error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise FatalError(f"cannot create {folder}: a part of the path is a file, not a folder",
                         exit_code=EXIT_USAGE) from exc
    except OSError as exc:
        raise FatalError(f"cannot create {folder}: {_why(exc)}") from exc


def new_folder_beside(target: Path, label: str) -> Path:
    """A new empty folder next to ``target``, to fill and then rename into place, with the mode the umask gives
    a new folder (not the 0700 of :func:`tempfile.mkdtemp`)."""
    import tempfile  # imported when writing (~5 ms: most commands only read)

    folder = Path(tempfile.mkdtemp(prefix=f".{target.name[:200]}.{label}-", dir=target.parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Refuses to replace an existing file unless ``overwrite`` is true, so a
    report never silently clobbers something the user keeps, and refuses a
    ``path`` that is a symbolic link (the rename would replace the link, a
    plain write would follow it: neither is what was asked).
    """
    path = Path(path)
    if path.is_symlink():
        raise FatalError(f"{path} is a symbolic link; itamctl does not write through links", exit_code=EXIT_USAGE)
    if path.is_dir():
        raise FatalError(f"{path} is a folder, not a file", exit_code=EXIT_USAGE)
    if path.exists() and not is_regular_file(path):
        raise FatalError(f"{path} is not a regular file (a device or FIFO); itamctl replaces only files",
                         exit_code=EXIT_USAGE)
    if path.exists() and not overwrite:
        raise FatalError(f"{path} already exists; pass --force to overwrite it")
    make_folder(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _new_mode(path)
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {_why(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FatalError(f"cannot write {path}: {_why(exc)}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def append_text(path: Path, text: str) -> None:
    """Add ``text`` at the end of ``path`` (created with the umask's mode if missing): the one non-atomic write.

    For files meant to grow, such as ``$GITHUB_STEP_SUMMARY``. Refused, as
    by :func:`write_atomic`, when ``path`` is a symbolic link, a folder, a
    FIFO or a device (opened without following links or blocking).
    """
    path = Path(path)
    if path.is_symlink():
        raise FatalError(f"{path} is a symbolic link; itamctl does not write through links", exit_code=EXIT_USAGE)
    if path.is_dir():
        raise FatalError(f"{path} is a folder, not a file", exit_code=EXIT_USAGE)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        raise FatalError(f"cannot append to {path}: {_why(exc)}") from exc
    with os.fdopen(fd, "ab") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise FatalError(f"{path} is not a regular file (a device or FIFO); itamctl appends only to files",
                             exit_code=EXIT_USAGE)
        try:
            handle.write(text.encode("utf-8"))
            handle.flush()
        except OSError as exc:
            raise FatalError(f"cannot append to {path}: {_why(exc)}") from exc


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every file system can sync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_inside(root: Path, relpath: str) -> Path:
    """``root/relpath`` after making sure that writing it stays inside ``root``.

    ``relpath`` is ``/``-separated and relative, without ``..``; no part of the
    way from ``root`` to the file may be a symbolic link (the loader does not
    follow links out of the registry, so a file written through one would
    land where nobody reads it, or somewhere an attacker chose).
    """
    parts = PurePosixPath(relpath).parts
    if not parts or PurePosixPath(relpath).is_absolute() or any(p in ("..", ".") for p in parts) or "\\" in relpath:
        raise FatalError(f"refusing to write {relpath!r}: not a plain path inside {root}", exit_code=EXIT_USAGE)
    if resolved(root) is None:
        raise FatalError(f"cannot write into {root}: not a folder", exit_code=EXIT_USAGE)
    probe = Path(root)
    for part in parts:
        probe = probe / part
        if probe.is_symlink():
            raise FatalError(f"refusing to write {Path(root) / relpath}: {probe} is a symbolic link "
                             f"(itamctl writes only inside {root}, never through links, which could lead outside)",
                             exit_code=EXIT_USAGE)
        if not probe.exists():
            break
    return Path(root) / relpath


def write_inside(root: Path, relpath: str, data: str | bytes, *, overwrite: bool = False) -> None:
    """:func:`write_atomic` to ``root/relpath``, refused when that would leave ``root`` (see :func:`check_inside`)."""
    write_atomic(check_inside(root, relpath), data, overwrite=overwrite)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the regular file ``path`` (the caller tells "too large" by the length).

    Opened without blocking: a FIFO (which would wait for a writer forever)
    or a device (``/dev/zero`` never ends) is an :class:`OSError`, not a hang.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)")
        return handle.read(max_bytes + 1)


def is_regular_file(path: Path) -> bool:
    """A regular file (links followed): never a FIFO, socket or device, which could block or never end."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
