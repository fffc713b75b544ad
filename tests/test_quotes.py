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
