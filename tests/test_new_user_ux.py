"""Regressions from a new user's trial (ux19): click's three-line usage error for a bad option
value, a rules validation that stopped at the first kind of problem, a cache hash that ran
before --timeout, "did you mean Q1?" for Q11, and long .doc paragraphs read as headings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from assure.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DOC = str(SAMPLES / "weak.docx")


def invoke(args: list[str]):  # noqa: ANN201 - a click Result
    return CliRunner().invoke(app, args, env={"NO_COLOR": None, "ASSURE_CONFIG": None})


# --- 1. a bad option value is one line naming the option, exit 2 ------------------------------


def _bad_values(folder: str) -> list[tuple[list[str], str]]:
    """(arguments, the line expected) for each numeric or path option of every command."""
    return [
        (["check", "--jobs", "0", DOC], "assure: -j/--jobs: must be at least 1"),
        (["check", "--rules", folder, DOC], f"assure: --rules: '{folder}' is a folder, not a file"),
        (["check", "--questions", DOC, DOC], f"assure: --questions: '{DOC}' is a file, not a folder"),
        (["check", "--timeout", "-1", DOC], "assure: --timeout: must be at least 0"),
        (["check", "--max-size", "x", DOC], "assure: --max-size: not a number"),
        (["check", "--max-pages", "-1", DOC], "assure: --max-pages: must be at least 0"),
        (["check", "--max-memory", "-1", DOC], "assure: --max-memory: must be at least 0"),
        (["check", "--fail-under", "101", DOC], "assure: --fail-under: must be at most 100"),
        (["check", "--cache", DOC, DOC], f"assure: --cache: '{DOC}' is a file, not a folder"),
        (["check", "--config", folder, DOC], f"assure: -c/--config: '{folder}' is a folder, not a file"),
        (["check", "--fail-on", "bogus", DOC], "assure: --fail-on: 'bogus' is not one of 'gap', 'partial', 'never'"),
        (["rules", "test", "--timeout", "0"], "assure: --timeout: must be at least 1"),
        (["rules", "validate", "--rules", folder], f"assure: --rules: '{folder}' is a folder, not a file"),
        (["rules", "list", "--questions", DOC], f"assure: --questions: '{DOC}' is a file, not a folder"),
        (["rule", "--rules", folder, "Q4"], f"assure: --rules: '{folder}' is a folder, not a file"),
        (["questions", "--questions", DOC], f"assure: --questions: '{DOC}' is a file, not a folder"),
        (["eval", "--root", DOC, "x.yaml"], f"assure: --root: '{DOC}' is a file, not a folder"),
        (["baseline", "write", "-o", folder, DOC], f"assure: -o/--output: '{folder}' is a folder, not a file"),
        (["diff", DOC, DOC, "-o", folder], f"assure: -o/--output: '{folder}' is a folder, not a file"),
        (["annotate", DOC, "-o", folder], f"assure: -o/--output: '{folder}' is a folder, not a file"),
        (["extract", "--ocr", "bogus", DOC], "assure: --ocr: 'bogus' is not one of 'auto', 'always', 'never'"),
        (["config", "show", "-c", folder], f"assure: -c/--config: '{folder}' is a folder, not a file"),
    ]


def test_a_bad_option_value_is_one_line_naming_the_option(tmp_path: Path) -> None:
    """Regression: `check --jobs 0` and `check --rules FOLDER` printed click's usage line, a
    hint line and "Error: Invalid value for ..."; every other usage error is one line."""
    for args, line in _bad_values(str(tmp_path)):
        result = invoke(args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == line + "\n", (args, result.stderr)
        assert result.stdout == "", args


def test_a_missing_argument_still_shows_the_usage() -> None:
    """Not a bad value: what the command takes is the help the user needs."""
    result = invoke(["check"])
    assert result.exit_code == 2 and "Usage: " in result.stderr and "Missing argument" in result.stderr


# --- 4. "did you mean" only for a plausible typo -------------------------------------------------


def test_a_question_just_past_the_last_is_not_taken_for_a_typo() -> None:
    """Regression: `--question Q11` (ten questions) said "did you mean Q1?"; it should say only
    which ids there are. A doubled key far past the end (Q44) still gets its suggestion."""
    eleven = invoke(["check", "--question", "Q11", DOC])
    assert eleven.exit_code == 2
    assert eleven.stderr == "assure: command line (--question): unknown question Q11 (the rules have Q1 to Q10)\n"
    for qid in ("Q0", "Q11", "Q20"):
        assert "did you mean" not in invoke(["check", "--select", qid, DOC]).stderr, qid
    assert "did you mean Q4?" in invoke(["check", "--select", "Q44", DOC]).stderr


def test_rule_explains_an_unknown_question_and_suggests_only_near_rules() -> None:
    """Regression: `assure rule Q11` said "no rule 'Q11'" (a question id is taken there), and a
    rule id one letter short was also offered a rule that only shares a word with it."""
    question = invoke(["rule", "Q11"])
    assert question.exit_code == 2 and "no question Q11" in question.stderr and "(the rules have Q1 to Q10)" in question.stderr
    near = invoke(["rule", "Q04.cold-damp-hazard"])
    assert near.exit_code == 2 and near.stderr.rstrip().endswith("did you mean Q04.cold-damp-hazards?"), near.stderr


# --- 3. --timeout covers hashing -----------------------------------------------------------------


def _assure(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run assure in a process of its own, stopped after a minute: hashing the old way took 78 s here."""
    return subprocess.run(
        [sys.executable, "-m", "assure", *args], capture_output=True, text=True, cwd=cwd, timeout=60, check=False
    )


