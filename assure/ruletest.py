"""Run the example sentences that every question, rule, signal, exclusion and cue carries.

Examples are the rules' own unit tests: ``assure rules test`` and the test suite both run
them, so a rule change that breaks a documented behaviour fails at once.
"""

from __future__ import annotations

from collections.abc import Callable
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


def run_examples(ruleset: RuleSet, at: Callable[[str, str], None] | None = None) -> Outcome:
    """Every example's verdict against what it expects; ``at(owner, sentence)`` is told of
    each example before it runs (the bounded runner names the one that never finished)."""
    evaluator = Evaluator(ruleset)
    outcome = Outcome()
    before = at or (lambda owner, sentence: None)

    def record(owner: str, sentence: str, expected: str, got: str) -> None:
        if expected == got:
            outcome.passed += 1
        else:
            outcome.failures.append(Failure(owner, sentence, expected, got))

    for q in ruleset.questions:
        for expected, sentences in q.examples.items():
            for s in sentences:
                before(q.id, s)
                result = evaluator.evaluate(sentence_document(s), screen=False)
                got = next(r.status for r in result.questions if r.id == q.id)
                record(q.id, s, expected, got.value if isinstance(got, Status) else str(got))
    for rule in ruleset.rules:
        for expected, sentences in rule.examples.items():
            for s in sentences:
                before(rule.id, s)
                record(rule.id, s, expected, _rule_verdict(evaluator, rule.id, s))
    for signal in ruleset.signals:
        for s in signal.examples:
            before(f"signal:{signal.name}", s)
            found = label(Role.SIGNAL, signal.name) in _labels_in(evaluator, s)
            record(f"signal:{signal.name}", s, "matches", "matches" if found else "no match")
    for exclusion in ruleset.exclusions:
        for s in exclusion.examples:
            before(f"exclusion:{exclusion.id}", s)
            found = label(Role.EXCLUSION, exclusion.id) in _labels_in(evaluator, s)
            record(f"exclusion:{exclusion.id}", s, "matches", "matches" if found else "no match")
    if ruleset.key_sections is not None:
        for expected, titles in (("matches", ruleset.key_sections.match), ("no match", ruleset.key_sections.no_match)):
            for title in titles:
                before("key_sections", title)
                found = evaluator.is_key_section(title)
                record("key_sections", title, expected, "matches" if found else "no match")
    for cue in ruleset.context.cues:
        for s in cue.examples:
            before(f"cue:{cue.category}", s)
            found = label(Role.CUE, str(cue.index)) in _labels_in(evaluator, s)
            record(f"cue:{cue.category}", s, "matches", "matches" if found else "no match")
    return outcome


class ExampleTimeout(Exception):
    """An example ran past the time limit: a pattern that backtracks without end."""

    def __init__(self, owner: str, sentence: str, seconds: float) -> None:
        super().__init__(f"{owner}: the example {sentence[:80]!r} did not finish in {seconds:g} s")
        self.owner, self.sentence, self.seconds = owner, sentence, seconds


def run_examples_bounded(ruleset: RuleSet, seconds: float) -> Outcome:
    """``run_examples`` in a forked child, stopped after ``seconds`` in all.

    Why: a user's regular expression can backtrack for hours, and the matching never returns
    to Python to be interrupted; ``check`` bounds it with its per-file worker, this bounds
    ``rules test`` the same way and names the example that hung. Without ``fork`` (Windows,
    macOS defaults) the examples run in this process, unbounded."""
    import multiprocessing as mp
    import time

    if "fork" not in mp.get_all_start_methods():
        return run_examples(ruleset)
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome = run_examples(ruleset, at=lambda owner, sentence: send.send(("at", owner, sentence)))
            send.send(("done", outcome))
        except BaseException as exc:  # noqa: BLE001 - reported by the parent as one line
            send.send(("error", f"{type(exc).__name__}: {exc}"))

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()
    deadline = time.monotonic() + seconds
    current = ("", "")
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not receive.poll(left):
                raise ExampleTimeout(current[0], current[1], seconds)
            try:
                message = receive.recv()
            except EOFError:
                raise RuntimeError(f"the example runner stopped while running {current[0]}") from None
            if message[0] == "at":
                current = (message[1], message[2])
            elif message[0] == "done":
                return message[1]  # type: ignore[no-any-return]
            else:
                raise RuntimeError(message[1])
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
