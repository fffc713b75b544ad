"""The token Matcher's word-list tests, swapped for quicker functions (engine.quicken_predicates),
give exactly spaCy's answers, and every compiled token matcher has them swapped."""

from __future__ import annotations

from typing import Any

from assure import engine
from assure.ruleset import load_ruleset

TEXTS = [
    "We will build 300 homes by 2025 in the Borough; the Council can't wait.",
    "HOUSING FIRST: Ten families were housed, 1,200 were not. Should we?",
    "The colour of the homes' doors, e.g. Fig. 3, isn't agreed (approx. 40%).",
    "",
    "£1.2m for 30mph signs and ²-digit notes; Nationally, UK-wide.",
]


def _spacy_tests(matcher: Any) -> list[Any]:
    from spacy.matcher.matcher import _SetPredicate

    return [t for t in matcher._extra_predicates if type(t) is _SetPredicate]


def test_quickened_word_list_tests_answer_as_spacy_does() -> None:
    from spacy.matcher import Matcher

    nlp = engine.compile_rules(load_ruleset(None, None)).nlp
    patterns = [
        [{"LOWER": {"IN": ["we", "the", "homes"]}}, {"ORTH": {"NOT_IN": [",", "."]}, "OP": "*"}],
        [{"LEMMA": {"IN": ["home", "family", "be"]}}, {"SHAPE": {"IN": ["dddd", "d,ddd"]}, "OP": "?"}],
        [{"NORM": {"IN": ["not", "can"]}}, {"TEXT": {"NOT_IN": ["wait"]}}],
        [{"ORTH": {"IN": ["Council", "UK-wide"]}}, {"LOWER": {"NOT_IN": ["the"]}, "OP": "{0,3}"}],
        [{"TEXT": {"REGEX": "^[A-Z]+$"}}],  # a test that is left as it is
    ]
    plain, quick = Matcher(nlp.vocab), Matcher(nlp.vocab)
    for i, pattern in enumerate(patterns):
        plain.add(f"p{i}", [pattern])
        quick.add(f"p{i}", [pattern])
    originals = list(quick._extra_predicates)
    assert engine.quicken_predicates(quick) == len(_spacy_tests(plain)) == 8
    assert not _spacy_tests(quick)
    for doc in nlp.pipe(TEXTS):
        for token in doc:
            for original, swapped in zip(originals, quick._extra_predicates, strict=True):
                assert swapped(token) is original(token), (token.text, original)
        assert sorted(quick(doc)) == sorted(plain(doc)), doc.text
    quick.add("later", [[{"LOWER": {"IN": ["we"]}}, {"LOWER": {"IN": ["will"]}}]])  # adding afterwards still works
    assert any(nlp.vocab.strings[k] == "later" for k, _, _ in quick(nlp("We will.")))


def test_every_compiled_token_matcher_has_quick_word_list_tests() -> None:
    """spaCy's own word-list test costs some 0.5 us a call and is called at every token a pattern state
    stands on: a compiled matcher left with them ran the 21 real plans' evaluation 12% slower."""
    compiled = engine.compile_rules(load_ruleset(None, None))
    for _, matcher in compiled.token_groups:
        assert not _spacy_tests(matcher)


def _hit_texts() -> list[str]:
    from pathlib import Path

    from assure.extract import extract

    root = Path(__file__).resolve().parents[1]
    texts = [b.text for name in ("strong.pdf", "weak.docx", "mixed.pdf") for b in extract(root / "samples" / name).blocks]
    ruleset = load_ruleset(None, None)
    texts += [ex for rule in ruleset.rules for group in rule.examples.values() for ex in group]
    texts += [
        "HOUSING\nFIRST tenancies",
        "Housing  First tenancies",
        "Making   every contact count.",
        "We cannot fund adaptations; they don't.",
        "Warm\u00a0Homes",
    ]
    return texts


def test_a_block_that_may_hit_is_every_block_a_rule_hits() -> None:
    """A block is parsed only where CompiledRules.may_hit says a rule could hit: over the rules'
    examples and the samples' blocks, every text with a rule hit is one."""
    from assure.pipeline import Role

    compiled = engine.compile_rules(load_ruleset(None, None))
    hits = 0
    for text in _hit_texts():
        if any(m.role == Role.HIT for m in compiled.matches(compiled.parse(text))):
            hits += 1
            assert compiled.may_hit(engine.words_of(text), text), text
    assert hits > 300


