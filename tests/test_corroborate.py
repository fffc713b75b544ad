"""Evidence combined across a plan, passing mentions in lists, bare headings and confidence
(issue 11: verdicts a reviewer would sign on real plans). Each case is a short Markdown plan
run through the real engine, as a user would run ``assure check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("topic", "verdict"),
    [
        # a risk told as narrative under an action heading commits to nothing: its neighbour's owner is not its owner
        ("People facing eviction and people sleeping rough are at markedly higher risk, and the audit shows this group is growing.", "partial"),
        # a list item under the heading inherits its "We will:"
        ("- Tackle damp and mould in privately rented homes.", "met"),
    ],
)
def test_a_commitment_heading_lends_its_commitment_to_list_items_not_to_narrative(
    tmp_path: Path, ruleset, topic: str, verdict: str
) -> None:
    text = f"## Priority actions\n\n{topic}\n\nLead: Director of Public Health, with quarterly reports to the Board.\n"
    qid = "Q6" if "eviction" in topic else "Q4"
    assert _verdict(tmp_path, ruleset, text, qid).status.value == verdict


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
    # the line above the parts says why it is met, not only that the sentence alone lacks something
    assert "combined: on its own it lacks commitment + specific; met with the part(s) below" in rendered
    assert "[counted: met] Q04.cold-damp-hazards 'damp' @ Strategy > What we will do \u2014 signals: lacks" not in rendered
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


# ---------------------------------------------------------------------------------------------- concepts
HOUSING_UNDER_THREE = """## What we will do

We will insulate 300 cold homes of people with COPD by 2026, funded by a £1.2m grant.

The Disabled Facilities Grant budget of £3.4m will fund 380 adaptations this year.

We will expand Housing First to 40 tenancies by 2025, funded through the Rough Sleeping Initiative.
"""


def _engaged_and_q9(tmp_path: Path, ruleset, text: str):
    path = tmp_path / "plan.md"
    path.write_text("# Health and wellbeing strategy\n\nOur health and wellbeing priorities for adult social care and the NHS.\n\n"
                    + text, encoding="utf-8")
    result = check_file(str(path), ruleset)
    engaged = sum(1 for q in result.questions if q.status.value in ("met", "partial"))
    return engaged, next(q for q in result.questions if q.id == "Q9")


def test_gap_on_a_mention_level_question_is_borderline_when_housing_is_discussed(tmp_path: Path, ruleset) -> None:
    """Reviewers find a passing mention (partners named, a data source) on about half the plans that
    discuss housing under three or more questions: the gap is a close call there, firm where housing is scarce."""
    engaged, q = _engaged_and_q9(tmp_path, ruleset, HOUSING_UNDER_THREE)
    assert engaged >= 3
    assert q.status.value == "gap" and q.confidence == "borderline"
    assert f"{engaged} other questions are met or partial" in q.confidence_why
    engaged, q = _engaged_and_q9(tmp_path, ruleset, "The Disabled Facilities Grant budget of £3.4m will fund 380 adaptations "
                                                    "this year.\n")
    assert engaged < 3
    assert q.status.value == "gap" and q.confidence == "firm"


def test_tenure_is_not_a_housing_risk(tmp_path: Path, ruleset) -> None:
    q = _verdict(tmp_path, ruleset, "Households with a reference person aged 65 and over were the most likely to own their "
                                    "accommodation outright (76%).\n", "Q2")
    assert q.status.value == "gap"
    assert any(e.context == "locative" for e in q.candidates)
    q = _verdict(tmp_path, ruleset, "Older people living in cold homes are at greater risk of respiratory illness.\n", "Q2")
    assert q.status.value == "partial"


@pytest.mark.parametrize(("not_a_partner", "a_partner"), [
    # district councils as billing authorities (council tax, collection fund) are local government finance
    (("The final budget includes the council tax base and collection fund balance estimates from each district council, "
      "working with partners.\n"),
     "Partners include the NHS, the police, the voluntary sector and housing associations.\n"),
    # a city council is a housing partner only beside housing (or as a member of the health and care partnership)
    ("The hospitals will anchor an innovation district, a partnership between the Trust, the University and the City Council.\n",
     "We work in partnership with the City Council's housing options service.\n"),
])
def test_q9_partners_are_housing_bodies_in_a_housing_sense(tmp_path: Path, ruleset, not_a_partner: str, a_partner: str) -> None:
    assert _verdict(tmp_path, ruleset, not_a_partner, "Q9").status.value == "gap"
    assert _verdict(tmp_path, ruleset, a_partner, "Q9").status.value == "partial"


def test_national_policy_recital_of_groups_is_not_the_plans_own(tmp_path: Path, ruleset) -> None:
    recital = ("The size, type and tenure of housing needed for different groups in the community should be assessed, "
               "including older people (including those who require retirement housing) and people with disabilities.\n")
    assert _verdict(tmp_path, ruleset, recital, "Q5").status.value == "gap"
    assert _verdict(tmp_path, ruleset, "We will deliver 250 new extra care homes by 2030 through the specialist housing "
                                       "programme.\n", "Q5").status.value == "met"


def test_names_are_not_evidence(tmp_path: Path, ruleset) -> None:
    """A department, foundation or "priority need" (homelessness law) is not the plan's vision or priority."""
    q = _verdict(tmp_path, ruleset, "The rate of households who are homeless, eligible but not in priority need is a measure "
                                    "on the Public Health Outcomes Framework.\n", "Q1")
    assert q.status.value != "met"
    assert not any(e.rule == "Q01.vision-home" and e.counted for e in q.candidates)


