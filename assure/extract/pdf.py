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

from assure.errors import ExtractionError
from assure.extract.clean import (
    BlockBuilder,
    TableRows,
    is_running,
    is_table_header,
    normalise,
    page_lines_to_blocks,
    running_lines,
)
from assure.models import Document, PageQuality, Place

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
Layout = list["str | TableRows"]
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

    def layout(self, index: int, page, textpage) -> Layout | None:  # noqa: ANN001 - pdfium objects
        if self.failed:
            return None
        try:
            if self.pdf is None:
                import logging

                import pdfplumber

                logging.getLogger("pdfminer").setLevel(logging.ERROR)
                self.pdf = pdfplumber.open(str(self.path), password=self.password or "")
            ppage = self.pdf.pages[index]
            try:
                if ppage.rotation or abs(float(ppage.height) - page.get_height()) > 1:
                    return None  # coordinates would not line up with PDFium's
                tables = sorted(((t.bbox, t.extract()) for t in ppage.find_tables()), key=lambda t: t[0][1])
            finally:
                ppage.close()
        except Exception:  # noqa: BLE001 - any trouble: keep PDFium's flat text for this file
            self.failed = True
            return None
        if not tables:
            return None
        width, height = page.get_width(), page.get_height()
        out: Layout = []
        done_to = 0.0  # distance from the top of the page already read
        for (x0, top, x1, bottom), rows in tables:
            if top < done_to:
                continue  # overlapping tables: keep the first
            if top > done_to:
                out.append(textpage.get_text_bounded(0, height - top, width, height - done_to))
            cells = tuple(tuple(" ".join((c or "").split()) for c in row) for row in rows)
            out.append(TableRows(tuple(r for r in cells if any(r))))
            for left, right in ((0.0, x0), (x1, width)):
                if right - left > MIN_SIDE_STRIP:
                    side = textpage.get_text_bounded(left, height - bottom, right, height - top)
                    if side.strip():
                        out.append(side)
            done_to = bottom
        if done_to < height:
            out.append(textpage.get_text_bounded(0, 0, width, height - done_to))
        return out

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _line_emphasis(textpage, text: str) -> list[bool | None]:  # noqa: ANN001 - pdfium text page
    """For each line of ``text``, whether it starts in a larger or bolder font than the page's
    body text: headings stand out that way, so a regular-weight line is never taken for one.
    None where the font cannot be read."""
    import pypdfium2.raw as pdfium_c

    count = len(text)
    step = max(7, count // EMPHASIS_SAMPLE)
    sample = [pdfium_c.FPDFText_GetFontSize(textpage.raw, i) for i in range(0, count, step) if not text[i].isspace()]
    body = statistics.median(sample) if sample else 0.0
    out: list[bool | None] = []
    offset = 0
    for line in text.split("\r\n"):
        start = offset + len(line) - len(line.lstrip())
        offset += len(line) + 2
        if body <= 0 or start >= count or not line.strip():
            out.append(None)
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, start)
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, start)
        out.append(size >= 1.12 * body or weight >= 600)
    if not any(out):
        return [None] * len(out)  # a page set in one style says nothing about its headings
    return out


def _pdfium_text(path: Path, password: str | None, max_pages: int | None,
                 deadline: float | None = None, layouts: dict[int, Layout] | None = None,
                 emphasis: dict[int, list[bool | None]] | None = None) -> tuple[list[str], bool]:
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
                page = doc[i]
            except Exception:  # a page PDFium cannot load (broken or cyclic page tree) is unreadable  # noqa: BLE001
                texts.append("")
                continue
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    texts.append(text)
                    if emphasis is not None and "\r\n" in text and len(text) == textpage.count_chars():
                        try:
                            emphasis[i] = _line_emphasis(textpage, text)
                        except Exception:  # noqa: BLE001 - fonts are a refinement; never lose the text
                            pass
                    if layouts is not None and any(is_table_header(ln) for ln in text.splitlines()):
                        layout = tables.layout(i, page, textpage)
                        if layout:
                            layouts[i] = layout
                finally:
                    textpage.close()
            except Exception:  # one broken page must not lose the others  # noqa: BLE001
                texts.append("")
            finally:
                page.close()
        return texts, encrypted
    finally:
        tables.close()
        doc.close()


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


