"""Read a PDF page the way a reviewer does: lines with their geometry and type, then blocks.

PDFium gives the text in content order (which keeps two-column reading order) with a line
break per printed line; for each line this module reads, from PDFium's character boxes and
font data, where it sits (x0, x1, top, bottom), its font size and whether it is bold. That is
a handful of calls per line, not per character, so it costs a few per cent over the plain
text (see benchmarks/speed.py).

From those lines it builds the document model a DOCX gives for free:

- paragraphs: lines join while the size holds, the vertical gap stays within a line's
  height and the line before did not end a sentence short of the column's edge; a paragraph
  broken by a page (or a column) continues when the next page's first prose line does not
  start a sentence;
- headings: lines set larger than the body text, or bold when the body is not, short and
  not ending a sentence; consecutive heading lines in one style are one heading; levels
  come from the document's ranking of heading sizes (largest is level 1);
- list items: a bullet or number starts one, indented lines continue it;
- what is not prose is marked with its place, so rules can weigh it
  (``places`` in rules.yaml): running headers and footers (``running``, kept apart in
  ``Document.furniture``), chart and infographic labels (``figure``), figure and table
  captions (``caption``), footnotes at the page foot in a small font (``footnote``) and
  contents pages (``contents``); superscript note markers inside sentences are dropped.
"""

from __future__ import annotations

import ctypes
import functools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile
from typing import Any, ClassVar, NamedTuple

from assure.extract.clean import (
    _BULLET,
    _CONTENTS_LINE,
    _CONTENTS_TITLE,
    _HEADING_NUMBER,
    _NUMBER_TOKEN,
    _PAGE_NUMBER,
    _SECTION_NUMBER,
    BlockBuilder,
    TableRows,
    _looks_like_heading,
    contents_numbers_ascend,
    is_running,
    join_hyphenated,
    place_for_heading,
    running_initial,
    section_number,
)
from assure.extract.clean import is_table_header as _table_header_text
from assure.models import Block, BlockKind, Place

is_table_header = functools.lru_cache(maxsize=4096)(_table_header_text)

_SENTENCE_END = re.compile(r"[.!?:;][\"')\]\u201d\u2019]*$")
_FULL_STOP = re.compile(r"[.!?][\"')\]\u201d\u2019]*$")
_CAPTION = re.compile(
    r"^(?:figure|fig\.|table|chart|graph|map|diagram|image|infographic|source|sources|data source|note|notes)"
    r"(?:\s+[0-9A-Z]{1,3}(?:\.[0-9]{1,2})?)?\s*[:.,\-\u2013\u2014|]\s*\S", re.IGNORECASE)
# "Figure 3 Percentage of households", "Table 11 Households owed a duty": a numbered title with no colon
_NUMBERED_CAPTION = re.compile(r"^(?:figure|fig\.|table|chart|graph|map|diagram)\s+[0-9]{1,3}[a-z]?(?:\.[0-9]{1,2})?\s+\S", re.IGNORECASE)
_FIGURE_TITLE = re.compile(r"^[£$]?\d[\d,.]*%?\s+[a-z]")  # "16 suicides", "3 million"
_BIG_FIGURE = re.compile(r"[£$]\d|\d[,.]\d|\d%|\d{3,}")
_SOURCES_LEAD = re.compile(r"(?:^|\s)(?:data )?sources?\s*:$", re.IGNORECASE)
_CODE_MARK = re.compile(r"^[A-Z]{1,3}\d{1,2}[.)]\s+[A-Z]")  # "SA4) Ensure that everyone ...": a coded objective
_SEQUENCE_NUMBER = re.compile(r"^(\d{1,2})\s+[A-Z][a-z]")
_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]?\s+\S")  # "6. Support", "(6) Support", "6 Support"


def _numbered_title(text: str) -> bool:
    """A dotted section number before a capitalised title ("8.3 Caseloads"), never a figure ("84.1 years")."""
    m = _SECTION_NUMBER.match(text)
    return m is not None and "." in m.group(1)


def _sequence_number(text: str) -> int | None:
    m = _SEQUENCE_NUMBER.match(text)
    return int(m.group(1)) if m else None


_STATEMENT_END = re.compile(r"[.!][\"')\]\u201d\u2019]*$")
_CLOSERS = "\"')]\u201d\u2019"  # what may follow the mark that ends a sentence (those three patterns' tail)
_SENTENCE_MARKS, _FULL_STOP_MARKS, _STATEMENT_MARKS = frozenset(".!?:;"), frozenset(".!?"), frozenset(".!")


_PLAIN_CLOSERS = "\"')]"
_TWO_SENTENCES = re.compile(r"[a-z]\. [A-Z]")


def _ends_with_mark(text: str, marks: frozenset[str], closers: str = _CLOSERS) -> bool:
    """``text`` ends with one of ``marks`` and then only ``closers`` (closing quotes or brackets),
    as the end-anchored patterns above find (their ``$`` also matches before a final line break),
    read from the end instead of searched for through the whole text."""
    end = text.rstrip(closers)[-1:]
    if end == "\n" and text[-1] == "\n":
        end = text[:-1].rstrip(closers)[-1:]
    return end in marks


def _ends_sentence(text: str) -> bool:
    """``_SENTENCE_END.search(text)``, as a truth value."""
    return _ends_with_mark(text, _SENTENCE_MARKS)


def _ends_full_stop(text: str) -> bool:
    """``_FULL_STOP.search(text)``, as a truth value."""
    return _ends_with_mark(text, _FULL_STOP_MARKS)


def _ends_statement(text: str) -> bool:
    """``_STATEMENT_END.search(text)``, as a truth value."""
    return _ends_with_mark(text, _STATEMENT_MARKS)
# "TABLE 1" or "Figure 3:" on a line of its own: a caption's number, its title on the next line
_BARE_CAPTION = re.compile(r"^(?:figure|fig\.|table|chart|graph|map|diagram)\s+[0-9]{1,3}[a-z]?(?:\.[0-9]{1,2})?\s*[:.]?$", re.I)
# a short entry ending with a web address ("Leeds Cares https://leeds-cares.org"): a list of links' item
_LINK_ENTRY = re.compile(r"^[^.!?]{3,120}\s(?:https?://|www\.)\S+$", re.I)
_CAPTION_INITIALS = "FfTtCcGgMmDdIiSsNn("  # the letters a caption (_CAPTION, _NUMBERED_CAPTION, _SOURCE) can open with
_SOURCE = re.compile(r"^\(?(?:source|sources|data source)s?\s*:", re.IGNORECASE)
# every first character those three patterns match, with the letters that match s and i when the case
# is ignored (long s, dotless i, dotted capital I)
_CAPTION_FIRST = frozenset(_CAPTION_INITIALS + "\u017f\u0131\u0130")
# the first three letters of those patterns' words, lower case: "fig"ure, "tab"le, "(so"urce, "dat"a source ...
_CAPTION_HEADS = frozenset(["fig", "tab", "cha", "gra", "map", "dia", "ima", "inf", "sou", "dat", "not", "(so", "(da"])
# a row of a data table read as one line: a label, then two or more figures
_FIGURE_TOKEN = re.compile(r"[-+\u2013]?[£$]?\d[\d,.]*%?|\([\d.,]+%?\)")


class _DataRow:
    """A label followed by two or more figures ("Adur 63,429 14,702 4,255"); a token test,
    not one regular expression (a backtracking pattern cost seconds on long lines)."""

    @staticmethod
    def match(text: str) -> bool:
        end = text[-1:]
        if end and not (end.isdecimal() or end in ",.%)" or end.isspace()):
            return False  # a figure ends a row, and most lines end in a letter: decided before the cache is asked
        if end in (".", ",") and not (text[-2:-1].isdecimal() or text[-2:-1] in ",."):
            return False  # a figure's point or comma follows a digit, a point or a comma; a sentence's follows a word
        return _DataRow._match(text)

    @staticmethod
    @functools.lru_cache(maxsize=8192)  # asked of each line and again of the line before it
    def _match(text: str) -> bool:
        last = text.rsplit(None, 1)
        if not last or not _FIGURE_TOKEN.fullmatch(last[-1]):
            return False  # no figure at the end (most lines): no need to split the whole line
        tokens = text.split()
        if len(tokens) < 3 or tokens[0][0].isdigit() or not any(c.isalpha() for c in tokens[0]):
            return False
        trailing = 0
        for tok in reversed(tokens):
            if _FIGURE_TOKEN.fullmatch(tok):
                trailing += 1
            else:
                break
        return trailing >= 2 and trailing < len(tokens)


_DATA_ROW = _DataRow()
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}(?![\d,.%])|[*\u2020\u2021\u00a7]|\[\d{1,3}\])\s*\S")
# digits ending a word (a note marker may follow a word, a figure or a full stop: "housing.12", "20152", "UK 1")
# (\d{1,4} written as \d\d{0,3}, the same numbers: a pattern opening on a character class lets the
# engine skip to the next digit in C, about twice as fast over a line with none, as most are)
_MARKER = re.compile(r"\d\d{0,3}(?=\s|$|[.,;:)])")
_UNICODE_SUPERSCRIPT = re.compile(r"(?<=\S)[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_ANY_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]")  # a quick test before the look-behind above
_LIST_MARK = re.compile(r"^\s*(?:[\u2010\u2011]\s+|[\u00bb\u27a2\u25ba\u2713\u2714\u25e6\u2192\u2794\u25b6\u25c6\u2666\u25aa\u25a0\uf0d8\uf076\uf0fc])\s*")
_HEADING_NUMBER_PREFIX = re.compile(r"^\s*[0-9]{1,2}(?:\.[0-9]{1,2})*\.?\s+")
_DATE_ONLY = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s+(?:19|20)\d\d\.?$",
    re.I,
)
# a year or a span of years ("2019", "2023-24"): \b(?:19|20)\d\d\s*[-\u2013/]\s*\d{2,4}\b|\b(?:19|20)\d\d\b written
# to open on its first digit (the word boundary asked after it, of the character before) with the
# span tried first: the same matches, found about twice as fast
_YEARS = re.compile(r"(?:1(?<!\w.)9|2(?<!\w.)0)\d\d(?:\s*[-\u2013/]\s*\d{2,4}\b|\b)")
_LONE_NUMBER = re.compile(r"^(?:[0-9]{1,2}(?:\.[0-9]{1,2})*\.?|[A-Z]\.)$")  # "3." alone, its title on the next line
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "to", "in", "for", "on", "at", "by", "with", "from", "into", "through", "about", "as", "and", "or", "but", "nor", "so", "than", "that", "which", "who", "whose", "this", "these", "those", "it", "its", "they", "their", "them", "we", "our", "us", "you", "your", "he", "she", "his", "her", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "not", "no"])

# a title never ends on these: a line that does is a sentence running on to the next line
_OPEN_ENDINGS = frozenset(["a", "an", "the", "of", "to", "by", "and", "or", "with", "for", "from", "in", "on", "at", "as",
                           # a condition or a verb left open ("Ensure that health equity assessments are carried out if")
                           "if", "whether", "because", "although", "unless", "is", "are", "will", "should", "must",
                           "would", "could", "can", "not",
                           "that", "which", "our", "their", "its", "per", "than", "into", "was", "were", "be", "has", "have"])

GAPPY_WIDTH = 0.7  # a line wider than this many font sizes per character has gaps between its words
CELL_GAP = 1.5  # font sizes of blank between two cells of a row
# a verb that makes a line ending in ":" a sentence opening a list ("The report will:", "Partners include:")
_LEAD_IN_VERB = re.compile(r"\b(?:will|shall|would|should|must|can|could|may|is|are|was|were|includes?|including|aims? to|"
                           r"seeks? to|sets? out|means|has|have|were asked|we)\b", re.I)
_QUESTION_TITLE = re.compile(r"(?:what|how|why|who|when|where)\b", re.I)  # "What we will do:", "How we will know:"
HEADING_SIZE_RATIO = 1.05  # a line this much larger than the body text may be a heading
FOOTNOTE_ZONE = 0.72  # footnotes start below this share of the page height
MAX_HEADING_WORDS = 30  # an Inspector's "Issue 1 – Are the amounts of housing ... national policy?" runs to 24
MAX_HEADING_LINES = 3
RUNNING_MARGIN = 0.08  # share of the page height at its top and bottom where running heads and feet sit
PARAGRAPH_GAP = 1.25  # baselines this much further apart than the document's usual line pitch: a new paragraph


@dataclass
class Line:
    """One printed line: its text, where it sits (points from the page's top-left) and its font."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0  # 0: unknown (no geometry for this page)
    bold: bool = False
    soft: bool = False  # PDFium ended it with a space: a soft wrap inside a paragraph
    baseline: float = 0.0  # of its first character, points from the top
    cells: tuple[str, ...] = ()  # text runs apart by wide gaps: the cells of a table row read as one line
    colour: int = -1  # 0xRRGGBB when the whole line is one colour
    bullet: bool = False  # a bullet drawn as a shape just left of it (no character in the text)
    underlined: bool = False  # a stroke under the whole line: set apart as a title is, like bold
    parts: tuple[Line, ...] = ()  # two titles side by side that PDFium joined: the halves

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class PageLines:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    tables: list[tuple[tuple[float, float, float, float], TableRows]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # shaded boxes: x0, top, x1, bottom
    ocr: bool = False  # read by OCR in a document with a text layer: its lines open no section
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # wide horizontal rules drawn on the page

    @property
    def styled(self) -> bool:
        return any(ln.size > 0 for ln in self.lines)


@functools.lru_cache(maxsize=1024)
def _bold_font(name: bytes, flags: int) -> bool:
    """Bold by the font's name or its ForceBold flag (asked per character, decided once per font)."""
    return bool(_BOLD_NAME.search(name.decode("latin-1", "replace"))) or bool(flags & (1 << 18))  # FontDescriptor ForceBold


class _TextCalls(NamedTuple):
    """PDFium's per-character text calls, taking the text page's address (see :func:`_text_calls`)."""

    char_box: Any
    font_size: Any
    char_origin: Any
    matrix: Any
    fill: Any
    weight: Any
    font_info: Any


@functools.cache
def _text_calls() -> _TextCalls:
    """The per-character calls with the text page passed as a plain address (ruled._rebind): about a fifth
    cheaper a call than through pypdfium2's typed pointer, and the reader makes a dozen a line."""
    import pypdfium2.raw as pdfium_c

    from assure.extract.ruled import _rebind

    def by_address(function: Any) -> Any:  # noqa: ANN401 - ctypes function pointers
        return _rebind(function, function.restype, ctypes.c_void_p, *function.argtypes[1:])

    return _TextCalls(*map(by_address, (
        pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetCharOrigin,
        pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetFillColor, pdfium_c.FPDFText_GetFontWeight,
        pdfium_c.FPDFText_GetFontInfo)))


