"""A self-contained HTML heatmap of an audit: documents x questions, coloured by verdict.

One file, no network: styles and the sorting script are inline, so the page can be
mailed or opened from a shared drive. Click a column header to sort by it (verdict
columns sort gap -> partial -> met; click again to reverse). Every cell links to that
document's evidence for that question further down the same page. Output is a pure
function of the report: no timestamps, stable order.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from assure.models import DocStatus, DocumentResult, Evidence, Report, Status
from assure.report._common import not_applicable_why
from assure.report.matrix import Questions, cell, question_ids, question_titles

# sort rank: worst first when ascending
RANK = {"gap": 0, "partial": 1, "met": 2, "unassessable": 3, "not_applicable": 4}
COLOURS = {
    "met": ("#1a7f37", "#ffffff"),
    "partial": ("#f2c94c", "#1f1f1f"),
    "gap": ("#cf222e", "#ffffff"),
    "unassessable": ("#8250df", "#ffffff"),
    "not_applicable": ("#d0d7de", "#1f1f1f"),
    "error": ("#57606a", "#ffffff"),
}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1f2328;line-height:1.4}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table.hm{border-collapse:collapse;font-size:.85rem}
table.hm th,table.hm td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:center}
table.hm td.doc{text-align:left;max-width:38rem;overflow-wrap:anywhere}
table.hm th button{all:unset;cursor:pointer;font-weight:600}
table.hm th button:focus-visible{outline:2px solid #0969da}
table.hm th[aria-sort=ascending] button::after{content:" \\25B2"}
table.hm th[aria-sort=descending] button::after{content:" \\25BC"}
table.hm td a{color:inherit;text-decoration:none;display:block}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.4rem;border-radius:3px;font-size:.8rem}
.ev{border-left:4px solid #d0d7de;margin:.5rem 0 .8rem;padding:.2rem .8rem}
.ev:target{background:#fff8c5}
blockquote{margin:.3rem 0 .3rem 1rem;color:#3d444d}
.where{color:#59636e;font-size:.8rem}
.small{color:#59636e;font-size:.85rem}
"""

JS = """
(function(){
  var table=document.getElementById('heatmap');
  var body=table.tBodies[0];
  var heads=table.tHead.rows[0].cells;
  function key(row,col,kind){
    var v=row.cells[col].getAttribute('data-sort');
    if(kind==='text'){return v;}
    return v===''?Infinity:parseFloat(v);
  }
  Array.prototype.forEach.call(heads,function(th,col){
    var btn=th.querySelector('button');
    if(!btn){return;}
    btn.addEventListener('click',function(){
      var kind=th.getAttribute('data-kind');
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir===1?'ascending':'descending');
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=key(a,col,kind),y=key(b,col,kind);
        if(x<y){return -dir;} if(x>y){return dir;}
        return parseInt(a.getAttribute('data-order'),10)-parseInt(b.getAttribute('data-order'),10);
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
})();
"""


def _kind(value: str) -> str:
    return "error" if value.startswith("error") else value


def _where(e: Evidence) -> str:
    if e.page is not None:
        return f"p.{e.page}" + (" (OCR)" if e.ocr else "") + (f", {e.section}" if e.section else "")
    return e.section or f"paragraph {e.block}"


