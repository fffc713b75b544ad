"""Batch runs: identical output for any --jobs and for Dask, isolation of bad files,
Ctrl-C, and the audit outputs (matrix and heatmap)."""

from __future__ import annotations

import csv
import faulthandler
import io
import json
import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assure.batch as batch_mod
from assure.batch import BatchOptions, run_batch, write_audit_outputs
from assure.cli import app
from assure.models import DocStatus
from assure.report.json import render as render_json
from assure.report.matrix import render_csv, render_markdown
from assure.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p) for p in (ROOT / "samples").iterdir() if p.suffix in (".pdf", ".docx"))
needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs the fork start method")

PLAN = ("# Health and wellbeing strategy {n}\n\nThe council will fund a warm homes service to reduce fuel poverty, "
        "led by the housing team, with a target of {n}00 homes a year.\n\nOlder people in cold homes are at risk.\n\n"
        "Poor health and wellbeing follow damp homes. Public health teams see more illness in winter. "
        "Mental health services and social care support people at home. Life expectancy is lower in deprived wards.\n")



def plans(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"plan{i:02d}.md"
        p.write_text(PLAN.format(n=i + 1), encoding="utf-8")
        out.append(str(p))
    return out


# ------------------------------------------------------------------ identical results
def test_same_bytes_for_any_jobs_value_and_input_order(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    files = SAMPLES + plans(tmp_path, 4) + [str(tmp_path / "missing.pdf")]
    outputs = {jobs: render_json(run_batch(files, ruleset, batch=BatchOptions(jobs=jobs)).report) for jobs in (1, 2, 3)}
    assert outputs[1] == outputs[2] == outputs[3]
    docs = json.loads(outputs[2])["documents"]
    assert [d["path"] for d in docs] == files
    assert docs[-1]["error"]["code"] == "not_found"
    assert sum(d["status"] != "error" for d in docs) == len(files) - 1


def test_progress_bar_does_not_change_results(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    files = plans(tmp_path, 3)
    plain = run_batch(files, ruleset, batch=BatchOptions(jobs=2))
    shown = run_batch(files, ruleset, batch=BatchOptions(jobs=2, progress=True))
    assert render_json(plain.report) == render_json(shown.report)
    assert shown.pages == 0 and plain.checked == 3


def test_dask_local_cluster_gives_identical_output(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    pytest.importorskip("distributed", reason="the Dask executor needs the optional extra assure[dask]")
    files = SAMPLES[:3] + plans(tmp_path, 3) + [str(tmp_path / "missing.pdf")]
    local = run_batch(files, ruleset, batch=BatchOptions(jobs=1))
    dask = run_batch(files, ruleset, batch=BatchOptions(jobs=2, executor="dask"))
    assert render_json(dask.report) == render_json(local.report)
    assert [d.path for d in dask.report.documents] == files


def test_dask_workers_run_without_the_statistical_profiler(tmp_path: Path, ruleset, monkeypatch) -> None:  # noqa: ANN001
    """Each worker's profiler sampled the checking thread every 10 ms for a dashboard assure never
    starts (about 6% of a 200-file Dask batch's CPU): the LocalCluster's workers start without it."""
    pytest.importorskip("distributed", reason="the Dask executor needs the optional extra assure[dask]")
    import dask
    import distributed

    seen: list[object] = []
    real = distributed.LocalCluster

    def cluster(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(dask.config.get("distributed.worker.profile.enabled"))
        return real(*args, **kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", cluster)
    files = plans(tmp_path, 2)
    out = run_batch(files, ruleset, batch=BatchOptions(jobs=2, executor="dask"))
    assert seen == [False] and out.checked == 2
    assert dask.config.get("distributed.worker.profile.enabled") is True  # the caller's own config is left alone


def test_dask_a_hanging_file_times_out_alone_with_groups_queued(tmp_path: Path, ruleset, monkeypatch) -> None:  # noqa: ANN001
    """Two groups wait on each Dask worker (DASK_QUEUED), so a group may start only when the one
    before it ends: a file that hangs still becomes the one ``timeout`` entry, and the files
    queued with or behind it are checked."""
    pytest.importorskip("distributed", reason="the Dask executor needs the optional extra assure[dask]")
    if "fork" not in mp.get_all_start_methods():
        pytest.skip("the hang is planted in this process and reaches the workers by fork")
    files = plans(tmp_path, 7)
    hang = files[3]
    real = batch_mod._check_sealed

    def slow(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if path == hang:
            time.sleep(60)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch_mod, "_check_sealed", slow)
    started = time.monotonic()
    out = run_batch(files, ruleset, batch=BatchOptions(jobs=2, executor="dask", timeout=2))
    assert time.monotonic() - started < 45
    codes = {d.path: d.error["code"] if d.error else None for d in out.report.documents}
    assert codes[hang] == "timeout"
    assert [p for p, c in codes.items() if c is not None] == [hang]


# ------------------------------------------------------------------ read-ahead
@needs_fork
def test_read_ahead_documents_give_the_same_results(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    """Documents extracted during start-up are used by the workers and change nothing."""
    from assure.runner import CheckOptions, check_file

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really\n")
    files = SAMPLES + plans(tmp_path, 2) + [str(tmp_path / "missing.pdf"), str(tmp_path / "broken.pdf")]
    todo = list(enumerate(files))
    ctx = batch_mod._mp_context()
    read_ahead = batch_mod.ReadAhead(ctx, files, CheckOptions(), None)
    try:
        read_ahead.proc.join(120)  # let it read everything, rather than stopping it early
        extracted = read_ahead.finish()
        # every readable file was read ahead; the bad ones are left for a worker to report
        assert sorted(extracted) == list(range(len(files) - 2))
        results: dict[int, object] = {}
        batch_mod._run_workers(ctx, todo, extracted, ruleset, CheckOptions(), BatchOptions(jobs=2),
                               lambda i, r, *_: results.__setitem__(i, r), batch_mod._Progress(0, False))
        assert not any(os.path.exists(p) for p in extracted.values())  # the workers took them
    finally:
        read_ahead.cleanup()
    assert not os.path.exists(read_ahead.folder)
    got = [results[i] for i in range(len(files))]
    assert got == [check_file(f, ruleset) for f in files]
    assert [d.error["code"] for d in got[-2:]] == ["not_found", "corrupt"]


@needs_fork
def test_a_dask_local_cluster_takes_the_read_ahead_documents(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    """The Dask workers of a LocalCluster take what the read-ahead extracted while the rules
    loaded and the cluster started; output identical, and every document file consumed."""
    pytest.importorskip("distributed", reason="the Dask executor needs the optional extra assure[dask]")
    from assure.runner import CheckOptions

    files = SAMPLES[:3] + plans(tmp_path, 2) + [str(tmp_path / "missing.pdf")]
    assert batch_mod.ReadAhead.start(files, CheckOptions(), BatchOptions(jobs=2, scheduler="tcp://127.0.0.1:1")) is None
    read_ahead = batch_mod.ReadAhead.start(files, CheckOptions(), BatchOptions(jobs=2, executor="dask"))
    assert read_ahead is not None
    read_ahead.proc.join(120)  # everything read ahead, so every task is given a document
    with read_ahead:
        extracted = dict(read_ahead.finish())
        assert sorted(extracted) == list(range(len(files) - 1))
        dask = run_batch(files, ruleset, batch=BatchOptions(jobs=2, executor="dask"), read_ahead=read_ahead)
        assert not any(os.path.exists(p) for p in extracted.values())  # the workers took them
    local = run_batch(files, ruleset, batch=BatchOptions(jobs=1))
    assert render_json(dask.report) == render_json(local.report)


def test_check_reads_ahead_without_changing_output_or_leaving_files(tmp_path: Path, monkeypatch) -> None:
    """Through the CLI in a fresh process (rules not yet compiled), -j 2 reads ahead while
    spaCy loads; its report is byte-identical to -j 1 and its temporary folder is removed."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    outs = {}
    for jobs in ("1", "2"):
        proc = subprocess.run([sys.executable, "-m", "assure", "check", *SAMPLES, "-j", jobs, "-f", "json"],
                              capture_output=True, env=env, cwd=tmp_path, timeout=120)
        assert proc.returncode == 1, proc.stderr
        outs[jobs] = proc.stdout
    assert outs["1"] == outs["2"]
    assert list((tmp_path / "tmp").iterdir()) == []
    # the read-ahead starts before the rules load: a bad rules file still exits 2 and cleans up
    proc = subprocess.run([sys.executable, "-m", "assure", "check", *SAMPLES, "-j", "2", "--rules", "missing.yaml"],
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and b"missing.yaml" in proc.stderr and b"Traceback" not in proc.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


@needs_fork
def test_bad_pattern_stops_the_read_ahead_and_removes_its_folder(tmp_path: Path, monkeypatch) -> None:
    import tempfile
    from dataclasses import replace

    from assure.errors import ConfigError
    from assure.resources import default_rules_path
    from assure.ruleset import Matchers

    good = load_ruleset(default_rules_path())  # load_ruleset refuses a bad pattern: the compiler is the backstop
    first = replace(good.rules[0], matchers=Matchers(patterns=(({"LOWERR": "housing"},),)))
    bad_rules = replace(good, rules=(first, *good.rules[1:]), fingerprint="bad-pattern")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(ConfigError, match="invalid spaCy pattern"):
        run_batch(plans(tmp_path / "docs", 3), bad_rules, batch=BatchOptions(jobs=2))
    assert list(scratch.iterdir()) == []


# ------------------------------------------------------------------ isolation
def _fake_check(real):  # noqa: ANN001, ANN202
    """A check that misbehaves on files named for it; forked workers inherit the patch."""
    def check(path, ruleset, options=None, document=None):  # noqa: ANN001, ANN202
        name = os.path.basename(path)
        if name.startswith("hang"):
            time.sleep(120)
        if name.startswith("segv"):
            faulthandler.disable()  # pytest's dump of the deliberate crash would look like a real one
            os.kill(os.getpid(), signal.SIGSEGV)
        if name.startswith("oomkill"):
            os.kill(os.getpid(), signal.SIGKILL)
        if name.startswith("hog"):
            blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB: past the bound
            return blocks  # pragma: no cover - never reached
        return real(path, ruleset, options, document)
    return check


@needs_fork
def test_hang_and_crashes_become_error_entries_and_the_rest_is_kept(tmp_path: Path, ruleset, monkeypatch) -> None:  # noqa: ANN001
    good = plans(tmp_path, 4)
    bad = []
    for name in ("hang.md", "segv.md", "oomkill.md", "hog.md"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
        bad.append(str(tmp_path / name))
    files = [good[0], bad[0], good[1], bad[1], good[2], bad[2], bad[3], good[3]]
    monkeypatch.setattr(batch_mod, "check_file", _fake_check(batch_mod.check_file))
    start = time.monotonic()
    out = run_batch(files, ruleset, batch=BatchOptions(jobs=1, timeout=2, max_memory_mb=256))
    assert time.monotonic() - start < 60
    by_path = {d.path: d for d in out.report.documents}
    assert [d.path for d in out.report.documents] == files
    assert by_path[bad[0]].error["code"] == "timeout" and "--timeout" in by_path[bad[0]].error["message"]
    assert by_path[bad[1]].error["code"] == "crashed" and "SIGSEGV" in by_path[bad[1]].error["message"]
    assert by_path[bad[2]].error["code"] == "memory"
    assert by_path[bad[3]].error["code"] == "memory"
    # jobs=1: every good file after a bad one needed a replacement worker
    assert all(by_path[g].status is not DocStatus.ERROR for g in good)


@needs_fork
def test_workers_that_cannot_start_give_error_entries_not_a_hang(tmp_path: Path, ruleset, monkeypatch) -> None:  # noqa: ANN001
    files = plans(tmp_path, 3)
    monkeypatch.setattr(batch_mod, "_limit_memory", lambda mb: os._exit(3))
    out = run_batch(files, ruleset, batch=BatchOptions(jobs=2, timeout=30))
    assert [d.path for d in out.report.documents] == files
    assert {d.error["code"] for d in out.report.documents} == {"crashed"}


def test_real_document_over_the_memory_bound_is_a_memory_entry(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    pytest.importorskip("resource")
    big = tmp_path / "huge.txt"
    line = b"The council will improve housing and health for residents across the borough.\n"
    with open(big, "wb") as fh:
        fh.write(line * (120 * 1024 * 1024 // len(line)))
    files = [plans(tmp_path / "a", 1)[0], str(big), plans(tmp_path / "b", 1)[0]]
    out = run_batch(files, ruleset, batch=BatchOptions(jobs=1, max_memory_mb=64))
    codes = [d.error["code"] if d.error else "checked" for d in out.report.documents]
    assert codes == ["checked", "memory", "checked"]


# The CLI with a check that hangs on files named hang.md; its last argument is a marker it drops
# ("SLOW_START" also makes loading the rules hang, for an interrupt during start-up).
HANG_SCRIPT = ("import sys, time, assure.batch as b, assure.cli as c\n"
               "real = b.check_file\n"
               "def check(p, r, o=None, d=None):\n"
               "    if p.endswith('hang.md'):\n"
               "        time.sleep(120)\n"
               "    result = real(p, r, o, d)\n"
               "    open(p + '.done', 'w').close()\n"  # the test waits for these, not for a fixed time
               "    return result\n"
               "b.check_file = check\n"
               "if 'SLOW_START' in sys.argv[-1]:\n"
               "    def slow(*a, **k):\n"
               "        time.sleep(120)\n"
               "    c.load_rules = slow\n"
               "sys.argv = ['assure'] + sys.argv[1:-1]\n"
               "c.app()\n")


@needs_fork
def test_ctrl_c_writes_what_finished(tmp_path: Path) -> None:
    good = plans(tmp_path, 2)
    (tmp_path / "hang.md").write_text("x\n", encoding="utf-8")
    out = tmp_path / "report.json"
    matrix = tmp_path / "m.csv"
    args = [sys.executable, "-c", HANG_SCRIPT, "check", good[0], str(tmp_path / "hang.md"), good[1], "-j", "2",
            "--timeout", "0", "-f", "json", "-o", str(out), "--matrix", str(matrix), "-"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=tmp_path)
    _wait_until_checked(good)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    assert "interrupted" in err.decode()
    docs = json.loads(out.read_text())["documents"]
    assert [d["status"] == "error" for d in docs] == [False, True, False]
    assert docs[1]["error"]["code"] == "interrupted"
    assert "error:interrupted" in matrix.read_text()


# ------------------------------------------------------------------ CLI
def test_cli_folder_audit_writes_matrix_and_heatmap(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    plans(docs, 3)
    (docs / "zcopy.md").write_text(PLAN.format(n=1), encoding="utf-8")  # duplicate of plan00.md
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    r = CliRunner().invoke(app, ["check", str(docs), "-j", "2", "-f", "json", "-o", str(tmp_path / "r.json"),
                                 "--matrix", str(tmp_path / "m.md"), "--heatmap", str(tmp_path / "h.html"),
                                 "--cache", str(tmp_path / "cache")])
    assert r.exit_code == 2, r.output
    assert "zcopy.md: same content as" in r.output
    assert "\u2501" not in r.output and "docs" not in r.output.split("same content")[0].replace(str(docs), "")
    data = json.loads((tmp_path / "r.json").read_text())
    # issue 13: the duplicate is kept in machine output, right after its original, marked duplicate_of
    names = [Path(d["path"]).name for d in data["documents"]]
    assert names == ["broken.pdf", "plan00.md", "zcopy.md", "plan01.md", "plan02.md"]
    copy, original = data["documents"][2], data["documents"][1]
    assert copy["duplicate_of"] == original["path"] and "duplicate_of" not in original
    assert copy["questions"] == original["questions"]
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "assure" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    md = (tmp_path / "m.md").read_text()
    assert md.splitlines()[0].startswith("| document | format | pages | status | score | Q1 |")
    assert "error:" in md and "zcopy.md" in md
    html = (tmp_path / "h.html").read_text()
    assert "zcopy.md" in html
    again = CliRunner().invoke(app, ["check", str(docs), "-j", "1", "-f", "json", "-o", str(tmp_path / "r2.json")])
    assert again.exit_code == r.exit_code
    assert (tmp_path / "r2.json").read_text() == (tmp_path / "r.json").read_text()


def test_cli_rejects_bad_matrix_name_and_executor(tmp_path: Path) -> None:
    p = plans(tmp_path, 1)[0]
    r = CliRunner().invoke(app, ["check", p, "--matrix", str(tmp_path / "m.xlsx")])
    assert r.exit_code == 2 and "must end in .csv or .md" in r.output
    r = CliRunner().invoke(app, ["check", p, "--executor", "spark"])
    assert r.exit_code == 2 and "--executor" in r.output
    assert not (tmp_path / "m.xlsx").exists()


def test_cli_include_exclude(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    plans(docs / "keep", 2)
    plans(docs / "drafts", 1)
    (docs / "drafts" / "plan00.md").write_text("different draft text about housing\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(docs), "--exclude", "drafts/", "-f", "json", "-j", "1"])
    paths = [d["path"] for d in json.loads(r.stdout)["documents"]]
    assert [Path(p).parent.name for p in paths] == ["keep", "keep"]


# ------------------------------------------------------------------ matrix and heatmap
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a or (tag == "link"):
            self.srcs.append(a.get("src") or a.get("href"))


@pytest.fixture(scope="module")
def audit(ruleset, tmp_path_factory):  # noqa: ANN001, ANN201
    tmp = tmp_path_factory.mktemp("audit")
    (tmp / "unrelated.md").write_text("# Car parking charges\n\nThe car park on the high street opens at 8am.\n", encoding="utf-8")
    files = SAMPLES[:2] + [str(tmp / "unrelated.md"), str(tmp / "missing.pdf")]
    return run_batch(files, ruleset, batch=BatchOptions(jobs=2)).report


def test_matrix_csv_and_markdown(audit) -> None:  # noqa: ANN001
    rows = list(csv.reader(io.StringIO(render_csv(audit))))
    qids = [q.id for q in audit.documents[0].questions]
    assert rows[0] == ["document", "format", "pages", "status", "score", *qids]
    assert len(rows) == 1 + len(audit.documents)
    for row, doc in zip(rows[1:], audit.documents, strict=False):
        assert row[0] == doc.path
        if doc.status is DocStatus.OK:
            assert row[5:] == [q.status.value for q in doc.questions]
    assert rows[3][5:] == ["not_applicable"] * len(qids)
    assert rows[4][5:] == ["error:not_found"] * len(qids)
    md = render_markdown(audit).splitlines()
    assert len([row for row in md if row.startswith("| ")]) == 2 + len(audit.documents)
    assert md[1].count("---") == 5 + len(qids)


def test_heatmap_is_self_contained_and_every_cell_links_to_its_evidence(audit, tmp_path: Path) -> None:  # noqa: ANN001
    write_audit_outputs(audit, heatmap=tmp_path / "h.html", matrix=tmp_path / "m.csv")
    html = (tmp_path / "h.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    assert parser.srcs == []  # no external scripts, styles or images
    assert not re.search(r"https?://", html)
    anchors = [h for h in parser.hrefs if h.startswith("#")]
    qids = [q.id for q in audit.documents[0].questions]
    assert len(anchors) == len(audit.documents) * (1 + len(qids))
    missing = [h for h in anchors if h[1:] not in parser.ids]
    assert missing == []
    assert "<script>" in html and "addEventListener('click'" in html  # sortable columns
    first_quote = next(q.evidence[0].quote for q in audit.documents[0].questions if q.evidence)
    from html import escape
    assert escape(first_quote) in html
    write_audit_outputs(audit, heatmap=tmp_path / "h2.html")
    assert (tmp_path / "h2.html").read_bytes() == (tmp_path / "h.html").read_bytes()


@needs_fork
def test_no_temporary_folder_means_no_read_ahead_not_a_crash(tmp_path: Path, ruleset, monkeypatch) -> None:  # noqa: ANN001
    import tempfile

    from assure.runner import CheckOptions

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))  # mkdtemp raises FileNotFoundError
    assert batch_mod.ReadAhead.start(plans(tmp_path, 2), CheckOptions(), BatchOptions(jobs=2)) is None


@needs_fork
def test_read_ahead_stops_quietly_when_it_cannot_write(tmp_path: Path, capfd) -> None:  # noqa: ANN001
    from assure.runner import CheckOptions

    files = plans(tmp_path, 2)
    folder = tmp_path / "gone"  # never created: every write fails
    proc = mp.get_context("fork").Process(target=batch_mod._read_ahead_main,
                                          args=(str(folder), list(enumerate(files)), CheckOptions(), None))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0
    assert "Traceback" not in capfd.readouterr().err


def _wait_until_checked(plans: list[str]) -> None:
    """Wait (at most a minute) until the workers have checked ``plans``, then a moment for the parent to
    take their results: a fixed sleep was too short on a loaded machine, and the signal came first."""
    deadline = time.monotonic() + 60
    while not all(Path(p + ".done").exists() for p in plans) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)


def _processes_mentioning(marker: str) -> list[int]:
    """PIDs whose command line contains ``marker`` (forked workers share their parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found




@needs_fork
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
@pytest.mark.parametrize("when", ["during the batch", "while starting"])
def test_sigterm_writes_what_finished_and_leaves_nothing_behind(tmp_path: Path, when: str) -> None:
    good = plans(tmp_path, 2)
    (tmp_path / "hang.md").write_text("x\n", encoding="utf-8")
    out = tmp_path / "report.json"
    out.write_text("an earlier run's report\n", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    args = [sys.executable, "-c", HANG_SCRIPT, "check", good[0], str(tmp_path / "hang.md"), good[1], "-j", "2",
            "--timeout", "0", "-f", "json", "-o", str(out), "SLOW_START" if when == "while starting" else "-"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                            env={**os.environ, "TMPDIR": str(scratch)})
    if when == "during the batch":
        _wait_until_checked(good)
    else:
        time.sleep(6)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)  # the parent only, as `timeout` or `kill` would
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    assert b"interrupted" in err and b"Traceback" not in err
    if when == "during the batch":
        codes = [(d["error"] or {}).get("code") for d in json.loads(out.read_text())["documents"]]
        assert codes == [None, "interrupted", None]
    else:  # nothing finished: a report listing nothing must not replace the earlier one
        assert out.read_text(encoding="utf-8") == "an earlier run's report\n"
        assert b"left as it was" in err
    time.sleep(1)
    assert _processes_mentioning(str(tmp_path)) == []
    assert list(scratch.iterdir()) == []


@needs_fork
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    good = plans(tmp_path, 2)
    (tmp_path / "hang.md").write_text("x\n", encoding="utf-8")
    args = [sys.executable, "-c", HANG_SCRIPT, "check", good[0], str(tmp_path / "hang.md"), good[1], "-j", "2",
            "--timeout", "0", "-f", "json", "-"]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path, env=env)
    time.sleep(6)
    assert len(_processes_mentioning(str(tmp_path))) >= 2  # the parent and its workers
    proc.kill()  # SIGKILL: no handler runs in the parent
    proc.wait(30)
    deadline = time.monotonic() + 10
    while _processes_mentioning(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_mentioning(str(tmp_path)) == []
    # the killed run could not remove its read-ahead folder; the next run does
    assert [p.name.startswith("assure-readahead-") for p in scratch.iterdir()] == [True]
    subprocess.run([sys.executable, "-m", "assure", "check", good[0], "-j", "2", "-f", "json"], capture_output=True,
                   cwd=tmp_path, env=env, timeout=120, check=False)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not-an-address::x"])
def test_unreachable_dask_scheduler_is_one_line_exit_2(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI reads exit 1 as findings: a scheduler that cannot be reached is a usage error, one line, no traceback."""
    pytest.importorskip("distributed", reason="the Dask executor needs the optional extra")
    from typer.testing import CliRunner

    import assure.batch
    from assure.cli import app

    monkeypatch.setattr(assure.batch, "SCHEDULER_TIMEOUT", "2s")
    result = CliRunner().invoke(app, ["check", "samples/weak.pdf", "--scheduler", address])
    assert result.exit_code == 2, (result.exception, result.output)
    assert result.stdout == ""
    assert result.stderr.startswith(f"assure: --scheduler {address}: cannot connect to the Dask scheduler (")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_error_lines_print_above_the_live_progress_bar(tmp_path: Path) -> None:
    """On a terminal, an unreadable file's line is printed on a cleared line above the bar,
    not glued to the end of the bar (regression: it was written straight to stderr)."""
    import os
    import shutil
    import sys

    pty = pytest.importorskip("pty")
    samples = Path(__file__).resolve().parents[1] / "samples"
    for i in range(3):
        (tmp_path / f"p{i}.pdf").write_bytes((samples / "weak.pdf").read_bytes() + str(i).encode())
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    exe = Path(sys.executable).with_name("assure")
    if not exe.exists() and not shutil.which("assure"):
        pytest.skip("the assure executable is not installed")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(tmp_path)
        os.environ.update(COLUMNS="100", NO_COLOR="1")
        os.execv(str(exe), [str(exe), "check", ".", "-f", "concise", "-j", "1"])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert "checking" in text, text[:300]  # the bar was shown: stderr is the terminal
    import re

    match = re.search(r"assure: \S*bad\.pdf: ", text)
    assert match, text[-500:]
    at = match.start()
    assert text[:at].endswith(("\x1b[2K", "\n")), repr(text[at - 80:at + 40])


def test_dask_groups_keep_order_cover_every_file_and_leave_tasks_for_every_worker() -> None:
    from assure.batch import DASK_GROUP_MAX, _dask_groups

    todo = [(i, f"f{i}.pdf") for i in range(200)]
    groups = list(_dask_groups(todo, slots=2))
    assert [item for g in groups for item in g] == todo
    assert max(len(g) for g in groups) <= DASK_GROUP_MAX
    assert len(groups) >= 16  # the last ones spread over both workers
    assert [len(g) for g in _dask_groups(todo[:5], slots=2)] == [1, 1, 1, 1, 1]  # a small batch: one file per task
    sizes = [len(g) for g in groups]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == DASK_GROUP_MAX  # shrinking as the end nears
    assert sizes[-8:] == [1] * 8  # the last four tasks per slot are one file each


def test_a_cache_that_cannot_be_written_is_said_once_and_the_run_goes_on(tmp_path: Path) -> None:
    """Regression: --cache into a read-only folder wrote nothing and said nothing, even with
    --verbose; a user believed the next run would be fast."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(ROOT / "samples" / "weak.docx"), str(ROOT / "samples" / "mixed.docx"),
                                      "--cache", str(blocker / "cache"), "-f", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if "cannot write the cache" in ln]
    assert len(lines) == 1 and str(blocker / "cache") in lines[0]
    assert len(json.loads(result.stdout)["documents"]) == 2


def test_an_interrupted_batch_lists_the_files_not_checked_one_line_each() -> None:
    """After Ctrl-C a text report gave each unchecked file three lines ("error [interrupted]: not
    checked: ..."): 76 near-identical entries (a new-user trial). They are now one list."""
    from assure.models import Report
    from assure.report.text import render
    from assure.runner import error_result

    unchecked = [error_result(f"plans/{n}.pdf", "interrupted", "not checked: the run was interrupted") for n in "abc"]
    broken = error_result("plans/broken.pdf", "corrupt", "not a readable PDF")
    text = render(Report(documents=(broken, *unchecked), tool_version="0"))
    assert "error [corrupt]: not a readable PDF" in text  # other errors are reported as before
    assert "error [interrupted]" not in text
    assert "not checked, the run was interrupted: 3 documents\n  plans/a.pdf\n  plans/b.pdf\n  plans/c.pdf\n" in text
    one = render(Report(documents=(unchecked[0],), tool_version="0"))
    assert "error [interrupted]" in one  # a single one reads as before


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_an_interrupt_before_anything_finished_says_the_report_was_not_written(tmp_path: Path) -> None:
    """With no earlier report it said "report.json left as it was" of a file that never existed
    (a new-user trial): it now says the report was not written."""
    good = plans(tmp_path, 1)
    out = tmp_path / "report.json"
    args = [sys.executable, "-c", HANG_SCRIPT, "check", good[0], "-f", "json", "-o", str(out), "SLOW_START"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    time.sleep(4)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    assert f"{out} not written".encode() in err and not out.exists()
