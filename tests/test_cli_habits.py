"""Habits from ruff, Vale and friends: `check -` with --stdin-filename, --color
auto|always|never (NO_COLOR respected), --quiet and --verbose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ESC = "\x1b["


def invoke(args: list[str], env: dict[str, str] | None = None, input: bytes | None = None):
    base = {"NO_COLOR": None, "FORCE_COLOR": None, "ASSURE_CONFIG": None}
    return CliRunner().invoke(app, args, env={**base, **(env or {})}, input=input)


def test_check_stdin_named_by_stdin_filename() -> None:
    data = (SAMPLES / "weak.docx").read_bytes()
    result = invoke(["check", "-", "--stdin-filename", "drafts/weak.docx", "-f", "json"], input=data)
    assert result.exit_code == 1, result.stderr
    [doc] = json.loads(result.stdout)["documents"]
    assert doc["path"] == "drafts/weak.docx" and doc["format"] == "docx"
    direct = json.loads(invoke(["check", str(SAMPLES / "weak.docx"), "-f", "json"]).stdout)["documents"][0]
    assert [q["status"] for q in doc["questions"]] == [q["status"] for q in direct["questions"]]


def test_check_stdin_without_a_name_is_dash_and_sniffs_pdf() -> None:
    result = invoke(["check", "-", "-f", "json"], input=(SAMPLES / "mixed.pdf").read_bytes())
    [doc] = json.loads(result.stdout)["documents"]
    assert (doc["path"], doc["format"]) == ("-", "pdf")


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["samples/weak.pdf", "--stdin-filename", "a.md"], b"x", "--stdin-filename needs '-'"),
    (["-", "-"], b"x", "only once"),
    (["-"], b"", "-: standard input is empty"),
    # named by --stdin-filename, as the report would name it (new-user run, 2026-12-08)
    (["-", "--stdin-filename", "notes.md"], b"", "notes.md: standard input is empty"),
])
def test_stdin_misuse_is_one_line_exit_2(args: list[str], stdin: bytes, message: str) -> None:
    result = invoke(["check", *args], input=stdin)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_color_modes_and_no_color() -> None:
    pdf = str(SAMPLES / "weak.pdf")
    assert ESC in invoke(["check", pdf, "--color", "always"], env={"NO_COLOR": "1"}).stdout  # an explicit flag wins
    assert ESC not in invoke(["check", pdf, "--color", "never"], env={"FORCE_COLOR": "1"}).stdout
    assert ESC not in invoke(["check", pdf], env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout  # auto: NO_COLOR first
    assert ESC in invoke(["check", pdf], env={"FORCE_COLOR": "1"}).stdout
    assert ESC not in invoke(["check", pdf]).stdout  # auto, not a terminal
    assert ESC not in invoke(["check", pdf, "--color", "always", "-f", "json"]).stdout  # machine formats never


def test_quiet_drops_notes_verbose_adds_them(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "weak.pdf", tmp_path / "a.pdf")
    shutil.copy(SAMPLES / "weak.pdf", tmp_path / "b.pdf")  # a duplicate: a note on stderr
    normal = invoke(["check", str(tmp_path)])
    assert "same content as" in normal.stderr
    quiet = invoke(["check", str(tmp_path), "--quiet"])
    assert quiet.stderr == "" and quiet.stdout == normal.stdout and quiet.exit_code == normal.exit_code
    verbose = invoke(["check", str(tmp_path), "--verbose"])
    assert "assure: config built-in defaults" in verbose.stderr and f"assure: checked {tmp_path / 'a.pdf'}" in verbose.stderr
    assert "from the cache" not in verbose.stderr
    both = invoke(["check", str(tmp_path), "--quiet", "--verbose"])
    assert both.exit_code == 2 and "cannot be used together" in both.stderr


def test_verbose_says_which_results_came_from_the_cache(tmp_path: Path) -> None:
    """A cached run said "checked" for every document, as though each had been read again."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLES / "weak.docx", folder / "a.docx")
    args = ["check", str(folder), "--cache", str(tmp_path / "cache"), "--verbose"]
    first, second = invoke(args), invoke(args)
    line = f"assure: checked {folder / 'a.docx'}"
    assert line in first.stderr and "from the cache" not in first.stderr
    assert f"{line} (from the cache)" in second.stderr
    assert first.stdout == second.stdout


