"""File names that every checkout can hold: Linux, macOS and Windows (Git for Windows).

One notion of a portable name, used by the ``portable_file_name`` rule of
``validate`` and by every command that creates files (the importers call
:func:`free_name`):

* no Windows device name as the part before the first dot (``CON``, ``NUL``,
  ``COM1``, ``LPT1.yaml``, ``nul.tar.gz``; any case);
* none of ``< > : " / \\ | ? *``, no control characters, no trailing dot or space;
* at most 255 bytes of UTF-8 per name;
* no two names in one folder that differ only by case (or Unicode
  normalisation): macOS and Windows keep one of them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from pathlib import Path

_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
            *(f"{p}{n}" for p in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_NAME_BYTES = 255


def name_problem(name: str) -> str | None:
    """Why ``name`` (one path component) is not portable, or ``None`` when it is."""
    if name in ("", ".", ".."):
        return "is not a file name"
    device = name.split(".", 1)[0].rstrip(" ").upper()
    if device in _DEVICES:
        return f"uses the Windows device name {device}"
    bad = _FORBIDDEN.search(name)
    if bad:
        return f"holds {bad.group()!r}, which Windows does not allow in file names"
    if name[-1] in ". ":
        return "ends with a dot or a space, which Windows drops"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return None


#: In ``/`` + names joined by ``/`` (which no name holds), lowered: a Windows device name (ASCII names).
_DEVICE_IN = re.compile(r"/(?:con|prn|aux|nul|conin\$|conout\$|clock\$|com[0-9]|lpt[0-9]) *(?:[./]|$)")


def all_portable(names: list[str]) -> bool:
    """True when :func:`name_problem` finds nothing in any of ``names`` or of the parts of ``/``-separated
    paths among them: a few scans of them all joined (~2.5 ms for 10^4 paths, where a call a name cost
    ~2 us a name; one regular expression for every rule took 15 ms). False means "ask
    :func:`name_problem` about each" (also for a name that is not ASCII, or a path of 255 bytes or more)."""
    if not names:
        return True
    joined = "/".join(names)
    return (joined.isascii() and _FORBIDDEN.search(joined.replace("/", "")) is None
            and not ("//" in joined or "./" in joined or " /" in joined)
            and joined[0] != "/" and joined[-1] not in "/. " and "" not in names
            and _DEVICE_IN.search("/" + joined.lower()) is None
            and max(map(len, names)) <= MAX_NAME_BYTES)


def fold(name: str) -> str:
    """The key under which case-insensitive file systems (macOS, Windows) see ``name``."""
    if name.isascii():
        return name.lower()  # what NFC and casefold make of ASCII, ~4x faster
    import unicodedata  # most names are ASCII

    return unicodedata.normalize("NFC", name).casefold()


def portable_stem(text: str) -> str:
    """``text`` made into a portable file stem (before the suffix): ids are usually unchanged."""
    stem = _FORBIDDEN.sub("_", text).rstrip(". ") or "_"
    if stem.split(".", 1)[0].rstrip(" ").upper() in _DEVICES:
        stem = "_" + stem
    return stem[:200]


def free_name(folder: Path, stem: str, suffix: str = ".yaml", taken: Iterable[str] = ()) -> str:
    """A portable name ``stem[-N]suffix`` for a new file in ``folder``.

    Never the name of an entry that exists in ``folder``, nor of one in
    ``taken`` (names already chosen), compared as case-insensitive file
    systems compare them.
    """
    base = portable_stem(stem)
    used = {fold(n) for n in taken}
    with contextlib.suppress(OSError):  # no folder yet (or unreadable: the write will say so)
        used.update(fold(entry.name) for entry in folder.iterdir())
    for n in range(1, 10_000):
        name = f"{base}{suffix}" if n == 1 else f"{base}-{n}{suffix}"
        if fold(name) not in used:
            return name
    raise ValueError(f"no free file name for {base}{suffix} in {folder}")


def case_collisions(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(path, earlier path) for every path (``/``-separated, relative) that a folder holds twice up to case.

    Folders count as well as files: ``assets/Laptop/a.yaml`` beside
    ``assets/laptop/b.yaml`` collide at ``assets/Laptop``.
    """
    paths = list(paths)
    return [] if _no_collision(paths) else _collisions(paths)


def _collisions(paths: list[str]) -> list[tuple[str, str]]:
    """:func:`case_collisions`, each name of each path folded."""
    seen: dict[str, str] = {}
    folders: dict[str, str] = {"": ""}  # each folder met so far -> its key (a folder is met once per file in it)
    found: dict[str, str] = {}

    def meet(path: str, key: str) -> None:
        first = seen.setdefault(key, path)
        if first != path and path not in found:
            found[path] = first

    def folder_key(folder: str) -> str:
        known = folders.get(folder)
        if known is None:
            parent, _, name = folder.rpartition("/")
            known = folders[folder] = f"{folder_key(parent)}/{fold(name)}" if parent else fold(name)
            meet(folder, known)
        return known

    for path in paths:
        folder, _, name = path.rpartition("/")
        parent = folder_key(folder)
        meet(path, f"{parent}/{fold(name)}" if folder else fold(name))  # folding keeps "/" as it is
    return sorted(found.items())


def _no_collision(paths: list[str]) -> bool:
    """True when no two of ``paths`` (ASCII) nor of their folders differ only by case: one set of lowered
    paths, where folding each name of each path cost ~3 us a file; False means "look closer"."""
    joined = "\n".join(paths)
    if not joined.isascii():
        return False
    folders = {path.rpartition("/")[0] for path in paths}
    for folder in list(folders):
        while folder:
            folder = folder.rpartition("/")[0]
            folders.add(folder)
    folders.discard("")
    lowered = f"{joined}\n{chr(10).join(folders)}".lower().split("\n") if folders else joined.lower().split("\n")
    return len(set(lowered)) == len(lowered)  # paths are distinct, and no folder is a file
