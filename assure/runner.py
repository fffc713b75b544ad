"""Check documents: extract, evaluate, and turn every failure into an error entry.

This is the one place that loops over files, so one bad file never stops the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from assure import __version__
from assure.engine import Evaluator
from assure.errors import AssureError, ExitCode
from assure.extract import ExtractOptions, extract
from assure.inline import check as check_directives
from assure.inline import known_ids
from assure.models import DocStatus, Document, DocumentResult, FailLevel, Report, Status
from assure.ruleset import RuleSet


@dataclass(frozen=True)
class CheckOptions:
    extract: ExtractOptions = ExtractOptions()
    screen: bool = True  # the relevance pre-screen (not_applicable)
    # the ids an inline suppression may name (assure.inline.known_ids); None: the ruleset's own.
    # The CLI gives the full rule set's, so a directive for a question --question left out is not "unknown"
    directive_ids: frozenset[str] | None = None


def error_result(path: str, code: str, message: str) -> DocumentResult:
    return DocumentResult(
        path=path, format=None, pages=None, status=DocStatus.ERROR, score=None, error={"code": code, "message": message}
    )


def check_file(
    path: str, ruleset: RuleSet, options: CheckOptions | None = None, document: Document | None = None
) -> DocumentResult:
    """Check one file; never raises for a bad document. ``document`` is the file already
    extracted with ``options.extract`` (the batch reads ahead during start-up)."""
    options = options or CheckOptions()
    try:
        if document is None:
            document = extract(path, options.extract)
        result = Evaluator(ruleset.for_path(path)).evaluate(document, screen=options.screen)
        if unreadable(result):  # nothing to assess: an error entry, so every format and the exit code agree
            reasons = _reasons_once(result.unreadable_pages)
            hint = "; a scan? OCR was off (--ocr never)" if reasons == ["no text layer"] else ""
            message = f"no readable text on any page ({', '.join(reasons)}{hint})" if reasons else "the document has no text"
            entry = error_result(path, "no_text", message)
            return replace(
                entry, format=result.format, pages=result.pages, unreadable_pages=result.unreadable_pages, words=result.words
            )
        if document.directives:
            known = options.directive_ids if options.directive_ids is not None else known_ids(ruleset)
            result = replace(result, directives=check_directives(document.directives, known))
        return replace(result, ocr_pages=tuple(document.ocr_pages)) if document.ocr_pages else result
    except AssureError as exc:
        return error_result(path, exc.code, exc.message)
    except MemoryError:
        return error_result(path, "memory", "ran out of memory while reading the document")
    except RecursionError:
        return error_result(path, "corrupt", "document structure is too deeply nested")
    except Exception as exc:  # noqa: BLE001 - a library bug on one file must not stop a batch
        return error_result(path, "internal", f"unexpected {type(exc).__name__} while reading: {str(exc)[:200]}")


_CONFIDENCE = re.compile(r" \(confidence (\d+)%\)")


def _reasons_once(pages: tuple[tuple[int, str], ...]) -> list[str]:
    """Each reason a page was unreadable, once, with the range of OCR confidences it was read
    with ("scanned page, OCR unreadable (confidence 17-32%)"), not once per page's figure."""
    confidences: dict[str, list[int]] = {}
    for _, reason in pages:
        found = _CONFIDENCE.search(reason)
        base = _CONFIDENCE.sub("", reason)
        confidences.setdefault(base, []).extend([int(found.group(1))] if found else [])
    out = []
    for base, values in sorted(confidences.items()):
        if values:
            low, high = min(values), max(values)
            base += f" (confidence {low}%)" if low == high else f" (confidence {low}-{high}%)"
        out.append(base)
    return out


def check_paths(
    paths: Iterable[str],
    ruleset: RuleSet,
    options: CheckOptions | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
) -> Report:
    results = []
    for path in paths:
        result = check_file(path, ruleset, options)
        results.append(result)
        if on_result:
            on_result(result)
    return Report(documents=tuple(results), tool_version=__version__)


def unreadable(result: DocumentResult) -> bool:
    """Read, but with no readable text on any page (a scan without OCR): every question is
    unassessable. check_file turns such a result into a ``no_text`` error entry; exit_code
    also counts one built by the engine directly, so a scanned draft cannot pass CI."""
    no_text = result.words == 0 or bool(result.pages and len(result.unreadable_pages) >= result.pages)
    return (
        no_text
        and result.status is DocStatus.OK
        and bool(result.questions)
        and all(q.status is Status.UNASSESSABLE for q in result.questions)
    )


def exit_code(report: Report, fail_on: FailLevel | str = FailLevel.GAP) -> ExitCode:
    """2 if any document errored or had no readable text, else 1 if any question is at or
    beyond the fail level.

    With a policy attached (per-question fail levels, --fail-under, suppressions, a
    baseline) only findings whose outcome is ``fail`` count."""
    if any(d.status is DocStatus.ERROR or unreadable(d) for d in report.documents):
        return ExitCode.ERROR
    if "findings" in report.extra:  # a policy from config or flags (assure.config.apply_policy) decided already
        return ExitCode.FINDINGS if any(f["outcome"] == "fail" for f in report.extra["findings"]) else ExitCode.OK
    failing = FailLevel(fail_on).failing
    for d in report.documents:
        if any(q.status in failing for q in d.questions):
            return ExitCode.FINDINGS
    return ExitCode.OK
