"""Plain values passed between the layers: extraction -> engine -> formatters.

All are frozen dataclasses so a result can be cached, compared and sent between
processes without surprises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


class Place(str, Enum):
    """Where a block sits; some places never count as evidence."""

    BODY = "body"
    CONTENTS = "contents"
    GLOSSARY = "glossary"
    REFERENCES = "references"
    RUNNING = "running"  # running header or footer
    COVER = "cover"  # a short title page: the plan's name, the organisation, the date
    FIGURE = "figure"  # text inside a chart, infographic or diagram: axis and data labels, panels
    CAPTION = "caption"  # a figure or table caption ("Figure 3: ...", "Source: ...")
    FOOTNOTE = "footnote"  # a footnote or endnote at the page foot


OCR_MIN_CONFIDENCE = 45.0  # mean word confidence under which a page's OCR text is not trusted


class Status(str, Enum):
    MET = "met"
    PARTIAL = "partial"
    GAP = "gap"
    UNASSESSABLE = "unassessable"


class DocStatus(str, Enum):
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


class FailLevel(str, Enum):
    """The lowest verdict that fails a run (``--fail-on``, config ``fail_on``, exit code 1)."""

    GAP = "gap"
    PARTIAL = "partial"
    NEVER = "never"

    @property
    def failing(self) -> frozenset[Status]:
        """The verdicts that are findings at this level."""
        return {
            FailLevel.GAP: frozenset({Status.GAP}),
            FailLevel.PARTIAL: frozenset({Status.GAP, Status.PARTIAL}),
            FailLevel.NEVER: frozenset(),
        }[self]


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item or table row with the place it came from."""

    text: str  # normalised text used for matching
    raw: str  # text as extracted (for quotes)
    kind: BlockKind
    page: int | None  # 1-based PDF page; None for DOCX, text and Markdown
    section: tuple[str, ...]  # heading path
    index: int  # 1-based block number in the document (paragraph number for DOCX)
    place: Place = Place.BODY
    ocr: bool = False  # the text was read from a page image by OCR, not from a text layer


@dataclass(frozen=True)
class PageQuality:
    page: int
    chars: int
    replacement_chars: int
    cid_glyphs: int
    substituted: bool = False  # letters mapped to the wrong characters (extract/readability.py)
    ocr_confidence: float | None = None  # Tesseract's mean word confidence (0-100) when the text came from OCR
    ocr_missing: str | None = None  # why a page that needed OCR was not read by it ("Tesseract is not installed")

    @property
    def readable(self) -> bool:
        if self.chars < 20 or self.substituted:
            return False
        if self.ocr_confidence is not None and self.ocr_confidence < OCR_MIN_CONFIDENCE:
            return False
        bad = self.replacement_chars + self.cid_glyphs * 6
        return bad / max(self.chars, 1) < 0.2

    @property
    def problem(self) -> str | None:
        note = f"; {self.ocr_missing}, so no OCR" if self.ocr_missing else ""
        if self.ocr_confidence is not None and self.chars < 20:
            return "scanned page, OCR found almost no text (a picture or a blank page)"
        if self.ocr_confidence is not None and self.substituted:  # Tesseract sure of its letters, but no English words
            return f"scanned page, OCR text is not English words (confidence {self.ocr_confidence:.0f}%)"
        if self.ocr_confidence is not None and self.ocr_confidence >= OCR_MIN_CONFIDENCE and not self.readable:
            return "scanned page, OCR text garbled (unmapped characters)"
        if self.ocr_confidence is not None and not self.readable:
            return f"scanned page, OCR unreadable (confidence {self.ocr_confidence:.0f}%)"
        if self.chars < 20:
            return "no text layer" + note
        if self.substituted:
            return "garbled text (substituted letters)"
        if not self.readable:
            return "garbled text (unmapped glyphs)" + note
        return None


@dataclass(frozen=True)
class Directive:
    """An inline suppression written in the document (``assure: ignore Q4 -- REASON``, see
    assure/inline.py): read with the document, so it is cached and sent with its result."""

    ids: tuple[str, ...]  # as written, Q upper-cased: Q4, Q04.cold-damp-hazards
    reason: str
    where: str  # where it was written: "inline, line 12", "Word comment by Jane Smith on ..."
    line: int | None = None  # 1-based line in a text or Markdown file
    problem: str | None = None  # why it cannot apply (no reason, an unknown id); None: valid
    # set by the fail policy (config.apply_policy): the ids that suppressed a finding, and
    # whether inline suppressions were turned off for the run
    applied: tuple[str, ...] = ()
    disabled: bool = False

    @property
    def state(self) -> str:
        """applied | unused | invalid | disabled."""
        if self.disabled:
            return "disabled"
        if self.problem is not None:
            return "invalid"
        return "applied" if self.applied else "unused"


