"""Markdown: a pull-request comment or a GitHub job summary.

GitHub-flavoured tables and ``<details>`` blocks; text from documents is escaped so a
quote can never inject HTML, links or table breaks into the comment. Evidence is capped
per question so a big batch stays inside a comment's size limit.
"""

from __future__ import annotations

import re

from assure.models import DocStatus, Report, Status
from assure.report._common import (
    borderline_rows,
    combined_parts,
    confidence_note,
    counts,
    doc_findings,
    doc_state,
    policy_note,
    rows,
    state_note,
    where,
)

ICON = {
    Status.MET: "\u2705 met",
    Status.PARTIAL: "\U0001f7e1 partial",
    Status.GAP: "\u274c gap",
    Status.UNASSESSABLE: "\u2754 unassessable",
}
MAX_QUOTES = 3


def esc(text: str | None) -> str:
    """Escape Markdown and HTML metacharacters for inline use (tables included)."""
    if not text:
        return ""
    text = re.sub(r"\s+", " ", text).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#~!])", r"\\\1", text)


def render(report: Report, *, title: str = "assure report") -> str:
    """The whole report: a summary table, then each document's verdicts and evidence."""
    # Long: a template written as code: the comment's parts in reading order.
    out: list[str] = [f"## {esc(title)}", ""]
    all_rows = list(rows(report))
    scored = doc_findings(report)
    fails = sum(1 for r in all_rows if r.state == "fail") + sum(1 for f in scored.values() if f.outcome == "fail")
    accepted = sum(1 for r in all_rows if r.state in ("suppressed", "baselined"))
    errors = sum(1 for d in report.documents if d.status is DocStatus.ERROR)
    verdict = "\u274c" if fails or errors else "\u2705"
    out.append(
        f"{verdict} {len(report.documents)} document(s), {fails} failing finding(s), {accepted} suppressed or baselined, "
        f"{errors} unreadable."
    )
    out.append("")
    out.append("| Document | Score | Met | Partial | Gap | Unassessable | Result |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for doc in report.documents:
        c = counts(doc)
        doc_fails = sum(1 for r in all_rows if r.doc is doc and r.state == "fail")
        if doc.path in scored and scored[doc.path].outcome == "fail":
            doc_fails += 1
        if doc.status is DocStatus.NOT_APPLICABLE and doc.path in scored:  # fail_on_not_applicable
            result = esc(f"{doc_state(doc)} ({policy_note(scored[doc.path])})")
        elif doc.status is DocStatus.OK:
            result = f"\u274c {doc_fails} failing" if doc_fails else "\u2705 pass"
        else:
            result = esc(doc_state(doc))
        score = "" if doc.score is None else str(doc.score)
        out.append(f"| {esc(doc.path)} | {score} | {c['met']} | {c['partial']} | {c['gap']} | {c['unassessable']} | {result} |")
    out.append("")
    for doc in report.documents:
        if doc.status is not DocStatus.OK:
            continue
        out.append(f"### {esc(doc.path)}: score {doc.score}/100")
        out.append("")
        if doc.path in scored:
            out.append(f"> Overall score: {esc(state_note(scored[doc.path]))}")
            out.append("")
        if doc.unreadable_pages:
            out.append("> Unreadable pages: " + esc(", ".join(f"{p} ({r})" for p, r in doc.unreadable_pages)))
            out.append("")
        out.append("| Q | Verdict | Score | Question | Finding | Policy |")
        out.append("| --- | --- | ---: | --- | --- | --- |")
        doc_rows = [r for r in all_rows if r.doc is doc]
        for r in doc_rows:
            q = r.question
            verdict = ICON[q.status] + (" (borderline)" if q.confidence == "borderline" else "")
            out.append(f"| {q.id} | {verdict} | {q.score} | {esc(q.title)} | {esc(q.finding)} | {esc(state_note(r.finding))} |")
        out.append("")
        check = borderline_rows(doc)
        if check:
            out.append(
                f"Borderline verdicts to check ({len(check)}): "
                + "; ".join(f"{q.id} {q.status.value}: {esc(q.confidence_why)}" for q in check)
            )
            out.append("")
        out.append("<details><summary>Evidence and what to add</summary>")
        out.append("")
        for r in doc_rows:
            q = r.question
            out.append(f"**{q.id} {esc(q.title)}**: {ICON[q.status]}")
            out.append("")
            for e in q.evidence[:MAX_QUOTES]:
                cue = f"; {esc(e.context.replace('_', ' '))}" if e.context else ""
                out.append(f"> {esc(e.quote)}  ")
                out.append(f"> \u2014 {esc(where(e))}, {esc(e.rule)}, {esc(e.strength)}{cue}")
                for line in combined_parts(e):
                    out.append(f">  \n> + combined with {esc(line)}")
                out.append("")
            if len(q.evidence) > MAX_QUOTES:
                out.append(f"_and {len(q.evidence) - MAX_QUOTES} more quote(s)_")
                out.append("")
            if note := confidence_note(q):
                out.append(f"_{esc(note.capitalize())}_")
                out.append("")
            if q.status in (Status.PARTIAL, Status.GAP) and q.guidance:
                out.append(f"Add: {esc(q.guidance)}")
                out.append("")
        out.append("</details>")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
