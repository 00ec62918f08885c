"""Real git repositories for the git tests: commits with a fixed author, crafted trees."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git

ACTOR = git.Actor("Ada Admin", "ada@example.com")


def commit(repo: git.Repo, message: str, author: git.Actor = ACTOR) -> str:
    """Stage everything in the working tree and commit it; returns the commit's sha."""
    repo.git.add(A=True)
    return repo.index.commit(message, author=author, committer=author).hexsha


def git_out(cwd: Path, *args: str, input: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, check=True)
    return done.stdout.decode().strip()


def tree_object(cwd: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree written byte for byte (``git mktree`` checks nothing; this can name an entry ``..``)."""
    body = b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(sha) for mode, name, sha in entries)
    return git_out(cwd, "hash-object", "-t", "tree", "--literally", "-w", "--stdin", input=body)


def commit_tree(cwd: Path, tree: str, message: str, parent: str | None = None) -> str:
    args = ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit-tree", tree, "-m", message]
    if parent:
        args += ["-p", parent]
    return git_out(cwd, *args)
