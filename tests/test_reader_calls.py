"""The PDF reader's quicker ways to ask PDFium, and its quicker tests, give exactly what the plain ones gave.

Each was introduced for speed alone (benchmarks/README.md, speed.py, 2026-12-07): a ruled table's
cell read in one PDFium call instead of pypdfium2's two, a table header word found in a line put
in lower case instead of by a case-blind pattern.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assure.extract.clean import _TABLE_HEADER_WORD, is_table_header
from assure.extract.ruled import _CellReader

SAMPLE = Path(__file__).parent.parent / "samples" / "mixed.pdf"


def _rectangles(width: float, height: float) -> list[tuple[float, float, float, float]]:
    """A grid of rectangles over the page, small and large, some holding nothing."""
    out = []
    for x in range(0, int(width), 90):
        for y in range(0, int(height), 70):
            out += [(x, y, x + 90, y + 70), (x, y, x + 300, y + 25), (x + 3, y + 3, x + 4, y + 4)]
    return out + [(0, 0, width, height)]


def test_cell_reader_reads_as_get_text_bounded() -> None:
    """One call into a page's buffer gives pypdfium2's text, also where the buffer is too small for it."""
    import pypdfium2 as pdfium

    class Tiny(_CellReader):
        CAPACITY = 8  # most texts do not fit: read through pypdfium2

    doc = pdfium.PdfDocument(str(SAMPLE))
    try:
        page = doc[0]
        textpage = page.get_textpage()
        readers = _CellReader(textpage), Tiny(textpage)
        found = 0
        for left, bottom, right, top in _rectangles(page.get_width(), page.get_height()):
            expected = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
            found += bool(expected)
            for reader in readers:
                assert reader.text(left, bottom, right, top) == expected
        assert found > 10
        textpage.close()
    finally:
        doc.close()


def test_cell_reader_leaves_surrogate_pairs_to_pypdfium2() -> None:
    """A character beyond UTF-16's basic plane takes two units, and PDFium counts it once: such a text,
    and a text that may not have fitted, is read through pypdfium2 (whose answer stands)."""

    class FakeTextPage:
        raw = None

        def get_text_bounded(self, **_: float) -> str:
            return "through pypdfium2"

    def pair(_address: int, *args: Any) -> int:  # noqa: ANN401 - ctypes arguments
        buffer = args[4]
        units = "A\U0001f3e0".encode("utf-16-le") + b"\x00\x00"
        ctypes.memmove(buffer, units, len(units))
        return len(units) // 2

    reader = _CellReader(FakeTextPage())
    reader.call = pair
    assert reader.text(0, 0, 1, 1) == "through pypdfium2"
    reader.call = lambda *args: _CellReader.CAPACITY
    assert reader.text(0, 0, 1, 1) == "through pypdfium2"
    reader.call = lambda *args: 0
    assert reader.text(0, 0, 1, 1) == ""


def _table_header_plain(line: str) -> bool:
    """is_table_header as it was: the case-blind pattern on every line."""
    if len(line) > 120:
        return False
    words = line.split()
    if not 2 <= len(words) <= 12 or line.rstrip().endswith((".", ",", ";")):
        return False
    found = _TABLE_HEADER_WORD.findall(line)
    return len({m.lower() for m in found}) >= 3 and len(found) >= 0.4 * len(words)


_HEADER_PIECES = st.lists(
    st.sampled_from(["Action", "OWNER", "lead", "Milestones", "By When", "by  when", "RAG", "Status", "who", "Ref", "KPI",
                     "the", "Plan", "1", "x", " ", "/", "-", "|", ".", ",", "\u017ftatus", "\u212aPI", "Ti\u0307meline",
                     "Leads\u00e9", "\u00e9Owner"]),
    max_size=14,
)


@settings(max_examples=600, deadline=None)
@given(_HEADER_PIECES, st.booleans())
def test_table_header_shortcut_as_the_case_blind_pattern(pieces: list[str], spaced: bool) -> None:
    line = (" " if spaced else "").join(pieces)
    assert is_table_header(line) == _table_header_plain(line)


def test_table_header_shortcut_reads_headers() -> None:
    assert is_table_header("Action Lead Milestone RAG status")
    assert not is_table_header("We will take action with our lead partners on the status of housing.")
    assert re.fullmatch(r"[ -~]*", "Action Lead Milestone RAG status")  # the ASCII path


def test_bare_page_handles_read_as_pypdfium2_pages() -> None:
    """The reader's pages and text pages held as PDFium's bare handles (pdf._load_page) give the size,
    text, character count and bounded text that pypdfium2's PdfPage and PdfTextPage give, and a page
    that cannot be loaded fails as ``doc[i]`` does."""
    import pypdfium2 as pdfium
    import pytest

    from assure.extract.pdf import _load_page, _Page

    doc = pdfium.PdfDocument(str(SAMPLE))
    try:
        for index in range(len(doc)):
            plain, bare = doc[index], _load_page(doc, index)
            assert isinstance(bare, _Page)
            plain_text, bare_text = plain.get_textpage(), bare.get_textpage()
            assert (bare.get_width(), bare.get_height()) == (plain.get_width(), plain.get_height())
            assert bare_text.get_text_range() == plain_text.get_text_range() != ""
            assert bare_text.count_chars() == plain_text.count_chars()
            for left, bottom, right, top in _rectangles(plain.get_width(), plain.get_height())[:40]:
                box = {"left": left, "bottom": bottom, "right": right, "top": top}
                assert bare_text.get_text_bounded(**box) == plain_text.get_text_bounded(**box)
            bare_text.close()
            bare.close()
            plain_text.close()
            plain.close()
        with pytest.raises(pdfium.PdfiumError):
            _load_page(doc, len(doc) + 5)
    finally:
        doc.close()
