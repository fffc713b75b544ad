"""Command-line interface: thin Typer commands over functions that return values.

Heavy libraries (spaCy, the PDF readers, python-docx) are imported inside the commands
so that ``assure --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from assure import __version__
from assure.errors import AssureError, ExitCode

app = typer.Typer(
    name="assure",
    help="Check health and housing strategies (PDF, DOCX, text) against the ten home-and-health assurance questions.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Validate and test the questions and rules.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")


class FailOn(str, Enum):
    gap = "gap"
    partial = "partial"
    never = "never"


class OutFormat(str, Enum):
    text = "text"
    json = "json"


class PdfEngine(str, Enum):
    pypdfium2 = "pypdfium2"
    pdfplumber = "pdfplumber"


RulesOpt = Annotated[Optional[Path], typer.Option("--rules", help="Rules file (default: the built-in rules.yaml).", dir_okay=False)]
QuestionsOpt = Annotated[Optional[Path], typer.Option("--questions", help="Questions folder (default: the built-in questions/).", file_okay=False)]


def fail(message: str, code: ExitCode = ExitCode.ERROR) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    typer.echo(f"assure: {message}", err=True)
    return typer.Exit(int(code))


def use_color(stream=None) -> bool:  # noqa: ANN001
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width() -> int:
    try:
        return max(60, min(os.get_terminal_size().columns, 140))
    except OSError:
        return int(os.environ.get("COLUMNS", "100") or 100)


def load_rules(rules: Path | None, questions: Path | None):  # noqa: ANN201
    from assure.ruleset import load_ruleset

    try:
        return load_ruleset(rules, questions)
    except AssureError as exc:
        raise fail(str(exc)) from None


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from assure.fsutil import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise fail(f"{output}: cannot write ({exc.strerror or exc})") from None


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"assure {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Exit codes: 0 nothing at or beyond the fail level; 1 findings; 2 usage, config or unreadable input."""


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="PDF, DOCX, text or Markdown files, or folders to search.")],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file (atomically).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Lowest verdict that makes the exit code 1.")] = FailOn.gap,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text extractor.")] = PdfEngine.pypdfium2,
    password: Annotated[Optional[str], typer.Option("--password", help="Password for encrypted PDFs.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="List every candidate hit, its rule, context cue and whether it counted.")] = False,
    only: Annotated[Optional[list[str]], typer.Option("--question", "-q", help="Only these questions (repeatable), e.g. -q Q4.")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per core).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Seconds allowed per file before it becomes a 'timeout' error entry (0: no limit).")] = 600.0,
    max_memory: Annotated[int, typer.Option("--max-memory", min=0, metavar="MB", help="Memory a worker may add per file before it becomes a 'memory' error entry (0: no limit).")] = 3072,
    cache: Annotated[Optional[Path], typer.Option("--cache", file_okay=False, help="Reuse results from this folder (keyed by file content, rules, version and options); off by default.")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Only files in folders matching this glob (gitignore syntax; repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Skip files and folders matching this glob (gitignore syntax; repeatable).")] = None,
    matrix: Annotated[Optional[Path], typer.Option("--matrix", dir_okay=False, help="Also write the documents x questions matrix (FILE.csv or FILE.md).")] = None,
    heatmap: Annotated[Optional[Path], typer.Option("--heatmap", dir_okay=False, help="Also write a self-contained HTML heatmap with evidence (FILE.html).")] = None,
    executor: Annotated[str, typer.Option("--executor", help="local (worker processes) or dask (needs assure[dask]; a LocalCluster unless --scheduler).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Address of a Dask scheduler to run on (implies --executor dask).")] = None,
) -> None:
    """Check documents and print a gap report for each of the ten questions."""
    from assure.discover import discover_documents
    from assure.extract import ExtractOptions
    from assure.report import get_formatter
    from assure.batch import EXECUTORS, BatchOptions, run_batch
    from assure.runner import CheckOptions, exit_code

    if executor not in EXECUTORS:
        raise fail(f"--executor: choose from {', '.join(EXECUTORS)}")
    if matrix is not None and not str(matrix).lower().endswith((".csv", ".md", ".markdown")):
        raise fail(f"{matrix}: the --matrix file must end in .csv or .md")
    ruleset = load_rules(rules, questions)
    if only:
        try:
            ruleset = ruleset.select(only)
        except AssureError as exc:
            raise fail(str(exc)) from None
    try:
        found = discover_documents([str(p) for p in paths], include=include, exclude=exclude)
    except AssureError as exc:
        raise fail(str(exc)) from None
    files, problems = list(found.files), list(found.problems)
    for problem in problems:
        typer.echo(f"assure: {problem}", err=True)
    for dup in found.duplicates:
        typer.echo(f"assure: {dup.path}: skipped, same content as {dup.same_as}", err=True)
    options = CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value, password=password))

    def note_error(result) -> None:  # noqa: ANN001
        if result.error:
            typer.echo(f"assure: {result.path}: {result.error['message']}", err=True)

    batch = BatchOptions(jobs=jobs, timeout=timeout or None, max_memory_mb=max_memory or None, executor=executor,
                         scheduler=scheduler, cache_dir=str(cache) if cache else None, progress=sys.stderr.isatty())
    try:
        outcome = run_batch(files, ruleset, options, batch, hashes=found.hashes, on_result=note_error)
    except AssureError as exc:
        raise fail(str(exc)) from None
    report = outcome.report
    if outcome.interrupted:
        typer.echo(f"assure: interrupted; {sum(d.error is None or d.error.get('code') != 'interrupted' for d in report.documents)}"
                   f" of {len(files)} documents finished, writing what finished", err=True)
    if matrix is not None or heatmap is not None:
        from assure.batch import write_audit_outputs

        try:
            write_audit_outputs(report, matrix=matrix, heatmap=heatmap, skipped=[(d.path, d.same_as) for d in found.duplicates],
                                ruleset=ruleset)
        except OSError as exc:
            raise fail(f"{exc.filename}: cannot write ({exc.strerror or exc})") from None
    if explain:
        from assure.report.explain import render as render_explain

        text = render_explain(report)
    else:
        text = get_formatter(format.value)(report, color=use_color() and output is None, width=terminal_width())
    emit(text, output)
    code = exit_code(report, fail_on.value)
    if problems and code is ExitCode.OK:
        code = ExitCode.ERROR
    raise typer.Exit(int(code))


@app.command("questions")
def questions_cmd(
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    questions: QuestionsOpt = None,
    rules: RulesOpt = None,
) -> None:
    """List the assurance questions."""
    ruleset = load_rules(rules, questions)
    if format is OutFormat.json:
        import json

        data = [{"id": q.id, "title": q.title, "question": q.question, "why": q.why, "add": q.add, "source": q.source,
                 "rules": [r.id for r in ruleset.rules_for(q.id)]} for q in ruleset.questions]
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None)
        return
    lines = []
    for q in ruleset.questions:
        lines.append(f"{q.id}  {q.title}\n    {q.question}\n    source: {q.source}\n")
    emit("\n".join(lines), None)


