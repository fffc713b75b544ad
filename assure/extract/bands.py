"""Tables whose cells wrap: a header row found on its own, the rows under it cut into cells.

A designed plan prints a table with a shaded header row and rows ruled only below (or not at
all), its cells wrapping onto two or three lines. The table readers find the header row alone
(its shading boxes it) and PDFium gives the rows as fragments: a cell's lines one by one, or two
cells joined across their gap. Read as paragraphs, a row falls apart ("Households in fuel
poverty (LILEE)", "14.2% (2022)", "Below 12% DESNZ ..." each a figure label).

The rows are read from geometry: the lines under the header in the header's type size, while
baselines stay within RUN_GAP font sizes of one another; column starts are the x positions where
two or more of the header's and rows' lines begin, and there must be exactly one per header cell;
a line crossing a column start after a gap is cut there (PDFium's character boxes); a new row
starts where the gap between baselines is wider than a cell's own line pitch (rows are padded).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assure.extract.clean import TableRows, normalise

if TYPE_CHECKING:
    from assure.extract.layout import Line

Box = tuple[float, float, float, float]
MIN_COLUMNS = 3
ALIGN = 4.0  # points: lines starting this close begin one column
RUN_GAP = 3.2  # font sizes between baselines: a wider gap ends the table
ROW_GAP = 1.35  # times a cell's own line pitch: a wider gap between baselines starts a row
CELL_PITCH = 1.7  # font sizes: the widest line pitch inside a cell
MAX_CELL_LINES = 6  # more lines in one cell: rows not padded apart, read as one
CUT_GAP = 0.6  # font sizes of blank before a column start for a joined line to be cut there


def header_tables(textpage: Any, text: str, lines: Sequence[Line], height: float,
                  found: list[tuple[Box, TableRows]]) -> list[tuple[Box, TableRows]]:
    """``found`` with each table that is only a header row extended by the wrapped rows under it."""
    raws: dict[int, tuple[str, int]] = {}
    offset = 0
    for raw, line in zip(text.split("\r\n"), lines, strict=False):
        raws[id(line)] = (raw, offset)
        offset += len(raw) + 2
    out = list(found)
    for k, (box, rows) in enumerate(found):
        if len(rows.rows) != 1 or len([c for c in rows.rows[0] if c]) < MIN_COLUMNS:
            continue
        below = found[k + 1][0][1] if k + 1 < len(found) else float("inf")
        grown = _rows_under(textpage, raws, lines, height, box, rows, below)
        if grown is not None:
            out[k] = grown
    return out


def _body(lines: Sequence[Line], box: Box, below: float) -> list[Line]:
    """The lines under the header, in its width, while they keep one size and close baselines."""
    x0, _, x1, bottom = box
    under = sorted((ln for ln in lines if ln.size > 0 and ln.text.strip() and ln.top >= bottom - 1 and ln.bottom <= below
                    and ln.x0 >= x0 - ALIGN and ln.x1 <= x1 + ALIGN), key=lambda ln: (ln.baseline, ln.x0))
    body: list[Line] = []
    for ln in under:
        if body and (abs(ln.size - body[0].size) > 0.3 or ln.baseline - body[-1].baseline > RUN_GAP * ln.size):
            break
        if not body and ln.top - bottom > RUN_GAP * ln.size:
            break
        body.append(ln)
    return body


def _starts(lines: Sequence[Line]) -> list[float]:
    """x positions where two or more lines begin, left to right."""
    xs = sorted(ln.x0 for ln in lines)
    groups: list[list[float]] = []
    for x in xs:
        if groups and x - groups[-1][-1] <= ALIGN:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [min(g) for g in groups if len(g) >= 2]


def _rows_under(textpage: Any, raws: dict[int, tuple[str, int]], lines: Sequence[Line], height: float, box: Box, header: TableRows,
                below: float) -> tuple[Box, TableRows] | None:
    """The header's table grown by the rows under it, or None when they do not line up with it."""
    body = _body(lines, box, below)
    if len(body) < 2:
        return None
    heads = [ln for ln in lines if ln.size > 0 and ln.text.strip() and box[1] - 1 <= ln.top and ln.bottom <= box[3] + 1
             and box[0] - 1 <= ln.x0 <= box[2]]
    columns = len([c for c in header.rows[0] if c])
    starts = _starts(heads + body)
    if len(starts) != columns or abs(starts[0] - min(ln.x0 for ln in body)) > ALIGN:
        return None
    cut = [part for ln in body for part in _split(textpage, raws.get(id(ln)), ln, starts[1:], height)]
    cut.sort(key=lambda ln: (ln.baseline, ln.x0))
    baselines = sorted({round(ln.baseline, 1) for ln in cut})
    steps = [b - a for a, b in zip(baselines, baselines[1:], strict=False) if b - a > 0.5 * cut[0].size]
    if not steps:
        return None
    pitch = min(steps)
    if pitch > CELL_PITCH * cut[0].size:
        pitch = 0.0  # no cell wraps: each baseline is a row
    cells: list[list[list[str]]] = []
    previous = None
    for ln in cut:
        if previous is None or ln.baseline - previous > max(ROW_GAP * pitch, 0.3 * ln.size):
            cells.append([[] for _ in starts])
        previous = ln.baseline
        column = max((i for i, x in enumerate(starts) if x <= ln.x0 + ALIGN), default=0)
        cells[-1][column].append(ln.text.strip())
    if len(cells) < 2 or any(len(parts) > MAX_CELL_LINES for row in cells for parts in row):
        return None
    rows = [tuple(" ".join(parts) for parts in row) for row in cells]
    grown = TableRows((header.rows[0], *rows))
    return (box[0], box[1], box[2], max(ln.bottom for ln in body)), grown


