"""Formatters: one small interface, one module per format.

A formatter turns a :class:`~assure.models.Report` into text. The engine never prints;
the CLI picks a formatter by name and writes its output to stdout or a file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from assure.models import Report


class Formatter(Protocol):
    """Render a report; ``color`` is only honoured by terminal formats."""

    def __call__(self, report: Report, *, color: bool = False, width: int = 100) -> str: ...


def _text(report: Report, *, color: bool = False, width: int = 100) -> str:
    from assure.report._common import policy_text
    from assure.report.text import render

    return render(report, color=color, width=width) + policy_text(report)


def _json(report: Report, *, color: bool = False, width: int = 100) -> str:
    from assure.report.json import render

    return render(report)


def _lazy(module: str) -> Callable[..., str]:
    """A formatter whose module is imported on first use (keeps ``assure --help`` fast)."""

    def formatter(report: Report, *, color: bool = False, width: int = 100) -> str:
        import importlib

        return importlib.import_module(f"assure.report.{module}").render(report)

    formatter.__name__ = f"_{module}"
    return formatter


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": _text,
    "json": _json,
    "jsonl": _lazy("jsonl"),
    "markdown": _lazy("markdown"),
    "html": _lazy("html"),
    "csv": _lazy("csv"),
    "junit": _lazy("junit"),
    "sarif": _lazy("sarif"),
    "github": _lazy("github"),
    "gitlab": _lazy("gitlab"),
    "concise": _lazy("concise"),
}


def get_formatter(name: str) -> Callable[..., str]:
    try:
        return FORMATTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (choose from {', '.join(sorted(FORMATTERS))})") from None
