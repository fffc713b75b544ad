"""JSON output, schema version 1 (docs/json-schema.md and assure/schemas/report.schema.json).

Stable key order, no timestamps, paths as given: the same input gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from assure import inline
from assure.models import DocStatus, DocumentResult, Report, Status
from assure.report._common import not_applicable_why

SCHEMA_VERSION = 1


def document_dict(doc: DocumentResult) -> dict[str, Any]:
    """A document's JSON entry. Optional keys appear only when they apply, so other
    documents' output is unchanged: ``duplicate_of`` after the path, ``ocr_pages``,
    ``not_applicable`` and ``inline_suppressions`` before the questions."""
    out = _document_dict(doc)
    optional: dict[str, Any] = {}
    if doc.ocr_pages:
        optional["ocr_pages"] = [{"page": p, "confidence": c} for p, c in doc.ocr_pages]
    if doc.health_sentences is not None:  # not applicable: the count the screen rests on
        found, needed = doc.health_sentences
        optional["not_applicable"] = {"health_sentences": found, "needed": needed, "why": not_applicable_why(doc)}
    if doc.directives:  # what became of each inline suppression: applied, unused, invalid or disabled
        optional["inline_suppressions"] = [inline.to_dict(d) for d in doc.directives]
    if optional:
        questions = out.pop("questions")
        out = out | optional | {"questions": questions}
    if doc.duplicate_of is not None:
        out = {"path": out.pop("path"), "duplicate_of": doc.duplicate_of} | out
    return out


def _document_dict(doc: DocumentResult) -> dict[str, Any]:
    return {
        "path": doc.path,
        "format": doc.format,
        "pages": doc.pages,
        "status": doc.status.value,
        "error": doc.error,
        "score": doc.score,
        "unreadable_pages": [{"page": p, "reason": r} for p, r in doc.unreadable_pages],
        "questions": [
            {
                "id": q.id,
                "title": q.title,
                "status": q.status.value,
                "score": q.score,
                "finding": q.finding,
                "evidence": [e.to_dict() for e in q.evidence],
                "guidance": q.guidance,
                "confidence": q.confidence,
                "confidence_why": q.confidence_why,
            }
            for q in doc.questions
        ],
    }


def summary(report: Report) -> dict[str, Any]:
    counts = {s.value: 0 for s in Status}
    docs = {s.value: 0 for s in DocStatus}
    for d in report.documents:
        docs[d.status.value] += 1
        for q in d.questions:
            counts[q.status.value] += 1
    scores = [d.score for d in report.documents if d.score is not None]
    return {
        "documents": len(report.documents),
        "document_status": docs,
        "questions": counts,
        "mean_score": round(sum(scores) / len(scores)) if scores else None,
        "borderline": sum(1 for d in report.documents for q in d.questions if q.confidence == "borderline"),
    }


def report_dict(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "assure", "version": report.tool_version},
        "documents": [document_dict(d) for d in report.documents],
        "summary": summary(report),
    }
    out.update(report.extra)
    return out


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
