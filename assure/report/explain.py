"""``-f explain`` (``--explain``): every candidate hit, the pipeline step that decided it
and why, per question."""

from __future__ import annotations

from assure.models import DocStatus, Report
from assure.report._common import combined_parts, confidence_note, not_applicable_why
from assure.report.text import where


def render(report: Report) -> str:
    out: list[str] = []
    for doc in report.documents:
        out.append(f"== {doc.path} [{doc.status.value}]")
        if doc.error:
            out.append(f"   error [{doc.error['code']}]: {doc.error['message']}")
        if doc.status is DocStatus.NOT_APPLICABLE:
            out.append(f"   not applicable: {not_applicable_why(doc)}")
        for q in doc.questions:
            out.append(f"-- {q.id} {q.title}: {q.status.value} (score {q.score}) - {q.finding}")
            if note := confidence_note(q):
                out.append(f"   {note}")
            if not q.candidates:
                out.append("   (no candidate hits)")
            for e in q.candidates:
                cue = e.context.replace("_", " ") + (f": {e.cue}" if e.cue else "") if e.context else ""
                mark = f"counted: {e.strength}" + (f"; {cue}" if cue else "") if e.counted else f"set aside: {cue}"
                decided = f" \u2014 {e.step}: {e.reason}" if e.step else ""
                parts = combined_parts(e)
                if parts and e.counted and e.strength == "met" and (e.reason or "").startswith("lacks "):
                    # raised to met by what sits nearby (assure/corroborate.py): the sentence alone was partial
                    decided = f" \u2014 combined: on its own it {e.reason}; met with the part(s) below"
                out.append(f"   [{mark}] {e.rule} '{e.matched}' @ {where(e)}{decided}")
                out.append(f"      {e.quote}")
                out.extend(f"      + combined with {line}" for line in parts)
        out.append("")
    return "\n".join(out) + "\n"
