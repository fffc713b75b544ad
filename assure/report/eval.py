"""Formatting for ``assure eval``: a plain-text summary and JSON.

Plain text (no colour, fixed columns) so the figures can be pasted into an issue or a
closing note as they are; JSON for CI and for comparing runs.
"""

from __future__ import annotations

from assure.evaluate import ORDINAL, EvalReport, Evaluation, Metrics, to_json


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.3f}"


def _kappa(x: float | None) -> str:
    return "   n/a" if x is None else f"{x:6.3f}"


def _confusion(m: Metrics) -> list[str]:
    lines = ["  confusion (rows: label, columns: verdict)", "               gap  partial      met"]
    for name, row in zip(ORDINAL, m.confusion, strict=True):
        lines.append(f"  {name:>9} {row[0]:>7} {row[1]:>8} {row[2]:>8}")
    for label, verdicts in m.off_scale.items():
        parts = ", ".join(f"{v.replace('_', ' ')} {n}" for v, n in verdicts.items())
        lines.append(f"  label {label.replace('_', ' ')}: {parts}")
    return lines


def _evaluation(ev: Evaluation, report: EvalReport) -> list[str]:
    o, u = ev.overall, ev.uncontested
    lines = [
        f"== {ev.name} ==",
        f"documents {ev.documents}; document status (ok / not applicable) accuracy {_pct(ev.document_accuracy).strip()}"
        f" ({ev.document_correct}/{ev.documents})",
        "",
        "question   n   agree  kappa  false-met missed-met | uncontested: n   agree  kappa",
    ]
    for qid in report.question_ids:
        m, mu = ev.per_question[qid], ev.per_question_uncontested[qid]
        lines.append(
            f"{qid:<6} {m.n:>5} {_pct(m.agreement)} {_kappa(m.kappa)} {m.false_met:>10} {m.missed_met:>10} |"
            f" {mu.n:>14} {_pct(mu.agreement)} {_kappa(mu.kappa)}"
        )
    lines.append(
        f"{'all':<6} {o.n:>5} {_pct(o.agreement)} {_kappa(o.kappa)} {o.false_met:>10} {o.missed_met:>10} |"
        f" {u.n:>14} {_pct(u.agreement)} {_kappa(u.kappa)}"
    )
    c = ev.contested
    lines.append(f"contested labels: {c.n} (agreement {_pct(c.agreement).strip()}, kappa {_kappa(c.kappa).strip()})")
    if ev.firm is not None and ev.borderline is not None:
        f, b = ev.firm, ev.borderline
        lines.append(
            f"firm verdicts: {f.n} (agreement {_pct(f.agreement).strip()}, kappa {_kappa(f.kappa).strip()},"
            f" false-met {f.false_met}); borderline: {b.n} (share {_pct(ev.borderline_share).strip()},"
            f" agreement {_pct(b.agreement).strip()})"
        )
    lines.append("")
    lines.extend(_confusion(o))
    lines.append("")
    lines.append(f"PDF/DOCX consistency: {ev.pairs} pair(s), {len(ev.disagreements)} disagreeing question verdict(s)")
    for d in ev.disagreements:
        lines.append(f"  {d.stem} {d.question}: pdf {d.pdf}, docx {d.docx}")
    if ev.false_met_items:
        lines.append(f"false-met (label gap, verdict met): {len(ev.false_met_items)}")
        lines.extend(f"  {it.document} {it.question}" + (" (contested)" if it.contested else "") for it in ev.false_met_items)
    if ev.missed_met_items:
        lines.append(f"missed-met (label met, verdict not met): {len(ev.missed_met_items)}")
        lines.extend(
            f"  {it.document} {it.question}: {it.predicted.replace('_', ' ')}" + (" (contested)" if it.contested else "")
            for it in ev.missed_met_items
        )
    for path, message in ev.errors:
        lines.append(f"error: {path}: {message}")
    return lines


def render_text(report: EvalReport) -> str:
    lines = [f"assure eval: {len(report.label_files)} label file(s)"]
    lines.extend(f"skipped: {s}" for s in report.skipped)
    lines.append("")
    for ev in report.results:
        lines.extend(_evaluation(ev, report))
        lines.append("")
    if len(report.results) > 1:
        lines.append("comparison          agree  kappa  false-met missed-met  doc-accuracy  pdf/docx-disagreements")
        for ev in report.results:
            o = ev.overall
            lines.append(
                f"{ev.name:<18} {_pct(o.agreement)} {_kappa(o.kappa)} {o.false_met:>10} {o.missed_met:>10}"
                f" {_pct(ev.document_accuracy):>13} {len(ev.disagreements):>23}"
            )
        lines.append("")
    return "\n".join(lines)


def render(report: EvalReport, fmt: str = "text") -> str:
    """``text`` or ``json``."""
    if fmt == "json":
        return to_json(report)
    return render_text(report)
