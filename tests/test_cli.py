"""The command line through Typer's CliRunner: version, help, reports, every exit code, -o."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from assure import __version__
from assure.cli import app

runner = CliRunner()

STRONG = """\
# Riverside joint health and wellbeing strategy

Our vision is that everyone in Riverside lives a long and healthy life with good physical and mental health.

Health inequalities are wide: life expectancy differs by nine years across the borough.

The NHS, public health and adult social care will work together to improve wellbeing.

## Warm homes

We will invest £1.2m in the Warm Homes scheme to insulate 600 homes of people with respiratory conditions by 2026.

## Homelessness

We will expand Housing First to 40 tenancies by 2025, funded through the Rough Sleeping Initiative.
"""

WEAK = """\
# Riverside wellbeing plan

Our vision is for everyone to live longer, healthier lives.

Health and wellbeing matter to us. The NHS and public health teams will promote healthy eating.

Mental health services will be improved. We will reduce smoking and increase physical activity across the borough.
"""

PARKING = """\
# Parking strategy

This strategy sets out charges for on-street parking bays and car parks in the town centre.

Residents' permits will cost 50 pounds a year from April. Pay and display machines will be replaced.
"""


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean folder with three documents; no config file can be discovered from it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "strong.md").write_text(STRONG, encoding="utf-8")
    (tmp_path / "weak.md").write_text(WEAK, encoding="utf-8")
    (tmp_path / "parking.txt").write_text(PARKING, encoding="utf-8")
    return tmp_path


def _run(*args: str):  # noqa: ANN202
    return runner.invoke(app, list(args))


# ------------------------------------------------------------------ version and help
def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"assure {__version__}"


def _command_paths(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:  # noqa: ANN001 - Typer's (vendored) click group
    paths = []
    ctx = group.context_class(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        paths.append((*prefix, name))
        if hasattr(cmd, "list_commands"):
            paths.extend(_command_paths(cmd, (*prefix, name)))
    return paths


ALL_COMMANDS = _command_paths(typer.main.get_command(app))


def test_expected_commands_exist() -> None:
    names = {" ".join(p) for p in ALL_COMMANDS}
    assert {"check", "questions", "extract", "rules", "rules validate", "rules test", "eval"} <= names


@pytest.mark.parametrize("path", [(), *ALL_COMMANDS], ids=lambda p: " ".join(p) or "assure")
def test_help_of_every_command(path: tuple[str, ...]) -> None:
    result = _run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


# ------------------------------------------------------------------ check: text and JSON
def test_check_text_report(work: Path) -> None:
    result = _run("check", "strong.md")
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    assert out.startswith("strong.md (md)")
    for i in range(1, 11):
        assert f"Q{i} " in out
    assert "\x1b[" not in out  # no colour when not a terminal
    assert "Housing First" in out  # a quote is shown


def test_batch_text_report_ends_with_a_tally(work: Path) -> None:
    out = _run("check", "strong.md", "weak.md", "parking.txt").stdout.rstrip().splitlines()[-1]
    assert re.fullmatch(r"3 documents: 1 not applicable, 2 ok; questions: \d+ met(, \d+ partial)?, \d+ gap", out), out


def test_check_json(work: Path) -> None:
    result = _run("check", "strong.md", "parking.txt", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "assure", "version": __version__}
    assert [d["path"] for d in data["documents"]] == ["strong.md", "parking.txt"]  # in the order given
    strong, parking = data["documents"]
    assert strong["status"] == "ok" and [q["id"] for q in strong["questions"]] == [f"Q{i}" for i in range(1, 11)]
    q4 = next(q for q in strong["questions"] if q["id"] == "Q4")
    assert q4["status"] == "met" and q4["evidence"][0]["rule"].startswith("Q04.")
    assert parking["status"] == "not_applicable" and parking["questions"] == []
    again = _run("check", "strong.md", "parking.txt", "--format", "json")
    assert again.stdout == result.stdout  # byte-identical for the same input


# ------------------------------------------------------------------ exit codes
def test_exit_0_nothing_at_fail_level(work: Path) -> None:
    assert _run("check", "parking.txt").exit_code == 0  # not applicable: no question to fail
    assert _run("check", "weak.md", "--fail-on", "never").exit_code == 0


def test_exit_1_findings(work: Path) -> None:
    result = _run("check", "weak.md")
    assert result.exit_code == 1
    assert "gap" in result.stdout


def test_exit_2_missing_file(work: Path) -> None:
    result = _run("check", "nope.pdf")
    assert result.exit_code == 2
    assert "nope.pdf" in result.stderr
    assert "Traceback" not in result.output


def test_exit_2_unreadable_document_in_a_batch(work: Path) -> None:
    (work / "empty.pdf").write_bytes(b"")
    result = _run("check", "weak.md", "empty.pdf", "-f", "json")
    assert result.exit_code == 2
    assert "empty.pdf" in result.stderr and "empty file" in result.stderr
    data = json.loads(result.stdout)  # the batch still reports every file
    assert [d["status"] for d in data["documents"]] == ["ok", "error"]
    assert data["documents"][1]["error"]["code"] == "empty"


def test_exit_2_bad_rules_file(work: Path) -> None:
    (work / "rules.bad.yaml").write_text("version: 1\nrules: [oops\n", encoding="utf-8")
    result = _run("check", "weak.md", "--rules", "rules.bad.yaml")
    assert result.exit_code == 2
    assert "rules.bad.yaml" in result.stderr and "invalid YAML" in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert _run("rules", "validate", "--rules", "rules.bad.yaml").exit_code == 2


def test_exit_2_unknown_format(work: Path) -> None:
    result = _run("check", "weak.md", "--format", "bogus")
    assert result.exit_code == 2
    assert "bogus" in result.output


@pytest.mark.parametrize("args", [["check"], ["check", "weak.md", "--no-such-option"], ["check", "weak.md", "--fail-on", "sometimes"],
                                  ["nonsense-command"]])
def test_exit_2_usage_errors(work: Path, args: list[str]) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["check", "weak.md", "--fail-on", "bogus"], ["check", "weak.md", "--ocr", "bogus"],
                                  ["rules", "list", "--format", "bogus"]])
def test_wrong_choice_is_said_in_plain_words(work: Path, args: list[str]) -> None:
    """Typer's pydantic coercion prefixed a wrong choice with "Value error, "."""
    result = _run(*args)
    assert result.exit_code == 2
    assert "'bogus' is not one of" in result.output and "Value error" not in result.output


