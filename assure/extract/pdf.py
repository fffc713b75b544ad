"""PDF text extraction with two engines.

pypdfium2 is the default: measured on the shared corpus it is roughly two orders of
magnitude faster than pdfplumber and keeps two-column reading order. pdfplumber stays
selectable (``--pdf-engine pdfplumber``) for comparison and debugging. Pages are closed
as soon as they are read so memory stays flat on long documents.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from assure.errors import ExtractionError
from assure.extract.bands import header_tables
from assure.extract.clean import (
    BlockBuilder,
    TableRows,
    is_running,
    normalise,
    page_lines_to_blocks,
    running_lines,
)
from assure.extract.columns import label_tables
from assure.extract.layout import Line, PageLines, build_blocks, edge_lines, is_table_header, margin_lines, read_lines
from assure.extract.ruled import PagePath, mark_bullets, mark_underlines, page_paths, page_shapes, ruled_tables
from assure.inline import KEYWORD, MAX_DIRECTIVES, capped, parse
from assure.models import Block, Directive, Document, PageQuality, Place

ENGINES = ("pypdfium2", "pdfplumber")
_CID = re.compile(r"\(cid:\d+\)")


def _open_pdfium(path: Path, password: str | None):  # noqa: ANN202 - pdfium type
    import pypdfium2 as pdfium

    tried = [password] if password is not None else [None, ""]
    last: Exception | None = None
    for pw in tried:
        try:
            return pdfium.PdfDocument(str(path), password=pw), pw
        except pdfium.PdfiumError as exc:  # wrong password, damaged file, not a PDF
            last = exc
    msg = str(last) if last else "cannot open"
    if "password" in msg.lower():
        text = "wrong password for encrypted PDF" if password is not None else "PDF is encrypted; pass --password"
        raise ExtractionError(text, path=str(path), code="encrypted")
    raise ExtractionError(f"not a readable PDF ({msg})", path=str(path), code="corrupt")


def _check_time(path: Path, deadline: float | None, done: int, total: int) -> None:
    """Stop between pages once the time budget is spent, so one file cannot stall a run."""
    if deadline is not None and time.monotonic() > deadline:
        raise ExtractionError(f"reading took too long; stopped after {done} of {total} pages", path=str(path), code="timeout")


# A page's content in reading order: text (as PDFium reads it) and tables read cell by cell.
EMPHASIS_SAMPLE = 120  # characters sampled per page to find the body font size
MIN_SIDE_STRIP = 36.0  # points; narrower strips beside a table hold no text worth reading


class _TableReader:
    """Reads tables with pdfplumber, only on pages whose text shows an action or indicator
    table header: PDFium flattens a table into a run of cell fragments, while pdfplumber
    recovers its rows, so PDF and DOCX of one plan read alike. Opened on first use."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path, self.password = path, password
        self.pdf = None
        self.failed = False

    def boxes(self, index: int, page) -> list[tuple[tuple[float, float, float, float], TableRows]]:  # noqa: ANN001
        """The page's tables as (x0, top, x1, bottom) in points from the top-left, with their rows."""
        if self.failed:
            return []
        try:
            if self.pdf is None:
                import logging

                import pdfplumber

                logging.getLogger("pdfminer").setLevel(logging.ERROR)
                self.pdf = pdfplumber.open(str(self.path), password=self.password or "")
            ppage = self.pdf.pages[index]
            try:
                if ppage.rotation or abs(float(ppage.height) - page.get_height()) > 1:
                    return []  # coordinates would not line up with PDFium's
                found = sorted(((t.bbox, t.extract()) for t in ppage.find_tables()), key=lambda t: t[0][1])
            finally:
                ppage.close()
        except Exception:  # noqa: BLE001 - any trouble: keep PDFium's lines for this file
            self.failed = True
            return []
        out: list[tuple[tuple[float, float, float, float], TableRows]] = []
        done_to = 0.0
        for bbox, rows in found:
            if bbox[1] < done_to:
                continue  # overlapping tables: keep the first
            cells = tuple(tuple(" ".join(normalise(c or "").split()) for c in row) for row in rows)
            kept = tuple(r for r in cells if any(r))
            if kept:
                out.append((tuple(float(v) for v in bbox), TableRows(kept)))  # type: ignore[arg-type]
                done_to = bbox[3]
        return out

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _pdfium_text(path: Path, password: str | None, max_pages: int | None,
                 deadline: float | None = None, page_lines: list[PageLines] | None = None,
                 directives: list[Directive] | None = None) -> tuple[list[str], bool]:
    """Each page's text; with ``page_lines``, also its lines with geometry and fonts, and the
    tables pdfplumber finds on pages whose text shows a table header; with ``directives``,
    the inline suppressions written in the pages' annotations."""
    doc, used = _open_pdfium(path, password)
    tables = _TableReader(path, used if used is not None else password)
    try:
        n = len(doc)
        if max_pages is not None and n > max_pages:
            raise ExtractionError(f"PDF has {n} pages, over the limit of {max_pages} (--max-pages)", path=str(path), code="too_large")
        try:
            import pypdfium2.raw as pdfium_c

            encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) != -1
        except Exception:  # noqa: BLE001 - older pypdfium2: fall back to "a password was needed"
            encrypted = used is not None
        texts = []
        for i in range(n):
            _check_time(path, deadline, i, n)
            try:
                page = _load_page(doc, i)
            except Exception:  # a page PDFium cannot load (broken or cyclic page tree) is unreadable  # noqa: BLE001
                texts.append("")
                if page_lines is not None:
                    page_lines.append(PageLines(i + 1, 0.0, 0.0, []))
                continue
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    texts.append(text)
                    if page_lines is not None:
                        page_lines.append(_page_lines(i, page, textpage, text, tables))
                finally:
                    textpage.close()
                if directives is not None and len(directives) <= MAX_DIRECTIVES:
                    directives.extend(_annotation_directives(page, i + 1))
            except Exception:  # one broken page must not lose the others  # noqa: BLE001
                if len(texts) == i:
                    texts.append("")
                if page_lines is not None and len(page_lines) == i:
                    page_lines.append(PageLines(i + 1, 0.0, 0.0, []))
            finally:
                page.close()
        return texts, encrypted
    finally:
        tables.close()
        doc.close()


