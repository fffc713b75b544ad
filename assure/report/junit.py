"""JUnit XML: one test suite per document, one test case per question.

A question at or beyond its fail level is a ``<failure>``; suppressed, baselined,
unassessable and not-applicable are ``<skipped>`` with the reason; an unreadable document
is an ``<error>``. No timestamps or durations, so the same input gives the same bytes.
GitLab, Jenkins and Azure Pipelines read this shape.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from assure.models import DocStatus, Report, Status
from assure.report._common import confidence_note, doc_finding_text, doc_findings, not_applicable_why, rows, where


def _clean(text: str | None) -> str:
    """Drop characters XML 1.0 cannot carry (control characters from broken PDFs)."""
    if not text:
        return ""
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF) and not 0xD800 <= ord(ch) <= 0xDFFF)
    )


def render(report: Report) -> str:
    # Long: a template written as code: the XML tree in document order.
    root = ET.Element("testsuites", name="assure")
    by_doc: dict[str, list[Any]] = {}
    for row in rows(report):
        by_doc.setdefault(row.doc.path, []).append(row)
    scored = doc_findings(report)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for doc in report.documents:
        suite = ET.SubElement(root, "testsuite", name=_clean(doc.path))
        props = ET.SubElement(suite, "properties")
        for key, value in (("format", doc.format), ("status", doc.status.value), ("score", doc.score), ("pages", doc.pages)):
            if value is not None:
                ET.SubElement(props, "property", name=key, value=str(value))
        n = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if doc.status is DocStatus.ERROR:
            case = ET.SubElement(suite, "testcase", classname=_clean(doc.path), name="read document")
            err = doc.error or {}
            ET.SubElement(case, "error", type=err.get("code", "error"), message=_clean(err.get("message", "")))
            n["tests"] += 1
            n["errors"] += 1
        elif doc.status is DocStatus.NOT_APPLICABLE and doc.path not in scored:  # else a finding, below
            case = ET.SubElement(suite, "testcase", classname=_clean(doc.path), name="relevance")
            ET.SubElement(case, "skipped", message=_clean(f"not applicable: {not_applicable_why(doc)}"))
            n["tests"] += 1
            n["skipped"] += 1
        for row in by_doc.get(doc.path, []):
            q, f = row.question, row.finding
            case = ET.SubElement(suite, "testcase", classname=_clean(doc.path), name=_clean(f"{q.id} {q.title}"))
            n["tests"] += 1
            detail = [q.finding] + ([note.capitalize()] if (note := confidence_note(q)) else [])
            detail += [f"\u201c{e.quote}\u201d ({where(e)}, {e.rule}, {e.strength})" for e in q.evidence]
            if q.status in (Status.PARTIAL, Status.GAP) and q.guidance:
                detail.append(f"Add: {q.guidance}")
            body = _clean("\n".join(detail))
            if row.state == "fail":
                el = ET.SubElement(
                    case, "failure", type=q.status.value, message=_clean(_reason(q.status.value, f.why if f else ""))
                )
                el.text = body
                n["failures"] += 1
            elif row.state in ("suppressed", "baselined"):
                ET.SubElement(case, "skipped", message=_clean(f"{row.state}: {f.note if f else ''} ({q.status.value})"))
                n["skipped"] += 1
            elif q.status is Status.UNASSESSABLE:
                ET.SubElement(case, "skipped", message=_clean(f"unassessable: {q.finding}"))
                n["skipped"] += 1
            else:
                out = ET.SubElement(case, "system-out")
                out.text = _clean(f"{q.status.value} (score {q.score}): " + "\n".join(detail))
        if doc.path in scored:
            f = scored[doc.path]
            name = "relevance" if f.status == "not_applicable" else "overall score"
            case = ET.SubElement(suite, "testcase", classname=_clean(doc.path), name=name)
            n["tests"] += 1
            if f.outcome == "fail":
                ET.SubElement(case, "failure", type=f.status, message=_clean(doc_finding_text(f)))
                n["failures"] += 1
            else:
                ET.SubElement(case, "skipped", message=_clean(f"{f.outcome}: {f.note}"))
                n["skipped"] += 1
        for key, value in n.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _reason(status: str, why: str) -> str:
    """The verdict and why it fails, said once: "gap (fails on gap)", "met: score 72 under 75"."""
    return why if why.startswith(status) else f"{status}: {why}" if why else status
