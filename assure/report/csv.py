"""CSV: one row per question per document, for spreadsheets.

Cells that a spreadsheet would run as a formula (starting with = + - @) get a leading
apostrophe, since quotes come from documents we did not write.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from assure.models import Report
from assure.report._common import doc_state, rows, where

COLUMNS = (
    "path",
    "format",
    "document_status",
    "document_score",
    "question",
    "title",
    "status",
    "score",
    "outcome",
    "note",
    "finding",
    "evidence_count",
    "first_quote",
    "first_location",
    "guidance",
    "confidence",
    "confidence_why",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def render(report: Report) -> str:
    """RFC 4180 CSV with a header row; documents without questions get one row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    by_doc: dict[str, list[Any]] = {}
    for row in rows(report):
        by_doc.setdefault(row.doc.path, []).append(row)
    for doc in report.documents:
        head = [doc.path, doc.format, doc.status.value, doc.score]
        if not doc.questions:
            writer.writerow([_cell(v) for v in (*head, "", "", "", "", "", "", doc_state(doc), 0, "", "", "")])
        for row in by_doc.get(doc.path, []):
            q, f = row.question, row.finding
            first = q.evidence[0] if q.evidence else None
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        *head,
                        q.id,
                        q.title,
                        q.status.value,
                        q.score,
                        row.state,
                        f.note if f and f.note else (f.why if f else ""),
                        q.finding,
                        len(q.evidence),
                        first.quote if first else "",
                        where(first) if first else "",
                        q.guidance,
                        q.confidence,
                        q.confidence_why,
                    )
                ]
            )
    return buf.getvalue()
