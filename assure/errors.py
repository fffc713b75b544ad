"""Exceptions and exit codes.

Every failure a user can cause is an :class:`AssureError` with a stable ``code`` so that
the CLI can print one line and machine formats can carry the code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in the README and never renumbered."""

    OK = 0  # nothing at or beyond the fail level
    FINDINGS = 1  # at least one finding at or beyond the fail level
    ERROR = 2  # usage, configuration or unreadable input


class AssureError(Exception):
    """Base for errors that become one clear line and exit code 2."""

    code = "error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(AssureError):
    """A questions, rules or config file is invalid; names the file and key path."""

    code = "config"


class ExtractionError(AssureError):
    """A document could not be read at all."""

    code = "unreadable"

    def __init__(self, message: str, *, path: str | None = None, code: str | None = None) -> None:
        super().__init__(message, path=path)
        if code:
            self.code = code
