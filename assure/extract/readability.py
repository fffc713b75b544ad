"""Is a page's text language, or letters substituted by a broken font encoding?

Why: some PDFs map their glyphs to the wrong characters, so a page of prose comes out as
"Elrpfkdfp^tfabo ..." - the right number of words, no replacement characters, nothing
the glyph checks see. Scored as prose, such a plan was "not applicable" (exit 0). A page
is judged substituted when, among its letter runs of three or more, too few are English
words (the spaCy lookup table's words, about 180,000 forms, already loaded for the
lemmatiser). Real English prose, tables and reference lists score far above the
threshold; substituted text scores near zero.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assure.models import Document

MIN_WORDS = 25  # fewer letter runs than this: too little to judge (a cover, a chart page)
MIN_SHARE = 0.2  # below this share of dictionary words: substituted letters

_WORD = re.compile(r"[A-Za-z]{3,}")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    from assure.nlp import _lemma_table

    table = _lemma_table()
    return frozenset(table) | frozenset(table.values())


def dictionary_share(text: str) -> tuple[float, int]:
    """(share of letter runs that are English words, number of letter runs)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0, 0
    known = english_words()
    hits = sum(map(known.__contains__, map(str.lower, words)))
    return hits / len(words), len(words)


def _known(words: list[str]) -> int:
    """How many of ``words`` are English words."""
    return sum(map(english_words().__contains__, map(str.lower, words)))


def looks_substituted(text: str) -> bool:
    """Too few of the page's letter runs are English words: MIN_WORDS runs or more, under MIN_SHARE
    of them words. The runs of the text's first half are looked up first: on a page of English they
    hold more words than MIN_SHARE of all the runs the page can hold (a run of three letters and
    the character after it take four characters), and the rest need not even be found."""
    cut = text.find(" ", len(text) // 2)  # at a space: no run crosses it
    if cut <= 0:
        cut = len(text)
    first = _WORD.findall(text, 0, cut)
    hits = 0
    if len(first) >= MIN_WORDS:  # (the runs are that many at least: the look-ups are needed in any case)
        hits = _known(first)
        if 5 * hits > len(first) + (len(text) - cut + 1) // 4:
            return False  # (over a fifth in whole numbers: no float rounding near the threshold)
    rest = _WORD.findall(text, cut)
    n = len(first) + len(rest)
    if n < MIN_WORDS:
        return False
    if len(first) < MIN_WORDS:
        hits = _known(first)
    return (hits + _known(rest)) / n < MIN_SHARE


def mark_substituted_pages(document: Document) -> Document:
    """The document with every readable page whose text looks substituted marked unreadable."""
    from dataclasses import replace

    if not document.quality:
        return document
    by_page: dict[int, list[str]] = {}
    for block in document.blocks:
        if block.page is not None:
            by_page.setdefault(block.page, []).append(block.text)
    quality = tuple(replace(q, substituted=True) if q.readable and looks_substituted(" ".join(by_page.get(q.page, ())))
                    else q for q in document.quality)
    return document if quality == document.quality else replace(document, quality=quality)