@dataclass(frozen=True)
class Document:
    path: str
    format: str  # pdf | docx | txt | md
    blocks: tuple[Block, ...]
    pages: int | None = None
    quality: tuple[PageQuality, ...] = ()
    encrypted: bool = False
    removed_running_lines: int = 0
    furniture: tuple[Block, ...] = ()  # running headers, footers and page numbers, kept apart (PDF)
    directives: tuple[Directive, ...] = ()  # inline suppressions written in the document (never text)

    @property
    def unreadable_pages(self) -> list[tuple[int, str]]:
        return [(q.page, q.problem) for q in self.quality if q.problem is not None]

    @property
    def ocr_pages(self) -> list[tuple[int, float]]:
        """(page, OCR confidence) for every page whose text came from OCR."""
        return [(q.page, q.ocr_confidence) for q in self.quality if q.ocr_confidence is not None]

    @property
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


@dataclass(frozen=True)
class Evidence:
    quote: str
    page: int | None
    section: str | None
    rule: str
    strength: str  # met | partial | none
    context: str | None = None  # category of the cue that weakened or voided the hit
    cue: str | None = None  # the cue words themselves
    counted: bool = True
    place: str = "body"
    block: int = 0
    matched: str = ""
    kind: str = "paragraph"  # the block kind, so full sentences can be quoted before headings
    signals: tuple[str, ...] = ()  # the signals found for the hit (its sentence, row, heading or lead-in)
    # the other places a combined ("corroborated") verdict rests on: each a Part, in document order
    parts: tuple[Part, ...] = ()
    step: str = ""  # the pipeline step that decided (assure.pipeline.STEPS), for --explain
    reason: str = ""  # why, in words
    ocr: bool = False  # quoted from text read by OCR: check it against the page image

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "quote": self.quote,
            "page": self.page,
            "section": self.section,
            "rule": self.rule,
            "strength": self.strength,
            "context": self.context,
        }
        if self.parts:  # additive: present only when the hit was combined with evidence elsewhere
            out["combined_with"] = [p.to_dict() for p in self.parts]
        if self.ocr:
            out["source"] = "ocr"
        return out


@dataclass(frozen=True)
class Part:
    """One piece of evidence that a combined verdict rests on, besides the hit itself."""

    role: str  # what it contributes: "measure", "owner", "commitment", "indicator", ...
    quote: str
    page: int | None
    section: str | None
    rule: str | None = None  # the rule whose hit it is, if any
    block: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "quote": self.quote, "page": self.page, "section": self.section, "rule": self.rule}


@dataclass(frozen=True)
class QuestionResult:
    id: str
    title: str
    status: Status
    score: int
    evidence: tuple[Evidence, ...]
    guidance: str
    finding: str
    candidates: tuple[Evidence, ...] = ()
    confidence: str = "firm"  # firm | borderline: whether a careful reviewer could pick a neighbouring verdict
    confidence_why: str = ""  # for borderline: why ("met rests on one sentence in a case study")


@dataclass(frozen=True)
class DocumentResult:
    path: str
    format: str | None
    pages: int | None
    status: DocStatus
    score: int | None
    questions: tuple[QuestionResult, ...] = ()
    error: dict[str, str] | None = None
    unreadable_pages: tuple[tuple[int, str], ...] = ()
    words: int = 0
    ocr_pages: tuple[tuple[int, float], ...] = ()  # (page, confidence) of pages read by OCR
    duplicate_of: str | None = None  # the file with the same content whose result this repeats
    # not applicable only: sentences that mention health, care or wellbeing, and how many the screen needs
    health_sentences: tuple[int, int] | None = None
    directives: tuple[Directive, ...] = ()  # inline suppressions found in the document (assure/inline.py)


@dataclass(frozen=True)
class Report:
    documents: tuple[DocumentResult, ...]
    tool_version: str
    extra: dict[str, Any] = field(default_factory=dict)
