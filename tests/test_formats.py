"""Every output format: golden files, byte-stability, and validation by each consumer's
schema or parser (SARIF 2.1.0 schema, junitparser, GitLab Code Quality fields, GitHub
workflow-command syntax, CommonMark+tables, csv, JSON Lines, headless Chromium for HTML).

Regenerate the golden files after an intended change with ASSURE_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ci_fixtures import STRATEGY, VERDICTS, sample_report

from assure.baseline import Baseline, BaselineDocument
from assure.config import Config, QuestionPolicy, Suppression, apply_policy
from assure.report import FORMATTERS, get_formatter

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "formats"
SARIF_SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"
EXT = {"text": "txt", "json": "json", "jsonl": "jsonl", "markdown": "md", "html": "html", "csv": "csv", "junit": "xml",
       "sarif": "sarif", "github": "txt", "gitlab": "json", "explain": "txt", "matrix": "csv", "matrix-markdown": "md",
       "heatmap": "html", "concise": "txt"}
NEW_FORMATS = ("jsonl", "markdown", "html", "csv", "junit", "sarif", "github", "gitlab")


def policy_report():
    """The sample report under a policy: per-question levels, a threshold, a suppression and a baseline."""
    config = Config(
        fail_on="gap", fail_under=40,
        per_question=(("Q2", QuestionPolicy(fail_on="partial")), ("Q5", QuestionPolicy(fail_under=75))),
        suppressions=(Suppression(question="Q7", reason="Covered by the discharge plan (board paper 2024/17)", files="drafts/*.pdf"),),
    )
    baseline = Baseline(path="assure-baseline.json", documents=(BaselineDocument(
        path=STRATEGY, sha256=None, status="ok", score=30, questions=(("Q4", "gap", 0), ("Q10", "partial", 30))),))
    return apply_policy(sample_report(), config, baseline)


def not_applicable_report():
    """The sample report under fail_on_not_applicable: the parking policy is a failing document-level finding."""
    return apply_policy(sample_report(), Config(fail_on_not_applicable=True))


REPORTS = {"default": sample_report, "policy": policy_report, "not-applicable": not_applicable_report}


def render(fmt: str, which: str = "default") -> str:
    return get_formatter(fmt)(REPORTS[which](), color=False, width=100)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ASSURE_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path}; run with ASSURE_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from the golden file"


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("fmt", sorted(EXT))
def test_golden(fmt: str, which: str) -> None:
    check_golden(f"{which}.{fmt}.{EXT[fmt]}", render(fmt, which))


def test_every_registered_format_has_a_golden_file() -> None:
    assert set(FORMATTERS) >= set(NEW_FORMATS)
    for fmt in FORMATTERS:
        if fmt in EXT:
            continue
        pytest.fail(f"format {fmt!r} has no golden test here")  # pragma: no cover


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_byte_identical(fmt: str) -> None:
    assert render(fmt, "policy") == render(fmt, "policy")
    assert render(fmt) == render(fmt)


# --- SARIF ------------------------------------------------------------------------------

def _sarif_validator():
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert "sarif" in schema["title"].lower() and "2.1.0" in schema["title"]
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("which", sorted(REPORTS))
def test_sarif_validates_against_the_oasis_schema(which: str) -> None:
    data = json.loads(render("sarif", which))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _sarif_validator().iter_errors(data)]
    assert errors == []
    run = data["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [f"Q{n}" for n in range(1, 11)]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_validator_rejects_broken_logs() -> None:
    data = json.loads(render("sarif"))
    data["runs"][0]["results"][0]["level"] = "fatal"
    del data["version"]
    assert len(list(_sarif_validator().iter_errors(data))) >= 2


def test_sarif_levels_suppressions_and_baseline_state() -> None:
    results = {r["ruleId"]: r for r in json.loads(render("sarif", "policy"))["runs"][0]["results"]}
    assert results["Q2"]["level"] == "error"  # partial, but Q2 fails on partial
    assert results["Q3"]["level"] == "note"  # partial under fail_on gap
    assert results["Q7"]["suppressions"][0]["justification"].startswith("Covered by the discharge plan")
    assert results["Q4"]["baselineState"] == "unchanged"
    assert results["Q10"]["baselineState"] == "new"  # was partial in the baseline, now gap
    notes = json.loads(render("sarif"))["runs"][0]["invocations"][0]
    assert notes["executionSuccessful"] is False
    assert any("encrypted" in n["message"]["text"] for n in notes["toolExecutionNotifications"])


# --- JUnit ------------------------------------------------------------------------------

def test_junit_one_case_per_question_per_document(tmp_path: Path) -> None:
    junitparser = pytest.importorskip("junitparser", reason="junitparser not installed (pip install -e '.[test]')")
    path = tmp_path / "r.xml"
    path.write_text(render("junit"), encoding="utf-8")
    ET.parse(path)  # well-formed XML
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = {s.name: s for s in xml}
    assert list(suites) == [STRATEGY, "drafts/parking-policy.docx", "drafts/locked.pdf"]
    cases = list(suites[STRATEGY])
    assert [c.name.split()[0] for c in cases] == [f"Q{n}" for n in range(1, 11)]
    failed = [c.name.split()[0] for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
    assert failed == [f"Q{n}" for n, v in enumerate(VERDICTS, 1) if v.value == "gap"]
    skipped = [c.name.split()[0] for c in cases if any(isinstance(r, junitparser.Skipped) for r in c.result)]
    assert skipped == ["Q9"]  # unassessable
    assert suites[STRATEGY].tests == 10 and suites[STRATEGY].failures == 3
    assert suites["drafts/locked.pdf"].errors == 1
    assert int(ET.parse(path).getroot().get("tests")) == 12


def test_junit_policy_outcomes(tmp_path: Path) -> None:
    root = ET.fromstring(render("junit", "policy"))
    cases = {c.get("name").split()[0]: c for c in root.iter("testcase") if c.get("classname") == STRATEGY}
    assert cases["Q2"].find("failure") is not None  # fails on partial
    assert cases["Q7"].find("skipped").get("message").startswith("suppressed: Covered by")
    assert cases["Q4"].find("skipped").get("message").startswith("baselined:")
    assert cases["Q10"].find("failure") is not None  # got worse than the baseline
    assert cases["Q5"].find("failure").get("message") == "met: score 72 under 75; not in the baseline"
    # 34 is under fail_under 40, but the baseline recorded 30: not a regression
    assert cases["overall"].find("skipped").get("message") == "baselined: in baseline with overall score 30"


# --- GitLab Code Quality ----------------------------------------------------------------

# The fields GitLab reads from a Code Quality report (docs.gitlab.com, "Code Quality report format").
CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "required": ["path", "lines"],
                "properties": {"path": {"type": "string", "minLength": 1},
                               "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer", "minimum": 1}}}},
            },
        },
    },
}


@pytest.mark.parametrize("which", sorted(REPORTS))
def test_gitlab_code_quality_fields(which: str) -> None:
    import jsonschema

    issues = json.loads(render("gitlab", which))
    jsonschema.validate(issues, CODE_QUALITY_SCHEMA)
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints))
    assert not any(i["location"]["path"].startswith("/") for i in issues)


def test_gitlab_fingerprints_are_stable_across_scores_and_evidence() -> None:
    from dataclasses import replace

    rep = sample_report()
    doc = rep.documents[0]
    changed = replace(doc, score=doc.score + 5, questions=tuple(replace(q, score=min(100, q.score + 1), evidence=()) for q in doc.questions))
    a = {i["check_name"]: i["fingerprint"] for i in json.loads(get_formatter("gitlab")(rep)) if i["location"]["path"] == STRATEGY}
    b = {i["check_name"]: i["fingerprint"] for i in json.loads(get_formatter("gitlab")(replace(rep, documents=(changed,))))}
    assert a == b
    moved = replace(doc, path="drafts/strategy-v2.pdf")
    c = {i["check_name"]: i["fingerprint"] for i in json.loads(get_formatter("gitlab")(replace(rep, documents=(moved,))))}
    assert set(c.values()).isdisjoint(a.values())


# --- GitHub -----------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) file=(?P<file>[^,:]+),title=(?P<title>[^,:]*)::(?P<msg>[^\r\n]*)$")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_are_valid_workflow_commands() -> None:
    lines = render("github", "policy").splitlines()
    commands = [COMMAND.match(line) for line in lines[:-1]]
    assert all(commands), [line for line, m in zip(lines, commands, strict=False) if not m]
    kinds = {(_unescape(m["title"]).split()[0], m.group(1)) for m in commands if m["file"] == STRATEGY}
    assert ("Q2", "error") in kinds and ("Q3", "notice") in kinds and ("Q7", "notice") in kinds and ("Q4", "notice") in kinds
    assert any(m["file"] == "drafts/locked.pdf" and m.group(1) == "error" for m in commands)
    assert lines[-1].startswith("assure: 3 document(s)")


def test_github_and_sarif_agree_on_levels() -> None:
    """A partial that does not fail is a note in SARIF and a notice on GitHub; a gap a warning in both."""
    sarif = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r["level"]
             for r in json.loads(render("sarif"))["runs"][0]["results"]}
    github = {}
    for line in render("github").splitlines()[:-1]:
        m = COMMAND.match(line)
        qid = _unescape(m["title"]).split()[0]
        if re.fullmatch(r"Q\d+", qid):
            github[(m["file"], qid)] = m.group(1)
    assert sarif and set(sarif) == set(github)
    assert {k: {"note": "notice"}.get(v, v) for k, v in sarif.items()} == github


def test_sarif_rule_help_does_not_depend_on_document_order() -> None:
    from dataclasses import replace

    report = sample_report()
    first = report.documents[0]
    # the engine gives a met question no guidance; here the first document meets everything
    met = replace(first, questions=tuple(replace(q, guidance="") for q in first.questions))
    report = replace(report, documents=(met, *report.documents[1:], first))
    rules = json.loads(get_formatter("sarif")(report, color=False, width=100))["runs"][0]["tool"]["driver"]["rules"]
    flipped = replace(report, documents=tuple(reversed(report.documents)))
    again = json.loads(get_formatter("sarif")(flipped, color=False, width=100))["runs"][0]["tool"]["driver"]["rules"]
    assert sorted(rules, key=lambda r: r["id"]) == sorted(again, key=lambda r: r["id"])
    assert all(r["help"]["text"] != r["shortDescription"]["text"] for r in rules)


def test_github_escapes_newlines_and_percent() -> None:
    from assure.report.github import escape_data, escape_property

    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert _unescape(escape_property("Q8 Mechanisms, funding: 50%")) == "Q8 Mechanisms, funding: 50%"


def test_github_step_summary_is_appended(tmp_path: Path) -> None:
    from assure.report.github import write_step_summary

    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    assert write_step_summary(sample_report(), {"GITHUB_STEP_SUMMARY": str(summary)}) == str(summary)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## assure report")
    assert write_step_summary(sample_report(), {}) is None


# --- Markdown, CSV, JSON Lines -----------------------------------------------------------

def test_markdown_parses_as_tables_and_escapes_document_text() -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py not installed (pip install -e '.[test]')")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(render("markdown"))
    tables = re.findall(r"<table>.*?</table>", html, flags=re.DOTALL)
    assert len(tables) == 2  # the summary and the strategy's verdicts
    rows = re.findall(r"<tr>(.*?)</tr>", tables[1], flags=re.DOTALL)[1:]
    assert len(rows) == 10 and all(r.count("<td") == 6 for r in rows)
    assert "<b>zero</b>" not in html and "&lt;b&gt;zero&lt;/b&gt;" in html
    assert '<a href="x">' not in html


def test_csv_rows_and_formula_defusing() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv"), newline="")))
    assert len(rows) == 12
    strategy = [r for r in rows if r["path"] == STRATEGY]
    assert [r["status"] for r in strategy] == [v.value for v in VERDICTS]
    assert all(not r["first_quote"].startswith("=") for r in rows)
    bad = sample_report()
    from dataclasses import replace

    q = replace(bad.documents[0].questions[0], evidence=(replace(bad.documents[0].questions[0].evidence[0], quote="=HYPERLINK(1)"),))
    doc = replace(bad.documents[0], questions=(q,))
    row = next(csv.DictReader(io.StringIO(get_formatter("csv")(replace(bad, documents=(doc,))), newline="")))
    assert row["first_quote"] == "'=HYPERLINK(1)"


def test_jsonl_one_object_per_question() -> None:
    lines = render("jsonl", "policy").splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == 13  # 10 questions, the score finding, the not-applicable and the unreadable document
    by_q = {o["question"]: o for o in objs if o["path"] == STRATEGY}
    assert by_q["Q7"]["outcome"] == "suppressed" and by_q["Q4"]["outcome"] == "baselined" and by_q["Q2"]["outcome"] == "fail"
    assert by_q[None]["why"] == "overall score 34 under 40"


# --- HTML -------------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.verdicts: list[tuple[str, str]] = []
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-verdict" in a:
            self.verdicts.append((a["data-question"], a["data-verdict"]))
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if key in a and not (a[key] or "").startswith("#"):
                self.external.append(a[key])
        if tag == "link":
            self.external.append(str(a))


def test_html_is_self_contained() -> None:
    text = render("html", "policy")
    page = _Page()
    page.feed(text)
    assert page.verdicts == [(f"Q{n}", v.value) for n, v in enumerate(VERDICTS, 1)]
    assert page.external == [] and page.scripts == 0
    assert "url(" not in text and "@import" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<svg" in text and "suppressed: Covered by the discharge plan" in text
    assert "&lt;b&gt;zero&lt;/b&gt;" in text


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--dump-dom"]


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def test_html_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium not installed (/usr/bin/chromium); .ci/run installs it with apt-get install -y chromium")
    page = tmp_path / "report.html"
    page.write_text(render("html"), encoding="utf-8")
    proc = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    dom = proc.stdout
    assert "<svg" in dom, f"Chromium gave no DOM (exit {proc.returncode}): {proc.stderr[-500:]}"
    rows = re.findall(r'<tr class="verdict" data-question="(Q\d+)" data-verdict="(\w+)"', dom)
    assert rows == [(f"Q{n}", v.value) for n, v in enumerate(VERDICTS, 1)]
    bars = re.findall(r'<g data-question="(Q\d+)" data-verdict="(\w+)"', dom)
    assert bars == rows
    assert "&lt;b&gt;zero&lt;/b&gt;" in dom  # the quote's markup stayed text in the browser


# --- choosing formats and targets -------------------------------------------------------

def test_parse_specs() -> None:
    from assure.errors import AssureError
    from assure.report.outputs import OutputSpec, parse_specs

    assert parse_specs(None) == [OutputSpec("text", None)]
    assert parse_specs(["auto"], env={"GITHUB_ACTIONS": "true"}) == [OutputSpec("github", None)]
    assert parse_specs(["auto"], env={}) == [OutputSpec("text", None)]
    assert parse_specs(["junit:r.xml", "html:out/r.html", "json"], "x.json") == [
        OutputSpec("junit", "r.xml"), OutputSpec("html", "out/r.html"), OutputSpec("json", "x.json", via_output=True)]
    for bad, msg in ((["text", "json"], "only one format"), (["nope"], "unknown format"), (["junit:"], "missing file"),
                     (["junit:a.xml", "sarif:a.xml"], "same file, a.xml")):
        with pytest.raises(AssureError, match=msg):
            parse_specs(bad)


def test_sarif_rule_help_is_the_questions_advice_even_when_every_document_meets_it(tmp_path: Path) -> None:
    """A rule's help in code scanning says what to add whatever the verdicts: the advice comes from
    the question files, not from an unmet verdict (the strong sample meets most questions)."""
    from typer.testing import CliRunner

    from assure.cli import app
    from assure.ruleset import load_questions

    out = tmp_path / "out.sarif"
    result = CliRunner().invoke(app, ["check", str(HERE.parent / "samples" / "strong.pdf"), "-f", f"sarif:{out}", "-q"])
    assert result.exit_code in (0, 1), result.output
    rules = json.loads(out.read_text())["runs"][0]["tool"]["driver"]["rules"]
    advice = {q.id: " ".join(q.add.split()) for q in load_questions(HERE.parent / "questions")}
    assert rules and all(r["help"]["text"] == advice[r["id"]] for r in rules)