def _address(textpage: Any) -> int:  # noqa: ANN401 - a pypdfium2 text page
    return ctypes.cast(textpage.raw, ctypes.c_void_p).value or 0


def read_lines(textpage, text: str, page_height: float) -> list[Line]:
    """The lines of ``text`` (PDFium's text of this page) with geometry and font.

    Only when PDFium's text maps one to one onto its characters (the usual case) can a line
    be located; otherwise the lines come back without geometry (size 0)."""
    # Long: one pass per line reads its box, font, markers and cells from PDFium, through the handle, calls
    # and out-parameters bound once per page below (split into helpers, each would bind them again per line).
    import pypdfium2.raw as pdfium_c

    raw_lines = text.split("\r\n")
    if len(text) != textpage.count_chars():
        return [Line(ln.rstrip(), soft=ln.endswith(" ")) for ln in raw_lines]
    left, right, bottom, top, ox, oy = (ctypes.c_double() for _ in range(6))
    buffer = ctypes.create_string_buffer(128)  # a font's name (its .raw is read without ctypes.string_at's cast)
    matrix = pdfium_c.FS_MATRIX()
    # read once per page, not per line: the text page's address, the calls, the out-parameters
    raw, (char_box, font_size, char_origin, get_matrix, fill, weight_of, font_info) = _address(textpage), _text_calls()
    matrix_ref, flags = ctypes.byref(matrix), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    flags_ref, buffer_size = ctypes.byref(flags), len(buffer)

    def font_bold(index: int) -> bool:
        """Bold by the font's weight, or when the weight says nothing (400 is often a default, some fonts
        report past 1000) by its name and flags."""
        weight = weight_of(raw, index)
        if 600 <= weight <= 1000:
            return True
        if 0 < weight < 600 and weight != 400:
            return False
        flags.value = 0  # as a fresh one: a failed call leaves it unwritten
        n = font_info(raw, index, buffer, buffer_size, flags_ref)
        return _bold_font(buffer.raw[: n - 1] if 0 < n <= buffer_size else b"", flags.value)

    out: list[Line] = []
    offset = 0
    for ln in raw_lines:
        start_of_line = offset
        offset += len(ln) + 2
        line_text = ln.rstrip()
        if not line_text:
            out.append(Line(""))
            continue
        start = start_of_line + len(line_text) - len(line_text.lstrip())
        end = start_of_line + len(line_text) - 1
        char_box(raw, start, left, right, bottom, top)
        x0, y_top, y_bottom = left.value, page_height - top.value, page_height - bottom.value
        char_box(raw, end, left, right, bottom, top)
        x1, end_top, end_bottom = right.value, page_height - top.value, page_height - bottom.value
        # (min and max of two, written out: what the builtins give, without their calls)
        y_top, y_bottom = end_top if end_top < y_top else y_top, end_bottom if end_bottom > y_bottom else y_bottom
        # the font of the line: read at its first and middle letters, the larger wins (small
        # capitals after a large initial, a superscript mid-line, must not shrink a heading)
        middle = start + (end - start) // 2
        while middle < end and ln[middle - start_of_line].isspace():
            middle += 1  # a space may be PDFium's own, with no font or colour ("6.2.2 Gender" read as not bold)
        # (a bullet glyph is often set larger than its item: the item's size is read after it, so a wrapped
        # item's next line, in the text's size, carries on under it)
        lead = start + 1 if ln[start - start_of_line] in _BULLET_GLYPHS else start
        while lead < end and ln[lead - start_of_line].isspace():
            lead += 1
        size = font_size(raw, lead if lead < end else start)
        if middle != start and (middle_size := font_size(raw, middle)) > size:
            size = middle_size
        get_matrix(raw, middle, matrix_ref)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        if 0.05 < scale and 1.0 < size * scale < 300:
            size *= scale  # the size as printed: a font set at 1 pt and scaled by the text matrix is common
        char_origin(raw, start, ox, oy)
        baseline = page_height - oy.value
        if ln[start - start_of_line].isdigit() and (
                lead := _leading_marker(textpage, ln, start_of_line, start, size, page_height - baseline)):
            line_text, baseline = ln[:start - start_of_line] + ln[lead[0]:].rstrip(), page_height - lead[1]
        if _MARKER.search(line_text):
            line_text = _drop_markers(textpage, line_text, start_of_line, size, page_height - baseline, raw)
        if not line_text.isascii() and _ANY_SUPERSCRIPT.search(line_text):  # (superscript digits are not ASCII)
            line_text = _UNICODE_SUPERSCRIPT.sub("", line_text)
        cells: tuple[str, ...] = ()
        stripped_len = end - start + 1
        if size > 1.5 and stripped_len >= 5 and x1 - x0 > GAPPY_WIDTH * stripped_len * size:
            cells = _cells(textpage, ln, start_of_line, start, end, size)
        # bold from end to end (a bold phrase inside body text makes no title): the middle, start and end letters, each once
        bold = font_bold(middle) and (start == middle or font_bold(start)) and (end == middle or end == start or font_bold(end))
        # the fill colour from end to end, or -1 when the line mixes colours (a link inside a sentence)
        colour = -1
        if fill(raw, start, r, g, b, a):
            colour = (r.value << 16) | (g.value << 8) | b.value
            if middle != start and (not fill(raw, middle, r, g, b, a) or (r.value << 16) | (g.value << 8) | b.value != colour):
                colour = -1
            elif end != start and end != middle and (
                    not fill(raw, end, r, g, b, a) or (r.value << 16) | (g.value << 8) | b.value != colour):
                colour = -1
        line = Line(line_text, x0, x1, y_top, y_bottom, size, bold, ln[-1:] == " ", baseline, cells, colour)
        if bold:
            if not cells and _INNER_SENTENCE_END.search(line_text):
                line.parts = _titles_side_by_side(textpage, line, ln, start_of_line, start, end)
            elif _title_cells(cells):
                line.parts = _titles_over_panels(textpage, line, ln, start_of_line, start, end)
        out.append(line)
    _size_from_height(out)
    return out


_BULLET_GLYPHS = frozenset("\u2022\u25cf\u25aa\u25a0\u2023\u2043\u2219\u00b7\u25e6")
_LEADING_MARKER = re.compile(r"\d{1,3}\s+(?!https?:|www\.)(?=[a-z]+[\s,;])")


def _leading_marker(textpage, ln: str, offset: int, start: int, size: float, baseline_y: float) -> tuple[int, float] | None:
    """A note marker set above the words after it, left at the head of a line PDFium split there
    ("... a 'social determinant'" / "1 in the Marmot Review"): where the words start in ``ln``
    and their baseline (PDF coordinates), so the marker goes and the sentence carries on."""
    import pypdfium2.raw as pdfium_c

    lead = _LEADING_MARKER.match(ln, start - offset)
    if not lead:
        return None
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, offset + lead.end(), ox, oy)
    return (lead.end(), oy.value) if baseline_y - oy.value > max(0.2 * size, 1.0) else None


_INNER_SENTENCE_END = re.compile(r"[?.!:]\s+[A-Z]")
SET_APART = 1.8  # a title in the body type: the gap above it over the gap below it, at least
SIDE_BY_SIDE = 2.0  # font sizes of blank between two titles on one baseline, each over its own panel
TITLE_GUTTER = 3.0  # font sizes of blank between two titles PDFium read as one line, one over each column


def _titles_side_by_side(textpage, line: Line, raw: str, offset: int, start: int, end: int) -> tuple[Line, ...]:
    """Two bold titles printed side by side, one over each column, that PDFium gave as one line
    ("What are the co-benefits ...?      Who are the key players?"): the two halves, split at the
    gutter (the reader uses them when the line is set as a heading)."""
    for k, gap_left, gap_right in _gaps(textpage, raw, offset, start, end, TITLE_GUTTER * line.size):
        first, second = raw[: k - offset].strip(), raw[k - offset:].strip()
        if not (_SENTENCE_END.search(first) and second[:1].isupper()):
            return ()  # a gap inside one sentence (justified text), not two titles
        return replace(line, text=first, x1=gap_left, soft=False), replace(line, text=second, x0=gap_right)
    return ()


MAX_PANEL_TITLES = 4
_TITLE_CELL = re.compile(r"[A-Z][^\d.!?:;,]*")  # "Sexual Orientation", "Marriage/Civil Partnership": no figure, no sentence


def _title_cells(cells: tuple[str, ...]) -> bool:
    """Two to four short capitalised runs apart by wide gaps: candidate titles of panels side by side."""
    return 2 <= len(cells) <= MAX_PANEL_TITLES and all(len(c.split()) <= 4 and _TITLE_CELL.fullmatch(c) for c in cells)


def _titles_over_panels(textpage, line: Line, raw: str, offset: int, start: int, end: int) -> tuple[Line, ...]:
    """Short bold titles, one over each panel of a row ("Religion      Sexual Orientation"), that
    PDFium gave as one line: each title with its own extent, so the text under each panel is
    read under its own title (the reader uses them when the line is set as a heading). Each
    gap must be a gutter (two font sizes or more), not a wide word space of one title."""
    gaps = list(_gaps(textpage, raw, offset, start, end, SIDE_BY_SIDE * line.size))
    if len(gaps) != len(line.cells) - 1:
        return ()
    lefts = [line.x0, *(right for _, _, right in gaps)]
    rights = [*(left for _, left, _ in gaps), line.x1]
    return tuple(replace(line, text=text, x0=x0, x1=x1, soft=False, cells=())
                 for text, x0, x1 in zip(line.cells, lefts, rights, strict=True))


def edge_lines(page: PageLines, edge: int = 3) -> list[str]:
    """The page's first and last lines in text order and its topmost and bottommost lines on the
    page, for finding running heads: PDFium often gives a corner header in the middle of the
    text ("Public Health Data Profiles 2024/25" drawn last, top right)."""
    texts = [ln for ln in page.lines if ln.text.strip()]
    by_top = sorted((ln for ln in texts if ln.size > 0), key=lambda ln: (ln.top, ln.x0))
    margin = RUNNING_MARGIN * page.height
    first = texts[:edge] + [ln for ln in by_top[:edge] if ln.top < margin]
    last = [ln for ln in by_top[-edge:] if ln.bottom > page.height - margin] + texts[-edge:]
    return [ln.text for ln in first] + [ln.text for ln in last]


