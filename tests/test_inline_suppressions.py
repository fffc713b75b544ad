"""Inline suppressions (assure/inline.py): ``assure: ignore Q4 -- REASON`` written in the
document itself, through the CLI on Markdown, plain text and DOCX, with the cache, the
JSON report, the warnings for directives that cannot apply and --no-inline-suppressions."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.inline import from_markup, parse

PLAN = """# Health and Wellbeing Strategy 2025

## Our vision

We want everyone in the district to live a healthy life in a home that supports their health and
wellbeing. Health inequalities are driven by housing, income and access to care.

## Who is at risk

Older people, families in temporary accommodation and people sleeping rough face the greatest
risks to their health and wellbeing from poor housing.

## What we will do

The council will commission a housing and health needs assessment by March 2026, owned by the
Director of Public Health, and will report progress to the Health and Wellbeing Board each quarter.
"""

REASON = "covered by the district's housing strategy"


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder, so no assure.yaml or pyproject.toml of the repository applies."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)


def run(*args: str):  # noqa: ANN201 - click Result
    return CliRunner().invoke(app, ["check", *args])


def report(*args: str) -> tuple[int, dict, str]:
    result = run(*args, "-f", "json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def gaps(data: dict) -> list[str]:
    return [q["id"] for q in data["documents"][0]["questions"] if q["status"] == "gap"]


def write(path: Path, *directives: str) -> Path:
    path.write_text(PLAN + "".join(f"\n<!-- {d} -->\n" for d in directives), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plan_gaps(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The plan's gaps without any directive (the questions the tests suppress)."""
    path = write(tmp_path_factory.mktemp("plain") / "plan.md")
    code, data, _ = report(str(path))
    found = gaps(data)
    assert code == 1 and len(found) >= 2, found
    return found


def test_every_gap_suppressed_inline_passes_and_every_format_says_so(tmp_path: Path, plan_gaps: list[str]) -> None:
    plan = write(tmp_path / "plan.md", f"assure: ignore {', '.join(plan_gaps)} -- {REASON}")
    line = PLAN.count("\n") + 2
    code, data, err = report(str(plan))
    assert code == 0 and err == ""
    suppressed = [f for f in data["findings"] if f["outcome"] == "suppressed"]
    assert [f["question"] for f in suppressed] == plan_gaps
    assert all(f["note"] == f"inline, line {line}: {REASON}" and f["inline"] is True for f in suppressed)
    (directive,) = data["documents"][0]["inline_suppressions"]
    assert directive == {
        "ids": plan_gaps, "reason": REASON, "where": f"inline, line {line}", "line": line,
        "state": "applied", "applied": plan_gaps, "unused": [], "problem": None,
    }  # fmt: skip
    concise = run(str(plan), "-f", "concise")
    assert concise.exit_code == 0
    gap_lines = [ln for ln in concise.stdout.splitlines() if " gap " in ln]
    assert len(gap_lines) == len(plan_gaps) and all(ln.endswith("[suppressed]") for ln in gap_lines)
    text = run(str(plan)).stdout
    assert f"suppressed  {plan} {plan_gaps[0]}: gap (inline, line {line}: {REASON})" in text
    sarif = json.loads(run(str(plan), "-f", "sarif").stdout)
    kinds = {s["kind"] for r in sarif["runs"][0]["results"] for s in r.get("suppressions", ())}
    assert kinds == {"inSource"}


def test_a_rule_id_suppresses_its_question_and_only_in_that_document(tmp_path: Path, plan_gaps: list[str]) -> None:
    first = plan_gaps[0]
    rule = next(r for r in _rule_ids() if r.split(".")[0] in (first, f"Q{int(first[1:]):02d}"))
    waived = write(tmp_path / "waived.md", f"assure: ignore {rule} -- {REASON}")
    other = write(tmp_path / "other.md")
    _, data, _ = report(str(waived), str(other))
    outcome = {(Path(f["path"]).name, f["question"]): f["outcome"] for f in data["findings"]}
    assert outcome[("waived.md", first)] == "suppressed"
    assert outcome[("other.md", first)] == "fail"  # a directive applies to its own document only
    assert data["documents"][0]["inline_suppressions"][0]["applied"] == [rule]


