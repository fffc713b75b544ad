"""Regressions from a new user's trial (2026-12-06): assure's own outputs read as plans, an
output named for one format written in another, None in diff output, and options that
worked one way in one command and another way in the next."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.discover import discover_documents

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def invoke(args: list[str]):  # noqa: ANN201 - a click Result
    return CliRunner().invoke(app, args, env={"NO_COLOR": None, "ASSURE_CONFIG": None})


def test_every_kind_of_report_assure_writes_is_left_out_of_a_folder(tmp_path: Path) -> None:
    """Regression: a text report whose second line was a note ("  unreadable pages: ..."),
    a diff (text or Markdown) and GitHub annotations saved to a file were scored as plans,
    one of them met on all ten questions from its own advice."""
    shutil.copy(SAMPLES / "weak.docx", tmp_path / "weak.docx")
    (tmp_path / "noted.txt").write_text(
        "plans/local-plan.pdf (pdf, 249 pages)\n  unreadable pages: p.1 (no text layer)\n  overall score 41/100\n"
        "Q1   met  Vision and outcomes\n\nAdd: Put safe, warm, suitable and stable homes in the vision.\n",
        encoding="utf-8",
    )
    for fmt, name in (("text", "diff.txt"), ("markdown", "diff.md")):
        done = invoke(["diff", str(SAMPLES / "weak.docx"), str(SAMPLES / "mixed.docx"), "-f", fmt, "-o", str(tmp_path / name)])
        assert done.exit_code in (0, 1), done.stderr
    invoke(["check", str(SAMPLES / "weak.docx"), "-f", f"github:{tmp_path / 'annotations.txt'}", "--fail-on", "never"])
    found = discover_documents([str(tmp_path)])
    assert [Path(f).name for f in found.files] == ["weak.docx"]
    assert sorted(Path(r).name for r in found.reports) == ["annotations.txt", "diff.md", "diff.txt", "noted.txt"]


def test_an_annotated_copy_in_a_folder_is_not_counted_as_a_second_plan(tmp_path: Path) -> None:
    """Regression: `assure annotate plan.pdf` wrote plan.annotated.pdf beside it, and the next
    `assure check folder/` counted the plan twice."""
    shutil.copy(SAMPLES / "weak.pdf", tmp_path / "weak.pdf")
    assert invoke(["annotate", str(tmp_path / "weak.pdf"), "--fail-on", "never"]).exit_code == 0
    assert (tmp_path / "weak.annotated.pdf").is_file()
    result = invoke(["check", str(tmp_path), "-f", "json", "--fail-on", "never"])
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == [str(tmp_path / "weak.pdf")]
    assert "weak.annotated.pdf: an annotated copy assure wrote" in result.stderr
    named = invoke(["check", str(tmp_path / "weak.annotated.pdf"), "-f", "json", "--fail-on", "never"])
    assert json.loads(named.stdout)["documents"][0]["status"] == "ok"  # named, it is checked


def test_an_annotated_copy_is_written_in_its_source_format_only(tmp_path: Path) -> None:
    """Regression: `annotate plan.pdf -o copy.docx` wrote a PDF named .docx, without a word."""
    result = invoke(["annotate", str(SAMPLES / "weak.pdf"), "-o", str(tmp_path / "copy.docx")])
    assert result.exit_code == 2 and "the annotated copy of a PDF is a PDF; name it copy.pdf" in result.stderr
    assert not (tmp_path / "copy.docx").exists()
    result = invoke(["annotate", str(SAMPLES / "weak.docx"), "-o", str(tmp_path / "copy.pdf")])
    assert result.exit_code == 2 and "name it copy.docx" in result.stderr


def test_diff_refuses_a_report_that_is_not_a_json_report(tmp_path: Path) -> None:
    """Regression: `assure diff report.csv plan.pdf` read the CSV report as a draft and found
    eight questions 'worse', evidenced by fragments of its rows."""
    for fmt, name in (("csv", "r.csv"), ("sarif", "r.sarif"), ("jsonl", "r.jsonl"), ("junit", "r.xml")):
        invoke(["check", str(SAMPLES / "weak.docx"), "-f", f"{fmt}:{tmp_path / name}", "--fail-on", "never"])
        result = invoke(["diff", str(tmp_path / name), str(SAMPLES / "weak.docx")])
        assert result.exit_code == 2, (fmt, result.stdout)
        assert f"{tmp_path / name}: a report assure wrote, not a draft" in result.stderr
    invoke(["check", str(SAMPLES / "weak.docx"), "-f", f"json:{tmp_path / 'r.json'}", "--fail-on", "never"])
    assert invoke(["diff", str(tmp_path / "r.json"), str(SAMPLES / "weak.docx")]).exit_code == 0  # a JSON report is a side


def test_diff_of_a_document_not_applicable_shows_no_python_none(tmp_path: Path) -> None:
    """Regression: `old: plan.docx (not_applicable, score None)` and `None -> gap`."""
    off_topic = tmp_path / "minutes.md"
    off_topic.write_text("# Minutes\n\nThe committee met on Tuesday and agreed the budget for parks.\n", encoding="utf-8")
    for fmt in ("text", "markdown"):
        result = invoke(["diff", str(off_topic), str(SAMPLES / "weak.docx"), "-f", fmt])
        assert result.exit_code in (0, 1), result.stderr
        assert "None" not in result.stdout and "not applicable" in result.stdout
    assert "(ok, score " in invoke(["diff", str(off_topic), str(SAMPLES / "weak.docx")]).stdout


def test_output_file_extension_picks_the_format_when_none_is_named(tmp_path: Path) -> None:
    """Regression: `check plan.pdf -o report.sarif` wrote the text report into a file a code
    scanning upload then rejected; --format still wins over the extension."""
    doc = str(SAMPLES / "weak.docx")
    invoke(["check", doc, "-o", str(tmp_path / "r.sarif"), "--fail-on", "never"])
    assert json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    invoke(["check", doc, "-o", str(tmp_path / "r.json"), "--fail-on", "never"])
    assert "schema_version" in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    invoke(["check", doc, "-o", str(tmp_path / "r.txt"), "--fail-on", "never"])
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith(doc)
    invoke(["check", doc, "-f", "markdown", "-o", str(tmp_path / "m.json"), "--fail-on", "never"])
    assert (tmp_path / "m.json").read_text(encoding="utf-8").startswith("## assure report")
    invoke(["diff", doc, str(SAMPLES / "mixed.docx"), "-o", str(tmp_path / "d.md")])
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith("## assure diff")


def test_question_takes_commas_like_select() -> None:
    result = invoke(["check", str(SAMPLES / "weak.docx"), "--question", "Q4,q5", "-f", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    assert [q["id"] for q in json.loads(result.stdout)["documents"][0]["questions"]] == ["Q4", "Q5"]


def test_rule_given_a_question_id_explains_each_of_its_rules() -> None:
    """It exited 2 naming them (a second new-user trial expected the explanations)."""
    result = invoke(["rule", "Q4"])
    assert result.exit_code == 0, result.output
    assert "Q04.cold-damp-hazards  (Q4 " in result.stdout and "Q04.home-energy  (Q4 " in result.stdout
    listed = json.loads(invoke(["rule", "Q4", "-f", "json"]).stdout)
    assert [r["question"] for r in listed] == ["Q4"] * len(listed) and len(listed) >= 3


def test_config_alone_shows_the_configuration() -> None:
    plain, show = invoke(["config"]), invoke(["config", "show"])
    assert plain.exit_code == 0 and plain.stdout == show.stdout and "fail_on" in plain.stdout


def test_explain_named_when_two_formats_want_stdout() -> None:
    result = invoke(["check", str(SAMPLES / "weak.docx"), "--explain", "-f", "json"])
    assert result.exit_code == 2 and "(--explain is one)" in result.stderr


def test_option_values_out_of_range_are_said_plainly() -> None:
    """Regression: `-j 0` said "Input should be greater than or equal to 1" (pydantic's words)
    and `--cache FILE` said "dir 'FILE' is a file."."""
    doc = str(SAMPLES / "weak.docx")
    said = {args: invoke(["check", doc, *args.split()]) for args in ("-j 0", "-j x", "--fail-under 200", f"--cache {doc}")}
    assert all(r.exit_code == 2 for r in said.values())
    assert "-j/--jobs: must be at least 1" in said["-j 0"].stderr
    assert "-j/--jobs: not a whole number" in said["-j x"].stderr
    assert "--fail-under: must be at most 100" in said["--fail-under 200"].stderr
    assert f"'{doc}' is a file, not a folder" in said[f"--cache {doc}"].stderr
    assert not any("Input should" in r.stderr for r in said.values())


def test_concise_keeps_each_document_together_in_the_order_given(tmp_path: Path) -> None:
    """Regression: -f concise put every error entry first, whatever the order of the paths."""
    missing = str(tmp_path / "missing.pdf")
    result = invoke(["check", str(SAMPLES / "weak.docx"), missing, "-f", "concise", "--fail-on", "never"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(SAMPLES / "weak.docx")) and lines[-1].startswith(f"{missing}: error not_found")


def test_a_not_applicable_text_report_is_indented_and_known_as_a_report(tmp_path: Path) -> None:
    """Regression: the not-applicable line wrapped back to column 0, and a text report holding
    only it was read as a plan in the next folder audit."""
    minutes = tmp_path / "minutes.md"
    minutes.write_text("# Minutes\n\nThe committee met on Tuesday and agreed the budget for parks and leisure centres "
                       "across the district.\n", encoding="utf-8")
    invoke(["check", str(minutes), "-o", str(tmp_path / "report.txt")])
    text = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert all(line.startswith("  ") for line in text.splitlines()[1:] if line)
    assert [Path(r).name for r in discover_documents([str(tmp_path)]).reports] == ["report.txt"]


# --- an organisation adapting the rules (second trial, 2026-12-06) ---------------------------


def _validate(tmp_path: Path, name: str, text: str):  # noqa: ANN202 - a click Result
    (tmp_path / name).write_text(text, encoding="utf-8")
    return invoke(["rules", "validate", "--rules", str(tmp_path / name)])


def test_near_on_a_rule_that_cannot_read_it_is_refused(tmp_path: Path) -> None:
    """Regression: `near:` on a phrase rule was accepted and silently ignored."""
    result = _validate(tmp_path, "near.yaml", (
        "extend: default\nrules:\n  - id: Q06.fixed-abode\n    question: Q6\n    kind: phrase\n    message: no fixed abode\n"
        "    lemmas: [\"no fixed abode\"]\n    near:\n      lemmas: [housing]\n"
        "    examples:\n      partial: [\"Patients of no fixed abode leave hospital without housing advice.\"]\n"))
    assert result.exit_code == 2
    assert "near.yaml:8:5: rules[0].near: only a cooccur rule reads near partners" in result.stderr


def test_ids_named_in_corroboration_confidence_and_enumerations_must_exist(tmp_path: Path) -> None:
    """Regression: a misspelt rule or question id in these settings validated 'ok' and switched the
    setting off; only `rules test` failures hinted at it."""
    result = _validate(tmp_path, "refs.yaml", (
        "extend: default\n"
        "corroboration: {across: [{question: Q2, topic: [Q02.groups-housng-risk], action_questions: [Q44], scope: document}]}\n"
        "confidence: {gap_check_questions: [Q99]}\n"
        "context: {enumerations: {exempt_rules: [Q09.partners-lsted]}}\n"))
    assert result.exit_code == 2
    for line in ("refs.yaml:2:49: corroboration.across[0].topic[0]: 'Q02.groups-housng-risk' is not a rule",
                 "refs.yaml:2:93: corroboration.across[0].action_questions[0]: Q44 is not a loaded question",
                 "refs.yaml:3:36: confidence.gap_check_questions[0]: Q99 is not a loaded question",
                 "refs.yaml:4:41: context.enumerations.exempt_rules[0]: 'Q09.partners-lsted' is not a rule"):
        assert line in result.stderr, result.stderr


def test_extend_that_leads_nowhere_says_where_and_what_was_meant(tmp_path: Path) -> None:
    """Regression: no line or column; no 'did you mean default?'; a folder called 'not found'."""
    typo = _validate(tmp_path, "typo.yaml", "version: 1\nextend: defualt\n")
    assert typo.exit_code == 2 and "typo.yaml:2:1: extend: defualt: rules file not found" in typo.stderr
    assert "did you mean default?" in typo.stderr
    (tmp_path / "packs").mkdir()
    folder = _validate(tmp_path, "folder.yaml", "extend: packs\n")
    assert folder.exit_code == 2 and "extend: packs is a folder" in folder.stderr


def test_a_tab_in_yaml_is_named(tmp_path: Path) -> None:
    result = _validate(tmp_path, "tab.yaml", "extend: default\nrules:\n\t- id: Q06.x\n")
    assert result.exit_code == 2 and "tab.yaml:3:1: invalid YAML: a tab character; YAML indents with spaces" in result.stderr


def test_the_html_report_counts_the_questions_it_checked() -> None:
    """Regression: a three-question set's HTML report said 'the ten ... questions'."""
    two = invoke(["check", str(SAMPLES / "weak.docx"), "-f", "html", "--question", "Q4,Q5", "--fail-on", "never"]).stdout
    assert "checked against the two home-and-health assurance questions" in two
    ten = invoke(["check", str(SAMPLES / "weak.docx"), "-f", "html", "--fail-on", "never"]).stdout
    assert "checked against the ten home-and-health assurance questions" in ten


def test_a_zero_padded_question_id_is_pointed_to_its_real_name(tmp_path: Path) -> None:
    result = _validate(tmp_path, "q06.yaml", (
        "extend: default\nrules:\n  - id: Q06.sofa-surfing\n    question: Q06\n    kind: phrase\n    message: sofa surfing\n"
        "    lemmas: [sofa surfing]\n    examples:\n      partial: [\"Young people are sofa surfing.\"]\n"))
    assert result.exit_code == 2 and "rules[0].question: Q06 is not a loaded question; did you mean Q6?" in result.stderr


def test_a_missing_rules_file_named_by_the_config_says_where(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Regression: `rules: missing.yaml` in assure.yaml gave 'file not found' with no word of the
    config file, which read as if --rules had been given."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "assure.yaml").write_text("fail_on: gap\nrules: missing.yaml\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "weak.docx")], env={"ASSURE_CONFIG": None})
    assert result.exit_code == 2
    assert f"missing.yaml: file not found (named by rules: in {tmp_path / 'assure.yaml'}:2)" in result.stderr