def margin_lines(page: PageLines) -> list[str]:
    """The lines set in the page's top or bottom margin band in type no larger than the page's
    middle size: a running head printed only over one part of a document (a profile's source
    line on seven of fifteen pages) is found by where it stands, not by how often."""
    sized = sorted(ln.size for ln in page.lines if ln.size > 0 and ln.text.strip())
    if not sized:
        return []
    middle, margin = sized[len(sized) // 2], RUNNING_MARGIN * page.height
    return [ln.text for ln in page.lines if ln.text.strip() and 0 < ln.size <= middle
            and (ln.bottom < margin or ln.top > page.height - margin)]


def _size_from_height(lines: list[Line]) -> None:
    """A line whose font reports 1 pt (its size set by a transform PDFium does not fold into
    the text matrix) gets the size its height implies, at the page's usual height per point."""
    if not any(0 < ln.size <= 1.5 and ln.bottom - ln.top > 3 for ln in lines):
        return  # (most pages: no line to size, so the page's usual height per point is not needed)
    ratios = sorted((ln.bottom - ln.top) / ln.size for ln in lines if ln.size > 1.5 and ln.bottom > ln.top)
    if not ratios:
        return
    ratio = ratios[len(ratios) // 2]
    for ln in lines:
        if 0 < ln.size <= 1.5 and ln.bottom - ln.top > 3 and ratio > 0:
            ln.size = (ln.bottom - ln.top) / ratio


def _gaps(textpage, raw: str, offset: int, start: int, end: int, wider_than: float) -> Iterator[tuple[int, float, float]]:
    """``(k, left, right)`` for each gap wider than ``wider_than`` points between two printed
    characters of a line: ``k`` the character after the gap, ``left``/``right`` its edges."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    last_right: float | None = None
    handle, char_box = _address(textpage), _text_calls().char_box
    for k, char in enumerate(raw[start - offset : end - offset + 1], start):
        if char.isspace():
            continue
        char_box(handle, k, left, right, bottom, top)
        if last_right is not None and left.value - last_right > wider_than:
            yield k, last_right, left.value
        last_right = right.value


def _cells(textpage, raw: str, offset: int, start: int, end: int, size: float) -> tuple[str, ...]:
    """The text runs of a line that PDFium joined across wide gaps (a table row without
    ruling: "Aldwick    Arun    65.9%"), when there are two or more."""
    cuts = [k - offset for k, _, _ in _gaps(textpage, raw, offset, start, end, CELL_GAP * size)]
    bounds = [start - offset, *cuts, end - offset + 1]
    cells = [" ".join(raw[a:b].split()) for a, b in zip(bounds, bounds[1:], strict=False)]
    return tuple(cells) if len(cells) >= 2 else ()


def _drop_markers(textpage, line: str, offset: int, size: float, baseline_y: float, address: int = 0) -> str:
    """Remove note markers: trailing digits of a word set above the line's baseline (a
    superscript), whatever their font size says. ``baseline_y`` is in PDF coordinates;
    ``address``, when given, is the text page's (:func:`_address`, read once a page by the caller)."""
    matches = [m for m in _MARKER.finditer(line) if m.start()]  # a number opening the line is a list number or a footnote's own number
    if not matches:
        return line  # (one line in eight: no PDFium call, nor its handle's address, needed)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rise = max(0.2 * size, 1.0)
    raw, char_origin = address or _address(textpage), _text_calls().char_origin
    known: dict[int, float] = {}  # a row of figures asks the same letter before each of its numbers

    def origin_y(i: int) -> float:
        y = known.get(i)
        if y is None:
            char_origin(raw, offset + i, ox, oy)
            y = known[i] = oy.value
        return y

    cut: list[tuple[int, int]] = []
    for m in matches:
        first, end = m.span()
        # raised above the text it follows, not above the line's first word: a table's header
        # row ("19 hours or / less  20-49 hours") sets its cells at different heights
        before = len(line[:first].rstrip("0123456789,").rstrip()) - 1  # past a run of markers ("12,13")
        base = origin_y(before) if before >= 0 else baseline_y
        start = end
        while start > first and origin_y(start - 1) - base > rise:
            start -= 1
        if start < end and (start > first or not line[first - 1].isdigit()):
            cut.append((start - 1 if start == first and line[start - 1] == " " else start, end))
    for s, e in reversed(cut):
        line = line[:s] + line[e:]
    return line


# -- turning lines into blocks -----------------------------------------------------------


@dataclass
class Item:
    """A block before its section path is known."""

    kind: BlockKind
    lines: list[Line]
    page: int
    place: Place | None = None
    level: int = 0
    styled_heading: bool = True
    table: TableRows | None = None
    # the joined text and the number of lines it was joined from, and the flat text and the text it
    # was folded from: set on the instance when first asked (the passes ask each item many times)
    _text_lines: ClassVar[int] = -1
    _text: ClassVar[str] = ""
    _flat_of: ClassVar[str | None] = None
    _flat: ClassVar[str] = ""

    @property
    def text(self) -> str:
        if self._text_lines == len(self.lines):
            return self._text
        text = self._join()
        self._text_lines, self._text = len(self.lines), text  # type: ignore[misc]
        return text

    @property
    def flat(self) -> str:
        """``text`` on one line, its spaces folded (asked of each item by several passes)."""
        text = self.text
        if self._flat_of is text:
            return self._flat
        flat = " ".join(text.split())
        self._flat_of, self._flat = text, flat  # type: ignore[misc]
        return flat

    def _join(self) -> str:
        out = ""
        for ln in self.lines:
            t = ln.text.strip()
            if not t:
                continue
            out += t if not out or t[0] in ".,;:)" else "\n" + t
        return join_hyphenated(out)

    @property
    def size(self) -> float:
        return self.lines[0].size if self.lines else 0.0


def _round_size(size: float) -> float:
    return round(size * 2) / 2


BODY_LINE_WORDS = 5  # a line of running text holds this many words; a chart's ticks and labels fewer


def body_style(pages: list[PageLines]) -> tuple[float, bool]:
    """The body text's font size and whether it is bold: the style of most characters in
    lines of several words (a data profile's many short chart labels in 6.5 pt are not its
    text), or of all lines when none has that many."""
    # characters by exact size, rounded once per size after the pass (in the order the sizes were
    # first met, so the rounded sizes tie as they would counted line by line)
    by_size: dict[float, int] = {}
    bold = regular = 0
    for running_text in (True, False):
        for page in pages:
            for ln in page.lines:
                # (a split cut after the fifth word says whether there are five)
                if ln.size > 0 and (not running_text or len(ln.text.split(None, BODY_LINE_WORDS - 1)) >= BODY_LINE_WORDS):
                    n = len(ln.text)
                    by_size[ln.size] = by_size.get(ln.size, 0) + n
                    if ln.bold:
                        bold += n
                    else:
                        regular += n
        if by_size:
            break
    if not by_size:
        return 0.0, False
    sizes: Counter[float] = Counter()
    for size, n in by_size.items():
        sizes[_round_size(size)] += n
    return sizes.most_common(1)[0][0], bold > regular


def body_colour(pages: list[PageLines]) -> int:
    """The colour most body characters are printed in."""
    colours: Counter[int] = Counter()
    for page in pages:
        for ln in page.lines:
            if ln.size > 0 and ln.colour >= 0:
                colours[ln.colour] += len(ln.text)
    return colours.most_common(1)[0][0] if colours else -1


KICKER_WORDS = 4
CHAPTER_PAGES = 3


def chapter_size(pages: list[PageLines], body_size: float) -> float:
    """The size of the document's chapter titles: the largest size of short lines set larger than
    the body on three pages or more (a cover's title, on one page, is not a chapter's)."""
    pages_by_size: dict[float, set[int]] = {}
    for page in pages:
        for ln in page.lines:
            if ln.size >= HEADING_SIZE_RATIO * body_size > 0 and len(_words(ln.text)) <= TITLE_WORDS:
                pages_by_size.setdefault(_round_size(ln.size), set()).add(page.number)
    return max((size for size, seen in pages_by_size.items() if len(seen) >= CHAPTER_PAGES), default=0.0)


def line_pitch(pages: list[PageLines]) -> float:
    """The usual distance between the baselines of two lines of one paragraph, in font sizes:
    the commonest ratio between consecutive lines in the same size and margin."""
    ratios: Counter[float] = Counter()
    for page in pages:
        prev: Line | None = None
        for ln in page.lines:
            if ln.size <= 0 or not ln.text.strip():
                continue
            if prev is not None and abs(prev.size - ln.size) < 0.3 and abs(prev.x0 - ln.x0) < 3:
                ratio = (ln.baseline - prev.baseline) / ln.size
                if 0.9 < ratio < 2.6:
                    ratios[round(ratio * 20) / 20] += 1
            prev = ln
    return ratios.most_common(1)[0][0] if ratios else 1.2


_words: Callable[[str], list[str]] = str.split  # a line's words (str.split itself: asked of nearly every line and item)


def _more_words_than(text: str, n: int) -> bool:
    """``len(_words(text)) > n``, splitting no further than the n+1st word (a paragraph's words are many)."""
    return len(text.split(None, n)) > n


_strip_glue_punctuation = operator.methodcaller("strip", ",.;:()")
_DIGIT_CHARS = "0123456789"  # (counted one by one: no copy of the text, as deleting them made)


@functools.lru_cache(maxsize=4096)
def is_prose(text: str) -> bool:
    """Running sentences rather than a label, a figure or a fragment."""
    # each figure holds a digit: with fewer than three digits the figures cannot be many, and the words
    # are counted only as far as the tests below need (most texts are paragraphs of many words)
    digits = sum(map(text.count, _DIGIT_CHARS)) if text.isascii() else len(text)
    # up to ten words, as many as the tests ask, and with three digits or more, past two and a half
    # words a digit: a text of more words than that has too few figures for the test of figures
    words = text.split(None, 9 if digits < 3 else max(9, int(2.5 * digits) + 1))
    if not words:
        return False
    if digits >= 3 and digits >= 0.4 * len(words):
        numbers = len(_NUMBER_TOKEN.findall(text))
        if numbers >= 3 and numbers >= 0.4 * len(words):
            return False
    if _ends_sentence(text) and len(words) >= 4:
        return True
    if len(words) < 10:
        return False
    words = _words(text.lower())  # (lower case once for the whole text: the same words, as many)
    glue = sum(map(_FUNCTION_WORDS.__contains__, map(_strip_glue_punctuation, words)))
    return glue >= 0.15 * len(words)


_TRAILING_FIGURE = re.compile(r"\s+([-+\u2013]?[£$]?\d[\d,.]*(?:[-\u2010\u2013]\d[\d,.]*)?%?(?:\s*\([\d.,]+%?\))?)\s*$")


def _data_row_cells(text: str) -> TableRows:
    """A data row PDFium read as one line, cut into its label and its figures."""
    figures: list[str] = []
    while (m := _TRAILING_FIGURE.search(text)) and len(figures) < 20:
        figures.insert(0, m.group(1))
        text = text[:m.start()]
    return TableRows(((text.strip(), *figures),))


def is_caption(text: str) -> bool:
    """A figure or table caption, or a source line under one; never a sentence about the figure."""
    # asked of every line: most open with three letters no caption word does ("The", "inc"), decided
    # before the cache
    head = text[:3]
    if head.isascii():
        if head.lower() not in _CAPTION_HEADS:
            return False
    elif text[:1] not in _CAPTION_FIRST:
        return False
    return _caption(text)


@functools.lru_cache(maxsize=4096)
def _caption(text: str) -> bool:
    if _more_words_than(text, 40):
        return False
    if _SOURCE.match(text) or _CAPTION.match(text):
        return True
    if not _NUMBERED_CAPTION.match(text):
        return False
    # "Figure 1 Percentage of households by tenure. Census 2021." is a title; "Figure 1 shows ..." a sentence
    title_word = text.split()[2] if len(text.split()) > 2 else ""
    return not _ends_full_stop(text) or (title_word[:1].isupper() and len(_words(text)) <= 30)


BANNER_CELLS = 3  # labels on one line, one over each column of a panel
BANNER_CELL_WORDS = 6


def _banner_labels(item: Item) -> bool:
    """One line that PDFium joined across three or more wide gaps, each run a short phrase and
    none a sentence ("Actions at an INDIVIDUAL level   Actions at a COMMUNITY level   ..."):
    the titles of an infographic's columns, not a sentence of the text."""
    if item.kind is not BlockKind.PARAGRAPH or len(item.lines) != 1 or len(item.lines[0].cells) < BANNER_CELLS:
        return False
    cells = item.lines[0].cells
    return all(len(_words(c)) <= BANNER_CELL_WORDS and not _ends_sentence(c) and not _ends_full_stop(c) for c in cells)


def _quantity_label(text: str) -> bool:
    """A figure and what it counts ("250 healthtech companies"): a short phrase, no sentence,
    whose number is followed by a lower-case word, so not a note marker before a note's text."""
    words = _words(text)
    return (len(words) <= 6 and len(words) >= 2 and words[1][:1].islower() and words[1][:1].isalpha()
            and not _ends_sentence(text) and "www" not in text and "http" not in text)


@functools.lru_cache(maxsize=4096)
def _numeric(text: str) -> bool:
    """Mostly figures: no more words than numbers ("2,310 2,050", "79% 85%", "21% of adults")."""
    numbers = len(_NUMBER_TOKEN.findall(_YEARS.sub("Y", _HEADING_NUMBER_PREFIX.sub("", text))))
    words = sum(1 for w in _words(text) if sum(map(str.isalpha, w)) >= 2)
    return (numbers >= 2 and words <= numbers) or (numbers >= 1 and words == 0)


# a bullet, a list mark or a coded objective opening the line: the three patterns in one, tried once
_ITEM_MARK = re.compile(f"(?:{_BULLET.pattern})|(?:{_LIST_MARK.pattern})|(?:{_CODE_MARK.pattern})")


def _is_bullet(text: str) -> bool:
    """(Not cached: one match costs less than a cache's miss, and each line is asked about once or twice.)"""
    return _ITEM_MARK.match(text) is not None


def _stripped_item_mark(text: str) -> bool:
    """``_is_bullet`` of a stripped line. A capital A-Z can only open a coded objective ("SA4) ..."),
    whose code has a digit at its second character or a capital there; most lines ("The ...") are
    decided by those two characters without the pattern."""
    if "A" <= text[:1] <= "Z" and not ("A" <= text[1:2] <= "Z" or text[1:2].isdecimal()):
        return False
    if "a" <= text[:1] <= "z" and text[:1] != "o" and text[1:2] not in (".", ")"):
        return False  # a lower-case letter opens only "a) ", "b. " or the bullet "o " (most wrapped lines)
    return _ITEM_MARK.match(text) is not None


def merge_wrapped_rows(table: TableRows) -> TableRows:
    """Join rows that only carry on the cells of the row above (a cell's text wrapped onto
    lines a table reader took for rows of their own): the first filled cell opens in lower
    case, or the first column is empty while the row above has it filled."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells = list(row)
        first = next((c for c in cells if c), "")
        wrapped = rows and len(cells) == len(rows[-1]) and (
            first[:1].islower() or (not cells[0] and rows[-1][0] and any(cells[1:])))
        if wrapped:
            rows[-1] = [" ".join(x for x in (a, b) if x) for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return TableRows(tuple(tuple(r) for r in rows))


MIN_GRID_ROWS = 2
WIDE_CELL = 0.3  # of the page width: two such "cells" side by side are two columns of prose


def grid_tables(lines: list[Line], width: float) -> list[tuple[tuple[float, float, float, float], TableRows]]:
    """Tables without ruling that pdfplumber was not asked about, found from geometry: two or
    more rows in which separate text runs share a baseline in the same columns. Lines below a
    row and above the next (a cell's wrapped text) join the cell whose column they sit in."""
    placed = [ln for ln in lines if ln.size > 0 and ln.text.strip()]
    if len(placed) < 4:
        return []
    # a line as wide as a column of prose is never one cell of a row of cells
    by_line = sorted((ln for ln in placed if ln.x1 - ln.x0 <= WIDE_CELL * width), key=lambda ln: (ln.baseline, ln.x0))
    anchors: list[list[Line]] = []
    i = 0
    while i < len(by_line):
        band = [by_line[i]]
        j = i + 1
        while j < len(by_line) and abs(by_line[j].baseline - band[0].baseline) <= 0.3 * band[0].size:
            band.append(by_line[j])
            j += 1
        if len(band) >= 2:  # (a line alone on its baseline, most lines, is no row of cells)
            band.sort(key=lambda ln: ln.x0)
            separate = all(b.x0 - a.x1 > 0.8 * a.size for a, b in zip(band, band[1:], strict=False))
            prose_columns = all(ln.x1 - ln.x0 > WIDE_CELL * width for ln in band)
            if separate and not prose_columns:
                anchors.append(band)
        i = j
    tables: list[tuple[tuple[float, float, float, float], TableRows]] = []
    run: list[list[Line]] = []

    def columns_of(band: list[Line]) -> list[float]:
        return [ln.x0 for ln in band]

    def same_columns(a: list[Line], b: list[Line]) -> bool:
        shared = sum(1 for x in columns_of(b) if any(abs(x - y) < 6 for y in columns_of(a)))
        return shared >= 2

    def close_run() -> None:
        cells = [ln for band in run for ln in band]
        wide = sum(1 for ln in cells if ln.x1 - ln.x0 > WIDE_CELL * width)
        if len(run) >= MIN_GRID_ROWS and wide < 0.4 * len(cells):
            box, table = _grid(run, placed)
            if _is_real_table(table):
                tables.append((box, table))
        run.clear()

    for band in anchors:
        if run and (not same_columns(run[-1], band) or band[0].baseline - run[-1][0].baseline > 8 * band[0].size):
            close_run()
        run.append(band)
    close_run()
    return tables


_FIGURE_CELL = re.compile(r"^[-+\u2013]?[£$]?\d[\d,.]*\s*%?(?:\s*\([\d.,]+%?\))?$")


def _figure_cell(text: str) -> bool:
    """``_FIGURE_CELL.match(text)`` as a truth value: a figure opens with a sign, a currency or a digit."""
    first = text[:1]
    return (first.isdecimal() or first in "-+\u2013\u00a3$(") and _FIGURE_CELL.match(text) is not None


def _is_real_table(table: TableRows) -> bool:
    """Cells sharing baselines are a table (not infographic panels side by side) when the first
    row reads as a header of one, or a column after the first holds figures in most rows."""
    if not table.rows:
        return False
    header = [c for c in table.rows[0] if c]
    if is_table_header(" ".join(header)):
        return True
    if len(header) >= 3 and all(len(c.split()) <= 3 and not any(ch.isdigit() for ch in c) and c[:1].isupper()
                                and not _ends_sentence(c) for c in header):
        return True  # "Action | Lead | By": a row of short column titles over the rows
    width = max(len(r) for r in table.rows)
    for k in range(1, width):
        filled = [r[k] for r in table.rows if k < len(r) and r[k]]
        if len(filled) >= 2 and sum(1 for c in filled if all(_FIGURE_CELL.match(p) for p in c.split())) >= 0.6 * len(filled):
            return True
    return False


def _grid(rows: list[list[Line]], lines: list[Line]) -> tuple[tuple[float, float, float, float], TableRows]:
    columns = sorted({round(ln.x0) for band in rows for ln in band})
    merged: list[float] = []
    for x in columns:
        if not merged or x - merged[-1] > 6:
            merged.append(x)
    top = min(ln.top for ln in rows[0])
    last = rows[-1][0]
    bottom_limit = last.baseline + 3 * last.size
    x0 = min(merged) - 6
    x1 = max(ln.x1 for band in rows for ln in band)
    cells: list[list[list[str]]] = []
    starts = sorted({band[0].baseline for band in rows} | {
        ln.baseline for ln in lines if abs(ln.x0 - merged[0]) < 6 and top <= ln.top and ln.baseline <= last.baseline
        and _DATA_ROW.match(ln.text.strip())})
    cells = [[[] for _ in merged] for _ in starts]
    bottom = max(ln.bottom for ln in rows[-1])
    for ln in sorted(lines, key=lambda ln: (ln.baseline, ln.x0)):
        if ln.top < top - 1 or ln.baseline > bottom_limit or ln.x0 < x0 or ln.x0 > x1:
            continue
        r = max((k for k, b in enumerate(starts) if b <= ln.baseline + 0.3 * ln.size), default=None)
        if r is None:
            continue
        if r == len(starts) - 1 and ln.baseline > last.baseline + 0.3 * last.size:
            if ln.baseline - max(b for b in starts) > 3 * last.size:
                continue
        c = max((k for k, x in enumerate(merged) if x <= ln.x0 + 6), default=0)
        cells[r][c].append(ln.text.strip())
        bottom = max(bottom, ln.bottom)
    table = TableRows(tuple(tuple(" ".join(parts) for parts in row) for row in cells if any(row)))
    return (x0, top, x1 + 1, bottom), table


@functools.lru_cache(maxsize=8192)
def _could_be_heading(text: str) -> bool:
    """Whether a line's words could be a title (the text alone; the style is judged apart)."""
    text = text.strip()
    if not text or _more_words_than(text, MAX_HEADING_WORDS):
        return False
    if _DATE_ONLY.match(text) or "@" in text:
        return False  # a cover's date ("July 2019") or author's address, not the root of every section after it
    if place_for_heading(text) is not None:
        return True
    letters = sum(map(str.isalpha, text))
    # a heading's own number and a year range ("6. Action plan 2024-26") are not figures
    bare = _YEARS.sub("Y", _HEADING_NUMBER_PREFIX.sub("", text))
    numbers = len(_NUMBER_TOKEN.findall(bare))
    if letters < 3 or (numbers >= 2 and numbers >= 0.3 * len(_words(text))) or "%" in text:
        return False
    if _ends_with_mark(text, _STATEMENT_MARKS, _PLAIN_CLOSERS) and not _HEADING_NUMBER.match(text):
        return False
    if is_caption(text) or (". " in text and _TWO_SENTENCES.search(text)):
        return False  # a caption, or two sentences
    if text[-1] in ",;" or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'("):
        return False
    unnumbered = _HEADING_NUMBER_PREFIX.sub("", text)
    if (_FIGURE_TITLE.match(text) or "=" in text or (text.startswith("(") and (text.endswith(")") or ")" not in text))
            or (len(_words(text)) <= 4 and _BIG_FIGURE.search(_YEARS.sub("Y", unnumbered)))):
        # "16 suicides", "Over 2,500", "84.1 years", "Eng = 126.3)": an infographic's figures; and a
        # bracket left open is an aside ("(Lead organisation/group: Lead housing officers / LAs")
        return False
    if "; " in text:
        return False
    return not (_BULLET.match(text) and not _HEADING_NUMBER.match(text))


TITLE_WORDS = 8


_HUNG_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,3})+\.?\s+(?=[A-Z])")  # "7.9. Change4Life began ...", "4.12 The"


