"""Quote quality (assure/quotes.py): what counts as a whole sentence, and a floor under the share
of whole-sentence quotes on a few real PDFs (the full figure is benchmarks/quotes.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure.quotes import judge_quotes, quote_fault

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"

# a two-column strategy, a landscape infographic profile, a JSNA briefing with tables and a
# long Local Plan: layouts whose quotes were cut, glued or figures before the layout reader
FLOOR_FILES = [
    "al26152__Langchain__docs--SharedRIStrategy_Contents_Final.pdf",
    "WS-JSNA__ws-jsna-netlify__assets--pdf--Adur_and_Worthing_JSNA_2024.pdf",
    "WS-JSNA__ws-jsna-netlify__assets--core--Homelessness-Deaths-Review-West-Sussex-2024.pdf",
    "WS-JSNA__ws-jsna-netlify__assets--core--2025_01_22_Housing_Tenure_Briefing.pdf",
    "digital-land__local-plan-extractor__collection--document--f32c5c160b460bff85e22532e14bcbe7ec3e97d1266fab401e6f1993f3851eab.pdf",
]


@pytest.mark.parametrize(("quote", "kind", "fault"), [
    ("Cold homes cause and worsen respiratory and circulatory illness.", "paragraph", None),
    ("\u2026and people sleeping rough are rarely seen until they reach an emergency department.", "paragraph", "cut"),
    ("Our strategy is informed by the Joint Strategic Needs Assessments of our", "paragraph", "unended"),
    ("10% 20% 30% 40% 50% 60% 100% Move-on or permanent accommodation (n=23)", "paragraph", "figures"),
    (("Housing Mix Specialist Accommodation Older People Site Allocations Gypsies Travellers Affordable Housing "
      "Design Quality Green Infrastructure Open Space Sport Recreation"), "paragraph", "labels"),
    ("Households in fuel poverty | 14.8% | 12.0% | Healthy Homes Partnership", "table_row", None),
    ("\u2022 Target private rented homes with a Category 1 hazard", "list_item", None),
])
def test_quote_fault(quote: str, kind: str, fault: str | None) -> None:
    assert quote_fault(quote, kind) == fault


def test_nothing_quoted_is_a_full_share() -> None:
    assert judge_quotes([]).share == 1.0


@pytest.mark.corpus
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent; quote quality is not measured")
def test_whole_sentence_quote_floor_on_real_pdfs(ruleset) -> None:
    files = [REAL / name for name in FLOOR_FILES if (REAL / name).is_file()]
    if len(files) < 3:
        pytest.skip("too few of the floor's PDFs are in ../shared/corpus/real")
    judged = judge_quotes(files, ruleset)
    assert judged.quotes >= 30, "the floor's files give evidence to judge"
    assert judged.share >= 0.95, [f"{f['fault']}: {f['quote'][:120]}" for f in judged.failing]


def test_a_sentence_repeated_under_other_sections_is_quoted_once(tmp_path: Path, ruleset) -> None:
    """An executive summary's point repeated in its chapter is one quote, not two of three (found
    by a new-user trial: one sentence quoted three times from pages 2, 6 and 10)."""
    from assure.engine import evaluate
    from assure.extract import extract

    point = "We will expand Housing First to 40 tenancies by 2025, funded through the Rough Sleeping Initiative."
    other = "The homelessness prevention service will offer health checks to everyone in temporary accommodation."
    path = tmp_path / "plan.md"
    path.write_text(f"# Summary\n\n{point}\n\n# Homelessness\n\n- {point}\n\n{other}\n", encoding="utf-8")
    q6 = next(q for q in evaluate(extract(path), ruleset, screen=False).questions if q.id == "Q6")
    quotes = [e.quote for e in q6.evidence]
    assert sum(point.rstrip(".") in q for q in quotes) == 1
    assert any(other.rstrip(".") in q for q in quotes)


def test_a_gap_finding_names_set_aside_mentions_in_plain_words() -> None:
    """A strategy officer reads "where people live" and "the word in another sense", not the rule
    authors' "locative" and "false friend" (found by a new-user trial)."""
    from types import SimpleNamespace

    from assure.engine import _gap_finding

    found = _gap_finding([SimpleNamespace(context=c) for c in ("locative", "false_friend", "false_friend", "listed")])  # type: ignore[misc]
    assert found == ("no counted evidence; mentions set aside (the word in another sense \u00d72, a name in a list \u00d71, "
                     "where people live \u00d71)")


def test_a_list_item_is_quoted_without_its_printed_number_or_bullet(ruleset) -> None:
    """A PDF prints a list's numbers and bullets; a DOCX numbers its list itself. Quotes leave the
    marker out, so the two forms of one plan quote the same words and `assure diff` between them
    shows no evidence added or lost (found by a new-user trial: "3 Support people ...")."""
    from assure.engine import evaluate
    from assure.extract import extract

    samples = Path(__file__).resolve().parents[1] / "samples"
    quotes = {}
    for name in ("mixed.pdf", "mixed.docx"):
        result = evaluate(extract(samples / name), ruleset)
        quotes[name] = {q.id: [e.quote for e in q.evidence] for q in result.questions}
    assert "Support people to live independently for longer." in quotes["mixed.pdf"]["Q5"]
    assert quotes["mixed.pdf"] == quotes["mixed.docx"]


def test_a_body_sentence_is_quoted_before_a_footnote_as_strong() -> None:
    """Regression: a footnote defining a national indicator ("... is a measure on the Public
    Health Outcomes Framework") was the first quote for three questions of a JSNA summary,
    above the body's own figures; rules.yaml weighs footnotes 0.5 so the body comes first."""
    from assure.engine import Evaluator
    from assure.models import Block, BlockKind, Document, Place
    from assure.ruleset import load_ruleset

    texts = [
        ("The rate of households in temporary accommodation is a measure on the outcomes framework.", Place.FOOTNOTE),
        ("Households in temporary accommodation face poor health and overcrowding in the town.", Place.BODY),
        ("Our health and wellbeing board will improve the health of residents.", Place.BODY),
    ]
    blocks = tuple(Block(text=t, raw=t, kind=BlockKind.PARAGRAPH, page=1, section=(), index=i + 1, place=p)
                   for i, (t, p) in enumerate(texts))
    result = Evaluator(load_ruleset(None, None)).evaluate(Document(path="jsna.pdf", format="pdf", blocks=blocks, pages=1))
    for q in result.questions:
        places = [e.place for e in q.evidence if e.counted]
        strengths = [e.strength for e in q.evidence if e.counted]
        if "footnote" in places and "body" in places and len(set(strengths)) == 1:
            assert places.index("body") < places.index("footnote"), q.id
            break
    else:
        raise AssertionError("no question had a body sentence and a footnote as strong as each other")