def test_rules_validate_and_test_pass() -> None:
    result = _run("rules", "validate")
    assert result.exit_code == 0 and result.stdout.startswith("ok: 10 questions")
    result = _run("rules", "test")
    assert result.exit_code == 0, result.stdout
    assert " 0 failed" in result.stdout


def test_extract_command(work: Path) -> None:
    result = _run("extract", "strong.md")
    assert result.exit_code == 0
    assert "Housing First" in result.stdout
    assert _run("extract", "nope.docx").exit_code == 2


def test_questions_command() -> None:
    result = _run("questions", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [q["id"] for q in data] == [f"Q{i}" for i in range(1, 11)]
    assert all(q["rules"] for q in data)


# ------------------------------------------------------------------ -o writes atomically
def test_output_file_matches_stdout_and_leaves_no_temp(work: Path) -> None:
    stdout = _run("check", "strong.md", "-f", "json").stdout
    result = _run("check", "strong.md", "-f", "json", "-o", "out/report.json")
    assert result.exit_code in (0, 1)
    assert result.stdout == ""
    assert (work / "out" / "report.json").read_text(encoding="utf-8") == stdout
    assert [p.name for p in (work / "out").iterdir()] == ["report.json"]


def test_output_replace_is_atomic(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old report is untouched and no temporary file remains."""
    target = work / "report.json"
    target.write_text("previous report\n", encoding="utf-8")

    def broken_replace(src, dst):  # noqa: ANN001, ANN202
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = _run("check", "strong.md", "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert "report.json" in result.stderr and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".report.json")) == []


def test_output_to_unwritable_place(work: Path) -> None:
    (work / "afile").write_text("x", encoding="utf-8")
    result = _run("check", "strong.md", "-o", "afile/report.txt")
    assert result.exit_code == 2
    assert "afile" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["rules", "validate"], ["rules", "test"], ["questions"], ["check", "weak.md"]])
def test_every_command_reads_the_rules_named_by_the_config_file(work: Path, command: list[str]) -> None:
    """assure.yaml's rules apply to `rules validate`, `rules test` and `questions` as to `check`."""
    (work / "assure.yaml").write_text("rules: missing-rules.yaml\n", encoding="utf-8")
    result = runner.invoke(app, command)
    assert result.exit_code == 2
    assert "missing-rules.yaml" in result.stderr


@pytest.mark.parametrize("command", [["rules", "validate"], ["rules", "test"], ["check", "weak.md"]])
def test_exit_2_invalid_spacy_pattern(work: Path, command: list[str]) -> None:
    """A pattern spaCy refuses is a config error: one line naming the file, exit 2, no traceback."""
    import yaml

    from assure.resources import default_rules_path

    data = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    data["rules"][0]["patterns"] = [[{"LOWERR": "housing"}]]
    (work / "bad-pattern.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, [*command, "--rules", "bad-pattern.yaml"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "bad-pattern.yaml:" in result.stderr and "unknown token attribute 'LOWERR'" in result.stderr


def test_ctrl_c_before_a_command_runs_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    """Ctrl-C while the CLI is still importing or parsing: one line, exit 2, no traceback."""
    import assure.cli
    from assure import _entry

    def interrupted() -> None:
        raise KeyboardInterrupt

    def exit_now(code: int) -> None:  # the real one ends the process at once (os._exit)
        raise SystemExit(code)

    monkeypatch.setattr(assure.cli, "main", interrupted)
    monkeypatch.setattr(_entry, "_hard_exit", exit_now)
    monkeypatch.setattr(_entry.signal, "signal", lambda *a: None)  # leave pytest's own handlers alone
    with pytest.raises(SystemExit) as exit_info:
        _entry.main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "assure: interrupted\n"


def test_a_finished_command_runs_exit_handlers_and_flushes_before_its_fast_exit() -> None:
    """The console entry skips the interpreter's teardown (_entry._leave), but not what a
    normal exit does that a user sees: atexit handlers run, buffered output is written, and
    the exit code is the command's."""
    import subprocess
    import sys

    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.argv = ['assure', 'questions', '--format', 'json']\n"
        "from assure._entry import main\n"
        "main()\n"
        "print('not reached')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("handler ran") and "not reached" not in done.stdout
    assert done.stdout.lstrip().startswith("[") or done.stdout.lstrip().startswith("{")
    bad = subprocess.run(
        [sys.executable, "-c", script.replace("'--format', 'json'", "'--format', 'nonsense'")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "handler ran" in bad.stdout


def test_the_fast_exit_runs_the_exit_handlers_then_ends_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from assure import _entry

    calls: list[object] = []

    def exit_now(code: int) -> None:
        calls.append(("exit", code))
        raise SystemExit(code)

    monkeypatch.setattr(_entry, "_hard_exit", exit_now)
    monkeypatch.setattr(_entry, "atexit", SimpleNamespace(_run_exitfuncs=lambda: calls.append("handlers")))
    monkeypatch.setattr(_entry, "threading", SimpleNamespace(active_count=lambda: 1))  # pytest's own threads aside
    with pytest.raises(SystemExit):
        _entry._leave(None)
    with pytest.raises(SystemExit):
        _entry._leave(1)
    assert calls == ["handlers", ("exit", 0), "handlers", ("exit", 1)]
    with pytest.raises(SystemExit) as exit_info:  # a message, not a code: the normal way
        _entry._leave("assure: something")
    assert exit_info.value.code == "assure: something" and len(calls) == 4


def test_the_fast_exit_is_a_normal_exit_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """An embedding application's threads are never cut short: with another thread alive the
    entry raises SystemExit as usual and the process ends the normal way."""
    import threading

    from assure import _entry

    def fail(code: int) -> None:
        raise AssertionError("hard exit with another thread running")

    monkeypatch.setattr(_entry, "_hard_exit", fail)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with pytest.raises(SystemExit) as exit_info:
            _entry._leave(3)
    finally:
        release.set()
        other.join()
    assert exit_info.value.code == 3


def test_check_runs_outside_the_main_thread(work: Path) -> None:
    """An application embedding the CLI in a worker thread: no signal handler, still a report."""
    import threading

    results = []
    thread = threading.Thread(target=lambda: results.append(_run("check", "strong.md", "-f", "json")))
    thread.start()
    thread.join(120)
    assert results and results[0].exit_code in (0, 1), results and results[0].output
    assert json.loads(results[0].stdout)["documents"][0]["path"] == "strong.md"