def _title_over_text(title: Line, nxt: Line) -> bool:
    """A short line that ends no sentence over a much wider line of eight or more words that
    opens a sentence at the same margin: a title over its paragraph, though both are set in one
    type (a document whose titles differ from its text only by standing alone). The paragraph
    may hang its number in the margin, its words under the title's ("Change4Life" over "7.9.
    Change4Life began ...")."""
    width = title.x1 - title.x0
    if title.size <= 0 or nxt.size <= 0 or not (
            abs(nxt.size - title.size) < 0.3 and nxt.x1 - nxt.x0 >= 1.6 * width and 0 < nxt.baseline - title.baseline < 2.5 * title.size):
        return False  # (the measures first: the next line is seldom much wider in the same size)
    text, following = title.text.strip(), nxt.text.strip()
    if not following or _ends_sentence(text):
        return False
    hung = _HUNG_NUMBER.match(following) if nxt.x0 < title.x0 - 0.5 * title.size else None
    if hung:
        following = following[hung.end():]  # its words sit under the title, its number to the left
    at_margin = abs(nxt.x0 - title.x0) < 0.5 * title.size or (hung is not None and title.x0 - nxt.x0 < 4 * title.size)
    return len(_words(text)) <= TITLE_WORDS and _more_words_than(following, 7) and following[:1].isupper() and at_margin


SMALLER_TEXT = 1.12  # a title this much larger than the paragraph right under it titles it, whatever the body size


def _title_over_smaller_text(title: Line, nxt: Line) -> bool:
    """A short line that ends no sentence, set larger than the sentence (a line of five or more
    words) that opens right under it at the same margin: the title of a call-out or panel whose
    text is set smaller than the document's ("Local Community Networks" in 9.7 pt over its 8.2 pt
    text), though the title itself is no larger than the body."""
    if title.size <= 0 or nxt.size <= 0 or not (
            title.size >= SMALLER_TEXT * nxt.size and abs(nxt.x0 - title.x0) < 0.5 * title.size
            and 0 < nxt.baseline - title.baseline < 2.5 * title.size):
        return False  # (the measures first: most lines are set in their neighbour's size)
    text, following = title.text.strip(), nxt.text.strip()
    if not following or _ends_sentence(text):
        return False
    return len(_words(text)) <= TITLE_WORDS and _more_words_than(following, BODY_LINE_WORDS - 1) and following[:1].isupper()


COLOUR_STEP = 64  # of 255 in one channel: text colours closer than this (black, #333 grey) are one colour


@functools.lru_cache(maxsize=1024)  # a document prints in a handful of colours
def distinct_colour(a: int, b: int) -> bool:
    """Two 0xRRGGBB colours a reader tells apart: body text in near-black and in black is one style."""
    return any(abs(((a >> k) & 255) - ((b >> k) & 255)) >= COLOUR_STEP for k in (0, 8, 16))


def light_colour(colour: int) -> bool:
    """White or nearly: text printed on a filled panel (an infographic's labels), not a title colour."""
    return all(((colour >> k) & 255) >= 0xE0 for k in (0, 8, 16))


# what a line's text alone says (PageReader._facts): the stripped text, an item mark opens it, a data
# table's row, a caption, its sequence number, a sentence ends it
_Facts = tuple[str, bool, bool, bool, int | None, bool]
_NO_FACTS: _Facts = ("", False, False, False, None, False)


