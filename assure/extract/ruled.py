"""Ruled tables read from PDFium's own drawing: the rules a table is drawn with give its rows
and cells, and PDFium gives the text inside each cell.

pdfplumber finds such tables too, but parses the page again at about 0.1 s a page, so it is
only asked on pages that print an action or indicator table header. A ruled table with other
column titles ("Detail | Foundation | Mayoral | Established") is found here instead, at the
cost of one pass over the page's path objects: its rows become table rows rather than a run of
cell fragments read as captions, figure labels and notes.
"""

from __future__ import annotations

import ctypes
import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from assure.extract.clean import TableRows, normalise, section_number

if TYPE_CHECKING:
    from assure.extract.layout import Line

MAX_OBJECTS = 4000  # a page drawn with more objects than this is a map or a chart, not a table
THIN = 3.0  # points: a rule is at most this thick
MIN_RULE = 8.0  # points: a shorter stroke is a tick or a bullet, not a rule
SNAP = 2.0  # points: rules this close are one rule, and touch when they come this close
MIN_ROWS = 2
MAX_CELL_WORDS = 50  # a row with a longer cell is paragraphs set in boxes


@dataclass
class _Rule:
    at: float  # y of a horizontal rule, x of a vertical one (PDF space: y grows upwards)
    start: float
    end: float


PagePath = tuple[int, float, float, float, float]  # a path object's address and its bounds x0, y0, x1, y1


def _rebind(function: Any, restype: Any, *argtypes: Any) -> Any:  # noqa: ANN401 - ctypes function pointers
    """PDFium's ``function`` called with plain addresses (``c_void_p``) for handles: about a third
    cheaper a call than pypdfium2's typed pointers, which matters once per object of a page."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value or 0)


class _ObjectCalls(NamedTuple):
    """The PDFium calls made on a page's objects, taking the objects' addresses."""

    get_object: Any
    get_type: Any
    get_bounds: Any
    count_segments: Any
    draw_mode: Any
    fill_colour: Any


@functools.cache
def _object_calls() -> _ObjectCalls:
    import pypdfium2.raw as pdfium_c

    handle, number, point = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)
    whole, channel = ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_uint)
    return _ObjectCalls(
        _rebind(pdfium_c.FPDFPage_GetObject, handle, handle, number),
        _rebind(pdfium_c.FPDFPageObj_GetType, number, handle),
        _rebind(pdfium_c.FPDFPageObj_GetBounds, number, handle, point, point, point, point),
        _rebind(pdfium_c.FPDFPath_CountSegments, number, handle),
        _rebind(pdfium_c.FPDFPath_GetDrawMode, number, handle, whole, whole),
        _rebind(pdfium_c.FPDFPageObj_GetFillColor, number, handle, channel, channel, channel, channel),
    )


def page_paths(page) -> list[PagePath]:  # noqa: ANN001 - a pypdfium2 page
    """The page's top-level path objects with their bounds x0, y0, x1, y1 (PDF space: y grows upwards); none on
    a page drawn with more than MAX_OBJECTS objects (a map or a chart). Read once per page: the drawn
    shapes (:func:`page_shapes`) and the ruled tables (:func:`ruled_tables`) both walk them."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count > MAX_OBJECTS:
        return []
    calls = _object_calls()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw, path, get_bounds = ctypes.cast(page.raw, ctypes.c_void_p).value, pdfium_c.FPDF_PAGEOBJ_PATH, calls.get_bounds
    objects = list(map(calls.get_object, repeat(raw, count), range(count)))
    paths = [obj for obj, kind in zip(objects, map(calls.get_type, objects), strict=True) if kind == path]  # most are text
    return [(obj, left.value, bottom.value, right.value, top.value) for obj in paths if get_bounds(obj, left, bottom, right, top)]


