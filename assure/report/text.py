"""The terminal gap report, rendered with rich.

Readable at 80 columns; colour only when asked (the CLI asks on a TTY without NO_COLOR).
"""

from __future__ import annotations

import io
from typing import Any

from assure.models import DocStatus, DocumentResult, Evidence, Report, Status
from assure.report._common import borderline_rows, combined_parts, confidence_note, not_applicable_why

SYMBOL = {
    Status.MET: "\u2714 met",
    Status.PARTIAL: "\u25d0 partial",
    Status.GAP: "\u2718 gap",
    Status.UNASSESSABLE: "? unassessable",
}
STYLE = {Status.MET: "green", Status.PARTIAL: "yellow", Status.GAP: "red", Status.UNASSESSABLE: "magenta"}


def where(e: Evidence) -> str:
    if e.page is not None:
        return f"p.{e.page}" + (" (OCR)" if e.ocr else "") + (f", {e.section}" if e.section else "")
    return e.section or f"paragraph {e.block}"


def _page_notes(doc: DocumentResult) -> list[str]:
    """The pages that could not be read, and those read by OCR with its confidence; a page OCR
    found almost nothing on is listed once, as unreadable."""
    notes = []
    if doc.unreadable_pages:
        listed = ", ".join(f"p.{p} ({r})" for p, r in doc.unreadable_pages[:12])
        more = f" and {len(doc.unreadable_pages) - 12} more" if len(doc.unreadable_pages) > 12 else ""
        notes.append(f"  unreadable pages: {listed}{more}")
    unreadable = {p for p, _ in doc.unreadable_pages}
    read = [(p, c) for p, c in doc.ocr_pages if p not in unreadable]
    if read:
        listed = ", ".join(f"p.{p} ({c:.0f}%)" for p, c in read[:12])
        more = f" and {len(read) - 12} more" if len(read) > 12 else ""
        notes.append(f"  read by OCR (confidence): {listed}{more}")
    return notes


def _document(console: Any, doc: DocumentResult) -> None:  # a rich Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    about = ", ".join(x for x in (doc.format or "", f"{doc.pages} page{'s' if doc.pages != 1 else ''}" if doc.pages else "") if x)
    header = f"{doc.path} ({about})" if about else doc.path  # nothing for a document that could not be read
    if doc.duplicate_of is not None:
        header += f", same content as {doc.duplicate_of}: its result repeated"
    console.print(Text(header, style="bold"), soft_wrap=True)  # never split a file name
    if doc.status is DocStatus.ERROR:
        err = doc.error or {}
        console.print(Text(f"  error [{err.get('code', 'error')}]: {err.get('message', '')}", style="red"), soft_wrap=True)
        console.print()
        return
    if doc.status is DocStatus.NOT_APPLICABLE:
        console.print(Padding(Text(f"not applicable: {not_applicable_why(doc)}."), (0, 0, 0, 2)))  # wrapped lines keep the indent
        console.print()
        return
    for note in _page_notes(doc):
        console.print(Text(note, style="magenta"))
    score = "n/a" if doc.score is None else str(doc.score)
    console.print(f"  overall score {score}/100")
    table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False, box=None)
    table.add_column("Q", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Question", ratio=1)
    table.add_column("Finding", ratio=2)
    for q in doc.questions:
        verdict = Text(SYMBOL[q.status] + (" ?" if q.confidence == "borderline" else ""), style=STYLE[q.status])
        table.add_row(q.id, verdict, str(q.score), q.title, q.finding)
    console.print(table)
    console.print()
    check = borderline_rows(doc)
    if check:  # close calls first, so a person knows where to look
        console.print(f"  borderline verdicts to check (?): {len(check)}")
        for q in check:
            console.print(Padding(Text(f"{q.id} {q.status.value}: {q.confidence_why}"), (0, 0, 0, 4)))
        console.print()
    for q in doc.questions:
        console.print(Text.assemble((f"{q.id} {q.title}: ", "bold"), (SYMBOL[q.status], STYLE[q.status])))
        for e in q.evidence:
            cue = f" [{e.context.replace('_', ' ')}: {e.cue}]" if e.context and e.cue else ""
            # wrapped lines keep their indent, so quotes, locations and advice stay readable at 80 columns
            console.print(Padding(Text(f"\u201c{e.quote}\u201d"), (0, 0, 0, 2)))
            console.print(Padding(Text(f"{where(e)} \u00b7 {e.rule} \u00b7 {e.strength}{cue}", style="dim"), (0, 0, 0, 4)))
            for line in combined_parts(e):
                console.print(Padding(Text(f"+ combined with {line}", style="dim"), (0, 0, 0, 4)))
        if note := confidence_note(q):
            console.print(Padding(Text(note.capitalize(), style="magenta"), (0, 0, 0, 2)))
        if q.status in (Status.PARTIAL, Status.GAP) and q.guidance:
            console.print(Padding(Text(f"Add: {q.guidance}", style="cyan"), (0, 0, 0, 2)))
        console.print()


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    unchecked = [d for d in report.documents if d.status is DocStatus.ERROR and (d.error or {}).get("code") == "interrupted"]
    for doc in report.documents:
        if len(unchecked) < 2 or doc not in unchecked:
            _document(console, doc)
    if len(unchecked) > 1:  # one line each, not three: an interrupted batch of hundreds stays readable
        console.print(Text(f"not checked, the run was interrupted: {len(unchecked)} documents", style="red"))
        for doc in unchecked:
            console.print(Text(f"  {doc.path}"), soft_wrap=True)
        console.print()
    if len(report.documents) > 1:
        totals: dict[str, int] = {}
        for d in report.documents:
            totals[d.status.value] = totals.get(d.status.value, 0) + 1
        verdicts: dict[str, int] = {}
        for d in report.documents:
            for q in d.questions:
                verdicts[q.status.value] = verdicts.get(q.status.value, 0) + 1
        line = f"{len(report.documents)} documents: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(totals.items()))
        if verdicts:
            order = ("met", "partial", "gap", "unassessable")
            line += "; questions: " + ", ".join(f"{verdicts[k]} {k}" for k in order if verdicts.get(k))
        console.print(line)
    # rich pads table cells to the column width; trailing blanks only get in the way of grep and diff
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
