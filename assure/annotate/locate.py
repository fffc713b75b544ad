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


def fold(text: str) -> str:
    """The letters and digits of ``text``, NFKC-normalised and case-folded."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


@dataclass
class KeyedText:
    """The folded letters of a character sequence, each with the index of its source character."""

    key: str = ""
    origin: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, chars: Iterable[str]) -> KeyedText:
        parts: list[str] = []
        origin: list[int] = []
        for index, ch in enumerate(chars):
            folded = fold(ch) if not ch.isascii() else (ch.lower() if ch.isalnum() else "")
            parts.append(folded)
            origin.extend([index] * len(folded))
        return cls("".join(parts), origin)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every place the quote occurs, as (first, last + 1) source character indices."""
        needle = fold(quote)
        if not needle:
            return []
        spans: list[tuple[int, int]] = []
        start = self.key.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append((self.origin[start], self.origin[end] + 1))
            start = self.key.find(needle, start + 1)
        return spans


def too_short(quote: str) -> bool:
    """Whether a quote has too few letters to be placed without risk of marking other words."""
    return len(fold(quote)) < MIN_KEY
