"""What the comments say: one note per evidence sentence and one summary note per document.

Both formats share these words, so a Word comment and a PDF popup read the same. The
notes are plain text with line breaks: Word comments get one paragraph per line, PDF
popups show the line breaks as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assure import __version__
from assure.models import DocStatus, DocumentResult, Evidence, QuestionResult, Status
from assure.names import human_name

AUTHOR = "assure"
INITIALS = "AS"

_CONTEXT_WORDS = {  # the rules' context categories, as a reader would say them
    "aspirational": "an aspiration, not a commitment",
    "conditional": "a condition, such as subject to funding",
    "by_reference": "a reference to another document",
    "locative": "where people live, not their housing",
    "unknown": "named as not known",
    "asked": "a question put to readers",
    "figures": "only table figures",
}


@dataclass(frozen=True)
class Finding:
    """One evidence item of one question."""

    question: QuestionResult
    evidence: Evidence


@dataclass(frozen=True)
class Target:
    """A quoted stretch of the document and every finding that quotes it."""

    quote: str
    page: int | None
    section: str | None
    findings: tuple[Finding, ...]

    @property
    def where(self) -> str:
        if self.page is not None:
            return f"page {self.page}"
        return f"under '{self.section}'" if self.section else "in the body"

    @property
    def questions(self) -> str:
        return ", ".join(f.question.id for f in self.findings)


@dataclass(frozen=True)
class Placement:
    """Whether one target was marked in the output, and if not, why."""

    target: Target
    placed: bool
    reason: str = ""  # why it was not placed
    location: str = ""  # where it was placed: "page 5", "paragraph 12"


@dataclass(frozen=True)
class AnnotationResult:
    source: str
    output: str
    format: str
    placements: tuple[Placement, ...]

    @property
    def placed(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if p.placed)

    @property
    def unplaced(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if not p.placed)


def targets(result: DocumentResult) -> list[Target]:
    """The evidence of every question, one target per distinct quote and place, in report order."""
    order: list[tuple[str, int | None, str | None]] = []
    grouped: dict[tuple[str, int | None, str | None], list[Finding]] = {}
    for question in result.questions:
        for evidence in question.evidence:
            key = (evidence.quote, evidence.page, evidence.section)
            if key not in grouped:
                grouped[key] = []
                order.append(key)
            grouped[key].append(Finding(question, evidence))
    return [Target(quote, page, section, tuple(grouped[(quote, page, section)])) for quote, page, section in order]


def _verdict(question: QuestionResult) -> str:
    status = question.status.value if isinstance(question.status, Status) else str(question.status)
    if question.status is Status.UNASSESSABLE:
        return status
    return f"{status} ({question.score}/100)"


def finding_note(finding: Finding) -> str:
    """Question, verdict, rule, confidence (when the report has one) and what met still needs."""
    q, e = finding.question, finding.evidence
    lines = [f"{q.id} {q.title}: {_verdict(q)}"]
    how = "met" if e.strength == "met" else "partial"
    lines.append(f"Rule {e.rule}: this counts as {how} evidence.")
    if e.context:
        cue = getattr(e, "cue", None)
        lines.append(
            f"Held at partial: {_CONTEXT_WORDS.get(e.context, e.context.replace('_', ' '))}"
            + (f" ('{cue}')" if cue else "")
            + "."
        )
    confidence = getattr(q, "confidence", None)
    if confidence is not None:
        lines.append(f"Confidence: {confidence}")
    if q.finding:
        lines.append(f"Finding: {q.finding}")
    if q.status is not Status.MET:  # a met question misses nothing: no line says so
        lines.append(f"Still missing for met: {q.guidance or q.finding}")
    return "\n".join(lines)


def target_note(target: Target) -> str:
    return "\n\n".join(finding_note(f) for f in target.findings)


def summary_note(result: DocumentResult, placements: list[Placement] | tuple[Placement, ...]) -> str:
    """The verdict table, every gap with its advice, and every quote that could not be placed."""
    name = human_name(Path(result.path).name)  # a name's undecodable bytes escaped: PDF and DOCX text is Unicode
    lines = [f"{AUTHOR} {__version__} review of {name}"]
    if result.status is DocStatus.NOT_APPLICABLE:
        lines.append(
            "Not applicable: the document does not link homes or housing to health, care or wellbeing "
            "(checklist A5), so no question was assessed."
        )
    else:
        lines.append(f"Overall score {result.score}/100." if result.score is not None else "No overall score.")
    if result.questions:
        lines.append("")
        lines.append("Verdicts:")
        lines.extend(f"{q.id} {q.title}: {_verdict(q)}" for q in result.questions)
    open_questions = [q for q in result.questions if q.status in (Status.GAP, Status.PARTIAL)]
    if open_questions:
        lines.append("")
        lines.append("Gaps and what to add:")
        for q in open_questions:
            lines.append(f"{q.id} {q.title} ({q.status.value}): {q.finding}. Add: {q.guidance}".replace("..", "."))
    if result.unreadable_pages:
        pages = ", ".join(f"{page} ({why})" for page, why in result.unreadable_pages)
        lines.append("")
        lines.append(f"Unreadable pages, not assessed: {pages}")
    placed = [p for p in placements if p.placed]
    unplaced = [p for p in placements if not p.placed]
    lines.append("")
    lines.append(f"Evidence marked in the text: {len(placed)} of {len(placements)} quoted passages.")
    if unplaced:
        lines.append("Could not be placed exactly, so not marked (look these up by hand):")
        for p in unplaced:
            lines.append(f"{p.target.questions} \u201c{_short(p.target.quote)}\u201d ({p.target.where}): {p.reason}")
    return "\n".join(lines)


def _short(quote: str, limit: int = 120) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "\u2026"
