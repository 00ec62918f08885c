"""One strict MkDocs build through MkDocs' Python API (used by the main build and by each shard).

MkDocs is imported only here, and only when a build runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from itamctl.errors import FatalError

EPOCH = "315532800"  # 1980-01-01: fixed timestamps (sitemap) for reproducible output


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def mkdocs_environment() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = saved["SOURCE_DATE_EPOCH"] or EPOCH
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_mkdocs(config_file: Path) -> None:
    """A strict ``mkdocs build`` through MkDocs' Python API; warnings become a FatalError."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        with mkdocs_environment():
            config = load_config(config_file=str(config_file), strict=True)
            build(config)
    except MkDocsException as exc:
        details = "; ".join(handler.messages[:20])
        raise FatalError(f"mkdocs build failed: {exc}" + (f": {details}" if details else "")) from exc
    finally:
        logger.removeHandler(handler)


