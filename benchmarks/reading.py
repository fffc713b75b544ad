"""Reading agreement: section and block-kind agreement with judgements made by reading the pages.

    python benchmarks/reading.py                              # eval/reading/labels.yaml
    python benchmarks/reading.py LABELS.yaml --show 30        # and 30 disagreements
    python benchmarks/reading.py --json reading.json

For every labelled snippet the block of ``assure extract`` holding it is found on its page;
section agreement is the share whose innermost section heading is the one the reviewer names
(numbering, case and spacing ignored), kind agreement the share whose kind (prose, heading,
list-item, table-row, figure-label, caption, footnote, furniture, contents) matches. A
snippet not kept whole in one block counts against both. Goal: at least 0.95 each.
The label format is in eval/reading/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "eval" / "reading" / "labels.yaml"


def main(argv: list[str] | None = None) -> int:
    from assure.reading import load_reading_labels, score_reading

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labels", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="print this many disagreements")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    if not a.labels.is_file():
        print(f"no reading labels at {a.labels}")
        return 2
    result = score_reading(load_reading_labels(a.labels))
    if result.missing_files:
        print(f"{len(result.missing_files)} labelled file(s) not found (is ../shared present?); not scored")

    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    print(f"section agreement {fmt(result.section_agreement)} over {len(result.sections)} labels; "
          f"kind agreement {fmt(result.kind_agreement)} over {len(result.kinds)} labels")
    confusion = result.kind_confusion()
    wrong = {k: n for k, n in confusion.items() if k[0] != k[1]}
    if wrong:
        print("kind disagreements (label -> read as): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(wrong.items())))
    shown = 0
    for what, items in (("section", result.sections), ("kind", result.kinds)):
        for j in items:
            if not j.agrees and shown < a.show:
                shown += 1
                print(f"  [{what}] {j.file[-60:]} p.{j.page} {j.text[:60]!r}: expected {j.expected!r}, read {j.found!r}")
    if a.json:
        a.json.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
