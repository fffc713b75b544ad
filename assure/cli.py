"""Command-line interface: thin Typer commands over functions that return values.

Heavy libraries (spaCy, the PDF readers, python-docx) are imported inside the commands
so that ``assure --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from assure import __version__, helpstyle
from assure.errors import AssureError, ConfigProblems, ExitCode, Problem
from assure.extract import readers_help
from assure.models import FailLevel
from assure.report import formats_help

if TYPE_CHECKING:  # pragma: no cover
    from assure.annotate import AnnotationResult
    from assure.baseline import Baseline as VerdictBaseline
    from assure.batch import BatchOutcome
    from assure.config import Config
    from assure.discover import Discovery
    from assure.models import DocumentResult, Report
    from assure.report.outputs import OutputSpec
    from assure.ruleset import RuleSet
    from assure.selection import Request as SelectionRequest
    from assure.selection import Selected

helpstyle.install()

app = typer.Typer(
    name="assure",
    cls=helpstyle.PlainErrorsGroup,
    help=(
        "Check health and housing strategies (PDF, DOCX, OpenDocument, HTML, Word, RTF, text or Markdown) "
        "against the ten home-and-health assurance questions."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Validate, test and list the questions and rules.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
config_app = typer.Typer(
    help="Show the configuration assure would use here (assure config is assure config show).",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")
baseline_app = typer.Typer(
    help="Record today's verdicts so CI fails only on regressions.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(baseline_app, name="baseline")


class OutFormat(str, Enum):
    text = "text"
    json = "json"


class PdfEngine(str, Enum):
    pypdfium2 = "pypdfium2"
    pdfplumber = "pdfplumber"


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


OCR_HELP = (
    "OCR for PDF pages: auto reads pages without a text layer when Tesseract is installed; "
    "always reads every page (error if Tesseract is missing); never."
)
PdfEngineOpt = Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text extractor.")]
PasswordOpt = Annotated[Optional[str], typer.Option("--password", metavar="PASSWORD", help="Password for encrypted PDFs.")]
OcrOpt = Annotated[OcrMode, typer.Option("--ocr", help=OCR_HELP)]


def _ocr_ready(mode: OcrMode) -> None:
    """--ocr always without Tesseract is a usage error, said once before any file is read."""
    if mode is OcrMode.always:
        from assure.extract.ocr import INSTALL_HINT, missing

        reason = missing()
        if reason:
            raise fail(f"--ocr always: {reason} ({INSTALL_HINT})")


FailOnNotApplicableOpt = Annotated[
    Optional[bool],
    typer.Option(
        "--fail-on-not-applicable/--no-fail-on-not-applicable",
        help="Exit 1 when a document is not applicable (too few sentences about health for the relevance screen); "
        "default: the config's fail_on_not_applicable, else off.",
        show_default=False,
    ),
]
RulesOpt = Annotated[
    Optional[Path],
    typer.Option("--rules", help="Rules file (default: the config file's rules, else the built-in rules.yaml).", dir_okay=False),
]
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        "-c",
        dir_okay=False,
        help="Config file (default: $ASSURE_CONFIG, else the nearest assure.yaml or [tool.assure] in pyproject.toml).",
    ),
]
SELECT_HELP = "question ids (Q4) or rule ids (Q04.cold-damp-hazards), repeatable or comma-separated"
SelectOpt = Annotated[
    Optional[list[str]],
    typer.Option("--select", metavar="IDS", help=f"Only these {SELECT_HELP}; replaces the config's select."),
]
ExtendSelectOpt = Annotated[
    Optional[list[str]],
    typer.Option("--extend-select", metavar="IDS", help=f"Add to the selection these {SELECT_HELP}."),
]
IgnoreOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--ignore",
        metavar="IDS",
        help=f"Never these {SELECT_HELP}; added to the config's ignore. An ignored question is not reported; "
        "an ignored rule finds no evidence.",
    ),
]
QuestionsOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--questions",
        help="Questions folder (default: the config file's questions_dir, else the built-in questions/).",
        file_okay=False,
    ),
]


def said(message: str) -> str:
    """The line ``say`` prints: control characters and undecodable bytes of names escaped, and
    the length bounded, so no value (a file name, a YAML scalar) can break the line."""
    from assure.names import bounded

    return f"assure: {bounded(message, 1000)}"


def say(message: str) -> None:
    """One line on stderr (see ``said``)."""
    typer.echo(said(message), err=True)


def fail(message: str | AssureError, code: ExitCode = ExitCode.ERROR, *, counted: bool = False) -> typer.Exit:
    """Print one line on stderr (one per problem for an error that carries several, see
    ``problem_lines``; ``counted``: their count even when there is one) and return the Exit to raise."""
    if isinstance(message, AssureError):
        for line in problem_lines(message, counted=counted):
            typer.echo(line, err=True)
    else:
        say(message)
    return typer.Exit(int(code))


def problem_lines(exc: AssureError, *, counted: bool = False) -> list[str]:
    """``FILE:LINE:COL: KEY: message (rule ID)`` per problem of a ConfigProblems, sorted by file
    and line, then ``assure: N problems in FILE`` when there are several (or, ``counted``, one);
    else the usual line."""
    from assure.errors import ConfigProblems
    from assure.names import bounded

    if not isinstance(exc, ConfigProblems):
        return [said(str(exc))]
    lines = [bounded(str(p), 1000) if p.file else said(str(p)) for p in exc.problems]  # no file: a flag
    return [*lines, said(exc.summary())] if len(lines) > 1 or counted else lines


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(stream: Any = None, mode: ColorMode = ColorMode.auto) -> bool:
    """--color always/never win; auto: no colour under NO_COLOR, colour under FORCE_COLOR, else on a terminal."""
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
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


def load_rules(rules: Path | None, questions: Path | None, *, compiled: bool = True, cfg: Config | None = None) -> RuleSet:
    """Load and validate the rules; ``compiled`` also builds the spaCy matchers so a bad
    pattern fails here (exit 2) rather than on every document. With ``cfg``, a rules file or
    questions folder that cannot be found says which line of the config file named it."""
    from assure.config import named_by_config
    from assure.ruleset import load_ruleset

    try:
        ruleset = load_ruleset(rules, questions)
        if compiled:
            from assure.engine import compile_rules

            compile_rules(ruleset)
        return ruleset
    except AssureError as exc:
        raise fail(named_by_config(exc, cfg, {"rules": rules, "questions_dir": questions})) from None


def configured_ruleset(cfg: Config, *, compiled: bool = True) -> RuleSet:
    """The rules and questions ``cfg`` names (the built-in ones where it names none), loaded with
    :func:`load_rules`; a missing file says which config line named it."""
    return load_rules(
        Path(cfg.rules) if cfg.rules else None,
        Path(cfg.questions_dir) if cfg.questions_dir else None,
        compiled=compiled,
        cfg=cfg,
    )


def configured_rules(config: Path | None, rules: Path | None, questions: Path | None, *, compiled: bool = True) -> RuleSet:
    """The rules and questions a check would use: the options, else the config file's
    ``rules`` and ``questions_dir``, else the built-in ones."""
    try:
        cfg = configured_paths(config, rules, questions)
    except AssureError as exc:
        raise fail(exc) from None
    return configured_ruleset(cfg, compiled=compiled)


def configured_paths(config: Path | None, rules: Path | None, questions: Path | None) -> Config:
    """The config with ``--rules`` and ``--questions`` applied; raises AssureError."""
    from assure.config import load_config

    return load_config(config).with_overrides(
        rules=str(rules) if rules else None, questions_dir=str(questions) if questions else None
    )


def stdout_failed(exc: OSError) -> str:
    """The one line for a report standard output would not take (a full disk, a closed pipe);
    standard output is pointed at /dev/null so that Python's own flush at exit stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return f"cannot write the report to standard output: {exc.strerror or exc} (use -o FILE)"


