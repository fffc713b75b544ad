"""Baselines: accept today's verdicts, then fail only on regressions.

``assure baseline write`` records each document's verdicts with a fingerprint per
question; ``assure check --baseline FILE`` lets a finding pass when the baseline already
had that question at the same or a worse verdict. A question that got worse, or a document
the baseline has never seen, still fails. A document is matched by its path, then by the
SHA-256 of its content (so renaming an unchanged file is not a new document).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assure.errors import AssureError
from assure.models import DocStatus, Report

BASELINE_VERSION = 1
RANK = {"met": 2, "partial": 1, "gap": 0}  # unassessable ranks nowhere: nothing was known


def fingerprint(path: str, question: str, rule: str = "") -> str:
    """Stable id of a finding: depends on the document path, question and rule only."""
    key = "\0".join((norm_path(path), question, rule))
    return hashlib.sha256(key.encode("utf-8", errors="surrogateescape")).hexdigest()  # a name's undecodable bytes as they are


def norm_path(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def file_sha256(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class BaselineDocument:
    path: str
    sha256: str | None
    status: str
    score: int | None
    questions: tuple[tuple[str, str, int | None], ...]  # (id, status, score)

    def question(self, qid: str) -> tuple[str, int | None] | None:
        for i, status, score in self.questions:
            if i == qid:
                return status, score
        return None


@dataclass(frozen=True)
class Baseline:
    path: str
    documents: tuple[BaselineDocument, ...]

    def document(self, path: str) -> BaselineDocument | None:
        """The recorded document by path, else by content hash; None for a new document."""
        key = norm_path(path)
        for d in self.documents:
            if norm_path(d.path) == key:
                return d
        digest = file_sha256(path)
        if digest is not None:
            for d in self.documents:
                if d.sha256 == digest:
                    return d
        return None

    def accepts(self, doc: BaselineDocument | None, qid: str, status: str) -> str | None:
        """A note when the baseline already had this question at ``status`` or worse."""
        if doc is None:
            return None
        recorded = doc.question(qid)
        if recorded is None or recorded[0] not in RANK or status not in RANK:
            return None
        if RANK[status] >= RANK[recorded[0]]:
            return f"in baseline as {recorded[0]}"
        return None

    def before(self, doc: BaselineDocument | None, qid: str) -> str:
        """What the baseline had for a question that now fails: "met in the baseline", or that the
        document or question is new, so a reader sees a regression as one."""
        if doc is None:
            return "a document new since the baseline"
        recorded = doc.question(qid)
        return f"{recorded[0]} in the baseline" if recorded is not None else "not in the baseline"

    def accepts_not_applicable(self, doc: BaselineDocument | None) -> str | None:
        """A note when the baseline recorded this document as not applicable too."""
        if doc is None or doc.status != DocStatus.NOT_APPLICABLE.value:
            return None
        return "in baseline as not applicable"

    def accepts_score(self, doc: BaselineDocument | None, score: int) -> str | None:
        if doc is None or doc.score is None or score < doc.score:
            return None
        return f"in baseline with overall score {doc.score}"


def baseline_dict(report: Report, tool_version: str) -> dict[str, Any]:
    """Today's verdicts, sorted by path; raises AssureError if a document could not be read."""
    failed = [d for d in report.documents if d.status is DocStatus.ERROR]
    if failed:
        first = failed[0]
        raise AssureError(
            f"cannot record a baseline: {first.path}: {(first.error or {}).get('message', 'unreadable')}"
            + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else "")
        )
    docs = []
    for d in sorted(report.documents, key=lambda d: norm_path(d.path)):
        docs.append(
            {
                "path": norm_path(d.path),
                "sha256": file_sha256(d.path),
                "status": d.status.value,
                "score": d.score,
                "questions": [
                    {"id": q.id, "status": q.status.value, "score": q.score, "fingerprint": fingerprint(d.path, q.id)}
                    for q in d.questions
                ],
            }
        )
    return {"baseline_version": BASELINE_VERSION, "tool": {"name": "assure", "version": tool_version}, "documents": docs}


def render_baseline(report: Report, tool_version: str) -> str:
    return json.dumps(baseline_dict(report, tool_version), indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read and validate a baseline file; a malformed one is a ConfigError (exit 2)."""
    from assure.safeio import MAX_BASELINE_BYTES, read_json
    from assure.validation import check_schema

    p = Path(path)
    data = read_json(p, "baseline file", MAX_BASELINE_BYTES, on_error=lambda msg: f"malformed baseline: {msg}")
    if isinstance(data, dict) and "baseline_version" not in data and "schema_version" in data and "documents" in data:
        from assure.errors import ConfigError

        raise ConfigError(
            "a JSON report (assure check -f json), not a baseline; write one with: assure baseline write", path=str(p)
        )
    check_schema(data, "baseline.schema.json", str(p), prefix="malformed baseline: ")
    docs = tuple(
        BaselineDocument(
            path=d["path"],
            sha256=d.get("sha256"),
            status=d["status"],
            score=d["score"],
            questions=tuple((q["id"], q["status"], q.get("score")) for q in d["questions"]),
        )
        for d in data["documents"]
    )
    return Baseline(path=str(path), documents=docs)
