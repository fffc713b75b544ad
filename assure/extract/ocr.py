"""OCR for PDF pages without a usable text layer: PDFium renders the page, Tesseract reads it.

Tesseract is the Debian package (``apt-get install tesseract-ocr tesseract-ocr-eng``),
driven through pytesseract (``pip install 'assure-housing-health[ocr]'``). The PDF reader calls
:func:`ocr_pages` once, with the pages that need it; each page comes back as lines in the
PDFium convention (a soft-wrapped line ends with a space) and its mean word confidence,
so the rest of the PDF pipeline treats it like any other page. A page whose OCR is too
unsure, or too empty, stays unreadable and its questions unassessable, never a gap.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from assure.errors import ExtractionError
from assure.models import PageQuality

OCR_MODES = ("auto", "always", "never")
OCR_DPI = 200  # enough for body text at 10 pt; more costs time without changing verdicts
MAX_PIXELS = 40_000_000  # a poster-sized page is rendered smaller rather than filling memory
PAGE_SECONDS = 120.0  # one page's Tesseract run; the document's own time limit also applies
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng; pip install 'assure-housing-health[ocr]'"


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: lines joined by newlines, and Tesseract's mean word confidence."""

    text: str
    confidence: float


@lru_cache(maxsize=1)
def missing() -> str | None:
    """Why OCR cannot run here, or None when Tesseract and pytesseract are both present."""
    if (os.environ.get("ASSURE_TESSERACT") == "") or shutil.which(os.environ.get("ASSURE_TESSERACT") or "tesseract") is None:
        return "Tesseract is not installed"
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return "pytesseract is not installed"
    return None


def wanted(mode: str, needs_ocr: bool) -> bool:
    """Whether a page is read by OCR: ``always`` every page, ``auto`` pages without a usable text layer."""
    return mode == "always" or (mode == "auto" and needs_ocr)


def _lines(data: dict[str, list[Any]]) -> str:
    """Tesseract's words grouped into lines and paragraphs, in the PDFium line convention."""
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i])
        paragraphs.setdefault(key, {}).setdefault(data["line_num"][i], []).append(word)
    out: list[str] = []
    for lines in paragraphs.values():
        texts = [" ".join(words) for _, words in sorted(lines.items())]
        out.extend(t + " " for t in texts[:-1])
        out.append(texts[-1])
    return "\n".join(out)


def _confidence(data: dict[str, list[Any]]) -> float:
    """Mean confidence of the recognised words, weighted by their length (0 when none)."""
    total = weight = 0.0
    for word, conf in zip(data["text"], data["conf"], strict=False):
        word = (word or "").strip()
        try:
            value = float(conf)
        except (TypeError, ValueError):
            continue
        if word and value >= 0:
            total += value * len(word)
            weight += len(word)
    return round(total / weight, 1) if weight else 0.0


def ocr_pages(path: Path, indices: list[int], *, password: str | None = None, deadline: float | None = None,
              dpi: int = OCR_DPI) -> dict[int, OcrPage]:
    """Read the given 0-based pages by OCR; a page that cannot be rendered or read is left out."""
    reason = missing()
    if reason is not None:
        raise ExtractionError(f"OCR is not available ({reason}; {INSTALL_HINT})", path=str(path), code="usage")
    if not indices:
        return {}
    import pypdfium2 as pdfium
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's threads fight the batch's worker processes
    command = os.environ.get("ASSURE_TESSERACT")
    if command:
        pytesseract.pytesseract.tesseract_cmd = command
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError:
        doc = pdfium.PdfDocument(str(path), password="")  # the empty user password, as the text reader tries
    out: dict[int, OcrPage] = {}
    try:
        for n, index in enumerate(indices):
            limit = PAGE_SECONDS
            if deadline is not None:
                limit = min(limit, deadline - time.monotonic())
                if limit <= 0:
                    raise ExtractionError(f"reading took longer than the time limit (OCR of page {index + 1}, "
                                          f"{n} of {len(indices)} pages done)", path=str(path), code="timeout")
            try:
                page = doc[index]
            except Exception:  # noqa: BLE001 - a page PDFium cannot load stays unreadable
                continue
            try:
                width, height = page.get_size()
                scale = min(dpi / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
                image = page.render(scale=scale, grayscale=True).to_pil()
            except Exception:  # noqa: BLE001 - a page PDFium cannot draw stays unreadable
                continue
            finally:
                page.close()
            try:
                data = pytesseract.image_to_data(image, lang="eng", config=f"--psm 3 --dpi {round(scale * 72)}",
                                                 output_type=pytesseract.Output.DICT, timeout=max(limit, 1.0))
            except RuntimeError as exc:
                if "timeout" in str(exc).lower():
                    raise ExtractionError(f"OCR of page {index + 1} took longer than {limit:.0f} s", path=str(path), code="timeout") from None
                continue
            except pytesseract.TesseractError:
                continue
            finally:
                image.close()
            out[index] = OcrPage(text=_lines(data), confidence=_confidence(data))
    finally:
        doc.close()
    return out


def read_unreadable_pages(path: Path, texts: list[str], quality: tuple[PageQuality, ...], *, mode: str,
                          password: str | None = None, deadline: float | None = None) -> tuple[list[str], tuple[PageQuality, ...]]:
    """The PDF reader's one OCR hook: the pages ``mode`` selects are read by OCR and their
    text and quality replaced; without Tesseract, ``auto`` notes why on each such page and
    ``always`` is an error naming the fix."""
    targets = [i for i, q in enumerate(quality) if wanted(mode, not q.readable)]
    reason = missing()
    if reason is not None:
        if mode == "always":
            raise ExtractionError(f"--ocr always: {reason} ({INSTALL_HINT})", path=str(path), code="usage")
        return texts, tuple(replace(q, ocr_missing=reason) if i in targets else q for i, q in enumerate(quality))
    pages = ocr_pages(path, targets, password=password, deadline=deadline)
    texts, new = list(texts), list(quality)
    for i, page in pages.items():
        texts[i] = page.text
        new[i] = PageQuality(page=i + 1, chars=len(page.text.strip()), replacement_chars=page.text.count("\ufffd"), cid_glyphs=0,
                             ocr_confidence=page.confidence)
    return texts, tuple(new)
