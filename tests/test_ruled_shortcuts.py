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


_MARKER_TEXT = st.text(st.sampled_from(list("0123456789 .,;:)(a\u0663\u00b2x-")), max_size=30)


@SETTINGS
@given(_MARKER_TEXT)
def test_marker_pattern_finds_what_digits_one_to_four_found(line: str) -> None:
    """``_MARKER`` opens on one digit class (\\d\\d{0,3}) so the engine can skip to a digit: the same matches as \\d{1,4}."""
    import re

    from assure.extract.layout import _MARKER

    plain = re.compile(r"\d{1,4}(?=\s|$|[.,;:)])")
    assert [m.span() for m in _MARKER.finditer(line)] == [m.span() for m in plain.finditer(line)]
    assert bool(_MARKER.search(line)) == bool(plain.search(line))


def test_note_markers_read_the_same_with_the_text_page_address_given() -> None:
    """read_lines hands _drop_markers the text page's address it already holds; the answer is the one
    _drop_markers gives when it reads the address itself, on every line of the sample holding a number."""
    from pathlib import Path

    import pypdfium2 as pdfium

    from assure.extract.layout import _MARKER, _address

    doc = pdfium.PdfDocument(str(Path(__file__).parent.parent / "samples" / "strong.pdf"))
    try:
        asked = 0
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            offset = 0
            for line in textpage.get_text_range().split("\r\n"):
                if _MARKER.search(line):
                    asked += 1
                    for size in (4.0, 10.0):
                        assert _drop_markers(textpage, line, offset, size, 500.0, _address(textpage)) == _drop_markers(
                            textpage, line, offset, size, 500.0
                        )
                offset += len(line) + 2
            textpage.close()
            page.close()
        assert asked > 5
    finally:
        doc.close()
