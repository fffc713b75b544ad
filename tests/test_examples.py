"""Every example sentence in questions/ and rules.yaml, one test each (via assure.ruletest).

The examples are the rules' own unit tests: a rule change that breaks a documented
behaviour fails here with the owner (question, rule, signal, exclusion or cue) in the id.
The meta-tests fail when a question or rule is added without examples.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from assure.engine import Evaluator
from assure.ruleset import RuleSet, load_ruleset
from assure.ruletest import _labels_in, _rule_verdict, run_examples, sentence_document


@lru_cache(maxsize=1)
def _ruleset() -> RuleSet:
    return load_ruleset()


@lru_cache(maxsize=1)
def _evaluator() -> Evaluator:
    return Evaluator(_ruleset())


def _cases() -> list:
    rs = _ruleset()
    cases = []
    for q in rs.questions:
        for expected, sentences in q.examples.items():
            for i, s in enumerate(sentences):
                cases.append(pytest.param("question", q.id, expected, s, id=f"{q.id}-{expected}-{i}"))
    for rule in rs.rules:
        for expected, sentences in rule.examples.items():
            for i, s in enumerate(sentences):
                cases.append(pytest.param("rule", rule.id, expected, s, id=f"{rule.id}-{expected}-{i}"))
    for signal in rs.signals:
        for i, s in enumerate(signal.examples):
            cases.append(pytest.param("signal", signal.name, "matches", s, id=f"signal:{signal.name}-{i}"))
    for exc in rs.exclusions:
        for i, s in enumerate(exc.examples):
            cases.append(pytest.param("exclusion", exc.id, "matches", s, id=f"exclusion:{exc.id}-{i}"))
    for cue in rs.context.cues:
        for i, s in enumerate(cue.examples):
            cases.append(pytest.param("cue", str(cue.index), "matches", s, id=f"cue:{cue.category}[{cue.index}]-{i}"))
    if rs.key_sections is not None:
        for expected, titles in (("matches", rs.key_sections.match), ("no match", rs.key_sections.no_match)):
            for i, s in enumerate(titles):
                cases.append(pytest.param("key_sections", "", expected, s, id=f"key_sections-{expected.replace(' ', '_')}-{i}"))
    return cases


@pytest.mark.parametrize(("owner_kind", "owner", "expected", "sentence"), _cases())
def test_example(owner_kind: str, owner: str, expected: str, sentence: str) -> None:
    ev = _evaluator()
    if owner_kind == "question":
        result = ev.evaluate(sentence_document(sentence), screen=False)
        got = next(r.status.value for r in result.questions if r.id == owner)
    elif owner_kind == "rule":
        got = _rule_verdict(ev, owner, sentence)
    elif owner_kind == "key_sections":
        got = "matches" if ev.is_key_section(sentence) else "no match"
    else:
        label = {"signal": f"sig|{owner}", "exclusion": f"xg|{owner}", "cue": f"cue|{owner}"}[owner_kind]
        got = "matches" if label in _labels_in(ev, sentence) else "no match"
    assert got == expected, f"{owner_kind} {owner}: expected {expected}, got {got}: {sentence!r}"


def test_parametrised_cases_cover_ruletest() -> None:
    """The cases above are exactly what `assure rules test` runs (same count)."""
    outcome = run_examples(_ruleset())
    assert outcome.passed + len(outcome.failures) == len(_cases())


# ------------------------------------------------------------------ meta-tests
def test_every_question_has_met_partial_and_gap_examples() -> None:
    missing = [f"{q.id}:{k}" for q in _ruleset().questions for k in ("met", "partial", "gap") if not q.examples.get(k)]
    assert not missing, f"questions lacking examples: {missing}"


def test_every_rule_has_examples() -> None:
    missing = [r.id for r in _ruleset().rules if not any(r.examples.get(k) for k in ("met", "partial", "gap"))]
    assert not missing, f"rules without example sentences: {missing}"


def test_every_rule_has_a_negative_example() -> None:
    """A rule needs a sentence it must NOT count (gap), or it cannot be shown not to over-fire."""
    missing = [r.id for r in _ruleset().rules if not r.examples.get("gap")]
    assert not missing, f"rules without a gap example: {missing}"


def test_every_signal_exclusion_and_cue_has_examples() -> None:
    rs = _ruleset()
    missing = [f"signal:{s.name}" for s in rs.signals if not s.examples]
    missing += [f"exclusion:{e.id}" for e in rs.exclusions if not e.examples]
    missing += [f"cue:{c.category}[{c.index}]" for c in rs.context.cues if not c.examples]
    assert not missing, f"without examples: {missing}"


def test_every_context_category_is_covered() -> None:
    categories = {c.category for c in _ruleset().context.cues}
    assert categories == {"negated", "deferred", "aspirational", "conditional", "out_of_scope", "by_reference", "locative", "refused",
                          "unknown", "asked"}
