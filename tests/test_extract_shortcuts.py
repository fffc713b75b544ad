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
    _SPACES,
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
