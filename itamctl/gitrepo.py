"""All git access lives here: git's plumbing commands, run as subprocesses.

What itamctl reads from git:

* the registry's files at a revision, straight from git's objects (no
  checkout, no temporary copy): one ``git ls-tree`` of the registry folder and
  one ``git cat-file --batch`` for the blobs (:meth:`Repository.files_at`);
* the history of the registry folder: one ``git log --raw`` pass and one
  ``git cat-file --batch`` for every blob it names (:meth:`Repository.log`).

A pull request is untrusted input, and so are its revisions and trees: a
revision never reaches git as an option (it may not start with ``-``, and
``--end-of-options`` precedes it), reflog forms that do not resolve and a
shallow clone missing a commit get a one-line message, a tree entry named
``..`` is refused, and listing a tree stops past :data:`MAX_FILES` entries
(a few hundred bytes of repeated tree objects can expand to 10^9 paths).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from itamctl.errors import EXIT_USAGE, FatalError, UsageError
from itamctl.loader import MAX_FILES as LOADER_MAX_FILES

#: Most entries (files, links, submodules) a registry folder may hold at a revision, and a commit may
#: change there: the loader's bound on a registry's files.
MAX_FILES = LOADER_MAX_FILES
#: Most bytes of registry files read from one revision.
MAX_BYTES = 512 * 1024 * 1024
#: Longest a git command may run (seconds) before it is stopped.
TIMEOUT = 300

_SHALLOW_HINT = ("fetch more history: `git fetch --deepen=50` (or `git fetch --unshallow`), "
                 "or `fetch-depth: 0` for actions/checkout")


@dataclass(frozen=True, slots=True)
class Blob:
    """A file of the registry folder at a revision.

    ``data`` is None when over the caller's size limit, or when the caller's
    ``read`` left it out (it knows the content by ``oid``, git's object name).
    """

    path: str  # POSIX path inside the registry folder
    size: int
    data: bytes | None
    oid: str = ""


@dataclass(frozen=True)
class Snapshot:
    """The registry folder's files at a revision."""

    revision: str  # as the user wrote it
    commit: str  # full object name
    files: tuple[Blob, ...]  # sorted by path
    links: tuple[str, ...]  # symbolic links, not followed (paths inside the folder)


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a commit changed: its content before and after (None: did not exist)."""

    path: str  # POSIX path inside the registry folder
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class Commit:
    """A commit that touched the registry folder, with the files it changed there."""

    sha: str
    date: str
    author: str
    subject: str
    parents: tuple[str, ...]
    files: tuple[FileChange, ...]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    return env


def _existing_folder(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.is_dir():
        if path.parent == path:
            break
        path = path.parent
    return path


def check_revision(rev: str) -> str:
    """``rev`` if it may be passed to git; refuses options and control characters (exit 2)."""
    if not rev:
        raise UsageError("empty git revision")
    if rev.startswith("-"):
        raise UsageError(f"git revision {rev!r} starts with '-': refused (a revision is never an option)")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in rev):
        raise UsageError(f"git revision {rev!r} holds control characters")
    return rev


class Repository:
    """The git repository holding ``path`` (the registry folder; it need not exist on disk)."""

    def __init__(self, path: Path) -> None:
        start = _existing_folder(path)
        try:
            out = self._run(["rev-parse", "--show-toplevel"], cwd=start)
        except FatalError as exc:
            reason = exc.message.partition(": ")[2].removeprefix("fatal: ")
            raise FatalError(f"{path} is not inside a git working tree ({reason})", exit_code=EXIT_USAGE) from None
        self.root = Path(out.decode("utf-8", "surrogateescape").strip()).resolve()

    # --- running git -----------------------------------------------------

    def _run(self, args: list[str], *, cwd: Path | None = None, input: bytes | None = None,
             stderr: list[str] | None = None) -> bytes:
        """git's output for ``args``; its warnings go to ``stderr`` when given."""
        cwd = cwd or self.root
        try:
            done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=input,
                                  capture_output=True, env=_env(), timeout=TIMEOUT, check=False)
        except FileNotFoundError as exc:
            raise FatalError("git is not installed (it is needed to read revisions)") from exc
        except subprocess.TimeoutExpired as exc:
            raise FatalError(f"git {args[0]} took longer than {TIMEOUT} s; stopped") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise FatalError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
        if stderr is not None:
            stderr.extend(done.stderr.decode("utf-8", "replace").splitlines())
        return done.stdout

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` as a folder inside the repository (``.`` for its root)."""
        absolute = Path(os.path.abspath(path))
        existing = _existing_folder(absolute)
        full = existing.resolve() / absolute.relative_to(existing)
        try:
            return PurePosixPath(full.relative_to(self.root).as_posix())
        except ValueError as exc:
            raise UsageError(f"{path} is outside the git repository at {self.root}") from exc

    def is_shallow(self) -> bool:
        try:
            return self._run(["rev-parse", "--is-shallow-repository"]).strip() == b"true"
        except FatalError:
            return False

    def _has_commits(self) -> bool:
        try:
            return bool(self._run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).strip())
        except FatalError:
            return False

    def resolve(self, rev: str) -> str:
        """The commit ``rev`` names; one-line errors (exit 2) for everything a user can get wrong."""
        check_revision(rev)
        warnings: list[str] = []
        try:
            out = self._run(["rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"], stderr=warnings)
        except FatalError:
            out = b""
        sha = out.decode("ascii", "replace").strip()
        short = next((w for w in warnings if "only goes back to" in w), None)
        if sha and short is not None:  # HEAD@{yesterday} in a clone younger than that: git takes the oldest entry
            raise UsageError(f"cannot resolve {rev!r}: the reflog of {short.partition('log for ')[2]} "
                             "(reflogs are local to a clone); name a branch, tag or commit instead")
        if sha:
            return sha
        if not self._has_commits():
            raise UsageError(f"cannot resolve {rev!r}: the repository has no commits yet")
        if self.is_shallow():
            raise UsageError(f"git revision {rev!r} is not in this shallow clone; {_SHALLOW_HINT}")
        if "@{" in rev:
            raise UsageError(
                f"cannot resolve {rev!r}: this clone's reflog has no such entry (reflogs are local "
                "and CI checkouts have none); name a branch, tag or commit instead")
        raise UsageError(f"unknown git revision {rev!r}")

    # --- files at a revision -------------------------------------------------

    def _object_type(self, spec: str) -> tuple[str, str] | None:
        """(type, object name) of ``spec`` (``sha:path``), or None when it does not exist."""
        out = self._run(["cat-file", "--batch-check"], input=spec.encode("utf-8", "surrogateescape") + b"\n")
        parts = out.decode("utf-8", "replace").split()
        if len(parts) == 3:
            return parts[1], parts[0]
        return None

    def _stream(self, args: list[str], sep: bytes, max_record: int, too_big: Callable[[], FatalError],
                ) -> Iterator[bytes]:
        """The ``sep``-separated records git prints for ``args``, read as they come; a record longer
        than ``max_record`` bytes stops git and raises ``too_big()``."""
        try:
            proc = subprocess.Popen(["git", *args], cwd=self.root, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=_env())
        except FileNotFoundError as exc:
            raise FatalError("git is not installed (it is needed to read revisions)") from exc
        assert proc.stdout is not None
        pending = bytearray()  # the unfinished record; grown in place (re-joining it per chunk was quadratic)
        try:
            while chunk := proc.stdout.read(1 << 16):
                if sep in chunk:
                    first, *records, last = chunk.split(sep)
                    pending += first
                    yield bytes(pending)
                    yield from records
                    pending = bytearray(last)
                else:
                    pending += chunk
                if len(pending) > max_record:
                    raise too_big()
            if pending:
                yield bytes(pending)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            code = proc.wait()
        if code != 0:
            raise FatalError(f"git {args[0]} failed (exit code {code})")

    def _entries(self, tree: str, rev: str, folder: str) -> Iterator[tuple[str, str, str, int, str]]:
        """(mode, type, object, size, path) of every entry below ``tree``; stops past :data:`MAX_FILES`."""

        def refused() -> FatalError:
            return UsageError(f"{folder or 'the repository'} at {rev} holds more than {MAX_FILES:,} files: "
                              "refused (a crafted tree can expand to millions of paths)")

        records = self._stream(["ls-tree", "-r", "-z", "-l", tree], b"\0", 1 << 20, refused)
        for count, record in enumerate(records, start=1):
            if count > MAX_FILES:
                raise refused()
            meta, _, path = record.partition(b"\t")
            mode, kind, obj, size = meta.decode("ascii", "replace").split()
            yield mode, kind, obj, int(size) if size.isdigit() else 0, path.decode("utf-8", "surrogateescape")

    def files_at(self, rev: str, folder: PurePosixPath, wanted: Callable[[str], bool], *,
                 max_file_bytes: int | None = None,
                 read: Callable[[list[tuple[str, str]]], Collection[str]] | None = None) -> Snapshot | None:
        """The files of ``folder`` at ``rev`` for which ``wanted(path)`` holds (a POSIX path inside ``folder``,
        as a string); None when the folder
        does not exist there. Raises (exit 2) when ``folder`` is a file at ``rev``.

        ``read``, given every ``(path, object name)`` listed, returns the paths whose content
        to read (default: all); the others come without data (a cache knows them by name).
        Three git calls whatever the number of files: resolve, ls-tree, one cat-file batch.
        """
        commit = self.resolve(rev)
        name = "" if str(folder) in ("", ".") else str(folder)
        found = self._object_type(f"{commit}:{name}" if name else f"{commit}^{{tree}}")
        if found is None:
            return None
        kind, tree = found
        if kind != "tree":
            raise UsageError(f"the registry path {name} is a {('file' if kind == 'blob' else kind)} at {rev}, "
                             "not a folder")
        files: list[tuple[str, int, str | None]] = []
        links: list[str] = []
        total = 0
        for mode, kind, obj, size, path in self._entries(tree, rev, name):
            parts = path.split("/")
            if any(part in ("", ".", "..") for part in parts):
                raise UsageError(f"{name or '.'} at {rev} holds a tree entry with an unsafe name {path!r}: refused")
            if kind != "blob" or not wanted(path):
                continue
            if mode == "120000":
                links.append(path)
                continue
            if max_file_bytes is not None and size > max_file_bytes:
                files.append((path, size, None))
                continue
            total += size
            if total > MAX_BYTES:
                raise UsageError(f"the registry files at {rev} exceed {MAX_BYTES // (1024 * 1024)} MiB: refused")
            files.append((path, size, obj))
        listed = {path: obj for path, _, obj in files if obj is not None}
        chosen = set(listed) if read is None else set(read(list(listed.items())))
        contents = self.blobs([obj for path, obj in listed.items() if path in chosen])
        blobs = tuple(Blob(path, size, contents[obj] if obj and path in chosen else None, obj or "")
                      for path, size, obj in sorted(files))
        return Snapshot(rev, commit, blobs, tuple(sorted(links)))

    def blobs(self, names: list[str]) -> dict[str, bytes]:
        """The contents of the blobs ``names``: one ``git cat-file --batch`` for all of them."""
        unique = list(dict.fromkeys(names))
        if not unique:
            return {}
        out = self._run(["cat-file", "--batch"], input="".join(f"{n}\n" for n in unique).encode("ascii"))
        result: dict[str, bytes] = {}
        pos = 0
        for name in unique:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode("ascii", "replace").split()
            pos = end + 1
            if len(header) != 3:
                raise FatalError(f"git object {name} is missing from the repository")
            size = int(header[2])
            result[name] = out[pos:pos + size]
            pos += size + 1
        return result

    # --- history ---------------------------------------------------------------

    def log(self, folder: PurePosixPath, wanted: Callable[[PurePosixPath], bool], *,
            rev: str = "HEAD", max_commits: int | None = None) -> list[Commit]:
        """Commits that changed files ``wanted`` under ``folder`` reachable from ``rev``, newest first,
        with each changed file's content before and after.

        One ``git log --raw`` pass and one ``git cat-file --batch`` serve the whole history. Merge
        commits show no changes of their own: each change is listed under the commit that made it.
        """
        commit = self.resolve(rev)
        name = "" if str(folder) in ("", ".") else str(folder)
        args = ["log", "-z", "--raw", "--no-renames", "--no-abbrev",
                "--format=%x1e%H%x00%P%x00%aI%x00%an%x00%s%x00", "--end-of-options", commit]
        if max_commits is not None:
            args.insert(1, f"--max-count={max_commits}")
        args += ["--", name or "."]
        prefix = f"{name}/" if name else ""
        parsed: list[tuple[tuple[str, ...], list[tuple[str, str, str]]]] = []

        def refused() -> FatalError:
            return UsageError(f"a commit reachable from {rev} changes more than {MAX_FILES:,} files under "
                              f"{name or 'the repository'}: refused (a crafted tree can expand to millions of paths)")

        for record in self._stream(args, b"\x1e", MAX_FILES * 200, refused):
            if not record.strip(b"\0\n"):
                continue
            fields = record.split(b"\0")
            if len(fields) > 2 * MAX_FILES + 6:
                raise refused()
            sha, parents, date, author, subject = (f.decode("utf-8", "replace") for f in fields[:5])
            raw = fields[5:]
            changes: list[tuple[str, str, str]] = []
            i = 0
            while i < len(raw):
                meta = raw[i].decode("ascii", "replace").strip()
                if not meta.startswith(":"):
                    i += 1
                    continue
                path = raw[i + 1].decode("utf-8", "surrogateescape") if i + 1 < len(raw) else ""
                i += 2
                parts = meta[1:].split()
                if len(parts) < 5 or not path.startswith(prefix):
                    continue
                rel = path[len(prefix):]
                if parts[0] == "120000" or parts[1] == "120000" or not wanted(PurePosixPath(rel)):
                    continue
                changes.append((rel, parts[2], parts[3]))
            if changes:
                parsed.append(((sha, date, author, subject, parents), changes))
        null = "0" * 40
        contents = self.blobs([obj for _, changes in parsed for _, a, b in changes for obj in (a, b) if obj != null])
        commits = []
        for (sha, date, author, subject, parents), changes in parsed:
            files = tuple(FileChange(rel, contents.get(a) if a != null else None,
                                     contents.get(b) if b != null else None) for rel, a, b in changes)
            commits.append(Commit(sha, date, author, subject, tuple(parents.split()), files))
        return commits


def init_repository(path: Path) -> bool:
    """``git init`` at ``path`` unless it is already inside a work tree; True when a repository was made."""
    try:
        Repository(path)
        return False
    except FatalError:
        pass
    try:
        done = subprocess.run(["git", "init", "--quiet", "--initial-branch=main", "--", str(path)],
                              capture_output=True, env=_env(), timeout=TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise FatalError("git is not installed (it is needed for git init; pass --no-git)") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FatalError(f"git init {path} failed: {message[-1] if message else done.returncode}")
    return True