def _commands(group, prefix=()):  # noqa: ANN001, ANN202
    import typer.main

    click_group = typer.main.get_command(app) if group is None else group
    for name, command in getattr(click_group, "commands", {}).items():
        yield (*prefix, name)
        yield from _commands(command, (*prefix, name)) if hasattr(command, "commands") else ()


HELP_COMMANDS = [list(c) for c in _commands(None)]


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=[" ".join(c) for c in HELP_COMMANDS])
def test_help_uses_plain_placeholders(command: list[str]) -> None:
    """Issue 13: no Python types (`<list[Path]>`), no braces in usage, no angle brackets."""
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    import re

    assert "list[" not in result.stdout and "Path]" not in result.stdout, result.stdout
    assert not re.search(r"<[a-z][a-z|\[\]]*>", result.stdout), result.stdout  # <file>, <text|json>
    assert "{" not in result.stdout.splitlines()[0], result.stdout  # usage: PATH..., not {PATH}...


def test_short_q_is_quiet_and_question_has_no_near_clash() -> None:
    """`-q` means quiet, as in ruff and pip; `--question` is one letter from `--questions`, so it has no short form."""
    import typer.main

    check = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    opts = {p.name: p.opts for p in check.params}
    assert "-q" in opts["quiet"] and opts["only"] == ["--question"]
    shorts = [o for names in opts.values() for o in names if len(o) == 2]
    assert len(shorts) == len(set(shorts))


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "junit", "markdown", "csv", "html", "explain"])
def test_not_applicable_says_why_with_the_count_in_every_format(fmt: str, tmp_path: Path) -> None:
    """Issue 13: a short draft with too few health sentences is not silently 'not applicable'."""
    draft = tmp_path / "draft.md"
    draft.write_text("# Car parking\n\nThe car park on the high street opens at 8am. Our GP surgery has a car park.\n", "utf-8")
    result = CliRunner().invoke(app, ["check", str(draft), "-f", fmt], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "no link to health, care or wellbeing" in out, out
    assert "1 sentence about health, care or wellbeing, 2 needed" in out or fmt == "json", out
    if fmt == "json":
        entry = json.loads(result.stdout)["documents"][0]
        assert entry["not_applicable"]["health_sentences"] == 1 and entry["not_applicable"]["needed"] == 2


def test_output_onto_an_input_names_the_option_given(tmp_path: Path) -> None:
    """Regression (new-user trial): `-o plan.md` onto the input was blamed on `--format text`."""
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\nCold homes harm health.\n", encoding="utf-8")
    result = invoke(["check", str(plan), "-o", str(plan)])
    assert result.exit_code == 2
    assert "-o/--output: refusing to write over an input" in result.stderr
    assert plan.read_text(encoding="utf-8") == "# Plan\n\nCold homes harm health.\n"
    result = invoke(["check", str(plan), "-f", f"json:{plan}"])
    assert result.exit_code == 2 and "--format json: refusing to write over an input" in result.stderr


def test_a_report_written_into_the_folder_checked_is_not_read_on_the_next_run(tmp_path: Path) -> None:
    """Regression (new-user trial): `assure check d -o d/report.md` read report.md as a plan on
    the second run, then refused to write over it (exit 2)."""
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SAMPLES / "weak.pdf", folder / "w.pdf")
    for _ in range(2):
        result = invoke(["check", str(folder), "-f", "markdown", "-o", str(folder / "report.md")])
        assert result.exit_code == 1, result.stderr
        assert "1 document(s)" in (folder / "report.md").read_text(encoding="utf-8")
    named = invoke(["check", str(folder / "report.md"), str(folder / "w.pdf"), "-o", str(folder / "report.md")])
    assert named.exit_code == 2 and "refusing to write over an input" in named.stderr  # named on purpose: still an input


