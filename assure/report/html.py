"""HTML: one self-contained page - inline CSS and SVG, no scripts, no network, no fonts.

Each document gets a bar chart of its ten verdicts (height = score, colour = verdict), a
verdict table and the evidence. Every verdict element carries ``data-question`` and
``data-verdict`` so tests and scrapers can read the page without parsing prose.
"""

from __future__ import annotations

from html import escape

from assure.models import DocStatus, DocumentResult, Report, Status
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

COLOUR = {Status.MET: "#1a7f37", Status.PARTIAL: "#bf8700", Status.GAP: "#cf222e", Status.UNASSESSABLE: "#8250df"}

CSS = """
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2.5rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1.25rem 0 .25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right}.muted{color:var(--muted)}
.v{font-weight:600;white-space:nowrap}.v-met{color:#1a7f37}.v-partial{color:#9a6700}.v-gap{color:#cf222e}.v-unassessable{color:#8250df}
.borderline{font-weight:400;font-size:.8em;color:var(--muted);border:1px dashed var(--muted);border-radius:1em;padding:0 .4em}
.check{color:#8250df}
.tag{display:inline-block;border-radius:1em;padding:0 .5em;font-size:.85em;background:#eaeef2}
.tag-fail{background:#ffebe9;color:#a40e26}.tag-suppressed,.tag-baselined{background:#ddf4ff;color:#0550ae}
blockquote{margin:.25rem 0 .5rem;padding:.1rem .75rem;border-left:3px solid var(--line)}
.where{font-size:.85em;color:var(--muted)}.add{background:#f6f8fa;padding:.3rem .6rem;border-radius:4px}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}
@media print{body{margin:0}details{display:block}}
"""


