"""Baselines (write, regressions only, malformed -> exit 2) and `assure diff` of two drafts."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from ci_fixtures import STRATEGY, clean_report, sample_report
from typer.testing import CliRunner

from assure.baseline import baseline_dict, fingerprint, load_baseline, render_baseline
from assure.cli import app
from assure.config import Config, evaluate
from assure.diff import compare, render
from assure.errors import AssureError, ConfigError
from assure.models import Status

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


def test_baseline_round_trip_and_fingerprints(tmp_path: Path) -> None:
    rep = clean_report()
    path = tmp_path / "b.json"
    path.write_text(render_baseline(rep, "0.1.0"), encoding="utf-8")
    assert render_baseline(rep, "0.1.0") == path.read_text(encoding="utf-8")  # byte-stable, no timestamps
    base = load_baseline(path)
    doc = base.document(STRATEGY)
    assert doc is not None and doc.question("Q4") == ("gap", 0)
    data = json.loads(path.read_text())
    assert data["documents"][0]["questions"][3]["fingerprint"] == fingerprint(STRATEGY, "Q4")
    assert fingerprint("./drafts/strategy.pdf", "Q4") == fingerprint(STRATEGY, "Q4")
    assert fingerprint(STRATEGY, "Q4") != fingerprint(STRATEGY, "Q5")


def test_baseline_refuses_unreadable_documents() -> None:
    with pytest.raises(AssureError, match="cannot record a baseline: drafts/locked.pdf"):
        baseline_dict(sample_report(), "0.1.0")


def test_only_regressions_fail(tmp_path: Path) -> None:
    rep = clean_report()
    path = tmp_path / "b.json"
    path.write_text(render_baseline(rep, "0.1.0"), encoding="utf-8")
    base = load_baseline(path)
    cfg = Config(fail_on="partial", fail_under=50)
    assert all(f.outcome == "baselined" for f in evaluate(rep, cfg, base))
    doc = rep.documents[0]
    # Q1 met -> partial is a regression; Q4 gap -> partial is an improvement (still a finding under partial, but accepted)
    qs = tuple(replace(q, status=Status.PARTIAL, score=30) if q.id in ("Q1", "Q4") else q for q in doc.questions)
    worse = replace(rep, documents=(replace(doc, questions=qs, score=doc.score - 1),))
    out = {f.question: f.outcome for f in evaluate(worse, cfg, base)}
    assert out["Q1"] == "fail" and out["Q4"] == "baselined" and out[None] == "fail"  # overall score fell under the baseline's
    # a document the baseline has never seen fails in full
    new = replace(rep, documents=(replace(doc, path="drafts/new-plan.pdf"),))
    assert {f.outcome for f in evaluate(new, cfg, base)} == {"fail"}


def test_document_matched_by_content_after_rename(tmp_path: Path) -> None:
    original = tmp_path / "plan.txt"
    original.write_text("a plan", encoding="utf-8")
    rep = clean_report()
    rep = replace(rep, documents=(replace(rep.documents[0], path=str(original)),))
    path = tmp_path / "b.json"
    path.write_text(render_baseline(rep, "0.1.0"), encoding="utf-8")
    renamed = tmp_path / "renamed.txt"
    shutil.move(original, renamed)
    moved = replace(rep, documents=(replace(rep.documents[0], path=str(renamed)),))
    assert {f.outcome for f in evaluate(moved, Config(), load_baseline(path))} == {"baselined"}


@pytest.mark.parametrize("text, message", [
    ("{not json", "invalid JSON at line 1"),
    ("[]", "(top level): must be a mapping"),
    ('{"baseline_version": 2, "documents": []}', "baseline_version"),
    ('{"baseline_version": 1, "documents": [{"path": "a.pdf", "status": "ok", "score": 10, "questions": [{"id": "Q1", "status": "great"}]}]}',
     "documents[0].questions[0].status"),
])
def test_malformed_baseline(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert str(path) in str(info.value) and "malformed baseline" in str(info.value) and message in str(info.value)


def test_cli_baseline_write_then_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLES / "weak.docx", drafts / "plan.docx")
    runner = CliRunner()
    assert runner.invoke(app, ["check", "drafts"]).exit_code == 1  # the weak sample has gaps
    result = runner.invoke(app, ["baseline", "write", "drafts", "-o", "assure-baseline.json"])
    assert result.exit_code == 0, result.output
    assert Path("assure-baseline.json").is_file()
    result = runner.invoke(app, ["check", "drafts", "--baseline", "assure-baseline.json", "-f", "sarif"])
    assert result.exit_code == 0, result.output
    states = [r["baselineState"] for r in json.loads(result.stdout)["runs"][0]["results"] if "baselineState" in r]
    assert states and set(states) == {"unchanged"}
    # a new document is not in the baseline: it fails
    shutil.copy(SAMPLES / "weak.pdf", drafts / "annex.pdf")
    assert runner.invoke(app, ["check", "drafts", "--baseline", "assure-baseline.json"]).exit_code == 1
    # the baseline can come from config too
    Path("assure.yaml").write_text("baseline: assure-baseline.json\n", encoding="utf-8")
    assert runner.invoke(app, ["check", "drafts/plan.docx"]).exit_code == 0
    # malformed baseline: one line, exit 2, before reading any document
    Path("assure-baseline.json").write_text('{"baseline_version": 1}', encoding="utf-8")
    result = runner.invoke(app, ["check", "drafts", "--baseline", "assure-baseline.json"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "malformed baseline" in result.stderr


# --- diff --------------------------------------------------------------------------------------

def _doc_dict(report):
    from assure.report.json import document_dict

    return document_dict(report.documents[0])


def test_compare_verdicts_scores_and_evidence() -> None:
    old_rep = clean_report()
    doc = old_rep.documents[0]
    q2 = doc.questions[1]
    new_q2 = replace(q2, evidence=q2.evidence[1:] + (replace(q2.evidence[0], quote="A brand new commitment with funding."),))
    qs = list(doc.questions)
    qs[1] = replace(new_q2, status=Status.MET, score=75)
    qs[0] = replace(qs[0], status=Status.PARTIAL, score=40)
    # same quote, different page and spacing: neither added nor lost
    qs[4] = replace(qs[4], evidence=(replace(qs[4].evidence[0], page=11, quote="  " + qs[4].evidence[0].quote.upper()),))
    new_rep = replace(old_rep, documents=(replace(doc, path="drafts/strategy-v2.pdf", questions=tuple(qs), score=40),))
    diff = compare(_doc_dict(old_rep), _doc_dict(new_rep))
    by = {q.id: q for q in diff.questions}
    assert by["Q1"].change == "worse" and by["Q2"].change == "better" and by["Q3"].change == "same"
    assert [e["quote"] for e in by["Q2"].added] == ["A brand new commitment with funding."]
    assert [e["quote"][:10] for e in by["Q2"].lost] == ['Damp & mou']
    assert by["Q5"].added == () and by["Q5"].lost == ()
    assert [q.id for q in diff.worse] == ["Q1"]
    data = json.loads(render(diff, "json"))
    assert data["summary"]["worse"] == 1 and data["summary"]["better"] == 1 and data["new"]["score"] == 40
    text = render(diff, "text")
    assert "Q1" in text and "met -> partial" in text and "+ \u201cA brand new commitment" in text
    md = render(diff, "markdown")
    assert "| Q2 | People at risk from their housing | partial | met |" in md and "&lt;b&gt;" in md
    assert render(diff, "json") == render(compare(_doc_dict(old_rep), _doc_dict(new_rep)), "json")


def test_cli_diff_documents_and_json_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    weak, mixed = str(SAMPLES / "weak.docx"), str(SAMPLES / "mixed.docx")
    result = runner.invoke(app, ["diff", weak, mixed, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert len(data["questions"]) == 10
    assert result.exit_code == (1 if data["summary"]["worse"] else 0)
    assert data["new"]["score"] > data["old"]["score"]  # the mixed draft is better overall
    # a saved JSON report works as either side, and gives the same diff
    assert runner.invoke(app, ["check", weak, "-f", "json:old.json", "--fail-on", "never"]).exit_code == 0
    again = runner.invoke(app, ["diff", "old.json", mixed, "-f", "json"])
    assert json.loads(again.stdout)["questions"] == data["questions"]
    # the reverse direction: everything that got better now got worse
    back = json.loads(runner.invoke(app, ["diff", mixed, "old.json", "-f", "json"]).stdout)
    assert back["summary"]["worse"] == data["summary"]["better"]
    md = runner.invoke(app, ["diff", "old.json", mixed, "-f", "markdown", "-o", "diff.md"])
    assert md.exit_code in (0, 1) and Path("diff.md").read_text(encoding="utf-8").startswith("## assure diff")
    # the score's change is named ("score 47, 0" read as a second score)
    assert f"change +{data['new']['score'] - data['old']['score']})" in Path("diff.md").read_text(encoding="utf-8")
    same = runner.invoke(app, ["diff", "old.json", weak])
    assert same.exit_code == 0 and "unchanged)" in same.stdout, same.stdout
    bad = runner.invoke(app, ["diff", "missing.json", mixed])
    assert bad.exit_code == 2 and "missing.json: file not found" in bad.stderr
    Path("two.json").write_text(json.dumps({"schema_version": 1, "documents": [{}, {}]}), encoding="utf-8")
    bad = runner.invoke(app, ["diff", "two.json", mixed])
    assert bad.exit_code == 2 and "diff needs exactly one" in bad.stderr


def test_cli_diff_reads_encrypted_drafts_with_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """diff had no --password (nor --ocr): two drafts of an encrypted plan could not be compared."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from test_extract import build_strategy_pdf

    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    locked = str(build_strategy_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("secret", ownerPassword="o")))
    weak = str(SAMPLES / "weak.docx")
    runner = CliRunner()
    refused = runner.invoke(app, ["diff", weak, locked])
    assert refused.exit_code == 2 and "locked.pdf" in refused.stderr and "--password" in refused.stderr
    opened = runner.invoke(app, ["diff", weak, locked, "--password", "secret", "--ocr", "never", "-f", "json"])
    assert opened.exit_code in (0, 1), opened.output
    assert json.loads(opened.stdout)["new"]["score"] > 0