def _layout_lines(layout: Layout, page_lines: list[tuple[str, bool]]) -> list[tuple[str, bool] | TableRows]:
    """Lines of a page read around its tables. Bounded reads carry no soft-wrap spaces, so
    a line ends a paragraph when it ends a sentence or is well short of a full line."""
    full_line = max((len(ln) for ln, _ in page_lines), default=0)
    out: list[tuple[str, bool] | TableRows] = []
    for part in layout:
        if isinstance(part, TableRows):
            out.append(part)
            continue
        for ln in normalise(_CID.sub("", part)).split("\n"):
            ln = ln.rstrip()
            out.append((ln, ln.endswith((".", "!", "?", ":")) or len(ln) < 0.6 * full_line))
    return out


COVER_MAX_WORDS = 80


def _is_cover(texts: list[str]) -> bool:
    """A first page with few words, in a document of several pages, is a title page."""
    return len(texts) >= 3 and len(texts[0].split()) <= COVER_MAX_WORDS


def extract_pdf(path: Path, *, engine: str = "pypdfium2", password: str | None = None, max_pages: int | None = None,
                max_seconds: float | None = None, ocr: str = "never") -> Document:
    """Text per page; pages without usable text are kept as unreadable, never dropped silently.

    When PDFium cannot open a damaged file at all, pdfminer (through pdfplumber), which
    repairs differently, gets a second try before the file is reported unreadable.
    """
    # Long: the engine fallback, OCR of unreadable pages and the page loop share the per-page
    # layouts and styles; the layout-aware reader (issue 10) splits this into its own steps.
    if engine not in ENGINES:
        raise ExtractionError(f"unknown PDF engine {engine!r} (choose {', '.join(ENGINES)})", path=str(path), code="usage")
    deadline = time.monotonic() + max_seconds if max_seconds else None
    layouts: dict[int, Layout] = {}
    emphasis: dict[int, list[bool | None]] = {}
    if engine == "pypdfium2":
        try:
            texts, encrypted = _pdfium_text(path, password, max_pages, deadline, layouts, emphasis)
        except ExtractionError as exc:
            if exc.code != "corrupt":
                raise
            try:
                texts, encrypted = _plumber_text(path, password, max_pages, deadline)
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
        layouts = {i: v for i, v in layouts.items() if quality[i].ocr_confidence is None}  # drawn from the text layer OCR replaced
        emphasis = {i: v for i, v in emphasis.items() if quality[i].ocr_confidence is None}
    pages = [_split_lines(normalise(_CID.sub("", t)), engine) for t in texts]
    running = running_lines([[ln for ln, _ in lines] for lines in pages])
    builder = BlockBuilder()
    removed = 0
    for page_no, lines in enumerate(pages, start=1):
        if not quality[page_no - 1].readable:
            continue
        layout = layouts.get(page_no - 1)
        styles = emphasis.get(page_no - 1)
        if layout is not None:
            lines = _layout_lines(layout, lines)
        elif styles is not None and len(styles) == len(lines):
            lines = [(ln, hard, style) for (ln, hard), style in zip(lines, styles, strict=True)]
        kept = []
        for item in lines:
            if not isinstance(item, TableRows) and is_running(item[0], running):
                removed += 1
            else:
                kept.append(item)
        page_lines_to_blocks(builder, page_no, kept, place=Place.COVER if page_no == 1 and _is_cover(texts) else None)
    ocr_pages = {q.page for q in quality if q.ocr_confidence is not None}
    blocks = [replace(b, ocr=True) if b.page in ocr_pages else b for b in builder.blocks] if ocr_pages else builder.blocks
    return Document(
        path=str(path), format="pdf", blocks=tuple(blocks), pages=len(texts),
        quality=quality, encrypted=encrypted, removed_running_lines=removed,
    )
