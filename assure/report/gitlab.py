"""GitLab Code Quality (Code Climate JSON) for merge-request widgets.

Each partial or gap verdict is one issue. The fingerprint hashes the document path, the
question id and the check (question plus verdict) - never times or scores - so GitLab can
tell new findings from fixed ones between pipelines. Documents have no lines in GitLab's
sense, so every issue points at line 1.
"""

from __future__ import annotations

import json
from typing import Any

from assure.baseline import fingerprint
from assure.models import DocStatus, Report, Status
from assure.report._common import DOC_FINDING_CHECK, confidence_note, doc_finding_text, doc_findings, posix, rows

SEVERITY_FAIL = {Status.GAP: "critical", Status.PARTIAL: "major"}
SEVERITY_OTHER = {Status.GAP: "minor", Status.PARTIAL: "info"}


def _issue(path: str, check: str, description: str, severity: str, body: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "issue",
        "check_name": check,
        "description": description,
        "categories": ["Clarity"],
        "severity": severity,
        "fingerprint": fingerprint(path, check.split("/")[1] if "/" in check else check, check),
        "location": {"path": posix(path), "lines": {"begin": 1}},
    }
    if body:
        out["content"] = {"body": body}
    return out


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    for doc in report.documents:
        if doc.status is DocStatus.ERROR:
            err = doc.error or {}
            issues.append(
                _issue(doc.path, "assure/unreadable", f"assure could not read the document: {err.get('message', '')}", "blocker")
            )
    for r in rows(report):
        q, f = r.question, r.finding
        if q.status not in (Status.PARTIAL, Status.GAP):
            continue
        description = f"{q.id} {q.title}: {q.status.value} (score {q.score}). {q.finding}."
        if note := confidence_note(q):
            description += f" ({note}.)"
        if r.state == "fail":
            severity = SEVERITY_FAIL[q.status]
        else:
            severity = "info" if r.state in ("suppressed", "baselined") else SEVERITY_OTHER[q.status]
            if f is not None:
                description = f"[{r.state}: {f.note}] " + description
        issues.append(_issue(r.doc.path, f"assure/{q.id}/{q.status.value}", description, severity, q.guidance))
    for path, f in doc_findings(report).items():
        prefix = "" if f.outcome == "fail" else f"[{f.outcome}: {f.note}] "
        check = f"assure/{DOC_FINDING_CHECK.get(f.status, f.status)}"
        issues.append(_issue(path, check, prefix + doc_finding_text(f), "major" if f.outcome == "fail" else "info"))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
