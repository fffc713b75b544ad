"""Find a report's quote in a document's own characters, exactly.

A quote went through extraction (NFKC, folded quotes, hyphens joined across lines, runs of
spaces squashed, table cells joined with " | ") and the engine (a long sentence cut to the
stretch around the hit, marked with "…"). Comparing only letters and digits, case-folded,
undoes all of that without guessing: the quote's letters must appear, in order and
contiguous, in the document's letters. Each letter keeps the index of the source character
it came from, so a match maps back to exact character positions (PDF) or run offsets (DOCX).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_KEY = 8  # letters; a shorter quote ("Q4", "Housing") could sit almost anywhere
MIN_PIECE = 12  # letters in each piece of a quote placed in pieces
MAX_PIECES = 6


def fold(text: str) -> str:
    """The letters and digits of ``text``, NFKC-normalised and case-folded."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


@dataclass
class KeyedText:
    """The folded letters of a character sequence, each with the index of its source character."""

    key: str = ""
    origin: list[int] = field(default_factory=list)
    source: str = ""

    @classmethod
    def of(cls, chars: Iterable[str]) -> KeyedText:
        parts: list[str] = []
        origin: list[int] = []
        for index, ch in enumerate(chars):
            folded = fold(ch) if not ch.isascii() else (ch.lower() if ch.isalnum() else "")
            parts.append(folded)
            origin.extend([index] * len(folded))
        return cls("".join(parts), origin, "".join(chars))

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every place the quote occurs, as (first, last + 1) source character indices."""
        needle = fold(quote)
        if not needle:
            return []
        spans: list[tuple[int, int]] = []
        start = self.key.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append(self._with_punctuation(quote, self.origin[start], self.origin[end] + 1))
            start = self.key.find(needle, start + 1)
        return spans

    def _with_punctuation(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """Widen a span over the quote's closing (and opening) punctuation where the source has
        the same marks right there, so a highlight takes in the sentence's full stop."""
        body = quote.strip().strip("\u2026").strip()
        lead = body[: len(body) - len(body.lstrip(_PUNCTUATION))]
        trail = body[len(body.rstrip(_PUNCTUATION)) :]
        for mark in trail:
            if end < len(self.source) and _same_mark(self.source[end], mark):
                end += 1
            else:
                break
        for mark in reversed(lead):
            if start > 0 and _same_mark(self.source[start - 1], mark):
                start -= 1
            else:
                break
        return start, end

    def find_pieces(self, quote: str, min_piece: int = MIN_PIECE, max_pieces: int = MAX_PIECES) -> list[tuple[int, int]]:
        """The quote as a few long pieces found separately, for text whose reading order differs
        from the extractor's (a cell or a caption read elsewhere on the page): every letter of
        the quote, and nothing else, is covered. Empty when that cannot be done."""
        needle = fold(quote)
        pieces: list[tuple[int, int]] = []  # key ranges
        q = 0
        while q < len(needle):
            if len(pieces) == max_pieces:
                return []
            after = pieces[-1][1] if pieces else 0
            lo, hi = 0, len(needle) - q  # the longest prefix of needle[q:] found anywhere
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self.key.find(needle[q : q + mid]) != -1:
                    lo = mid
                else:
                    hi = mid - 1
            if lo < min(min_piece, len(needle) - q) or lo == 0:
                return []
            piece = needle[q : q + lo]
            at = self.key.find(piece, after)  # prefer the next occurrence after the previous piece
            if at == -1:
                at = self.key.find(piece)
            if any(at < end and start < at + lo for start, end in pieces):
                return []
            pieces.append((at, at + lo))
            q += lo
        return [(self.origin[a], self.origin[b - 1] + 1) for a, b in pieces]


_PUNCTUATION = ".,;:!?%)]('\"\u2018\u2019\u201c\u201d["
_QUOTE_MARKS = {"'": "'", "\u2018": "'", "\u2019": "'", '"': '"', "\u201c": '"', "\u201d": '"'}


def _same_mark(a: str, b: str) -> bool:
    return _QUOTE_MARKS.get(a, a) == _QUOTE_MARKS.get(b, b)


def too_short(quote: str) -> bool:
    """Whether a quote has too few letters to be placed without risk of marking other words."""
    return len(fold(quote)) < MIN_KEY