def test_a_small_rules_pack_that_could_never_give_met_is_refused(tmp_path: Path) -> None:
    """Regression: a standalone rules file with no signals validated 'ok', and `assure rule`
    promised 'met when commitment + a specific signal'; every verdict was partial at most."""
    questions = tmp_path / "questions"
    questions.mkdir()
    built_in = Path(__file__).resolve().parents[1] / "questions"
    shutil.copy(next(built_in.glob("q01*.yaml")), questions)
    (tmp_path / "small.yaml").write_text(
        "version: 1\nrules:\n  - id: Q01.damp-mould\n    question: Q1\n    kind: phrase\n    message: damp and mould\n"
        "    lemmas: [\"damp and mould\"]\n    examples:\n      partial: [\"Damp and mould harm health.\"]\n", encoding="utf-8")
    result = invoke(["rules", "validate", "--rules", str(tmp_path / "small.yaml"), "--questions", str(questions)])
    assert result.exit_code == 2
    assert "unknown signal 'commitment', 'specific': a rule without met_when is met by default_met_when" in result.stderr


def test_an_extending_file_lists_schema_and_cross_reference_problems_at_once(tmp_path: Path) -> None:
    """Regression: in a file that extends the built-in rules, one schema problem (a misspelt key)
    hid every cross-reference problem (a question that does not exist, a duplicate id) until it
    was fixed; the docs promise every problem at once."""
    result = _validate(tmp_path, "r1.yaml", (
        "extend: default\nrules:\n"
        "  - id: Q06.sofa-surfing\n    question: Q6\n    kind: phrase\n    mesage: sofa surfing\n    lemmas: [sofa surfing]\n"
        "    examples:\n      partial: [\"Young people are sofa surfing.\"]\n"
        "  - id: Q11.landlords\n    question: Q11\n    kind: phrase\n    message: landlords\n    lemmas: [rogue landlords]\n"
        "    examples:\n      partial: [\"Rogue landlords harm tenants.\"]\n"
        "  - id: Q06.sofa-surfing\n    question: Q6\n    kind: phrase\n    message: sofa\n    lemmas: [sofa]\n"
        "    examples:\n      partial: [\"A sofa.\"]\n"))
    assert result.exit_code == 2
    for part in ("r1.yaml:6:5: rules[0].mesage: unknown key; did you mean message?",
                 "rules[1].question: Q11 is not a loaded question",
                 "rules[2].id: duplicate rule id Q06.sofa-surfing (first on line 3)"):
        assert part in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_over_a_file_the_rules_extend_is_refused(tmp_path: Path) -> None:
    """The outputs are guarded against every file of the rules' extend: chain, found by
    following extend: alone (no schema check before the rules load)."""
    base = tmp_path / "base-rules.yaml"
    shutil.copy(SAMPLES.parent / "rules.yaml", base)
    ours = tmp_path / "our-rules.yaml"
    ours.write_text("extend: base-rules.yaml\n", encoding="utf-8")
    before = base.read_bytes()
    result = invoke(["check", str(SAMPLES / "mixed.pdf"), "--rules", str(ours), "-o", str(base), "-f", "json"])
    assert result.exit_code == 2, result.output
    assert "refusing to write over an input" in result.output
    assert base.read_bytes() == before


