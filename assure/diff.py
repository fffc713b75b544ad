"""Compare two drafts of a plan question by question.

Each side is a document (checked now) or a JSON report from ``assure check -f json`` with
one document (so CI can compare against a saved report). For each question: the verdict
and score before and after, and the evidence added or lost (quotes compared with case and
spacing ignored, so a quote that only moved page is neither; a quote shown for one draft is lost
only if the other, checked now, no longer counts it at all, not when it is merely no longer among
the three quotes shown). Exit code 1 when any
question got worse, so ``assure diff`` can gate a pull request on regressions only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from assure.errors import AssureError
from assure.names import human_name

DIFF_VERSION = 1
RANK = {"met": 2, "partial": 1, "gap": 0}
ARROW = {
    "better": "\u25b2 better",
    "worse": "\u25bc worse",
    "same": "= same",
    "changed": "~ changed",
    "added": "+ added",
    "removed": "- removed",
}


@dataclass(frozen=True)
class QuestionDiff:
    id: str
    title: str
    old_status: str | None
    new_status: str | None
    old_score: int | None
    new_score: int | None
    change: str  # better | worse | same | changed | added | removed
    added: tuple[dict[str, Any], ...]  # evidence only in NEW
    lost: tuple[dict[str, Any], ...]  # evidence only in OLD

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "old": {"status": self.old_status, "score": self.old_score},
            "new": {"status": self.new_status, "score": self.new_score},
            "change": self.change,
            "evidence_added": list(self.added),
            "evidence_lost": list(self.lost),
        }


@dataclass(frozen=True)
class DocumentDiff:
    old: dict[str, Any]  # path, status, score
    new: dict[str, Any]
    questions: tuple[QuestionDiff, ...]

    @property
    def worse(self) -> list[QuestionDiff]:
        return [q for q in self.questions if q.change in ("worse", "removed")]

    def summary(self) -> dict[str, int]:
        out = {k: 0 for k in ARROW}
        for q in self.questions:
            out[q.change] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "diff_version": DIFF_VERSION,
            "old": self.old,
            "new": self.new,
            "questions": [q.as_dict() for q in self.questions],
            "summary": self.summary(),
        }


def load_side(path: str, check: Any) -> dict[str, Any]:
    """A JSON report's single document, or ``check(path)`` (a DocumentResult) as the same dict."""
    from assure.report.json import document_dict

    if path.lower().endswith(".json"):
        from assure.safeio import MAX_BASELINE_BYTES, read_json

        data = read_json(path, "file", MAX_BASELINE_BYTES, on_error=lambda msg: f"not a readable JSON report ({msg})")
        docs = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(docs, list) or "schema_version" not in data:
            raise AssureError("not an assure JSON report (assure check -f json)", path=path)
        if len(docs) != 1:
            raise AssureError(f"the JSON report has {len(docs)} documents; diff needs exactly one", path=path)
        doc = docs[0]
    else:
        from assure.discover import is_assure_report

        if is_assure_report(path, any_kind=True):
            raise AssureError(
                "a report assure wrote, not a draft; diff compares documents, or JSON reports (check -f json)", path=path
            )
        result = check(path)
        doc = document_dict(result)
        # every quote counted for each question, not only the three shown: evidence that is still in
        # the draft but no longer among the quotes shown is not "lost"
        doc[_COUNTED] = {q.id: {_key(e.quote) for e in q.candidates if e.counted} for q in result.questions}
    assert isinstance(doc, dict)
    if doc.get("status") == "error":
        err = doc.get("error") or {}
        raise AssureError(err.get("message", "could not be read"), path=doc.get("path", path))
    return doc


_COUNTED = "_counted_quotes"  # a checked document's side only; a saved JSON report shows its quoted evidence alone


def _key(quote: str) -> str:
    return re.sub(r"\s+", " ", quote).strip().casefold()


def _evidence(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "quote": e["quote"],
        "page": e.get("page"),
        "section": e.get("section"),
        "rule": e.get("rule"),
        "strength": e.get("strength"),
    }


