"""Every file and folder name of the registry can be checked out on Linux, macOS and Windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from itamctl.diagnostics import Diagnostic, Severity
from itamctl.loader import display_path
from itamctl.model import Registry
from itamctl.portable import all_portable, case_collisions, name_problem

ID = "portable_file_name"
DESCRIPTION = ("file and folder names are portable: no Windows device names (CON, NUL, LPT1, ...), "
               "no characters Windows refuses, no two names that differ only by case")
DEFAULT_SEVERITY = "warning"
TAKES_AS_OF = False
WAIVABLE = False


def _relative(files: tuple[str, ...], root: str) -> list[tuple[str, str]]:
    """(file as shown, path relative to the registry folder) for each file under it."""
    prefix = "" if root == "." else f"{root}/"  # "." : run from the registry folder, files shown from it
    joined = "\n".join(files)
    starts = ["\n" + start for start in ("/", "./", "../")] if not prefix else []
    if (joined.count("\n") == len(files) - 1 and joined.startswith(prefix)  # no name holds a newline
            and joined.count("\n" + prefix) == len(files) - 1
            and "//" not in joined and "/./" not in joined and "/../" not in joined
            and not any(start in "\n" + joined for start in starts)):
        # every file under the prefix, as most registries are: cut it off all of them at once (~5 ms at 10^4
        # files, where a path object a file made it 0.4 s at 10^5)
        return list(zip(files, joined[len(prefix):].replace("\n" + prefix, "\n").split("\n"), strict=True))
    out = []
    prefix = f"{root}/"
    for file in files:
        if file.startswith(prefix) and "//" not in file and "/./" not in file and "/../" not in file:
            out.append((file, file[len(prefix):]))  # what relative_to gives, without a path object a file
            continue
        try:
            out.append((file, PurePosixPath(file).relative_to(root).as_posix()))
        except ValueError:
            continue
    return out


def _named(root: str, path: str, name: str, what: str) -> Iterator[Diagnostic]:
    """The finding of ``name`` (the last part of ``path``, a file or a folder) if it is not portable."""
    problem = name_problem(name)
    if problem:
        yield Diagnostic(f"{root}/{path}", None, None, ID, Severity(DEFAULT_SEVERITY),
                         f"{what} name {name!r} {problem}; Git for Windows cannot check it out: rename it")


def check(registry: Registry) -> Iterator[Diagnostic]:
    root = display_path(registry.root)
    files = _relative(registry.files, root)
    checked: set[str] = {""}  # a folder is checked once, not once per file in it

    def folders(folder: str) -> Iterator[Diagnostic]:  # ``folder`` and the folders it is in, outermost first
        checked.add(folder)
        parent, _, name = folder.rpartition("/")
        if parent not in checked:
            yield from folders(parent)
        yield from _named(root, folder, name, "folder")

    rels = [rel for _, rel in files]
    if not all_portable(rels):  # most registries: one scan says so, no name asked about on its own
        for rel in rels:
            folder, _, name = rel.rpartition("/")
            if folder not in checked:
                yield from folders(folder)
            yield from _named(root, rel, name, "file")
    for path, first in case_collisions(rels):
        yield Diagnostic(f"{root}/{path}", None, None, ID, Severity(DEFAULT_SEVERITY),
                         f"differs from {root}/{first} only by case; macOS and Windows keep only one of them: "
                         "rename one")