def emit(text: str, output: Path | None, kind: str = "text", *, inputs: tuple[str, ...] = ()) -> None:
    """Write to stdout or, through the output layer (assure.safewrite), to ``output``,
    refusing one that is among ``inputs``; ``kind`` says how names are kept (names.py)."""
    from assure.names import encode_output

    if output is None:
        data = encode_output(text, kind)
        if sys.stdout is None:
            raise fail("cannot write the report: standard output is closed (use -o FILE)")
        try:
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is None:
                sys.stdout.write(data.decode("utf-8", errors="replace"))
            else:
                sys.stdout.flush()
                buffer.write(data)
                buffer.flush()
            sys.stdout.flush()
        except OSError as exc:
            raise fail(stdout_failed(exc)) from None
        return
    from assure.safewrite import write_output

    try:
        write_output(output, text, kind, label="-o/--output", inputs=inputs)
    except AssureError as exc:
        raise fail(exc) from None


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"assure {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Exit codes: 0 nothing at or beyond the fail level; 1 findings; 2 usage, config or unreadable input."""
    if ctx.invoked_subcommand != "check":  # check resumes when its rules are compiled (assure.gcpause)
        from assure import gcpause

        gcpause.resume()


CHECK_EPILOG = """Examples:

\b
  assure check strategy.pdf
  assure check drafts/ -f json -o report.json
  assure check plan.docx --explain --question Q4
  assure check plans/ -j 2 --matrix audit.csv --heatmap audit.html

Exit codes: 0 nothing at or beyond the fail level; 1 findings (a question at or beyond --fail-on,
or a score under --fail-under); 2 usage, configuration, a document that could not be read, or an
interrupted run (Ctrl-C or SIGTERM: what finished is written)."""


