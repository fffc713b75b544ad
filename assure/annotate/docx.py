"""DOCX in, DOCX out: a Word comment anchored on each evidence sentence, and a summary
comment on the first paragraph.

python-docx (1.2+) owns the comments part, so existing comments keep their ids and text
and new ones are numbered after them. The anchors are placed here rather than with
``Document.add_comment`` because a quote rarely starts or ends on a run boundary: the runs
at the quote's first and last characters are split (formatting copied to both halves), so
the comment covers exactly the quoted words. Runs inside tracked insertions, hyperlinks
and fields are split in place; deleted text (tracked deletions) is never part of a quote
and is left alone. Nothing else in the document is rewritten.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from assure.annotate.locate import KeyedText, fold, too_short
from assure.annotate.notes import AUTHOR, INITIALS, AnnotationResult, Placement, Target, summary_note, target_note, targets
from assure.errors import ExtractionError
from assure.interrupts import reraise_interrupt
from assure.models import DocumentResult
from assure.safewrite import write_output

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Runs under these are not part of the text a reader (or the extractor) sees.
_HIDDEN = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback"}
_ONE_CHAR = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _piece(child) -> str:
    """The text one child of a run contributes, as the extractor reads it."""
    if child.tag == f"{W}t":
        return child.text or ""
    return _ONE_CHAR.get(child.tag, "")


def _visible(run) -> bool:
    return not any(a.tag in _HIDDEN for a in run.iterancestors())


def _ancestor(el, tag: str):
    return next(el.iterancestors(tag), None)


class RunIndex:
    """Every visible character of the body with the run and offset it sits at."""

    def __init__(self, body) -> None:
        chars: list[str] = []
        self.where: list[tuple[object, int]] = []
        self.first_char: dict[object, int] = {}  # run -> index of its first character
        for run in body.iter(f"{W}r"):
            if not _visible(run):
                continue
            offset = 0
            self.first_char[run] = len(chars)
            for child in run:
                for ch in _piece(child):
                    chars.append(ch)
                    self.where.append((run, offset))
                    offset += 1
        self.chars = chars
        self.keyed = KeyedText.of(chars)
        self._numbers: dict[object, int] | None = None
        self.body = body

    def paragraph_number(self, index: int) -> int:
        """1-based number of the body paragraph holding character ``index`` (for the report)."""
        if self._numbers is None:
            self._numbers = {p: n for n, p in enumerate(self.body.iter(f"{W}p"), 1)}
        return self._numbers.get(_ancestor(self.where[index][0], f"{W}p"), 0)

    def split(self, run, at: int):
        """Split ``run`` after ``at`` characters and keep the index in step; returns the second run."""
        second = split_run(run, at)
        first = self.first_char[run]
        i = first + at
        while i < len(self.where) and self.where[i][0] is run:
            self.where[i] = (second, self.where[i][1] - at)
            i += 1
        self.first_char[second] = first + at
        return second

    def isolate(self, span: tuple[int, int]):
        """Split runs so that the span starts and ends on run boundaries; the first and last run."""
        start, end = span
        last, last_off = self.where[end - 1]
        if last_off + 1 < _run_length(last):
            self.split(last, last_off + 1)
        first, first_off = self.where[start]
        if first_off > 0:
            first = self.split(first, first_off)
        last = self.where[end - 1][0]
        return first, last

    def locate(self, target: Target) -> tuple[tuple[int, int] | None, str]:
        """The quote's character span, or None and why it cannot be placed exactly."""
        spans = self.keyed.find_all(target.quote)
        if not spans:
            return None, "its words were not found in the document's text"
        if len(spans) > 1:
            chosen = self._by_section(spans, target.section)
            if chosen is None:
                return None, f"its words appear {len(spans)} times and the heading does not tell which"
            spans = [chosen]
        elif too_short(target.quote) and target.section and self._by_section(spans, target.section) is None:
            return None, "too short to place safely outside its heading"
        start, end = spans[0]
        first_box = _ancestor(self.where[start][0], f"{W}txbxContent")
        last_box = _ancestor(self.where[end - 1][0], f"{W}txbxContent")
        if first_box is not last_box:
            return None, "it runs across a text box edge"
        return spans[0], ""

    def _by_section(self, spans: list[tuple[int, int]], section: str | None) -> tuple[int, int] | None:
        """The occurrence nearest after its heading's text (the section's last heading); of several
        under that heading, the first."""
        if not section:
            return None
        heading = fold(section.split(" > ")[-1])
        if not heading:
            return None
        best: tuple[int, tuple[int, int]] | None = None
        key, origin = self.keyed.key, self.keyed.origin
        for span in spans:
            start_key = origin.index(span[0])
            at = key.rfind(heading, 0, start_key)
            if at == -1:
                continue
            distance = start_key - at
            if best is None or distance < best[0]:
                best = (distance, span)
        if best is None:
            return None
        # the same words twice under one heading (a sentence repeated in a table and the text): the
        # first is marked, since the quote's words are the same at each
        best_heading = key.rfind(heading, 0, origin.index(best[1][0]))
        ties = [s for s in spans if s != best[1] and key.rfind(heading, 0, origin.index(s[0])) == best_heading]
        return min([best[1], *ties])