def _doc_section(i: int, d: DocumentResult, ids: list[str]) -> list[str]:
    out = [f'<h3 id="d{i}">{escape(d.path)}</h3>']
    meta = [d.format or "unknown format"]
    if d.pages:
        meta.append(f"{d.pages} pages")
    if d.score is not None:
        meta.append(f"score {d.score}")
    out.append(f'<p class="small">{escape(", ".join(meta))}</p>')
    if d.status is DocStatus.ERROR:
        err = d.error or {}
        msg = f"error [{err.get('code', 'error')}]: {err.get('message', '')}"
        for qid in ids:
            out.append(f'<div class="ev" id="d{i}-{escape(qid)}"><strong>{escape(qid)}</strong>: {escape(msg)}</div>')
        return out
    if d.status is DocStatus.NOT_APPLICABLE:
        msg = f"not applicable: {not_applicable_why(d)}."
        for qid in ids:
            out.append(f'<div class="ev" id="d{i}-{escape(qid)}"><strong>{escape(qid)}</strong>: {escape(msg)}</div>')
        return out
    if d.unreadable_pages:
        pages = ", ".join(f"{p} ({r})" for p, r in d.unreadable_pages)
        out.append(f'<p class="small">unreadable pages: {escape(pages)}</p>')
    for q in d.questions:
        bg, _ = COLOURS[q.status.value]
        out.append(f'<div class="ev" id="d{i}-{escape(q.id)}" style="border-left-color:{bg}">')
        out.append(f"<strong>{escape(q.id)} {escape(q.title)}</strong>: {escape(q.status.value)}")
        if q.finding:
            out.append(f"<div>{escape(q.finding)}</div>")
        if q.confidence == "borderline":
            out.append(f'<div class="small">Borderline: {escape(q.confidence_why)}</div>')
        for e in q.evidence:
            out.append(
                f"<blockquote>\u201c{escape(e.quote)}\u201d "
                f'<span class="where">({escape(_where(e))}; {escape(e.rule)})</span></blockquote>'
            )
        if q.status in (Status.GAP, Status.PARTIAL) and q.guidance:
            out.append(f'<div class="small">To close: {escape(q.guidance)}</div>')
        out.append("</div>")
    return out


def render(
    report: Report, *, title: str = "assure audit", skipped: Sequence[tuple[str, str]] = (), questions: Questions | None = None
) -> str:
    """The whole page; ``skipped`` lists (path, same_as) duplicates left out of the audit;
    ``questions`` ((id, title) pairs, normally the ruleset's) fixes the columns."""
    # Long: a template written as code: the page's parts in reading order.
    ids = question_ids(report, questions)
    titles = question_titles(report, questions)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="small">{len(report.documents)} documents, {len(ids)} questions; assure {escape(report.tool_version)}. '
        "Click a column header to sort; click a cell for its evidence.</p>",
    ]
    parts.append(
        '<p class="legend">'
        + "".join(
            f'<span style="background:{bg};color:{fg}">{escape(name.replace("_", " "))}</span>'
            for name, (bg, fg) in COLOURS.items()
        )
        + "</p>"
    )
    parts.append('<table class="hm" id="heatmap"><thead><tr>')
    parts.append('<th data-kind="text"><button type="button">Document</button></th>')
    parts.append('<th data-kind="num"><button type="button">Score</button></th>')
    for qid in ids:
        parts.append(
            f'<th data-kind="num" title="{escape(titles.get(qid, ""))}"><button type="button">{escape(qid)}</button></th>'
        )
    parts.append("</tr></thead><tbody>")
    for i, d in enumerate(report.documents, 1):
        parts.append(
            f'<tr data-order="{i}"><td class="doc" data-sort="{escape(d.path.lower())}"><a href="#d{i}">{escape(d.path)}</a></td>'
        )
        parts.append(f'<td data-sort="{"" if d.score is None else d.score}">{"" if d.score is None else d.score}</td>')
        for qid in ids:
            value = cell(d, qid)
            kind = _kind(value)
            bg, fg = COLOURS.get(kind, ("#ffffff", "#1f2328"))
            rank = RANK.get(value, 5)
            label = value.replace("_", " ")
            parts.append(
                f'<td data-sort="{rank}" style="background:{bg};color:{fg}" title="{escape(qid)}: {escape(label)}">'
                f'<a href="#d{i}-{escape(qid)}">{escape(label)}</a></td>'
            )
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if skipped:
        parts.append("<h2>Skipped duplicates</h2><ul>")
        parts.extend(f"<li>{escape(p)}: same content as {escape(s)}</li>" for p, s in skipped)
        parts.append("</ul>")
    parts.append("<h2>Evidence</h2>")
    for i, d in enumerate(report.documents, 1):
        parts.extend(_doc_section(i, d, ids))
    parts.append(f"<script>{JS}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
