"""The drawn-shape and note-marker shortcuts give exactly what the plain code gave.

Each was introduced for speed alone (benchmarks/README.md, speed.py, the eighth session's
second round): a loop over a key's neighbouring rules instead of any() over a generator, a
path skipped when its size rules out both a bullet's mark and a box, a line with no marker
after its first word returned before any PDFium call. These hold them to the plain formulas.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assure.extract.layout import _drop_markers
from assure.extract.ruled import BOX_MIN, BULLET_MARK, SNAP, UNDERLINE_THICKNESS, _Lines, _Rule

SETTINGS = settings(max_examples=300, deadline=None)
COORD = st.floats(min_value=-20, max_value=60, allow_nan=False)
RULES = st.lists(st.tuples(COORD, COORD, COORD).map(lambda t: _Rule(t[0], min(t[1:]), max(t[1:]))), max_size=12)


def _covers_plain(rules: list[_Rule], at: float, start: float, end: float) -> bool:
    return any(abs(r.at - at) <= SNAP and r.start - SNAP <= start and end <= r.end + SNAP for r in rules)


@SETTINGS
@given(RULES, st.lists(st.tuples(COORD, COORD, COORD), min_size=1, max_size=8))
def test_covers_answers_as_the_plain_scan_of_every_rule(rules: list[_Rule], asks: list[tuple[float, float, float]]) -> None:
    lines = _Lines(rules)
    for at, start, end in asks * 2:  # asked twice: the second answer comes from the built neighbourhood
        assert lines.covers(at, start, end) == _covers_plain(rules, at, start, end)


@SETTINGS
@given(st.floats(min_value=0, max_value=400, allow_nan=False), st.floats(min_value=0, max_value=400, allow_nan=False))
def test_shape_size_skip_keeps_every_mark_and_box(width: float, tall: float) -> None:
    smallest, largest = BULLET_MARK
    skipped = width < smallest or tall < smallest or largest < width < BOX_MIN[0]
    small = smallest <= width <= largest and smallest <= tall <= largest and abs(width - tall) < 1.0
    box = width >= BOX_MIN[0] and tall >= BOX_MIN[1]
    assert not (skipped and (small or box))
    assert UNDERLINE_THICKNESS < smallest  # every underline is among the skipped paths, where page_shapes reads them


def test_a_line_whose_only_number_opens_it_asks_pdfium_nothing() -> None:
    # no text page at all: any PDFium call would fail
    assert _drop_markers(None, "12 Housing and health", 0, 10.0, 700.0) == "12 Housing and health"
    assert _drop_markers(None, "Housing and health", 0, 10.0, 700.0) == "Housing and health"
