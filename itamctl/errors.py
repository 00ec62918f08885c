"""The single fatal error type, mapped to exit codes by the CLI (as pre-commit does)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_FATAL = 3


class FatalError(Exception):
    """A problem that stops a command: bad option value, unknown id, unreadable registry.

    ``file`` and ``line`` point at the cause when one exists.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        exit_code: int = EXIT_FATAL,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.exit_code = exit_code

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class UsageError(FatalError):
    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("exit_code", EXIT_USAGE)
        super().__init__(message, **kwargs)