def _chart(doc: DocumentResult) -> str:
    """Inline SVG: one bar per question, labelled with its id and verdict."""
    qs = doc.questions
    bar, gap, height = 44, 14, 120
    width = len(qs) * (bar + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="Verdicts for {escape(doc.path)}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height + 44}" viewBox="0 0 {width} {height + 44}">',
        f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#d1d9e0"/>',
    ]
    for i, q in enumerate(qs):
        x = gap + i * (bar + gap)
        h = max(3, round(q.score / 100 * (height - 10)))
        parts.append(
            f'<g data-question="{q.id}" data-verdict="{q.status.value}"><title>{escape(q.id)} {escape(q.title)}: '
            f"{q.status.value}, score {q.score}</title>"
            f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" rx="3" fill="{COLOUR[q.status]}"/>'
            f'<text x="{x + bar / 2:g}" y="{height + 16}" text-anchor="middle">{escape(q.id)}</text>'
            f'<text x="{x + bar / 2:g}" y="{height + 32}" text-anchor="middle" font-size="10">{q.status.value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render(report: Report, *, title: str = "assure report") -> str:
    # Long: a template written as code: the page's parts in reading order.
    all_rows = list(rows(report))
    scored = doc_findings(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">assure {escape(report.tool_version)}: {len(report.documents)} document(s) checked against '
        f"{_questions_checked(report)} home-and-health assurance questions.</p>",
        '<table class="summary"><thead><tr><th>Document</th><th class="num">Score</th><th class="num">Met</th>'
        '<th class="num">Partial</th><th class="num">Gap</th><th class="num">Unassessable</th><th>Status</th></tr></thead><tbody>',
    ]
    for n, doc in enumerate(report.documents, 1):
        c = counts(doc)
        status = escape(doc_state(doc)) if doc.status is not DocStatus.OK else "ok"
        score = "" if doc.score is None else str(doc.score)
        out.append(
            f'<tr data-document="{escape(doc.path)}" data-status="{doc.status.value}"><td><a href="#doc-{n}">{escape(doc.path)}'
            f'</a></td><td class="num">{score}</td><td class="num">{c["met"]}</td><td class="num">{c["partial"]}</td>'
            f'<td class="num">{c["gap"]}</td><td class="num">{c["unassessable"]}</td><td>{status}</td></tr>'
        )
    out.append("</tbody></table>")
    for n, doc in enumerate(report.documents, 1):
        # a document that could not be read has no format to show (not "unknown")
        fmt = ", ".join(x for x in (escape(doc.format or ""), f"{doc.pages} pages" if doc.pages else "") if x)
        out.append(f'<section class="document" id="doc-{n}" data-document="{escape(doc.path)}">')
        out.append(f"<h2>{escape(doc.path)}" + (f' <span class="muted">({fmt})</span>' if fmt else "") + "</h2>")
        if doc.status is not DocStatus.OK:
            f = scored.get(doc.path)  # a not-applicable document under fail_on_not_applicable
            tag = f' <span class="tag tag-{f.outcome}">{escape(policy_note(f))}</span>' if f else ""
            out.append(f"<p>{escape(doc_state(doc))}{tag}</p></section>")
            continue
        out.append(f"<p>Overall score <strong>{doc.score}/100</strong></p>")
        if doc.path in scored:
            out.append(f'<p><span class="tag tag-{scored[doc.path].outcome}">{escape(state_note(scored[doc.path]))}</span></p>')
        if doc.unreadable_pages:
            out.append(
                '<p class="muted">Unreadable pages: ' + escape(", ".join(f"{p} ({r})" for p, r in doc.unreadable_pages)) + "</p>"
            )
        out.append(_chart(doc))
        out.append(
            '<table class="verdicts"><thead><tr><th>Q</th><th>Verdict</th><th class="num">Score</th><th>Question</th>'
            "<th>Finding</th><th>Policy</th></tr></thead><tbody>"
        )
        doc_rows = [r for r in all_rows if r.doc is doc]
        for r in doc_rows:
            q = r.question
            tag = f'<span class="tag tag-{r.state}">{escape(state_note(r.finding))}</span>' if r.finding else ""
            close = (
                f' <span class="borderline" title="{escape(q.confidence_why)}">borderline</span>'
                if q.confidence == "borderline"
                else ""
            )
            out.append(
                f'<tr class="verdict" data-question="{q.id}" data-verdict="{q.status.value}" data-confidence="{q.confidence}">'
                f'<td>{q.id}</td><td class="v v-{q.status.value}">{q.status.value}{close}</td><td class="num">{q.score}</td>'
                f"<td>{escape(q.title)}</td><td>{escape(q.finding)}</td><td>{tag}</td></tr>"
            )
        out.append("</tbody></table>")
        check = borderline_rows(doc)
        if check:
            out.append(
                f'<p class="check"><strong>Borderline verdicts to check ({len(check)}):</strong> '
                + "; ".join(f"{q.id} {q.status.value}: {escape(q.confidence_why)}" for q in check)
                + "</p>"
            )
        out.append("<details open><summary>Evidence and what to add</summary>")
        for r in doc_rows:
            q = r.question
            out.append(f'<h3>{q.id} {escape(q.title)}: <span class="v v-{q.status.value}">{q.status.value}</span></h3>')
            if not q.evidence:
                out.append('<p class="muted">No evidence counted.</p>')
            for e in q.evidence:
                cue = f"; {escape(e.context.replace('_', ' '))}" if e.context else ""
                out.append(
                    f'<blockquote>{escape(e.quote)}<div class="where">{escape(where(e))} &middot; {escape(e.rule)} &middot; '
                    f"{escape(e.strength)}{cue}</div>"
                    + "".join(f'<div class="where">+ combined with {escape(line)}</div>' for line in combined_parts(e))
                    + "</blockquote>"
                )
            if note := confidence_note(q):
                out.append(f'<p class="check">{escape(note.capitalize())}</p>')
            if q.status in (Status.PARTIAL, Status.GAP) and q.guidance:
                out.append(f'<p class="add"><strong>Add:</strong> {escape(q.guidance)}</p>')
        out.append("</details></section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _questions_checked(report: Report) -> str:
    """The words for how many questions were checked: "the ten" for the built-in set, fewer for a selection."""
    ids = {q.id for doc in report.documents for q in doc.questions}
    n = len(ids) if ids else 10
    return f"the {_NUMBER_WORDS[n]}" if n < len(_NUMBER_WORDS) else f"{n}"
