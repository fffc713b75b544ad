"""Quote quality: whether the evidence assure quotes reads as whole sentences.

A reviewer trusts a checker by its quotes. Each quoted piece of evidence is judged:

- ``cut``: trimmed ("…" at either end) instead of being the whole sentence;
- ``unended``: a paragraph quote that does not end as a sentence does (. ! ? : ; or such a
  mark followed by a closing quote or bracket). List items and table rows are whole units and
  need no full stop; their quote must simply be the whole item;
- ``figures``: mostly numbers (a chart's axis, a data table's figures read as a line);
- ``labels``: a long run of words with almost no grammar words and no punctuation
  (infographic panels, diagram boxes, a list of policy titles glued together).

A quote with none of these faults is a whole sentence. benchmarks/quotes.py prints the share
per corpus; tests/test_quotes.py keeps a floor under it. Nothing here prints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assure.ruleset import RuleSet

_END = re.compile(r"(?:[.!?:;][\"')\]\u201d\u2019]*|:[-\u2010\u2013])$")  # ":-" ends a lead-in too
_NUMERIC = re.compile(r"^[\d.,%+\-\u2013/£$()]+$")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "for",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "through",
        "about",
        "as",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "this",
        "these",
        "those",
        "it",
        "its",
        "they",
        "their",
        "them",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "not",
        "no",
    ]
)
WHOLE_UNITS = ("list_item", "table_row")  # block kinds whose quote needs no full stop


def quote_fault(quote: str, kind: str) -> str | None:
    """Why ``quote`` (from a block of ``kind``) is not a whole sentence; None when it is."""
    text = quote.strip()
    if text.startswith("\u2026") or text.endswith("\u2026"):
        return "cut"
    tokens = text.replace("|", " ").split()
    if not tokens:
        return "unended"
    numeric = sum(1 for t in tokens if _NUMERIC.match(t) and any(c.isdigit() for c in t))
    words = [t.strip(",;:.()\"'").lower() for t in tokens]
    alpha = [w for w in words if w.isalpha()]
    if numeric >= 5 and numeric >= 0.4 * len(tokens):
        return "figures"
    separators = sum(text.count(c) for c in ",;.|:()\u2022")
    if len(alpha) >= 15 and separators <= 1 and sum(w in _FUNCTION_WORDS for w in alpha) < 0.15 * len(alpha):
        return "labels"
    if kind in WHOLE_UNITS:
        return None
    if not _END.search(text):
        return "unended"
    return None


@dataclass
class QuoteJudgement:
    files: int = 0
    quotes: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    failing: list[dict[str, object]] = field(default_factory=list)

    @property
    def whole(self) -> int:
        return self.quotes - sum(self.faults.values())

    @property
    def share(self) -> float:
        """Whole sentences over quotes (1.0 when nothing was quoted)."""
        return self.whole / self.quotes if self.quotes else 1.0


def judge_quotes(files: Iterable[Path], ruleset: RuleSet | None = None) -> QuoteJudgement:
    """Check every file and judge every quoted piece of evidence, as ``assure check`` quotes it."""
    from assure.models import DocStatus
    from assure.ruleset import load_ruleset
    from assure.runner import check_file

    ruleset = ruleset or load_ruleset()
    out = QuoteJudgement()
    for path in files:
        out.files += 1
        result = check_file(str(path), ruleset)
        if result.status is not DocStatus.OK:
            continue
        for q in result.questions:
            for ev in q.evidence:
                out.quotes += 1
                why = quote_fault(ev.quote, ev.kind)
                if why:
                    out.faults[why] += 1
                    out.failing.append(
                        {
                            "file": Path(path).name,
                            "question": q.id,
                            "page": ev.page,
                            "kind": ev.kind,
                            "fault": why,
                            "quote": ev.quote,
                        }
                    )
    return out
