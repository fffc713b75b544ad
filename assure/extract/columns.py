"""Tables of a label and its text, set in two columns without ruling.

A Local Plan's parking standards print each use class on the left and its standard on the
right ("5. B1 Business Use | The standard is two spaces per unit, plus one"); a summary prints a
list of conditions in two columns of rows. No rule is drawn, and PDFium often gives the label
and the first line of its text as one line, joined across the gap between the columns, with
the text's wrapped lines after it. Read as prose, the rows run into one another ("Units up to
1999 sq.metres One parking space for every 20 sq.metres of floor space Units over 2000 ...").

The table is found from geometry: a column start well inside the page where three or more
lines begin, and rows in which a short label left of it shares a baseline with a line starting
at it, and comes just before it in PDFium's order (a joined line is cut where the gap meets the column start, read from PDFium's character
boxes, only for lines crossing that start). A run of three or more such rows, none opening in
lower case (two columns of running prose carry sentences on from line to line), no text a list
item (two columns of a list) and no label a sentence, is a table; lines of one column between two
rows carry on that row's cell. Only the table's rows are built here: the page's lines are kept
as they are, and the reader puts the table where its first line was.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assure.extract.clean import TableRows, normalise

if TYPE_CHECKING:
    from assure.extract.layout import Line

COLUMN_BAND = (0.3, 0.75)  # of the page width: where a table's second column starts
MIN_STARTS = 3  # lines beginning at a column start for it to be one
MIN_ROWS = 3  # rows of a label and its text sharing a baseline
LABEL_GAP = 1.0  # font sizes of blank at least between a label and its text
MAX_LABEL_WORDS = 10
CARRY_ON = 1.8  # font sizes between baselines: a column's next line carries on its cell
RUN_GAP = 3.0  # font sizes between baselines: a wider gap ends the table
ALIGN = 3.0  # points: a line starts at the column when this close to it
# lines from a row's label to its text in PDFium's order: a table is given row by row (the label,
# its wrapped lines, then its text), two columns of prose or of a list one column after the other
ROW_ORDER = 3

Box = tuple[float, float, float, float]
_WORD = re.compile(r"[^\W\d_]{2}")  # two letters in a row: a word, not a bullet, a number or a figure


def column_starts(lines: Sequence[Line], width: float) -> list[float]:
    """x positions well inside the page where MIN_STARTS or more lines begin."""
    low, high = COLUMN_BAND[0] * width, COLUMN_BAND[1] * width
    counts = Counter(round(ln.x0) for ln in lines if ln.size > 0 and low < ln.x0 < high and ln.text.strip())
    starts: list[float] = []
    for x, _ in counts.most_common():
        near = sum(n for y, n in counts.items() if abs(y - x) <= ALIGN)
        if near >= MIN_STARTS and all(abs(x - s) > ALIGN for s in starts):
            starts.append(float(x))
    return starts


def label_tables(textpage: Any, text: str, lines: Sequence[Line], width: float, height: float) -> list[tuple[Box, TableRows]]:
    """The page's label-and-text tables (see the module's docstring): (box from the top-left, rows)."""
    if width <= 0:
        return []
    found: list[tuple[Box, TableRows]] = []
    for x in column_starts(lines, width):
        cut = _cut_at(textpage, text, lines, x, height)
        for box, rows in _tables_at(cut, x):
            if not any(box[1] < b[3] and b[1] < box[3] for b, _ in found):
                found.append((box, rows))
    return sorted(found, key=lambda t: t[0][1])


def _cut_at(textpage: Any, text: str, lines: Sequence[Line], x: float, height: float) -> list[Line]:
    """The page's lines with each line that crosses the column start ``x`` across a gap cut
    in two there (a label and its text that PDFium gave as one line)."""
    out: list[Line] = []
    offset = 0
    for ln, line in zip(text.split("\r\n"), lines, strict=False):
        start = offset
        offset += len(ln) + 2
        parts = []
        if line.size > 0 and line.x0 < x - 2 * line.size and line.x1 > x + 2 * line.size:
            parts = _halves(textpage, ln, start, line, x, height)
        out += parts or [line]
    return out


def _halves(textpage: Any, raw: str, offset: int, line: Line, x: float, height: float) -> list[Line]:
    """``line`` cut where its text meets the column start ``x`` after a gap, or [] when no
    character starts there after a gap of LABEL_GAP font sizes."""
    import pypdfium2.raw as pdfium_c

    page_y = height - (line.baseline - 0.3 * line.size)
    k = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, x + 0.4 * line.size, page_y, 0.5 * line.size, 0.5 * line.size)
    first = offset + len(raw) - len(raw.lstrip())
    if not first < k < offset + len(raw.rstrip()) or raw[k - offset].isspace():
        return []
    before = k - 1
    while before > first and raw[before - offset].isspace():
        before -= 1
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(textpage.raw, k, left, right, bottom, top)
    starts_at = left.value
    pdfium_c.FPDFText_GetCharBox(textpage.raw, before, left, right, bottom, top)
    if abs(starts_at - x) > ALIGN or starts_at - right.value < LABEL_GAP * line.size:
        return []
    label = " ".join(normalise(raw[first - offset : before - offset + 1]).split())
    rest = " ".join(normalise(raw[k - offset :]).split())
    if line.text.endswith(rest) and line.text[: -len(rest)].strip():
        label = line.text[: -len(rest)].strip()  # the line's own text, its note markers dropped
    return [replace(line, text=label, x1=right.value, cells=(), parts=()), replace(line, text=rest, x0=starts_at, cells=(), parts=())]


def _is_row(left: Line, right: Line, x: float) -> bool:
    """A short label left of the column start and a line starting at it, on one baseline."""
    from assure.extract.layout import _DATA_ROW, _is_bullet, _numeric, is_prose

    label, text = left.text.strip(), right.text.strip()
    return (  # (the cheap tests first: two columns of prose fail them, and every test is pure, so the order is free)
        abs(right.x0 - x) <= ALIGN
        and left.x0 < x - 2 * left.size
        and x - left.x1 >= LABEL_GAP * left.size
        and not (label[:1].islower() or text[:1].islower())
        and len(label.split()) <= MAX_LABEL_WORDS
        and _WORD.search(label) is not None
        and _WORD.search(text) is not None  # a row of figures is a data table's, read as one elsewhere
        and not (_numeric(text) or _DATA_ROW.match(f"{label} {text}"))
        and not (right.bullet or _is_bullet(text))  # two columns of a list: items on both sides
        and not ((left.bullet or _is_bullet(label)) and not label[:1].isdigit())  # a numbered label stays a label
        and not is_prose(label)
    )


def _tables_at(lines: list[Line], x: float) -> list[tuple[Box, TableRows]]:
    """Runs of MIN_ROWS or more rows at the column start ``x``, with the lines carrying on
    their cells."""
    order = {id(ln): k for k, ln in enumerate(lines)}
    placed = sorted((ln for ln in lines if ln.size > 0 and ln.text.strip()), key=lambda ln: (ln.baseline, ln.x0))
    bands: list[list[Line]] = []
    for ln in placed:
        if bands and abs(ln.baseline - bands[-1][0].baseline) <= 0.3 * bands[-1][0].size:
            bands[-1].append(ln)
        else:
            bands.append([ln])
    for band in bands:
        band.sort(key=lambda ln: ln.x0)
    tables: list[tuple[Box, TableRows]] = []
    run: list[list[Line]] = []  # each row: its lines
    cells: list[list[list[str]]] = []
    last: list[float] = [0.0, 0.0]  # baseline of the last line in each column

    def close() -> None:
        if not run:  # (most bands end no run: nothing to build or clear)
            return
        members = [ln for row in run for ln in row]
        labels = [" ".join(row[0]) for row in cells if row[0] and row[1]]
        if len(labels) >= MIN_ROWS and not _more_columns(members, x) and not any(_sentence(t) for t in labels):
            box = (min(ln.x0 for ln in members) - 1, min(ln.top for ln in members) - 1,
                   max(ln.x1 for ln in members) + 1, max(ln.bottom for ln in members) + 1)
            tables.append((box, TableRows(tuple((" ".join(a), " ".join(b)) for a, b in cells))))
        run.clear()
        cells.clear()

    for band in bands:
        size = band[0].size
        if run and band[0].baseline - max(last) > RUN_GAP * size:
            close()
        if len(band) == 2 and _is_row(band[0], band[1], x) and 0 < order[id(band[1])] - order[id(band[0])] <= ROW_ORDER:
            run.append(list(band))
            cells.append([[band[0].text.strip()], [band[1].text.strip()]])
            last = [band[0].baseline, band[1].baseline]
            continue
        if not run or not _carry_on(band, x, run, cells, last):
            close()
    close()
    return tables


def _carry_on(band: list[Line], x: float, run: list[list[Line]], cells: list[list[list[str]]], last: list[float]) -> bool:
    """Add a band of lines that is no new row to the table's last row (a cell's next line in
    either column), or a line further down, at its column's start, as a row of its own (a
    label of its own or a note between rows; the next entry of a list set in two columns of
    rows); False when a line sits in neither column."""
    starts = (min(ln.x0 for ln in run[0]), x)
    opened = False
    for ln in band:
        column = 1 if ln.x0 >= x - ALIGN else 0 if ln.x1 <= x - 0.5 * ln.size else -1
        if column < 0:
            return False
        if ln.baseline - last[column] <= CARRY_ON * ln.size and (cells[-1][column] or column == 1) and not opened:
            run[-1].append(ln)
        elif abs(ln.x0 - starts[column]) <= ALIGN and not (opened and cells[-1][column]):
            if not opened:
                run.append([])
                cells.append([[], []])
                opened = True
            run[-1].append(ln)
        else:
            return False
        cells[-1][column].append(ln.text.strip())
        last[column] = ln.baseline
    return True


def _more_columns(members: list[Line], x: float) -> bool:
    """Whether the rows hold a third column (MIN_STARTS lines beginning somewhere other than at
    the labels' or the text's start, a line PDFium read with cells apart, or figures opening most
    of the text column): a wider table, which two cells a row would misread."""
    left_x = min(ln.x0 for ln in members)
    starts = Counter(round(ln.x0 / ALIGN) for ln in members if abs(ln.x0 - left_x) > ALIGN and abs(ln.x0 - x) > ALIGN)
    texts = [ln.text.strip() for ln in members if abs(ln.x0 - x) <= ALIGN]
    if sum(1 for t in texts if t[:1].isdigit() or t[:1] in "+-\u2013\u00a3$") >= 0.5 * len(texts):
        return True  # a column of figures after the labels ("24-25 +0.465 Other external income"): a data table
    return any(len(ln.cells) >= 2 for ln in members) or any(
        sum(n for k, n in starts.items() if abs(k - key) <= 1) >= MIN_STARTS for key in starts)


def _sentence(label: str) -> bool:
    """A label cell that is running text (two panels of prose side by side, read row by row)."""
    from assure.extract.layout import is_prose

    words = len(label.split())
    return (words > MAX_LABEL_WORDS and is_prose(label)) or words > 2 * MAX_LABEL_WORDS