def _length(child) -> int:
    return len(_piece(child))


def split_run(run, at: int):
    """Split a run after ``at`` of its characters; returns the new second run (placed after it).

    Both halves keep the run's properties; each content element goes to the half that holds
    its characters, and a text element that straddles the split is cut in two."""
    second = copy.deepcopy(run)
    pos = 0
    for mine, theirs in zip(list(run), list(second), strict=True):
        if mine.tag == f"{W}rPr":
            continue
        n = _length(mine)
        if pos + n <= at:
            second.remove(theirs)
        elif pos >= at:
            run.remove(mine)
        else:
            text = mine.text or ""
            mine.text, theirs.text = text[: at - pos], text[at - pos :]
            mine.set(XML_SPACE, "preserve")
            theirs.set(XML_SPACE, "preserve")
        pos += n
    run.addnext(second)
    return second


def _run_length(run) -> int:
    return sum(_length(c) for c in run)


def _mark(doc, first, last, note: str) -> int:
    """Add a comment with ``note`` whose range runs from ``first`` to ``last`` (inclusive)."""
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    comment = doc.comments.add_comment(text=note, author=AUTHOR, initials=INITIALS)
    comment._comment_elm.attrib.pop(qn("w:date"), None)  # the same input gives the same bytes
    cid = str(comment.comment_id)
    first.addprevious(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid}))
    end = OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): cid})
    last.addnext(end)
    # the reference run sits at paragraph level, so it never joins a tracked insertion or a hyperlink
    holder = end
    while holder.getparent() is not None and holder.getparent().tag != f"{W}p":
        holder = holder.getparent()
    holder.addnext(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{cid}"/></w:r>'
        )
    )
    return int(cid)


def _first_paragraph_runs(index: RunIndex):
    """The first and last text run of the first paragraph with words in it (the title, usually)."""
    for i, ch in enumerate(index.chars):
        if ch.isalnum():
            para = _ancestor(index.where[i][0], f"{W}p")
            runs = [r for r, _ in index.where if _ancestor(r, f"{W}p") is para]
            return runs[0], runs[-1]
    return None


def stable_zip(data: bytes) -> bytes:
    """The package with fixed timestamps, so the same input gives byte-identical output."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def open_docx(source: Path):
    """python-docx's Document, after the same bomb and DTD checks the extractor makes."""
    import docx

    from assure.extract.docx import check_zip

    check_zip(source)
    try:
        return docx.Document(str(source))
    except Exception as exc:  # noqa: BLE001 - lxml and zip raise many kinds
        reraise_interrupt(exc)
        first = (str(exc).splitlines() or [""])[0][:120]
        raise ExtractionError(f"damaged DOCX ({type(exc).__name__}: {first})", path=str(source), code="corrupt") from None


def annotate(source: Path, result: DocumentResult, output: Path) -> AnnotationResult:
    doc = open_docx(source)
    index = RunIndex(doc.element.body)  # kept in step as runs are split
    placements: list[Placement] = []
    for target in targets(result):
        span, reason = index.locate(target)
        if span is None:
            placements.append(Placement(target, False, reason))
            continue
        location = f"paragraph {index.paragraph_number(span[0])}"
        first, last = index.isolate(span)
        _mark(doc, first, last, target_note(target))
        placements.append(Placement(target, True, location=location))
    anchor = _first_paragraph_runs(index)
    if anchor is not None:
        _mark(doc, anchor[0], anchor[1], summary_note(result, placements))
    buffer = io.BytesIO()
    doc.save(buffer)
    write_output(output, stable_zip(buffer.getvalue()), label="annotated copy", inputs=(source,))
    return AnnotationResult(str(source), str(output), "docx", tuple(placements))
