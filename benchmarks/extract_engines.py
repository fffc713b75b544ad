"""Pages per second of the two PDF text extractors assure supports, on a folder of PDFs.

Measures raw text extraction only (open, per page: get text, close page), the part that
differs between the engines; assure's own clean-up and rules run identically after it.

    python benchmarks/extract_engines.py                   # ../shared/corpus/real
    python benchmarks/extract_engines.py DIR --max-pages 50 --engines pypdfium2,pdfplumber

Prints one row per file and the totals (pages / total seconds). Files an engine cannot
open are reported and left out of that engine's totals.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def pdfium_pages(path: Path, max_pages: int | None) -> tuple[int, int]:
    """(pages read, characters) with pypdfium2; every page and text page closed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    chars = 0
    try:
        n = len(doc) if max_pages is None else min(len(doc), max_pages)
        for i in range(n):
            page = doc[i]
            try:
                textpage = page.get_textpage()
                try:
                    chars += len(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
        return n, chars
    finally:
        doc.close()


def plumber_pages(path: Path, max_pages: int | None) -> tuple[int, int]:
    """(pages read, characters) with pdfplumber; page.close() after each page keeps memory flat."""
    import pdfplumber

    chars = 0
    with pdfplumber.open(str(path)) as pdf:
        pages = pdf.pages if max_pages is None else pdf.pages[:max_pages]
        n = 0
        for page in pages:
            try:
                chars += len(page.extract_text() or "")
            finally:
                page.close()
            n += 1
        return n, chars


ENGINES = {"pypdfium2": pdfium_pages, "pdfplumber": plumber_pages}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--engines", default="pypdfium2,pdfplumber")
    ap.add_argument("--max-pages", type=int, default=None, help="read at most this many pages per file")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"benchmark: {args.folder}: folder not found (the shared corpus lives in ../shared/corpus/real)", file=sys.stderr)
        return 2
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        print(f"benchmark: unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() == ".pdf")
    if not files:
        print(f"benchmark: no PDFs in {args.folder}", file=sys.stderr)
        return 2
    for name in engines:  # import once, outside the timings
        ENGINES[name](files[0], 1)
    totals = {e: [0, 0.0] for e in engines}
    head = f"{'file':<48} {'pages':>5}" + "".join(f" {e + ' s':>13} {'p/s':>7}" for e in engines)
    print(head)
    print("-" * len(head))
    for f in files:
        row = f"{(f.name[:45] + '...') if len(f.name) > 48 else f.name:<48}"
        pages_shown = None
        cells = ""
        for e in engines:
            t0 = time.perf_counter()
            try:
                pages, _ = ENGINES[e](f, args.max_pages)
            except Exception as exc:  # noqa: BLE001 - report and carry on
                cells += f" {'failed':>13} {'':>7}"
                print(f"  {f.name}: {e} failed: {type(exc).__name__}: {str(exc)[:80]}", file=sys.stderr)
                continue
            dt = time.perf_counter() - t0
            pages_shown = pages
            totals[e][0] += pages
            totals[e][1] += dt
            cells += f" {dt:>13.3f} {pages / dt if dt else 0:>7.1f}"
        print(f"{row} {pages_shown if pages_shown is not None else '-':>5}{cells}")
    print("-" * len(head))
    for e in engines:
        pages, secs = totals[e]
        rate = pages / secs if secs else 0.0
        print(f"total {e:<11} {pages:>6} pages in {secs:8.2f} s = {rate:8.1f} pages/s")
    if len(engines) == 2 and all(totals[e][1] for e in engines):
        a, b = (totals[e][0] / totals[e][1] for e in engines)
        print(f"{engines[0]} is {a / b:.1f}x the speed of {engines[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
