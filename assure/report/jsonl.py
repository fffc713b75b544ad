"""JSON Lines: one object per question per document (one per document without questions).

Suits log pipelines and ``jq -c``: each line stands alone, in document then question
order, with the fail decision beside the verdict.
"""

from __future__ import annotations

import json
from typing import Any

from assure.models import Report
from assure.report._common import doc_findings, rows
from assure.report.json import SCHEMA_VERSION


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def render(report: Report) -> str:
    """One JSON object per line; every line carries the document's path, status and score."""
    lines: list[str] = []
    by_doc: dict[str, list[Any]] = {}
    for row in rows(report):
        by_doc.setdefault(row.doc.path, []).append(row)
    scored = doc_findings(report)
    for doc in report.documents:
        base = {
            "schema_version": SCHEMA_VERSION,
            "path": doc.path,
            "format": doc.format,
            "document_status": doc.status.value,
            "document_score": doc.score,
        }
        if not doc.questions or doc.path in scored:
            f = scored.get(doc.path)
            lines.append(
                _line(
                    {
                        **base,
                        "question": None,
                        "error": doc.error,
                        "outcome": f.outcome if f else None,
                        "why": f.why if f else None,
                        "note": f.note if f else None,
                    }
                )
            )
        for row in by_doc.get(doc.path, []):
            q, f = row.question, row.finding
            lines.append(
                _line(
                    {
                        **base,
                        "question": q.id,
                        "title": q.title,
                        "status": q.status.value,
                        "score": q.score,
                        "outcome": f.outcome if f else "ok",
                        "why": f.why if f else None,
                        "note": f.note if f else None,
                        "finding": q.finding,
                        "evidence": [e.to_dict() for e in q.evidence],
                        "guidance": q.guidance,
                        "confidence": q.confidence,
                        "confidence_why": q.confidence_why,
                    }
                )
            )
    return "".join(line + "\n" for line in lines)
