"""Legacy Word (.doc) and RTF, converted to DOCX by LibreOffice and read by the DOCX reader.

LibreOffice runs headless in a private temporary folder with its own throw-away profile
(so it neither touches nor waits on the user's), on a copy of the file under a plain name,
with a time limit and an address-space limit; its whole process group is killed when the
time is up. Without LibreOffice, the file is one clear error naming the fix.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from assure.errors import ExtractionError
from assure.models import Document

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
CONVERT_SECONDS = 120.0
CONVERT_MEMORY = 4 * 1024 * 1024 * 1024  # address space for soffice (it maps far more than it uses)
INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) or save it as DOCX or PDF"


def soffice() -> str | None:
    """The LibreOffice binary, if installed (``$ASSURE_SOFFICE`` overrides the search)."""
    override = os.environ.get("ASSURE_SOFFICE")
    if override is not None:
        return shutil.which(override) if override else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def ole_kind(path: Path) -> str:
    """'doc' for an OLE file holding a Word document stream, else 'ole' (Excel, Outlook, ...).

    The stream's name sits in the OLE directory, which may be anywhere in the file, so the
    file is scanned in chunks (bounded by the size cap already applied)."""
    overlap = len(_WORD_STREAM)
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if _WORD_STREAM in tail + chunk:
                return "doc"
            tail = chunk[-overlap:]
    return "ole"


def convert_to_docx(path: Path, fmt: str, out_dir: Path, *, max_seconds: float | None = None) -> Path:
    """Convert with LibreOffice into ``out_dir``; raises ExtractionError naming the fix or the failure."""
    binary = soffice()
    label = "legacy Word .doc" if fmt == "doc" else "RTF"
    if binary is None:
        raise ExtractionError(f"{label} needs LibreOffice to be read: {INSTALL_HINT}", path=str(path), code="unsupported_format")
    source = out_dir / f"input.{fmt}"
    shutil.copyfile(path, source)
    profile = out_dir / "profile"
    limit = min(CONVERT_SECONDS, max_seconds) if max_seconds else CONVERT_SECONDS
    command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source)]
    if os.name == "posix" and os.path.exists("/bin/sh"):  # the limit set by the shell: preexec_fn is unsafe with threads (Dask)
        command = ["/bin/sh", "-c", f'ulimit -v {CONVERT_MEMORY // 1024} 2>/dev/null; exec "$@"', "soffice", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAL_", "OOO_"))}
    env["HOME"] = str(out_dir)  # nothing is written to the user's home
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=out_dir,
                            env=env, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ExtractionError(f"LibreOffice took longer than {limit:.0f} s to convert the {label} file", path=str(path),
                              code="timeout") from None
    finally:
        if proc.poll() is None:
            _kill_group(proc)
    result = out_dir / "input.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        said = " ".join(line for line in output.decode("utf-8", "replace").splitlines()
                        if line.strip() and "javaldx" not in line)[:160]
        raise ExtractionError(f"LibreOffice could not convert the {label} file (exit {proc.returncode}{': ' + said if said else ''})",
                              path=str(path), code="corrupt")
    return result


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    proc.wait()


def extract_legacy(path: Path, fmt: str, *, max_seconds: float | None = None, max_uncompressed: int | None = None) -> Document:
    """A .doc or .rtf file read as the DOCX LibreOffice makes of it; cited by heading, like DOCX."""
    from assure.extract.docx import MAX_UNCOMPRESSED, extract_docx

    with tempfile.TemporaryDirectory(prefix="assure-convert-") as tmp:
        converted = convert_to_docx(path, fmt, Path(tmp), max_seconds=max_seconds)
        try:
            document = extract_docx(converted, max_uncompressed=max_uncompressed or MAX_UNCOMPRESSED)
        except ExtractionError as exc:
            raise ExtractionError(exc.message, path=str(path), code=exc.code) from None
    return replace(document, path=str(path), format=fmt)