def test_baseline_write_reads_encrypted_plans_with_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """baseline write told the user to "pass --password", an option it did not have (a
    new-user trial); it now reads documents with check's --password, --ocr and --pdf-engine."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from test_extract import build_strategy_pdf

    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    locked = str(build_strategy_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("secret", ownerPassword="o")))
    runner = CliRunner()
    written = runner.invoke(app, ["baseline", "write", locked, "--password", "secret", "--ocr", "never", "-o", "b.json"])
    assert written.exit_code == 0, written.output
    recorded = json.loads(Path("b.json").read_text(encoding="utf-8"))["documents"][0]
    assert recorded["status"] == "ok" and recorded["score"] > 0


def test_a_failing_question_under_a_baseline_says_what_the_baseline_had() -> None:
    """A question that fails under --baseline says it was met (or partial) in the baseline, or
    that it or its document is new, so a regression reads as one (found by a new-user trial:
    "FAIL draft.pdf Q2: gap" gave no sign that the baseline had it met)."""
    from assure.baseline import Baseline, BaselineDocument

    recorded = BaselineDocument(path="draft.pdf", sha256=None, status="ok", score=80,
                                questions=(("Q2", "met", 90), ("Q4", "partial", 40)))
    baseline = Baseline(path="assure-baseline.json", documents=(recorded,))
    assert baseline.before(recorded, "Q2") == "met in the baseline"
    assert baseline.before(recorded, "Q9") == "not in the baseline"
    assert baseline.before(None, "Q2") == "a document new since the baseline"


def test_diff_does_not_call_evidence_lost_that_the_new_draft_still_counts(tmp_path: Path) -> None:
    """A new-user trial: a sentence still in the new draft, no longer among the three quotes shown
    because stronger ones came first, was listed as lost."""
    from assure.diff import compare, load_side
    from assure.ruleset import load_ruleset
    from assure.runner import check_file

    ruleset = load_ruleset()
    head = "# Health and housing strategy\n\nOur priorities for health and wellbeing in the district.\n\n## Homelessness\n\n"
    kept = "Homelessness is rising among young people leaving care."
    old = tmp_path / "old.md"
    old.write_text(head + kept + "\n", encoding="utf-8")
    new = tmp_path / "new.md"
    new.write_text(head + "\n\n".join([
        "The council will fund a Housing First service for 40 people sleeping rough from April 2025.",
        "The ICB has commissioned a specialist GP service for people experiencing homelessness, led by the homeless health team.",
        "We will extend the hospital discharge scheme for people who are homeless, funded with £200,000 a year.",
        kept]) + "\n", encoding="utf-8")

    def check(path: str):  # noqa: ANN202
        return check_file(path, ruleset)

    q6 = next(q for q in compare(load_side(str(old), check), load_side(str(new), check)).questions if q.id == "Q6")
    assert kept not in [e["quote"] for e in q6.lost], q6.lost
    assert q6.added  # the new sentences are new evidence


def test_diff_text_escapes_control_characters_in_names(tmp_path: Path) -> None:
    """Regression (new-user run, 2026-12-08): a file name holding a newline and an escape sequence reached the
    terminal raw in diff's text output; every human line escapes them (README, "Names")."""
    old = tmp_path / "old.md"
    old.write_text("# Plan\n\nHealth and wellbeing of residents. Public health matters.\n", encoding="utf-8")
    new = tmp_path / "a\nb\x1b[31mc.md"
    new.write_text("# Plan\n\nHealth and wellbeing of residents. Public health matters. We will insulate 200 cold homes.\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(old), str(new)])
    assert "\x1b" not in result.output and "a\\nb\\x1b[31mc.md" in result.output, result.output