def _load_page(doc, index: int):  # noqa: ANN001, ANN202 - pypdfium2 document and page types
    """Page ``index`` as :class:`_Page`, or as pypdfium2 loads it when the document has a form
    environment (its pages must be announced to it)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if doc.formenv:
        return doc[index]
    raw = pdfium_c.FPDF_LoadPage(doc, index)
    if not raw:
        raise pdfium.PdfiumError("Failed to load page.")
    return _Page(raw)


class _Page:
    """A page held as PDFium's bare handle, with the calls the reader makes on a pypdfium2 page.

    Why: pypdfium2's PdfPage and PdfTextPage each set up a weakref finalizer and their parent's
    record of its children when made, and run them when closed (together about 0.1 s over the
    21 real plans' 1,561 pages); the reader closes its text page, then its page, itself, so that
    bookkeeping buys nothing here."""

    __slots__ = ("_as_parameter_", "raw")

    def __init__(self, raw: Any) -> None:  # noqa: ANN401 - a ctypes FPDF_PAGE
        self.raw = self._as_parameter_ = raw

    def get_width(self) -> float:
        import pypdfium2.raw as pdfium_c

        width: float = pdfium_c.FPDF_GetPageWidthF(self.raw)
        return width

    def get_height(self) -> float:
        import pypdfium2.raw as pdfium_c

        height: float = pdfium_c.FPDF_GetPageHeightF(self.raw)
        return height

    def get_textpage(self) -> _TextPage:
        """The page's text page, as ``PdfPage.get_textpage`` loads it (the caller closes it before the page)."""
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        raw = pdfium_c.FPDFText_LoadPage(self.raw)
        if not raw:
            raise pdfium.PdfiumError("Failed to load text page.")
        return _TextPage(raw)

    def close(self) -> None:
        import pypdfium2.raw as pdfium_c

        pdfium_c.FPDF_ClosePage(self.raw)


class _TextPage:
    """A text page held as PDFium's bare handle; its text is read by pypdfium2's own methods
    (they call PDFium with ``self``), so it is what a PdfTextPage gives."""

    __slots__ = ("_as_parameter_", "raw")

    def __init__(self, raw: Any) -> None:  # noqa: ANN401 - a ctypes FPDF_TEXTPAGE
        self.raw = self._as_parameter_ = raw

    def count_chars(self) -> int:
        from pypdfium2 import PdfTextPage

        count: int = PdfTextPage.count_chars(self)  # type: ignore[arg-type]
        return count

    def get_text_range(self) -> str:
        from pypdfium2 import PdfTextPage

        text: str = PdfTextPage.get_text_range(self)  # type: ignore[arg-type]
        return text

    def _get_active_text_range(self, *args: int) -> Any:  # noqa: ANN401 - asked by get_text_range
        from pypdfium2 import PdfTextPage

        return PdfTextPage._get_active_text_range(self, *args)  # type: ignore[arg-type]

    def get_text_bounded(self, *, left: float, bottom: float, right: float, top: float) -> str:
        from pypdfium2 import PdfTextPage

        text: str = PdfTextPage.get_text_bounded(self, left=left, bottom=bottom, right=right, top=top)  # type: ignore[arg-type]
        return text

    def close(self) -> None:
        import pypdfium2.raw as pdfium_c

        pdfium_c.FPDFText_ClosePage(self.raw)


_SKIPPED_ANNOTS = (2, 16)  # FPDF_ANNOT_LINK, FPDF_ANNOT_POPUP (its text is its parent's)
MAX_ANNOTS = 2000  # read per page: a page with more is generated, not commented by a person


def _annot_string(annot, key: bytes) -> str:  # noqa: ANN001 - pdfium annotation handle
    import ctypes

    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)  # bytes, UTF-16LE with its terminator
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def _annotation_directives(page, number: int) -> list[Directive]:  # noqa: ANN001 - pdfium page
    """``assure: ignore`` directives in a page's annotations (a sticky note, or the note of a
    highlight; assure/inline.py), named by author and page. Annotations are never page text."""
    import pypdfium2.raw as pdfium_c

    found: list[Directive] = []
    try:
        for k in range(min(pdfium_c.FPDFPage_GetAnnotCount(page.raw), MAX_ANNOTS)):
            annot = pdfium_c.FPDFPage_GetAnnot(page.raw, k)
            if not annot:
                continue
            try:
                if pdfium_c.FPDFAnnot_GetSubtype(annot) in _SKIPPED_ANNOTS:
                    continue
                text = normalise(_annot_string(annot, b"Contents"))
                if KEYWORD.search(text):
                    author = " ".join(normalise(_annot_string(annot, b"T")).split())
                    found.extend(parse(text, f"PDF note{f' by {author}' if author else ''} on page {number}"))
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
    except Exception:  # noqa: BLE001 - a broken annotation must not lose the page's text
        pass
    return found