@app.command(epilog=CHECK_EPILOG)
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help=f"{readers_help()} files, folders to search, or - for standard input (see --stdin-filename).",
            show_default=False,
            readable=False,  # an unreadable file is an error entry of the report, not a usage error that stops the run
        ),
    ],
    format: Annotated[Optional[list[str]], typer.Option("--format", "-f", metavar="NAME[:FILE]", help=formats_help())] = None,
    output_name: Annotated[
        Optional[str],  # a string: a Path would drop the trailing "/" of a folder meant for the reports
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="Write the report to this file (atomically; a missing folder is made); with no --format, in the "
            "format its extension names (.json, .sarif, .xml for JUnit, .html, .md, .csv, .jsonl), else text. "
            "- is standard output.",
        ),
    ] = None,
    fail_on: Annotated[
        Optional[FailLevel],
        typer.Option("--fail-on", help="Lowest verdict that makes the exit code 1 (default gap, or the config's)."),
    ] = None,
    fail_under: Annotated[
        Optional[int],
        typer.Option(
            "--fail-under", min=0, max=100, metavar="SCORE", help="Also exit 1 when a document's overall score is below SCORE."
        ),
    ] = None,
    fail_on_not_applicable: FailOnNotApplicableOpt = None,
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            "-c",
            dir_okay=False,
            help="Config file (default: $ASSURE_CONFIG, else the nearest assure.yaml or [tool.assure] in pyproject.toml).",
        ),
    ] = None,
    baseline: Annotated[
        Optional[Path],
        typer.Option(
            "--baseline", dir_okay=False, help="Fail only on regressions against this baseline (assure baseline write)."
        ),
    ] = None,
    no_inline_suppressions: Annotated[
        bool,
        typer.Option(
            "--no-inline-suppressions",
            help="Disregard the documents' own 'assure: ignore Q4 -- REASON' directives (config inline_suppressions: false).",
        ),
    ] = False,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    password: PasswordOpt = None,
    ocr: OcrOpt = OcrMode.auto,
    max_size: Annotated[
        float, typer.Option("--max-size", min=0, metavar="MB", help="Refuse files larger than this many MB (0: no limit).")
    ] = 200.0,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=0, metavar="N", help="Refuse PDFs with more pages than this (0: no limit).")
    ] = 5000,
    explain: Annotated[
        bool, typer.Option("--explain", help="Same as -f explain: every candidate hit, the step that decided it and why.")
    ] = False,
    only: Annotated[
        Optional[list[str]],
        typer.Option(
            "--question",
            metavar="QID",
            help="Only these questions (repeatable or comma-separated), e.g. --question Q4,Q5; narrows what "
            "--select and the config's select choose (they also take rule ids).",
        ),
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (default: one per core).")
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0,
            metavar="SECONDS",
            help="Seconds allowed per file before it becomes a 'timeout' error entry (0: no limit).",
        ),
    ] = 600.0,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            min=0,
            metavar="MB",
            help="Memory a worker may add per file before it becomes a 'memory' error entry (0: no limit).",
        ),
    ] = 3072,
    cache: Annotated[
        Optional[Path],
        typer.Option(
            "--cache",
            file_okay=False,
            help="Reuse results from this folder (keyed by file content, rules, version and options); off by default.",
        ),
    ] = None,
    include: Annotated[
        Optional[list[str]],
        typer.Option(
            "--include",
            metavar="GLOB",
            help="When searching folders, only files matching this glob (gitignore syntax, e.g. '*.pdf'; repeatable).",
        ),
    ] = None,
    exclude: Annotated[
        Optional[list[str]],
        typer.Option(
            "--exclude", metavar="GLOB", help="Skip files and folders matching this glob (gitignore syntax; repeatable)."
        ),
    ] = None,
    matrix: Annotated[
        Optional[Path], typer.Option("--matrix", dir_okay=False, help="Same as -f matrix:FILE.csv or -f matrix-markdown:FILE.md.")
    ] = None,
    heatmap: Annotated[Optional[Path], typer.Option("--heatmap", dir_okay=False, help="Same as -f heatmap:FILE.")] = None,
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            metavar="[local|dask]",
            help="local (worker processes) or dask (needs assure-housing-health[dask]; a LocalCluster unless --scheduler).",
        ),
    ] = "local",
    scheduler: Annotated[
        Optional[str],
        typer.Option("--scheduler", metavar="ADDRESS", help="Address of a Dask scheduler to run on (implies --executor dask)."),
    ] = None,
    annotate_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--annotate",
            file_okay=False,
            metavar="DIR",
            help="Also write an annotated copy of each PDF and DOCX into DIR (see assure annotate).",
        ),
    ] = None,
    stdin_filename: Annotated[
        Optional[str],
        typer.Option(
            "--stdin-filename",
            metavar="NAME",
            help="With PATH '-': the name (and so the format, by its extension) of the document read from standard input.",
        ),
    ] = None,
    color: Annotated[
        ColorMode,
        typer.Option("--color", help="Colour in the text report: auto (a terminal, unless NO_COLOR is set), always or never."),
    ] = ColorMode.auto,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar, even on a terminal.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only the report and errors: no progress bar, no notes on stderr.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", help="Also name the config and rules used and each document as it is checked, on stderr."),
    ] = False,
) -> None:
    """Check documents and print a gap report for each question (the ten built-in ones, or your own)."""
    # Long: Typer declares each of the 36 options as a parameter (about half the lines);
    # the body only wires them to functions that return values.
    from contextlib import nullcontext
    from dataclasses import replace

    from assure.batch import EXECUTORS, BatchOptions, ReadAhead, interrupted_outcome, run_batch
    from assure.discover import discover_documents
    from assure.extract import ExtractOptions
    from assure.runner import CheckOptions

    if executor not in EXECUTORS:
        raise fail(f"--executor: choose from {', '.join(EXECUTORS)}")
    output = _report_file(output_name)
    if matrix is not None and not str(matrix).lower().endswith((".csv", ".md", ".markdown")):
        raise fail(f"{matrix}: the --matrix file must end in .csv or .md")
    cfg, base, specs = prepare_policy(
        config,
        rules=rules,
        questions=questions,
        only=only,
        fail_on=fail_on,
        fail_under=fail_under,
        baseline=baseline,
        formats=output_targets(format, explain=explain, matrix=matrix, heatmap=heatmap, output=output),
        output=output,
        fail_on_not_applicable=fail_on_not_applicable,
        inline_suppressions=False if no_inline_suppressions else None,
    )
    specs = [_named_by_shorthand(s, matrix=matrix, heatmap=heatmap) for s in specs]
    request = selection_request(cfg, select=select, extend_select=extend_select, ignore=ignore)
    if quiet and verbose:
        raise fail("--quiet and --verbose cannot be used together")
    from assure.stdin import StdinDocument

    max_bytes = int(max_size * 1024 * 1024) if max_size else 2**63
    try:
        stdin_doc = StdinDocument.read(paths, stdin_filename)  # `assure check -`: a temporary copy, renamed back in the report
        found = discover_documents(
            [stdin_doc.path if str(p) == "-" and stdin_doc else str(p) for p in paths],
            include=include,
            exclude=exclude,
            max_bytes=max_bytes,
            outputs=[s.path for s in specs if s.path],
            hash_seconds=timeout or None,  # --timeout covers hashing too (a sparse 20 GB file under --max-size 0)
        )
        from assure.selection import separate_duplicates

        found = separate_duplicates(request, found)  # a copy that per_file_ignores treats differently is checked
        # a copy with the same bytes as another input, or an annotated copy left out, is still the user's file
        plan_check_outputs(specs, [*found.files, *(d.path for d in found.duplicates), *found.annotated], cfg)
        if annotate_dir is not None:  # the annotated copies' folder must take files before any plan is read
            from assure.safewrite import probe_folder

            probe_folder(os.path.realpath(annotate_dir), "--annotate", str(annotate_dir))
    except AssureError as exc:
        raise fail(exc) from None
    if verbose:
        say(f"config {cfg.path or 'built-in defaults'}; rules {cfg.rules or 'built-in'}; {len(found.files)} document(s)")
    files, problems = list(found.files), list(found.problems)
    for problem in problems:
        say(problem)
    for dup in () if quiet else found.duplicates:
        say(f"{dup.path}: same content as {dup.same_as}; its result is repeated, not checked again")
    for report_file in () if quiet else found.reports:
        say(f"{report_file}: a report assure wrote, not a plan; left out (name it to check it)")
    for copy in () if quiet else found.annotated:
        say(f"{copy}: an annotated copy assure wrote, the plan again; left out (name it to check it)")
    for link in () if quiet else found.links:
        say(f"{link}: a link to a folder, not followed (name it to check it)")
    for folder, reason in found.unlisted:
        say(f"{folder}: {reason}")
    for slow in () if quiet else found.unhashed:
        say(f"{slow}: not hashed within {timeout:g} s (--timeout); checked without the duplicate check or the cache")
    _ocr_ready(ocr)
    options = CheckOptions(
        extract=ExtractOptions(
            pdf_engine=pdf_engine.value, password=password, max_bytes=max_bytes, max_pages=max_pages or None, ocr=ocr.value
        )
    )
    ocr_noted = False

    def note_error(result: DocumentResult, cached: bool) -> str | None:  # the batch prints the lines above its progress bar
        nonlocal ocr_noted
        if stdin_doc and result.path == stdin_doc.path:  # named as the report names it, never the temporary copy
            result = stdin_doc.rename_result(result)
        lines = [said(f"{result.path}: {result.error['message']}")] if result.error else []
        if not ocr_noted and not quiet and any("so no OCR" in reason for _, reason in result.unreadable_pages):
            from assure.extract.ocr import INSTALL_HINT, missing

            ocr_noted = True
            lines.append(
                said(
                    f"note: {result.path} has scanned pages, but {missing() or 'OCR is off'}; to read them by OCR: {INSTALL_HINT}"
                )
            )
        if verbose and not result.error:
            lines.append(said(f"checked {result.path}" + (" (from the cache)" if cached else "")))
        return "\n".join(lines) or None

    batch = BatchOptions(
        jobs=jobs,
        timeout=timeout or None,
        max_memory_mb=max_memory or None,
        executor=executor,
        scheduler=scheduler,
        cache_dir=str(cache) if cache else None,
        progress=sys.stderr.isatty() and not (no_progress or quiet),
    )
    ruleset = None
    chosen = None
    # SIGTERM (a CI timeout, `kill`) stops the run like Ctrl-C: what finished is still written,
    # and no further signal can stop that (assure.interrupts)
    from assure.interrupts import InterruptGuard

    with InterruptGuard() as guard:
        try:
            # documents are read on a spare core while the rules load and spaCy starts (about a second)
            read_ahead = ReadAhead.start(files, options, batch)
            with read_ahead or nullcontext():
                # compiled inside run_batch, after the read-ahead has started; a bad pattern still exits 2
                ruleset = configured_ruleset(cfg, compiled=False)
                from assure.inline import known_ids

                full = ruleset
                names = {stdin_doc.path: stdin_doc.name} if stdin_doc else None  # per_file_ignores match the given name
                chosen = select_rules(ruleset, request, files, names=names, quiet=quiet)
                ruleset = chosen.ruleset
                if ruleset is not full:  # a directive may name a question or rule left out: known, just not checked
                    options = replace(options, directive_ids=known_ids(full))
                try:
                    outcome = run_batch(
                        files, ruleset, options, batch, hashes=found.hashes, on_result=note_error, read_ahead=read_ahead
                    )
                except AssureError as exc:
                    raise fail(exc) from None
        except KeyboardInterrupt:  # before any document was checked
            outcome = interrupted_outcome(files)
        guard.defer()  # from here on, signals are only counted: the report is written
        from assure import gcpause

        gcpause.resume()  # already, unless no rules were compiled (every result from the cache)
        if stdin_doc:
            outcome.report = stdin_doc.rename(outcome.report)
        try:
            _finish_check(
                outcome,
                files,
                found,
                specs=specs,
                ruleset=ruleset,
                cfg=cfg,
                base=base,
                problems=problems,
                annotate_dir=annotate_dir,
                color=use_color(mode=color),
                selection=chosen.record if chosen is not None else None,
                sources={stdin_doc.name: stdin_doc.path} if stdin_doc else None,
                quiet=quiet,
            )
        finally:
            if stdin_doc:  # after --annotate has read the bytes that were checked
                stdin_doc.cleanup()


