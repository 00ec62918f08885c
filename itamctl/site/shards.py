"""A large site built by several MkDocs processes at once, the same bytes as one build.

MkDocs builds one page after another, and with thousands of item pages that is
most of ``site build``'s time. An item page (``asset/``, ``license/``,
``contract/``, ``person/``) depends on no other page: the navigation lists only
the section pages, under the titles ``mkdocs.yml`` gives them, and item pages
link to each other in raw HTML, which MkDocs does not rewrite. So the item pages
are cut into runs, in MkDocs' own page order. Every run but the first is built
at once, by a strict MkDocs build of the same configuration in a Python process
of its own (``python -m itamctl.site.shards``), next to stub section pages that
only give the navigation its targets; meanwhile this process writes the section
pages and builds them with the first run. The other builds' item pages are then
moved into this build's output and the search indexes joined in page order,
which is what a single build writes (the tests compare the two).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from itamctl.errors import FatalError

#: Folders of item pages: the only pages split between builds.
ITEM_DIRS = ("asset", "contract", "license", "location", "person", "vendor")
#: Below this many item pages per process, starting one costs more than it saves.
MIN_PAGES_PER_JOB = 150
#: Most processes used when the caller does not say: the saving flattens beyond a few.
MAX_AUTO_JOBS = 4
#: The fixed cost of a page in characters of Markdown, for balancing the runs.
PAGE_OVERHEAD = 3000
#: What the first build does besides its item pages (reports, section pages), relative to all item pages.
FIRST_EXTRA = 0.2
SEARCH_INDEX = "search/search_index.json"

T = TypeVar("T")


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def job_count(jobs: int | None, item_pages: int) -> int:
    """How many builds: ``jobs`` if given (at most one per page), else by CPUs and the number of item pages."""
    if jobs is not None:
        return max(1, min(jobs, item_pages))
    return max(1, min(available_cpus(), MAX_AUTO_JOBS, item_pages // MIN_PAGES_PER_JOB))


def _build_order(rel: str) -> tuple:
    """Where MkDocs builds the page at ``rel`` (a POSIX path in the docs folder): folder, then name."""
    path = PurePosixPath(rel)
    return path.parts[:-1], path.stem not in ("index", "README"), path.name


def plan(pages: Sequence[T], weights: Sequence[int], jobs: int) -> list[list[T]]:
    """``pages`` cut into ``jobs`` consecutive runs of about equal work, the first run lighter by
    :data:`FIRST_EXTRA` (its build does the rest of the site too)."""
    total = sum(weights)
    first = max(0.0, (1 + FIRST_EXTRA) / jobs - FIRST_EXTRA) * total
    step = (total - first) / (jobs - 1) if jobs > 1 else 0.0
    runs: list[list[T]] = [[] for _ in range(jobs)]
    done = 0
    for page, weight in zip(pages, weights, strict=True):
        index = 0 if done < first or step == 0 else min(jobs - 1, 1 + int((done - first) / step))
        runs[index].append(page)
        done += weight
    return runs


def _html(rel: str) -> str:
    return rel[: -len(".md")] + ".html"


@dataclass
class Workers:
    """Builds of item runs going on in other processes."""

    runs: list[tuple[Path, list[str]]] = field(default_factory=list)  # (site folder, pages)
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def wait(self) -> list[str]:
        """Wait for every build; their error messages."""
        errors = []
        for process in self.processes:
            _, stderr = process.communicate()
            if process.returncode != 0:
                errors.append(stderr.strip() or f"mkdocs build failed in a worker process "
                                                f"(exit code {process.returncode})")
        return errors

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
        self.wait()


def _start(config_file: Path) -> subprocess.Popen[str]:
    """A strict build of ``config_file`` in a fresh Python process."""
    package_root = str(Path(__file__).resolve().parent.parent.parent)
    path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-m", "itamctl.site.shards", str(config_file)],
                            env={**os.environ, "PYTHONPATH": path}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


@contextmanager
def item_builds(pages: Sequence[tuple[str, str]], docs: Path, work: Path, sections: Sequence[str],
                jobs: int | None, write_config: Callable[[Path, Path, Path], Path],
                write: Callable[[Path, Iterable[tuple[str, str]]], object]) -> Iterator[Workers]:
    """Write the item ``pages`` (``(path, Markdown)``) and start building all but the first run of them in
    other processes (none if ``jobs`` comes to 1).

    The first run goes to ``docs`` (with ``write(folder, pages)``), run N to ``work/shard-N/docs``
    beside stubs of the ``sections`` (``index.md``, …) that the navigation needs, with a configuration
    from ``write_config(folder, docs, site)``. On an error the builds are stopped.
    """
    ordered = sorted(pages, key=lambda page: _build_order(page[0]))
    count = job_count(jobs, len(ordered))
    runs = plan(ordered, [PAGE_OVERHEAD + len(text) for _, text in ordered], count)
    workers = Workers()
    try:
        for number, run in enumerate(runs[1:], 1):
            folder = work / f"shard-{number}"
            write(folder / "docs", [*run, *((name, f"# {PurePosixPath(name).stem}\n") for name in sections)])
            workers.runs.append((folder / "site", [rel for rel, _ in run]))
            workers.processes.append(_start(write_config(folder, folder / "docs", folder / "site")))
        write(docs, runs[0])
        yield workers
    except BaseException:
        workers.stop()
        raise


def finish(workers: Workers, site: Path) -> None:
    """Wait for the builds of ``workers``; move their pages into ``site`` and join the search indexes."""
    errors = workers.wait()
    if errors:
        raise FatalError(errors[0])
    index_file = site / SEARCH_INDEX
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.is_file() else None
    for built, run in workers.runs:
        for sub in {PurePosixPath(rel).parent for rel in run}:
            (site / sub).mkdir(exist_ok=True)
        for rel in run:
            os.replace(built / _html(rel), site / _html(rel))
        if index is not None:
            theirs = json.loads((built / SEARCH_INDEX).read_text(encoding="utf-8"))
            wanted = {_html(rel) for rel in run}
            index["docs"].extend(e for e in theirs["docs"] if e["location"].split("#", 1)[0] in wanted)
    if index is not None:  # as Material's search plugin writes it
        index_file.write_bytes(json.dumps(index, separators=(",", ":"), default=str).encode("utf-8"))


def main(argv: Sequence[str]) -> int:
    """``python -m itamctl.site.shards CONFIG``: one strict build; the error on stderr, exit code 1."""
    from itamctl.site.mkdocs_build import run_mkdocs

    try:
        run_mkdocs(Path(argv[0]))
    except FatalError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