def _may_hold_table(lines: list[Line], width: float) -> bool:
    """Whether looking for a ruled table is worth a pass over the page's drawing: a line of
    cells apart, or mostly short lines (cells wrapping). A page of prose is skipped; this
    keeps 97% of the ruled tables of the real and mining corpora at 45% of the pages' cost."""
    placed = [ln for ln in lines if ln.size > 0 and ln.text.strip()]
    if any(ln.cells for ln in placed):
        return True
    short = sum(1 for ln in placed if ln.x1 - ln.x0 < 0.3 * width)
    return short >= 6 and short >= 0.4 * len(placed)


def _page_lines(i: int, page, textpage, text: str, tables: _TableReader) -> PageLines:  # noqa: ANN001 - pdfium objects
    """One page's lines, normalised, with the tables found on it."""
    width, height = page.get_width(), page.get_height()
    try:
        lines = read_lines(textpage, text, height)
    except Exception:  # noqa: BLE001 - geometry is a refinement; never lose the text
        lines = [Line(ln.rstrip(), soft=ln.endswith(" ")) for ln in text.split("\r\n")]
    for ln in lines:  # (the pattern and the replacement are skipped where they would change nothing: most lines)
        line_text = ln.text
        if line_text.isascii() and "\r" not in line_text and "\n" not in line_text and "(cid:" not in line_text:
            continue  # normalise leaves such a line as it is
        line_text = normalise(_CID.sub("", line_text) if "(cid:" in line_text else line_text)
        ln.text = line_text.replace("\n", " ") if "\n" in line_text else line_text
    boxes: list[tuple[float, float, float, float]] = []
    rules: list[tuple[float, float, float, float]] = []
    paths: list[PagePath] | None = None  # read once; on trouble each reader below meets it on its own
    try:
        paths = page_paths(page)
    except Exception:  # noqa: BLE001 - a refinement; never lose the text
        pass
    try:
        bullets, boxes, underlines = page_shapes(page, paths)
        rules = [u for u in underlines if u[2] - u[0] >= 0.5 * width]
        mark_bullets(lines, bullets)
        mark_underlines(lines, underlines, height)
    except Exception:  # noqa: BLE001 - a refinement; never lose the text
        pass
    found = tables.boxes(i, page) if any(map(is_table_header, [ln.text for ln in lines])) else []
    if not found and _may_hold_table(lines, width):
        try:
            found = ruled_tables(page, textpage, paths)
        except Exception:  # noqa: BLE001 - tables are a refinement; never lose the text
            found = []
    if found:
        try:
            found = header_tables(textpage, text, lines, height, found)
        except Exception:  # noqa: BLE001 - a refinement; never lose the text
            pass
    try:
        found += [t for t in label_tables(textpage, text, lines, width, height)
                  if not any(t[0][1] < box[3] and box[1] < t[0][3] for box, _ in found)]
    except Exception:  # noqa: BLE001 - a refinement; never lose the text
        pass
    return PageLines(i + 1, width, height, lines, found, boxes, rules=rules)


