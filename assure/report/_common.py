"""What the CI formatters share: the fail decision per question, locations, fingerprints.

Every formatter reads the same findings (:func:`assure.config.findings_of`), so the JUnit
failures, SARIF levels, GitHub annotations and the exit code never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assure.config import Finding, finding_index
from assure.models import DocStatus, DocumentResult, Evidence, QuestionResult, Report, Status


@dataclass(frozen=True)
class Row:
    """One question of one document, with what the fail policy made of it."""

    doc: DocumentResult
    question: QuestionResult
    finding: Finding | None

    @property
    def state(self) -> str:
        """fail | suppressed | baselined | ok (not a finding)."""
        return self.finding.outcome if self.finding else "ok"


def rows(report: Report) -> Iterator[Row]:
    index = finding_index(report)
    for doc in report.documents:
        for q in doc.questions:
            yield Row(doc, q, index.get((doc.path, q.id)))


def doc_findings(report: Report) -> dict[str, Finding]:
    """Document-level findings (overall score under fail_under, or a not-applicable document
    under fail_on_not_applicable), keyed by path: a document has at most one."""
    return {path: f for (path, qid), f in finding_index(report).items() if qid is None}


# what a document-level finding is called in titles, and the id of its check (SARIF, Code Quality)
DOC_FINDING_LABEL = {"score": "overall score", "not_applicable": "not applicable"}
DOC_FINDING_CHECK = {"score": "fail-under", "not_applicable": "not-applicable"}


def policy_note(finding: Finding) -> str:
    """What the policy made of a not-applicable document: ``fails: fail_on_not_applicable`` or
    ``baselined: in baseline as not applicable`` (the why is already in the document's line)."""
    return "fails: fail_on_not_applicable" if finding.outcome == "fail" else state_note(finding)


def doc_finding_text(f: Finding) -> str:
    """A document-level finding in words: ``overall score 30 under 40`` or ``not applicable: why``."""
    return f"not applicable: {f.why}" if f.status == "not_applicable" else f.why


def where(e: Evidence) -> str:
    if e.page is not None:
        return f"p.{e.page}" + (" (OCR)" if e.ocr else "") + (f", {e.section}" if e.section else "")
    return e.section or f"paragraph {e.block}"


def state_note(finding: Finding | None) -> str:
    if finding is None:
        return ""
    if finding.outcome == "suppressed":
        return f"suppressed: {finding.note}"
    if finding.outcome == "baselined":
        return f"baselined: {finding.note}"
    why = finding.why
    if m := _FAILS_ON.match(why):  # "gap (fails on gap)" said the verdict twice (a new-user trial)
        return f"fails at --fail-on {m.group(1)}{why[m.end() :]}"
    return f"fails: {why}"


_FAILS_ON = re.compile(r"\w+ \(fails on (\w+)\)")


def confidence_note(q: QuestionResult) -> str:
    """Nothing for a firm verdict; "borderline: why" for one a person should check."""
    if q.confidence != "borderline":
        return ""
    return f"borderline: {q.confidence_why}" if q.confidence_why else "borderline"


def combined_parts(e: Evidence) -> list[str]:
    """One line per other place a combined hit rests on: 'measure: "..." (p.4, Actions)'."""
    out = []
    for p in e.parts:
        if p.page is not None:
            loc = f"p.{p.page}" + (f", {p.section}" if p.section else "")
        else:
            loc = p.section or f"paragraph {p.block}"
        out.append(f"{p.role}: \u201c{p.quote}\u201d ({loc})")
    return out


def borderline_rows(doc: DocumentResult) -> list[QuestionResult]:
    """The questions of a document whose verdict is borderline, for a person to check."""
    return [q for q in doc.questions if q.confidence == "borderline"]


def posix(path: str) -> str:
    return path.replace("\\", "/")


def counts(doc: DocumentResult) -> dict[str, int]:
    out = {s.value: 0 for s in Status}
    for q in doc.questions:
        out[q.status.value] += 1
    return out


def doc_state(doc: DocumentResult) -> str:
    if doc.status is DocStatus.ERROR:
        return f"error [{(doc.error or {}).get('code', 'error')}]: {(doc.error or {}).get('message', '')}"
    if doc.status is DocStatus.NOT_APPLICABLE:
        return f"not applicable: {not_applicable_why(doc)}"
    return ""


def not_applicable_why(doc: DocumentResult) -> str:
    """Why the relevance screen set the document aside, with the count it rests on."""
    why = "no link to health, care or wellbeing (checklist A5)"
    if doc.health_sentences is None:
        return why
    found, needed = doc.health_sentences
    return f"{why}: {found} sentence{'s' if found != 1 else ''} about health, care or wellbeing, {needed} needed"


def policy_text(report: Report) -> str:
    """Plain lines listing suppressed and baselined findings (shown, never hidden) and
    overall-score findings, for the terminal report; empty under the default policy."""
    if "findings" not in report.extra:
        return ""
    from assure.config import findings_of

    lines = []
    for f in findings_of(report):
        # (a document-level finding says what it is itself: "overall score 20 under 60")
        target = f"{f.path} {f.question}" if f.question else f.path
        what = f.why if f.question else doc_finding_text(f)
        if f.outcome == "fail":
            lines.append(f"  FAIL        {target}: {what}")
        else:
            lines.append(f"  {f.outcome:<11} {target}: {f.status if f.question else what} ({f.note})")
    if not lines:
        return "Policy: no findings at or beyond the fail levels.\n"
    return "Policy:\n" + "\n".join(lines) + "\n"
