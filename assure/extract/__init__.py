"""Turn a file into a :class:`~assure.models.Document`, choosing the reader from its bytes.

The extension is only a hint: a PDF saved as .docx, a Git LFS pointer saved as .pdf or a
legacy Word file renamed .docx are told apart by their first bytes.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assure.errors import ExtractionError
from assure.interrupts import reraise_interrupt
from assure.models import Document

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_PAGES = 5000
DEFAULT_MAX_SECONDS = 600.0
DEFAULT_MAX_UNZIPPED = 256 * 1024 * 1024


@dataclass(frozen=True)
class ExtractOptions:
    """Reader choice and the limits that keep hostile or huge files from stalling a run.

    ``max_bytes`` caps the file on disk (``--max-size``), ``max_pages`` a PDF's page count
    (``--max-pages``), ``max_unzipped`` what a DOCX or ODT may expand to, and ``max_seconds`` the
    time spent reading, checked between pages (a batch also kills a worker past --timeout).
    ``ocr`` says which PDF pages are read by OCR (``--ocr``).
    """

    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int | None = DEFAULT_MAX_PAGES
    max_seconds: float | None = DEFAULT_MAX_SECONDS
    max_unzipped: int = DEFAULT_MAX_UNZIPPED
    ocr: str = "auto"  # auto: pages without a text layer, when Tesseract is installed; always; never


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def sniff(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes; raises ExtractionError when unsupported."""
    if not head:
        raise ExtractionError("empty file (0 bytes)", path=str(path), code="empty")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        from assure.extract.odt import is_opendocument

        return "odt" if is_opendocument(path, head) else "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        from assure.extract.legacy import ole_kind

        if ole_kind(path) == "doc":
            return "doc"
        raise ExtractionError("legacy Office (OLE) file that is not a Word document (Excel, Outlook, ...); save it as DOCX or PDF",
                              path=str(path), code="unsupported_format")
    if head.startswith(b"version https://git-lfs"):
        raise ExtractionError("Git LFS pointer, not the document itself; run 'git lfs pull'", path=str(path), code="unsupported_format")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    sample = head[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        known = ", ".join(r.help.split(" (")[0] for r in READERS.values())
        raise ExtractionError(f"unknown binary format (assure reads {known})", path=str(path), code="unsupported_format")
    from assure.extract.html import is_html

    if is_html(path, head):
        return "html"
    ext = path.suffix.lower()
    if ext in (".pdf", ".docx", ".odt", ".doc"):
        raise ExtractionError(f"file is named {ext} but is not a {ext[1:].upper()} (its bytes are text)", path=str(path), code="unsupported_format")
    return "md" if ext in (".md", ".markdown") else "txt"


def extract(path: str | os.PathLike[str], options: ExtractOptions | None = None) -> Document:
    """Read any supported file; every failure is an ExtractionError naming the file."""
    options = options or ExtractOptions()
    p = Path(path)
    try:
        from assure.safeio import NotRegularFile, open_regular, read_fd

        try:  # without blocking: a FIFO swapped in after discovery must not hang the worker
            fd, st = open_regular(p)
        except NotRegularFile as exc:
            raise ExtractionError(f"not a regular file: {exc.kind}", path=str(p), code="not_a_file") from None
        try:
            size = st.st_size
            if size > options.max_bytes:
                raise ExtractionError(f"file is {_size(size)}, over the {_size(options.max_bytes)} cap (--max-size)", path=str(p), code="too_large")
            head = read_fd(fd, 8192)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ExtractionError("no such file", path=str(p), code="not_found") from None
    except PermissionError:
        raise ExtractionError("permission denied", path=str(p), code="permission") from None
    except IsADirectoryError:
        raise ExtractionError("is a directory", path=str(p), code="not_a_file") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read ({exc.strerror or exc})", path=str(p), code="unreadable") from None
    fmt = sniff(p, head)
    try:
        return _read(p, fmt, options)
    except ExtractionError:
        raise
    except MemoryError:
        raise ExtractionError("ran out of memory while reading the document", path=str(p), code="memory") from None
    except RecursionError:
        raise ExtractionError("document structure is nested too deeply", path=str(p), code="corrupt") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read ({exc.strerror or exc})", path=str(p), code="unreadable") from None
    except Exception as exc:  # noqa: BLE001 - a reader library's bug on one odd file must not become a traceback
        reraise_interrupt(exc)  # Ctrl-C seen through C code is an interrupt, not a damaged file
        first = (str(exc).splitlines() or [""])[0][:160]
        raise ExtractionError(f"could not be read ({type(exc).__name__}: {first})", path=str(p), code="corrupt") from None


def preload_readers(paths: Iterable[str | os.PathLike[str]], *, tables: bool | None = None) -> None:
    """Import the reader libraries these files will need (judged by extension).

    Why: a batch forks its worker processes after this; imported once here, the libraries
    are shared by every worker instead of each importing its own copy (about 0.1 s of CPU
    per process for the PDF readers)."""
    suffixes = [Path(p).suffix.lower() for p in paths]
    if ".pdf" in suffixes:
        # pdfplumber (tables) is needed only on pages with a table header: with one PDF (a one-file
        # check) it is left to be imported if that page comes; ``tables`` decides explicitly
        if tables if tables is not None else suffixes.count(".pdf") > 1:
            import pdfplumber  # noqa: F401 - reads tables, and is the fallback engine
        import pypdfium2  # noqa: F401

        import assure.extract.pdf
    if set(suffixes) & {".docx", ".odt", ".ods", ".doc", ".rtf"}:
        import assure.extract.docx  # noqa: F401
    if set(suffixes) & {".html", ".htm"}:
        import trafilatura  # noqa: F401 - about 0.3 s to import

        import assure.extract.html  # noqa: F401


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Automatic garbage collection off while one PDF is read, and back on after it (if it was on).

    Why: the PDF reader makes tens of objects a printed line (lines, items, blocks, their texts and
    tuples) that live until the document is built and form no cycles, so the collector's passes over
    them while reading free nothing: over the 21 real plans they took 0.12-0.15 s of CPU (about 270
    young and 24 middle collections, two full), and 0.035-0.04 s with this pause (the collections the
    next allocations make, once, after it). Only when unreachable cycles are freed changes; what is
    read never does. A collector already off (start-up's pause, assure.gcpause, or the caller's) is
    left off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read_pdf(p: Path, options: ExtractOptions) -> Document:
    from assure.extract.pdf import extract_pdf
    from assure.extract.readability import mark_substituted_pages

    with _collector_paused():
        document = extract_pdf(
            p,
            engine=options.pdf_engine,
            password=options.password,
            max_pages=options.max_pages,
            max_seconds=options.max_seconds,
            ocr=options.ocr,
        )
        return mark_substituted_pages(document)


def _read_docx(p: Path, options: ExtractOptions) -> Document:
    from assure.extract.docx import extract_docx

    return extract_docx(p, max_uncompressed=options.max_unzipped)


def _read_odt(p: Path, options: ExtractOptions) -> Document:
    from assure.extract.odt import extract_odt

    return extract_odt(p, max_uncompressed=options.max_unzipped)


def _read_html(p: Path, options: ExtractOptions) -> Document:
    from assure.extract.html import extract_html

    return extract_html(p, p.read_bytes())


def _read_legacy(p: Path, options: ExtractOptions, fmt: str) -> Document:
    from assure.extract.legacy import extract_legacy

    return extract_legacy(p, fmt, max_seconds=options.max_seconds, max_uncompressed=options.max_unzipped)


def _read_text(p: Path, options: ExtractOptions, fmt: str = "txt") -> Document:
    from assure.extract.text import extract_text

    return extract_text(p, p.read_bytes(), fmt)


@dataclass(frozen=True)
class Reader:
    """An input reader: ``sniff`` names the format from a file's bytes, ``read`` turns it into a Document."""

    name: str
    extensions: tuple[str, ...]
    help: str
    read: Callable[[Path, ExtractOptions], Document]


READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        Reader("pdf", (".pdf",), "PDF", _read_pdf),
        Reader("docx", (".docx",), "DOCX", _read_docx),
        Reader("odt", (".odt", ".ods"), "OpenDocument", _read_odt),
        Reader("html", (".html", ".htm"), "HTML", _read_html),
        Reader("doc", (".doc",), "Word 97-2003 (through LibreOffice)", lambda p, options: _read_legacy(p, options, "doc")),
        Reader("rtf", (".rtf",), "RTF (through LibreOffice)", lambda p, options: _read_legacy(p, options, "rtf")),
        Reader("txt", (".txt",), "text", _read_text),
        Reader("md", (".md", ".markdown"), "Markdown", lambda p, options: _read_text(p, options, "md")),
    )
}

def _read(p: Path, fmt: str, options: ExtractOptions) -> Document:
    return READERS[fmt].read(p, options)


FORMATS = tuple(READERS)  # the formats assure reads


def readers_help() -> str:
    """"PDF, DOCX, text or Markdown", from the registry, for the CLI help."""
    names = [r.help for r in READERS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)