def test_check_stdin_error_line_names_the_given_name() -> None:
    """Regression: an unreadable document on standard input was named on stderr by its
    temporary copy (/tmp/assure-stdin-.../stdin.pdf), not as the report names it."""
    result = invoke(["check", "-", "--stdin-filename", "drafts/x.pdf"], input=b"plain text, no PDF")
    assert result.exit_code == 2
    assert result.stderr.startswith("assure: drafts/x.pdf: "), result.stderr
    assert "stdin" not in result.stderr and "/tmp" not in result.stderr
    unnamed = invoke(["check", "-", "-q"], input=b"%PDF-1.4 not really")
    assert unnamed.stderr.startswith("assure: -: "), unnamed.stderr


def test_output_naming_a_document_in_the_folder_checked_is_refused(tmp_path: Path) -> None:
    """Regression: `check folder -o folder/weak.pdf` left weak.pdf out of the run as an earlier
    report and wrote the JSON report over the PDF, exit 1 and nothing said."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLES / "weak.pdf", folder / "weak.pdf")
    shutil.copy(SAMPLES / "mixed.pdf", folder / "mixed.pdf")
    before = (folder / "weak.pdf").read_bytes()
    for args in (["-f", "json", "-o", str(folder / "weak.pdf")], ["--heatmap", str(folder / "weak.pdf")]):
        result = invoke(["check", str(folder), *args])
        assert result.exit_code == 2, result.stderr
        assert "refusing to write over an input" in result.stderr
        assert (folder / "weak.pdf").read_bytes() == before


def test_every_report_written_into_the_folder_checked_can_be_written_again(tmp_path: Path) -> None:
    """A heatmap, matrix, concise or explain report inside the folder checked is this run's own
    earlier output on the second run, not a plan and not an input to refuse."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLES / "strong.pdf", folder / "strong.pdf")
    for spec in ("heatmap:h.html", "matrix-markdown:m.md", "concise:c.txt", "explain:e.txt", "text:t.txt"):
        name, file = spec.split(":")
        for _ in range(2):
            result = invoke(["check", str(folder), "-f", f"{name}:{folder / file}", "--fail-on", "never"])
            assert result.exit_code == 0, (spec, result.stderr)
        if not (folder / file).stat().st_size:
            (folder / file).unlink()  # concise says nothing of a plan met throughout; an empty file is no plan
    listed = invoke(["check", str(folder), "-f", "json", "--fail-on", "never"])
    assert [d["path"] for d in json.loads(listed.stdout)["documents"]] == [str(folder / "strong.pdf")]


def test_check_stdin_annotate_marks_up_the_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: `check - --stdin-filename p.pdf --annotate out` annotated the file p.pdf on disk
    (another document) with the piped document's verdicts, or failed when there was none."""
    import pypdfium2 as pdfium

    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "mixed.pdf", tmp_path / "p.pdf")  # 6 pages; the piped strong.pdf has 9
    result = invoke(["check", "-", "--stdin-filename", "p.pdf", "--annotate", "out", "--fail-on", "never"],
                    input=(SAMPLES / "strong.pdf").read_bytes())
    assert result.exit_code == 0, result.stderr
    copy = pdfium.PdfDocument(str(tmp_path / "out" / "p.annotated.pdf"))
    try:
        assert len(copy) == 9
    finally:
        copy.close()
    assert "0 of" not in result.stderr
    (tmp_path / "p.pdf").unlink()
    again = invoke(["check", "-", "--stdin-filename", "p.pdf", "--annotate", "out2", "--fail-on", "never"],
                   input=(SAMPLES / "strong.pdf").read_bytes())
    assert again.exit_code == 0 and (tmp_path / "out2" / "p.annotated.pdf").is_file(), again.stderr