class PageReader:
    """Groups one page's lines into items, given the document's body style."""

    def __init__(self, body_size: float, body_bold: bool, running: set[str], pitch: float = 1.2) -> None:
        self.body_size, self.body_bold, self.running = body_size, body_bold, running
        self.line_pitch = max(PARAGRAPH_GAP * pitch, 1.35)  # in font sizes
        self.font_headings = True  # some line in the document stands out by size or weight
        self.rights: dict[int, float] = {}  # right edge of the text by left margin (10-point bands), over the document
        self.body_colour = -1
        self.chapter_size = 0.0  # the size of the document's chapter titles (see chapter_size)
        self._running_known: dict[str, bool] = {}  # is_running by a line's text: asked twice a line, of repeated lines
        self._running_initials = {key[:1] for key in running}
        self._line_facts: dict[int, _Facts] = {}  # by id(line), for the page read

    def is_running(self, text: str) -> bool:
        """is_running against the document's running lines, decided once per text."""
        known = self._running_known.get(text)
        if known is None:
            initial = running_initial(text)
            if initial is not None and initial not in self._running_initials and not _PAGE_NUMBER.match(text):
                known = False  # its key starts with no running line's first character (most lines)
            else:
                known = is_running(text, self.running)
            self._running_known[text] = known
        return known

    def heading_style(self, line: Line, *, by_colour: bool = True) -> bool:
        """Set apart from body text by size, weight or (``by_colour``) colour."""
        if line.size <= 0 or self.body_size <= 0:
            return False
        if line.size >= HEADING_SIZE_RATIO * self.body_size:
            return True
        if (by_colour and line.colour != self.body_colour and line.size >= 0.95 * self.body_size and self.body_colour >= 0
                and line.colour >= 0 and distinct_colour(line.colour, self.body_colour) and not light_colour(line.colour)):
            return True  # a title set in the body size but in a colour of its own (not white on a panel)
        return (line.bold or line.underlined) and not self.body_bold and line.size >= 0.95 * self.body_size

    def could_be_heading(self, text: str) -> bool:
        return _could_be_heading(text)

    def read(self, page: PageLines) -> tuple[list[Item], list[Item]]:
        """(items in reading order, furniture items) for one page."""
        self._line_facts.clear()  # (keyed by id: the last page's lines are gone)
        furniture: list[Item] = []
        lines: list[Line | TableRows] = []
        table_boxes = list(page.tables)
        running_known = self._running_known  # (is_running's answers: looked up here before it is called)
        if page.styled:
            candidates = []
            for ln in page.lines:
                text = ln.text.strip()
                if text and (not table_boxes or self._table_at(ln, table_boxes) is None):
                    running = running_known.get(text)
                    if not (self.is_running(text) if running is None else running):
                        candidates.append(ln)
            table_boxes += grid_tables(candidates, page.width)
        placed_tables: set[int] = set()
        for ln in self._split_titles(page.lines):
            text = ln.text.strip()
            if not text:
                if not page.styled:
                    lines.append(ln)  # a blank line ends a paragraph where nothing else can tell
                continue
            running = running_known.get(text)  # (asked of most lines already, for the table finder)
            if (self.is_running(text) if running is None else running) and not (
                    ln.size >= 2 * self.body_size > 0 and _NUMBER_TOKEN.fullmatch(text)):
                # (a figure set large, "152", is an infographic's, not a page number)
                furniture.append(Item(BlockKind.PARAGRAPH, [ln], page.number, Place.RUNNING))
                continue
            inside = self._table_at(ln, table_boxes) if table_boxes else None  # (most pages have no table)
            if inside is not None:
                if inside not in placed_tables:
                    placed_tables.add(inside)
                    lines.append(merge_wrapped_rows(table_boxes[inside][1]))
                continue
            lines.append(ln)
        for i, (_, rows) in enumerate(table_boxes):
            if i not in placed_tables:
                lines.append(merge_wrapped_rows(rows))  # a table whose text PDFium did not give as lines
        texts = [ln.text.strip() for ln in lines if isinstance(ln, Line) and ln.text.strip()]
        is_contents = (any(_CONTENTS_TITLE.match(t) for t in texts[:6])
                       or (len(texts) >= 8 and _half_contents_like(texts) and contents_numbers_ascend(texts)))
        if is_contents:
            # the contents end with their last entry; a section begun below them on the page
            # ("Acknowledgements" and its text) is read as the page's body
            last = max((k for k, ln in enumerate(lines) if isinstance(ln, Line) and _CONTENTS_LINE.match(ln.text.strip())),
                       default=len(lines) - 1)
            rest = [ln for ln in lines[last + 1:] if not (isinstance(ln, Line) and not ln.text.strip())]
            if len(rest) >= 2 and any(isinstance(ln, Line) and is_prose(ln.text.strip()) for ln in rest):
                tail = self._group(lines[last + 1:], page)
                self._classify(tail, page)
                return self._contents(lines[:last + 1], page) + tail, furniture
            return self._contents(lines, page), furniture
        if page.styled:
            lines = self._lift_late_headings(lines)
        items = self._group(lines, page)
        self._classify(items, page)
        if page.styled:
            items = order_under_headings(items)
        return items, furniture

    def _split_titles(self, lines: list[Line]) -> list[Line]:
        """Lines with two titles side by side read as their halves when set as headings (a row
        of bold column headers in the body size stays one line, for the table reader)."""
        return [part for ln in lines
                for part in (ln.parts if ln.parts and ln.size >= HEADING_SIZE_RATIO * self.body_size else (ln,))]

    def _lift_late_headings(self, lines: list[Line | TableRows]) -> list[Line | TableRows]:
        """Put a heading that the PDF draws after its text back above that text: a run of
        heading lines sitting above every line drawn since the first one below it in its
        column (designed pages often draw titles last)."""
        out = list(lines)
        j = 0
        while j < len(out):
            ln = out[j]
            if not (isinstance(ln, Line) and ln.size > 0 and self.heading_style(ln) and self.could_be_heading(ln.text)):
                j += 1
                continue
            run: list[Line] = [ln]  # heading lines one under another
            while j + len(run) < len(out):
                nxt = out[j + len(run)]
                if not (isinstance(nxt, Line) and nxt.size > 0 and self.heading_style(nxt)
                        and 0 < nxt.top - run[-1].top <= 2.5 * run[-1].size):
                    break
                run.append(nxt)
            end = j + len(run)
            bottom = max(x.bottom for x in run)
            x0, x1 = min(x.x0 for x in run), max(x.x1 for x in run)
            # the line printed just below the heading in its column; when the PDF drew it
            # before the heading, the heading moves up to stand above it
            below = [(x.top, i) for i, x in enumerate(out) if i < j and isinstance(x, Line) and x.size > 0
                     and x.x0 < x1 and x.x1 > x0 and x.top >= bottom - 1]
            target = None
            if below:
                nearest = min(t for t, _ in below)
                if nearest - bottom <= 3 * max(x.size for x in run):  # a title stands close above its text
                    target = min(i for t, i in below if t <= nearest + 2)
                if target is not None and any(not isinstance(x, Line) for x in out[target:j]):
                    target = None  # a table in between: keep the order
            if target is None:
                j = end
                continue
            out[target:end] = [*run, *out[target:j]]
            j = end
        return out

    @staticmethod
    def _table_at(line: Line, tables: list[tuple[tuple[float, float, float, float], TableRows]]) -> int | None:
        if line.size <= 0:
            return None
        middle_y = (line.top + line.bottom) / 2
        middle_x = (line.x0 + line.x1) / 2
        for i, ((x0, top, x1, bottom), _) in enumerate(tables):
            if top - 1 <= middle_y <= bottom + 1 and x0 - 1 <= middle_x <= x1 + 1:
                return i
        return None

    def _contents(self, lines: list[Line | TableRows], page: PageLines) -> list[Item]:
        items: list[Item] = []
        for ln in lines:
            if isinstance(ln, TableRows):
                items.append(Item(BlockKind.TABLE_ROW, [], page.number, Place.CONTENTS, table=ln))
                continue
            text = ln.text.strip()
            if not text:
                continue
            if _CONTENTS_TITLE.match(text):
                items.append(Item(BlockKind.HEADING, [ln], page.number, level=1))
            else:
                items.append(Item(BlockKind.PARAGRAPH, [ln], page.number, Place.CONTENTS))
        return items

    def _continues(self, cur: Item, line: Line, column_right: float, page: PageLines, facts: _Facts,
                   prev_facts: _Facts, first_facts: _Facts) -> bool:
        """Whether ``line`` carries on ``cur`` (paragraph, heading, list item); facts: _facts of line, cur's last, cur's first."""
        prev = cur.lines[-1]
        text, marked, data_row, caption, n, _ = facts
        prev_text, _, prev_data_row, _, prev_n, prev_ends = prev_facts
        if (marked or line.bullet) and not _LONE_NUMBER.match(prev_text):
            return False
        if data_row or (prev_data_row and not prev_text.endswith(",")):
            return False  # one row of a data table per line
        if caption:
            return False  # a caption or source line starts its own block
        if n is not None and n - 1 in (prev_n, first_facts[4]):
            return False  # "5 Improve continuity of care" after "4 Continued focus ...": the next numbered item
        if (first_facts[3] and prev.size > 0
                and prev.x1 < column_right - max(0.12 * (column_right - cur.lines[0].x0), 12)):
            return False  # a caption ends where its line stops short
        open_sentence = not prev_ends  # (asked below on several paths)
        if line.size <= 0 or prev.size <= 0:  # no geometry: PDFium's own soft-wrap signal
            return prev.soft or open_sentence
        if abs(line.size - prev.size) > 0.75:
            return False
        if cur.kind is BlockKind.HEADING and line.bold != prev.bold and not (
                prev_text.endswith(":") and self.heading_style(line) and 0 < line.baseline - prev.baseline <= 2 * prev.size
        ) and not self._wraps_into(prev, line) and not self._kicker_over_name(cur, line):
            # another weight is another heading, unless the first announces it ("Case study:") or
            # wraps into it ("West Sussex Joint Strategic Needs Assessment" / "Summary 2018" in bold)
            return False
        if cur.kind is BlockKind.HEADING and self.heading_style(prev) and not self.heading_style(line):
            return False  # a title's text set in the body style starts under it
        if cur.kind is BlockKind.HEADING and _title_over_text(prev, line):
            return False  # a short title over its paragraph set in the same type
        pitch = line.baseline - prev.baseline
        if abs(pitch) < 0.3 * prev.size and line.x0 > prev.x1:
            if (cur.kind is BlockKind.HEADING and line.x0 - prev.x1 > SIDE_BY_SIDE * prev.size
                    and section_number(prev_text) is None):
                return False  # two titles side by side ("Gender Reassignment", "Marriage/Civil Partnership")
            # PDFium split one printed line (a wide gap between words); not two titles side by side
            return not (line.x0 - prev.x1 > TITLE_GUTTER * prev.size and not open_sentence)
        if pitch < 0.5 * prev.size:
            # the text moved up: a new column or a text box; a sentence of body text left open
            # carries on (an infographic's panels, set larger, do not run into each other)
            return open_sentence and text[:1].islower() and abs(line.size - self.body_size) < 1
        if pitch > self.line_pitch * max(prev.size, line.size):
            # a wider gap: still one sentence when the line before left it open, running to the
            # column's edge or carried on in lower case
            wrapped = prev.x1 >= column_right - 0.06 * max(column_right - cur.lines[0].x0, 1)
            if cur.kind is BlockKind.HEADING and _NUMBER_TOKEN.fullmatch(text):
                return False  # a headline figure ("2,530") set apart under a panel's title
            return pitch < 2.5 * prev.size and open_sentence and (wrapped or text[:1].islower()) and not (
                _is_bullet(text) or line.bullet)
        if line.x0 < prev.x0 - 5 and not open_sentence:
            return False  # out-dented after a full stop: a new (numbered) paragraph
        if cur.kind is BlockKind.HEADING:
            return len(cur.lines) < MAX_HEADING_LINES
        if cur.kind is BlockKind.LIST_ITEM and line.x0 < cur.lines[0].x0 - 2 and not open_sentence:
            return False
        if not open_sentence and prev.x1 < column_right - max(0.12 * (column_right - cur.lines[0].x0), 12):
            return False  # a sentence ended well short of the column edge: the paragraph's last line
        return True

    def _facts(self, line: Line) -> _Facts:
        """The line's stripped text and what its text alone says, read once per line (each line is
        asked about as the next line and again as the line before): (text, an item mark opens it,
        a data table's row, a caption, its sequence number, a sentence ends it)."""
        facts = self._line_facts.get(id(line))
        if facts is None:
            text = line.text.strip()
            number = _sequence_number(text) if text[:1].isdecimal() else None  # (the pattern opens with a digit)
            facts = (text, _stripped_item_mark(text), _DATA_ROW.match(text), is_caption(text), number, _ends_sentence(text))
            self._line_facts[id(line)] = facts
        return facts

    def _wraps_into(self, prev: Line, line: Line) -> bool:
        """PDFium ended ``prev`` (a title's size, regular weight) as a soft wrap and ``line``, in
        bold, follows at the line pitch in the same size and colour: one two-tone title over two
        lines. (Bold words run into regular text are a paragraph's lead-in, not this.) A numbered
        title ("5.2 Responding to ... Flooding in" / "Fenland") may set its number in another colour
        and hang its second line under its words, not under the number."""
        # a section number with a dot ("5.2", "1."), not a page number before a running title ("12 Executive Summary")
        numbered = section_number(prev.text.strip()) is not None and "." in prev.text.split()[0]
        same_colour = (prev.colour >= 0 and prev.colour == line.colour) or (numbered and prev.colour == -1)
        under = abs(prev.x0 - line.x0) < prev.size or (numbered and 0 < line.x0 - prev.x0 < 4 * prev.size)
        return (prev.soft and not prev.bold and line.bold and prev.size >= HEADING_SIZE_RATIO * self.body_size
                and same_colour and abs(prev.size - line.size) < 0.3
                and under and 0 < line.baseline - prev.baseline <= self.line_pitch * prev.size)

    def _kicker_over_name(self, cur: Item, line: Line) -> bool:
        """A short bold line over a regular one right under it, in one heading size and colour at one
        margin, below the size of the document's chapter titles: one title whose first part, set in
        bold, names the kind of piece ("A future scenario" / "Alesha's story"), as a regular "Case
        study:" announces a bold name. At the chapter titles' size the regular line is the title of
        the chapter's first section ("The future of healthcare" / "The decade ahead")."""
        prev = cur.lines[0]
        if len(cur.lines) != 1 or not prev.bold or line.bold or line.soft or prev.underlined or self.body_size <= 0:
            # (the name ends the title where PDFium ends the line, not wrapping on into a sentence:
            # "Active travel" / "e.g. individual decision ..."; an underline closes a title:
            # "Marriage & Civil Partnership" over its "No impact")
            return False
        if any(ch.isdigit() for ch in prev.text + line.text):
            return False  # a panel's label over its figure ("Future Need" / "780 per year")
        return (HEADING_SIZE_RATIO * self.body_size <= prev.size < self.chapter_size - 0.5
                and abs(prev.size - line.size) < 0.3 and prev.colour >= 0 and prev.colour == line.colour
                and abs(prev.x0 - line.x0) < 0.5 * prev.size and 0 < line.baseline - prev.baseline <= self.line_pitch * prev.size
                and len(_words(prev.text)) <= KICKER_WORDS and len(_words(line.text)) <= TITLE_WORDS
                and not _ends_sentence(prev.text.strip()))

    def _group(self, lines: list[Line | TableRows], page: PageLines) -> list[Item]:
        """The page's lines in reading order grouped into items: headings, list items, table rows, paragraphs."""
        # Long: one pass over the lines decides, for each, whether it starts a new item or continues the
        # current one; the decisions share the current item, its column edge and the line before.
        items: list[Item] = []
        cur: Item | None = None
        column_right = 0.0
        rights = dict(self.rights)
        for ln in lines:
            if isinstance(ln, Line) and ln.size > 0:
                key = int(ln.x0 // 10)
                rights[key] = max(rights.get(key, 0.0), ln.x1)

        near_rights: dict[int, float] = {}

        def right_of(ln: Line) -> float:
            key = int(ln.x0 // 10)
            if key not in near_rights:
                near_rights[key] = max(rights.get(k, 0.0) for k in range(key - 3, key + 4))
            return near_rights[key]
        in_table = False  # after an action/indicator table header read as text, lines are rows
        first_facts = last_facts = _NO_FACTS  # (set with cur, before it is asked about)
        following, before = _neighbour_lines(lines)
        for i, ln in enumerate(lines):
            if isinstance(ln, TableRows):
                cur = None
                in_table = False
                items.append(Item(BlockKind.TABLE_ROW, [], page.number, table=ln))
                continue
            facts = self._facts(ln)
            text, marked, _, _, number, ends = facts
            if not text:
                cur = None
                continue
            if ln.cells and self._row_of_cells(lines, i):
                items.append(Item(BlockKind.TABLE_ROW, [ln], page.number, table=TableRows((ln.cells,))))
                cur = None
                continue
            last = items[-1] if items else None
            if (cur is None and last is not None and last.kind is BlockKind.TABLE_ROW and last.lines and last.lines[0].cells
                    and abs(last.lines[0].x0 - ln.x0) < 3 and abs(last.lines[0].size - ln.size) < 0.5
                    and _TRAILING_FIGURE.search(text) and not ends):
                # the next row of that table, its label too long to leave a wide gap before its figure
                row = _data_row_cells(text)
                items.append(Item(BlockKind.TABLE_ROW, [ln], page.number, table=row))
                ln.cells = row.rows[0]
                continue
            if cur is not None and self._continues(cur, ln, column_right, page, facts, last_facts, first_facts) and not (
                    cur.kind is not BlockKind.HEADING and self.heading_style(ln, by_colour=False)
                    and not self.heading_style(cur.lines[-1], by_colour=False)
                    and not text[:1].islower()):  # bold words running on mid-sentence ("... awareness of / where to")
                cur.lines.append(ln)
                last_facts = facts
                column_right = max(column_right, ln.x1)
                continue
            if is_table_header(text) and not _ends_full_stop(text):
                items.append(Item(BlockKind.HEADING, [ln], page.number, level=9, styled_heading=False))
                in_table, cur = True, None
                continue
            styled = self.heading_style(ln)
            if in_table and _SECTION_NUMBER.match(text) and (styled or not page.styled):
                in_table = False
            nxt = following[i]
            # a bold lead-in running on into its sentence ("Embed prevention principles in procurement
            # and contracting" / "activity, by encouraging ...") is the paragraph's first line, no heading
            lead_in = (nxt is not None and ln.bold and not nxt.bold and nxt.text.strip()[:1].islower()
                       and not text.endswith((":", "?")))
            runs_on = (nxt is not None and ln.size > 0 and abs(nxt.size - ln.size) < 0.3
                       and (nxt.bold == ln.bold or ln.size < HEADING_SIZE_RATIO * self.body_size or lead_in)
                       and ln.x1 >= right_of(ln) - (0.15 if lead_in else 0.08) * max(right_of(ln) - ln.x0, 1)
                       and not ends
                       and 0 < nxt.baseline - ln.baseline <= max(self.line_pitch, 1.5 if lead_in else 0) * ln.size
                       and not self._wrapped_title(lines, i))
            if not in_table and not runs_on and not ln.bullet and not self._next_list_item(items, ln, text) and self._heading_here(
                    ln, text, styled, page, nxt, before[i]) and not (
                    styled and self._styled_paragraph(lines, i)):
                cur = Item(BlockKind.HEADING, [ln], page.number, styled_heading=styled)
            elif in_table or self._next_numbered_row(items, text):
                cur = Item(BlockKind.TABLE_ROW, [ln], page.number)
            elif marked or ln.bullet or self._numbered_in_sequence(items, text, nxt):
                cur = Item(BlockKind.LIST_ITEM, [ln], page.number)
                n = number
                if (n is not None and items and items[-1].kind is BlockKind.PARAGRAPH and items[-1].lines
                        and self._facts(items[-1].lines[0])[4] == n - 1):
                    items[-1].kind = BlockKind.LIST_ITEM  # the item before it, numbered one less
            else:
                cur = Item(BlockKind.PARAGRAPH, [ln], page.number)
            items.append(cur)
            first_facts = last_facts = facts  # (cur's first and last line: ln)
            column_right = max(ln.x1, right_of(ln)) if ln.size > 0 else ln.x1
        return items

    def _wrapped_title(self, lines: list[Line | TableRows], i: int) -> bool:
        """A title set larger than the body and wrapped across the column ("Addressing the needs of
        higher risk groups and links with other" / "services" in 14 pt bold): a short run of lines in
        its style that ends with no full stop, not a sentence running on."""
        first = lines[i]
        if not isinstance(first, Line) or first.size < HEADING_SIZE_RATIO * self.body_size or self.body_size <= 0:
            return False
        run = [first]
        for nxt in lines[i + 1 :]:
            last = run[-1]
            if not (isinstance(nxt, Line) and abs(nxt.size - last.size) < 0.3 and nxt.bold == last.bold
                    and 0 < nxt.baseline - last.baseline <= self.line_pitch * last.size):
                break
            run.append(nxt)
        text = " ".join(ln.text.strip() for ln in run)
        return (2 <= len(run) <= MAX_HEADING_LINES and len(_words(text)) <= MAX_HEADING_WORDS
                and not _ends_sentence(text) and self.could_be_heading(text))

    def _label_wrapped_above(self, cur: Item, ln: Line, text: str) -> bool:
        """``cur`` is the first line of a table row's label, which wrapped onto ``ln`` (the row's
        figures): one line, not a sentence's end, straight above at the same indent and size,
        and ``ln`` opens in lower case ("Specific training for staff ... on how to" / "approach
        or talk to a person who has suicidal thoughts   92.1%   0.5%   7.4%")."""
        if cur.kind is not BlockKind.PARAGRAPH or len(cur.lines) != 1 or not text[:1].islower():
            return False
        above = cur.lines[0]
        return (above.size > 0 and not _ends_sentence(above.text.strip()) and abs(above.x0 - ln.x0) < 3
                and abs(above.size - ln.size) < 0.5 and 0 < ln.baseline - above.baseline <= self.line_pitch * ln.size)

    @staticmethod
    def _row_of_cells(lines: list[Line | TableRows], i: int) -> bool:
        """A line of short text runs apart by wide gaps, beside another such line: a row of a
        table drawn without ruling, which PDFium read as one line."""
        def cells(k: int) -> tuple[str, ...]:
            x = lines[k] if 0 <= k < len(lines) else None
            if not isinstance(x, Line) or not x.cells or any(len(c.split()) > 10 for c in x.cells):
                return ()
            return x.cells
        return bool(cells(i)) and bool(cells(i - 1) or cells(i + 1))

    def _headline_figure(self, large: list[Item], item: Item) -> Item | None:
        """The figure set large just above the item ("1,555", "Over 2,500", "84.1 years"), of
        which the item is the label. ``large``: the page's items with lines set at a heading's
        size or larger, in order (the candidates, picked once per page)."""
        first = item.lines[0]
        if first.size <= 0:
            return None
        for other in large:
            if other is item:
                continue
            last = other.lines[-1]
            text = other.flat
            if (0 <= first.top - last.bottom <= 1.5 * first.size and abs(first.x0 - other.lines[0].x0) <= 2 * first.size
                    and _NUMBER_TOKEN.search(text) and len(_words(text)) <= 3 and not _numbered_title(text)):
                return other
        return None

    @staticmethod
    def _next_numbered_row(items: list[Item], text: str) -> bool:
        """A line numbered one more than the table row just before it ("2 Cardiovascular diseases
        (2,427) ..." under "1 | Neoplasms (2,892) | ..."): the next row of a ranked table whose
        columns PDFium ran together, not an item of a numbered list."""
        n = _sequence_number(text)
        last = items[-1] if items else None
        return (n is not None and last is not None and last.kind is BlockKind.TABLE_ROW and bool(last.lines)
                and _sequence_number(last.lines[0].text.strip()) == n - 1)

    @staticmethod
    def _numbered_in_sequence(items: list[Item], text: str, nxt: Line | None) -> bool:
        """A line opening with a bare number ("5 Improve continuity") next to one numbered one
        less or one more: an item of a numbered list printed without full stops."""
        n = _sequence_number(text)
        if n is None:
            return False
        before = _sequence_number(items[-1].lines[0].text.strip()) if items and items[-1].lines else None
        after = _sequence_number(nxt.text.strip()) if nxt is not None else None
        return before == n - 1 or after == n + 1

    def _next_list_item(self, items: list[Item], ln: Line, text: str) -> bool:
        """The item after a list item numbered one less, in body type: "6. Support research, data
        collection and monitoring" after "5. Support the media ...", short as a title but the list's
        last item."""
        def number(line: str) -> int | None:
            m = _ITEM_NUMBER.match(line)
            return int(m.group(1)) if m else None

        n = number(text)
        if n is None or not items or items[-1].kind is not BlockKind.LIST_ITEM or not items[-1].lines:
            return False
        return number(items[-1].lines[0].text.strip()) == n - 1 and ln.size < HEADING_SIZE_RATIO * self.body_size

    def _hangs(self, ln: Line, nxt: Line | None) -> bool:
        """The next line is plain text indented past this line's number (a hanging indent), or
        this line's own wrapped words, indented the same way."""
        if nxt is None or nxt.size <= 0 or not (0 < nxt.baseline - ln.baseline <= 1.6 * self.line_pitch * ln.size):
            return False
        return nxt.x0 >= ln.x0 + 0.8 * ln.size and nxt.x0 - ln.x0 < 4 * ln.size

    def _styled_paragraph(self, lines: list[Line | TableRows], i: int) -> bool:
        """A run of lines in one heading style that is longer than a title, or reads as a
        sentence, is lead text or a pull quote set large, not a heading."""
        following = lines[i + 1] if i + 1 < len(lines) else None
        if isinstance(following, Line) and _title_over_text(lines[i], following):  # type: ignore[arg-type]
            return False  # a short title over a paragraph in its own type ("Years of Life Lost (YLL)")
        run = [lines[i]]
        for nxt in lines[i + 1:]:
            last = run[-1]
            if not (isinstance(nxt, Line) and nxt.size > 0 and abs(nxt.size - last.size) < 0.3 and nxt.bold == last.bold  # type: ignore[union-attr]
                    and 0 < nxt.baseline - last.baseline <= self.line_pitch * last.size):  # type: ignore[union-attr]
                break
            run.append(nxt)
        if len(run) > MAX_HEADING_LINES:
            return True
        text = " ".join(ln.text.strip() for ln in run)  # type: ignore[union-attr]
        # a question is a fine title ("What do we mean by a whole systems approach?")
        return len(run) >= 2 and len(_words(text)) >= 8 and _ends_statement(text) and is_prose(text)

    @staticmethod
    def _header_cells_beside(ln: Line, page: PageLines) -> int:
        """How many other short bold runs in this line's style sit beside it, apart from it and
        within a line's height above or below: the other column titles of a table."""
        found = 0
        for other in page.lines:
            if (other is ln or other.size <= 0 or not other.bold or abs(other.size - ln.size) > 0.5
                    or len(_words(other.text)) > 4 or abs(other.baseline - ln.baseline) > 1.5 * ln.size):
                continue
            if other.x0 > ln.x1 + 0.5 * ln.size or other.x1 < ln.x0 - 0.5 * ln.size:
                found += 1
        return found

    def _heading_here(self, ln: Line, text: str, styled: bool, page: PageLines, nxt: Line | None,
                      prev: Line | None = None) -> bool:
        if page.ocr:
            # a scanned insert (a map, a signed page) in a plan with a text layer: the words OCR
            # finds there (map labels, stamps) are no heading, and would title every page after it
            return False
        if not page.styled or self.body_size <= 0 or not self.font_headings:
            hard = not ln.soft  # one style throughout says nothing about headings: read the text
            return _looks_like_heading(text, hard, nxt.text if nxt else None, None)
        if len(text) <= 90 and place_for_heading(text) is not None:
            return True
        if not styled:
            # a title set in the body type, standing alone over its paragraph ("Tenure by district
            # and boroughs" in 11 pt over 11 pt text)
            if nxt is None or ln.cells:
                return False
            if _title_over_smaller_text(ln, nxt) and self.could_be_heading(text):
                return True
            if not (_title_over_text(ln, nxt) and self.could_be_heading(text)):
                return False  # (most lines: the tests of the gaps around it are not needed)
            # (or, set well apart from a paragraph that ended above it, right over its own text: the gap
            # above it is much wider than the one below, "Tenancy support service (...)" / "These services ...")
            set_apart = (prev is not None and prev.size > 0 and _ends_sentence(prev.text.strip())
                         and ln.baseline - prev.baseline >= SET_APART * (nxt.baseline - ln.baseline) > 0
                         and len(_NUMBER_TOKEN.findall(nxt.text)) <= 2)  # not a table row's label over its figures
            return ((nxt.baseline - ln.baseline > self.line_pitch * ln.size or set_apart)
                    and (prev is None or prev.size <= 0 or not 0 < ln.baseline - prev.baseline <= self.line_pitch * ln.size))
        if not self.could_be_heading(text):
            return False
        if ln.size < HEADING_SIZE_RATIO * self.body_size and self._header_cells_beside(ln, page) >= 2:
            return False  # one of a row of bold column titles ("Revenue Budget | Revenue Forecast | ...")
        if ln.size < HEADING_SIZE_RATIO * self.body_size and _ends_open(text):
            return False  # a bold run-in sentence broken at the line's end ("... projected to increase by a")
        if (ln.size < HEADING_SIZE_RATIO * self.body_size and text.endswith(":") and _LEAD_IN_VERB.search(text)
                and not _QUESTION_TITLE.match(text)):
            return False  # a bold sentence opening a list ("The report will:"), not a title ("Key findings:", "What we will do:")
        if ln.size < HEADING_SIZE_RATIO * self.body_size and _BULLET.match(text) and (
                ln.soft or len(_words(text)) > 8):
            return False  # a bold numbered item running on: a list item, not a title
        # "1. Adopt a value-based approach" over text indented to its words: a list item's lead
        return not (ln.size < HEADING_SIZE_RATIO * self.body_size and _BULLET.match(text) and self._hangs(ln, nxt))

    @staticmethod
    def _above_caption(captions: list[Item], item: Item) -> bool:
        """A caption or source line is printed below the item and across its column: the item
        is a chart's legend or labels, which the caption closes, not a note at the page foot
        (a source line set apart further down is a note of its own)."""
        first, last = item.lines[0], item.lines[-1]
        return any(other is not item and last.bottom - 1 < other.lines[0].top <= last.bottom + 3 * max(last.size, 1)
                   and other.lines[0].x0 < max(ln.x1 for ln in item.lines) and other.lines[0].x1 > first.x0
                   for other in captions)

    @staticmethod
    def _over_chart(boxes: list[tuple[float, float, Item]], item: Item) -> bool:
        """The text printed nearest below the item, across its width, is a chart's label or a
        table's row, and the text just above it is not (the item is the chart's title, not a
        label inside it). ``boxes``: the page's measured items with their left and right edges."""
        first, last = item.lines[0], item.lines[-1]
        x0, x1 = min(ln.x0 for ln in item.lines), max(ln.x1 for ln in item.lines)
        across = [other for left, right, other in boxes if other is not item and left < x1 and right > x0]
        below = [(other.lines[0].top - last.bottom, other) for other in across if other.lines[0].top > last.bottom - 1]
        above = [(first.top - other.lines[-1].bottom, other) for other in across if other.lines[-1].bottom < first.top + 1]

        def chart(other: Item) -> bool:
            return other.place is Place.FIGURE or other.kind is BlockKind.TABLE_ROW
        if not below:
            return False
        gap, nearest = min(below, key=lambda b: b[0])
        if gap > 3.5 * last.size or not chart(nearest):
            return False
        gap, nearest = min(above, key=lambda b: b[0], default=(0.0, item))
        return nearest is item or gap > 3.5 * first.size or not chart(nearest)

    def _classify(self, items: list[Item], page: PageLines) -> None:
        """Mark captions, footnotes and figure labels; drop heading status where the text says otherwise."""
        # Long: one pass per kind of non-prose, in the order they must be decided (headings, captions,
        # footnotes, figure labels), each reading what the one before it settled.
        for item in items:
            if item.kind is BlockKind.HEADING and item.level != 9:
                text = item.text
                if (not self.could_be_heading(" ".join(text.split())) or _numeric(text)
                        or _ends_open(text)):
                    item.kind = BlockKind.PARAGRAPH  # a big figure ("21%") or a styled sentence
        for item, after in zip(items, items[1:], strict=False):
            if (item.kind is BlockKind.HEADING and item.level != 9 and item.lines and after.lines
                    and item.lines[-1].size > 0 and _SOURCE.match(after.text.lstrip())
                    and 0 <= after.lines[0].top - item.lines[-1].bottom <= 3 * item.lines[-1].size
                    and item.lines[0].x0 > after.lines[0].x0 + 3 * item.lines[-1].size):
                # set inside a chart just over its source line, not at the text's margin ("8.3 Caseloads"
                # over "Source : SPFT reports" is a section's heading): the chart's axis title ("Years")
                item.kind, item.place, item.level = BlockKind.PARAGRAPH, Place.FIGURE, 0
        # (their lines do not change in the pass below, so the candidates stay the same)
        large = [it for it in items if it.lines and not it.size < HEADING_SIZE_RATIO * self.body_size]
        for item in items:
            if item.kind is not BlockKind.PARAGRAPH or item.place is not None or not item.lines:
                continue
            text = item.flat
            figure = None if _ends_full_stop(text) or _more_words_than(text, 40) else self._headline_figure(large, item)
            if figure is not None:
                # a headline figure and its label ("152" over "households owed a duty ...") read
                # as one row of data, as a reviewer quotes it; the figure alone is a label
                item.kind, item.table = BlockKind.TABLE_ROW, TableRows(((figure.flat, text),))
                figure.place = Place.FIGURE
        for number, title in zip(items, items[1:], strict=False):
            if (number.lines and title.lines and _BARE_CAPTION.match(number.flat)
                    and title.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and not _ends_full_stop(title.text.strip())
                    and not _more_words_than(title.text, MAX_HEADING_WORDS) and 0 <= title.lines[0].top - number.lines[-1].bottom
                    <= 2 * max(number.lines[-1].size, 1)):
                # "TABLE 1" over "Table of interventions": one caption, not two headings
                for part in (number, title):
                    part.kind, part.place, part.level = BlockKind.PARAGRAPH, Place.CAPTION, 0
        small = self.body_size * 0.92
        in_notes = False
        notes_top = page.height  # notes carry on below the first one, never above it
        captions = [it for it in items if it.lines and it.lines[0].size > 0 and it.lines[0].text.lstrip()[:1] in _CAPTION_INITIALS
                    and is_caption(it.flat)]
        last_body = max((j for j, it in enumerate(items) if it.lines and it.size >= small), default=-1)
        panels = _panel_page([it for it in items if it.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)], page.width)
        for j, item in enumerate(items):
            if item.kind is BlockKind.TABLE_ROW or not item.lines:
                continue
            text = item.flat
            first = item.lines[0]
            low = first.size > 0 and first.top > FOOTNOTE_ZONE * page.height and first.size < small
            if item.kind is BlockKind.LIST_ITEM and not (text[:1].isdigit() or text[:1] in "*\u2020\u2021\u00a7["):
                continue  # a bulleted list set small at the page foot is a list, not notes
            marked = bool(_FOOTNOTE_START.match(text))
            if low and in_notes and first.top >= notes_top - 1:
                item.place, item.kind = Place.FOOTNOTE, BlockKind.PARAGRAPH
                continue
            if is_caption(text):
                item.place, item.kind = Place.CAPTION, BlockKind.PARAGRAPH
                continue
            if (low and (marked or (j > last_body and not self._above_caption(captions, item)
                                    and not (panels and _small_beside(items, item, small))))
                    and not _quantity_label(text) and (not _numeric(text) or _note_series(items, j))):
                item.place, item.kind, in_notes = Place.FOOTNOTE, BlockKind.PARAGRAPH, True
                notes_top = min(notes_top, first.top)
                continue
            if item.kind is BlockKind.PARAGRAPH and len(item.lines) == 1 and _DATA_ROW.match(text) and not _ends_full_stop(text):
                item.kind = BlockKind.TABLE_ROW  # "Adur 63,429 14,702 4,255": a data table's row
                above = items[j - 1] if j > 0 else None
                if above is not None and above.place is None and self._label_wrapped_above(above, first, text):
                    item.lines, above.lines = [*above.lines, *item.lines], []  # its label wrapped from the line above
                    text = item.flat
                item.table = _data_row_cells(text)
        items[:] = [it for it in items if it.lines or it.table is not None]
        for before, item in zip(items, items[1:], strict=False):
            # the list under "Sources:" names where figures came from, every item of it
            lead = before.text.strip() if before.lines else ""
            after_lead = lead.endswith(":") and _SOURCES_LEAD.search(lead)  # (the pattern ends with the colon)
            in_list = before.kind is BlockKind.LIST_ITEM and before.place is Place.CAPTION and item.kind is BlockKind.LIST_ITEM
            if item.place is None and item.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and (after_lead or in_list):
                item.place = Place.CAPTION
        flow = [it for it in items if it.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and it.place is None]
        links = [any("http" in ln.text or "www." in ln.text for ln in it.lines) and bool(_LINK_ENTRY.search(it.flat))
                 for it in flow]
        for j, item in enumerate(flow):
            if links[j] and sum(links[max(j - 2, 0):j + 3]) >= 3:
                item.kind = BlockKind.LIST_ITEM  # a name and its web address, among others: a list of links
        if _panel_page(flow, page.width):
            for item in flow:  # an infographic's panels: what is not a full sentence is a label
                bulleted = (item.kind is BlockKind.LIST_ITEM and bool(_BULLET.match(item.text.lstrip()) or item.lines[0].bullet)
                            and sum(any(c.isalpha() for c in w) for w in _words(item.text)) >= 2)  # not a legend's "• Agree"
                if not _ends_full_stop(item.text.strip()) and not bulleted:  # a bulleted list in a box stays a list
                    item.place = Place.FIGURE
            flow = [it for it in flow if it.place is None]
        fragment = [not is_prose(it.flat) for it in flow]
        for j, item in enumerate(flow):
            text = item.flat
            if _banner_labels(item):
                item.place = Place.FIGURE  # one label per column of an infographic, on one line
                continue
            if (item.size > 0 and item.size < small and item.kind is BlockKind.PARAGRAPH and not _ends_full_stop(text)
                    and self._above_caption(captions, item)):
                item.place = Place.FIGURE  # small type with no sentence just above a chart's source line: its legend
                continue
            if not fragment[j]:
                continue
            if item.kind is BlockKind.LIST_ITEM and not _numeric(text):
                continue
            neighbours = (j > 0 and fragment[j - 1]) or (j + 1 < len(flow) and fragment[j + 1])
            tiny = item.size > 0 and item.size < small
            if _numeric(text) or (neighbours and len(_words(text)) <= 8 and not text.endswith(":")) or (
                    tiny and len(_words(text)) <= 12 and not text.endswith(":")):
                item.place = Place.FIGURE
        charted = any(it.place is Place.FIGURE or it.kind is BlockKind.TABLE_ROW for it in items)
        boxes = [(min(ln.x0 for ln in it.lines), max(ln.x1 for ln in it.lines), it)
                 for it in items if it.lines and it.lines[0].size > 0] if charted else []
        for item in items:
            if (charted and item.kind is BlockKind.PARAGRAPH and item.place is None and item.lines and item.lines[0].size > 0
                    and not _ends_full_stop(item.text.strip()) and not item.text.strip().endswith(":")
                    and not _more_words_than(item.text, 30) and self._over_chart(boxes, item)):
                item.place = Place.CAPTION  # a chart's or table's title: a phrase set just above its labels or rows
        for axis in value_axes(page.lines):
            self._read_plot(items, axis)

    def _read_plot(self, items: list[Item], axis: tuple[float, float, float, float, float]) -> None:
        """Name the text over a chart's plotted area, which ``axis`` (the chart's value axis: its
        ticks' left and right edges, the top of the highest and the foot of the lowest, the tick
        size) marks: a bold phrase just above the top tick, starting at the axis, is the chart's title
        ("Year-on-year Change in 65+ Population"), and so is one set inside the plot at the axis ("Age
        standardised rate of emergency admissions ..."); a phrase inside the plot, right of the axis,
        that is no sentence is a label ("Projected Average 2017 to 2032")."""
        x0, x1, top, bottom, size = axis
        for item in items:
            if not item.lines or item.lines[0].size <= 0 or item.place not in (None, Place.FIGURE):
                continue
            first = item.lines[0]
            text = item.flat
            upright = all(ln.x1 - ln.x0 > ln.bottom - ln.top for ln in item.lines)  # not an axis title turned on its side
            titled = (
                (first.bold or (item.kind is BlockKind.HEADING and item.level != 9))
                and item.size <= 1.6 * self.body_size
                and upright
            )
            if (
                titled
                and top - 3.5 * first.size <= first.top <= bottom - size
                and x0 - first.size <= first.x0 <= x1 + 4 * first.size
                and not _more_words_than(text, 40)
                and not text.endswith(":")
                and section_number(text) is None
                and not _numeric(text)
            ):
                item.kind, item.place, item.level = BlockKind.PARAGRAPH, Place.CAPTION, 0
            elif (
                item.kind is BlockKind.PARAGRAPH
                and item.place is None
                and first.top >= top
                and item.lines[-1].bottom <= bottom
                and first.x0 > x1
                and not _ends_full_stop(text)
                and not is_prose(text)
            ):
                item.place = Place.FIGURE


_NOTE_NUMBER = re.compile(r"^(\d{1,3})\s+\S")


def _half_contents_like(texts: list[str]) -> bool:
    """At least half the texts read as contents entries; the count stops once more than half
    have not (a page of text is decided by its first half)."""
    allowed = len(texts) - 0.5 * len(texts)  # misses that still leave half the texts contents-like
    misses = 0
    for t in texts:
        if not _CONTENTS_LINE.match(t):
            misses += 1
            if misses > allowed:
                return False
    return True


def _neighbour_lines(lines: list[Line | TableRows]) -> tuple[list[Line | None], list[Line | None]]:
    """For each place in ``lines``: the next Line after it (blank or not; None at the end), and the
    printed line read just before it (None after a table or at the top). Found in one pass each way
    per page rather than by a scan from each line (the grouping asks of most lines)."""
    following: list[Line | None] = [None] * len(lines)
    nxt: Line | None = None
    for i in range(len(lines) - 1, -1, -1):
        following[i] = nxt
        x = lines[i]
        if isinstance(x, Line):
            nxt = x
    before: list[Line | None] = [None] * len(lines)
    prev: Line | None = None
    for i, x in enumerate(lines):
        before[i] = prev
        if not isinstance(x, Line):
            prev = None
        elif x.text.strip():
            prev = x
    return following, before


def _note_series(items: list[Item], j: int) -> bool:
    """The item opens with a note number and the item next to it, at the same margin, with the
    number one more or one less: one of a run of numbered notes ("266 BC 58." over "267 BC 1, BC 2."),
    though its text is mostly figures."""

    def number(k: int) -> int | None:
        if not 0 <= k < len(items) or not items[k].lines:
            return None
        m = _NOTE_NUMBER.match(items[k].lines[0].text.strip())
        return int(m.group(1)) if m else None

    n = number(j)
    if n is None:
        return False
    x0 = items[j].lines[0].x0
    return any(number(k) == n + step and abs(items[k].lines[0].x0 - x0) < 2 for k, step in ((j + 1, 1), (j - 1, -1)))


def _small_beside(items: list[Item], item: Item, small: float) -> bool:
    """Another item in small type sits beside this one, level with it and apart from it: on an
    infographic's page, panels of its last row at the page foot, not notes (which run down one column)."""
    first, last = item.lines[0], item.lines[-1]
    x0, x1 = min(ln.x0 for ln in item.lines), max(ln.x1 for ln in item.lines)
    for other in items:
        if other is item or not other.lines or not 0 < other.lines[0].size < small:
            continue
        if (
            other.lines[0].top < last.bottom
            and other.lines[-1].bottom > first.top
            and (min(ln.x0 for ln in other.lines) > x1 or max(ln.x1 for ln in other.lines) < x0)
        ):
            return True
    return False


def _names_headline_figure(title: Item, figure: Item) -> bool:
    """A title of a word or three on one line, straight over a lone figure set at least nearly as
    large at its margin ("Residents" over "852,400", "Births" over "8,630"): the name of an
    infographic's headline figure, which a reader quotes with it, not a section's heading."""
    if (
        title.kind is not BlockKind.HEADING
        or title.level == 9
        or len(title.lines) != 1
        or len(figure.lines) != 1
        or figure.kind is not BlockKind.PARAGRAPH
        or title.size <= 0
        or figure.size < 0.9 * title.size
    ):
        return False
    head, number = title.lines[0], figure.lines[0]
    return (
        len(_words(head.text)) <= 3
        and bool(_NUMBER_TOKEN.fullmatch(number.text.strip()))
        and 0 <= number.top - head.bottom <= head.size
        and abs(number.x0 - head.x0) <= head.size
    )


AXIS_TICKS = 3  # figures one above another, right-aligned: a chart's value axis


def value_axes(lines: list[Line]) -> list[tuple[float, float, float, float, float]]:
    """A chart's value axes on the page: three or more lines each a lone figure ("0", "2,000",
    "4,000") in one size, one above another with their right edges aligned and evenly spaced (the
    ticks of a plotted area; read from the page's lines, as a tick such as "100" may have been set
    aside as a page number), as (left, right, top of the highest, foot of the lowest, tick size)."""
    ticks = [ln for ln in lines if ln.size > 0 and len(ln.text) <= 12 and _figure_cell(ln.text.strip())]
    axes: list[tuple[float, float, float, float, float]] = []
    used: set[int] = set()
    for k, tick in enumerate(ticks):
        if k in used:
            continue
        column = [
            j
            for j, other in enumerate(ticks)
            if j not in used and abs(other.x1 - tick.x1) < 2 and abs(other.size - tick.size) < 0.5
        ]
        if len(column) < AXIS_TICKS:
            continue
        used.update(column)
        lines = sorted((ticks[j] for j in column), key=lambda ln: ln.top)
        gaps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)]
        if min(gaps) < 1.5 * tick.size or max(gaps) > 2.5 * min(gaps):
            continue  # not evenly spaced: figures of a table's column, not an axis
        axes.append((min(ln.x0 for ln in lines), tick.x1, lines[0].top, lines[-1].bottom, tick.size))
    return axes


