"""Benchmark batch audits: documents per minute and pages per second for --jobs 1,
--jobs 2 and the Dask local cluster, with peak memory, on a folder of text PDFs.

    python benchmarks/batch.py                 # builds 40 strategy PDFs, then measures
    python benchmarks/batch.py --folder DIR    # measures an existing folder instead
    python benchmarks/batch.py --count 60 --no-dask

It also measures the two-process ceiling of the machine (two CPU-bound Python loops at once
against one) before and after the runs: it bounds any --jobs 2 speed-up.

Each run is the real CLI in a fresh process (``python -m assure check DIR -j N -f json``),
so figures include start-up (rules, spaCy) as a user would see it; the start-up on one
tiny file is reported separately. Peak memory is the highest sum of RSS over the whole
process tree (parent, workers, Dask nannies), sampled every 50 ms with psutil. The JSON
outputs of all runs are compared byte for byte.

The generated PDFs are realistic-length strategies: each combines the sections of three
of the specs in samples/src and eval/synthetic/src (rendered by tools/docgen.py), with a
distinct title and borough so no two files share content (duplicates would be skipped).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOROUGHS = ["Ashford", "Barnsley", "Calder Vale", "Dunmore", "Eastleigh", "Fernhill", "Greyford", "Holmbrook",
            "Ironbridge", "Kestwick", "Longmere", "Marshfield", "Northby", "Oakhampton", "Pelham", "Queensbury",
            "Redmarsh", "Stourton", "Thornbury", "Upton"]


def build_folder(folder: Path, count: int, per_plan: int = 8) -> list[Path]:
    """``count`` distinct strategy PDFs in ``folder``, each made of ``per_plan`` specs'
    sections (8 gives about 40 pages, the average PDF in ../shared/corpus/real)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import docgen  # noqa: PLC0415 - needs reportlab (the test extra)

    specs = [docgen.load_spec(p) for p in sorted((ROOT / "samples" / "src").glob("*.yaml"))]
    specs += [docgen.load_spec(p) for p in sorted((ROOT / "eval" / "synthetic" / "src").glob("*.yaml"))]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        parts = [specs[(i + k * 5) % len(specs)] for k in range(per_plan)]
        borough = BOROUGHS[i % len(BOROUGHS)]
        spec = dict(parts[0])
        spec["title"] = f"{borough} Health and Wellbeing Strategy (edition {i + 1})"
        spec["organisation"] = f"{borough} Council"
        spec["sections"] = [s for p in parts for s in p.get("sections", [])]
        path = folder / f"plan{i + 1:03d}-{per_plan}.pdf"
        if not path.exists():
            docgen.build_pdf(spec, path)
        out.append(path)
    return out


def pdf_pages(folder: Path) -> int:
    import pypdfium2

    total = 0
    for p in sorted(folder.glob("*.pdf")):
        pdf = pypdfium2.PdfDocument(str(p))
        total += len(pdf)
        pdf.close()
    return total


class PeakRSS(threading.Thread):
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            time.sleep(0.05)


