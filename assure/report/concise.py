"""One line per finding, like ``ruff --output-format concise`` or a compiler:
``file:page: Q4 partial Q04.cold-damp-hazards message``, for grep, editors and logs.

A partial points at its best evidence (the page; a DOCX section goes in the message); a gap has
no evidence, so its line has no page and ``-`` for the rule. Unassessable and met questions
are not findings and get no line. Suppressed and baselined findings keep their line with
the state in brackets, so nothing is hidden.
"""

from __future__ import annotations

from assure.models import DocStatus, Evidence, Report, Status
from assure.names import human_name
from assure.report._common import doc_findings, not_applicable_why, posix, rows


def _location(path: str, evidence: tuple[Evidence, ...]) -> tuple[str, str]:
    """``file:page`` and, for a DOCX or text section, `` (in SECTION)`` for the message: a
    section name may hold colons, so only a page number goes into the location."""
    counted = [e for e in evidence if e.counted] or list(evidence)
    if not counted:
        return path, ""
    best = counted[0]
    if best.page is not None:
        return f"{path}:{best.page}", ""
    return path, (f" (in {best.section})" if best.section else "")


def render(report: Report) -> str:
    """Each document's lines together, in the report's order (the order the paths were given):
    its error or not-applicable line, or its partial and gap findings, then its score finding."""
    found = doc_findings(report)
    by_doc: dict[str, list[str]] = {}
    for r in rows(report):
        q = r.question
        if q.status not in (Status.PARTIAL, Status.GAP):
            continue
        rule = next((e.rule for e in q.evidence if e.counted), q.evidence[0].rule if q.evidence else "-")
        state = f" [{r.state}]" if r.state in ("suppressed", "baselined") else ""
        message = q.finding or q.title
        location, section = _location(human_name(posix(r.doc.path)), q.evidence)  # one line, whatever the name holds
        by_doc.setdefault(r.doc.path, []).append(f"{location}: {q.id} {q.status.value} {rule} {message}{section}{state}")
    lines: list[str] = []
    for doc in report.documents:
        path = human_name(posix(doc.path))
        f = found.get(doc.path)
        if doc.status is DocStatus.ERROR:
            err = doc.error or {}
            lines.append(f"{path}: error {err.get('code', 'error')} {err.get('message', '')}".rstrip())
        elif doc.status is DocStatus.NOT_APPLICABLE:  # under fail_on_not_applicable: [fail] or [baselined]
            lines.append(f"{path}: not-applicable {not_applicable_why(doc)}" + (f" [{f.outcome}]" if f else ""))
        lines.extend(by_doc.pop(doc.path, []))
        if f is not None and f.status == "score":
            lines.append(f"{path}: {f.why}" + (f" [{f.outcome}]" if f.outcome != "fail" else ""))
    return "\n".join(lines) + ("\n" if lines else "")
