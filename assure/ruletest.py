"""Run the example sentences that every question, rule, signal, exclusion and cue carries.

Examples are the rules' own unit tests: ``assure rules test`` and the test suite both run
them, so a rule change that breaks a documented behaviour fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assure.engine import Evaluator
from assure.models import Block, BlockKind, Document, Status
from assure.pipeline import Role, label
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
        return {"passed": self.passed, "failed": len(self.failures), "failures": [f.__dict__ for f in self.failures]}


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
    return {m.label for m in comp.matches(doc)}


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
    for signal in ruleset.signals:
        for s in signal.examples:
            found = label(Role.SIGNAL, signal.name) in _labels_in(evaluator, s)
            record(f"signal:{signal.name}", s, "matches", "matches" if found else "no match")
    for exclusion in ruleset.exclusions:
        for s in exclusion.examples:
            found = label(Role.EXCLUSION, exclusion.id) in _labels_in(evaluator, s)
            record(f"exclusion:{exclusion.id}", s, "matches", "matches" if found else "no match")
    for cue in ruleset.context.cues:
        for s in cue.examples:
            found = label(Role.CUE, str(cue.index)) in _labels_in(evaluator, s)
            record(f"cue:{cue.category}", s, "matches", "matches" if found else "no match")
    return outcome
