"""Turn a file into a :class:`~assure.models.Document`, choosing the reader from its bytes.

The extension is only a hint: a PDF saved as .docx, a Git LFS pointer saved as .pdf or a
legacy Word file renamed .docx are told apart by their first bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from assure.errors import ExtractionError
from assure.models import Document

FORMATS = ("pdf", "docx", "txt", "md")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ExtractOptions:
    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int | None = 5000


def sniff(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes; raises ExtractionError when unsupported."""
    if not head:
        raise ExtractionError("empty file (0 bytes)", path=str(path), code="empty")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ExtractionError("legacy Word .doc (or other OLE) file is not supported; save it as DOCX or PDF", path=str(path), code="unsupported_format")
    if head.startswith(b"version https://git-lfs"):
        raise ExtractionError("Git LFS pointer, not the document itself; run 'git lfs pull'", path=str(path), code="unsupported_format")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError("RTF is not supported; save it as DOCX or PDF", path=str(path), code="unsupported_format")
    sample = head[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("unknown binary format (not PDF, DOCX, text or Markdown)", path=str(path), code="unsupported_format")
    ext = path.suffix.lower()
    if ext in (".pdf", ".docx"):
        raise ExtractionError(f"file is named {ext} but is not a {ext[1:].upper()} (its bytes are text)", path=str(path), code="unsupported_format")
    return "md" if ext in (".md", ".markdown") else "txt"


def extract(path: str | os.PathLike[str], options: ExtractOptions | None = None) -> Document:
    """Read any supported file; every failure is an ExtractionError naming the file."""
    options = options or ExtractOptions()
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ExtractionError("not a regular file", path=str(p), code="not_found")
        if size > options.max_bytes:
            raise ExtractionError(f"file is {size // (1024 * 1024)} MB, over the {options.max_bytes // (1024 * 1024)} MB cap (--max-size)", path=str(p), code="too_large")
        with p.open("rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError:
        raise ExtractionError("no such file", path=str(p), code="not_found") from None
    except PermissionError:
        raise ExtractionError("permission denied", path=str(p), code="permission") from None
    except IsADirectoryError:
        raise ExtractionError("is a directory", path=str(p), code="not_found") from None
    fmt = sniff(p, head)
    if fmt == "pdf":
        from assure.extract.pdf import extract_pdf

        return extract_pdf(p, engine=options.pdf_engine, password=options.password, max_pages=options.max_pages)
    if fmt == "docx":
        from assure.extract.docx import extract_docx

        return extract_docx(p)
    from assure.extract.text import extract_text

    return extract_text(p, p.read_bytes(), fmt)