def run(folder: Path, args: list[str], out: Path, rules: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS in bytes and CPU seconds (user + system) of one CLI run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "assure", "check", str(folder), "-f", "json", "-o", str(out), "--timeout", "0", *rules, *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PeakRSS(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"run {' '.join(args)} failed ({proc.returncode}): {err.decode()[-500:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = sampler.peak or after.ru_maxrss * 1024  # without psutil: the largest single process
    return wall, peak, cpu


SPIN = "x = 0\nfor i in range(12_000_000):\n    x += i * i % 7\n"


def two_process_ceiling() -> float:
    """The speed-up this machine gives two independent CPU-bound Python processes over one
    (2.0 on two idle physical cores; less when the cores share a host or each other's
    cache). No batch can beat it, so the --jobs 2 speed-up is read against it."""
    def spin(n: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - start

    one = min(spin(1) for _ in range(2))
    two = min(spin(2) for _ in range(2))
    return 2 * one / two


def startup_seconds(tmp: Path, rules: list[str]) -> float:
    """Wall time of the CLI on one tiny file: rules, spaCy and one worker."""
    tiny = tmp / "tiny.md"
    tiny.write_text("# Plan\n\nHousing and health.\n", encoding="utf-8")
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assure", "check", str(tiny), "-j", "1", "-f", "json", *rules],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, help="folder of documents (default: build text PDFs)")
    ap.add_argument("--count", type=int, default=40, help="PDFs to build (default 40)")
    ap.add_argument("--per-plan", type=int, default=8, help="sample specs combined into each built PDF (default 8, ~40 pages)")
    ap.add_argument("--build-dir", type=Path, default=Path(tempfile.gettempdir()) / "assure-bench-pdfs")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask local cluster run")
    ap.add_argument("--skip-jobs1", action="store_true", help="only --jobs 2 and Dask (a 200-document batch is long)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; the fastest is reported")
    ns = ap.parse_args()

    folder = ns.folder or ns.build_dir / f"{ns.count}x{ns.per_plan}"
    if ns.folder is None:
        t = time.perf_counter()
        build_folder(folder, ns.count, ns.per_plan)
        print(f"built {ns.count} PDFs in {folder} ({time.perf_counter() - t:.1f} s)")
    docs = len([p for p in folder.rglob("*") if p.suffix.lower() in (".pdf", ".docx", ".txt", ".md")])
    pages = pdf_pages(folder)
    print(f"folder: {folder}: {docs} documents, {pages} PDF pages, {os.cpu_count()} cores")
    configs = [("--jobs 2", ["-j", "2"])] if ns.skip_jobs1 else [("--jobs 1", ["-j", "1"]), ("--jobs 2", ["-j", "2"])]
    try:
        import distributed  # noqa: F401

        if not ns.no_dask:
            configs.append(("dask LocalCluster (2 workers)", ["-j", "2", "--executor", "dask"]))
    except ImportError:
        print("dask: not installed (pip install 'assure[dask]'); skipped")

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        # a snapshot of the rules, so an edit to rules.yaml during the runs cannot make them differ
        import shutil

        from assure.resources import default_questions_dir, default_rules_path

        shutil.copy(default_rules_path(), tmp / "rules.yaml")
        shutil.copytree(default_questions_dir(), tmp / "questions")
        rules = ["--rules", str(tmp / "rules.yaml"), "--questions", str(tmp / "questions")]
        ceiling_before = two_process_ceiling()
        start_up = startup_seconds(tmp, rules)
        print(f"start-up (one tiny file, --jobs 1): {start_up:.2f} s; with two or more workers, files are"
              " read ahead on the other core meanwhile")
        digests: dict[str, str] = {}
        best: dict[str, tuple[float, int, float]] = {}
        checked_by: dict[str, int] = {}
        # rounds, not blocks: each round runs every configuration once, so a host that gets
        # busier (or quieter) during the benchmark does not favour whichever ran first
        for r in range(ns.repeat):
            for k, (name, args) in enumerate(configs):
                out = tmp / f"{k}-{r}.json"
                wall, peak, cpu = run(folder, args, out, rules)
                digests.setdefault(name, hashlib.sha256(out.read_bytes()).hexdigest())
                if hashlib.sha256(out.read_bytes()).hexdigest() != digests[name]:
                    raise SystemExit(f"{name}: output differs between repeats")
                if name not in best or wall < best[name][0]:
                    best[name] = (wall, peak, cpu)
                checked_by[name] = len(json.loads(out.read_text())["documents"])
        rows = [(name, checked_by[name], *best[name]) for name, _ in configs]
        base = rows[0][2]
        try:
            load = f" (1-minute load average now: {os.getloadavg()[0]:.2f})"
        except OSError:
            load = ""
        print(f"\n{'run':30} {'docs':>4} {'wall s':>7} {'cpu s':>6} {'docs/min':>8} {'pages/s':>7} {'speed-up':>8} {'peak MB':>7}")
        for name, checked, wall, peak, cpu in rows:
            print(f"{name:30} {checked:4d} {wall:7.2f} {cpu:6.1f} {checked / wall * 60:8.1f} {pages / wall:7.1f} "
                  f"{base / wall:7.2f}x {peak / 2**20:7.0f}")
        walls = {name: wall for name, _, wall, _, _ in rows}
        dask_name = "dask LocalCluster (2 workers)"
        if dask_name in walls:
            print(f"\nDask against --jobs 2, same run: {walls['--jobs 2'] / walls[dask_name]:.2f}x the speed"
                  " (issue 16 target: at least 0.90x)")
        print(f"speed-up: documents/min over --jobs 1; wall times are the fastest of {ns.repeat} round(s), each round"
              " running every configuration once")
        print(f"this machine's two-process ceiling (two CPU-bound Python loops at once vs one; it bounds any "
              f"--jobs 2 speed-up and moves with the host's load): {ceiling_before:.2f}x before the runs, "
              f"{two_process_ceiling():.2f}x after (above 2.00x: the single loop was itself slowed)")
        print(f"figures include start-up; other load on the machine skews them{load}")
        same = len(set(digests.values())) == 1
        print(f"\nJSON output identical across runs: {'yes' if same else 'NO: ' + repr(digests)}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
