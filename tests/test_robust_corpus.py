"""Every awkward file in ../shared/corpus/robust gets a result or one clear error line.

About 300 files from the test suites of PDF and DOCX libraries: encrypted (empty and real
passwords), no text layer, rotated pages, broken cross-reference tables, junk before the
header, a zero-byte file, a Git LFS pointer saved as .pdf, legacy .doc, DOCX with no body,
400- and 619-page PDFs, non-Latin scripts. Each file is its own test item so pytest-xdist
spreads them over the cores (about 25 s on 2 cores). Skipped when the corpus is absent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assure.extract import ExtractOptions
from assure.models import DocStatus
from assure.runner import CheckOptions, check_file

ROBUST = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "robust"
FILES = sorted(p.name for p in ROBUST.iterdir() if p.is_file()) if ROBUST.is_dir() else []
PER_FILE_SECONDS = 60  # the 619-page PDF takes about 4 s; anything near this is a hang
ERROR_CODES = {"encrypted", "unsupported_format", "empty", "corrupt", "too_large", "hostile", "timeout", "no_text"}

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not FILES, reason=f"robust corpus not found at {ROBUST} (needs ../shared next to the repo)"),
]



# OCR of the corpus's scans would take minutes; it is tested on the samples (tests/test_new_formats.py)
NO_OCR = CheckOptions(extract=ExtractOptions(ocr="never"))


class _Hang(Exception):
    pass


def _alarm(_signum, _frame):  # noqa: ANN001, ANN202
    raise _Hang


def _check(name: str, ruleset, options: CheckOptions | None = None):  # noqa: ANN001, ANN202
    """check_file with a wall-clock alarm: a Python-level hang fails the test instead of stalling it."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_FILE_SECONDS)
    start = time.monotonic()
    try:
        result = check_file(str(ROBUST / name), ruleset, options or NO_OCR)
    except _Hang:
        pytest.fail(f"{name}: no result within {PER_FILE_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return result, time.monotonic() - start


@pytest.mark.parametrize("name", FILES)
def test_result_or_one_line_error(name: str, ruleset, capfd) -> None:  # noqa: ANN001
    result, elapsed = _check(name, ruleset)
    out, err = capfd.readouterr()
    assert not out and "Traceback" not in err, f"{name}: the engine and extractors must never print"
    assert elapsed < PER_FILE_SECONDS
    if result.status is DocStatus.ERROR:
        code, message = result.error["code"], result.error["message"]
        assert code in ERROR_CODES, f"{name}: unexpected error code {code!r}: {message}"
        assert message and "\n" not in message and len(message) < 300 and "Traceback" not in message
        return
    assert result.status in (DocStatus.OK, DocStatus.NOT_APPLICABLE)
    if result.status is DocStatus.OK:
        assert len(result.questions) == 10
    # no usable text at all is a no_text error entry (above), never a gap
    assert not (result.pages and len(result.unreadable_pages) == result.pages), name


def _named(fragment: str) -> str:
    matches = [n for n in FILES if fragment in n]
    if not matches:
        pytest.skip(f"{fragment} not in the corpus")
    return matches[0]


@pytest.mark.parametrize("fragment, code, words", [
    ("pdfplumber__tests--pdfs--empty.pdf", "empty", "0 bytes"),
    ("who_report.pdf", "unsupported_format", "Git LFS pointer"),
    ("encryption--aes-256-r6.pdf", "encrypted", "--password"),
    ("pdfplumber__tests--pdfs--password-example.pdf", "encrypted", "--password"),
])
def test_known_awkward_files_get_the_right_error(fragment: str, code: str, words: str, ruleset) -> None:  # noqa: ANN001
    result, _ = _check(_named(fragment), ruleset)
    assert result.status is DocStatus.ERROR and result.error["code"] == code and words in result.error["message"]


@pytest.mark.parametrize("fragment, password", [
    ("encryption--aes-128.pdf", "foo"),
    ("encryption--rc4-40.pdf", "foo"),
    ("pdfplumber__tests--pdfs--password-example.pdf", "test"),
    ("libreoffice-writer-password.pdf", "openpassword"),
])
def test_password_opens_encrypted_pdfs(fragment: str, password: str, ruleset) -> None:  # noqa: ANN001
    name = _named(fragment)
    result, _ = _check(name, ruleset, CheckOptions(extract=ExtractOptions(password=password, ocr="never")))
    # opened: these samples have no text layer, so the most they can be is a no_text entry
    assert result.error is None or result.error["code"] == "no_text", result.error
    wrong, _ = _check(name, ruleset, CheckOptions(extract=ExtractOptions(password="not-the-password", ocr="never")))
    assert wrong.error == {"code": "encrypted", "message": "wrong password for encrypted PDF"}


def test_docx_in_disguise_and_office365_main_part(ruleset) -> None:  # noqa: ANN001
    """A DOCX saved as .doc is read by its bytes; an Office 365 DOCX names its main part document2.xml."""
    for fragment in ("eng_spa_mult.doc", "test_document_from_office365.docx"):
        result, _ = _check(_named(fragment), ruleset)
        assert result.status is not DocStatus.ERROR, result.error
        assert result.format == "docx"


def test_scanned_pdf_is_a_no_text_error_with_pages_listed(ruleset) -> None:  # noqa: ANN001
    """No readable text on any page: an error entry (so every format and the exit code say the
    same), which keeps the page count and the list of unreadable pages."""
    from assure.models import Report
    from assure.runner import exit_code

    result, _ = _check(_named("PostOfficeHorizon-IT-Inquiry-Response.pdf"), ruleset)
    assert result.status is DocStatus.ERROR and result.error["code"] == "no_text" and result.pages == 16
    assert "no readable text on any page (no text layer; a scan? OCR was off (--ocr never))" in result.error["message"]
    assert [p for p, _ in result.unreadable_pages] == list(range(1, 17))
    assert exit_code(Report(documents=(result,), tool_version="test"), "never") == 2


def test_cli_prints_one_line_per_unreadable_file() -> None:
    """End to end through the CLI (batch workers): exit 2, one 'assure: PATH: cause' line per bad file."""
    bad = [_named(f) for f in ("pdfplumber__tests--pdfs--empty.pdf", "who_report.pdf", "example-docs--fake.doc",
                               "encryption--aes-128.pdf")]
    good = _named("PostOfficeHorizon-IT-Inquiry-Response.pdf")
    paths = [str(ROBUST / n) for n in bad + [good]]
    env = {**os.environ, "NO_COLOR": "1", "ASSURE_SOFFICE": ""}  # as if LibreOffice were absent: the .doc is an error line
    proc = subprocess.run([sys.executable, "-m", "assure", "check", "-f", "json", "--jobs", "1", "--ocr", "never", *paths],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    # the scan is an error entry too (no_text), with its own line
    assert len(lines) == len(bad) + 1, proc.stderr
    for name, line in zip(sorted(bad + [good]), sorted(lines), strict=False):
        assert line.startswith("assure: ") and name in line
    assert "no readable text on any page" in next(ln for ln in lines if good in ln)
    docs = json.loads(proc.stdout)["documents"]
    assert len(docs) == len(paths)
    assert sum(d["status"] == "error" for d in docs) == len(bad) + 1


def test_cli_is_quiet_on_files_that_make_pdfminer_warn() -> None:
    """pdfminer logs warnings on odd files; the CLI must still print nothing but its own lines."""
    paths = [str(ROBUST / _named(f)) for f in ("issue-1059-cmap-decode.pdf", "unreadablemetadata.pdf")]
    proc = subprocess.run([sys.executable, "-m", "assure", "check", "--jobs", "1", "--pdf-engine", "pdfplumber",
                           "--fail-on", "never", *paths], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    # one has no text layer at all, so it gets assure's own line (exit 2); nothing from pdfminer
    # (where Tesseract is not installed, also assure's one note naming how to install it)
    lines = [ln for ln in proc.stderr.splitlines() if not ln.startswith("assure: note: ") or "Tesseract" not in ln]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert all(ln.startswith("assure: ") for ln in proc.stderr.splitlines()), proc.stderr
    assert lines[0].startswith("assure: ") and "issue-1059" in lines[0] and "no readable text on any page" in lines[0]


LEGACY_DOCS = [n for n in FILES if n.lower().endswith(".doc")]


@pytest.mark.parametrize("name", LEGACY_DOCS)
def test_legacy_doc_is_read_through_libreoffice_or_names_the_fix(name: str, ruleset, monkeypatch) -> None:  # noqa: ANN001
    """Where LibreOffice is installed every .doc gets verdicts (or not_applicable); without it,
    one error line that names the fix."""
    from assure.extract.legacy import soffice

    if soffice() is not None:
        result, _ = _check(name, ruleset)
        assert result.status in (DocStatus.OK, DocStatus.NOT_APPLICABLE), result.error
        assert result.format in ("doc", "docx")
    monkeypatch.setenv("ASSURE_SOFFICE", "")
    result, _ = _check(name, ruleset)
    if result.format == "docx" or (result.status is not DocStatus.ERROR and result.format != "doc"):
        return  # a DOCX saved as .doc needs no LibreOffice
    assert result.status is DocStatus.ERROR and result.error["code"] == "unsupported_format"
    assert "needs LibreOffice" in result.error["message"] and "apt-get install libreoffice-writer-nogui" in result.error["message"]