def _rules(page, paths: list[PagePath] | None = None) -> tuple[list[_Rule], list[_Rule]]:  # noqa: ANN001 - a pypdfium2 page
    """Horizontal and vertical rules: thin path objects, and the edges of rectangles drawn as
    outlines (a filled rectangle is as often a chart's bar or a panel's shading as a cell)."""
    import pypdfium2.raw as pdfium_c

    horizontal: list[_Rule] = []
    vertical: list[_Rule] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    calls = _object_calls()
    for obj, x0, y0, x1, y1 in page_paths(page) if paths is None else paths:
        width, height = x1 - x0, y1 - y0
        if width <= THIN and height >= MIN_RULE:
            vertical.append(_Rule((x0 + x1) / 2, y0, y1))
        elif height <= THIN and width >= MIN_RULE:
            horizontal.append(_Rule((y0 + y1) / 2, x0, x1))
        elif (
            width >= MIN_RULE
            and height >= MIN_RULE
            and 4 <= calls.count_segments(obj) <= 5
            and calls.draw_mode(obj, fill, stroke)
            and stroke.value
            and fill.value == pdfium_c.FPDF_FILLMODE_NONE
        ):
            horizontal += [_Rule(y0, x0, x1), _Rule(y1, x0, x1)]
            vertical += [_Rule(x0, y0, y1), _Rule(x1, y0, y1)]
    return _merge(horizontal), _merge(vertical)


def _merge(rules: list[_Rule]) -> list[_Rule]:
    """Rules on one line that touch or overlap become one."""
    out: list[_Rule] = []
    for rule in sorted(rules, key=lambda r: (round(r.at / SNAP), r.start)):
        last = out[-1] if out else None
        if last is not None and abs(last.at - rule.at) <= SNAP and rule.start <= last.end + SNAP:
            last.end = max(last.end, rule.end)
        else:
            out.append(_Rule(rule.at, rule.start, rule.end))
    return out


class _Lines:
    """Rules looked up by the line they lie on (within SNAP)."""

    def __init__(self, rules: list[_Rule]) -> None:
        self.by_key: dict[int, list[_Rule]] = {}
        for r in rules:
            self.by_key.setdefault(round(r.at / SNAP), []).append(r)
        self.near: dict[int, list[_Rule]] = {}  # the rules of keys k - 1, k and k + 1, in that order: built once a key

    def covers(self, at: float, start: float, end: float) -> bool:
        """Whether one rule on the line ``at`` runs from ``start`` to ``end``."""
        key = round(at / SNAP)
        near = self.near.get(key)
        if near is None:
            get = self.by_key.get
            near = self.near[key] = [*get(key - 1, ()), *get(key, ()), *get(key + 1, ())]
        for r in near:  # (a loop, not any() over a generator: _cells asks this some 50,000 times over the real plans)
            if abs(r.at - at) <= SNAP and r.start - SNAP <= start and end <= r.end + SNAP:
                return True
        return False


Cell = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF space


def _cells(horizontal: list[_Rule], vertical: list[_Rule]) -> list[Cell]:
    """The smallest rectangles closed by rules on all four sides: from each crossing, the
    nearest crossing below and to the right whose rules meet (the way pdfplumber finds cells,
    so a cell spanning columns or rows stays one cell). A rectangle with a crossing inside it
    (a frame around the page or a panel, holding whole tables) is no cell."""
    points = sorted(
        {
            (v.at, h.at)
            for h in horizontal
            for v in vertical
            if h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP
        },
        key=lambda p: (-p[1], p[0]),
    )
    across, down = _Lines(horizontal), _Lines(vertical)
    xs_at: dict[float, list[float]] = {}
    ys_at: dict[float, list[float]] = {}
    for x, y in points:
        xs_at.setdefault(y, []).append(x)
        ys_at.setdefault(x, []).append(y)
    known = set(points)
    cells: list[Cell] = []
    for x, y in points:
        cell = _smallest(x, y, ys_at[x], xs_at[y], known, across, down)
        if cell is not None:
            cells.append(cell)
    by_x = sorted(points)
    xs = [p[0] for p in by_x]
    return [
        c
        for c in cells
        if not any(c[1] + SNAP < py < c[3] - SNAP for _, py in by_x[bisect_right(xs, c[0] + SNAP) : bisect_left(xs, c[2] - SNAP)])
    ]


def _smallest(
    x: float, y: float, ys: list[float], xs: list[float], known: set[tuple[float, float]], across: _Lines, down: _Lines
) -> Cell | None:
    """The smallest cell whose top-left corner is the crossing (x, y): ``ys`` are the crossings'
    heights on its vertical line (top first), ``xs`` their places on its horizontal line."""
    rights = []  # the crossings right of x that the top rule reaches (the same for every b: found once)
    for r in xs:
        if r <= x + SNAP:
            continue
        if not across.covers(y, x, r):
            break  # the top rule ends before r
        rights.append(r)
    if not rights:
        return None
    for b in ys:
        if b >= y - SNAP:
            continue
        if not down.covers(x, b, y):
            return None  # the left rule ends above b
        for r in rights:
            if (r, b) in known and down.covers(r, b, y) and across.covers(b, x, r):
                return (x, b, r, y)
    return None


