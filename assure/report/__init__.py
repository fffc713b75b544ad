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
    from assure.report.text import render

    return render(report, color=color, width=width)


def _json(report: Report, *, color: bool = False, width: int = 100) -> str:
    from assure.report.json import render

    return render(report)


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": _text,
    "json": _json,
}


def get_formatter(name: str) -> Callable[..., str]:
    try:
        return FORMATTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (choose from {', '.join(sorted(FORMATTERS))})") from None