def _finish_check(
    outcome: BatchOutcome,
    files: list[str],
    found: Discovery,
    *,
    specs: list[OutputSpec],
    ruleset: RuleSet | None,
    cfg: Config,
    base: VerdictBaseline | None,
    problems: list[str],
    annotate_dir: Path | None,
    color: bool,
    selection: dict[str, Any] | None = None,
    sources: dict[str, str] | None = None,
    quiet: bool = False,
) -> None:
    """Write every output of a finished (or interrupted) check, then exit with its code.
    ``sources``: the file read for a report name (standard input's temporary copy)."""
    from dataclasses import replace

    from assure.runner import error_result, exit_code

    report = outcome.report
    if found.unlisted:  # folders the walk could not list are error entries, never skipped silently
        report = replace(
            report,
            documents=report.documents + tuple(error_result(folder, "permission", reason) for folder, reason in found.unlisted),
        )
    if outcome.interrupted:
        finished = sum(d.error is None or d.error.get("code") != "interrupted" for d in report.documents)
        kept = [str(s.path) for s in specs if s.path] if not finished else []
        if kept:  # a report from an earlier run is worth more than one that lists nothing
            specs = [s for s in specs if not s.path]
            untouched = ", ".join(f"{k} left as it was" if os.path.lexists(k) else f"{k} not written" for k in kept)
            say(f"interrupted before any document finished; {untouched}")
        else:
            say(f"interrupted; {finished} of {len(files)} documents finished, writing what finished")
    annotate_failed = annotate_dir is not None and not write_annotated(
        report, annotate_dir, [d.path for d in found.duplicates], sources, quiet=quiet
    )
    from assure.discover import with_duplicates

    report = with_duplicates(report, found.duplicates)
    if selection is not None:  # the JSON report records it, before the policy
        report = replace(report, extra={"selection": selection, **report.extra})
    report = apply_policy(report, cfg, base)
    questions_checked = [(q.id, q.title) for q in ruleset.questions] if ruleset is not None else None
    emit_outputs(
        report,
        specs,
        questions=questions_checked,
        color=color,
        advice={q.id: " ".join(q.add.split()) for q in ruleset.questions} if ruleset is not None else None,
    )
    code = exit_code(report, cfg.fail_on)
    if (problems or annotate_failed) and code is not ExitCode.ERROR:
        code = ExitCode.ERROR  # a batch exits with its highest code
    raise typer.Exit(int(code))


# -o FILE with no --format: the format its name says (a SARIF file for code scanning is named .sarif)
FORMAT_BY_SUFFIX = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".csv": "csv",
    ".jsonl": "jsonl",
}


def format_by_suffix(output: Path | None, choices: Iterable[str] | None = None) -> str:
    """The format ``-o FILE`` names by its extension (one of ``choices``, when given), else text."""
    name = FORMAT_BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
    return name if name is not None and (choices is None or name in choices) else "text"


def _named_by_shorthand(spec: OutputSpec, *, matrix: Path | None, heatmap: Path | None) -> OutputSpec:
    """The output --matrix or --heatmap asked for, so a message about it names that option."""
    from dataclasses import replace

    if matrix is not None and spec.path == str(matrix) and spec.format in ("matrix", "matrix-markdown"):
        return replace(spec, option="--matrix")
    if heatmap is not None and spec.path == str(heatmap) and spec.format == "heatmap":
        return replace(spec, option="--heatmap")
    return spec


def output_targets(
    formats: list[str] | None, *, explain: bool, matrix: Path | None, heatmap: Path | None, output: Path | None = None
) -> list[str]:
    """``--explain``, ``--matrix FILE`` and ``--heatmap FILE`` are shorthands for the formats
    ``explain`` (on stdout, instead of the default text), ``matrix``/``matrix-markdown:FILE``
    and ``heatmap:FILE``. With no format named, ``-o FILE`` picks it by FILE's extension
    (FORMAT_BY_SUFFIX), else text."""
    targets = list(formats) if formats else ([] if explain else [format_by_suffix(output)])
    if explain:
        targets.append("explain")
    if matrix is not None:
        name = "matrix" if str(matrix).lower().endswith(".csv") else "matrix-markdown"
        targets.append(f"{name}:{matrix}")
    if heatmap is not None:
        targets.append(f"heatmap:{heatmap}")
    return targets


