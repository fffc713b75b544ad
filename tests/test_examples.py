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
    for name, spec in rs.raw.get("signals", {}).items():
        for i, s in enumerate(spec.get("examples", [])):
            cases.append(pytest.param("signal", name, "matches", s, id=f"signal:{name}-{i}"))
    for exc in rs.raw.get("exclusions", []):
        for i, s in enumerate(exc.get("examples", [])):
            cases.append(pytest.param("exclusion", exc["id"], "matches", s, id=f"exclusion:{exc['id']}-{i}"))
    for n, cue in enumerate(rs.raw.get("context", {}).get("cues", [])):
        for i, s in enumerate(cue.get("examples", [])):
            cases.append(pytest.param("cue", str(n), "matches", s, id=f"cue:{cue['category']}[{n}]-{i}"))
    return cases


@pytest.mark.parametrize(("owner_kind", "owner", "expected", "sentence"), _cases())
def test_example(owner_kind: str, owner: str, expected: str, sentence: str) -> None:
    ev = _evaluator()
    if owner_kind == "question":
        result = ev.evaluate(sentence_document(sentence), screen=False)
        got = next(r.status.value for r in result.questions if r.id == owner)
    elif owner_kind == "rule":
        got = _rule_verdict(ev, owner, sentence)
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
    raw = _ruleset().raw
    missing = [f"signal:{n}" for n, s in raw.get("signals", {}).items() if not s.get("examples")]
    missing += [f"exclusion:{e['id']}" for e in raw.get("exclusions", []) if not e.get("examples")]
    missing += [f"cue:{c['category']}[{i}]" for i, c in enumerate(raw.get("context", {}).get("cues", [])) if not c.get("examples")]
    assert not missing, f"without examples: {missing}"


def test_every_context_category_is_covered() -> None:
    categories = {c["category"] for c in _ruleset().raw["context"]["cues"]}
    assert categories == {"negated", "deferred", "aspirational", "conditional", "out_of_scope", "by_reference", "locative", "refused"}