def _split(textpage: Any, raw_at: tuple[str, int] | None, line: Line, starts: list[float], height: float) -> list[Line]:
    """``line`` cut at each column start it crosses after a gap (two cells PDFium joined)."""
    import pypdfium2.raw as pdfium_c

    if raw_at is None:
        return [line]
    raw, offset = raw_at
    first = offset + len(raw) - len(raw.lstrip())
    end = offset + len(raw.rstrip())
    page_y = height - (line.baseline - 0.3 * line.size)
    cuts: list[tuple[int, float, float]] = []  # (character index, where it starts, where the text before ends)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for x in starts:
        if not line.x0 + line.size < x < line.x1 - line.size:
            continue
        k = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, x + 0.4 * line.size, page_y, 0.5 * line.size, 0.5 * line.size)
        if not first < k < end or raw[k - offset].isspace():
            continue
        while k > first and not raw[k - 1 - offset].isspace():
            k -= 1  # the hit may fall inside the cell's first word
        if k <= first or (cuts and k <= cuts[-1][0]):
            continue
        before = k - 1
        while before > first and raw[before - offset].isspace():
            before -= 1
        pdfium_c.FPDFText_GetCharBox(textpage.raw, k, left, right, bottom, top)
        starts_at = left.value
        pdfium_c.FPDFText_GetCharBox(textpage.raw, before, left, right, bottom, top)
        if abs(starts_at - x) <= ALIGN and starts_at - right.value >= CUT_GAP * line.size:
            cuts.append((k, starts_at, right.value))
    if not cuts:
        return [line]
    parts: list[Line] = []
    begin, x0 = first, line.x0
    for k, starts_at, ends in cuts:
        parts.append(replace(line, text=" ".join(normalise(raw[begin - offset : k - offset]).split()), x0=x0, x1=ends,
                             cells=(), parts=()))
        begin, x0 = k, starts_at
    parts.append(replace(line, text=" ".join(normalise(raw[begin - offset : end - offset]).split()), x0=x0, cells=(), parts=()))
    return [p for p in parts if p.text]