@functools.cache
def _bounded_text_call() -> Any:  # noqa: ANN401 - a ctypes function pointer
    import pypdfium2.raw as pdfium_c

    double = ctypes.c_double
    return _rebind(pdfium_c.FPDFText_GetBoundedText, ctypes.c_int, ctypes.c_void_p, double, double, double, double,
                   ctypes.c_void_p, ctypes.c_int)


class _CellReader:
    """The text inside rectangles of one text page, one PDFium call a cell: pypdfium2's
    ``get_text_bounded`` asks twice (the length, then the text), and each call walks every
    character of the page. Into one buffer per page; a text that may not fit it, or that holds
    characters beyond UTF-16's basic plane (where PDFium's count and the buffer's differ), is
    read through pypdfium2, so the text is always what ``get_text_bounded`` gives."""

    CAPACITY = 4096  # UTF-16 units; a cell's text is far shorter

    def __init__(self, textpage) -> None:  # noqa: ANN001 - a pypdfium2 text page
        self.textpage = textpage
        self.address = ctypes.cast(textpage.raw, ctypes.c_void_p).value or 0
        self.buffer = (ctypes.c_ushort * self.CAPACITY)()
        self.call = _bounded_text_call()

    def text(self, left: float, bottom: float, right: float, top: float) -> str:
        size = self.call(self.address, left, top, right, bottom, self.buffer, self.CAPACITY)
        if size <= 0:
            return ""
        if size < self.CAPACITY:  # all of it, with the terminating NUL PDFium counts when it writes
            units = size - 1 if self.buffer[size - 1] == 0 else size  # (PDFium never gives a NUL character)
            text = ctypes.string_at(self.buffer, 2 * units).decode("utf-16-le", "ignore")
            if len(text) == units:  # one unit a character: no surrogate pair, nothing dropped
                return text
        plain: str = self.textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        return plain


def _cell_text(cells: _CellReader, left: float, bottom: float, right: float, top: float) -> str:
    """The text inside a cell, a point in from its rules (a page number printed across the
    table's last rule is not the cell's); PDFium marks a hyphen that ends a line with \\x02."""
    text = cells.text(left + 1, bottom + 2.5, right - 1, top - 1)
    return " ".join(normalise(text.replace("\x02", "-")).split())


def ruled_tables(page, textpage, paths: list[PagePath] | None = None) -> list[tuple[tuple[float, float, float, float], TableRows]]:  # noqa: ANN001
    """The page's ruled tables as ((x0, top, x1, bottom) from the top-left, rows of cell texts),
    each with at least two rows of two or more cells. A row is the cells whose tops share a
    rule; a cell spanning rows belongs to the first."""
    horizontal, vertical = _rules(page, paths)
    if len(horizontal) < MIN_ROWS + 1 or len(vertical) < 2:
        return []
    cells = _cells(horizontal, vertical)
    height = page.get_height()
    reader = _CellReader(textpage)
    tables: list[tuple[tuple[float, float, float, float], TableRows]] = []
    for group in _touching(cells):
        layout = [
            sorted((c for c in group if c[3] == top), key=lambda c: c[0]) for top in sorted({c[3] for c in group}, reverse=True)
        ]
        if sum(1 for row in layout if len(row) >= 2) < MIN_ROWS:
            continue
        read = [(row, tuple(_cell_text(reader, *c) for c in row)) for row in layout]
        for part in _short_cell_runs([(row, texts) for row, texts in read if any(texts)]):
            rows = [texts for _, texts in part]
            if sum(1 for r in rows if sum(1 for t in r if t) >= 2) < MIN_ROWS:
                continue
            cells_ = [c for row, _ in part for c in row]
            x0, y0 = min(c[0] for c in cells_), min(c[1] for c in cells_)
            x1, y1 = max(c[2] for c in cells_), max(c[3] for c in cells_)
            tables.append(((x0, height - y1, x1, height - y0), TableRows(tuple(rows))))
    return sorted(tables, key=lambda t: t[0][1])