def test_quantified_need_meets_q5_but_is_no_action_for_q2(tmp_path: Path, ruleset) -> None:
    """A needs assessment's quantified requirement for specialist homes is a specific analysis (Q5 met),
    but it commits to nothing, so it does not make a group at housing risk met under Q2."""
    text = ("Older people living in cold homes are at greater risk of respiratory illness.\n\n"
            "The assessment identifies a need for 800 units of supported housing and 4,700 specialist older person "
            "housing units.\n")
    assert _verdict(tmp_path, ruleset, text, "Q5").status.value == "met"
    assert _verdict(tmp_path, ruleset, text, "Q2").status.value == "partial"
    acted = text + "\nWe will fund the Warm Homes service to insulate 300 homes of older people by 2026.\n"
    assert _verdict(tmp_path, ruleset, acted, "Q2").status.value == "met"
    assert _verdict(tmp_path, ruleset, "There are 412 units of extra care housing in the borough.\n", "Q5").status.value == "partial"


def test_national_figures_are_not_local_data(tmp_path: Path, ruleset) -> None:
    national = ("In England in 2023/24, nearly 65,700 households were accepted by local authorities as homeless and "
                "eligible for support.\n")
    q = _verdict(tmp_path, ruleset, national, "Q3")
    assert q.status.value == "partial"
    assert any(e.context == "locative" for e in q.evidence)
    local = "In 2023/24, 1,240 households in the borough were owed a homelessness prevention duty.\n"
    assert _verdict(tmp_path, ruleset, local, "Q3").status.value == "met"


TRAINING = ("The programme will train 2,000 front-line staff by March 2027, including how to ask about cold homes and damp, "
            "and how to refer residents to the Housing Advice Service.\n")


@pytest.mark.parametrize(("question", "text", "verdict"), [
    # a housing harm as the subject of staff training is Q10 evidence, not an action on the homes (Q4)
    ("Q4", TRAINING, "partial"),
    ("Q10", TRAINING, "met"),
    # "adaptation" of places, buildings or methods is a false friend; home alterations and adaptations are not
    ("Q5", "The re-use and adaptation of existing rural buildings will be supported.\n", "gap"),
    ("Q5", "The use of a national growth rate and its adaptation to suit local variation is a reasonable approach.\n", "gap"),
    ("Q5", "Flood resilience and climate change adaptation measures will be required on riverside sites.\n", "gap"),
    ("Q5", ("Occupational therapists arrange alterations and adaptations to the homes of 300 disabled people a year, "
            "funded by the Disabled Facilities Grant.\n"), "met"),
    # the JSNA pointed to for another topic is a gap; a general reference is partial (reviewer decisions)
    ("Q3", "More detail on physical activity and its determinants can be found in the Joint Strategic Needs Assessment.\n", "gap"),
    ("Q3", "The priorities were informed by the Joint Strategic Needs Assessment.\n", "partial"),
    # how treatment data record housing is local housing data
    ("Q3", "26% of new referrals to the drug and alcohol service have a housing problem.\n", "met"),
    # a named standard makes an objective specific
    ("Q5", "Provide a range of accessible and specialist homes, such as lifetime homes, so people can stay at home longer.\n", "met"),
    # Travellers with no lawful place to stop; a roadside verge is not
    ("Q6", "Three households were living on the roadside with no authorised pitch.\n", "partial"),
    ("Q6", "Trees on the roadside verge will be retained.\n", "gap"),
    # groups defined by their housing risk (partial in narrative, met with an action aimed at them) or by a health condition
    ("Q2", "People who are homeless are more likely to die young.\n", "partial"),
    ("Q2", "The ICB will fund a specialist GP service for 300 people experiencing homelessness from April 2025.\n", "met"),
    ("Q2", "Homelessness is outside the scope of this strategy.\n", "gap"),
    ("Q2", "Households with a cold-related health condition are most at risk in poorly insulated homes.\n", "partial"),
    # a probe of the reviewer decisions (second round): a housing need is no negation; health money said actively;
    # a planning policy's test binds every application
    ("Q7", "Six step-down beds at St Anne's hostel take patients who have no home to go to when they leave hospital.\n",
     "partial"),
    ("Q8", "The Housing First programme receives £220,000 a year from the NHS Integrated Care Board to keep 25 people "
           "in their tenancies.\n", "met"),
    ("Q5", "Residential development will only be permitted where at least 10% of homes meet the M4(3) wheelchair user "
           "standard.\n", "met"),
])
def test_concept_verdicts(tmp_path: Path, ruleset, question: str, text: str, verdict: str) -> None:
    assert _verdict(tmp_path, ruleset, text, question).status.value == verdict


def test_a_service_heading_is_met_by_the_paragraph_saying_who_commissions_it(tmp_path: Path, ruleset) -> None:
    """A service directory (needs assessments map services so): the heading names the service,
    the paragraph under it who commissions it. A reviewer labels that met; the heading alone, or
    data under a topic heading, stays partial."""
    q = _verdict(tmp_path, ruleset, "## Young People's Homelessness Prevention Team\n\n"
                 "This is a service commissioned by West Sussex County Council for 16 and 17 year olds.\n", "Q6")
    assert q.status.value == "met", q
    met = next(e for e in q.evidence if e.strength == "met")
    assert met.kind == "heading" and [p.quote for p in met.parts] == [
        "This is a service commissioned by West Sussex County Council for 16 and 17 year olds."]
    data = _verdict(tmp_path, ruleset, "## Homelessness prevention\n\n"
                    "Data from the council show that 1,200 households were owed a prevention duty in 2023.\n", "Q6")
    assert data.status.value != "met", data


