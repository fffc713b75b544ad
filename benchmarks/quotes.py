"""Quote quality: the share of evidence quotes that are whole sentences, per corpus.

    python benchmarks/quotes.py                          # every PDF in ../shared/corpus/real and .../mining
    python benchmarks/quotes.py --corpus real --show 20  # and print 20 quotes that fail, with the reason
    python benchmarks/quotes.py --json quotes.json

A reviewer trusts a checker by its quotes. For every PDF the report's quoted evidence (up to
three per question, as ``assure check`` prints them) is judged:

- ``cut``: the quote was trimmed ("…" at either end) instead of being the whole sentence;
- ``unended``: a paragraph quote that does not end as a sentence does (. ! ? : ; or such a mark
  followed by a closing quote or bracket). List items and table rows are whole units and need
  no full stop; their quote must simply be the whole item (no "…");
- ``figures``: mostly numbers (a chart's axis, a data table's figures read as a line);
- ``labels``: a long run of words with almost no grammar words and no punctuation (infographic
  panels, diagram boxes, a list of policy titles glued together).

A quote with none of these faults is a whole sentence. The figure printed per corpus is
whole / quotes; the goal is at least 0.95 on each corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = ("real", "mining")

_END = re.compile(r"[.!?:;][\"')\]\u201d\u2019]*$")
_NUMERIC = re.compile(r"^[\d.,%+\-\u2013/£$()]+$")
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "to", "in", "for", "on", "at", "by", "with", "from", "into", "through", "about", "as", "and", "or", "but", "nor", "so", "than", "that", "which", "who", "whose", "this", "these", "those", "it", "its", "they", "their", "them", "we", "our", "us", "you", "your", "he", "she", "his", "her", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "not", "no"])


def fault(quote: str, kind: str) -> str | None:
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
    if kind in ("list_item", "table_row"):
        return None
    if not _END.search(text):
        return "unended"
    return None


def judge(files: list[Path]) -> dict:
    """Run the engine over ``files`` and judge every quoted piece of evidence."""
    from assure.engine import Evaluator
    from assure.errors import AssureError
    from assure.extract import extract
    from assure.models import DocStatus
    from assure.ruleset import load_ruleset

    evaluator = Evaluator(load_ruleset(None, None))
    counts: Counter[str] = Counter()
    failing: list[dict] = []
    total = 0
    for path in files:
        try:
            result = evaluator.evaluate(extract(path))
        except AssureError:
            continue
        if result.status is not DocStatus.OK:
            continue
        for q in result.questions:
            for ev in q.evidence:
                total += 1
                why = fault(ev.quote, ev.kind)
                counts[why or "whole"] += 1
                if why:
                    failing.append({"file": path.name, "question": q.id, "page": ev.page, "kind": ev.kind,
                                    "fault": why, "quote": ev.quote})
    whole = counts["whole"]
    return {"files": len(files), "quotes": total, "whole": whole, "share": whole / total if total else 1.0,
            "faults": {k: v for k, v in sorted(counts.items()) if k != "whole"}, "failing": failing}


def corpus_files(name: str) -> list[Path]:
    return sorted((SHARED / name).glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", choices=CORPORA, help="only this corpus (repeatable)")
    ap.add_argument("--show", type=int, default=0, help="print this many failing quotes per corpus")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    figures = {}
    for name in a.corpus or CORPORA:
        files = corpus_files(name)
        if not files:
            print(f"{name}: no PDFs under {SHARED / name}; skipped")
            continue
        r = judge(files)
        figures[name] = r
        faults = ", ".join(f"{k} {v}" for k, v in r["faults"].items()) or "none"
        print(f"{name}: {r['files']} PDFs, {r['quotes']} quotes, whole sentences {r['whole']} = {r['share']:.3f} "
              f"(faults: {faults})")
        for f in r["failing"][:a.show]:
            print(f"  [{f['fault']}] {f['file'][:50]} p.{f['page']} {f['question']} {f['kind']}: {f['quote'][:200]}")
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
