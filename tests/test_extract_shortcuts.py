"""The reader's speed shortcuts give exactly what the plain code gave.

Each shortcut (a quick test before a regular expression, a split cut short, a fold of only the
space runs that change) was introduced for speed alone (benchmarks/README.md, speed.py); these
properties hold it to the original formula on random text built from the characters that matter.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assure.extract.clean import (
    _CONTENTS_LINE,
    _DEF_SPLIT,
    _HYPHEN_BREAK,
    _OTHER_SPACES,
    TableRows,
    is_acronym_definition,
    join_hyphenated,
    squash,
)
from assure.extract.layout import _ANY_SUPERSCRIPT, _UNICODE_SUPERSCRIPT

SETTINGS = settings(max_examples=400, deadline=None)
# spaces of every kind squash folds, line breaks, dot leaders, digits (ASCII and not), roman numerals, letters
PIECES = st.text(
    alphabet=" \t\n\r\u00a0\u2000\u200a\u200b\u202f\u3000\u2026._-|:=\u2013\u20140123456789\u0663ivxlcIVXLaAbBcCdD\u00b9\u00b2\u2075",
    max_size=40,
)


_SPACES = re.compile(rf"[ {_OTHER_SPACES}]+")  # every run of spaces, folded one by one: what squash's shortcut must equal


def _squash_plain(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _acronym_plain(text: str) -> bool:
    tokens = [t for t in _DEF_SPLIT.split(text.strip()) if t]
    if len(tokens) < 2 or len(tokens) > 16:
        return False
    letters = [c for c in tokens[0] if c.isupper()]
    if not 2 <= len(letters) <= 8 or not tokens[0][0].isupper():
        return False
    words = [w for w in tokens[1:] if w.lower() not in {"and", "of", "the", "for", "in", "on", "to", "&", "a", "an", "with"}]
    if len(words) < len(letters):
        return False
    return all(w[0].upper() == c for w, c in zip(words, letters, strict=False))


@SETTINGS
@given(PIECES)
def test_squash_folds_as_the_plain_pattern(text: str) -> None:
    assert squash(text) == _squash_plain(text)


@SETTINGS
@given(PIECES)
def test_contents_line_matches_as_the_plain_pattern(text: str) -> None:
    fast, plain = _CONTENTS_LINE.match(text), _CONTENTS_LINE.pattern.match(text)
    assert (fast and fast.groupdict()) == (plain and plain.groupdict())


@SETTINGS
@given(st.lists(st.sampled_from(["DFG", "Disabled", "Facilities", "Grant", "of", "-", " ", "|", "NHS", "x", "Y"]), max_size=40))
def test_acronym_test_is_unchanged_by_the_cut_split(parts: list[str]) -> None:
    text = " ".join(parts)
    assert is_acronym_definition(text) == _acronym_plain(text)


@SETTINGS
@given(PIECES)
def test_hyphen_join_and_superscript_shortcuts(text: str) -> None:
    assert join_hyphenated(text) == _HYPHEN_BREAK.sub(r"\1\2", text)
    if not _ANY_SUPERSCRIPT.search(text):
        assert _UNICODE_SUPERSCRIPT.sub("", text) == text


def test_contents_line_still_reads_entries() -> None:
    m = _CONTENTS_LINE.match("3. Housing and health ........ 12")
    assert m is not None and m.group("page") == "12"
    assert _CONTENTS_LINE.match("Introduction iv") is not None
    assert _CONTENTS_LINE.match("A sentence about housing.") is None
    assert re.fullmatch(r"\d+", "\u0663") and _CONTENTS_LINE.match("Summary \u0663") is not None  # \d is any decimal digit


def _substituted_plain(text: str) -> bool:
    from assure.extract.readability import MIN_SHARE, MIN_WORDS, dictionary_share

    share, n = dictionary_share(text)
    return n >= MIN_WORDS and share < MIN_SHARE


@SETTINGS
@given(st.lists(st.sampled_from(["housing", "health", "the", "strategy", "Elrpfkdfp", "tfabo", "qzx", "kvw", "ab", "12"]),
                max_size=120))
def test_substituted_test_decided_early_as_on_every_word(words: list[str]) -> None:
    from assure.extract.readability import looks_substituted

    text = " ".join(words)
    assert looks_substituted(text) == _substituted_plain(text)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["housing", "health", "the", "Strategy", "Elrpfkdfp", "tfabo", "qzx", "ab", "12"]),
            st.sampled_from([" ", "  ", ",", "-", "", ". "]),
        ),
        max_size=160,
    )
)
def test_substituted_test_decided_on_the_first_half_as_on_every_word(pieces: list[tuple[str, str]]) -> None:
    """The first half's runs decide a page of English alone (looks_substituted's cut at a space):
    the answer is the one every run gives, with runs joined by spaces, punctuation or nothing."""
    from assure.extract.readability import looks_substituted

    text = "".join(word + sep for word, sep in pieces)
    assert looks_substituted(text) == _substituted_plain(text)


def test_address_bound_text_calls_read_as_the_typed_ones() -> None:
    """read_lines and its helpers call PDFium with the text page's address: the same answers."""
    import ctypes
    from pathlib import Path

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from assure.extract.layout import _address, _text_calls

    calls = _text_calls()
    doc = pdfium.PdfDocument(str(Path(__file__).parent.parent / "samples" / "mixed.pdf"))
    try:
        textpage = doc[0].get_textpage()
        raw, address = textpage.raw, _address(textpage)
        doubles = [ctypes.c_double() for _ in range(8)]
        colours = [ctypes.c_uint() for _ in range(8)]
        matrices = pdfium_c.FS_MATRIX(), pdfium_c.FS_MATRIX()
        buffers, flags = ((ctypes.c_ubyte * 128)(), (ctypes.c_ubyte * 128)()), (ctypes.c_int(), ctypes.c_int())
        for i in range(min(textpage.count_chars(), 300)):
            assert calls.char_box(address, i, *doubles[:4]) == pdfium_c.FPDFText_GetCharBox(raw, i, *doubles[4:])
            assert [d.value for d in doubles[:4]] == [d.value for d in doubles[4:]]
            assert calls.char_origin(address, i, *doubles[:2]) == pdfium_c.FPDFText_GetCharOrigin(raw, i, *doubles[4:6])
            assert [d.value for d in doubles[:2]] == [d.value for d in doubles[4:6]]
            assert calls.font_size(address, i) == pdfium_c.FPDFText_GetFontSize(raw, i)
            assert calls.weight(address, i) == pdfium_c.FPDFText_GetFontWeight(raw, i)
            assert calls.fill(address, i, *colours[:4]) == pdfium_c.FPDFText_GetFillColor(raw, i, *colours[4:])
            assert [c.value for c in colours[:4]] == [c.value for c in colours[4:]]
            assert calls.matrix(address, i, ctypes.byref(matrices[0])) == pdfium_c.FPDFText_GetMatrix(raw, i, ctypes.byref(matrices[1]))
            assert bytes(matrices[0]) == bytes(matrices[1])
            sizes = [calls.font_info(address, i, buffers[0], 128, ctypes.byref(flags[0])),
                     pdfium_c.FPDFText_GetFontInfo(raw, i, buffers[1], 128, ctypes.byref(flags[1]))]
            assert sizes[0] == sizes[1] and bytes(buffers[0]) == bytes(buffers[1]) and flags[0].value == flags[1].value
        textpage.close()
    finally:
        doc.close()