def test_a_deferred_or_hedged_paragraph_completes_no_heading(tmp_path: Path, ruleset) -> None:
    """A probe of the verdict rubric: "## Adaptations" over "A review of the Disabled Facilities
    Grant policy will be undertaken in due course." was met, the heading completed by the money
    and commitment of a sentence the rubric calls deferred (gap), and "Subject to funding, the
    council will commission a Housing First service" met a homelessness heading (partial at most).
    A neighbour lends only what no cue voids or weakens; unhedged, it still completes."""
    deferred = _verdict(tmp_path, ruleset, "## Adaptations\n\nPartners want to support disabled residents to stay "
                        "healthy. A review of the Disabled Facilities Grant policy will be undertaken in due course.\n", "Q5")
    assert deferred.status.value != "met", deferred
    hedged = _verdict(tmp_path, ruleset, "## Housing First\n\nHomelessness damages health. Subject to funding, the council "
                      "will commission a Housing First service for 20 people.\n", "Q6")
    assert hedged.status.value == "partial", hedged
    plain = _verdict(tmp_path, ruleset, "## Housing First\n\nHomelessness damages health. The council "
                     "will commission a Housing First service for 20 people.\n", "Q6")
    assert plain.status.value == "met", plain


def test_a_heading_over_its_false_friend_is_not_completed(tmp_path: Path, ruleset) -> None:
    """"## Adaptations" over "The service made adaptations to its therapy model ..., and staff will
    continue to offer video consultations." was a met Q5 (a probe): the paragraph shows the heading's
    sense, a service adapted, and its commitment is to something else."""
    q = _verdict(tmp_path, ruleset, "## Adaptations\n\nPoor health is more common in our most deprived wards. "
                 "The service made adaptations to its therapy model during the pandemic, and staff will continue "
                 "to offer video consultations.\n", "Q5")
    assert q.status.value != "met", q


def test_an_evidence_base_about_itself_completes_no_heading(tmp_path: Path, ruleset) -> None:
    """"This evidence base supports the health and wellbeing of residents ..." under "## Energy
    efficiency of homes" made the heading a met Q4 action (a probe): a document describing
    itself is not a service under the heading."""
    q = _verdict(tmp_path, ruleset, "## Energy efficiency of homes\n\nThis evidence base supports the health and "
                 "wellbeing of residents. Of the 38,400 homes in the district with an Energy Performance Certificate, "
                 "52% are rated D or below. Homes rated F or G are the most expensive to heat and are linked to "
                 "excess winter deaths and poor health.\n", "Q4")
    assert q.status.value != "met", q


def test_a_negation_with_its_verb_left_out_voids_what_came_before(tmp_path: Path, ruleset) -> None:
    """"Most services do home visits, however MIND and Crawley Open House (a service for homeless)
    do not." was a firm met for Q6 (a new-user trial on a dual diagnosis needs assessment). A
    contrast ends the negation's reach: the districts that fund the service still count."""
    q = _verdict(tmp_path, ruleset, "Most services do home visits, however MIND and Crawley Open House "
                 "(a service for homeless people) do not.\n", "Q6")
    assert q.status.value == "gap", q
    kept = _verdict(tmp_path, ruleset, "Three districts fund a Housing First service for people sleeping rough, "
                    "but Arun does not.\n", "Q6")
    assert kept.status.value != "gap", kept


def test_a_disabled_facilities_grant_line_is_met_with_the_pooled_budget_named_elsewhere(tmp_path: Path, ruleset) -> None:
    """A Better Care Fund plan names the fund in one section and its Disabled Facilities Grant
    allocation in another (a probe of the reviewer decisions: "BCF with DFG" is met). The grant
    alone is partial; the nearest mention of the fund is shown as the combined part."""
    alone = _verdict(tmp_path, ruleset, "## Adaptations\n\nOur Disabled Facilities Grant allocation of £4.1m will fund "
                     "400 adaptations this year.\n", "Q8")
    assert alone.status.value == "partial", alone
    q = _verdict(tmp_path, ruleset, "## Our Better Care Fund\n\nThe Better Care Fund is a pooled budget under a section 75 "
                 "agreement.\n\n## Adaptations\n\nOur Disabled Facilities Grant allocation of £4.1m will fund 400 adaptations "
                 "this year.\n", "Q8")
    assert q.status.value == "met", q
    met = next(e for e in q.evidence if e.strength == "met")
    assert met.rule == "Q08.dfg-funding" and [p.role for p in met.parts] == ["pooled budget"]
    assert met.reason == "met with its pooled budget in the plan"
    waits = _verdict(tmp_path, ruleset, "The average wait for a major adaptation funded by a Disabled Facilities Grant is "
                     "44 weeks.\n", "Q8")
    assert waits.status.value == "gap", waits


def test_treasury_counterparties_are_no_housing_governance(tmp_path: Path, ruleset) -> None:
    """Housing associations as approved counterparties, limits set by the Audit and Governance
    Committee: Q9 came out met on "governance" (a probe of the reviewer decisions)."""
    q = _verdict(tmp_path, ruleset, "The council lends to housing associations as approved counterparties, within limits "
                 "set by the Audit and Governance Committee.\n", "Q9")
    assert q.status.value == "gap", q


# a table's rows read what the table's header or the line above it says of them; without it, the same
# rows are weaker evidence
TABLES_READ_BY_THEIR_HEADS = [
    # "Indicator | Baseline | Target": each row is a measure, though no row says so (Q1 needs the home in the
    # priorities and a housing measure; a priority named in a list of priorities counts)
    pytest.param(
        "Q1",
        "Q01.housing-indicator",
        "## Priorities\n\nOur priorities are good jobs, safe and decent homes, and thriving town centres.\n\n"
        "## Measuring success\n\n| Indicator | Baseline | Target |\n|---|---|---|\n"
        "| Households in temporary accommodation | 310 | 200 |\n",
        ("| Indicator | Baseline | Target |", "| Group | 2023 | 2024 |"),
        id="an indicator table's rows take the measure from its header",
    ),
    # "Indicator | Sefton Vale | England | Trend" names no target column, but each row under it is an indicator
    # (the Q1 rubric: the home in the priorities plus a housing-related indicator); under a first column titled
    # otherwise the rows are figures
    pytest.param(
        "Q1",
        "Q01.housing-indicator",
        "## Our priorities\n\n1. Good mental health for all.\n2. Healthy, secure homes.\n\n## The position today\n\n"
        "| Indicator | Sefton Vale | England | Trend |\n|---|---|---|---|\n"
        "| Households in fuel poverty (2022) | 17.3% | 13.1% | Worsening |\n",
        ("| Indicator | Sefton Vale |", "| Area | Sefton Vale |"),
        id="a table whose first column is titled Indicator lists indicators",
    ),
    # "Its members are:" over a "Member | Represents" table: each row is a member, as each item of a bulleted
    # list under it is (reviewer decisions, Q9: a housing body on the board is met); without the lead-in the
    # row only names a housing body
    pytest.param(
        "Q9",
        "Q09.housing-in-governance",
        "## How the Partnership works\n\nThe Partnership is a joint committee of the ICB and the councils. Its members are:\n\n"
        "| Member | Represents |\n|---|---|\n| Chair of the ICB | NHS Vale ICB |\n"
        "| Chief Executive, Calder Homes | Registered providers of social housing |\n",
        (" Its members are:", ""),
        id="a table under a lead-in reads the lead-in's partner words",
    ),
]