def _plumber_text(path: Path, password: str | None, max_pages: int | None,
                  deadline: float | None = None) -> tuple[list[str], bool]:
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd files would break "one line per error"

    try:
        pdf = pdfplumber.open(str(path), password=password or "")
    except PDFPasswordIncorrect:
        raise ExtractionError("PDF is encrypted; pass --password" if password is None else "wrong password for encrypted PDF", path=str(path), code="encrypted") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds
        raise ExtractionError(f"not a readable PDF ({type(exc).__name__})", path=str(path), code="corrupt") from None
    with pdf:
        try:
            n = len(pdf.pages)  # pdfminer walks the page tree lazily, here
        except RecursionError:
            raise ExtractionError("not a readable PDF (page tree nested too deeply or cyclic)", path=str(path), code="corrupt") from None
        except Exception as exc:  # noqa: BLE001
            raise ExtractionError(f"not a readable PDF ({type(exc).__name__})", path=str(path), code="corrupt") from None
        if max_pages is not None and n > max_pages:
            raise ExtractionError(f"PDF has {n} pages, over the limit of {max_pages} (--max-pages)", path=str(path), code="too_large")
        texts = []
        for i, page in enumerate(pdf.pages):
            _check_time(path, deadline, i, n)
            try:
                texts.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001
                texts.append("")
            finally:
                page.close()
        return texts, bool(getattr(pdf.doc, "encryption", None)) or bool(password)


def _split_lines(text: str, engine: str) -> list[tuple[str, bool]]:
    """Lines with a flag saying whether each ends a paragraph-level (hard) break."""
    raw_lines = text.replace("\r\n", "\n").split("\n")
    if engine == "pypdfium2":
        return [(ln.rstrip(), not ln.endswith(" ")) for ln in raw_lines]
    lengths = [len(ln) for ln in raw_lines if ln.strip()]
    median = statistics.median(lengths) if lengths else 0
    return [(ln, ln.rstrip().endswith((".", "!", "?", ":")) or len(ln) < 0.6 * median) for ln in raw_lines]


COVER_MAX_WORDS = 80


def _is_cover(texts: list[str]) -> bool:
    """A first page with few words, in a document of several pages, is a title page."""
    return len(texts) >= 3 and len(texts[0].split()) <= COVER_MAX_WORDS