def test_item_one_line_text_follows_its_lines() -> None:
    """Item.flat is the item's text on one line, and is read again when a line joins the item."""
    from assure.extract.layout import Item, Line
    from assure.models import BlockKind

    item = Item(BlockKind.PARAGRAPH, [Line("Housing  and"), Line(" health")], 1)
    assert item.flat == " ".join(item.text.split()) == "Housing and health"
    item.lines.append(Line("strategy.\u00a0 "))
    assert item.flat == " ".join(item.text.split()) == "Housing and health strategy."


# -- the block builder's shortcuts (2026-12-07): each against the formula it stands in for --------

# caption words, their first letters in every case (and the long s, dotless i and dotted I that match
# s and i when the case is ignored), figures, sentence ends, bullets and marks, spaces
_WORD_PIECES = (
    "Figure figure Fig. TABLE Source: sources (source: Note notes \u017fource: \u0131mage \u0130MAGE Chart map 3 3: 1.2 12,345 45% "
    "(3.4%) -2 \u00a3400 2021 \u0663 Adur the of and we will Housing health. \u2022 \u25aa - 1. (a) SA4) o | : \u2013 DFG NHS "
    "Disabled Facilities Grant Page www.x.org SA4) A1. AB12) ABC3. A b) The In Data (data (Source: (\u017fource: Ma F ( Infographic Image: Notes: DIAGRAM"
    # lower-case and three-letter openings the item-mark and caption tests decide before their patterns
    " a. b) o ok out increase information change not data map: MAP fig tab Tab (so (da inf sou"
).split(" ") + ["Data source", "\t", "  ", "\u00a0", ""]
WORDS = st.lists(
    st.sampled_from(_WORD_PIECES),
    max_size=30,
)