def _rule_ids() -> list[str]:
    from assure.ruleset import load_ruleset

    return [r.id for r in load_ruleset().rules]


def test_a_directive_without_a_reason_warns_and_the_finding_still_fails(tmp_path: Path, plan_gaps: list[str]) -> None:
    first = plan_gaps[0]
    plan = write(tmp_path / "plan.md", f"assure: ignore {first}", f"assure: ignore {plan_gaps[1]} --   ")
    line = PLAN.count("\n") + 2
    code, data, err = report(str(plan))
    assert code == 1
    why = "assure: ignore without a reason (write: assure: ignore {} -- REASON); not applied"
    expected = [f"assure: {plan}:{line}: {why.format(first)}", f"assure: {plan}:{line + 2}: {why.format(plan_gaps[1])}"]
    assert err.splitlines() == expected
    assert {f["question"]: f["outcome"] for f in data["findings"]}[first] == "fail"
    assert [d["state"] for d in data["documents"][0]["inline_suppressions"]] == ["invalid", "invalid"]


def test_unknown_ids_warn_and_are_not_applied(tmp_path: Path, plan_gaps: list[str]) -> None:
    plan = write(
        tmp_path / "plan.md",
        f"assure: ignore Q99 -- {REASON}",
        f"assure: ignore {plan_gaps[0]}.no-such-rule -- {REASON}",
        f"assure: ignore everything -- {REASON}",
    )
    code, data, err = report(str(plan))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 3 and all(ln.startswith(f"assure: {plan}:") and ln.endswith("; not applied") for ln in lines)
    assert "assure: ignore Q99: no such question" in lines[0]
    assert f"assure: ignore {plan_gaps[0]}.no-such-rule: no such rule" in lines[1]
    assert "assure: ignore 'everything' is not a question or rule id" in lines[2]
    assert all(f["outcome"] == "fail" for f in data["findings"])


def test_a_directive_for_a_met_or_unchecked_question_is_unused_and_does_not_fail(tmp_path: Path, plan_gaps: list[str]) -> None:
    _, data, _ = report(str(write(tmp_path / "probe.md")))
    not_gap = next(q["id"] for q in data["documents"][0]["questions"] if q["status"] != "gap")
    plan = write(tmp_path / "plan.md", f"assure: ignore {not_gap}, {plan_gaps[0]} -- {REASON}")
    code, data, err = report(str(plan), "--question", plan_gaps[0])  # not_gap is not even checked
    assert code == 0 and err == ""
    (directive,) = data["documents"][0]["inline_suppressions"]
    assert (directive["state"], directive["applied"], directive["unused"]) == ("applied", [plan_gaps[0]], [not_gap])
    code, data, err = report(str(write(tmp_path / "plan.md", f"assure: ignore {not_gap} -- {REASON}")))
    assert code == 1 and err == ""  # the other gaps still fail; an unused directive is no error
    assert data["documents"][0]["inline_suppressions"][0]["state"] == "unused"


def test_no_inline_suppressions_flag_and_config_key_disregard_them(tmp_path: Path, plan_gaps: list[str]) -> None:
    plan = write(tmp_path / "plan.md", f"assure: ignore {', '.join(plan_gaps)} -- {REASON}", "assure: ignore Q4")
    for extra in (["--no-inline-suppressions"], ["--config", str(_config(tmp_path))]):
        code, data, err = report(str(plan), *extra)
        assert code == 1 and err == ""  # disregarded: not even the invalid one is looked at
        assert all(f["outcome"] == "fail" for f in data["findings"])
        assert data["policy"]["inline_suppressions"] is False
        assert {d["state"] for d in data["documents"][0]["inline_suppressions"]} == {"disabled"}