def _heading_above(item: Item, headings: list[tuple[float, float, float, Item]]) -> Item | None:
    """The heading printed nearest above the item's first line and across its column (their
    left-to-right extents overlap), on the same page. ``headings``: (bottom, left, right, heading),
    measured once per page (each item asks of every heading)."""
    first = item.lines[0]
    best: Item | None = None
    best_bottom = 0.0
    for bottom, x0, x1, h in headings:
        if bottom <= first.top + 1 and x0 < first.x1 - 1 and x1 > first.x0 + 1 and (best is None or bottom > best_bottom):
            best, best_bottom = h, bottom
    return best


def order_under_headings(items: list[Item]) -> list[Item]:
    """Each block after the heading a reader sees above it in its column, as a reviewer cites it.

    A designed page is often drawn out of reading order (a column's text before the title over
    it, one column's paragraph among the other's); a block with a heading above it on the page
    moves to that heading's blocks, keeping the drawn order among them. A block with no heading
    above it (text carried on from the page before, a side heading's text to its right) stays
    with the heading drawn before it. Headings keep their order."""
    headings = [it for it in items if it.kind is BlockKind.HEADING and it.lines and all(ln.size > 0 for ln in it.lines)]
    if not headings:
        return items
    extents = [(max(ln.bottom for ln in h.lines), min(ln.x0 for ln in h.lines), max(ln.x1 for ln in h.lines), h)
               for h in headings]
    lead: list[Item] = []
    under: dict[int, list[Item]] = {id(h): [] for h in headings}
    current: Item | None = None
    for it in items:
        if it.kind is BlockKind.HEADING:
            current = it if id(it) in under else current
            if id(it) not in under:
                (under[id(current)] if current is not None else lead).append(it)
            continue
        anchor = _heading_above(it, extents) if it.lines and it.lines[0].size > 0 else None
        target = anchor if anchor is not None else current
        (under[id(target)] if target is not None else lead).append(it)
    out = lead
    for it in items:
        if id(it) in under:
            out.append(it)
            out.extend(under[id(it)])
    return out


