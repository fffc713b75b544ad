"""Quote quality: the share of evidence quotes that are whole sentences, per corpus.

    python benchmarks/quotes.py                          # every PDF in ../shared/corpus/real and .../mining
    python benchmarks/quotes.py --corpus real --show 20  # and print 20 quotes that fail, with the reason
    python benchmarks/quotes.py --json quotes.json

For every PDF the report's quoted evidence (as ``assure check`` prints it) is judged by
assure.quotes.quote_fault: ``cut`` (trimmed with "…"), ``unended`` (a paragraph quote not
ending as a sentence does), ``figures`` (mostly numbers) or ``labels`` (a run of words with no
grammar: infographic panels, lists of titles). The figure printed per corpus is
whole / quotes; the goal is at least 0.95 on each corpus. tests/test_quotes.py keeps a floor
on a few of these files.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = ("real", "mining")


def judge(files: list[Path]) -> dict:
    """Judge every quoted piece of evidence in ``files`` (assure.quotes.judge_quotes)."""
    from assure.quotes import judge_quotes

    r = judge_quotes(files)
    return {"files": r.files, "quotes": r.quotes, "whole": r.whole, "share": r.share,
            "faults": dict(sorted(r.faults.items())), "failing": r.failing}


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