def _caption_plain(text: str) -> bool:
    from assure.extract.layout import _CAPTION, _FULL_STOP, _NUMBERED_CAPTION, _SOURCE

    if len(text.split()) > 40:
        return False
    if _SOURCE.match(text) or _CAPTION.match(text):
        return True
    if not _NUMBERED_CAPTION.match(text):
        return False
    title_word = text.split()[2] if len(text.split()) > 2 else ""
    return not _FULL_STOP.search(text) or (title_word[:1].isupper() and len(text.split()) <= 30)


def _prose_plain(text: str) -> bool:
    from assure.extract.layout import _FUNCTION_WORDS, _NUMBER_TOKEN, _SENTENCE_END

    words = text.split()
    if not words:
        return False
    numbers = len(_NUMBER_TOKEN.findall(text))
    if numbers >= 3 and numbers >= 0.4 * len(words):
        return False
    if _SENTENCE_END.search(text) and len(words) >= 4:
        return True
    glue = sum(w.lower().strip(",.;:()") in _FUNCTION_WORDS for w in words)
    return len(words) >= 10 and glue >= 0.15 * len(words)


def _data_row_plain(text: str) -> bool:
    from assure.extract.layout import _FIGURE_TOKEN

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


@SETTINGS
@given(WORDS, st.sampled_from([" ", "\n", "  "]))
def test_block_builder_text_tests_are_unchanged_by_their_shortcuts(words: list[str], space: str) -> None:
    from assure.extract.layout import (
        _BULLET,
        _CODE_MARK,
        _DATA_ROW,
        _FIGURE_CELL,
        _LIST_MARK,
        _figure_cell,
        _is_bullet,
        _stripped_item_mark,
        is_caption,
        is_prose,
    )

    text = space.join(words)
    for variant in (text, text.strip()):
        assert is_caption(variant) == _caption_plain(variant)
        assert is_prose.__wrapped__(variant) == _prose_plain(variant)
        assert _DATA_ROW.match(variant) == _data_row_plain(variant)
        assert _is_bullet(variant) == bool(_BULLET.match(variant) or _LIST_MARK.match(variant) or _CODE_MARK.match(variant))
        assert is_acronym_definition(variant) == _acronym_plain(variant)
        assert _figure_cell(variant) == bool(_FIGURE_CELL.match(variant))
    stripped = text.strip()
    assert _stripped_item_mark(stripped) == _is_bullet(stripped)


