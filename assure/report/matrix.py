"""The documents x questions matrix of an audit, as CSV (for spreadsheets) or Markdown.

One row per document in report order, one column per question. A cell holds the
verdict (met, partial, gap, unassessable); a document that is not applicable or could
not be read has that status in every question cell (``error:<code>`` for errors), so a
filter on one column never silently drops a document. Stable order, no timestamps.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from assure.models import DocStatus, DocumentResult, Report

# (id, title) pairs; pass the ruleset's so a batch where no document was assessed still
# gets one column per question
Questions = Sequence[tuple[str, str]]


def question_ids(report: Report, questions: Questions | None = None) -> list[str]:
    """The given questions' ids, else ids in first-seen order across the report."""
    if questions:
        return [qid for qid, _ in questions]
    ids: list[str] = []
    for d in report.documents:
        for q in d.questions:
            if q.id not in ids:
                ids.append(q.id)
    return ids


def question_titles(report: Report, questions: Questions | None = None) -> dict[str, str]:
    if questions:
        return dict(questions)
    titles: dict[str, str] = {}
    for d in report.documents:
        for q in d.questions:
            titles.setdefault(q.id, q.title)
    return titles


def cell(doc: DocumentResult, qid: str) -> str:
    """The verdict shown for one document and question."""
    if doc.status is DocStatus.ERROR:
        return f"error:{(doc.error or {}).get('code', 'error')}"
    if doc.status is DocStatus.NOT_APPLICABLE:
        return "not_applicable"
    for q in doc.questions:
        if q.id == qid:
            return q.status.value
    return ""


def rows(report: Report, questions: Questions | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows shared by both renderings."""
    ids = question_ids(report, questions)
    header = ["document", "format", "pages", "status", "score", *ids]
    out = []
    for d in report.documents:
        out.append(
            [
                d.path,
                d.format or "",
                "" if d.pages is None else str(d.pages),
                d.status.value,
                "" if d.score is None else str(d.score),
                *(cell(d, q) for q in ids),
            ]
        )
    return header, out


def render_csv(report: Report, questions: Questions | None = None) -> str:
    header, body = rows(report, questions)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buf.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, questions: Questions | None = None) -> str:
    header, body = rows(report, questions)
    titles = question_titles(report, questions)
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for r in body:
        lines.append("| " + " | ".join(_md(c) for c in r) + " |")
    if titles:
        lines.append("")
        lines.extend(f"- **{_md(qid)}**: {_md(title)}" for qid, title in titles.items())
    return "\n".join(lines) + "\n"