@pytest.mark.parametrize(("question", "rule", "text", "without"), TABLES_READ_BY_THEIR_HEADS)
def test_a_tables_rows_read_its_head(tmp_path: Path, ruleset, question: str, rule: str, text: str, without: tuple[str, str]) -> None:
    q = _verdict(tmp_path, ruleset, text, question)
    assert q.status.value == "met", q
    assert any(e.rule == rule and e.strength == "met" for e in q.evidence), q.evidence
    assert _verdict(tmp_path, ruleset, text.replace(*without), question).status.value == "partial"


def test_a_list_item_that_only_ends_its_lead_in_is_quoted_with_it(tmp_path: Path, ruleset) -> None:
    """A bare item ("quality (e.g., cold or damp conditions ...)") says nothing without its lead-in
    (a new-user trial on a tenure briefing): the quote carries the lead-in's last sentence. An
    item that is a sentence of its own is quoted alone."""
    text = ("Housing matters. Housing affects our health through several routes, such as:\n\n"
            "- quality (e.g., cold or damp conditions causing respiratory issues)\n"
            "- Damp homes make asthma worse for children.\n")
    q = _verdict(tmp_path, ruleset, text, "Q4")
    quotes = {e.quote for e in q.evidence}
    assert ("Housing affects our health through several routes, such as: quality (e.g., cold or damp conditions "
            "causing respiratory issues)") in quotes, quotes
    assert "Damp homes make asthma worse for children." in quotes, quotes


def test_a_job_title_is_no_evidence(tmp_path: Path, ruleset) -> None:
    """"Nicola Gibbins Principal Integrated Services Delivery Manager, CYPS WSCC" was quoted as Q8
    evidence (a contact list in a needs assessment; a new-user trial). A sentence about the
    same service still counts."""
    q = _verdict(tmp_path, ruleset, "Nicola Gibbins Principal Integrated Services Delivery Manager, CYPS WSCC\n\n"
                 "Ali Rummey DAAT Joint Commissioning Manager - Young People West Sussex DAAT, WSCC\n", "Q8")
    assert q.status.value == "gap", q
    assert {e.context for e in q.candidates} == {"names"}
    kept = _verdict(tmp_path, ruleset, "Joint commissioning of the young people's service is led by the DAAT.\n", "Q8")
    assert kept.status.value == "partial", kept


def test_a_documents_title_is_not_completed_by_its_opening_sentence(tmp_path: Path, ruleset) -> None:
    """"# Damp and Mould Briefing" over "This briefing supports the Joint Health and Wellbeing
    Strategy across the borough." came out Q4 met: the title borrowed a commitment ("supports")
    and an owner ("borough") from the document describing itself (a probe of the reviewer decisions)."""
    path = tmp_path / "briefing.md"
    path.write_text("# Damp and Mould Briefing\n\nThis briefing supports the Joint Health and Wellbeing Strategy across "
                    "the borough. Our health and wellbeing priorities for adult social care and the NHS.\n", encoding="utf-8")
    q = next(q for q in check_file(str(path), ruleset).questions if q.id == "Q4")
    assert q.status.value == "gap", q


def test_a_staff_lists_rows_and_a_tables_column_titles_are_no_evidence(tmp_path: Path, ruleset) -> None:
    """"34 | Nurse Practitioner for the Homeless" and "Ali Rummey | DAAT Joint Commissioning Manager"
    were counted (a staff list read as a table; a second new-user trial); a data row labelled in
    capitals ("Specialist Older Person Housing | 3,018") is not a job title."""
    rows = ("| Name | Role |\n|---|---|\n| Ali Rummey | DAAT Joint Commissioning Manager |\n"
            "| 34 | Nurse Practitioner for the Homeless |\n")
    for qid in ("Q6", "Q8"):
        q = _verdict(tmp_path, ruleset, rows, qid)
        assert q.status.value == "gap", q
    data = _verdict(tmp_path, ruleset, "| Type | Need |\n|---|---|\n| Specialist Older Person Housing | 3,018 |\n", "Q5")
    assert not any(e.context == "names" for e in data.candidates)


def test_a_reviews_own_method_is_no_action_for_the_groups(tmp_path: Path, ruleset) -> None:
    """"This review has taken a partnership approach, involving ... the main providers of
    homelessness and housing support services" was the action that made Q2 met in a deaths review
    that makes no recommendations (a second new-user trial): a document describing its own method
    acts on nothing."""
    group = "Older people living in cold homes are at greater risk of dying in winter.\n\n"
    method = ("This review has taken a partnership approach, involving commissioning leads and the main providers of "
              "homelessness and housing support services across the county in the review process.\n")
    assert _verdict(tmp_path, ruleset, group + method, "Q2").status.value == "partial"
    action = "The council will fund a warm homes service for 300 older people a year from April 2025.\n"
    assert _verdict(tmp_path, ruleset, group + action, "Q2").status.value == "met"