ANNOTATE_EPILOG = """Examples:

\b
  assure annotate draft.docx -o draft-reviewed.docx
  assure annotate plan.pdf
  assure check plans/ --annotate reviewed/     # one annotated copy per PDF and DOCX

Exit codes: 0 nothing at or beyond the fail level; 1 findings; 2 usage, configuration, or a document
that could not be read or annotated (password-protected, damaged, or not PDF or DOCX)."""


@app.command("annotate", epilog=ANNOTATE_EPILOG)
def annotate_cmd(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A PDF or DOCX file.", show_default=False)],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="The annotated copy (default: FILE.annotated.pdf or .docx beside FILE); never the input.",
        ),
    ] = None,
    fail_on: Annotated[
        Optional[FailLevel],
        typer.Option("--fail-on", help="Lowest verdict that makes the exit code 1 (default gap, or the config's)."),
    ] = None,
    fail_on_not_applicable: FailOnNotApplicableOpt = None,
    only: Annotated[
        Optional[list[str]],
        typer.Option("--question", metavar="QID", help="Only these questions (repeatable or comma-separated)."),
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    config: ConfigOpt = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    ocr: OcrOpt = OcrMode.auto,
) -> None:
    """Copy a DOCX with a Word comment on each evidence sentence, or a PDF with highlights and notes,
    plus a summary note with the verdicts and every gap's advice."""
    # Long: Typer declares each of its 13 options as a parameter; the body is short. (No --password:
    # a copy of a protected PDF would drop its protection, so annotate refuses those.)
    from assure.annotate import annotate, default_output, preflight
    from assure.extract import ExtractOptions
    from assure.models import Report
    from assure.runner import CheckOptions, check_file, exit_code

    target = output or default_output(path)
    cfg, base, _ = prepare_policy(
        config,
        rules=rules,
        questions=questions,
        only=only,
        fail_on=fail_on,
        fail_under=None,
        baseline=None,
        formats=None,
        output=None,
        fail_on_not_applicable=fail_on_not_applicable,
    )
    request = selection_request(cfg, select=select, extend_select=extend_select, ignore=ignore)
    try:
        preflight(path, target)
    except AssureError as exc:
        raise fail(exc) from None
    ruleset = configured_ruleset(cfg)
    ruleset = select_rules(ruleset, request, [str(path)]).ruleset
    try:
        options = CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value, ocr=ocr.value))
        result = check_file(str(path), ruleset, options)  # read as check reads it, so the same evidence is marked
        done = annotate(path, result, target)
    except AssureError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail(f"{target}: cannot write ({exc.strerror or exc})") from None
    typer.echo(f"assure: {describe_annotation(done)}", err=True)
    report = apply_policy(Report(documents=(result,), tool_version=__version__), cfg, base)
    code = int(exit_code(report, cfg.fail_on))
    if code == 1:  # the copy was written; say why the exit code is not 0
        from assure.config import findings_of
        from assure.names import human_name

        failing = [f for f in findings_of(report) if f.outcome == "fail"]
        named = ", ".join(f"{f.question} {f.status}" if f.question else f.status for f in failing)
        shown = human_name(str(path))
        typer.echo(f"assure: {shown}: {len(failing)} finding(s) at or beyond the fail level ({named}): exit 1", err=True)
    raise typer.Exit(code)


def describe_annotation(done: AnnotationResult) -> str:
    missed = len(done.unplaced)
    return (
        f"{done.output}: {len(done.placed)} of {len(done.placements)} quoted passages marked, summary on the first "
        f"{'page' if done.format == 'pdf' else 'paragraph'}"
        + (f"; {missed} could not be placed exactly (listed in the summary note)" if missed else "")
    )


def write_annotated(
    report: Report, folder: Path, protect: list[str], sources: dict[str, str] | None = None, *, quiet: bool = False
) -> bool:
    """check --annotate: one annotated copy per PDF and DOCX; False if any could not be written.
    Each copy written is noted on stderr unless ``quiet``; a copy that failed always is."""
    from assure.annotate import annotate_report

    if folder.exists() and not folder.is_dir():
        typer.echo(f"assure: {folder}: --annotate needs a folder", err=True)
        return False
    ok = True
    for _document, done in annotate_report(report, folder, protect, sources):
        if isinstance(done, AssureError):
            typer.echo(f"assure: {done}", err=True)
            ok = False
        elif done is not None and not quiet:
            typer.echo(f"assure: {describe_annotation(done)}", err=True)
    return ok


_DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".odt", ".rtf")


def _unreportable(name: str) -> str | None:
    """Why a report cannot be written to ``name``: it ends in "/" (a folder: the report went to a
    file named like the folder), or it has a document's extension (a text report in "out.pdf"
    that assure itself then refuses to read)."""
    if name.endswith(("/", os.sep)):
        return f"{name} ends in '/', a folder; give the report a file name (for example {name}report.json)"
    if Path(name).suffix.lower() in _DOCUMENT_SUFFIXES:
        return (
            f"{name} is named like a document, not a report; give it a report's extension "
            "(.txt, .json, .sarif, .xml, .html, .md, .csv, .jsonl)"
        )
    return None


def _report_file(name: str | None) -> Path | None:
    """The -o/--output file, refused (exit 2) when it ends in "/" (:func:`_unreportable`); the
    Path that carries it on loses the "/", so this is checked here, the rest with every output."""
    if name is None or name == "-":  # "-o -": standard output, as "-" is standard input for PATH
        return None
    if name.endswith(("/", os.sep)):
        raise fail(f"-o/--output: {_unreportable(name)}")
    return Path(name)


def plan_check_outputs(specs: list[OutputSpec], files: Sequence[str], cfg: Config) -> None:
    """Resolve every output of a check before anything is read: none may be an input (a
    document, the config, rules, questions or baseline) or name the same file as another."""
    from assure.resources import default_questions_dir, default_rules_path
    from assure.safewrite import plan_outputs

    outputs = [(s.label, s.path) for s in specs if s.path]
    if not outputs:
        return

    questions_dir = Path(cfg.questions_dir) if cfg.questions_dir else default_questions_dir()
    from assure.rulechain import chain_files  # every file an extend: reaches is an input

    rules = Path(cfg.rules) if cfg.rules else default_rules_path()
    inputs: list[str | os.PathLike[str]] = [*files, *chain_files(rules), *(p for p in (cfg.path, cfg.baseline) if p)]
    if questions_dir.is_dir():
        inputs += [str(q) for q in questions_dir.iterdir()]
    plan_outputs(outputs, inputs)  # first: writing over an input is the graver mistake, and named so
    for label, name in outputs:
        why = _unreportable(name)
        if why:
            raise AssureError(f"{label}: {why}")
    for spec in specs:  # an HTML page in "h.json" was written without a word
        if spec.option == "--heatmap" and spec.path and not spec.path.lower().endswith((".html", ".htm")):
            raise AssureError(f"--heatmap: {spec.path} must end in .html (the heatmap is an HTML page)")