def test_a_block_holding_a_phrase_s_words_apart_is_not_parsed() -> None:
    """Holding every word of a rule phrase is not enough: the words must stand in order, side by side
    (a fifth of the blocks parsed for hits over the real plans held the words but no phrase)."""
    from assure.pipeline import Role

    compiled = engine.compile_rules(load_ruleset(None, None))
    text = "Move-on or permanent accommodation"
    assert not engine.words_of(text).isdisjoint(compiled.hit_words)
    assert not compiled.may_hit(engine.words_of(text), text)
    assert not any(m.role == Role.HIT for m in compiled.matches(compiled.parse(text)))
    pattern = engine._adjacency_pattern([{"housing"}, {"first"}])
    assert engine._adjacency(pattern).search("housing first") and engine._adjacency(pattern).search("housing\n first")
    assert not engine._adjacency(pattern).search("first housing")
    assert engine._adjacency_pattern([{"caf\u00e9"}, {"first"}]) == ""  # not plain ASCII: no test


def test_token_matchers_read_near_their_anchors_find_what_whole_spans_find(monkeypatch: Any) -> None:
    """A token matcher is run only on the stretches within its patterns' reach of a token bearing its
    anchor word (CompiledRules.anchor_sites): over the samples' blocks, the rules' examples and texts
    with anchors at a span's edges, glued to figures or cut by the tokenizer, it finds exactly what it
    finds run on every sentence and every block whole."""
    compiled = engine.compile_rules(load_ruleset(None, None))
    texts = _hit_texts() + [
        "Housing. We will build 300 homes by 2025 and 1,200 more, though the council cannot fund 45% of them yet.",
        "£1.2m for 30mph signs: the board agreed ten new schemes, and we'll not stop there; they don't.",
        "Homes " * 40 + "by 2030",
        "By March 2026 " + "people and places " * 12 + "the Council will review it.",
    ]
    assert engine.MATCH_NEAR_ANCHORS_ONLY
    monkeypatch.setattr(engine, "_STRETCH_MIN_TOKENS", 0)  # every span read by stretches, however short
    stretched = 0
    for doc in compiled.nlp.pipe(texts):
        spans = [(0, len(doc))] + [(s.start, s.end) for s in doc.sents]
        for start, end in spans:
            near: set[tuple[str, int, int]] = set()
            compiled._token_matches(doc, start, end, near)
            monkeypatch.setattr(engine, "MATCH_NEAR_ANCHORS_ONLY", False)
            whole: set[tuple[str, int, int]] = set()
            compiled._token_matches(doc, start, end, whole)
            monkeypatch.setattr(engine, "MATCH_NEAR_ANCHORS_ONLY", True)
            assert near == whole, doc[start:end].text
            stretched += bool(whole)
    assert stretched > 300


def test_a_pattern_s_reach_around_its_anchor() -> None:
    """How many tokens a match reaches before and after the token bearing its anchor word: a repeated
    token counts its repeats, an open repeat (``*``, ``+``, ``{n,}``) has no bound on its side."""
    homes = frozenset({"home", "homes"})
    assert engine._anchor_reach([{"LOWER": "new"}, {"LOWER": {"IN": ["home", "homes"]}}], homes) == (1, 0)
    assert engine._anchor_reach([{"LEMMA": "home"}, {"IS_ALPHA": True, "OP": "{0,3}"}, {"LIKE_NUM": True}], homes) == (0, 4)
    assert engine._anchor_reach([{"IS_TITLE": True, "OP": "+"}, {"LOWER": "homes"}], homes) == (None, 0)
    assert engine._anchor_reach([{"LOWER": "homes", "OP": "{1,3}"}, {"LOWER": "now"}], homes) == (2, 3)
    assert engine._anchor_reach([{"LOWER": "homes", "OP": "+"}], homes) == (None, None)
    assert engine._anchor_reach([{"LOWER": "by"}, {"SHAPE": "dddd"}], frozenset({engine.NUMBER})) == (1, 0)
    assert engine._anchor_reach([{"LOWER": "homes", "OP": "?"}], homes) is None  # no token must bear it
    assert engine._anchor_reach([{"LOWER": "homes"}], None) is None
    assert engine._widest([(1, 0), (0, 4)]) == (1, 4) and engine._widest([(1, 0), (None, 2)]) == (None, 2)
    assert engine._stretches(([None, "homes", None, None, None, "homes", None], [False] * 7), homes, (1, 0), 0, 7) == [
        (0, 2),
        (4, 6),
    ]
    assert engine._stretches(([None, "homes", None, "homes"], [False] * 4), homes, (1, 1), 0, 4) == [(0, 4)]
