"""Exceptions and exit codes.

Every failure a user can cause is an :class:`AssureError` with a stable ``code`` so that
the CLI can print one line and machine formats can carry the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any


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


@dataclass(frozen=True)
class Problem:
    """One mistake in a user's file, located like a linter's line: ``FILE:LINE:COL: KEY: message``.

    ``line`` and ``column`` are 1-based and None when the file gives no positions (JSON,
    TOML columns); ``rule`` and ``question`` name what the key belongs to."""

    file: str
    line: int | None
    column: int | None
    key: str
    message: str
    rule: str | None = None  # the id of the rule the key is inside
    question: str | None = None  # the id of the question file the key is inside

    def __str__(self) -> str:
        from assure.names import bounded

        where = ":".join([self.file, *(str(n) for n in (self.line, self.column) if n is not None)])
        key = f"{bounded(self.key, 120)}: " if self.key else ""
        context = f"rule {self.rule}" if self.rule else (f"question {self.question}" if self.question else "")
        context = f" ({bounded(context, 120)})" if context else ""
        return f"{where + ': ' if self.file else ''}{key}{self.message}{context}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.key, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "rule": self.rule,
            "question": self.question,
            "message": self.message,
        }


class ConfigProblems(ConfigError):
    """Every mistake found in the questions, rules or config files at once, sorted by file
    and line, so a user fixes them in one pass instead of one run per mistake."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=Problem.sort_key))
        first = self.problems[0] if self.problems else None
        super().__init__(
            "\n".join(str(p) for p in self.problems) or "invalid configuration",
            path=None if first is None else first.file,
        )

    def __str__(self) -> str:
        return self.message

    def summary(self) -> str:
        """``3 problems in rules.yaml`` (or ``in 2 files``)."""
        files = sorted({p.file or "the command line" for p in self.problems})
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''} in {where}"


def problems_of(exc: AssureError) -> tuple[Problem, ...]:
    """The problems an error carries: its own list, or itself as one problem without a position."""
    if isinstance(exc, ConfigProblems):
        return exc.problems
    return (Problem(exc.path or "", None, None, "", exc.message),)


class ExtractionError(AssureError):
    """A document could not be read at all."""

    code = "unreadable"

    def __init__(self, message: str, *, path: str | None = None, code: str | None = None) -> None:
        super().__init__(message, path=path)
        if code:
            self.code = code