@SETTINGS
@given(PIECES, st.sets(st.sampled_from(["", "report", "# report", "strategy 2030", "page", "\u0663 x", "x"]), max_size=4))
def test_running_initial_is_the_running_key_s_first_character(text: str, running: set[str]) -> None:
    from assure.extract.clean import _running_key, running_initial

    text = text.strip()
    initial = running_initial(text)
    if initial is not None:
        assert initial == _running_key.__wrapped__(text)[:1]
    for line in (text, "Report " + text, text + " Strategy 2030"):
        line = line.strip()
        quick = running_initial(line)
        if quick is not None and quick not in {key[:1] for key in running}:
            assert _running_key.__wrapped__(line) not in running


@SETTINGS
@given(st.text(alphabet="ab .!?:;\"')]\u201d\u2019\n\r(", max_size=12))
def test_sentence_end_read_from_the_end_as_the_patterns_find_it(text: str) -> None:
    from assure.extract.layout import (
        _FULL_STOP,
        _PLAIN_CLOSERS,
        _SENTENCE_END,
        _STATEMENT_END,
        _STATEMENT_MARKS,
        _ends_full_stop,
        _ends_sentence,
        _ends_statement,
        _ends_with_mark,
    )

    assert _ends_sentence(text) == bool(_SENTENCE_END.search(text))
    assert _ends_full_stop(text) == bool(_FULL_STOP.search(text))
    assert _ends_statement(text) == bool(_STATEMENT_END.search(text))
    assert _ends_with_mark(text, _STATEMENT_MARKS, _PLAIN_CLOSERS) == bool(re.search(r"[.!][\"')\]]*$", text))


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            "Contents contents Table of Glossary glossary Acronyms List abbreviations terms Key Definitions References "
            "Bibliography Sources of information data evidence Further reading Notes and references Appendix A: B 4. 10 "
            "1.2 Useful links Jargon buster Housing the".split(" ")
            + [" ", "  ", "\u2013", ":", ""]
        ),
        max_size=8,
    )
)
def test_place_for_heading_tries_its_three_titles_in_order(words: list[str]) -> None:
    from assure.extract.clean import _CONTENTS_TITLE, _GLOSSARY_TITLE, _REFERENCES_TITLE, place_for_heading
    from assure.models import Place

    text = " ".join(words)
    plain = (
        Place.CONTENTS
        if _CONTENTS_TITLE.match(text)
        else Place.GLOSSARY
        if _GLOSSARY_TITLE.match(text)
        else Place.REFERENCES
        if _REFERENCES_TITLE.match(text)
        else None
    )
    assert place_for_heading(text) == plain


@SETTINGS
@given(st.lists(st.sampled_from(["Housing", "", " ", "TABLE"]), max_size=12))
def test_neighbour_lines_are_the_scans_from_each_line(kinds: list[str]) -> None:
    from itertools import islice

    from assure.extract.layout import Line, _neighbour_lines

    lines: list[Line | TableRows] = [TableRows((("a", "b"),)) if k == "TABLE" else Line(k) for k in kinds]
    following, before = _neighbour_lines(lines)
    for i in range(len(lines)):
        assert following[i] is next((x for x in islice(lines, i + 1, None) if isinstance(x, Line)), None)
        scanned = None
        for x in reversed(lines[:i]):
            if not isinstance(x, Line):
                break
            if x.text.strip():
                scanned = x
                break
        assert before[i] is scanned


@SETTINGS
@given(st.lists(st.sampled_from(["Introduction .... 3", "Housing 12", "Housing", "The plan sets out", "Annex iv"]), max_size=14))
def test_half_contents_like_stops_early_as_the_full_count_decides(texts: list[str]) -> None:
    from assure.extract.layout import _half_contents_like

    assert _half_contents_like(texts) == (sum(1 for t in texts if _CONTENTS_LINE.match(t)) >= 0.5 * len(texts))


_FIGURE_PIECES = ["19", "20", "2023", "0", "9", " ", "a", "Z", "_", ".", ",", "%", "-", "\u2013", "/", "\n"]
_FIGURE_PIECES += ["\u0663", "\u00e9", "\ue000", "\uf0b7", "\t"]  # an Arabic-Indic digit, a letter, private-use bullets
_FIGURE_TEXT = st.lists(st.sampled_from(_FIGURE_PIECES), max_size=24).map("".join)


