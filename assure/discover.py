"""Expand files and folders into a sorted, de-duplicated list of documents.

Folders are searched recursively. What is searched can be narrowed with include and
exclude globs and with ``.assureignore`` files (gitignore syntax, read in every folder
searched, patterns relative to the folder that holds the file). Files with the same
bytes are checked once: the first in order is kept and the others are reported as
duplicates, so an audit of a library with copies does not count a plan twice.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from assure.errors import ConfigError
from assure.extract import READERS, readers_help
from assure.models import DocumentResult, Report

SUPPORTED = tuple(ext for reader in READERS.values() for ext in reader.extensions)  # (".pdf", ".docx", ...)
# Word 97-2003 and RTF are read through LibreOffice when it is installed, else they are error
# entries naming the fix, so an audit never silently leaves a council's older plans out
IGNORE_FILE = ".assureignore"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Duplicate:
    """A file skipped because an earlier file has the same content."""

    path: str
    same_as: str


@dataclass(frozen=True)
class Discovery:
    """What to check, in order, with each file's content hash (None if unreadable)."""

    files: tuple[str, ...]
    hashes: dict[str, str | None] = field(default_factory=dict)
    duplicates: tuple[Duplicate, ...] = ()
    problems: tuple[str, ...] = ()
    unlisted: tuple[tuple[str, str], ...] = ()  # (folder, reason) for folders the walk could not list
    reports: tuple[str, ...] = ()  # assure's own reports found in a searched folder: left out
    annotated: tuple[str, ...] = ()  # annotated copies (assure annotate) found in a searched folder: left out
    links: tuple[str, ...] = ()  # links to folders inside a searched folder: not followed (as git and ruff do)
    unhashed: tuple[str, ...] = ()  # files not hashed within the time allowed: checked, but not deduplicated or cached


_REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
_MATRIX_HEADER = "| document | format | pages | status | score |"
# a line under a text report's first ("plan.pdf (pdf, 40 pages)")
_TEXT_REPORT_LINES = ("  overall score ", "  not applicable: ")
# one line of -f github: "::error file=plan.pdf,title=Q4 ...::..."
_ANNOTATION_LINE = re.compile(r"^::(?:notice|warning|error) file=")
# one line of -f concise: "plan.pdf:12: Q4 partial RULE message", "plan.pdf: error CODE ...", "x.md: not-applicable ..."
_CONCISE_LINE = re.compile(r"^.+?:(?:\d+:)? (?:Q\S+ (?:met|partial|gap|not-applicable)\b|error [a-z_]+ |not-applicable )")


def _empty(path: str) -> bool:
    """An empty file (a concise report with nothing to say): nothing to lose by writing it again."""
    try:
        return os.stat(path).st_size == 0
    except OSError:
        return False


_ANNOTATED = (".annotated.pdf", ".annotated.docx")


def is_annotated_copy(path: str) -> bool:
    """Whether a file is named as assure annotate names its copies (``plan.annotated.pdf``): in a
    searched folder it is the plan again, with notes, and would be counted twice in an audit."""
    return path.lower().endswith(_ANNOTATED)


# the first line of a machine report: CSV (-f csv, the matrix), JSON Lines, JUnit XML, SARIF
_MACHINE_HEADS = (
    "path,format,document_status,",
    "document,format,pages,status,score",
    '{"schema_version":',
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="assure"',
)


