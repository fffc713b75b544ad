"""PDF in, PDF out: a highlight over each evidence sentence, its note in a popup, and a
summary note on the first page.

Quotes are found among the characters PDFium reads on the evidence's page (and the next
page, for a sentence that runs over a page break); each matched character's box gives the
highlight's quadrilaterals, one per line. pypdf writes the annotations as an incremental
update: the original file's bytes come first, unchanged, and only the new annotations and
the pages' /Annots arrays are appended. Each highlight carries its own appearance stream
so that every viewer draws it the same way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from assure.annotate.locate import KeyedText, too_short
from assure.annotate.notes import AUTHOR, AnnotationResult, Placement, Target, summary_note, target_note, targets
from assure.errors import ExtractionError
from assure.models import DocumentResult
from assure.safewrite import write_output

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF user space
COLOURS = {  # highlight colour by what the sentence counts as: green met, amber partial
    "met": (0.62, 0.88, 0.55),
    "partial": (1.0, 0.86, 0.35),
}
NOTE_SIZE = (220.0, 160.0)  # popup width and height, points


@dataclass
class PageChars:
    """The characters PDFium reads on one page, with their boxes (None for spaces and line breaks)."""

    number: int  # 1-based
    chars: list[str]
    boxes: list[Box | None]
    width: float
    height: float
    rotation: int


@dataclass(frozen=True)
class Mark:
    """Where one target's highlight goes: the quadrilaterals (as boxes) per page."""

    target: Target
    lines: dict[int, list[Box]]  # page number -> one box per line, in the quote's order
    pieces: int = 1  # more than one when the page reads in another order than the quote


def _read_page(pdf, number: int) -> PageChars:
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    page = pdf[number - 1]
    try:
        textpage = page.get_textpage()
        try:
            chars: list[str] = []
            boxes: list[Box | None] = []
            for i in range(textpage.count_chars()):
                ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
                chars.append(ch)
                if ch.isspace() or pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                    boxes.append(None)
                    continue
                left, bottom, right, top = textpage.get_charbox(i)
                boxes.append((left, bottom, right, top) if right > left and top > bottom else None)
        finally:
            textpage.close()
        width, height = page.get_size()
        return PageChars(number, chars, boxes, width, height, page.get_rotation())
    finally:
        page.close()


def _view(box: Box, rotation: int) -> Box:
    """A box as the reader sees the page (text runs left to right), for grouping into lines."""
    left, bottom, right, top = box
    if rotation == 90:
        return (-top, left, -bottom, right)
    if rotation == 180:
        return (-right, -top, -left, -bottom)
    if rotation == 270:
        return (bottom, -right, top, -left)
    return box


def line_boxes(boxes: list[Box], rotation: int = 0) -> list[Box]:
    """Group character boxes (in reading order) into lines; one enclosing box per line."""
    lines: list[list[Box]] = []
    previous: Box | None = None
    for box in boxes:
        view = _view(box, rotation)
        if previous is not None and lines:
            middle = (view[1] + view[3]) / 2
            height = max(previous[3] - previous[1], view[3] - view[1], 1.0)
            same_line = previous[1] - 0.2 * height <= middle <= previous[3] + 0.2 * height
            backwards = view[0] < previous[0] - 2 * height  # a new column or a wrapped line at the same height
            if same_line and not backwards:
                lines[-1].append(box)
                previous = view
                continue
        lines.append([box])
        previous = view
    out = []
    for line in lines:
        left, bottom = min(b[0] for b in line), min(b[1] for b in line)
        right, top = max(b[2] for b in line), max(b[3] for b in line)
        out.append((left, bottom, right, top))
    return out


class PdfIndex:
    """Pages read on demand, searched for quotes."""

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.count = len(pdf)
        self.pages: dict[int, PageChars] = {}

    def page(self, number: int) -> PageChars:
        if number not in self.pages:
            self.pages[number] = _read_page(self.pdf, number)
        return self.pages[number]

    def locate(self, target: Target) -> tuple[Mark | None, str]:
        """Exactly on the page; else over the page break; else in a few long pieces (reading order)."""
        if target.page is None or not 1 <= target.page <= self.count:
            return None, "the report gives no page for it"
        spread = [self.page(target.page)]
        keyed = KeyedText.of(spread[0].chars)
        spans = keyed.find_all(target.quote)
        if len(spans) > 1 and too_short(target.quote):
            return None, f"too short to place safely: it appears {len(spans)} times on page {target.page}"
        pieces = spans[:1]
        if not pieces and target.page < self.count:  # a sentence that runs over the page break
            spread.append(self.page(target.page + 1))
            keyed = KeyedText.of(spread[0].chars + spread[1].chars)
            pieces = [s for s in keyed.find_all(target.quote) if s[0] < len(spread[0].chars)][:1]
        if not pieces:  # the page reads in another order than the extractor's: place it piece by piece
            pieces = keyed.find_pieces(target.quote)
            if pieces and pieces[0][0] >= len(spread[0].chars):
                pieces = []
        if not pieces:
            return None, f"its words were not found on page {target.page} (reading order or table layout differs)"
        lines: dict[int, list[Box]] = {}
        for start, end in pieces:
            offset = 0
            for page in spread:
                lo, hi = max(start - offset, 0), min(end - offset, len(page.chars))
                boxes = [b for b in page.boxes[lo:hi] if b is not None] if lo < hi else []
                if boxes:
                    lines.setdefault(page.number, []).extend(line_boxes(boxes, page.rotation))
                offset += len(page.chars)
        if not lines:
            return None, "its characters have no position on the page"
        return Mark(target, lines, len(pieces)), ""


