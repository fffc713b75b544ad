"""Annotated copies: the review written into the document itself.

Plan authors work in Word or read PDFs, so the findings go where they already review:
Word comments on each evidence sentence of a DOCX, highlight annotations with popup notes
on a PDF, and one summary note with the verdicts and every gap's advice. The input is
never written to; the copy is written atomically.

One module per input format, found through :data:`ANNOTATORS`; each has
``annotate(source, result, output) -> AnnotationResult``. Adding a format touches only
its own module and one line here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from assure.annotate.notes import AnnotationResult, Placement
from assure.errors import AssureError, ExtractionError
from assure.models import DocStatus, DocumentResult, Report

__all__ = [
    "ANNOTATORS",
    "AnnotateError",
    "AnnotationResult",
    "Placement",
    "annotate",
    "annotate_report",
    "batch_outputs",
    "default_output",
    "preflight",
]

ANNOTATORS: dict[str, str] = {  # input format -> module with annotate()
    "docx": "assure.annotate.docx",
    "pdf": "assure.annotate.pdf",
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class AnnotateError(AssureError):
    """The annotated copy cannot be made (unsupported format, output would overwrite an input)."""

    code = "annotate"


def supported(fmt: str | None) -> bool:
    return fmt in ANNOTATORS


ANNOTATED_SUFFIXES = frozenset({".pdf", ".docx"})  # what annotated copies are made of (and in)
OTHER_SUFFIXES = frozenset({".doc", ".odt", ".rtf", ".html", ".htm", ".md", ".txt", ".json", ".xml", ".csv", ".sarif"})


def default_output(source: str | os.PathLike[str]) -> Path:
    """``plan.pdf`` -> ``plan.annotated.pdf`` beside it."""
    p = Path(source)
    return p.with_name(f"{p.stem}.annotated{p.suffix}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def preflight(source: str | os.PathLike[str], output: str | os.PathLike[str]) -> None:
    """Refuse before any work: an output that is the input, or a password-protected DOCX
    (an encrypted Office package, which the reader would otherwise call a legacy .doc)."""
    src, out = Path(source), Path(output)
    if _same_file(src, out) or src.resolve() == out.resolve():
        raise AnnotateError("the annotated copy would overwrite the input; choose another -o", path=str(out))
    if out.is_dir():
        raise AnnotateError("is a folder; give a file name for the annotated copy", path=str(out))
    made, named = src.suffix.lower(), out.suffix.lower()
    if made in ANNOTATED_SUFFIXES and named in ANNOTATED_SUFFIXES | OTHER_SUFFIXES and named != made:
        # the copy is the source's own format: a PDF named .docx opens in nothing
        raise AnnotateError(
            f"the annotated copy of a {made[1:].upper()} is a {made[1:].upper()}; name it {out.stem}{made}", path=str(out)
        )
    from assure.safeio import NotRegularFile, open_regular, read_fd

    try:
        fd, _ = open_regular(src)  # never blocks: a FIFO with no writer used to hang annotate
    except NotRegularFile as exc:
        raise AnnotateError(f"is {exc.kind}, not a regular file; annotate needs a PDF or DOCX file", path=str(src)) from None
    except OSError:
        return  # the check reports a missing or unreadable file in its own words
    try:
        head = read_fd(fd, 1 << 16)
    finally:
        os.close(fd)
    if head.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in _ole_names(src):
        raise ExtractionError(
            "password-protected DOCX; remove the password in Word (File > Info > Protect Document) and run again",
            path=str(src),
            code="encrypted",
        )


def _ole_names(path: Path) -> bytes:
    """The OLE directory's bytes are small and sit anywhere in the file; read it all (capped)."""
    with path.open("rb") as fh:
        return fh.read(32 * 1024 * 1024)


def annotate(source: str | os.PathLike[str], result: DocumentResult, output: str | os.PathLike[str]) -> AnnotationResult:
    """Write an annotated copy of ``source`` to ``output`` from its check result."""
    preflight(source, output)
    if result.status is DocStatus.ERROR:
        code = (result.error or {}).get("code", "error")
        message = (result.error or {}).get("message", "could not be checked")
        if code == "encrypted":  # annotate has no --password: a copy of a protected file would drop its protection
            message = "password-protected PDF; annotated copies are made of unprotected files only"
        raise ExtractionError(message, path=str(source), code=code)
    if not supported(result.format):
        raise AnnotateError(
            f"annotated copies are made of PDF and DOCX files only (this is {result.format or 'unknown'})", path=str(source)
        )
    module = importlib.import_module(ANNOTATORS[result.format])  # type: ignore[index]
    annotated: AnnotationResult = module.annotate(Path(source), result, Path(output))
    return annotated


def batch_outputs(paths: Iterable[str], folder: str | os.PathLike[str], protect: Iterable[str] = ()) -> dict[str, Path]:
    """One output name per input in ``folder``: ``NAME.annotated.EXT``, numbered when two inputs
    share a name, and never the path of any input (nor of a file in ``protect``)."""
    paths = list(paths)
    inputs = {Path(p).resolve() for p in [*paths, *protect]}
    taken: set[Path] = set()
    out: dict[str, Path] = {}
    for p in paths:
        src = Path(p)
        n = 1
        while True:
            stem = src.stem if n == 1 else f"{src.stem}-{n}"
            candidate = Path(folder) / f"{stem}.annotated{src.suffix}"
            if candidate.resolve() not in inputs and candidate.resolve() not in taken:
                break
            n += 1
        taken.add(candidate.resolve())
        out[p] = candidate
    return out


def annotate_report(
    report: Report, folder: str | os.PathLike[str], protect: Iterable[str] = (), sources: Mapping[str, str] | None = None
) -> list[tuple[DocumentResult, AnnotationResult | AssureError | None]]:
    """An annotated copy of every checked PDF and DOCX of a batch in ``folder``.

    Each document gets its result, the error that stopped its copy, or None when it was not
    annotated (an error entry, already reported, or a text or Markdown file). ``sources`` maps
    a report name to the file that was read under it (standard input's temporary copy: a file
    of that name on disk is another document)."""
    sources = sources or {}
    names = batch_outputs([d.path for d in report.documents], folder, protect)
    done: list[tuple[DocumentResult, AnnotationResult | AssureError | None]] = []
    for document in report.documents:
        if document.status is DocStatus.ERROR or not supported(document.format):
            done.append((document, None))
            continue
        try:
            done.append((document, annotate(sources.get(document.path, document.path), document, names[document.path])))
        except AssureError as exc:
            done.append((document, exc))
        except OSError as exc:
            done.append((document, AnnotateError(f"cannot write ({exc.strerror or exc})", path=str(names[document.path]))))
    return done