def prepare_policy(
    config: Path | None,
    *,
    rules: Path | None,
    questions: Path | None,
    only: list[str] | None,
    fail_on: FailLevel | None,
    fail_under: int | None,
    baseline: Path | None,
    formats: list[str] | None,
    output: Path | None,
    fail_on_not_applicable: bool | None = None,
    inline_suppressions: bool | None = None,
) -> tuple[Config, VerdictBaseline | None, list[OutputSpec]]:
    """Config, baseline and output targets, all checked before any document is read."""
    from assure.baseline import load_baseline
    from assure.config import load_config
    from assure.report.outputs import parse_specs

    try:
        cfg = load_config(config, defer_problems=True).with_overrides(
            rules=str(rules) if rules else None,
            questions_dir=str(questions) if questions else None,
            questions=only,
            fail_on=fail_on.value if fail_on else None,
            fail_under=fail_under,
            fail_on_not_applicable=fail_on_not_applicable,
            baseline=str(baseline) if baseline else None,
            inline_suppressions=inline_suppressions,
        )
        if cfg.pending_problems:
            raise ConfigProblems([*cfg.pending_problems, *_unknown_config_ids(cfg)])
        base = load_baseline(cfg.baseline) if cfg.baseline else None
        specs = parse_specs(formats, str(output) if output else None)
    except AssureError as exc:
        raise fail(exc) from None
    return cfg, base, specs


def _unknown_config_ids(cfg: Config) -> list[Problem]:
    """The ids a config with other mistakes names that its rules do not have, so all its problems
    are listed at once (none when the rules themselves cannot be read: their own error comes next)."""
    from assure.selection import request_from, unknown_ids

    if any(p.key.split(".")[0].split("[")[0] in ("rules", "questions_dir") for p in cfg.pending_problems):
        return []  # the rules it names are not known: its ids cannot be checked against the built-in ones
    try:
        return unknown_ids(configured_ruleset(cfg, compiled=False), request_from(cfg))
    except AssureError:
        return []