def is_assure_report(path: str, *, any_kind: bool = False) -> bool:
    """Whether a file in a searched folder is a report assure wrote (Markdown, HTML or text), which
    would otherwise be scored as a plan on its own advice text ("Add: ..."). Read from its start.
    ``any_kind``: whatever its name, also a machine report (CSV, JSON Lines, JUnit, SARIF), for a
    file given where a document is expected."""
    if not any_kind and not path.lower().endswith(_REPORT_SUFFIXES):
        return False
    from assure.safeio import open_regular

    try:
        fd, _ = open_regular(path)  # never blocks: a FIFO named report.md has no writer
    except (OSError, ValueError):
        return False
    try:
        head = os.read(fd, 4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    finally:
        os.close(fd)
    lines = head.lstrip("\ufeff").splitlines()
    if any_kind and (head.startswith(_MACHINE_HEADS) or ('"name": "assure"' in head and '"$schema"' in head)):
        return True  # the SARIF tool name is in its first 4 kB
    if lines and lines[0].strip() == "## assure report":
        return True
    if "<title>assure report</title>" in head or "<title>assure audit</title>" in head:  # report, heatmap
        return True
    if lines and lines[0].startswith(_MATRIX_HEADER):
        return True
    if lines and lines[0].startswith("== ") and lines[0].endswith("]") and len(lines) > 1 and lines[1].startswith(("-- ", "   ")):
        return True  # --explain
    if lines and (_CONCISE_LINE.match(lines[0]) or _ANNOTATION_LINE.match(lines[0])):
        return True
    if lines and lines[0].strip() == "## assure diff":
        return True
    if len(lines) >= 2 and lines[0].startswith("old: ") and lines[1].startswith("new: ") and lines[0].endswith(")"):
        return True  # a text diff
    # a text report: "plan.pdf (pdf, 40 pages)", then notes ("  unreadable pages: ...") before its score,
    # or a document that was not applicable
    return bool(lines) and lines[0].endswith(")") and any(ln.startswith(_TEXT_REPORT_LINES) for ln in lines[1:8])


class HashTimeout(Exception):
    """Hashing a file took longer than the time allowed (``--timeout``)."""


def content_hash(path: str | os.PathLike[str], max_bytes: int | None = None, seconds: float | None = None) -> str | None:
    """SHA-256 of a regular file's bytes; None when it cannot be read, is not a regular
    file (a FIFO would block), or is over ``max_bytes`` (checked before reading: a sparse
    multi-gigabyte file must not be hashed for minutes before the size cap refuses it).
    Extraction then reports why. Raises HashTimeout after ``seconds``: with ``--max-size 0``
    a sparse 20 GB file took over a minute to hash, before ``--timeout`` had started."""
    from assure.safeio import open_regular

    h = hashlib.sha256()
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        fd, st = open_regular(path)
    except OSError:
        return None
    try:
        if max_bytes is not None and st.st_size > max_bytes:
            return None
        left = max_bytes + 1 if max_bytes is not None else None
        while left is None or left > 0:
            chunk = os.read(fd, _CHUNK if left is None else min(_CHUNK, left))
            if not chunk:
                break
            h.update(chunk)
            if left is not None:
                left -= len(chunk)
            if deadline is not None and time.monotonic() > deadline:
                raise HashTimeout(f"{path}: not hashed within {seconds:g} s")
        if left is not None and left <= 0:  # grew past the cap while hashed
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    return h.hexdigest()


def _spec(patterns: list[str] | tuple[str, ...], origin: str) -> Any:  # a pathspec.PathSpec
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except Exception as exc:  # noqa: BLE001 - pathspec raises several types for bad patterns
        raise ConfigError(f"invalid pattern: {exc}", path=origin) from None


def _read_ignore(folder: str) -> Any:  # a pathspec.PathSpec or None
    from assure.safeio import read_user_text

    path = os.path.join(folder, IGNORE_FILE)
    if not os.path.exists(path):  # none here (or a dangling link): nothing to ignore
        return None
    return _spec(read_user_text(path, "ignore file").splitlines(), path)


def _walk(
    root: str,
    include: Any,
    exclude: Any,
    use_ignore: bool,
    unlisted: list[tuple[str, str]] | None = None,
    links: list[str] | None = None,
) -> list[str]:  # include/exclude: pathspec specs or None
    """Supported files under ``root`` that pass the globs and ignore files, sorted; folders
    that cannot be listed are added to ``unlisted``, and links to folders (not followed: a
    link can lead out of the tree or round in a loop) to ``links``, never skipped silently."""
    found: list[tuple[tuple[str, ...], str]] = []
    # (folder, its ignore spec) for every folder from root down to the current one
    ignores: dict[str, list[tuple[str, object]]] = {}

    def walk_error(exc: OSError) -> None:
        if unlisted is not None:
            unlisted.append((exc.filename or root, f"cannot list folder ({exc.strerror or type(exc).__name__})"))

    for folder, dirs, names in os.walk(root, onerror=walk_error):
        parent = ignores.get(os.path.dirname(folder), []) if folder != root else []
        chain = list(parent)
        if use_ignore:
            spec = _read_ignore(folder)
            if spec is not None:
                chain.append((folder, spec))
        ignores[folder] = chain

        def ignored(path: str, is_dir: bool, chain: list[tuple[str, object]] = chain) -> bool:
            for base, spec in chain:
                rel = os.path.relpath(path, base).replace(os.sep, "/")
                if spec.match_file(rel + ("/" if is_dir else "")):  # type: ignore[attr-defined]
                    return True
            return False

        kept_dirs = []
        for d in sorted(dirs):
            full = os.path.join(folder, d)
            rel = os.path.relpath(full, root).replace(os.sep, "/") + "/"
            if d.startswith(".") or ignored(full, True) or (exclude is not None and exclude.match_file(rel)):
                continue
            if os.path.islink(full):
                if links is not None:
                    links.append(full)
                continue
            kept_dirs.append(d)
        dirs[:] = kept_dirs
        for name in names:
            if not name.lower().endswith(SUPPORTED) or name.startswith((".", "~$")):
                continue
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if include is not None and not include.match_file(rel):
                continue
            if exclude is not None and exclude.match_file(rel):
                continue
            if ignored(full, False):
                continue
            found.append((tuple(rel.split("/")), full))
    return [full for _, full in sorted(found)]


def _dedupe(
    candidates: list[str], dedupe: bool, max_bytes: int | None, hash_seconds: float | None = None
) -> tuple[list[str], dict[str, str | None], list[Duplicate], list[str]]:
    """Each file once, by path and (with ``dedupe``) by content: a file with the same bytes as
    one before it, under the same extension, is a duplicate of it. ``candidates`` are spelt as the readers and the report
    spell them ("./a.pdf" and "a.pdf" are one name), so a duplicate names the file it repeats.
    A file not hashed within ``hash_seconds`` is kept, without a hash, and named in the last list."""
    unhashed: list[str] = []
    files: list[str] = []
    hashes: dict[str, str | None] = {}
    duplicates: list[Duplicate] = []
    seen_paths: set[str] = set()
    by_hash: dict[tuple[str, str], str] = {}  # (content, extension): the extension picks the reader
    for c in candidates:
        key = os.path.normpath(os.path.abspath(c))
        if key in seen_paths:
            continue
        seen_paths.add(key)
        try:
            digest = content_hash(c, max_bytes, hash_seconds)
        except HashTimeout:
            digest = None
            unhashed.append(c)
        if dedupe and digest is not None:
            # (the same bytes named .pdf and .docx are read by two readers, and fail in their own words)
            same = (digest, PurePath(c).suffix.lower())
            if same in by_hash:
                duplicates.append(Duplicate(path=c, same_as=by_hash[same]))
                continue
            by_hash[same] = c
        files.append(c)
        hashes[c] = digest
    return files, hashes, duplicates, unhashed


def discover_documents(
    paths: list[str],
    *,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    use_ignore_files: bool = True,
    dedupe: bool = True,
    max_bytes: int | None = None,
    outputs: Sequence[str] = (),
    hash_seconds: float | None = None,
) -> Discovery:
    """Files named directly are kept in the order given (even with odd extensions, so the
    reader can say what they are, and regardless of the globs); folders are searched
    recursively in sorted order. Globs match paths relative to the folder searched, with
    gitignore semantics (``*.pdf`` anywhere, ``archive/`` a folder, ``/top.pdf`` anchored).
    Files over ``max_bytes`` (extraction refuses them) or not hashed in ``hash_seconds`` (``unhashed``) have no hash;
    folders that cannot be listed are returned in ``unlisted``. A file in a searched folder that is one of this
    run's ``outputs`` (``-o report.md`` inside the folder checked) and is a report assure wrote
    is the report of an earlier run, not a document: it is left out, so the run can write it
    again. An output naming any other file of the folder (a plan) leaves it an input, and the
    output is then refused: a report must never replace a document."""
    # Long: one pass walks, filters, sets aside assure's own reports and dedupes; each step needs the last's lists
    written = {os.path.realpath(o) for o in outputs}
    inc = _spec(include, "--include") if include else None
    exc = _spec(exclude, "--exclude") if exclude else None
    candidates: list[str] = []
    problems: list[str] = []
    unlisted: list[tuple[str, str]] = []
    reports: list[str] = []
    annotated: list[str] = []
    links: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            before = len(unlisted)
            found = list(_walk(raw, inc, exc, use_ignore_files, unlisted, links))
            # this run's own earlier report is left out quietly, and another report assure wrote
            # with a note; any other file an output names stays an input, so the output is refused
            own = {f for f in found if os.path.realpath(f) in written and (is_assure_report(f) or _empty(f))}
            reports.extend(f for f in found if f not in own and is_assure_report(f))
            annotated.extend(f for f in found if is_annotated_copy(f))
            found = [f for f in found if f not in own and f not in reports and f not in annotated]
            if not found and len(unlisted) == before:
                # (name the filters: a folder of PDFs under --include '*.txt' has documents, none let through)
                given = (("--include", include), ("--exclude", exclude))
                filters = ", ".join(f"{flag} {' '.join(globs)}" for flag, globs in given if globs)
                where = f" matching {filters}" if filters else ""
                problems.append(f"{raw}: no documents found{where} (assure reads {readers_help()})")
            candidates.extend(found)
        else:
            candidates.append(raw)
    files, hashes, duplicates, unhashed = _dedupe([str(PurePath(c)) for c in candidates], dedupe, max_bytes, hash_seconds)
    return Discovery(
        unhashed=tuple(unhashed),
        files=tuple(files),
        hashes=hashes,
        duplicates=tuple(duplicates),
        problems=tuple(problems),
        unlisted=tuple(unlisted),
        reports=tuple(str(PurePath(r)) for r in reports),
        annotated=tuple(str(PurePath(a)) for a in annotated),
        links=tuple(str(PurePath(link)) for link in links),
    )


def discover(paths: list[str]) -> tuple[list[str], list[str]]:
    """Back-compatible wrapper: (files, problems), duplicates by path only."""
    d = discover_documents(paths, dedupe=False)
    return list(d.files), list(d.problems)


def with_duplicates(report: Report, duplicates: Sequence[Duplicate]) -> Report:
    """The report with an entry for each duplicate, right after the file it repeats.

    Why: a copy skipped by discovery must still appear in machine output (JSON, matrix, CI
    annotations), so an audit's rows match its files; it repeats the original's result,
    marked ``duplicate_of``, rather than being checked twice."""
    if not duplicates:
        return report
    copies: dict[str, list[Duplicate]] = {}
    for dup in duplicates:
        copies.setdefault(dup.same_as, []).append(dup)
    documents: list[DocumentResult] = []
    for doc in report.documents:
        documents.append(doc)
        documents.extend(replace(doc, path=dup.path, duplicate_of=dup.same_as) for dup in copies.get(doc.path, ()))
    return replace(report, documents=tuple(documents))
