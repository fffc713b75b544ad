"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One rule per question; one result per partial or gap verdict. A finding at or beyond its
fail level is ``error``, other gaps ``warning``, other partials ``note``. Suppressed
findings carry ``suppressions`` (kind external, or inSource for a directive written in the
document, with the reason); baselined ones carry
``baselineState: unchanged`` (failing findings under a baseline are ``new``). Documents have no
lines, so every region is line 1 and the page and section go in the message and properties. Unreadable documents become tool
execution notifications. Validated against the OASIS schema in the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from assure.baseline import fingerprint
from assure.models import DocStatus, Report, Status
from assure.report._common import DOC_FINDING_CHECK, confidence_note, doc_finding_text, doc_findings, posix, rows, where

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_name(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title)) or "Question"


def render(report: Report, advice: Mapping[str, str] | None = None) -> str:
    """``advice``: each question's "what to add" from the question files; a rule's help text.
    Without it (a report read back from JSON) the advice comes from any unmet verdict, else the title."""
    # Long: a template written as code: the SARIF run, its rules and results in the order the spec lists them.
    all_rows = list(rows(report))
    # a met question carries no guidance; take the question's advice from any document that has it,
    # so a rule's help does not depend on which document happened to come first
    advice = dict(advice or {})
    for r in all_rows:
        if r.question.guidance:
            advice.setdefault(r.question.id, r.question.guidance)
    rules: dict[str, dict[str, Any]] = {}
    for r in all_rows:
        q = r.question
        rules.setdefault(
            q.id,
            {
                "id": q.id,
                "name": _rule_name(q.title),
                "shortDescription": {"text": q.title},
                "help": {"text": advice.get(q.id) or q.title},
                "defaultConfiguration": {"level": "error"},
            },
        )
    order = sorted(rules, key=lambda i: (int(i[1:]) if i[1:].isdigit() else 0, i))
    index = {rid: n for n, rid in enumerate(order)}
    results: list[dict[str, Any]] = []
    baseline_used = bool(report.extra.get("policy", {}).get("baseline"))
    for r in all_rows:
        q, f = r.question, r.finding
        if q.status not in (Status.PARTIAL, Status.GAP):
            continue
        if f is not None:
            level = "error"
        else:
            level = "warning" if q.status is Status.GAP else "note"
        text = f"{q.id} {q.title}: {q.status.value} (score {q.score}). {q.finding}."
        if note := confidence_note(q):
            text += f" ({note}.)"
        if q.evidence:
            text += " Evidence: " + "; ".join(f"\u201c{e.quote}\u201d ({where(e)})" for e in q.evidence[:3]) + "."
        if q.guidance:
            text += f" Add: {q.guidance}"
        result: dict[str, Any] = {
            "ruleId": q.id,
            "ruleIndex": index[q.id],
            "level": level,
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": posix(r.doc.path)}, "region": {"startLine": 1}}}],
            "partialFingerprints": {"assureFinding/v1": fingerprint(r.doc.path, q.id)},
            "properties": {
                "verdict": q.status.value,
                "score": q.score,
                "documentScore": r.doc.score,
                "pages": sorted({e.page for e in q.evidence if e.page is not None}),
                "sections": sorted({e.section for e in q.evidence if e.section}),
            },
        }
        if f is not None and f.outcome == "suppressed":
            kind = "inSource" if f.inline else "external"  # inSource: an "assure: ignore" in the document itself
            result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": f.note or ""}]
        if baseline_used and f is not None:  # only findings are compared with the baseline
            result["baselineState"] = "unchanged" if f is not None and f.outcome == "baselined" else "new"
        results.append(result)
    notifications = []
    for doc in report.documents:
        if doc.status is DocStatus.ERROR:
            err = doc.error or {}
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{doc.path}: {err.get('message', 'could not be read')}"},
                    "descriptor": {"id": err.get("code", "error")},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": posix(doc.path)}}}],
                }
            )
    for path, f in doc_findings(report).items():
        accepted = f" ({f.outcome}: {f.note})" if f.outcome != "fail" else ""
        notifications.append(
            {
                "level": "error" if f.outcome == "fail" else "note",
                "message": {"text": f"{path}: {doc_finding_text(f)}{accepted}"},
                "descriptor": {"id": DOC_FINDING_CHECK.get(f.status, f.status)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": posix(path)}}}],
            }
        )
    sarif = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "assure",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "rules": [rules[i] for i in order],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(d.status is DocStatus.ERROR for d in report.documents),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "artifacts": [{"location": {"uri": posix(d.path)}} for d in report.documents],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