def test_the_timeout_covers_hashing_a_huge_sparse_file(tmp_path: Path) -> None:
    """Regression: with --max-size 0, the content hash of a sparse 20 GB file ran (over a minute)
    before --timeout started; with --cache and the default size cap, the batch hashed the file
    discovery had left unhashed for being too big, with no bound at all."""
    big = tmp_path / "big.pdf"
    big.touch()
    os.truncate(big, 20 * 1024**3)  # a hole: no disk used
    started = time.monotonic()
    uncapped = _assure("check", "--max-size", "0", "--timeout", "2", "--jobs", "1", "big.pdf", cwd=tmp_path)
    assert uncapped.returncode == 2
    assert (
        "assure: big.pdf: not hashed within 2 s (--timeout); checked without the duplicate check or the cache" in uncapped.stderr
    )
    capped = _assure("check", "--timeout", "2", "--jobs", "1", "--cache", str(tmp_path / "cache"), "big.pdf", cwd=tmp_path)
    assert capped.returncode == 2 and "over the 200 MB cap (--max-size)" in capped.stderr
    assert time.monotonic() - started < 40


# --- 5. a long paragraph with an outline level (a .doc through LibreOffice) is body text --------


def test_a_paragraph_longer_than_a_heading_is_body_text_whatever_its_outline_level(tmp_path: Path) -> None:
    """Regression: a long paragraph carrying an outline level or a heading style, as LibreOffice's
    DOCX of a Word 97-2003 .doc can, was read as a heading (and cited as the section of the text
    under it). LibreOffice is not installed on the machine this was fixed on, so the test builds
    the converted DOCX's shape directly rather than converting a .doc from the robust corpus."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from assure.extract import extract
    from assure.models import BlockKind

    long_text = (
        "Cold and damp homes harm the health of older residents and young children in the borough, and the council "
        "will work with its partners to insulate four hundred homes of residents with lung disease by March 2026."
    )
    d = docx.Document()
    d.add_heading("Healthy homes", level=1)
    outlined = d.add_paragraph(long_text)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    outlined._p.get_or_add_pPr().append(level)
    d.add_heading(long_text.replace("Cold", "Warm"), level=2)
    short = d.add_paragraph("What we will do")
    short._p.get_or_add_pPr().append(level.__copy__())
    d.save(str(tmp_path / "converted.docx"))
    blocks = extract(tmp_path / "converted.docx").blocks
    assert [b.text for b in blocks if b.kind is BlockKind.HEADING] == ["Healthy homes", "What we will do"]
    assert [b.kind for b in blocks if b.text.endswith("March 2026.")] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert all(b.section == ("Healthy homes",) for b in blocks if b.text.endswith("March 2026."))


def test_the_same_bytes_under_two_extensions_are_two_documents(tmp_path: Path) -> None:
    """Regression (new-user trial, 2026-12-08): fake.pdf, a copy of fake.docx, was taken for a duplicate
    and reported with fake.docx's error ("file is named .docx but is not a DOCX"); the extension picks the
    reader, so each is read, and cached, on its own."""
    from assure.cache import cache_key
    from assure.discover import discover_documents
    from assure.ruleset import load_ruleset
    from assure.runner import CheckOptions

    (tmp_path / "fake.docx").write_text("This is plain text, not a Word document.\n", encoding="utf-8")
    (tmp_path / "fake.pdf").write_text("This is plain text, not a Word document.\n", encoding="utf-8")
    (tmp_path / "copy.docx").write_text("This is plain text, not a Word document.\n", encoding="utf-8")
    found = discover_documents([str(tmp_path)])
    assert [Path(f).name for f in found.files] == ["copy.docx", "fake.pdf"]
    assert [(Path(d.path).name, Path(d.same_as).name) for d in found.duplicates] == [("fake.docx", "copy.docx")]
    ruleset, options = load_ruleset(None, None), CheckOptions()
    assert cache_key("abc", ruleset, options, ".pdf") != cache_key("abc", ruleset, options, ".docx")
    assert cache_key("abc", ruleset, options, ".PDF") == cache_key("abc", ruleset, options, ".pdf")