def test_a_lead_in_hit_pairs_with_partner_words_in_its_items(tmp_path: Path, ruleset) -> None:
    """"The Integrated Discharge Team includes:" over "- a housing options officer from each district
    council" was a gap for Q7 (a probe): the discharge words sat in the lead-in, the housing words in
    the item. They pair as one hit, met (a housing post built into discharge, reviewer decisions);
    an item with no housing words pairs with nothing, and neither does a lead-in whose word is a
    false friend."""
    q = _verdict(tmp_path, ruleset, "## Discharge\n\nThe Integrated Discharge Team includes:\n\n"
                 "- a housing options officer from each district council\n- social workers\n", "Q7")
    assert q.status.value == "met", q
    assert [e.quote for e in q.evidence if e.strength == "met"] == [
        "The Integrated Discharge Team includes: a housing options officer from each district council"]
    none = _verdict(tmp_path, ruleset, "## Discharge\n\nThe Integrated Discharge Team includes:\n\n"
                    "- social workers\n- occupational therapists\n", "Q7")
    assert none.status.value != "met", none
    friend = _verdict(tmp_path, ruleset, "## Pharmacy\n\nThe Discharge Medicines Service includes:\n\n"
                      "- a housing options officer from each district council\n", "Q7")
    assert friend.status.value == "gap", friend


def test_a_staff_list_row_with_a_lead_title_is_a_name_not_a_service(tmp_path: Path, ruleset) -> None:
    """"Ali Khan, Homelessness Prevention Lead" in a team list was a partial Q6 (a probe of the
    rubric: staffing text is gap). After a person's name and a comma, "Lead" is a job title; a
    service's lead role in a sentence stays evidence."""
    q = _verdict(tmp_path, ruleset, "## Our team\n\n- Jane Smith, Housing Strategy Manager\n"
                 "- Ali Khan, Homelessness Prevention Lead\n", "Q6")
    assert q.status.value == "gap", q
    kept = _verdict(tmp_path, ruleset, "## Our team\n\nThe Homelessness Prevention Lead will work with GPs to prevent "
                    "homelessness among patients.\n", "Q6")
    assert kept.status.value != "gap", kept


def test_a_table_of_sources_commits_to_nothing(tmp_path: Path, ruleset) -> None:
    """A JSNA's "Source | What it tells us | Latest year" table made "BRE stock modelling | Category 1
    hazards by tenure and ward | 2022" a met Q4 action (a probe): rows with words in their cells read
    as a plan's commitments, but a table of sources lists data, as a reference list does."""
    table = ("## Data sources\n\n| Source | What it tells us | Latest year |\n|---|---|---|\n"
             "| BRE stock modelling for the county | Category 1 hazards by tenure and ward | 2022 |\n")
    q = _verdict(tmp_path, ruleset, table, "Q4")
    assert q.status.value != "met", q
    plan = ("## Actions\n\n| Action | Lead | By |\n|---|---|---|\n"
            "| Inspect privately rented homes for Category 1 hazards | Head of Private Sector Housing | March 2026 |\n")
    assert _verdict(tmp_path, ruleset, plan, "Q4").status.value == "met"


def test_a_policy_title_over_hedged_text_is_partial_and_over_nothing_is_set_aside(tmp_path: Path, ruleset) -> None:
    """Regression (Local Plan probes): a named policy's title ("Draft Policy H8: Specialist housing") carries a
    commitment and a named policy in its own words, so it made Q5 met over a body that only says the council
    "will explore" and "may consider ... subject to funding"; and over placeholder text it was met alone."""
    hedged = ("## Draft Policy H8: Specialist housing\n\nThe council will explore opportunities to increase the supply "
              "of specialist housing for older people, where this is viable.\n\nThe council may consider allocating a site "
              "for extra care housing in the future, subject to funding.\n")
    q = _verdict(tmp_path, ruleset, hedged, "Q5")
    assert q.status.value == "partial"
    assert any(e.context == "heading_hedged" and e.kind == "heading" for e in q.candidates)
    q = _verdict(tmp_path, ruleset, "## Policy H8: Specialist housing\n\nText to follow.\n", "Q5")
    assert q.status.value == "gap"
    firm = ("## Policy H8: Specialist housing\n\nProposals for extra care housing will be supported where they "
            "meet the identified need.\n")
    assert _verdict(tmp_path, ruleset, firm, "Q5").status.value == "met"


def test_a_section_headed_out_of_scope_counts_nothing_under_it(tmp_path: Path, ruleset) -> None:
    """Regression (layout probes, 2026-12-07): a table under "What this strategy does not cover"
    names damp and mould and homelessness to leave them to the district councils; both came
    out partial."""
    table = ("## What this strategy does not cover\n\nThe following topics are covered by other plans.\n\n"
             "| Topic | Where it is covered |\n|---|---|\n"
             "| Housing conditions, damp and mould, and fuel poverty | District councils' housing strategies |\n"
             "| Homelessness and rough sleeping | Homelessness and Rough Sleeping Strategies 2023-2028 |\n")
    for qid in ("Q4", "Q6"):
        q = _verdict(tmp_path, ruleset, table, qid)
        assert q.status.value == "gap", (qid, q)
        assert any(e.context == "out_of_scope" and e.step == "scope_heading" for e in q.candidates)
    # the same rows under an ordinary heading still acknowledge the topics
    q = _verdict(tmp_path, ruleset, table.replace("What this strategy does not cover", "Related plans"), "Q4")
    assert q.status.value == "partial"