def selection_request(
    cfg: Config,
    *,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> SelectionRequest:
    """The config's select/extend_select/ignore/per_file_ignores with the flags over them."""
    from assure.selection import request_from

    try:
        return request_from(cfg, select=select, extend_select=extend_select, ignore=ignore)
    except AssureError as exc:
        raise fail(str(exc)) from None


def select_rules(
    ruleset: RuleSet,
    request: SelectionRequest,
    paths: Sequence[str],
    *,
    names: dict[str, str] | None = None,
    quiet: bool = False,
) -> Selected:
    """The selection applied to the loaded rules (an unknown id exits 2); its notes (a
    question left with no rule) said once on stderr unless ``quiet``."""
    from assure.selection import select_rules as apply_selection

    try:
        chosen = apply_selection(ruleset, request, paths, names)
    except AssureError as exc:
        raise fail(exc) from None
    for note in () if quiet else chosen.notes:
        say(note)
    return chosen


def apply_policy(report: Report, cfg: Config, base: VerdictBaseline | None) -> Report:
    """The fail policy, then one line on stderr per inline suppression that cannot apply
    (no reason, an unknown id): the finding it meant to suppress still fails."""
    from assure.config import apply_policy as apply
    from assure.inline import warnings

    report = apply(report, cfg, base)
    for line in warnings(report.documents):
        say(line)
    return report


def emit_outputs(
    report: Report,
    specs: list[OutputSpec],
    *,
    questions: Sequence[tuple[str, str]] | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    color: bool | None = None,
    advice: Mapping[str, str] | None = None,
) -> None:
    """Render every --format target, write the files atomically, then stdout."""
    from assure.report.outputs import render_all, write_files

    try:
        stdout = write_files(
            render_all(
                report,
                specs,
                color=use_color() if color is None else color,
                width=terminal_width(),
                questions=questions,
                skipped=skipped,
                advice=advice,
            )
        )
    except AssureError as exc:
        raise fail(exc) from None
    if any(s.format == "github" for s in specs):
        from assure.report.github import write_step_summary

        try:
            write_step_summary(report)
        except OSError as exc:
            typer.echo(f"assure: $GITHUB_STEP_SUMMARY: cannot write ({exc.strerror or exc})", err=True)
    if stdout is not None:
        emit(stdout, None)


@app.command("questions")
def questions_cmd(
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    questions: QuestionsOpt = None,
    rules: RulesOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List the assurance questions."""
    ruleset = configured_rules(config, rules, questions, compiled=False)
    if format is OutFormat.json:
        import json

        data = [
            {
                "id": q.id,
                "title": q.title,
                "question": q.question,
                "why": q.why,
                "add": q.add,
                "source": q.source,
                "rules": [r.id for r in ruleset.rules_for(q.id)],
            }
            for q in ruleset.questions
        ]
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None)
        return
    lines = []
    for q in ruleset.questions:
        lines.append(f"{q.id}  {q.title}\n    {q.question}\n    source: {q.source}\n")
    emit("\n".join(lines), None)


@app.command("extract")
def extract_cmd(
    path: Annotated[Path, typer.Argument(metavar="FILE", help=f"A {readers_help()} file.", show_default=False)],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    password: PasswordOpt = None,
    ocr: OcrOpt = OcrMode.auto,
) -> None:
    """Print the text blocks assure reads from a file, with locations and quality signals."""
    from assure.extract import ExtractOptions, extract
    from assure.report.extract import render_document

    _ocr_ready(ocr)
    try:
        document = extract(path, ExtractOptions(pdf_engine=pdf_engine.value, password=password, ocr=ocr.value))
    except AssureError as exc:
        raise fail(exc) from None
    emit(render_document(document, format.value), None, format.value)


@rules_app.command("validate")
def rules_validate(
    rules_file: Annotated[
        Optional[Path],
        typer.Argument(metavar="FILE", dir_okay=False, help="Rules file: the same as --rules FILE.", show_default=False),
    ] = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    config: ConfigOpt = None,
    format: Annotated[
        OutFormat,
        typer.Option(
            "--format", "-f", help="text: one FILE:LINE:COL line per problem and a count, on stderr; json: a list on stdout."
        ),
    ] = OutFormat.text,
) -> None:
    """Validate the config, questions and rules (schema, cross-references, the config's ids, spaCy
    patterns); list every problem, then their count. Exit 2 on any problem."""
    import json

    from assure.errors import ConfigProblems
    from assure.rulecheck import validate_setup

    if rules_file is not None and rules is not None and rules_file != rules:
        raise fail(f"rules validate: two rules files ({rules_file} and --rules {rules}); give one")
    outcome = validate_setup(config, rules_file or rules, questions)
    if format is OutFormat.json:
        emit(json.dumps([p.as_dict() for p in outcome.problems], indent=2, ensure_ascii=False) + "\n", None, "json")
        if outcome.problems:
            raise typer.Exit(int(ExitCode.ERROR))
        return
    if outcome.problems:
        raise fail(ConfigProblems(outcome.problems), counted=True)
    ruleset = outcome.ruleset
    assert ruleset is not None  # no problem: the rules loaded and compiled
    used = f", config {outcome.config.path}" if outcome.config is not None and outcome.config.path else ""
    typer.echo(f"ok: {len(ruleset.questions)} questions, {len(ruleset.rules)} rules ({ruleset.rules_path}){used}: no problems")


@rules_app.command("test")
def rules_test(
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    config: ConfigOpt = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=1,
            help="Stop after this long in all (a pattern that backtracks without end): exit 2 naming the example.",
        ),
    ] = 300.0,
) -> None:
    """Run every example sentence in the questions and rules; exit 1 on any failure."""
    from assure.ruletest import ExampleTimeout, run_examples_bounded

    ruleset = configured_rules(config, rules, questions)
    try:
        outcome = run_examples_bounded(ruleset, timeout)
    except ExampleTimeout as exc:
        raise fail(
            f"rules test: {exc} (--timeout); a pattern may backtrack without end: simplify nested repeats such as (a+)+"
        ) from None
    except RuntimeError as exc:
        raise fail(f"rules test: {exc}") from None
    if format is OutFormat.json:
        import json

        emit(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False) + "\n", None, "json")
    else:
        for f in outcome.failures:
            typer.echo(f"FAIL {f.owner}: expected {f.expected}, got {f.got}: {f.sentence}")
        typer.echo(f"{outcome.passed} passed, {len(outcome.failures)} failed")
    raise typer.Exit(int(ExitCode.FINDINGS if outcome.failures else ExitCode.OK))


@rules_app.command("list")
def rules_list(
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    config: ConfigOpt = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
) -> None:
    """List every rule: id, question, kind, strongest verdict it can give, what it finds."""
    from assure.ruledoc import render_rule_list, rule_rows

    emit(render_rule_list(rule_rows(configured_rules(config, rules, questions, compiled=False)), format.value), None)


@app.command("rule")
def rule_cmd(
    rule_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A rule id (e.g. Q04.cold-damp-hazards), an exclusion id, or a question id (Q4: each of its rules).",
            show_default=False,
        ),
    ],
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    config: ConfigOpt = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
) -> None:
    """Explain one rule (or each rule of a question): what it finds, why it matters, its example sentences."""
    from assure.ruledoc import explain_rules, render_rules

    try:
        emit(render_rules(explain_rules(configured_rules(config, rules, questions, compiled=False), rule_id), format.value), None)
    except AssureError as exc:
        raise fail(exc) from None


class Baseline(str, Enum):
    keywords = "keywords"


@app.command("eval")
def eval_cmd(
    labels: Annotated[
        list[Path],
        typer.Argument(metavar="LABELS", help="Label files (eval/labels/FORMAT.md) or folders of them.", show_default=False),
    ],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", dir_okay=False, help="Write the figures to this file (atomically).")
    ] = None,
    compare: Annotated[
        Optional[Baseline],
        typer.Option(
            "--compare", metavar="keywords", help="Also score the naive keyword-count method on the same documents, side by side."
        ),
    ] = None,
    baseline: Annotated[
        Optional[Baseline], typer.Option("--baseline", hidden=True, help="Deprecated spelling of --compare.")
    ] = None,
    root: Annotated[
        Optional[Path],
        typer.Option(
            "--root",
            envvar="ASSURE_EVAL_ROOT",
            file_okay=False,
            metavar="DIR",
            help="Where the labelled documents live when a label file's root is not found "
            "(the folder holding shared/, or shared/ itself).",
        ),
    ] = None,
    allow_missing: Annotated[
        bool, typer.Option("--allow-missing", help="Skip labelled documents that are not found instead of exiting 2.")
    ] = False,
    fail_under_kappa: Annotated[
        Optional[float],
        typer.Option("--fail-under-kappa", metavar="KAPPA", help="Exit 1 when the overall weighted kappa is below this."),
    ] = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    config: ConfigOpt = None,
    reading: Annotated[
        bool,
        typer.Option(
            "--reading",
            help="LABELS are reading labels (eval/reading/README.md): report how well PDFs are read, "
            "section and block-kind agreement.",
        ),
    ] = False,
) -> None:
    """Measure agreement with labelled documents: agreement, weighted kappa, confusion, false-met, PDF/DOCX consistency."""
    # Long: Typer declares each of the 12 options as a parameter (more than half the lines); the body is about 35.
    if reading:
        _eval_reading(labels, format, output, root)
        return
    from assure.evaluate import MissingDocuments, run_eval
    from assure.extract import ExtractOptions
    from assure.report.eval import render
    from assure.runner import CheckOptions

    if baseline is not None:  # renamed: `check --baseline FILE` means something else
        typer.echo("assure: eval --baseline is deprecated; use --compare keywords", err=True)
        compare = compare or baseline
    ruleset = configured_rules(config, rules, questions)
    progress = sys.stderr.isatty()

    def note(doc: Any, pred: Any) -> None:  # a labelled document and its prediction
        if pred.status == "error":
            say(f"{doc.file}: {pred.error}")
        elif progress:
            typer.echo(f"  evaluated {doc.file}", err=True)

    try:
        report = run_eval(
            [str(p) for p in labels],
            ruleset,
            baseline=compare.value if compare else None,
            options=CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value)),
            on_document=note,
            root=root,
            allow_missing=allow_missing,
        )
    except MissingDocuments as exc:
        for message in exc.missing:
            typer.echo(f"assure: missing {message}", err=True)
        raise fail(exc) from None
    except AssureError as exc:
        raise fail(exc) from None
    for message in report.skipped:
        say(f"skipped {message}")
    if report.engine.documents == 0:
        raise fail("nothing to evaluate: no labelled document was found (see the skipped messages)")
    emit(render(report, format.value), output, format.value, inputs=tuple(str(p) for p in labels))
    kappa = report.engine.overall.kappa
    if fail_under_kappa is not None and (kappa is None or kappa < fail_under_kappa):
        typer.echo(f"assure: weighted kappa {'n/a' if kappa is None else f'{kappa:.3f}'} is below {fail_under_kappa}", err=True)
        raise typer.Exit(int(ExitCode.FINDINGS))


def _eval_reading(labels: list[Path], format: OutFormat, output: Path | None, root: Path | None) -> None:
    """``assure eval --reading``: score reading labels (assure.reading) and print the figures."""
    from assure.reading import ReadingScore, load_reading_labels, render_reading, score_reading

    total = ReadingScore()
    for path in labels:
        try:
            score = score_reading(load_reading_labels(path, base=root))
        except AssureError as exc:
            raise fail(exc) from None
        total.sections += score.sections
        total.kinds += score.kinds
        total.missing_files += score.missing_files
    if not total.sections and not total.kinds:
        raise fail("nothing to evaluate: no labelled PDF was found (is ../shared present?)")
    emit(render_reading(total, format.value, show=20), output)


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@config_app.callback()
def config_default(ctx: typer.Context) -> None:
    """With no subcommand, ``assure config`` shows the configuration (as ``config show``)."""
    if ctx.invoked_subcommand is None:
        config_show()


@config_app.command("show")
def config_show(
    config: ConfigOpt = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.text,
) -> None:
    """Print the merged configuration and where each value came from."""
    from assure.config import load_config, render_config

    try:
        cfg = load_config(config)
    except AssureError as exc:
        raise fail(exc) from None
    emit(render_config(cfg, format.value), None, format.value)


@baseline_app.command("write")
def baseline_write(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", help="The documents (or folders) to record.", show_default=False, readable=False),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="Baseline file to write (atomically).")] = Path(
        "assure-baseline.json"
    ),
    config: ConfigOpt = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    only: Annotated[
        Optional[list[str]],
        typer.Option("--question", metavar="QID", help="Only these questions (repeatable or comma-separated)."),
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    password: PasswordOpt = None,
    ocr: OcrOpt = OcrMode.auto,
) -> None:
    """Record today's verdicts with fingerprints; `assure check --baseline FILE` then fails only on regressions.

    Read the documents as the check that will use the baseline reads them (the same
    --pdf-engine, --password and --ocr), or their verdicts may differ for that reason alone."""
    from assure.baseline import render_baseline
    from assure.discover import discover
    from assure.extract import ExtractOptions
    from assure.runner import CheckOptions, check_paths

    _ocr_ready(ocr)

    cfg, _, _ = prepare_policy(
        config,
        rules=rules,
        questions=questions,
        only=only,
        fail_on=None,
        fail_under=None,
        baseline=None,
        formats=None,
        output=None,
    )
    request = selection_request(cfg, select=select, extend_select=extend_select, ignore=ignore)
    ruleset = configured_ruleset(cfg)
    try:
        files, problems = discover([str(p) for p in paths])
        if problems:
            raise AssureError(problems[0])
        ruleset = select_rules(ruleset, request, files).ruleset
        options = CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value, password=password, ocr=ocr.value))
        text = render_baseline(check_paths(files, ruleset, options), __version__)
    except AssureError as exc:
        raise fail(exc) from None
    emit(text, output, "json", inputs=tuple(files))
    say(f"baseline of {len(files)} document(s) written to {output}")


@app.command("diff")
def diff_cmd(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD", help="The earlier draft (a document, or a JSON report from check -f json).", show_default=False
        ),
    ],
    new: Annotated[
        Path, typer.Argument(metavar="NEW", help="The later draft (a document, or a JSON report).", show_default=False)
    ],
    format: Annotated[
        Optional[DiffFormat],
        typer.Option("--format", "-f", help="Output format (default: by -o's extension, .json or .md, else text)."),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", dir_okay=False, help="Write to this file (atomically).")
    ] = None,
    config: ConfigOpt = None,
    rules: RulesOpt = None,
    questions: QuestionsOpt = None,
    pdf_engine: PdfEngineOpt = PdfEngine.pypdfium2,
    password: PasswordOpt = None,
    ocr: OcrOpt = OcrMode.auto,
) -> None:
    """Compare two drafts question by question: verdicts, scores, evidence added or lost. Exit 1 if any question got worse."""
    from assure.diff import compare, load_side, render
    from assure.extract import ExtractOptions
    from assure.runner import CheckOptions, check_file

    _ocr_ready(ocr)
    cfg, _, _ = prepare_policy(
        config,
        rules=rules,
        questions=questions,
        only=None,
        fail_on=None,
        fail_under=None,
        baseline=None,
        formats=None,
        output=None,
    )
    request = selection_request(cfg)
    state: dict[str, RuleSet] = {}
    options = CheckOptions(extract=ExtractOptions(pdf_engine=pdf_engine.value, password=password, ocr=ocr.value))

    def check(path: str) -> DocumentResult:  # load the rules only when a side is a document
        if "ruleset" not in state:
            rs = configured_ruleset(cfg)
            state["ruleset"] = rs
        return check_file(path, select_rules(state["ruleset"], request, [path]).ruleset, options)

    try:
        result = compare(load_side(str(old), check), load_side(str(new), check))
    except AssureError as exc:
        raise fail(exc) from None
    format = format or DiffFormat(format_by_suffix(output, DiffFormat.__members__))
    emit(render(result, format.value), output, format.value, inputs=(str(old), str(new)))
    raise typer.Exit(int(ExitCode.FINDINGS if result.worse else ExitCode.OK))


def main() -> None:
    """Run the command line: ``assure check ...`` through :func:`check_only_app`, anything else through ``app``."""
    if sys.argv[1:2] == ["check"]:
        check_only_app()()
    else:
        app()


def check_only_app() -> typer.Typer:
    """``app`` holding only the ``check`` command: the same settings, group callback and command.

    Why: Typer turns every command of a group into a click command before it runs the one asked
    for, reading the signatures of all 29 (about 20 ms of a one-page check, issue 16); a check is
    the command a user waits on. Only ``assure check ...`` runs through it (what ``check`` reads,
    says and exits with is the same: tests/test_cli_parsing.py compares the two)."""
    import copy

    only = copy.copy(app)
    only.registered_groups = []
    only.registered_commands = [command for command in app.registered_commands if command.callback is check]
    return only
