"""Output formats: one registry, one module per format.

A format turns a :class:`~assure.models.Report` into text. The engine never prints; the
CLI picks formats by name (``-f NAME[:FILE]``) and writes their output to stdout or files.
A new format is its module plus one line in :data:`FORMATS`; the CLI's help, the list of
choices and ``NAME:FILE`` handling all come from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assure.models import Report


@dataclass(frozen=True)
class RenderContext:
    """What a format may use besides the report."""

    color: bool = False  # only honoured by terminal formats, and only on stdout
    width: int = 100
    questions: Sequence[tuple[str, str]] | None = None  # (id, title) of every question checked, for matrix columns
    skipped: Sequence[tuple[str, str]] = ()  # (path, same as) of duplicate files skipped
    advice: Mapping[str, str] | None = None  # question id -> what to add (the question's ``add``), met or not


Render = Callable[[Report, RenderContext], str]


@dataclass(frozen=True)
class Format:
    """A named output format: ``render`` is looked up in ``assure.report.<module>`` on first use
    (keeps ``assure --help`` fast) and called as ``render(report)`` unless ``adapter`` says how."""

    name: str
    extension: str  # the usual file extension, without the dot
    help: str  # a few words for the CLI help
    module: str  # a module of assure.report, or a full dotted path
    function: str = "render"
    adapter: Callable[[Callable[..., str], Report, RenderContext], str] | None = None

    def render(self, report: Report, ctx: RenderContext | None = None) -> str:
        ctx = ctx or RenderContext()
        module = self.module if "." in self.module else f"assure.report.{self.module}"
        function = getattr(importlib.import_module(module), self.function)
        if self.adapter is not None:
            return self.adapter(function, report, ctx)
        return str(function(report))

    def __call__(self, report: Report, *, color: bool = False, width: int = 100) -> str:
        return self.render(report, RenderContext(color=color, width=width))


def _terminal(render: Callable[..., str], report: Report, ctx: RenderContext) -> str:
    from assure.report._common import policy_text

    return render(report, color=ctx.color, width=ctx.width) + policy_text(report)


def _with_questions(render: Callable[..., str], report: Report, ctx: RenderContext) -> str:
    return render(report, ctx.questions)


def _with_advice(render: Callable[..., str], report: Report, ctx: RenderContext) -> str:
    return render(report, advice=ctx.advice)


def _heatmap(render: Callable[..., str], report: Report, ctx: RenderContext) -> str:
    return render(report, skipped=ctx.skipped, questions=ctx.questions)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "txt", "the default, the gap report for a terminal", "text", adapter=_terminal),
        Format("json", "json", "the full report (docs/json-schema.md)", "json"),
        Format("jsonl", "jsonl", "one JSON line per document", "jsonl"),
        Format("markdown", "md", "a Markdown report (PR comments)", "markdown"),
        Format("html", "html", "a self-contained HTML report", "html"),
        Format("csv", "csv", "one row per document and question", "csv"),
        Format("junit", "xml", "JUnit XML (a test per question)", "junit"),
        Format("sarif", "sarif", "SARIF 2.1.0 (code scanning)", "sarif", adapter=_with_advice),
        Format("github", "txt", "GitHub Actions annotations and step summary", "github"),
        Format("gitlab", "json", "GitLab Code Quality", "gitlab"),
        Format("concise", "txt", "one line per finding: file:page: Q4 partial RULE message", "concise"),
        Format("explain", "txt", "every candidate hit, the step that decided it and why", "explain"),
        Format("matrix", "csv", "the documents x questions matrix as CSV", "matrix", "render_csv", _with_questions),
        Format(
            "matrix-markdown", "md", "the documents x questions matrix as Markdown", "matrix", "render_markdown", _with_questions
        ),
        Format("heatmap", "html", "a self-contained HTML heatmap with evidence", "heatmap", adapter=_heatmap),
    )
}

# the formats' callables by name (older callers and tests use these)
FORMATTERS: dict[str, Callable[..., str]] = dict(FORMATS)


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (choose from {', '.join(sorted(FORMATS))})") from None


def get_formatter(name: str) -> Callable[..., str]:
    return get_format(name)


def formats_help() -> str:
    """The ``-f`` help: every registered format, then how NAME:FILE works."""
    names = "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values())  # a help may hold brackets of its own
    return (
        f"Output format, repeatable. {names}; auto: github under GitHub Actions, else text. "
        "NAME:FILE writes that format to FILE, e.g. -f junit:report.xml -f html:report.html; "
        "at most one format goes to stdout."
    )