def test_a_decision_in_the_next_sentence_reaches_back(tmp_path: Path, ruleset) -> None:
    """Regression (split-evidence probes, 2026-12-07): an option turned down, or a commitment made
    conditional, in the sentence after it still counted ("This was considered but not taken
    forward."; "This is subject to funding ..."). A long sentence that does not point back does not
    reach the one before it."""
    refused = ("Option C: a Warm Home Prescription, where the ICB will pay the winter energy bills of 200 patients "
               "with COPD from 2025. This was considered but not taken forward.\n")
    q = _verdict(tmp_path, ruleset, refused, "Q4")
    assert q.status.value == "gap"
    assert any(e.context == "refused" and e.cue == "not taken forward" for e in q.candidates)
    hedged = ("We will create a housing link worker post in the hospital discharge hub, led by the Head of Housing. "
              "This is subject to funding being identified in the 2026/27 budget round.\n")
    assert _verdict(tmp_path, ruleset, hedged, "Q7").status.value == "partial"
    far = ("We will insulate 200 cold homes of patients with COPD by 2026, led by the Head of Housing. Elsewhere in the county, "
           "the separate proposal from the neighbouring district to run a winter fuel voucher scheme for every older resident "
           "was not taken forward.\n")
    assert _verdict(tmp_path, ruleset, far, "Q4").status.value == "met"
    noted = "The strategy should commit to a Housing First service for people with complex needs. Noted. No change.\n"
    assert _verdict(tmp_path, ruleset, noted, "Q6").status.value == "gap"
    # in its own sentence "no change" is a finding, not an answer to a comment
    finding = "The number of households in temporary accommodation in 2023/24 showed no change.\n"
    assert _verdict(tmp_path, ruleset, finding, "Q6").status.value == "partial"


def test_a_sentence_carrying_both_parts_of_q1_is_not_combined_with_itself(tmp_path: Path, ruleset) -> None:
    """Regression (2026-12-07): with the home in the priorities and a housing indicator in one
    sentence, the report quoted that sentence twice, as its own "vision or priority" part."""
    text = ("## Our priorities\n\nPriority 3, warm and safe homes: we will reduce the number of households in fuel "
            "poverty to 10% by 2028, and our indicator is the number of households in temporary accommodation.\n")
    q = _verdict(tmp_path, ruleset, text, "Q1")
    assert q.status.value == "met"
    for e in q.evidence:
        assert all(p.quote != e.quote for p in e.parts), e


@pytest.mark.parametrize("negated", ["We don't fund home adaptations for private tenants.",
                                     "We cannot fund home adaptations for private tenants.",
                                     "The council can\u2019t fund home adaptations for private tenants."])
def test_a_contracted_negation_voids_like_a_spelt_out_one(tmp_path: Path, ruleset, negated: str) -> None:
    """Regression (found by the matching-speed work, 2026-12-07): the token patterns of cues are run
    only on sentences holding their anchor word, read from the text; spaCy splits "don't" into
    "do" + "n't" and "cannot" into "can" + "not", so the negation never ran on them."""
    q = _verdict(tmp_path, ruleset, f"## Adaptations\n\n{negated}\n", "Q5")
    assert q.status.value == "gap", q


def test_a_list_set_in_one_line_reads_the_heading_like_a_bulleted_list(tmp_path: Path, ruleset) -> None:
    # "Our partners" over "NHS ...; the five district councils; housing associations; ..." names housing
    # partners (Q9 partial), as the same names in bullets under it do; a prose paragraph with semicolons does not.
    partners = "NHS Coldharbour Integrated Care Board; the county council; housing associations working in the county; Healthwatch."
    q = _verdict(tmp_path, ruleset, f"## Our partners\n\n{partners}\n", "Q9")
    assert q.status.value == "partial"
    prose = ("Housing associations own about a fifth of the homes in the county, and many of their tenants are older people; "
             "rents have risen faster than incomes over the past decade in every district of the county; "
             "waiting lists for social housing have grown in all of the districts since the pandemic began.")
    q = _verdict(tmp_path, ruleset, f"## Our partners\n\n{prose}\n", "Q9")
    assert q.status.value == "gap"


def test_a_long_sentence_naming_the_proposal_again_reaches_back(tmp_path: Path, ruleset) -> None:
    """Regression (split-evidence probes r9, 2026-12-07): a long sentence that turns a proposal down by
    its name ("The proposal was not supported ...") did not reach the sentence that made it; one that
    names something else does not."""
    proposal = ("Cabinet considered a proposal for a selective licensing scheme to improve conditions in privately rented homes "
                "where damp had been raised by residents. The proposal was not supported by Cabinet in November 2024 and does "
                "not form part of this strategy.\n")
    assert _verdict(tmp_path, ruleset, proposal, "Q4").status.value == "gap"
    other = ("Cabinet considered a proposal for a selective licensing scheme to improve conditions in privately rented homes "
             "where damp had been raised by residents. The neighbouring district's own licensing scheme was not supported by "
             "its cabinet in November 2024 after a long consultation.\n")
    assert _verdict(tmp_path, ruleset, other, "Q4").status.value == "partial"
    # "no replacement" as a saying is no decision on the sentence before it
    saying = ("We will fund 300 adaptations through the Disabled Facilities Grant by 2026. "
              "There is no replacement for a warm and accessible home.\n")
    assert _verdict(tmp_path, ruleset, saying, "Q5").status.value == "met"


def test_a_long_sentence_naming_the_raised_topics_again_reaches_back(tmp_path: Path, ruleset) -> None:
    """Regression (probe set gv18, 2026-12-08): a long sentence turning down "these topics" raised in the
    sentence before did not reach back, so the question that raised them counted as the risk named."""
    raised = ("Some partners asked whether housing, homelessness and fuel poverty could be added. After discussion, the "
              "Steering Group decided not to add these topics in this refresh, because the course is already at capacity "
              "and local referral routes have not been agreed.\n")
    assert _verdict(tmp_path, ruleset, raised, "Q6").status.value == "gap"
    # without the demonstrative, a long sentence about something else does not reach back
    other = ("Some partners asked whether housing, homelessness and fuel poverty could be added. After discussion, the "
             "Steering Group decided not to add a second evening course in this refresh, because the course is already "
             "at capacity and local referral routes have not been agreed.\n")
    assert _verdict(tmp_path, ruleset, other, "Q6").status.value == "partial"