@app.command("extract")
def extract_cmd(
    path: Annotated[Path, typer.Argument(help="A PDF, DOCX, text or Markdown file.")],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text extractor.")] = PdfEngine.pypdfium2,
    password: Annotated[Optional[str], typer.Option("--password", help="Password for encrypted PDFs.")] = None,
) -> None:
    """Print the text blocks assure reads from a file, with locations and quality signals."""
    from assure.extract import ExtractOptions, extract
    from assure.report.extract import render_document

    try:
        document = extract(path, ExtractOptions(pdf_engine=pdf_engine.value, password=password))
    except AssureError as exc:
        raise fail(str(exc)) from None
    emit(render_document(document, format.value), None)


@rules_app.command("validate")
def rules_validate(rules: RulesOpt = None, questions: QuestionsOpt = None) -> None:
    """Validate the questions and rules (schema, cross-references, spaCy patterns)."""
    from assure.engine import compile_rules

    ruleset = load_rules(rules, questions)
    try:
        compile_rules(ruleset)
    except AssureError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"ok: {len(ruleset.questions)} questions, {len(ruleset.rules)} rules ({ruleset.rules_path})")


@rules_app.command("test")
def rules_test(
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
) -> None:
    """Run every example sentence in the questions and rules; exit 1 on any failure."""
    from assure.ruletest import run_examples

    ruleset = load_rules(rules, questions)
    outcome = run_examples(ruleset)
    if format is OutFormat.json:
        import json

        emit(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False) + "\n", None)
    else:
        for f in outcome.failures:
            typer.echo(f"FAIL {f.owner}: expected {f.expected}, got {f.got}: {f.sentence}")
        typer.echo(f"{outcome.passed} passed, {len(outcome.failures)} failed")
    raise typer.Exit(int(ExitCode.FINDINGS if outcome.failures else ExitCode.OK))


class Baseline(str, Enum):
    keywords = "keywords"


@app.command("eval")
def eval_cmd(
    labels: Annotated[list[Path], typer.Argument(help="Label files (eval/labels/FORMAT.md) or folders of them.")],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the figures to this file (atomically).")] = None,
    baseline: Annotated[Optional[Baseline], typer.Option("--baseline", help="Also score a naive baseline on the same documents.")] = None,
    fail_under_kappa: Annotated[Optional[float], typer.Option("--fail-under-kappa", help="Exit 1 when the overall weighted kappa is below this.")] = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text extractor.")] = PdfEngine.pypdfium2,
) -> None:
    """Measure agreement with labelled documents: agreement, weighted kappa, confusion, false-met, PDF/DOCX consistency."""
    from assure.evaluate import run_eval
    from assure.extract import ExtractOptions
    from assure.report.eval import render
    from assure.runner import CheckOptions

    ruleset = load_rules(rules, questions)
    progress = sys.stderr.isatty()

    def note(doc, pred) -> None:  # noqa: ANN001
        if pred.status == "error":
            typer.echo(f"assure: {doc.file}: {pred.error}", err=True)
        elif progress:
            typer.echo(f"  evaluated {doc.file}", err=True)

    try:
        report = run_eval([str(p) for p in labels], ruleset, baseline=baseline.value if baseline else None,
                          options=CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value)), on_document=note)
    except AssureError as exc:
        raise fail(str(exc)) from None
    for message in report.skipped:
        typer.echo(f"assure: skipped {message}", err=True)
    if report.engine.documents == 0:
        raise fail("nothing to evaluate: no labelled document was found (see the skipped messages)")
    emit(render(report, format.value), output)
    kappa = report.engine.overall.kappa
    if fail_under_kappa is not None and (kappa is None or kappa < fail_under_kappa):
        typer.echo(f"assure: weighted kappa {'n/a' if kappa is None else f'{kappa:.3f}'} is below {fail_under_kappa}", err=True)
        raise typer.Exit(int(ExitCode.FINDINGS))


def main() -> None:
    app()
