"""Evidence combined across a plan, passing mentions in lists, bare headings and confidence
(issue 11: verdicts a reviewer would sign on real plans). Each case is a short Markdown plan
run through the real engine, as a user would run ``assure check``."""

from __future__ import annotations

import json
from pathlib import Path

from assure.evaluate import Item, Label, LabelledDocument, Prediction, score
from assure.report import json as json_report
from assure.runner import check_file, check_paths


def _verdict(tmp_path: Path, ruleset, text: str, qid: str):
    path = tmp_path / "plan.md"
    path.write_text("# Health and wellbeing strategy\n\nOur health and wellbeing priorities for adult social care and the NHS.\n\n"
                    + text, encoding="utf-8")
    result = check_file(str(path), ruleset)
    assert result.status.value == "ok", result
    return next(q for q in result.questions if q.id == qid)


def test_bare_heading_with_deferred_sentence_is_gap(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "## Warm homes\n\nWork on this will follow in due course.\n", "Q4")
    assert q.status.value == "gap"
    assert any(e.context == "heading_alone" for e in q.candidates)


def test_heading_naming_a_priority_counts(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "## Priority 2: warm homes\n\nWe will report on this each spring.\n", "Q4")
    assert q.status.value == "partial"


def test_heading_counts_when_its_section_has_evidence(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "## Warm homes\n\nCold homes make respiratory illness worse.\n", "Q4")
    assert q.status.value == "partial"
    assert not any(e.context == "heading_alone" for e in q.candidates)


PLAN = """## {heading}

We will tackle damp and mould in privately rented homes.

Lead: Director of Public Health, with quarterly reports to the Board.
"""


def test_commitment_section_lends_owner_to_topic_sentence(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, PLAN.format(heading="What we will do"), "Q4")
    assert q.status.value == "met"
    combined = [e for e in q.evidence if e.parts]
    assert combined and combined[0].parts[0].role == "owner"
    assert "Director of Public Health" in combined[0].parts[0].quote
    assert q.confidence == "borderline" and "neighbouring paragraph" in q.confidence_why


def test_descriptive_section_lends_nothing(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, PLAN.format(heading="Background"), "Q4")
    assert q.status.value == "partial"
    assert not any(e.parts for e in q.candidates)


def test_combined_parts_in_json_and_text(tmp_path: Path, ruleset) -> None:
    path = tmp_path / "plan.md"
    path.write_text("# Strategy\n\nHealth and wellbeing, the NHS and adult social care.\n\n" + PLAN.format(heading="What we will do"),
                    encoding="utf-8")
    report = check_paths([str(path)], ruleset)
    data = json.loads(json_report.render(report))
    q4 = next(q for q in data["documents"][0]["questions"] if q["id"] == "Q4")
    assert q4["confidence"] == "borderline" and q4["confidence_why"]
    assert any(e.get("combined_with") for e in q4["evidence"])
    from assure.report import text as text_report
    rendered = text_report.render(report)
    assert "+ combined with owner" in rendered or "+ combined with measure" in rendered
    assert "borderline verdicts to check" in rendered


def test_name_in_off_topic_list_is_a_passing_mention(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "Groups such as migrants, homeless people, drug users and sex workers are often "
                                    "left out of research.\n", "Q6")
    assert q.status.value == "gap"
    assert any(e.context == "listed" for e in q.candidates)
    assert q.confidence == "borderline"  # a person should look at what was set aside


def test_list_of_housing_harms_is_on_topic(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "Some nightly-paid temporary accommodation is of poor quality, with damp, mould and "
                                    "overcrowding reported by families.\n", "Q4")
    assert q.status.value == "partial"


def test_list_in_a_commitment_still_counts(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "The council will fund advice for carers, veterans, homeless people and refugees "
                                    "through the £200,000 Inclusion Fund.\n", "Q6")
    assert q.status.value != "gap"


