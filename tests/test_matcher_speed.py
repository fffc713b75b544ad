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
