"""GitHub Actions: workflow-command annotations on stdout, plus a Markdown job summary.

Annotations cannot point into a PDF and GitHub shows only a few per step, so each one is
file-level and the full report goes to ``$GITHUB_STEP_SUMMARY`` (see
:func:`write_step_summary`, which the CLI calls when this format is used).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from assure.models import DocStatus, Report, Status
from assure.report._common import DOC_FINDING_LABEL, confidence_note, doc_finding_text, doc_findings, posix, rows


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, path: str, title: str, message: str) -> str:
    return f"::{kind} file={escape_property(posix(path))},title={escape_property(title)}::{escape_data(message)}"


def render(report: Report) -> str:
    """``::error`` for findings that fail, ``::warning`` for other gaps, ``::notice`` for other
    partials and for suppressed or baselined findings (the levels SARIF uses); then a tally."""
    lines: list[str] = []
    fails = 0
    for doc in report.documents:
        if doc.status is DocStatus.ERROR:
            err = doc.error or {}
            lines.append(_command("error", doc.path, f"assure: unreadable ({err.get('code', 'error')})", err.get("message", "")))
    scored = doc_findings(report)
    for r in rows(report):
        q, f = r.question, r.finding
        if q.status.value not in ("partial", "gap"):
            continue
        title = f"{q.id} {q.title}: {q.status.value}"
        note = confidence_note(q)
        message = f"{q.finding}." + (f" ({note}.)" if note else "") + (f" Add: {q.guidance}" if q.guidance else "")
        if r.state == "fail":
            fails += 1
            lines.append(_command("error", r.doc.path, title, message))
        elif r.state in ("suppressed", "baselined"):
            lines.append(_command("notice", r.doc.path, f"{title} ({r.state})", f"{f.note if f else ''}. {message}"))
        else:
            lines.append(_command("warning" if q.status is Status.GAP else "notice", r.doc.path, title, message))
    for path, f in scored.items():
        if f.outcome == "fail":
            fails += 1
        kind = "error" if f.outcome == "fail" else "notice"
        title = f"assure: {DOC_FINDING_LABEL.get(f.status, f.status)}"
        lines.append(_command(kind, path, title, doc_finding_text(f) + (f" ({f.outcome}: {f.note})" if f.note else "")))
    errors = sum(1 for d in report.documents if d.status is DocStatus.ERROR)
    lines.append(f"assure: {len(report.documents)} document(s), {fails} failing finding(s), {errors} unreadable")
    return "\n".join(lines) + "\n"


def write_step_summary(report: Report, env: Mapping[str, str] | None = None) -> str | None:
    """Append the Markdown report to ``$GITHUB_STEP_SUMMARY`` when it is set; returns the path.

    Appending (not replacing) is GitHub's contract: other steps write to the same file."""
    from assure.report.markdown import render as markdown

    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(markdown(report) + "\n")
    return target