def test_refusal_voids(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "Neither the council nor the NHS funds insulation for private tenants.\n", "Q4")
    assert q.status.value == "gap"
    q = _verdict(tmp_path, ruleset, "GPs will not refer patients to the housing options service.\n", "Q10")
    assert q.status.value == "gap"


def test_met_on_one_sentence_is_borderline_and_many_are_firm(tmp_path: Path, ruleset) -> None:
    one = "We will expand Housing First to 40 tenancies by 2025, funded through the Rough Sleeping Initiative.\n"
    q = _verdict(tmp_path, ruleset, one, "Q6")
    assert q.status.value == "met" and q.confidence == "borderline"
    assert q.confidence_why == "met rests on one sentence"
    many = one + "\nThe homelessness prevention service helped 1,200 households last year.\n\n" \
                 "Rough sleeping fell by 30% after the council opened a 20-bed hostel in 2023.\n"
    q = _verdict(tmp_path, ruleset, many, "Q6")
    assert q.status.value == "met" and q.confidence == "firm" and q.confidence_why == ""


def test_hedged_commitment_is_a_borderline_partial(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "Subject to funding, we will insulate 200 homes of people with COPD by 2026.\n", "Q4")
    assert q.status.value == "partial" and q.confidence == "borderline"
    assert "hedged" in q.confidence_why


def test_eval_reports_firm_and_borderline_agreement() -> None:
    docs = [LabelledDocument("l.yaml", "a.pdf", "a.pdf", "ok", (Label("Q1", "met"), Label("Q2", "gap"), Label("Q3", "partial")))]
    preds = [Prediction("ok", {"Q1": "met", "Q2": "partial", "Q3": "partial"}, borderline=frozenset({"Q2"}))]
    ev = score("assure", docs, preds, ("Q1", "Q2", "Q3"))
    assert ev.firm is not None and ev.borderline is not None
    assert (ev.firm.n, ev.firm.correct) == (2, 2)
    assert (ev.borderline.n, ev.borderline.correct) == (1, 0)
    assert abs((ev.borderline_share or 0) - 1 / 3) < 1e-9
    assert Item("d", "p", "Q1", "gap", "gap", borderline=True).borderline


def test_lead_in_line_lends_partner_words_to_list_items(tmp_path: Path, ruleset) -> None:
    text = "The Health and Care Partnership consists of organisations including:\n\n- the NHS trust\n- Leeds City Council\n"
    assert _verdict(tmp_path, ruleset, text, "Q9").status.value == "partial"
    text = "The Health and Care Partnership meets monthly.\n\n- the NHS trust\n- Leeds City Council\n"
    assert _verdict(tmp_path, ruleset, text, "Q9").status.value == "gap"


def test_explain_lists_combined_parts_and_confidence(tmp_path: Path, ruleset) -> None:
    from assure.report import explain

    path = tmp_path / "plan.md"
    path.write_text("# Strategy\n\nHealth and wellbeing, the NHS and adult social care.\n\n" + PLAN.format(heading="What we will do"),
                    encoding="utf-8")
    rendered = explain.render(check_paths([str(path)], ruleset))
    assert "+ combined with owner: \u201cLead: Director of Public Health" in rendered
    assert "borderline: met combines a topic sentence with the owner of a neighbouring paragraph" in rendered


def test_fail_on_ignores_nothing_because_of_confidence(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assure.cli import app

    path = tmp_path / "plan.md"
    path.write_text("# Strategy\n\nHealth and wellbeing, the NHS and adult social care.\n\nMental health matters.\n\n"
                    "Groups such as migrants, homeless people, drug users and sex workers are often left out of research.\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "-f", "json", "--fail-on", "gap"])
    data = json.loads(result.stdout)
    q6 = next(q for q in data["documents"][0]["questions"] if q["id"] == "Q6")
    assert q6["status"] == "gap" and q6["confidence"] == "borderline"
    assert result.exit_code == 1  # a borderline gap still fails
