"""A registry's files: which are read, in which order, and what is not read and why.

Kept apart from the loader (which imports the YAML library) so that a process
listing the registry on the other core (:mod:`itamctl.prelist`) starts at once.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Iterator
from pathlib import Path

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.fileio import inside, is_regular_file, resolved

#: YAML files read from one registry at most (a bound on work and memory; the demo has about 200).
MAX_FILES = 250_000  # a registry of 10^5 assets, one a file, plus people, licenses, ...
#: Folders walked at most, and how deep (a crafted tree of empty or nested folders must not hang or recurse).
MAX_FOLDERS = 10_000
MAX_FOLDER_DEPTH = 32
YAML_SUFFIXES = (".yaml", ".yml")

#: What the cache compares of a file's ``lstat`` (:func:`signature`): device, inode, size, mtime_ns,
#: ctime_ns, mode.
SIGNATURE = struct.Struct("<QQQqqQ")


def signature(info: os.stat_result) -> bytes | None:
    """What the cache's index compares of a file's ``lstat``: device, inode, size, mtime_ns, ctime_ns and
    mode, packed (68 bytes a file with its blob id, where tuples of ints took ~300); None if they do not fit."""
    try:
        return SIGNATURE.pack(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                              info.st_mode)
    except struct.error:
        return None


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as users should see it: relative to the working directory when possible."""
    cwd = cwd or Path.cwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def iter_registry_files(root: Path) -> Iterator[tuple[Path, Diagnostic | None]]:
    """YAML files under ``root`` in a stable order; what is not read comes with a finding instead
    (:func:`registry_files`, as paths)."""
    for path, problem, _info in registry_files(root):
        yield Path(path), problem


def registry_files(root: Path) -> Iterator[tuple[str, Diagnostic | None, os.stat_result | None]]:
    """YAML files under ``root`` in a stable order, as ``(path, None, lstat)``; what is not read comes as
    ``(path, finding, None)`` instead. Paths are strings (``root``'s joined with the names found): no path
    object a file, which cost a third of listing 10^5 files. ``lstat`` is None for a link to a file.

    Not read: links that leave the registry (or loop, or lead nowhere),
    entries that are not regular files (a FIFO named ``*.yaml`` would block
    the read forever, a device would never end), every file after the
    first :data:`MAX_FILES`, folders deeper than :data:`MAX_FOLDER_DEPTH` and
    every folder after the first :data:`MAX_FOLDERS` (each an error finding).
    """
    real_root = root.resolve()
    top = str(root)
    depths = {top: 0}
    count = folders = 0
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folders += 1
        if folders > MAX_FOLDERS:
            yield dirpath, Diagnostic(display_path(root), None, None, "yaml.too_many_folders", Severity.ERROR,
                                      f"more than {MAX_FOLDERS} folders in the registry; the rest are not read "
                                      "(keep the registry's files in fewer folders)"), None
            return
        depth = depths.pop(dirpath, 0)
        if dirnames and depth >= MAX_FOLDER_DEPTH:
            yield dirpath, Diagnostic(display_path(Path(dirpath)), None, None, "yaml.too_deep", Severity.ERROR,
                                      f"folders nested more than {MAX_FOLDER_DEPTH} levels deep; the folders in "
                                      "this one are not read (keep the registry's files in shallower folders)"), None
            dirnames[:] = []
        for name in dirnames:
            link = os.path.join(dirpath, name)
            depths[link] = depth + 1
            if os.path.islink(link) and not inside(Path(link), real_root):
                yield link, _link_warning(Path(link), "folder"), None
        prefix = os.path.join(dirpath, "") if top != "." else os.path.join(dirpath[2:], "")  # ./a/b as Path has it: a/b
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            path = prefix + name
            try:
                info = os.lstat(path)  # one system call for most files: a regular file, not a link
                mode = info.st_mode
            except OSError:
                mode = 0
            if stat.S_ISLNK(mode) and not inside(Path(path), real_root):
                yield path, _link_warning(Path(path), "file"), None
                continue
            if not (stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and is_regular_file(Path(path)))):
                yield path, Diagnostic(display_path(Path(path)), None, None, "yaml.not_a_file", Severity.WARNING,
                                       "not a regular file (a FIFO, socket or device); not read"), None
                continue
            count += 1
            if count > MAX_FILES:
                yield path, Diagnostic(display_path(root), None, None, "yaml.too_many_files", Severity.ERROR,
                                       f"more than {MAX_FILES} YAML files in the registry; the rest are not read"), None
                return
            yield path, None, info if stat.S_ISREG(mode) else None


def _link_warning(path: Path, what: str) -> Diagnostic:
    target = "that loops or leads nowhere" if resolved(path) is None else f"to a {what} outside the registry"
    return Diagnostic(
        display_path(path), None, None, "yaml.symlink", Severity.WARNING,
        f"symbolic link {target}; not followed",
    )