def compare(old: dict[str, Any], new: dict[str, Any]) -> DocumentDiff:
    """Question-by-question differences between two document dicts (JSON report shape)."""
    oq = {q["id"]: q for q in old.get("questions", [])}
    nq = {q["id"]: q for q in new.get("questions", [])}
    ids = sorted(set(oq) | set(nq), key=lambda i: (int(i[1:]) if i[1:].isdigit() else 99, i))
    out = []
    for qid in ids:
        a, b = oq.get(qid), nq.get(qid)
        if a is None or b is None:
            change = "added" if a is None else "removed"
        elif a["status"] == b["status"]:
            change = "same"
        elif a["status"] in RANK and b["status"] in RANK:
            change = "better" if RANK[b["status"]] > RANK[a["status"]] else "worse"
        else:
            change = "changed"
        old_ev = {_key(e["quote"]): e for e in (a or {}).get("evidence", [])}
        new_ev = {_key(e["quote"]): e for e in (b or {}).get("evidence", [])}
        old_all = set(old_ev) | old.get(_COUNTED, {}).get(qid, set())
        new_all = set(new_ev) | new.get(_COUNTED, {}).get(qid, set())
        out.append(
            QuestionDiff(
                id=qid,
                title=(b or a)["title"],  # type: ignore[index]
                old_status=a["status"] if a else None,
                new_status=b["status"] if b else None,
                old_score=a["score"] if a else None,
                new_score=b["score"] if b else None,
                change=change,
                added=tuple(_evidence(e) for k, e in new_ev.items() if k not in old_all),
                lost=tuple(_evidence(e) for k, e in old_ev.items() if k not in new_all),
            )
        )

    def side(d: dict[str, Any]) -> dict[str, Any]:
        return {"path": d.get("path"), "status": d.get("status"), "score": d.get("score")}

    return DocumentDiff(old=side(old), new=side(new), questions=tuple(out))


def _where(e: dict[str, Any]) -> str:
    if e.get("page") is not None:
        return f"p.{e['page']}" + (f", {e['section']}" if e.get("section") else "")
    return e.get("section") or ""


def _delta(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return ""
    d = b - a
    return f"change {d:+d}" if d else "unchanged"


def _state(doc: dict[str, Any], delta: str = "") -> str:
    """``ok, score 72`` (and the change); a document not applicable has no score."""
    parts = [str(doc["status"]).replace("_", " ")]
    if doc.get("score") is not None:
        parts.append(f"score {doc['score']}")
    return ", ".join([*parts, delta] if delta else parts)


def _shown(value: object) -> str:
    """A verdict or score, or "-" where the document has none (not applicable, or a question
    only one side asks)."""
    return "-" if value is None else str(value)


def render_text(diff: DocumentDiff) -> str:
    o, n = diff.old, diff.new
    lines = [
        f"old: {human_name(o['path'])} ({_state(o)})",
        f"new: {human_name(n['path'])} ({_state(n, _delta(o['score'], n['score']))})",
        "",
    ]
    for q in diff.questions:
        lines.append(
            f"{q.id:<4} {q.title[:38]:<38} {_shown(q.old_status):>12} -> {_shown(q.new_status):<12} "
            f"{_shown(q.old_score):>4} -> {_shown(q.new_score):<4} {ARROW[q.change]}"
            + (f"  (+{len(q.added)}/-{len(q.lost)} evidence)" if q.added or q.lost else "")
        )
    for q in diff.questions:
        if not q.added and not q.lost:
            continue
        lines.append("")
        lines.append(f"{q.id} {q.title}: {_shown(q.old_status)} -> {_shown(q.new_status)}")
        lines += [f"  + \u201c{human_name(e['quote'])}\u201d ({human_name(_where(e))})" for e in q.added]
        lines += [f"  - \u201c{human_name(e['quote'])}\u201d ({human_name(_where(e))})" for e in q.lost]
    s = diff.summary()
    lines.append("")
    lines.append(", ".join(f"{v} {k}" for k, v in s.items() if v) or "no questions")
    return "\n".join(lines) + "\n"


def render_markdown(diff: DocumentDiff) -> str:
    from assure.report.markdown import esc

    o, n = diff.old, diff.new
    lines = [
        "## assure diff",
        "",
        f"**Old:** {esc(human_name(o['path']))} ({_state(o)})  ",
        f"**New:** {esc(human_name(n['path']))} ({_state(n, _delta(o['score'], n['score']))})",
        "",
        "| Q | Question | Old | New | Score | Change | Evidence |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for q in diff.questions:
        lines.append(
            f"| {q.id} | {esc(q.title)} | {q.old_status or ''} | {q.new_status or ''} "
            f"| {_shown(q.old_score)} \u2192 {_shown(q.new_score)} "
            f"| {ARROW[q.change]} | +{len(q.added)} / \u2212{len(q.lost)} |"
        )
    for q in diff.questions:
        if not q.added and not q.lost:
            continue
        lines += ["", f"**{q.id} {esc(q.title)}**", ""]
        lines += [f"- \u2795 {esc(e['quote'])} ({esc(_where(e))})" for e in q.added]
        lines += [f"- \u2796 {esc(e['quote'])} ({esc(_where(e))})" for e in q.lost]
    return "\n".join(lines) + "\n"


def render(diff: DocumentDiff, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(diff.as_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(diff)
    if fmt == "text":
        return render_text(diff)
    raise AssureError(f"unknown diff format {fmt!r} (choose from text, markdown, json)")
