"""Which blocks the engine parses: only those that can hold a rule hit (or still count for
relevance, or lend labels to the blocks after them), with the same result as parsing all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import assure.engine as engine
from assure.engine import Evaluator
from assure.extract import extract
from assure.models import Block, BlockKind, Document, Place
from assure.pipeline import Role
from assure.ruleset import load_ruleset

RULESET = load_ruleset(None, None)
ROOT = Path(__file__).resolve().parents[1]


def _document(*blocks: tuple[str, BlockKind]) -> Document:
    section = (blocks[0][0],)
    return Document(
        path="plan.txt",
        format="txt",
        blocks=tuple(
            Block(text=t, raw=t, kind=k, page=1, section=section, index=i + 1, place=Place.BODY)
            for i, (t, k) in enumerate(blocks)
        ),
        pages=None,
    )


def _every_block_parsed(evaluator: Evaluator, document: Document, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(engine, "MATCH_NEAR_HITS_ONLY", False)
        patch.setattr(evaluator.compiled, "hit_words", None)
        return evaluator.evaluate(document, screen=False)


def test_a_block_with_a_key_word_but_no_whole_phrase_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (speed): a block was parsed when it held one word of any rule phrase; "development",
    "council" or "site" alone made two in three parsed blocks of the real plans hitless (8,300 of
    12,400). A block is parsed only when a phrase or hit pattern has a word of each of its tokens there."""
    evaluator = Evaluator(RULESET)
    compiled = evaluator.compiled
    text = "The development of the site was approved by the council."
    assert not engine.words_of(text).isdisjoint(compiled.hit_words)
    assert not compiled.may_hit(engine.words_of(text), text)
    parsed: list[str] = []
    real_parse = compiled.parse

    def counting(block_text: str) -> Any:
        parsed.append(block_text)
        return real_parse(block_text)

    document = _document(("Planning", BlockKind.HEADING), (text, BlockKind.PARAGRAPH))
    monkeypatch.setattr(compiled, "parse", counting)
    evaluator.evaluate(document, screen=False)
    assert parsed == ["Planning"]  # the heading only: headings lend their labels to what follows


def test_may_hit_holds_wherever_a_rule_hits() -> None:
    """Over every rule example, the bundled samples' blocks and texts where spaCy cuts a word from a
    longer one, a text with a rule hit is never judged unable to hold one."""
    compiled = engine.compile_rules(RULESET)
    texts = [b.text for name in ("strong.pdf", "weak.docx", "mixed.pdf") for b in extract(ROOT / "samples" / name).blocks]
    texts += [ex for rule in RULESET.rules for group in rule.examples.values() for ex in group]
    texts += ["Funding from s106m agreements.", "Section 106 money for homes.", "We cannot fund adaptations.",
              "Homes shouldnt be cold; 1,200 homes were insulated."]  # fmt: skip
    hits = 0
    for text, doc in zip(texts, compiled.nlp.pipe(texts), strict=True):
        if any(m.role == Role.HIT for m in compiled.matches(doc)):
            hits += 1
            assert compiled.may_hit(engine.words_of(text), text), text
    assert hits > 300


def test_list_items_lent_a_hit_by_their_lead_in_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """An item's partner words ("a key safe") stand as the hit of its lead-in ("... on discharge from
    hospital through:"): such items are parsed though no rule phrase is whole in them."""
    evaluator = Evaluator(RULESET)
    document = _document(
        ("Hospital discharge", BlockKind.HEADING),
        ("Patients are supported on discharge from hospital through:", BlockKind.PARAGRAPH),
        ("a key safe fitted before they return", BlockKind.LIST_ITEM),
        ("tenancy checks by a named officer", BlockKind.LIST_ITEM),
    )
    compiled = evaluator.compiled
    assert not any(compiled.may_hit(engine.words_of(b.text), b.text) for b in document.blocks[2:])
    result = evaluator.evaluate(document, screen=False)
    assert {e.block for q in result.questions for e in q.evidence} >= {3, 4}
    assert result == _every_block_parsed(evaluator, document, monkeypatch)


def test_words_of_splits_contractions_as_spacy_does() -> None:
    """words_of scans for contractions only in texts holding "n'" or "n\u2019" (the scan cost a third of
    its time on every block); the pieces spaCy makes of them are still among the words."""
    assert {"do", "n", "t", "not"} <= engine.words_of.__wrapped__("We don't fund it.")
    assert {"ca", "n", "t", "not"} <= engine.words_of.__wrapped__("We can\u2019t fund it.")
    assert {"can", "not"} <= engine.words_of.__wrapped__("We cannot fund it.")
    assert "not" not in engine.words_of.__wrapped__("Insulation works in 2025.")


def test_parse_is_the_pipeline_called_directly() -> None:
    """CompiledRules.parse skips Language.__call__ (a sixth of the pipeline's time on a block) and
    must give the same tokens, lemmas and sentences."""
    compiled = engine.compile_rules(RULESET)
    text = "Housing First is funded. It houses 40 people; see Fig. 3 (Bentley, et al., 2025). We don't stop."
    one, other = compiled.nlp(text), compiled.parse(text)
    assert [(t.text, t.lemma_, t.is_sent_start, t.whitespace_) for t in one] == [
        (t.text, t.lemma_, t.is_sent_start, t.whitespace_) for t in other
    ]