def test_an_exclusion_spares_the_rules_whose_own_term_it_is(tmp_path: Path, ruleset) -> None:
    # the Housing Revenue Account is single-sector housing money for Q8 (partial), and still no
    # evidence of housing in the vision for Q1
    funded = ("Our vision is a Housing Revenue Account in balance: this plan is funded from the general fund budget of "
              "£18.4 million a year and the Housing Revenue Account for our own 1,900 council homes.\n")
    assert _verdict(tmp_path, ruleset, funded, "Q8").status.value == "partial"
    q1 = _verdict(tmp_path, ruleset, funded, "Q1")
    assert q1.status.value == "gap"
    assert [(e.matched, e.context, e.cue) for e in q1.candidates] == [("Housing", "false_friend", "revenue-account-not-homelessness")]


def test_a_topic_left_to_others_in_the_next_sentence_is_set_aside(tmp_path: Path, ruleset) -> None:
    """Regression (probes p45, p33, 2026-12-08): a risk named and then left to another body's plan in the
    sentence after it ("Homelessness is linked to TB. Homelessness is covered by the district councils'
    strategies and is not addressed here") counted as the risk acknowledged. The void reaches back
    through the sentences on the same topic, but not into a commitment, nor from a sentence on another topic."""
    left = ("Smoking remains the main cause of COPD. Air pollution and poor housing also contribute. Cold and damp homes, "
            "and mould in particular, make asthma and COPD worse. Housing conditions are the responsibility of the seven "
            "district councils and fall outside the scope of this strategy.\n\n"
            "Homelessness is also linked to poor respiratory health, including tuberculosis. Homelessness is covered by "
            "the district councils' homelessness strategies and is not addressed here.\n")
    for qid in ("Q4", "Q6"):
        q = _verdict(tmp_path, ruleset, left, qid)
        assert q.status.value == "gap", (qid, q)
        assert any(e.context == "out_of_scope" for e in q.candidates)
    kept = ("We will expand Housing First to 20 people with complex needs by 2026, led by the Head of Housing. "
            "Homelessness prevention for families is covered by the district councils' homelessness strategies and is "
            "not addressed here.\n")
    assert _verdict(tmp_path, ruleset, kept, "Q6").status.value == "met"
    short = ("We will insulate 200 cold homes of patients with COPD by 2026, led by the Head of Housing. "
             "Private rented homes are out of scope.\n")
    assert _verdict(tmp_path, ruleset, short, "Q4").status.value == "met"
    other = ("Homelessness is linked to poor respiratory health, including tuberculosis. Air quality in the town centres "
             "is covered by the district councils' air quality action plans and is not considered further here.\n")
    assert _verdict(tmp_path, ruleset, other, "Q6").status.value == "partial"


def test_a_rule_may_take_its_partner_from_the_section_heading(tmp_path: Path, ruleset) -> None:
    """Regression (probe v22, 2026-12-08): homes told of under "The wider determinants" are housing framed as
    a determinant of health (Q1 partial), though the paragraph itself names no determinant; the same
    paragraph under another heading is not (Q01.housing-determinant has near_in_section: true)."""
    para = ("Too many residents are living in unsuitable conditions: homes that are damp, overcrowded or in poor repair, "
            "where children share beds and mould returns every winter.\n")
    assert _verdict(tmp_path, ruleset, "## The wider determinants\n\n" + para, "Q1").status.value == "partial"
    assert _verdict(tmp_path, ruleset, "## Our residents\n\n" + para, "Q1").status.value == "gap"


def test_near_in_section_is_read_from_the_rules(tmp_path: Path) -> None:
    from assure.ruleset import load_ruleset

    rules = load_ruleset(None, None)
    flagged = {r.id for r in rules.rules if r.near_in_section}
    assert "Q01.housing-determinant" in flagged
    assert all(r.kind == "cooccur" for r in rules.rules if r.near_in_section)


def test_a_delivery_table_with_a_lead_column_commits_its_rows(tmp_path: Path, ruleset) -> None:
    """Regression (probe s25, 2026-12-08): a pipeline table headed "Scheme | Type | Homes | Partner | Council lead |
    Completion" has one action-plan word in its titles, so its rows (a named scheme, its homes, its lead and year)
    read as mentions; a column naming who leads each row makes them commitments, as an action plan's are. A table
    of figures with no such column does not."""
    table = ("## Specialist housing pipeline\n\n"
             "| Scheme | Type | Homes | Partner | Council lead | Completion |\n|---|---|---|---|---|---|\n"
             "| Orchard Court | Supported living for adults with a learning disability | 12 | Westholme Homes | "
             "Commissioning Manager | 2026 |\n")
    assert _verdict(tmp_path, ruleset, table, "Q5").status.value == "met"
    figures = table.replace("Council lead", "Bedrooms").replace("Commissioning Manager", "2")
    assert _verdict(tmp_path, ruleset, figures, "Q5").status.value == "partial"


def test_a_lead_in_that_lists_other_documents_sets_its_items_aside(tmp_path: Path, ruleset) -> None:
    """Regression (probes p34, p36, 2026-12-08): "This plan should be read alongside:" over a list of strategies
    and policies by title lent nothing to the items, so each title's housing words counted as the topic
    acknowledged. A cue marked lead_in reaches every item of the list its line introduces; the same items
    under another lead-in still count."""
    items = ("- Homelessness and Rough Sleeping Strategy 2024-2029\n"
             "- Private Sector Housing Renewal Policy (including Disabled Facilities Grant discretionary assistance)\n")
    listed = "## Related strategies and policies\n\nThis plan should be read alongside:\n\n" + items
    for qid in ("Q4", "Q5"):
        q = _verdict(tmp_path, ruleset, listed, qid)
        assert q.status.value == "gap", (qid, q)
        assert any(e.context == "by_reference" for e in q.candidates), qid
    ours = "## Our priorities\n\nIn 2025 we will focus on:\n\n" + items
    assert _verdict(tmp_path, ruleset, ours, "Q5").status.value != "gap"


