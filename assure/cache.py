"""A result cache for batch audits (opt-in with ``--cache DIR``).

Re-running an audit after one plan was edited should only re-read that plan. A result is
stored under a key made of the file's content hash, the ruleset fingerprint (every rules
and question file), the assure version, the shape of the result classes and the options
that change a result (PDF engine, password, page and size caps, pre-screen, selected
questions). Change any of them and the old entries are simply never looked up again.

Entries are JSON (never pickle: a cache folder may be shared, and loading it must not run
code), written atomically, one file per result. An entry is read only if it is a regular
file under a size cap (a FIFO or a link to /dev/zero is never opened for long), and used
only if every field has its declared type; a corrupt, truncated, foreign or poisoned
entry is ignored and replaced. The content hash in the key is the worker's, of the bytes
it read (see batch.py): a file rewritten during a run is never cached under the old key.
Error entries are not cached: a timeout or a missing file may not happen next time.
The path is not part of the key, so a renamed or copied plan is a hit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from assure import __version__
from assure.models import Directive, DocStatus, DocumentResult, Evidence, Part, QuestionResult, Status

CACHE_FORMAT = 2  # 2: results carry the inline suppressions read from the document


def _shape() -> str:
    """Field names of the result classes: a code change that alters them invalidates entries."""
    classes = (DocumentResult, QuestionResult, Evidence, Part, Directive)
    parts = [",".join(f.name for f in dataclasses.fields(cls)) for cls in classes]
    return "|".join(parts)


def _ocr_state(mode: str) -> str:
    """The OCR mode and, unless OCR is off, whether Tesseract is here: a scan's result depends on both."""
    if mode == "never":
        return mode
    from assure.extract.ocr import missing

    return f"{mode}:{'off' if missing() else 'on'}"


def cache_key(content_hash: str, ruleset: Any, options: Any, suffix: str = "") -> str:
    """The key for one document's result; ``options`` is a runner.CheckOptions; ``suffix`` the file's
    extension, which picks its reader (the same bytes named .pdf and .docx are two results)."""
    ex = options.extract
    password = hashlib.sha256(ex.password.encode()).hexdigest() if ex.password else ""
    parts = {
        "format": CACHE_FORMAT,
        "content": content_hash,
        "suffix": suffix.lower(),
        "rules": ruleset.fingerprint,
        "questions": [q.id for q in ruleset.questions],
        "version": __version__,
        "shape": _shape(),
        "extract": {
            "pdf_engine": ex.pdf_engine,
            "password": password,
            "max_bytes": ex.max_bytes,
            "max_pages": ex.max_pages,
            "ocr": _ocr_state(ex.ocr),
        },
        "screen": options.screen,
        "directive_ids": sorted(options.directive_ids) if options.directive_ids is not None else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _evidence(d: dict[str, Any]) -> Evidence:
    d = dict(d)
    d["signals"] = tuple(d.get("signals", ()))
    d["parts"] = tuple(Part(**p) for p in d.get("parts", ()))
    return Evidence(**d)


def _question(d: dict[str, Any]) -> QuestionResult:
    d = dict(d)
    d["status"] = Status(d["status"])
    d["evidence"] = tuple(_evidence(e) for e in d["evidence"])
    d["candidates"] = tuple(_evidence(e) for e in d["candidates"])
    return QuestionResult(**d)


def _directive(d: dict[str, Any]) -> Directive:
    d = dict(d)
    d["ids"] = tuple(d["ids"])
    d["applied"] = tuple(d.get("applied", ()))
    return Directive(**d)


def result_to_dict(result: DocumentResult) -> dict[str, Any]:
    """Everything in a result, including --explain candidates, as JSON-safe values."""
    return dataclasses.asdict(result)


def result_from_dict(d: dict[str, Any]) -> DocumentResult:
    """Inverse of :func:`result_to_dict`; raises on anything malformed."""
    d = dict(d)
    d["status"] = DocStatus(d["status"])
    d["questions"] = tuple(_question(q) for q in d["questions"])
    d["unreadable_pages"] = tuple((int(p), str(r)) for p, r in d["unreadable_pages"])
    d["ocr_pages"] = tuple((int(p), float(c)) for p, c in d.get("ocr_pages", ()))
    d["directives"] = tuple(_directive(x) for x in d.get("directives", ()))
    if d.get("health_sentences") is not None:
        found, needed = d["health_sentences"]
        d["health_sentences"] = (int(found), int(needed))
    return DocumentResult(**d)


class ResultCache:
    """Results on disk under ``directory``, sharded by the first two hex digits of the key."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self.ignored = 0  # corrupt or unreadable entries
        self.write_error: str | None = None  # why the last write failed (a read-only folder, a full disk)

    def _path(self, key: str) -> Path:
        return self.directory / f"v{CACHE_FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str, path: str) -> DocumentResult | None:
        """The stored result with ``path`` put back, or None (miss or unusable entry)."""
        from assure.safeio import MAX_CACHE_ENTRY_BYTES, read_user_bytes
        from assure.typecheck import dataclass_conforms

        file = self._path(key)
        if not file.exists() and not file.is_symlink():
            self.misses += 1
            return None
        try:
            raw = read_user_bytes(file, "cache entry", MAX_CACHE_ENTRY_BYTES)
            data = json.loads(raw.decode("utf-8"))
            if data.get("key") != key:
                raise ValueError("key mismatch")
            result = result_from_dict(data["result"])
            if not dataclass_conforms(result):
                raise ValueError("wrong types")
        except Exception:  # noqa: BLE001 - any damage means "not cached"
            self.ignored += 1
            self.misses += 1
            return None
        self.hits += 1
        return dataclasses.replace(result, path=path)

    def put(self, key: str, result: DocumentResult) -> bool:
        """Store a result atomically; errors are never stored. False if the write failed."""
        if result.status is DocStatus.ERROR:
            return False
        from assure.fsutil import write_atomic
        from assure.names import json_safe

        payload = {"key": key, "assure": __version__, "result": result_to_dict(result)}
        try:
            write_atomic(self._path(key), json_safe(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))
        except OSError as exc:
            self.write_error = exc.strerror or type(exc).__name__
            return False
        return True