@SETTINGS
@given(_FIGURE_TEXT)
def test_patterns_opening_on_a_digit_match_as_the_look_behind_forms(text: str) -> None:
    """_NUMBER_TOKEN and _YEARS open on a digit (their look-behind asked after it) so the engine skips to
    digits: the same matches as the forms with the look-behind or word boundary in front."""
    from assure.extract.clean import _NUMBER_TOKEN
    from assure.extract.layout import _YEARS

    number = re.compile(r"(?<![\w.])\d[\d,.]*%?(?![\w])")
    years = re.compile(r"\b(?:19|20)\d\d\s*[-\u2013/]\s*\d{2,4}\b|\b(?:19|20)\d\d\b")
    for plain, quick in ((number, _NUMBER_TOKEN), (years, _YEARS)):
        assert [m.span() for m in quick.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert bool(quick.fullmatch(text)) == bool(plain.fullmatch(text))
    assert _YEARS.sub("Y", text) == years.sub("Y", text)


@SETTINGS
@given(_FIGURE_TEXT)
def test_private_use_bullet_pattern_only_asked_where_a_private_use_character_is(text: str) -> None:
    from assure.extract.clean import _PRIVATE_USE, _PRIVATE_USE_BULLET

    if _PRIVATE_USE.search(text) is None:
        assert _PRIVATE_USE_BULLET.sub("\\1\u2022 ", text) == text


def _size_from_height_plain(lines: list) -> None:  # the formula before its early return
    ratios = sorted((ln.bottom - ln.top) / ln.size for ln in lines if ln.size > 1.5 and ln.bottom > ln.top)
    if not ratios:
        return
    ratio = ratios[len(ratios) // 2]
    for ln in lines:
        if 0 < ln.size <= 1.5 and ln.bottom - ln.top > 3 and ratio > 0:
            ln.size = (ln.bottom - ln.top) / ratio


_SIZED_ROWS = st.tuples(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 9.5, 12.0]), st.floats(0, 20), st.floats(0, 20))


@SETTINGS
@given(st.lists(_SIZED_ROWS, max_size=12))
def test_size_from_height_returns_early_only_where_no_line_needs_sizing(rows: list[tuple[float, float, float]]) -> None:
    from dataclasses import replace

    from assure.extract.layout import Line, _size_from_height

    lines = [Line("x", top=top, bottom=top + tall, size=size) for size, top, tall in rows]
    plain = [replace(ln) for ln in lines]
    _size_from_height(lines)
    _size_from_height_plain(plain)
    assert [ln.size for ln in lines] == [ln.size for ln in plain]


def test_reading_a_pdf_pauses_the_collector_and_restores_it(monkeypatch) -> None:  # noqa: ANN001
    """The collector is off while a PDF is read (assure.extract._collector_paused), on again after it,
    also when reading fails; a collector the caller turned off stays off."""
    import gc
    from pathlib import Path

    import assure.extract.pdf as pdf
    from assure.errors import ExtractionError
    from assure.extract import ExtractOptions, extract

    sample = Path(__file__).resolve().parent.parent / "samples" / "weak.pdf"
    seen: list[bool] = []
    real = pdf.extract_pdf

    def watched(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "extract_pdf", watched)
    assert gc.isenabled()
    plain = extract(sample, ExtractOptions(ocr="never"))
    assert seen == [False] and gc.isenabled()

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(gc.isenabled())
        raise ExtractionError("broken", path=str(sample), code="corrupt")

    monkeypatch.setattr(pdf, "extract_pdf", broken)
    try:
        extract(sample, ExtractOptions(ocr="never"))
    except ExtractionError:
        pass
    assert seen == [False, False] and gc.isenabled()

    monkeypatch.setattr(pdf, "extract_pdf", watched)
    gc.disable()
    try:
        assert extract(sample, ExtractOptions(ocr="never")) == plain
        assert seen[-1] is False and not gc.isenabled()
    finally:
        gc.enable()
