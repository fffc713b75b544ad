"""Faults of the environment, not of the documents (issue 17): each class is injected here.

Outputs that are inputs or each other, symlinks, pipes, long names, a full device, a
read-only folder; FIFOs and endless devices given as rules, config, baseline or cache
entries; YAML bombs and duplicate keys; a file rewritten between discovery and reading;
poisoned cache entries; non-UTF-8 and control characters in names; substituted-letter
PDFs; a storm of signals while the report is written. Anything that could hang runs in a
subprocess with a timeout, so a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN = ("# Health and wellbeing strategy\n\nThe council will fund a warm homes service to reduce fuel poverty, "
        "led by the housing team, with a target of 300 homes a year.\n\nOlder people in cold homes are at risk.\n\n"
        "Poor health and wellbeing follow damp homes. Public health teams see more illness in winter. "
        "Mental health services and social care support people at home. Life expectancy is lower in deprived wards.\n")
OTHER = ("# Parks strategy\n\nThe council will plant trees in every park and open two new playgrounds. "
         "Public health teams support active travel and walking routes.\n")


def run_cli(*args: str, timeout: float = 90, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess: a hang fails the test (TimeoutExpired) instead of the run."""
    return subprocess.run([sys.executable, "-m", "assure", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, errors="surrogateescape", check=False)


def one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and len(lines[0]) < 1200, proc.stderr[-2000:]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    p = tmp_path / "plan.md"
    p.write_text(PLAN, encoding="utf-8")
    return p


# ------------------------------------------------------------------ outputs
def test_output_naming_the_input_is_refused_and_the_plan_kept(plan: Path) -> None:
    before = plan.read_bytes()
    for args in (["-o", str(plan)], ["-f", f"json:{plan}"], ["--matrix", str(plan.with_suffix(".md"))]):
        proc = run_cli("check", str(plan), *args)
        one_line_error(proc, "refusing to write over an input")
        assert plan.read_bytes() == before


def test_output_naming_an_input_left_out_as_a_copy_is_refused(plan: Path, tmp_path: Path) -> None:
    """A new-user trial: ``assure check a.md c.txt -o c.txt`` with c.txt a copy of a.md wrote the
    report over c.txt (the copy is left out as "same content", and was no longer counted as an
    input); so did ``assure check FOLDER -o copy.md``. Both are refused, and the copy is kept."""
    copy = tmp_path / "copy.txt"
    copy.write_bytes(plan.read_bytes())
    before = copy.read_bytes()
    for args in ([str(plan), str(copy)], [str(tmp_path)]):
        proc = run_cli("check", *args, "-o", str(copy))
        one_line_error(proc, "refusing to write over an input")
        assert copy.read_bytes() == before


def test_output_dash_is_standard_output(plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"-o -" wrote a file named "-" (a new-user trial); as "-" names standard input for PATH, it
    names standard output for -o."""
    monkeypatch.chdir(tmp_path)
    proc = run_cli("check", str(plan), "-o", "-", "--fail-on", "never", "-q")
    assert proc.returncode == 0 and "overall score" in proc.stdout
    assert not (tmp_path / "-").exists()


def test_an_annotate_folder_that_cannot_be_made_is_refused_before_the_check(plan: Path, tmp_path: Path) -> None:
    """A new-user trial: ``--annotate`` into a folder that cannot take files printed the whole report
    and failed only at the end; like -o, it is refused before any plan is read."""
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    proc = run_cli("check", str(plan), "--annotate", str(tmp_path / "taken" / "copies"))
    line = one_line_error(proc, "--annotate", "not a folder", "nothing was checked")
    assert "overall score" not in proc.stdout, line


def test_output_naming_the_input_through_a_symlink_or_hard_link_is_refused(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "link.json").symlink_to(plan)
    os.link(plan, tmp_path / "hard.json")
    before = plan.read_bytes()
    for target in ("link.json", "hard.json"):
        proc = run_cli("check", str(plan), "-f", f"json:{tmp_path / target}")
        one_line_error(proc, "refusing to write over an input")
    assert plan.read_bytes() == before


def test_two_outputs_naming_one_file_by_different_spellings_are_refused(plan: Path, tmp_path: Path) -> None:
    proc = run_cli("check", str(plan), "-f", "json:out/r.json", "-f", f"csv:{tmp_path / 'out' / 'r.json'}", cwd=tmp_path)
    one_line_error(proc, "name the same file")
    assert not (tmp_path / "out" / "r.json").exists()


def test_symlinked_output_is_written_through_and_stays_a_link(plan: Path, tmp_path: Path) -> None:
    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    proc = run_cli("check", str(plan), "-f", "json", "-o", str(link))
    assert proc.returncode in (0, 1), proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["documents"][0]["path"] == str(plan)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # an existing report keeps its permissions
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"]  # no temporary file left


def test_fifo_output_is_written_into_not_replaced(plan: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    time.sleep(0.2)
    proc = run_cli("check", str(plan), "-f", "json", "-o", str(fifo))
    reader.join(30)
    assert proc.returncode in (0, 1), proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(got[0])["documents"][0]["path"] == str(plan)


def test_fifo_output_without_a_reader_is_an_error_not_a_hang(plan: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    one_line_error(run_cli("check", str(plan), "-f", "json", "-o", str(fifo)), "no process is reading")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _device(folder: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): a test must never risk the
    machine's own (root replacing /dev/null with a file breaks every other process)."""
    dev = folder / name
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with open(dev, "wb") as fh:
            fh.write(b"") if minor == 3 else None
    except (OSError, AttributeError):
        pytest.skip("cannot make a character device here (not root, or a nodev mount)")
    return dev


def test_character_device_output_is_written_directly(plan: Path, tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    proc = run_cli("check", str(plan), "-f", f"json:{null}", "-f", "text")
    assert proc.returncode in (0, 1), proc.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_output_names_of_242_to_255_bytes(plan: Path, tmp_path: Path) -> None:
    for n in (242, 250, 255):
        name = "r" * (n - 5) + ".json"
        proc = run_cli("check", str(plan), "-f", "json", "-o", str(tmp_path / name))
        assert proc.returncode in (0, 1), proc.stderr
        assert json.loads((tmp_path / name).read_text())["documents"]


def test_full_device_leaves_the_old_report_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake full device: every write fails with ENOSPC after the first bytes."""
    import assure.safewrite as sw

    target = tmp_path / "report.json"
    target.write_text("previous report", encoding="utf-8")
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(sw.os, "write", full)
    with pytest.raises(sw.AssureError, match="No space left on device"):
        sw.write_output(target, "x" * 100_000, "json")
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_full_device_is_one_line_and_stays_a_device(plan: Path, tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    one_line_error(run_cli("check", str(plan), "-f", "json", "-o", str(full)), "No space left on device")
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_read_only_folder_is_one_line_and_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permission bits, so the read-only folder is faked where the file is created."""
    import tempfile

    import assure.safewrite as sw

    target = tmp_path / "report.json"
    target.write_text("previous", encoding="utf-8")

    def read_only(*a: object, **k: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(sw.AssureError, match="Read-only file system") as info:
        sw.write_output(target, "{}", "json")
    assert "\n" not in str(info.value)
    assert target.read_text() == "previous"


# ------------------------------------------------------------------ special and hostile user files
@pytest.mark.parametrize("option", ["--rules", "--config", "--baseline"])
def test_fifo_or_endless_device_as_a_user_file_is_refused_at_once(plan: Path, tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "special.yaml"
    os.mkfifo(fifo)
    for special, kind in ((fifo, "FIFO"), (Path("/dev/zero"), "character device")):
        start = time.monotonic()
        one_line_error(run_cli("check", str(plan), option, str(special), timeout=60), kind, "not a regular file")
        assert time.monotonic() - start < 30


def test_yaml_alias_bomb_is_refused_quickly_with_a_short_line(plan: Path, tmp_path: Path) -> None:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "assure.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 500
    start = time.monotonic()
    one_line_error(run_cli("check", str(plan), "--config", str(bomb), timeout=60), "aliases are expanded")
    assert time.monotonic() - start < 20


def test_duplicate_yaml_keys_are_refused(plan: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "assure.yaml"
    cfg.write_text("fail_on: gap\nfail_on: never\n", encoding="utf-8")
    one_line_error(run_cli("check", str(plan), "--config", str(cfg)), "assure.yaml:2:1: invalid YAML: duplicate key 'fail_on' (first on line 1)")


def test_huge_integer_is_one_line_not_a_traceback(plan: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "assure.yaml"
    cfg.write_text("fail_under: " + "9" * 5000 + "\n", encoding="utf-8")
    one_line_error(run_cli("check", str(plan), "--config", str(cfg)), str(cfg))
    base = tmp_path / "base.json"
    base.write_text('{"baseline_version": ' + "9" * 5000 + "}", encoding="utf-8")
    one_line_error(run_cli("check", str(plan), "--baseline", str(base)), str(base))


def test_schema_error_never_echoes_a_huge_value(plan: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "assure.yaml"
    cfg.write_text("fail_on: " + "x" * 200_000 + "\n", encoding="utf-8")
    line = one_line_error(run_cli("check", str(plan), "--config", str(cfg)), "fail_on")
    assert len(line) < 1200


def test_user_files_over_the_cap_are_refused_before_reading(tmp_path: Path) -> None:
    from assure.errors import ConfigError
    from assure.safeio import read_user_bytes

    big = tmp_path / "rules.yaml"
    with open(big, "wb") as fh:
        fh.truncate(5 * 1024**3)  # sparse: refusing it must not read it
    start = time.monotonic()
    with pytest.raises(ConfigError, match="over the"):
        read_user_bytes(big, "rules file")
    assert time.monotonic() - start < 1


# ------------------------------------------------------------------ discovery
def test_sparse_file_over_the_cap_is_not_hashed(tmp_path: Path) -> None:
    from assure.discover import discover_documents

    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(8 * 1024**3)
    start = time.monotonic()
    found = discover_documents([str(tmp_path)], max_bytes=200 * 1024 * 1024)
    assert time.monotonic() - start < 2
    assert found.files == (str(big),) and found.hashes[str(big)] is None


def test_fifo_in_a_folder_does_not_hang_discovery_or_check(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    proc = run_cli("check", str(tmp_path), "-f", "json", timeout=90)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    docs = {Path(d["path"]).name: d for d in json.loads(proc.stdout)["documents"]}
    assert docs["pipe.md"]["error"]["message"].startswith("not a regular file")
    assert docs["pipe.md"]["error"]["code"] == "not_a_file"  # regression: it was not_found
    assert docs["plan.md"]["status"] != "error"


def test_unlistable_folder_is_an_error_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can list any folder, so the listing error is injected where os.walk lists."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "plan.md").write_text(PLAN, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(locked))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = CliRunner().invoke(app, ["check", str(tmp_path), "-f", "json"])
    assert result.exit_code == 2, result.output
    docs = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert docs[str(locked)]["error"]["code"] == "permission"
    assert docs[str(tmp_path / "ok" / "plan.md")]["status"] != "error"


def test_an_unreadable_file_named_on_the_command_line_is_an_error_entry(tmp_path: Path) -> None:
    """A file named on the command line that cannot be read was a usage error that stopped the
    whole run with no report (a new-user trial); like the same file found in a folder, it is now
    a "permission" entry and the other files are checked. Root reads any file, so as root the
    run drops the capabilities that let it."""
    import shutil

    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    locked = tmp_path / "locked.md"
    locked.write_text(PLAN, encoding="utf-8")
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    proc = subprocess.run([*prefix, sys.executable, "-m", "assure", "check", str(plan), str(locked), "-f", "json"],
                          capture_output=True, text=True, timeout=90, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    docs = {Path(d["path"]).name: d for d in json.loads(proc.stdout)["documents"]}
    assert docs["locked.md"]["error"]["code"] == "permission"
    assert docs["plan.md"]["status"] == "ok"


# ------------------------------------------------------------------ names
def test_non_utf8_and_control_names_in_every_output(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/plan-\xe9.md"
    with open(raw, "wb") as fh:
        fh.write(PLAN.encode())
    bad = folder / "broken\n\x1b[31mname.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really\n")
    out = tmp_path / "out"
    proc = run_cli("check", str(folder), "-f", f"json:{out}.json", "-f", f"csv:{out}.csv", "-f", f"junit:{out}.xml",
                   "-f", f"sarif:{out}.sarif", "-f", f"html:{out}.html", "-f", "text", "--matrix", f"{out}-m.csv",
                   "--heatmap", f"{out}-h.html")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    # human lines: one per message, the newline and escape byte shown escaped
    err = [ln for ln in proc.stderr.splitlines() if "broken" in ln]
    assert len(err) == 1 and "\\n\\x1b[31mname.pdf" in err[0] and "\x1b" not in proc.stderr
    assert "\x1b[31m" not in proc.stdout and "plan-\\xe9.md" in proc.stdout
    # machine output: lossless
    paths = [d["path"] for d in json.loads(Path(f"{out}.json").read_text(encoding="utf-8"))["documents"]]
    assert os.fsencode(folder) + b"/plan-\xe9.md" in [os.fsencode(p) for p in paths]
    assert str(bad) in paths
    assert b"plan-\xe9.md" in Path(f"{out}.csv").read_bytes()
    assert b"plan-\xe9.md" in Path(f"{out}-m.csv").read_bytes()
    for name in (f"{out}.xml", f"{out}.html", f"{out}-h.html", f"{out}.sarif"):
        Path(name).read_bytes().decode("utf-8")  # valid UTF-8 throughout


# ------------------------------------------------------------------ cache
def _cache_run(files: list[str], cache: Path, ruleset, hashes: dict | None = None):  # noqa: ANN001, ANN202
    from assure.batch import BatchOptions, run_batch
    from assure.discover import discover_documents

    hashes = hashes if hashes is not None else discover_documents(files).hashes
    return run_batch(files, ruleset, batch=BatchOptions(jobs=1, cache_dir=str(cache)), hashes=hashes)


def test_file_rewritten_between_discovery_and_reading_is_not_cached_under_the_old_key(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    from assure.discover import discover_documents
    from assure.runner import check_file

    doc = tmp_path / "plan.md"
    doc.write_text(PLAN, encoding="utf-8")
    cache = tmp_path / "cache"
    hashes = discover_documents([str(doc)]).hashes  # discovery sees PLAN...
    doc.write_text(OTHER, encoding="utf-8")  # ...the worker reads OTHER
    first = _cache_run([str(doc)], cache, ruleset, hashes)
    assert first.report.documents[0] == check_file(str(doc), ruleset)
    doc.write_text(PLAN, encoding="utf-8")  # back to the bytes discovery hashed
    second = _cache_run([str(doc)], cache, ruleset)
    assert second.cache_hits == 0
    assert second.report.documents[0] == check_file(str(doc), ruleset)
    assert _cache_run([str(doc)], cache, ruleset).cache_hits == 1  # and now it is cached, correctly


def _entry(cache: Path) -> Path:
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    return entries[0]


@pytest.mark.parametrize("poison", ["wrong type", "wrong nested type", "fifo", "dev zero", "huge", "not json"])
def test_poisoned_cache_entry_is_ignored_and_replaced(tmp_path: Path, ruleset, poison: str) -> None:  # noqa: ANN001
    from assure.runner import check_file

    doc = tmp_path / "plan.md"
    doc.write_text(PLAN, encoding="utf-8")
    cache = tmp_path / "cache"
    _cache_run([str(doc)], cache, ruleset)
    entry = _entry(cache)
    data = json.loads(entry.read_text())
    entry.unlink()
    if poison == "wrong type":
        data["result"]["score"] = "high"
        entry.write_text(json.dumps(data))
    elif poison == "wrong nested type":
        data["result"]["questions"][0]["evidence"] = [{"quote": 5, "page": None, "section": None, "rule": "r",
                                                        "strength": "met"}]
        entry.write_text(json.dumps(data))
    elif poison == "fifo":
        os.mkfifo(entry)
    elif poison == "dev zero":
        entry.symlink_to("/dev/zero")
    elif poison == "huge":
        with open(entry, "wb") as fh:
            fh.truncate(4 * 1024**3)
    else:
        entry.write_bytes(b"\x00\xff{")
    outcome = _cache_run([str(doc)], cache, ruleset)
    assert outcome.cache_hits == 0
    assert outcome.report.documents[0] == check_file(str(doc), ruleset)
    assert _entry(cache).is_file() and not _entry(cache).is_symlink()  # replaced by a good entry
    assert _cache_run([str(doc)], cache, ruleset).cache_hits == 1


def test_poisoned_fifo_entry_through_the_cli_does_not_hang(tmp_path: Path) -> None:
    doc = tmp_path / "plan.md"
    doc.write_text(PLAN, encoding="utf-8")
    cache = tmp_path / "cache"
    assert run_cli("check", str(doc), "--cache", str(cache), "-f", "json").returncode in (0, 1)
    entry = _entry(cache)
    entry.unlink()
    os.mkfifo(entry)
    proc = run_cli("check", str(doc), "--cache", str(cache), "-f", "json", timeout=90)
    assert proc.returncode in (0, 1), proc.stderr
    assert _entry(cache).is_file()


# ------------------------------------------------------------------ reading
def _pdf(path: Path, paragraphs: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        y = 800
        for para in paragraphs:
            for i in range(0, len(para), 90):
                c.drawString(50, y, para[i:i + 90])
                y -= 14
            y -= 10
        c.showPage()
    c.save()
    return path


_PROSE = [
    ("The council will work with housing associations and the NHS to improve the condition of private rented homes, "
     "reducing damp and mould, excess cold and overcrowding that harm the health of children and older people."),
    ("Our housing strategy sets out how we will deliver new affordable homes, support people to live independently "
     "and prevent homelessness, with partners across health and social care."),
    "We will measure progress each year and report to the health and wellbeing board on the number of homes improved.",
]


def _substitute(text: str) -> str:
    plain = "abcdefghijklmnopqrstuvwxyz"
    shifted = "lrpfkdtabozqwcmnyjusgexhvi"
    table = str.maketrans(plain + plain.upper(), shifted + shifted.upper())
    return text.translate(table)


def test_substituted_letter_pdf_is_unreadable_not_prose(tmp_path: Path) -> None:
    from assure.extract import extract

    good = extract(_pdf(tmp_path / "good.pdf", _PROSE))
    assert not good.unreadable_pages
    bad_path = _pdf(tmp_path / "bad.pdf", [_substitute(p) for p in _PROSE])
    bad = extract(bad_path)
    assert [reason for _, reason in bad.unreadable_pages] == ["garbled text (substituted letters)"] * 2
    proc = run_cli("check", str(bad_path), "-f", "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["error"]["code"] == "no_text" and "substituted letters" in doc["error"]["message"]


def test_utf32_text_is_decoded_as_utf32(tmp_path: Path) -> None:
    from assure.extract import extract

    for codec in ("utf-32", "utf-32-be"):
        p = tmp_path / f"{codec}.txt"
        data = PLAN.encode(codec)
        p.write_bytes(data if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") else b"\x00\x00\xfe\xff" + data)
        assert "warm homes service" in " ".join(b.text for b in extract(p).blocks)


# ------------------------------------------------------------------ signals
SLOW_WRITE_SCRIPT = ("import sys, time, assure.cli as c, assure.report.outputs as m\n"
                     "real, marker = m.render_all, sys.argv[-1]\n"
                     "def slow(*a, **k):\n"
                     "    open(marker, 'w').close()\n"
                     "    time.sleep(4)\n"
                     "    return real(*a, **k)\n"
                     "m.render_all = slow\n"
                     "sys.argv = ['assure'] + sys.argv[1:-1]\n"
                     "c.app()\n")


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_signal_storm_while_the_report_is_written(tmp_path: Path) -> None:
    docs = []
    for i in range(3):
        p = tmp_path / f"plan{i}.md"
        p.write_text(PLAN.replace("300", f"{i + 1}00"), encoding="utf-8")
        docs.append(str(p))
    out, matrix, marker = tmp_path / "report.json", tmp_path / "m.csv", tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE_SCRIPT, "check", *docs, "-j", "1", "-f", f"json:{out}",
                             "--matrix", str(matrix), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()
    for i in range(60):  # the first signal arrives while writing; then a storm of both kinds
        try:
            os.killpg(proc.pid, signal.SIGTERM if i % 2 else signal.SIGINT)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err.decode(), err.decode()[-2000:]
    assert proc.returncode in (0, 1), err.decode()
    assert len(json.loads(out.read_text())["documents"]) == 3
    assert len(matrix.read_text().splitlines()) >= 4


def test_interrupt_guard_raises_once_then_only_counts() -> None:
    from assure.interrupts import InterruptGuard

    with InterruptGuard() as guard:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        for sig in (signal.SIGINT, signal.SIGTERM) * 5:
            os.kill(os.getpid(), sig)
        time.sleep(0.1)
        assert guard.count == 11
    with InterruptGuard() as guard:
        guard.defer()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        assert guard.count == 1


@pytest.mark.skipif(sys.platform == "win32", reason="the bounded example runner forks")
def test_a_catastrophic_user_regex_stops_rules_test_with_one_line_naming_the_example(tmp_path: Path) -> None:
    """A nested repeat on a long token backtracks for hours: `rules test` stops at --timeout, exit 2."""
    import yaml

    from assure.ruleset import default_rules_path

    data = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    data["signals"]["slow"] = {
        "description": "a pattern that backtracks without end",
        "patterns": [[{"TEXT": {"REGEX": "^(a+)+$"}}]],
        "examples": ["a" * 40 + "b is a long word."],
    }
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["rules", "test", "--rules", str(rules), "--timeout", "3"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "signal:slow" in result.stderr and "did not finish in 3 s" in result.stderr


@pytest.mark.parametrize("command", [("check", "{plan}"), ("check", "{plan}", "-f", "matrix"), ("questions",), ("extract", "{plan}")])
def test_standard_output_that_will_not_take_the_report_is_one_line(plan: Path, command: tuple[str, ...]) -> None:
    """Regression: `> /dev/full` or a closed stdout gave an OSError / AttributeError traceback and exit 1
    (which means findings)."""
    args = [a.format(plan=plan) for a in command]
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "assure", *args], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=90, check=False)
    proc.stdout = ""
    one_line_error(proc, "standard output", "No space left")
    closed = subprocess.run([sys.executable, "-m", "assure", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, timeout=90, check=False, preexec_fn=lambda: os.close(1))
    one_line_error(closed, "standard output is closed")


def test_interrupt_outside_a_check_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Regression: Ctrl-C or SIGTERM during annotate, extract or rules test ended silently with 130 or 143,
    codes the README does not document."""
    big = ROOT / "samples" / "strong.pdf"
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = subprocess.Popen([sys.executable, "-m", "assure", "annotate", str(big), "-o", str(tmp_path / "a.pdf")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.8)  # past the imports, inside the command
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        if proc.returncode in (0, 1):
            continue  # it finished first: nothing to interrupt
        assert proc.returncode == 2 and "Traceback" not in err, (proc.returncode, err[-1500:])
        assert err.strip().splitlines()[-1] == "assure: interrupted"


def test_annotate_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    """Regression: `assure annotate f.pdf` on a named pipe blocked in open() forever, deaf to Ctrl-C."""
    fifo = tmp_path / "f.pdf"
    os.mkfifo(fifo)
    one_line_error(run_cli("annotate", str(fifo), "-o", str(tmp_path / "x.pdf"), timeout=30), "FIFO", "not a regular file")


def test_unwritable_output_folder_is_refused_before_any_document_is_read(plan: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: an output in a folder that would not take a file was found only after the whole
    batch had been checked, and its results were lost. Faked where the probe file is created
    (root ignores permission bits)."""
    import tempfile

    import assure.runner

    def read_only(*a: object, **k: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    def never(*a: object, **k: object) -> None:
        raise AssertionError("a document was read before the outputs were known to be writable")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(assure.runner, "check_file", never)
    result = CliRunner().invoke(app, ["check", str(plan), "-o", str(tmp_path / "out" / "r.json"), "--jobs", "1"])
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert "cannot write in" in result.stderr and "Read-only file system" in result.stderr


def test_interrupt_seen_through_c_code_stops_instead_of_calling_the_file_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: Ctrl-C arriving while a reader imported an extension module surfaced as a
    SystemError chained to the KeyboardInterrupt, and the reader's catch-all reported the plan
    as 'could not be read' instead of stopping (seen as a flaky annotate interrupt test)."""
    import assure.extract as extract

    def interrupted_in_c(*a: object, **k: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise SystemError("<built-in function> returned a result with an exception set") from exc

    monkeypatch.setattr(extract, "_read", interrupted_in_c)
    with pytest.raises(KeyboardInterrupt):
        extract.extract(ROOT / "samples" / "strong.pdf")

    def damaged(*a: object, **k: object) -> None:
        raise ValueError("bad xref")

    monkeypatch.setattr(extract, "_read", damaged)
    with pytest.raises(extract.ExtractionError, match="could not be read"):
        extract.extract(ROOT / "samples" / "strong.pdf")