PANEL_BLOCKS = 12
PANEL_WIDTH = 0.2  # of the page width


def _panel_page(flow: list[Item], width: float) -> bool:
    """A dashboard or infographic page: many text blocks, most of them in narrow panels."""
    placed = [it for it in flow if it.lines and it.size > 0]
    if len(placed) < PANEL_BLOCKS or width <= 0:
        return False
    narrow = sum(1 for it in placed if max(ln.x1 for ln in it.lines) - min(ln.x0 for ln in it.lines) < PANEL_WIDTH * width)
    return narrow >= 0.6 * len(placed)


def heading_levels(items: list[Item], body_size: float, cover: bool) -> None:
    """Level each styled heading by its size's rank among the document's heading sizes."""
    counted = [it for it in items
               if it.kind is BlockKind.HEADING and it.level == 0 and it.size > 0 and not (cover and it.page == 1)
               and place_for_heading(it.flat) is None]
    used = Counter(_round_size(it.size) for it in counted)
    late = {_round_size(it.size) for it in counted if it.page > 2}
    # a size used by one heading on the first pages only (a title, a document name over the
    # contents) does not make a level of its own
    top = max((s for s, n in used.items() if n >= 2), default=None)
    sizes = sorted((s for s, n in used.items() if top is None or n >= 2 or s in late or s < top), reverse=True)
    ranks: list[float] = []
    for s in sizes:  # sizes within a point of each other are one level
        if not ranks or ranks[-1] - s >= 1.0:
            ranks.append(s)
    for it in items:
        if it.kind is not BlockKind.HEADING or it.level:
            continue
        text = it.flat
        if it.size > 0 and body_size > 0 and not it.styled_heading and place_for_heading(text) is None:
            it.level = min(len(ranks) + 1, 6)  # a title in the body type ranks below every styled one
            continue
        if it.size <= 0 or body_size <= 0 or not it.styled_heading:
            it.level = 2 if _HEADING_NUMBER.match(text) and "." in text.split()[0].rstrip(".") else 1
            continue
        size = _round_size(it.size)
        level = next((k + 1 for k, s in enumerate(ranks) if size >= s - 0.5), len(ranks) + 1)
        it.level = min(level, 6)


