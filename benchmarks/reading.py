"""Reading agreement: section and block-kind agreement with judgements made by reading the pages.

    python benchmarks/reading.py                              # eval/reading/labels.yaml
    python benchmarks/reading.py LABELS.yaml --show 30        # and 30 disagreements
    python benchmarks/reading.py --json reading.json
    python benchmarks/reading.py --only Suicide --only PNA   # only these files (the two held aside while tuning)

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
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "eval" / "reading" / "labels.yaml"


def main(argv: list[str] | None = None) -> int:
    from assure.reading import load_reading_labels, render_reading, score_reading

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labels", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="print this many disagreements")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="score only labelled files whose name contains TEXT (repeatable)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    if not a.labels.is_file():
        print(f"no reading labels at {a.labels}")
        return 2
    env_root = os.environ.get("ASSURE_EVAL_ROOT")
    labels = load_reading_labels(a.labels, base=Path(env_root) if env_root else None)
    if a.only:
        keep = [f for f in {*(s.file for s in labels.sections), *(k.file for k in labels.kinds)} if any(t in f for t in a.only)]
        labels.sections = [s for s in labels.sections if s.file in keep]
        labels.kinds = [k for k in labels.kinds if k.file in keep]
    result = score_reading(labels)
    sys.stdout.write(render_reading(result, "text", show=a.show))
    if a.json:
        a.json.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
