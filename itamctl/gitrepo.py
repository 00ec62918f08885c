"""All git access lives here (through GitPython).

Two things are read from git: a registry folder as it was at a revision (to
compare a pull request with its base), and the commits that touched each file
(the history shown on an item's page).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from itamctl.errors import EXIT_USAGE, FatalError

try:
    import git
except ImportError as exc:  # pragma: no cover - git itself missing from the machine
    raise FatalError(f"git is not available: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Change:
    """One commit that touched a file."""

    sha: str
    date: str  # ISO 8601 author date, as git records it
    author: str
    subject: str


class Repository:
    def __init__(self, path: Path) -> None:
        try:
            self._repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise FatalError(f"{path} is not inside a git repository", exit_code=EXIT_USAGE) from exc
        if self._repo.working_tree_dir is None:
            raise FatalError(f"{path} is in a bare git repository", exit_code=EXIT_USAGE)
        self.root = Path(self._repo.working_tree_dir).resolve()

    def relative(self, path: Path) -> PurePosixPath:
        try:
            return PurePosixPath(path.resolve().relative_to(self.root).as_posix())
        except ValueError as exc:
            raise FatalError(f"{path} is outside the git repository at {self.root}",
                             exit_code=EXIT_USAGE) from exc

    def resolve(self, rev: str) -> str:
        try:
            return self._repo.commit(rev).hexsha
        except (git.BadName, ValueError, git.GitCommandError) as exc:
            raise FatalError(f"unknown git revision {rev!r}", exit_code=EXIT_USAGE) from exc

    def export(self, rev: str, folder: PurePosixPath, dest: Path) -> bool:
        """Write the files of ``folder`` at ``rev`` under ``dest``; False if it did not exist."""
        commit = self._repo.commit(self.resolve(rev))
        try:
            tree = commit.tree / str(folder) if str(folder) not in ("", ".") else commit.tree
        except KeyError:
            return False
        for blob in tree.traverse():
            if blob.type != "blob" or stat.S_ISLNK(blob.mode):
                continue  # links are not followed, as the loader does on disk
            target = dest / PurePosixPath(blob.path).relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob.data_stream.read())
        return True

    def history(self, folder: PurePosixPath, limit: int = 50) -> dict[str, list[Change]]:
        """For every file under ``folder``: the commits that touched it, newest first."""
        sep = "\x1f"
        try:
            out = self._repo.git.log(
                f"--format=%x1e%H{sep}%aI{sep}%an{sep}%s", "--name-only", "--no-renames",
                "--", str(folder) or ".",
            )
        except git.GitCommandError:
            return {}
        result: dict[str, list[Change]] = {}
        for record in out.split("\x1e"):
            if not record.strip():
                continue
            header, _, names = record.partition("\n")
            sha, date, author, subject = [*header.split(sep), "", "", ""][:4]
            change = Change(sha, date, author, subject)
            for name in names.splitlines():
                if name.strip():
                    bucket = result.setdefault(name.strip(), [])
                    if len(bucket) < limit:
                        bucket.append(change)
        return result


def file_history(registry_root: Path, limit: int = 20) -> dict[Path, list[Change]]:
    """Commits that touched each file under the registry, keyed by the file's resolved path.

    Empty when the registry is not inside a git repository (history is a bonus,
    never a requirement).
    """
    try:
        repo = Repository(registry_root)
    except FatalError:
        return {}
    found = repo.history(repo.relative(registry_root), limit=limit)
    return {(repo.root / name).resolve(): changes for name, changes in found.items()}
