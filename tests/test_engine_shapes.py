"""Text that is not prose: table figures and chart or diagram labels read as a line, and
lemma-table quirks. Found on real council PDFs (a survey table row gave a "met"; a
word cloud of falls risk factors was quoted as evidence; "Housing First" matched
"Housing 1" in a bedroom-mix table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure.engine import compile_rules
from assure.nlp import get_nlp
from assure.pipeline import text_shape
from assure.runner import check_file

SURVEY_ROW = ("Mental health services 8 8 100.0% Substance misuse 7 7 100.0% GP 7 7 100.0% Housing 45 38 84.4% "
              "Children, YP, social and community services 19 16 84.2% Community health and wellbeing 16 13 81.3%")
WORD_CLOUD = ("Arthritis Muscle weakness Anti-arrhythmic medication High alcohol consumption Diabetes History of Falls "
              "Psychotropic drugs Stroke Parkinson's disease Incontinence Environmental hazards in the home Depression "
              "Dementia Polypharmacy Poor balance West Sussex England Hampshire")



def _shape(ruleset, text: str, word: str) -> str | None:  # noqa: ANN001
    nlp = compile_rules(ruleset).nlp
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == word)
    return text_shape(doc, (i, i + 1), 0, len(doc))


def test_shapes_of_figures_labels_and_prose(ruleset) -> None:  # noqa: ANN001
    assert _shape(ruleset, SURVEY_ROW, "Housing") == "figures"
    assert _shape(ruleset, WORD_CLOUD, "hazards") == "labels"
    # prose keeps its shape, even with several figures or a list of services
    assert _shape(ruleset, "In August 2025, 436 households were in temporary accommodation, up from 312 in 2024 and "
                           "250 in 2023.", "temporary") is None
    assert _shape(ruleset, "The Disabled Facilities Grant budget of £3.4m will fund 380 adaptations this year, with an "
                           "average wait under 20 weeks.", "adaptations") is None
    assert _shape(ruleset, "Services include warm homes, adaptations, handyperson repairs, falls prevention, telecare, "
                           "hospital discharge support and housing advice for older residents.", "adaptations") is None
    # regression (needs-assessment probes): a sentence of long proper names with "when" and "below" for its grammar
    assert _shape(ruleset, "The Severe Weather Emergency Protocol will open 20 additional bed spaces for people sleeping "
                           "rough when temperatures fall below zero.", "rough") is None


def _check(tmp_path: Path, ruleset, body: str):  # noqa: ANN001, ANN202
    path = tmp_path / "plan.md"
    filler = ("Health and wellbeing matter to every resident. Social care supports people with dementia. Mental health "
              "services are stretched. Life expectancy is lower in deprived wards. Public health teams and the NHS work "
              "together.")
    path.write_text(f"# Health and wellbeing strategy\n\n{body}\n\n{filler}\n", encoding="utf-8")
    result = check_file(str(path), ruleset)
    return {q.id: q for q in result.questions}


def test_a_survey_table_row_is_never_met(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    questions = _check(tmp_path, ruleset, SURVEY_ROW)
    assert questions["Q2"].status.value != "met"
    assert all(e.context == "figures" for q in questions.values() for e in q.evidence)


def test_a_word_cloud_is_not_evidence(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    assert _check(tmp_path, ruleset, WORD_CLOUD)["Q4"].evidence == ()
    # the same words as a sentence are evidence
    prose = "Environmental hazards in the home, such as poor lighting and steep stairs, cause falls in older people."
    assert _check(tmp_path, ruleset, prose)["Q4"].evidence


def test_ordinals_keep_their_words() -> None:
    """The lookup table maps "first" to "1"; assure keeps ordinals as words."""
    doc = get_nlp()("Housing First is the first of our three priorities.")
    assert [t.lemma_ for t in doc][1] == "first"


@pytest.mark.parametrize("title, place", [("4. Glossary", "glossary"), ("10 References", "references"),
                                          ("Appendix B: Glossary of terms", "glossary"), ("2.1 Contents", "contents"),
                                          ("4. Our vision", None), ("References to housing in this plan", None),
                                          # probe set lp20 (2026-12-08): a Local Plan's appendix and a committee report's list
                                          ("Appendix G: Evidence base and references", "references"),
                                          ("Background papers", "references"), ("Evidence base", None),
                                          # probe sets ph21, ad24 (2026-12-08): an appendix's own numbering, a data dictionary,
                                          # a plan's list of related documents
                                          ("C.4 Glossary", "glossary"), ("Data dictionary", "glossary"),
                                          ("5. Related documents", "references"), ("Supporting documents", "references"),
                                          ("Data sources", "references")])
def test_numbered_glossary_and_reference_titles_open_their_place(title: str, place: str | None) -> None:
    from assure.extract.clean import place_for_heading

    found = place_for_heading(title)
    assert (found.value if found else None) == place


def test_a_heading_is_quoted_only_when_no_sentence_was_found(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    q4 = _check(tmp_path, ruleset, "## Damp and mould\n\nDamp and mould in rented homes harm children's breathing.")["Q4"]
    assert q4.evidence and all(e.kind != "heading" for e in q4.evidence)
    assert any(e.kind == "heading" and e.counted for e in q4.candidates)  # still counted, just not quoted


def test_a_report_that_explores_a_topic_is_not_aspirational(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    """'Explores' describes what a review covers; 'we will explore' is still an aspiration."""
    described = _check(tmp_path, ruleset, "This review explores the health of people experiencing homelessness.")["Q6"]
    assert described.evidence and described.evidence[0].context is None
    hoped = _check(tmp_path, ruleset, "We will explore options to reduce homelessness.")["Q6"]
    assert hoped.evidence and hoped.evidence[0].context == "aspirational"


def test_only_a_document_with_no_text_at_all_is_unreadable() -> None:
    """All questions unassessable because most pages are scans is not 'no text': the readable
    pages were read and the verdicts say so; only no text anywhere is a no_text error."""
    from assure.models import DocStatus, DocumentResult, QuestionResult, Status
    from assure.runner import unreadable

    questions = tuple(QuestionResult(f"Q{n}", "t", Status.UNASSESSABLE, 0, (), "", "f") for n in range(1, 11))
    scanned = DocumentResult("a.pdf", "pdf", 4, DocStatus.OK, None, questions,
                             unreadable_pages=tuple((p, "no text layer") for p in range(1, 5)), words=0)
    mostly_scanned = DocumentResult("b.pdf", "pdf", 4, DocStatus.OK, None, questions,
                                    unreadable_pages=tuple((p, "no text layer") for p in range(1, 4)), words=350)
    assert unreadable(scanned) and not unreadable(mostly_scanned)


def test_the_locative_cue_reads_where_people_live_not_who_homes_are_for(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    located = _check(tmp_path, ruleset, "The project supports 16-25 year olds in supported housing at risk of self-harm.")["Q5"]
    assert located.status.value == "partial" and located.evidence[0].context == "locative"
    provided = _check(tmp_path, ruleset, "The council will build 100 homes for people with disabilities, including "
                                         "wheelchair accessible homes, by 2028.")["Q5"]
    assert provided.status.value == "met"
