"""Fuzz the extractors: any input must give a Document or an ExtractionError, nothing else.

    python benchmarks/fuzz_extract.py                   # 60 s, atheris if installed, else a mutation loop
    python benchmarks/fuzz_extract.py --seconds 3600    # an hour
    python benchmarks/fuzz_extract.py --mutate          # force the plain mutation loop
    python benchmarks/fuzz_extract.py --seconds 600 -- -jobs=2 -workers=2   # extra libFuzzer flags after --

Each input's first byte picks what the rest is: a PDF, a DOCX (the ZIP bytes), a DOCX
whose word/document.xml is the rest (so mutations reach the XML, not just the ZIP), plain
text or Markdown. Seeds are the bundled samples and a few small files built here. With
atheris (``pip install atheris``; coverage-guided, libFuzzer) a failing input is saved as
``crash-*`` in the working directory and the run stops with a non-zero exit; the mutation
loop saves failing inputs in ``--out`` (default ``fuzz-failures/``) and keeps going.
Pass a failing file back with ``--replay FILE`` to see its error.

A failure is any exception other than ExtractionError, an ExtractionError whose message
is not one line naming the file, or an input that takes longer than ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("pdf", "docx", "docx-xml", "txt", "md")
_TMP = Path(tempfile.mkdtemp(prefix="assure-fuzz-"))
_DOCX_SHELL: dict[str, bytes] = {}


def _shell() -> dict[str, bytes]:
    """The parts of a small valid DOCX, to wrap fuzzed document.xml bytes in."""
    if not _DOCX_SHELL:
        import docx

        d = docx.Document()
        d.add_heading("Housing", level=1)
        d.add_paragraph("The council will fund adaptations by 2026.")
        buf = io.BytesIO()
        d.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
            _DOCX_SHELL.update({i.filename: zf.read(i) for i in zf.infolist()})
    return _DOCX_SHELL


def materialise(data: bytes) -> Path:
    """Write one fuzz input as the file the extractor will read."""
    mode = MODES[data[0] % len(MODES)] if data else "txt"
    body = data[1:]
    if mode == "docx-xml":
        path = _TMP / "input.docx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, part in _shell().items():
                zf.writestr(name, body if name == "word/document.xml" else part)
        return path
    path = _TMP / f"input.{mode}"
    path.write_bytes(body)
    return path


def run_one(data: bytes, timeout: float) -> None:
    """Raise AssertionError (or let an unexpected exception out) when the input breaks the contract."""
    from assure.errors import ExtractionError
    from assure.extract import ExtractOptions, extract

    path = materialise(data)
    start = time.monotonic()
    try:
        extract(path, ExtractOptions(max_seconds=timeout))
    except ExtractionError as exc:
        if "\n" in exc.message or str(path) not in str(exc):
            raise AssertionError(f"error is not one line naming the file: {exc!r}") from None
    if time.monotonic() - start > timeout * 1.5:
        raise AssertionError(f"took {time.monotonic() - start:.1f} s")


def seeds() -> list[bytes]:
    out = []
    for f in sorted((ROOT / "samples").glob("*")):
        ext = f.suffix.lstrip(".")
        if ext in ("pdf", "docx") and f.stat().st_size < 2_000_000:
            out.append(bytes([MODES.index(ext)]) + f.read_bytes())
    out.append(bytes([MODES.index("docx-xml")]) + _shell()["word/document.xml"])
    out.append(bytes([MODES.index("md")]) + b"# Housing\n\n- The council will fund adaptations.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    out.append(bytes([MODES.index("txt")]) + "Caf\u00e9 \ufb01nance \u00ad hyphen-\nated text.\n".encode())
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if len(out) < 2:
            out += rng.randbytes(8)
        pos = rng.randrange(1, len(out))
        op = rng.random()
        if op < 0.4:
            out[pos] ^= 1 << rng.randrange(8)
        elif op < 0.6:
            del out[pos:pos + rng.randint(1, 256)]
        elif op < 0.8:
            out[pos:pos] = rng.choice([rng.randbytes(rng.randint(1, 16)), b"<<", b">>", b"[", b"obj", b"<w:p>", b"<!--",
                                       b"\x00", b"\xff\xfe", b"stream\n", b"9999999999"])
        elif op < 0.9:
            start = rng.randrange(1, len(out))
            out[pos:pos] = out[start:start + rng.randint(1, 512)]  # duplicate a chunk
        else:
            del out[pos:]
    return bytes(out)


def mutation_loop(seconds: float, timeout: float, out_dir: Path, seed: int) -> int:
    rng = random.Random(seed)
    corpus = seeds()
    runs = failures = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = mutate(rng.choice(corpus), rng)
        runs += 1
        try:
            run_one(data, timeout)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, the loop goes on
            failures += 1
            out_dir.mkdir(parents=True, exist_ok=True)
            name = out_dir / f"failure-{runs:06d}.{MODES[data[0] % len(MODES)]}.bin"
            name.write_bytes(data)
            print(f"FAIL {name}: {type(exc).__name__}: {str(exc)[:200]}", flush=True)
        if runs % 200 == 0 and len(corpus) < 400:
            corpus.append(data)  # keep some mutants as new seeds
    print(f"mutation loop: {runs} inputs in {seconds:.0f} s, {failures} failures (seed {seed})")
    return 1 if failures else 0


def atheris_run(seconds: float, timeout: float, extra: list[str]) -> int:
    import atheris

    with atheris.instrument_imports():
        import assure.extract  # noqa: F401
        import assure.extract.clean  # noqa: F401
        import assure.extract.docx  # noqa: F401
        import assure.extract.pdf  # noqa: F401
        import assure.extract.text  # noqa: F401
    seed_dir = _TMP / "seeds"
    seed_dir.mkdir()
    for i, s in enumerate(seeds()):
        (seed_dir / f"seed-{i}").write_bytes(s)

    def test_one_input(data: bytes) -> None:
        run_one(data, timeout)

    args = [sys.argv[0], f"-max_total_time={int(seconds)}", f"-timeout={int(timeout * 2)}", "-rss_limit_mb=3072",
            "-max_len=4000000", *extra, str(seed_dir)]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--timeout", type=float, default=20, help="seconds allowed per input")
    ap.add_argument("--mutate", action="store_true", help="use the plain mutation loop even when atheris is installed")
    ap.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--replay", type=Path, help="run one saved input and show what happens")
    ap.add_argument("extra", nargs="*", help="extra libFuzzer flags for atheris (after --)")
    a = ap.parse_args()
    if a.replay:
        run_one(a.replay.read_bytes(), a.timeout)
        print("ok: a Document or a one-line ExtractionError")
        return 0
    if not a.mutate:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris not installed; using the mutation loop", file=sys.stderr)
        else:
            return atheris_run(a.seconds, a.timeout, a.extra)
    return mutation_loop(a.seconds, a.timeout, a.out, a.seed)


if __name__ == "__main__":
    sys.exit(main())