def _config(folder: Path) -> Path:
    path = folder / "audit.yaml"
    path.write_text("inline_suppressions: false\n", encoding="utf-8")
    return path


def test_a_bad_config_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "assure.yaml"
    path.write_text("inline_suppressions: sometimes\n", encoding="utf-8")
    result = run(str(write(tmp_path / "plan.md")))
    assert result.exit_code == 2 and "inline_suppressions" in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_comment_is_never_document_text(tmp_path: Path) -> None:
    """A reason full of words the rules look for changes no verdict and is never quoted."""
    loud = (
        "The council will fund a warm homes programme, owned by the Director of Public Health, to remove "
        "damp and mould and excess cold hazards from every privately rented home by 2027"
    )
    bare = write(tmp_path / "bare.md")
    waived = write(tmp_path / "waived.md", f"assure: ignore Q4 -- {loud}", f"note to authors: {loud}")
    _, data, _ = report(str(bare), str(waived))
    without, with_comment = (d["questions"] for d in data["documents"])
    assert [(q["id"], q["status"], q["score"]) for q in without] == [(q["id"], q["status"], q["score"]) for q in with_comment]
    quotes = " ".join(e["quote"] for q in with_comment for e in q["evidence"])
    assert "warm homes programme" not in quotes and "assure" not in quotes
    extract = CliRunner().invoke(app, ["extract", str(waived)])  # the text assure read
    assert extract.exit_code == 0 and "Director of Public Health" in extract.stdout
    assert "warm homes programme" not in extract.stdout and "<!--" not in extract.stdout


def test_plain_text_reads_directives_and_keeps_other_comments(tmp_path: Path, plan_gaps: list[str]) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN.replace("#", "") + f"\n<!-- assure: ignore {plan_gaps[0]} -- {REASON} -->\n", encoding="utf-8")
    _, data, _ = report(str(plan))
    assert {f["question"]: f["outcome"] for f in data["findings"]}[plan_gaps[0]] == "suppressed"
    text, directives = from_markup("Keep <!-- this --> visible.\n", every_comment=False)
    assert text == "Keep <!-- this --> visible.\n" and directives == ()


def test_a_word_comment_is_a_directive(tmp_path: Path, plan_gaps: list[str]) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_heading("Health and Wellbeing Strategy 2025", 1)
    for block in PLAN.split("\n\n")[1:]:
        if block.startswith("## "):
            doc.add_heading(block[3:].strip(), 2)
        else:
            doc.add_paragraph(" ".join(block.split()))
    anchored = doc.paragraphs[-1]
    # Word's AutoFormat turns a typed "--" into an en dash
    doc.add_comment(anchored.runs, text=f"assure: ignore {plan_gaps[0]} \u2013 {REASON}", author="Jane Smith", initials="JS")
    doc.add_comment(anchored.runs, text="Please check the date", author="Bob", initials="B")
    doc.add_comment(anchored.runs, text=f"assure: ignore {plan_gaps[1]}", author="Bob", initials="B")
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    code, data, err = report(str(path))
    findings = {f["question"]: f for f in data["findings"]}
    where = 'Word comment by Jane Smith on "The council will commission a housing\u2026"'
    assert findings[plan_gaps[0]]["outcome"] == "suppressed"
    assert findings[plan_gaps[0]]["note"] == f"{where}: {REASON}"
    assert findings[plan_gaps[1]]["outcome"] == "fail"
    states = [(d["where"].split(" on ")[0], d["state"]) for d in data["documents"][0]["inline_suppressions"]]
    assert states == [("Word comment by Jane Smith", "applied"), ("Word comment by Bob", "invalid")]
    assert err.splitlines() == [
        f'assure: {path}: Word comment by Bob on "The council will commission a housing\u2026": '
        f"assure: ignore without a reason (write: assure: ignore {plan_gaps[1]} -- REASON); not applied"
    ]
    assert code == 1
    quotes = " ".join(e["quote"] for q in data["documents"][0]["questions"] for e in q["evidence"])
    assert "assure" not in quotes and "Please check" not in quotes