# what opens a paragraph of its own, not the rest of one cut overleaf: a paragraph number ("177. The
# Council", "5.4.31 Both"), a field's label ("Timescale: ...", "Impact: ..."), a chapter title
_OWN_START = re.compile(r"^(?:\(?\d+(?:\.\d+)*[.)]?\s?[A-Z(]|[A-Z][\w'/&-]*(?: [\w'/&-]+){0,3}:\s|[Cc]hapter \d)")


def _ends_open(text: str) -> bool:
    """The text stops on a word no title or sentence ends on ("... projected to increase by a"); a
    capital letter is a label ("Appendix A", "Annex A"), not the article."""
    words = text.split()
    return bool(words) and words[-1].lower() in _OPEN_ENDINGS and not (len(words[-1]) == 1 and words[-1].isupper())


def _cut_mid_phrase(text: str) -> bool:
    """The paragraph stops on a word no sentence ends on, or inside a noun phrase it opened
    ("... and specifically, Tina; the Dual" / "Diagnosis Worker. I see Tina weekly"): what follows
    overleaf carries it on even when it opens with a capital."""
    words = text.split()
    if not words or _ends_sentence(words[-1]):
        return False
    return _ends_open(text) or (len(words) > 1 and words[-2].lower() in ("the", "a", "an", "our", "their"))


def join_across_pages(items: list[Item]) -> list[Item]:
    """A paragraph cut by a page or column break continues in the next prose item when that
    one does not start a sentence (it opens in lower case, or the paragraph stopped mid-phrase)."""
    out: list[Item] = []
    open_para: Item | None = None
    for item in items:
        if item.place in (Place.FIGURE, Place.FOOTNOTE, Place.CAPTION, Place.RUNNING):
            out.append(item)
            continue
        text = item.text.strip()
        if (open_para is not None and item.kind is BlockKind.PARAGRAPH and item.place == open_para.place
                and item.page != open_para.page and (text[:1].islower() or (
                    _cut_mid_phrase(open_para.text) and item.place in (None, Place.BODY) and not is_caption(text)
                    and not _OWN_START.match(text) and is_prose(open_para.flat)))):
            open_para.lines.extend(item.lines)
            continue
        out.append(item)
        if (open_para is not None and item.kind is BlockKind.PARAGRAPH and item.page == open_para.page
                and not _more_words_than(text, 12) and (not is_prose(" ".join(text.split())) or text.endswith(("...", "\u2026")))):
            continue  # a stray label of a chart on that page does not end the open paragraph
        if (open_para is not None and item.kind is BlockKind.TABLE_ROW and item.page == open_para.page
                and is_prose(open_para.flat)):
            continue  # nor does a table set below it on that page, while its sentence runs on overleaf
        if item.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and not _ends_sentence(text):
            open_para = item
        else:
            open_para = None
    return out


_CONTINUED = re.compile(r"\s*[(\[]?\s*(?:continued|cont'?d|cont\.)\s*[)\]]?\s*$", re.IGNORECASE)


_NOT_KEY = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=4096)  # asked of every title on the section path at each heading
def _heading_key(text: str) -> str:
    return _NOT_KEY.sub("", text.lower())


def _open_heading(builder: BlockBuilder, it: Item) -> None:
    """Open the item's section; a heading repeated from the path (a chapter banner printed
    on every page, "Mental Health continued") returns to that section instead of opening a
    new one, so the sub-section a page carries on is kept."""
    text = it.flat
    bare = _CONTINUED.sub("", text)
    key = _heading_key(bare)
    path = [_heading_key(s) for s in builder.section]
    if key and key in path:
        depth = len(path) - path[::-1].index(key)
        if bare != text:  # "... continued": back to that section
            del builder.section[depth:]
            del builder.levels[depth:]
        builder._add(bare, bare, BlockKind.HEADING, it.page)
        return
    builder.heading(bare or text, it.level, it.page, styled=it.styled_heading and it.level < 9)


PANEL_HEADINGS = 8  # an infographic page titles this many panels or more


def panel_pages(items: list[Item]) -> set[int]:
    """Pages set as infographic panels: at least PANEL_HEADINGS headings, and nearly as many as
    the page's paragraphs of prose. Their headings title the panels of that page only."""
    headings: Counter[int] = Counter()
    prose: Counter[int] = Counter()
    for it in items:
        if it.kind is BlockKind.HEADING:
            headings[it.page] += 1
        elif it.kind is BlockKind.PARAGRAPH and it.place in (None, Place.BODY) and _more_words_than(it.text, 11):
            prose[it.page] += 1
    return {page for page, n in headings.items() if n >= PANEL_HEADINGS and n >= 0.8 * prose[page]}


UNPLACED = -1  # an item without geometry (a table read cell by cell): in or out of a box, unknown


def _box_of(item: Item, boxes: Sequence[tuple[float, float, float, float]]) -> int | None:
    """The shaded box (an index into ``boxes``) holding every placed line of ``item``, None
    when none does, UNPLACED when the item has no placed lines."""
    if not boxes:  # (most pages): only whether the item has placed lines matters
        for ln in item.lines:
            if ln.size > 0 and ln.text.strip():
                return None
        return UNPLACED
    placed = [ln for ln in item.lines if ln.size > 0 and ln.text.strip()]
    if not placed:
        return UNPLACED
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        if all(x0 - 2 <= ln.x0 and ln.x1 <= x1 + 2 and top - 2 <= ln.top and ln.bottom <= bottom + 2 for ln in placed):
            return i
    return None


_CALL_OUT_NAME = re.compile(r"(?:box|case stud(?:y|ies)|spotlight|example|good practice example)\b", re.I)
RULED_BOX_GAP = (40.0, 0.75)  # points at least, and a share of the page at most, between a ruled box's two rules
RULE_THICKNESS = 3.0  # points: a drawn rule, not a shaded box


def ruled_boxes(page: PageLines) -> list[tuple[float, float, float, float]]:
    """Call-outs drawn as a pair of rules rather than shaded ("Key points" between a rule above
    and a rule below, across the column): two wide horizontal rules of the same extent, one
    following the other, with a few lines between them and not the whole page (a running
    header's rule and a footer's)."""
    rules = sorted((b for b in page.rules if b[3] - b[1] <= RULE_THICKNESS and b[2] - b[0] >= 0.5 * page.width),
                   key=lambda b: b[1])
    distinct: list[tuple[float, float, float, float]] = []
    for rule in rules:  # a rule drawn twice (stroke and fill) is one rule
        if distinct and abs(rule[1] - distinct[-1][1]) <= 2:
            continue
        distinct.append(rule)
    least, most = RULED_BOX_GAP
    return [(min(a[0], b[0]), a[1], max(a[2], b[2]), b[3]) for a, b in zip(distinct, distinct[1:], strict=False)
            if abs(a[0] - b[0]) <= 4 and abs(a[2] - b[2]) <= 4 and least <= b[1] - a[3] <= most * page.height]


def _titles_call_out(items: list[Item], boxed: list[int | None], k: int) -> bool:
    """Whether heading ``items[k]`` titles a shaded call-out box ("Good to know", "Key facts"): it
    sits in a box with text of its own after it, so the text after the box carries on in the
    section the box interrupted. Not a numbered unit set in a box ("Recommendation 20", "Policy
    LP4": the text after it answers or explains it), nor a page's title in a banner box (the
    first item of its page)."""
    it, box = items[k], boxed[k]
    if it.kind is not BlockKind.HEADING or box in (None, UNPLACED) or not 0 < k < len(items) - 1:
        return False
    after, before = items[k + 1], items[k - 1]
    # a call-out numbered as one ("Box 2. Holistic support", "Case study 2") may open with a case's own title
    named = _CALL_OUT_NAME.match(it.text.strip()) is not None
    inside = list(takewhile(lambda j: (items[j].page, boxed[j]) == (it.page, box), range(k + 1, len(items))))
    has_text = any(items[j].kind is not BlockKind.HEADING for j in inside)  # a box of titles only is no call-out
    return ((after.kind is not BlockKind.HEADING or named) and (after.page, boxed[k + 1]) == (it.page, box) and has_text
            and before.page == it.page and (named or not any(ch.isdigit() for ch in it.text)))


def build_blocks(pages: list[PageLines], running: set[str], cover: bool) -> tuple[list[Block], list[Block]]:
    """Blocks (with section paths from the heading hierarchy) and furniture blocks for a PDF."""
    # Long: one pass keeps the section path; the page turns, infographic panels, call-out boxes and
    # contents pages that change it are read in that pass, in order, because each sees the path the last left.
    body_size, body_bold = body_style(pages)
    reader = PageReader(body_size, body_bold, running, line_pitch(pages))
    reader.body_colour = body_colour(pages)
    reader.chapter_size = chapter_size(pages, body_size)
    reader.font_headings = any(reader.heading_style(ln) for page in pages for ln in page.lines if ln.text.strip())
    for page in pages:  # a short page's lines end where its column ends on the other pages
        for ln in page.lines:
            if ln.size > 0 and ln.text.strip() and abs(ln.size - body_size) < 1:
                key = int(ln.x0 // 10)
                reader.rights[key] = max(reader.rights.get(key, 0.0), ln.x1)
    items: list[Item] = []
    furniture: list[Item] = []
    for page in pages:
        page_items, page_furniture = reader.read(page)
        furniture.extend(page_furniture)
        if cover and page.number == 1:
            title = max((it.size for it in page_items if it.kind is BlockKind.HEADING), default=0.0)
            for it in page_items:
                if it.kind is BlockKind.HEADING and it.size < title - 0.5 and it.place is None:
                    it.kind = BlockKind.PARAGRAPH  # a title page has one title; the rest is its subtitle, author, date
                if it.kind is not BlockKind.HEADING and it.place in (None, Place.FIGURE, Place.CAPTION):
                    it.place = Place.COVER
        items.extend(page_items)
    heading_levels(items, body_size, cover)
    items = join_across_pages(items)
    builder = BlockBuilder()
    contents_pages = {it.page for it in items if it.place is Place.CONTENTS}
    panels = panel_pages(items)
    for item, after in zip(items, items[1:], strict=False):  # (after the panel pages are counted: they were panel titles)
        if item.page == after.page and _names_headline_figure(item, after):
            for part in (item, after):  # "Residents" over "852,400": one figure and its name, no section
                part.kind, part.place, part.level = BlockKind.PARAGRAPH, Place.FIGURE, 0
    # boxes drawn as a pair of rules (see ruled_boxes) first, so a title on a shaded band at the top of one
    # belongs to the ruled box; their title must open them
    ruled = {page.number: ruled_boxes(page) for page in pages if page.rules}
    boxes = {page.number: ruled.get(page.number, []) + page.boxes for page in pages if page.boxes or page.rules}
    boxed = [_box_of(it, boxes.get(it.page, ())) for it in items]
    opened = {(it.page, boxed[k]) for k, it in enumerate(items)
              if it.kind is BlockKind.HEADING and it.lines and boxed[k] not in (None, UNPLACED)
              and boxed[k] < len(ruled.get(it.page, ()))  # type: ignore[operator]
              and it.lines[0].top - boxes[it.page][boxed[k]][1] <= 3 * max(it.lines[0].size, 1)}  # type: ignore[index]
    for k, it in enumerate(items):
        box = boxed[k]
        if box not in (None, UNPLACED) and box < len(ruled.get(it.page, ())) and (it.page, box) not in opened:  # type: ignore[operator]
            boxed[k] = None  # a ruled region no title opens (a table's rows, text between rules) is no call-out
    current_page = 0
    at_page_start: tuple[list[str], list[int]] = ([], [])
    aside: tuple[int, int, list[str], list[int]] | None = None  # a call-out's page, box, and the section to return to
    for k, it in enumerate(items):
        if aside is not None and boxed[k] != UNPLACED and (it.page, boxed[k]) != aside[:2]:
            builder.section, builder.levels = aside[2], aside[3]  # out of the call-out: its title no longer applies
            aside = None
        if (it.kind is BlockKind.HEADING and boxed[k] not in (None, UNPLACED)  # (_titles_call_out's first test, asked of every item)
                and it.page not in panels and _titles_call_out(items, boxed, k)  # (an infographic's panels: the page turn below)
                and (aside is None or aside[:2] != (it.page, boxed[k]))):  # a case's title inside a titled box
            aside = (it.page, boxed[k], list(builder.section), list(builder.levels))
        if it.page != current_page:
            if current_page in panels and it.kind is BlockKind.HEADING:
                # an infographic's panel titles name its panels, not the page after it, which opens its own
                builder.section, builder.levels = list(at_page_start[0]), list(at_page_start[1])
            else:
                at_page_start = (list(builder.section), list(builder.levels))
            current_page = it.page
            if builder.place is Place.CONTENTS and current_page not in contents_pages:
                builder.place = Place.BODY
                if builder.section and place_for_heading(builder.section[-1]) is Place.CONTENTS:
                    builder.section.pop()
                    builder.levels.pop()
        if it.table is not None:
            for row in it.table.rows:
                builder.add(" | ".join(c for c in row if c), BlockKind.TABLE_ROW, it.page, place=it.place)
        elif it.kind is BlockKind.HEADING:
            _open_heading(builder, it)
        else:
            raw = it.lines[0].text.strip() if len(it.lines) == 1 else "\n".join([ln.text.strip() for ln in it.lines])
            text = it.text
            # (raw the same as the text, as a one-line block's is: the builder's squashed text is its raw too)
            builder.add(text, it.kind, it.page, raw=None if raw == text else raw, place=it.place)
        if builder.place is Place.CONTENTS and it.place is not Place.CONTENTS and it.kind is not BlockKind.HEADING:
            builder.place = Place.BODY  # a contents page ends where its lines stop looking like contents
    fb = BlockBuilder()
    for it in furniture:
        fb.add(it.text, BlockKind.PARAGRAPH, it.page, place=Place.RUNNING)
    return builder.blocks, fb.blocks