def extract_pdf(path: Path, *, engine: str = "pypdfium2", password: str | None = None, max_pages: int | None = None,
                max_seconds: float | None = None, ocr: str = "never") -> Document:
    """Text per page; pages without usable text are kept as unreadable, never dropped silently.

    With PDFium the page is read by layout (assure.extract.layout): lines with their
    geometry and fonts become paragraphs, headings with levels, list items, table rows, and
    marked non-prose. When PDFium cannot open a damaged file at all, pdfminer (through
    pdfplumber), which repairs differently, gets a second try before the file is reported
    unreadable; its text is read line by line, without layout.
    """
    if engine not in ENGINES:
        raise ExtractionError(f"unknown PDF engine {engine!r} (choose {', '.join(ENGINES)})", path=str(path), code="usage")
    deadline = time.monotonic() + max_seconds if max_seconds else None
    page_lines: list[PageLines] = []
    notes: list[Directive] = []  # inline suppressions in annotations (PDFium only)
    if engine == "pypdfium2":
        try:
            texts, encrypted = _pdfium_text(path, password, max_pages, deadline, page_lines, notes)
        except ExtractionError as exc:
            if exc.code != "corrupt":
                raise
            try:
                texts, encrypted = _plumber_text(path, password, max_pages, deadline)
                notes = []
            except ExtractionError as second:
                if second.code in ("timeout", "too_large"):
                    raise
                raise exc from None
            engine = "pdfplumber"
    else:
        texts, encrypted = _plumber_text(path, password, max_pages, deadline)
    quality = tuple(
        PageQuality(page=i + 1, chars=len(t.strip()), replacement_chars=t.count("\ufffd"), cid_glyphs=len(_CID.findall(t)))
        for i, t in enumerate(texts)
    )
    if ocr != "never" and (ocr == "always" or not all(q.readable for q in quality)):
        from assure.extract.ocr import read_unreadable_pages

        texts, quality = read_unreadable_pages(path, texts, quality, mode=ocr, password=password, deadline=deadline)
    ocr_pages = {q.page for q in quality if q.ocr_confidence is not None}
    cover = _is_cover(texts)
    # A page read by OCR has no text layer to measure: among measured pages its lines are read without
    # geometry; a document read wholly by OCR is read line by line (the layout reader with no geometry
    # at all takes table headers for headings), as pdfminer's text is.
    measured = any(q.readable and q.page not in ocr_pages for q in quality)
    if engine == "pypdfium2" and measured:
        for page in page_lines:
            if page.number in ocr_pages:
                text = normalise(texts[page.number - 1])
                page.lines = [Line(line, soft=not hard) for line, hard in _split_lines(text, engine)]
                page.tables, page.ocr = [], True
        readable = [p for p in page_lines if quality[p.number - 1].readable]
        blocks, furniture = build_blocks(readable, _running_heads(page_lines), cover)
        return Document(
            path=str(path), format="pdf", blocks=tuple(_mark_ocr(blocks, ocr_pages)), pages=len(texts), quality=quality,
            encrypted=encrypted, removed_running_lines=len(furniture), furniture=tuple(furniture), directives=capped(notes),
        )
    document = _read_by_line(path, texts, quality, encrypted=encrypted, engine=engine, cover=cover, ocr_pages=ocr_pages)
    return replace(document, directives=capped(notes)) if notes else document


def _running_heads(page_lines: list[PageLines]) -> set[str]:
    """Running heads and feet: lines repeated at the edges of half the pages, or set small in the
    top or bottom margin on a third of them (a source line printed over one part of a profile)."""
    running = running_lines([edge_lines(p) for p in page_lines], edge=None)
    return running | running_lines([margin_lines(p) for p in page_lines], edge=None, share=3)


def _read_by_line(path: Path, texts: list[str], quality: tuple[PageQuality, ...], *, encrypted: bool, engine: str,
                  cover: bool, ocr_pages: set[int]) -> Document:
    """A document from page texts alone (pdfminer's text, or pages read by OCR): lines, without layout."""
    pages = [_split_lines(normalise(_CID.sub("", t)), engine) for t in texts]
    running = running_lines([[ln for ln, _ in lines] for lines in pages])
    builder = BlockBuilder()
    removed = 0
    for page_no, lines in enumerate(pages, start=1):
        if not quality[page_no - 1].readable:
            continue
        kept = []
        for item in lines:
            if is_running(item[0], running):
                removed += 1
            else:
                kept.append(item)
        page_lines_to_blocks(builder, page_no, kept, place=Place.COVER if page_no == 1 and cover else None)
    return Document(
        path=str(path), format="pdf", blocks=tuple(_mark_ocr(builder.blocks, ocr_pages)), pages=len(texts),
        quality=quality, encrypted=encrypted, removed_running_lines=removed,
    )


def _mark_ocr(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
    """Blocks read by OCR say so, so their evidence is flagged as OCR text."""
    return [replace(b, ocr=True) if b.page in ocr_pages else b for b in blocks] if ocr_pages else blocks