def test_directives_survive_the_cache_and_the_worker_processes(tmp_path: Path, plan_gaps: list[str]) -> None:
    plan = write(tmp_path / "plan.md", f"assure: ignore {plan_gaps[0]} -- {REASON}", "assure: ignore Q99 -- typo")
    other = write(tmp_path / "other.md")
    cache = tmp_path / "cache"
    first = run(str(plan), str(other), "-j", "2", "--cache", str(cache), "-f", "json")
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 2 and any(b"assure: ignore Q99: no such question" in e.read_bytes() for e in entries)
    stamps = [e.stat().st_mtime_ns for e in entries]
    second = run(str(plan), str(other), "-j", "2", "--cache", str(cache), "-f", "json")
    assert [e.stat().st_mtime_ns for e in sorted(cache.rglob("*.json"))] == stamps  # served, not rewritten
    assert second.stdout == first.stdout and second.stderr == first.stderr
    assert (first.exit_code, second.exit_code) == (1, 1)
    data = json.loads(second.stdout)
    assert [d["state"] for d in data["documents"][0]["inline_suppressions"]] == ["applied", "invalid"]
    assert "Q99: no such question" in second.stderr


def test_parsing() -> None:
    (one,) = parse(f"assure: ignore q04, Q4.Cold-Damp-Hazards \u2014 {REASON}", "Word comment by A")
    assert (one.ids, one.reason, one.problem) == (("Q04", "Q4.cold-damp-hazards"), REASON, None)
    two = parse("assure: ignore Q1 -- first reason\nASSURE: IGNORE Q2 -- second -- with dashes", "here")
    assert [(d.ids, d.reason) for d in two] == [(("Q1",), "first reason"), (("Q2",), "second -- with dashes")]
    (bare,) = parse("assure: ignore Q1 because we said so", "here")
    assert bare.ids == ("Q1",) and bare.problem is not None and "without a reason" in bare.problem
    (none,) = parse("assure: ignore -- a reason", "here")
    assert none.problem is not None and "names no question" in none.problem
    text, found = from_markup("a\n<!-- open comment, never closed\nassure: ignore Q1 -- x\n", every_comment=True)
    assert found == () and "never closed" in text  # an open comment is not a comment
    text, found = from_markup("a <!-- x --> b\n<!--\n\nassure: ignore Q1 -- r\nassure: ignore Q2 -- s -->", every_comment=True)
    assert text == "a  b\n" and [d.line for d in found] == [4, 5]


def test_many_comments_take_linear_time() -> None:
    start = time.perf_counter()
    from_markup("<!--" * 200_000, every_comment=True)
    from_markup("<!-- x -->" * 100_000, every_comment=False)
    _, found = from_markup("<!-- assure: ignore Q1 -- r -->\n" * 5_000, every_comment=True)
    assert time.perf_counter() - start < 5
    assert len(found) == 101 and found[-1].problem is not None and "more than 100" in found[-1].problem


def test_a_pdf_note_is_a_directive(tmp_path: Path) -> None:
    """A sticky note on a page of samples/weak.pdf (added with pypdf) waives one of its gaps."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    sample = Path(__file__).resolve().parent.parent / "samples" / "weak.pdf"
    _, data, _ = report(str(sample))
    first = gaps(data)[0]
    writer = PdfWriter()
    writer.append(PdfReader(sample))
    note = Text(rect=(50, 700, 80, 730), text=f"assure: ignore {first} -- {REASON}", open=False)
    note[NameObject("/T")] = TextStringObject("Jane Smith")
    writer.add_annotation(page_number=0, annotation=note)
    path = tmp_path / "weak-noted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _, noted, err = report(str(path))
    assert err == ""
    assert {f["question"]: f["note"] for f in noted["findings"] if f["outcome"] == "suppressed"} == {
        first: f"PDF note by Jane Smith on page 1: {REASON}"
    }
    assert [q["status"] for q in noted["documents"][0]["questions"]] == [q["status"] for q in data["documents"][0]["questions"]]