def _short_cell_runs(rows: list[tuple[list[Cell], tuple[str, ...]]]) -> list[list[tuple[list[Cell], tuple[str, ...]]]]:
    """The table's rows in runs between rows holding a paragraph (a cell of more than
    MAX_CELL_WORDS words): such a row is paragraphs set in a box (a policy review's summaries,
    a monitoring table's "Risks:" row of bullets and questions), read as prose sentence by
    sentence, while the rows of short cells above or below it stay table rows."""
    runs: list[list[tuple[list[Cell], tuple[str, ...]]]] = [[]]
    for row in rows:
        if any(len(t.split()) > MAX_CELL_WORDS for t in row[1]):
            runs.append([])
        else:
            runs[-1].append(row)
    return [run for run in runs if run]


def _touching(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into tables: cells that share a corner or an edge are one table."""
    groups: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (-c[3], c[0])):
        touching = [g for g in groups if any(_touch(cell, other) for other in g)]
        merged = [cell] + [c for g in touching for c in g]
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def _touch(a: Cell, b: Cell) -> bool:
    return a[0] <= b[2] + SNAP and b[0] <= a[2] + SNAP and a[1] <= b[3] + SNAP and b[1] <= a[3] + SNAP


BULLET_MARK = (2.5, 8.0)  # points: the side of a bullet drawn as a small square or dot
UNDERLINE_THICKNESS = 1.5  # points: a stroke under text, not a box
UNDERLINE_MIN = 15.0  # points wide: an underline under at least a word
UNDERLINED_TITLE_WORDS = 14
_SENTENCE_VERBS = frozenset("is are was were be been should must will would can could may might shall has have had".split())
_WEB_ADDRESS = re.compile(r"https?://|www\.|\.(?:uk|com|org|net)(?:/|\b)", re.I)
BULLET_GAP = (1.5, 24.0)  # points: from the mark's right edge to its text


BOX_MIN = (100.0, 24.0)  # points: a shaded box narrower or shorter than this is a bar, a swatch or a highlight
BOX_MAX_SHARE = (0.3, 0.45)  # of the page's area and height: a larger one is a page's or a column's background
WHITE = (255, 255, 255)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom from the page's top-left


def page_shapes(page, paths: list[PagePath] | None = None) -> tuple[list[tuple[float, float, float]], list[Box], list[Box]]:  # noqa: ANN001
    """The drawn shapes the reader uses, from one pass over the page's paths.

    Underlines: thin horizontal strokes or bars (x0, top, x1, bottom from the top-left); a word
    processor draws underlined text so, and a line underlined from end to end is set apart as a
    title is ("Exposure to violence and safety concerns:", see :func:`mark_underlines`).

    Bullets drawn as shapes rather than typed as characters (a small filled square or dot
    left of each item): (right edge, top, bottom) from the top-left. PDFium's text has no
    character for them, so without this the items read as one paragraph or as prose.

    Boxes: shaded boxes (a filled, not white, rectangle of some size) such as a call-out
    ("Good to know", "Case study"); a heading inside one titles the box, not the text after
    it (see layout.build_blocks)."""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    page_width, page_height = page.get_width(), page.get_height()
    smallest, largest = BULLET_MARK
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    found: list[tuple[float, float, float, tuple[int, int, int]]] = []
    calls = _object_calls()
    boxes: list[Box] = []
    underlines: list[Box] = []
    for obj, x0, y0, x1, y1 in page_paths(page) if paths is None else paths:
        width, tall = x1 - x0, y1 - y0
        if width < smallest or tall < smallest or largest < width < BOX_MIN[0]:  # neither a bullet's mark nor a box: most paths
            if tall <= UNDERLINE_THICKNESS and width >= UNDERLINE_MIN:  # (thinner than any mark: always here)
                underlines.append((x0, page_height - y1, x1, page_height - y0))
            continue
        small = smallest <= width <= largest and smallest <= tall <= largest and abs(width - tall) < 1.0
        box = (
            width >= BOX_MIN[0]
            and tall >= BOX_MIN[1]
            and width * tall <= BOX_MAX_SHARE[0] * page_width * page_height
            and tall <= BOX_MAX_SHARE[1] * page_height
        )
        if (
            (small or box)
            and calls.draw_mode(obj, fill, stroke)
            and fill.value != pdfium_c.FPDF_FILLMODE_NONE
        ):
            calls.fill_colour(obj, red, green, blue, alpha)
            colour = (red.value, green.value, blue.value)
            if small:
                found.append((x1, page_height - y1, page_height - y0, colour))
            elif colour != WHITE and alpha.value:
                boxes.append((x0, page_height - y1, x1, page_height - y0))
    # a chart's legend draws its swatches in a column or a row too, but each in its own colour
    columns: dict[int, set[tuple[int, int, int]]] = {}
    rows: dict[int, set[tuple[int, int, int]]] = {}
    for x, top_, bottom_, colour in found:
        columns.setdefault(round(x), set()).add(colour)
        rows.setdefault(round(top_ + bottom_), set()).add(colour)
    bullets = [
        (x, top_, bottom_)
        for x, top_, bottom_, _ in found
        if len(columns[round(x)]) == 1 and len(rows[round(top_ + bottom_)]) == 1
    ]
    return bullets, boxes, underlines


def mark_underlines(lines: Sequence[Line], underlines: list[Box], page_height: float) -> None:
    """Set ``underlined`` on each line standing on its own with a stroke just under its baseline as
    wide as its words (within a tenth): an underlined title. A table's rules run the width of the
    table, not of a cell's words; a link underlined inside a line covers only part of it; a web
    address, a running head in the page's margin, and an underlined passage inside a paragraph
    (the line above left a sentence open, or the line below carries it on) are not titles."""
    if not underlines:
        return
    from assure.extract.layout import _SENTENCE_END, RUNNING_MARGIN  # layout imports this module

    margin = RUNNING_MARGIN * page_height
    by_top = sorted((u for u in underlines if u[1] == u[1]), key=lambda u: u[1])  # (a NaN top is under no line)
    tops = [u[1] for u in by_top]
    for ln in lines:
        width, text = ln.x1 - ln.x0, ln.text.strip()
        if ln.size <= 0 or width <= 0 or not text or ln.top < margin or ln.bottom > page_height - margin:
            continue
        low = ln.baseline if ln.baseline > ln.top else ln.bottom - 0.25 * ln.size
        # under the baseline, not through the words: the strokes whose top is in reach, found by bisection
        # (first: most lines have none, and the tests below need one)
        reach = by_top[bisect_left(tops, low - 0.1 * ln.size) : bisect_right(tops, ln.bottom + 0.4 * ln.size)]
        if not reach:
            continue
        words = text.lower().split()
        if len(words) > UNDERLINED_TITLE_WORDS or (text[-1] not in "?:" and not _SENTENCE_VERBS.isdisjoint(words)):
            continue  # an underlined sentence ("Development is likely to ... the area"), not a title
        # a numbered title is often underlined after its number ("6. Richmond Fellowship")
        lead = 0.6 * width if section_number(text) is not None else 0.0
        if _WEB_ADDRESS.search(text) or not any(
            -(0.1 * width + 2) <= x0 - ln.x0 <= max(lead, 0.1 * width + 2) and abs(x1 - ln.x1) <= 0.1 * width + 2
            for x0, _, x1, _ in reach
        ):
            continue
        above, below = _neighbours(ln, lines)
        if below is not None and below.text.strip()[:1].islower():
            continue  # the sentence carries on below
        if above is not None and not _SENTENCE_END.search(above.text.strip()):
            continue  # the line above left its sentence open: this line is inside it
        ln.underlined = True


def _neighbours(ln: Line, lines: Sequence[Line]) -> tuple[Line | None, Line | None]:
    """The nearest lines just above and below ``ln`` in its column (within two line heights)."""
    reach = 2 * max(ln.size, 1.0)
    column = [o for o in lines if o is not ln and o.size > 0 and o.text.strip() and o.x0 < ln.x1 and ln.x0 < o.x1]
    above = [o for o in column if 0 <= ln.top - o.bottom <= reach]
    below = [o for o in column if 0 <= o.top - ln.bottom <= reach]
    return (max(above, key=lambda o: o.bottom) if above else None, min(below, key=lambda o: o.top) if below else None)


def mark_bullets(lines: Sequence[Line], marks: list[tuple[float, float, float]]) -> None:
    """Set ``bullet`` on each line of four or more words that starts just right of a drawn
    bullet level with it (a chart's legend swatch beside a short label is not one)."""
    if not marks:
        return
    nearest, farthest = BULLET_GAP
    for ln in lines:
        if ln.size <= 0 or len(ln.text.split()) < 4:
            continue
        level = [
            right
            for right, top, bottom in marks
            if ln.top - 1 <= (top + bottom) / 2 <= ln.bottom + 1 and bottom - top <= ln.bottom - ln.top + 1
        ]
        if any(ln.x0 < right < ln.x1 for right in level):
            continue  # a mark inside the line's run: a legend's entries side by side, not an item
        ln.bullet = any(nearest <= ln.x0 - right <= farthest for right in level)