def test_a_risk_register_row_names_a_risk_not_an_action(tmp_path: Path, ruleset) -> None:
    """Regression (probe d03, 2026-12-08): a risk register's Owner column made its rows an action plan's,
    so a listed risk ("Delays in discharging patients who have no safe home ... | 16 | No specific mitigation
    identified | Director of Urgent and Emergency Care") read as met. Its rows name risks and who watches them."""
    register = ("## Corporate risk register\n\n| Ref | Risk | Score | Mitigation | Owner |\n|---|---|---|---|---|\n"
                "| CR07 | Delays in discharging patients who are homeless or have no suitable home to return to | 16 | "
                "Monitoring of delayed discharges | Director of Urgent and Emergency Care |\n")
    assert _verdict(tmp_path, ruleset, register, "Q6").status.value == "partial"
    plan = register.replace("Ref | Risk | Score | Mitigation | Owner", "Ref | Action | Lead | Milestone | Owner")
    assert _verdict(tmp_path, ruleset, plan, "Q6").status.value == "met"


def test_a_consultation_schedule_row_is_a_comment_not_an_action(tmp_path: Path, ruleset) -> None:
    """Regression (probe p14, 2026-12-08): a consultation schedule's rows ("No. | Respondent | Comment |
    Response") are prose in two cells, so they inherited a commitment like a plan table's rows, and a comment
    with its "Noted." reply read as met."""
    schedule = ("## Consultation responses\n\n| No. | Respondent | Comment | Response |\n|---|---|---|---|\n"
                "| 6 | District council | Fuel poverty should be a measure of the strategy. | Noted. The Board will "
                "consider measures when the outcomes framework is developed next year. |\n")
    assert _verdict(tmp_path, ruleset, schedule, "Q4").status.value != "met"


def test_one_sentence_linking_homes_and_health_makes_a_plan_applicable(tmp_path: Path, ruleset) -> None:
    """Regression (probe sets pd19, lp20, 2026-12-08): a housing strategy whose only health sentence ties
    homes to health ("Decent, affordable homes are vital to the health and wellbeing of our residents")
    was screened out as not applicable (1 sentence about health, 2 needed); the guide scores a plan not
    applicable only when it has no link to health at all. One health word beside no housing word is still
    not enough, and "safeguarding" in the planning sense (mineral safeguarding areas) is no care link."""
    supply = ("# Housing strategy 2025-2030\n\nWe will deliver 4,200 new homes by 2030, a third of them affordable, on "
              "sites allocated in the Local Plan.\n\nThe council will bring 150 empty homes back into use each year.\n\n")
    path = tmp_path / "strategy.md"
    path.write_text(supply + "Decent, affordable homes are vital to the health and wellbeing of our residents.\n", encoding="utf-8")
    assert check_file(str(path), ruleset).status.value == "ok"
    path.write_text(supply + "The health of the local construction industry matters to delivery.\n", encoding="utf-8")
    assert check_file(str(path), ruleset).status.value == "not_applicable"
    minerals = ("# Minerals Local Plan\n\nThe plan sets the supply of sand and gravel to 2040.\n\n## Safeguarding\n\n"
                "Mineral Safeguarding Areas are shown on the Policies Map, and the health of the aggregates market is kept "
                "under review.\n")
    path.write_text(minerals, encoding="utf-8")
    assert check_file(str(path), ruleset).status.value == "not_applicable"


def test_rows_of_an_indicator_table_inherit_no_commitment(tmp_path: Path, ruleset) -> None:
    """Regression (probe set pd27, 2026-12-08): a JSNA briefing's indicator table ("Indicator | Ashworth |
    England | Source") had rows of words in two cells ("Private rented homes with a Category 1 hazard | 17% |
    12% (EHS) | Stock condition model 2024"), which read as an action plan's rows and made Q4 met. An
    indicator table's rows are measures and figures; the same row under an action plan's header still commits."""
    header = "| Indicator | Ashworth | England | Source |\n|---|---|---|---|\n"
    row = "| Private rented homes with a Category 1 hazard | 17% | 12% (EHS) | Stock condition model 2024 |\n"
    assert _verdict(tmp_path, ruleset, "## Condition of homes\n\n" + header + row, "Q4").status.value == "partial"
    actions = ("| Action | Lead | By when |\n|---|---|---|\n"
               "| Inspect private rented homes with a Category 1 hazard | Private Sector Housing Manager | March 2026 |\n")
    assert _verdict(tmp_path, ruleset, "## Condition of homes\n\n" + actions, "Q4").status.value == "met"


def test_an_out_of_scope_note_pointing_back_reaches_a_description_that_commits(tmp_path: Path, ruleset) -> None:
    """Regression (probe set mx25, 2026-12-08): "Disabled Facilities Grants ... and extra care housing are delivered
    through the County Council's Better Care Fund plan. They are outside the scope of this strategy." counted Q5 met:
    an out-of-scope note never reached a sentence that commits. One that opens by pointing back at it does; one
    that names something else still leaves a commitment alone."""
    pointed = ("Disabled Facilities Grants, home adaptations and extra care housing are delivered through the County "
               "Council's Better Care Fund plan and its older people's accommodation strategy. They are outside the "
               "scope of this strategy.\n")
    assert _verdict(tmp_path, ruleset, pointed, "Q5").status.value == "gap"
    kept = ("We will insulate 200 homes of people with COPD by 2026, funded by the ICB. Private rented homes are out "
            "of scope.\n")
    assert _verdict(tmp_path, ruleset, kept, "Q4").status.value == "met"