def test_an_output_under_a_file_says_the_file_is_not_a_folder(tmp_path: Path) -> None:
    """-o report.pdf/out.json said "cannot write (File exists)" after the whole check ran."""
    blocker = tmp_path / "report.pdf"
    blocker.write_text("x\n", encoding="utf-8")
    result = invoke(["check", str(SAMPLES / "mixed.pdf"), "-o", str(blocker / "out.json")])
    assert result.exit_code == 2
    assert "report.pdf is not a folder" in result.output and "nothing was checked" in result.output
    assert blocker.read_text(encoding="utf-8") == "x\n"


def test_an_unknown_binary_file_names_every_format_assure_reads(tmp_path: Path) -> None:
    """The message named four formats of the eight assure reads (a new-user trial)."""
    from assure.extract import READERS

    blob = tmp_path / "data.bin"
    blob.write_bytes(b"\x07\x00\x01binary\x00" * 20)
    result = invoke(["check", str(blob), "-f", "concise"])
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if "unknown binary format" in ln)
    assert all(r.help.split(" (")[0] in line for r in READERS.values()), line


def test_a_link_to_a_folder_is_named_not_skipped_silently(tmp_path: Path) -> None:
    """A symlinked sub-folder was skipped with no word, even with --verbose (a new-user trial)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLES / "weak.docx", folder / "weak.docx")
    (folder / "more").symlink_to(SAMPLES, target_is_directory=True)
    found = discover_documents([str(folder)])
    assert found.files == (str(folder / "weak.docx"),) and found.links == (str(folder / "more"),)
    result = invoke(["check", str(folder), "-f", "concise"])
    assert f"{folder / 'more'}: a link to a folder, not followed" in result.output


def test_a_message_about_the_matrix_file_names_the_matrix_option(tmp_path: Path) -> None:
    """--matrix under a file said "--format matrix", an option the user never typed (a trial)."""
    blocker = tmp_path / "in.pdf"
    blocker.write_text("x\n", encoding="utf-8")
    result = invoke(["check", str(SAMPLES / "mixed.pdf"), "--matrix", str(blocker / "m.csv")])
    assert result.exit_code == 2 and "--matrix: " in result.output and "--format matrix" not in result.output


def test_a_damaged_docx_says_what_is_wrong_in_words(tmp_path: Path) -> None:
    """'damaged DOCX (KeyError: "There is no item named ...")' showed Python's class names (a trial)."""
    import zipfile

    missing = tmp_path / "missing.docx"
    with zipfile.ZipFile(missing, "w") as zf:
        zf.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    malformed = tmp_path / "malformed.docx"
    with zipfile.ZipFile(malformed, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("word/document.xml", "<w:document")
    out = invoke(["check", str(missing), str(malformed), "-f", "concise"]).output
    assert "damaged DOCX (a required part is missing: [Content_Types].xml)" in out
    assert "damaged DOCX (an XML part is malformed:" in out
    assert "KeyError" not in out and "XMLSyntaxError" not in out


def test_a_json_report_given_as_a_baseline_is_named_for_what_it_is(tmp_path: Path) -> None:
    """'malformed baseline: (top level): 'baseline_version' is required' for a check report (a trial)."""
    report = tmp_path / "report.json"
    invoke(["check", str(SAMPLES / "weak.docx"), "-f", "json", "-o", str(report), "--fail-on", "never"])
    result = invoke(["check", str(SAMPLES / "weak.docx"), "--baseline", str(report)])
    assert result.exit_code == 2
    assert "a JSON report (assure check -f json), not a baseline; write one with: assure baseline write" in result.output


def test_a_partial_finding_says_what_is_missing_not_what_is_there() -> None:
    """'a housing-related success measure or indicator — no commitment with an owner, funding,
    measure ...' contradicted itself: the measure was there (a second new-user trial)."""
    from assure.engine import DEFAULT_MET_WHEN, _what_is_missing

    assert _what_is_missing({"measure", "specific"}, DEFAULT_MET_WHEN) == "a figure or target but no commitment"
    # a rule met by its measure alone (Q01.housing-indicator) says what its words lacked, not "no measure" of a measure rule
    assert _what_is_missing(set(), (("measure",),)) == "not set as a figure or target"
    assert _what_is_missing({"commitment"}, DEFAULT_MET_WHEN) == "a commitment with no owner, funding, measure or named service"
    assert _what_is_missing(set(), DEFAULT_MET_WHEN) == "no commitment with an owner, funding, measure or named service"
    assert _what_is_missing(set(), (("data",),)) == "no local figures"
    assert _what_is_missing({"measure"}, (("commitment",), ("money",), ("service",))) == "no commitment"


def test_a_quote_does_not_end_on_the_bracket_the_next_sentence_opens(tmp_path: Path) -> None:
    """"... because of funding and staff shortages. [" (a needs assessment tags each finding
    "[Housing, frontline]"; the sentence splitter left the bracket on the sentence before)."""
    plan = tmp_path / "plan.md"
    plan.write_text("# Health and wellbeing needs assessment\n\nOur health and wellbeing priorities for children's social care.\n\n"
                    "4. It is not always possible to share good facilities in a supported housing centre with young people "
                    "because of funding and staff shortages. [Housing, frontline]\n", encoding="utf-8")
    result = invoke(["check", str(plan), "-f", "json", "--question", "Q5", "--fail-on", "never"])
    quotes = [e["quote"] for q in json.loads(result.stdout)["documents"][0]["questions"] for e in q["evidence"]]
    assert quotes and all(not q.endswith("[") for q in quotes), quotes


def test_rule_takes_a_question_id_spelled_as_rule_ids_spell_it() -> None:
    """`assure rule Q04` said there was no such rule, though the rule ids read Q04.… (a trial)."""
    padded, plain = invoke(["rule", "Q04"]), invoke(["rule", "Q4"])
    assert padded.exit_code == 0 and padded.stdout == plain.stdout


@pytest.mark.parametrize("name", ["reports/", "out.pdf", "out.DOCX"])
def test_a_report_named_like_a_folder_or_a_document_is_refused(tmp_path: Path, name: str) -> None:
    """`-o outdir/` wrote one report to a file named "outdir", and `-o out.pdf` a text report that
    assure then refused to read as a PDF (a new-user trial); both are refused before any work,
    in -o and in --format NAME:FILE alike."""
    target = f"{tmp_path}{os.sep}{name}"  # a Path would drop the trailing "/"
    for args in (["-o", target], ["-f", f"json:{target}"]):
        result = invoke(["check", str(SAMPLES / "weak.docx"), *args])
        assert result.exit_code == 2, result.output
        assert ("ends in '/'" if name.endswith("/") else "named like a document") in result.stderr
        assert not any(tmp_path.iterdir())


def test_a_heatmap_named_other_than_html_is_refused(tmp_path: Path) -> None:
    """`--heatmap h.json` wrote an HTML page into a .json file without a word (a second new-user
    trial); --matrix already refused names it cannot write."""
    result = invoke(["check", str(SAMPLES / "weak.docx"), "--heatmap", str(tmp_path / "h.json")])
    assert result.exit_code == 2 and "must end in .html" in result.stderr
    assert not any(tmp_path.iterdir())


def test_the_documented_extend_example_passes_its_own_and_the_built_in_examples(tmp_path: Path) -> None:
    """Regression (new-user run, 2026-12-08): the `extend:` example of docs/rule-authoring.md, copied as
    it stands, failed `assure rules test` (6 failures: its own met example found nothing, and its
    replacement of the owner signal broke built-in examples)."""
    guide = (SAMPLES.parent / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
    example = next(block for block in guide.split("```yaml\n")[1:] if block.startswith("# our-rules.yaml\nextend: default"))
    ours = tmp_path / "our-rules.yaml"
    ours.write_text(example.split("```")[0], encoding="utf-8")
    result = invoke(["rules", "test", "--rules", str(ours)])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_a_failing_verdict_is_not_said_twice() -> None:
    """Regression (new-user trial, 2026-12-08): the Markdown and text reports said "fails: gap (fails on gap)"."""
    from assure.config import Finding
    from assure.report._common import state_note

    def note(why: str) -> str:
        return state_note(Finding("plan.pdf", "Q4", "gap", 0, why, "fail", "", False))

    assert note("gap (fails on gap)") == "fails at --fail-on gap"
    assert note("gap (fails on partial); score 0 under 40") == "fails at --fail-on partial; score 0 under 40"
    assert note("score 72 under 75") == "fails: score 72 under 75"