def _colour(target: Target) -> tuple[float, float, float]:
    return COLOURS["met" if any(f.evidence.strength == "met" for f in target.findings) else "partial"]


def _pad(box: Box) -> Box:
    left, bottom, right, top = box
    grow = 0.15 * (top - bottom)
    return (left - 0.5, bottom - grow, right + 0.5, top + grow)


def _quad_points(boxes: list[Box]) -> list[float]:
    """Upper-left, upper-right, lower-left, lower-right of each box: the order viewers expect."""
    points: list[float] = []
    for left, bottom, right, top in boxes:
        points += [left, top, right, top, left, bottom, right, bottom]
    return points


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _highlight(writer, page_index: int, boxes: list[Box], colour: tuple[float, float, float], note: str):
    """A highlight annotation with its own appearance (multiply-blended fill of each quad)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    rect = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    ops = ["/GS0 gs", " ".join(_num(c) for c in colour) + " rg"]
    for left, bottom, right, top in boxes:
        ops.append(f"{_num(left)} {_num(bottom)} {_num(right - left)} {_num(top - bottom)} re f")
    appearance = DecodedStreamObject()
    appearance.set_data(("\n".join(ops) + "\n").encode("ascii"))
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/ExtGState"): DictionaryObject(
                        {NameObject("/GS0"): DictionaryObject({NameObject("/BM"): NameObject("/Multiply")})}
                    )
                }
            ),
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Highlight"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/QuadPoints"): ArrayObject([FloatObject(v) for v in _quad_points(boxes)]),
            NameObject("/C"): ArrayObject([FloatObject(c) for c in colour]),
            NameObject("/F"): NumberObject(4),  # print
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/Subj"): TextStringObject("assure evidence"),
            NameObject("/Contents"): TextStringObject(note),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    added = writer.add_annotation(page_index, annotation)
    _popup(writer, page_index, added, rect)
    return added


def _popup(writer, page_index: int, parent, near: Box) -> None:
    """A closed popup beside the annotation, inside the page (viewers open it on click)."""
    from pypdf.annotations import Popup

    page = writer.pages[page_index]
    box = page.mediabox
    width, height = NOTE_SIZE
    right = float(box.right)
    left = max(float(box.left), right - width)
    top = min(float(box.top), near[3] + 10)
    bottom = max(float(box.bottom), top - height)
    writer.add_annotation(page_index, Popup(rect=(left, bottom, right, top), parent=parent, open=False))


def _summary(writer, note: str) -> None:
    """A sticky note in the first page's top-left corner with the summary."""
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    page = writer.pages[0]
    box = page.mediabox
    left, top = float(box.left) + 8, float(box.top) - 8
    rect = (left, top - 22, left + 20, top)
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/Name"): NameObject("/Comment"),
            NameObject("/Open"): BooleanObject(False),
            NameObject("/C"): ArrayObject([FloatObject(c) for c in COLOURS["partial"]]),
            NameObject("/F"): NumberObject(4 | 8 | 16),  # print, no zoom, no rotate
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/Subj"): TextStringObject("assure summary"),
            NameObject("/Contents"): TextStringObject(note),
        }
    )
    added = writer.add_annotation(0, annotation)
    _popup(writer, 0, added, rect)


def _open_pdfium(source: Path):
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        return pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(
                "password-protected PDF; annotated copies are made of unprotected files only", path=str(source), code="encrypted"
            ) from None
        raise ExtractionError(f"damaged PDF ({exc})", path=str(source), code="corrupt") from None


def _writer(source: Path):
    """An incremental pypdf writer over the original bytes."""
    import logging

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # repairs it makes are not the user's business; failures raise
    try:
        reader = PdfReader(str(source))
        if reader.is_encrypted:
            raise ExtractionError(
                "encrypted PDF (it has an owner password); annotating it would drop its protection, so assure leaves it alone",
                path=str(source),
                code="encrypted",
            )
        return PdfWriter(str(source), incremental=True)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        first = (str(exc).splitlines() or [""])[0][:120]
        raise ExtractionError(f"damaged PDF ({type(exc).__name__}: {first})", path=str(source), code="corrupt") from None


def annotate(source: Path, result: DocumentResult, output: Path) -> AnnotationResult:
    writer = _writer(source)
    pdf = _open_pdfium(source)
    try:
        index = PdfIndex(pdf)
        placements: list[Placement] = []
        marks: list[Mark] = []
        for target in targets(result):
            mark, reason = index.locate(target)
            if mark is None:
                placements.append(Placement(target, False, reason))
                continue
            marks.append(mark)
            pages = sorted(mark.lines)
            where = (
                f"page {pages[0]}"
                + (f"-{pages[-1]}" if len(pages) > 1 else "")
                + (f" in {mark.pieces} pieces" if mark.pieces > 1 else "")
            )
            placements.append(Placement(target, True, location=where))
    finally:
        pdf.close()
    for mark in marks:
        note = target_note(mark.target)
        for number, boxes in sorted(mark.lines.items()):
            _highlight(writer, number - 1, [_pad(b) for b in boxes], _colour(mark.target), note)
    _summary(writer, summary_note(result, placements))
    buffer = io.BytesIO()
    writer.write(buffer)
    write_output(output, buffer.getvalue(), label="annotated copy", inputs=(source,))
    return AnnotationResult(str(source), str(output), "pdf", tuple(placements))
