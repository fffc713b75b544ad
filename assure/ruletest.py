"""Run the example sentences that every question, rule, signal, exclusion and cue carries.

Examples are the rules' own unit tests: ``assure rules test`` and the test suite both run
them, so a rule change that breaks a documented behaviour fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assure.engine import Evaluator
from assure.models import Block, BlockKind, Document, Status
from assure.ruleset import RuleSet


@dataclass(frozen=True)
class Failure:
    owner: str  # question id, rule id, signal:<name>, exclusion:<id> or cue:<category>
    sentence: str
    expected: str
    got: str


@dataclass
class Outcome:
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": len(self.failures),
                "failures": [f.__dict__ for f in self.failures]}


def sentence_document(sentence: str) -> Document:
    block = Block(text=sentence, raw=sentence, kind=BlockKind.PARAGRAPH, page=None, section=(), index=1)
    return Document(path="<example>", format="txt", blocks=(block,))


def _rule_verdict(evaluator: Evaluator, rule_id: str, sentence: str) -> str:
    result = evaluator.evaluate(sentence_document(sentence), screen=False)
    best = "gap"
    for q in result.questions:
        for e in q.candidates:
            if e.rule == rule_id and e.counted:
                if e.strength == "met":
                    return "met"
                best = "partial"
    return best


def _labels_in(evaluator: Evaluator, sentence: str) -> set[str]:
    comp = evaluator.compiled
    doc = comp.nlp(sentence)
    return {label for label, _, _ in comp.matches(doc)}


def run_examples(ruleset: RuleSet) -> Outcome:
    evaluator = Evaluator(ruleset)
    outcome = Outcome()

    def record(owner: str, sentence: str, expected: str, got: str) -> None:
        if expected == got:
            outcome.passed += 1
        else:
            outcome.failures.append(Failure(owner, sentence, expected, got))

    for q in ruleset.questions:
        for expected, sentences in q.examples.items():
            for s in sentences:
                result = evaluator.evaluate(sentence_document(s), screen=False)
                got = next(r.status for r in result.questions if r.id == q.id)
                record(q.id, s, expected, got.value if isinstance(got, Status) else str(got))
    for rule in ruleset.rules:
        for expected, sentences in rule.examples.items():
            for s in sentences:
                record(rule.id, s, expected, _rule_verdict(evaluator, rule.id, s))
    raw = ruleset.raw
    for name, spec in raw.get("signals", {}).items():
        for s in spec.get("examples", []):
            record(f"signal:{name}", s, "matches", "matches" if f"sig|{name}" in _labels_in(evaluator, s) else "no match")
    for exc in raw.get("exclusions", []):
        for s in exc.get("examples", []):
            record(f"exclusion:{exc['id']}", s, "matches", "matches" if f"xg|{exc['id']}" in _labels_in(evaluator, s) else "no match")
    for i, cue in enumerate(raw.get("context", {}).get("cues", [])):
        for s in cue.get("examples", []):
            record(f"cue:{cue['category']}", s, "matches", "matches" if f"cue|{i}" in _labels_in(evaluator, s) else "no match")
    return outcome
