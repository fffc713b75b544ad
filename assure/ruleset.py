"""Load and validate the questions and the rules into one :class:`RuleSet`.

Everything is validated (JSON Schema, then cross-references) before any document is
read, so a bad rules file fails fast with the file and key path in the message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assure.errors import ConfigError
from assure.resources import default_questions_dir, default_rules_path
from assure.validation import check_schema, read_yaml


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    question: str
    why: str
    add: str
    source: str
    examples: dict[str, tuple[str, ...]]
    path: str = ""

    @property
    def number(self) -> int:
        return int(self.id[1:])


@dataclass(frozen=True)
class Rule:
    id: str
    question: str
    kind: str
    message: str
    terms: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()
    near: dict[str, Any] | None = None
    exclude: tuple[str, ...] = ()
    max_strength: str = "met"
    met_when: tuple[tuple[str, ...], ...] = ()
    weight: float = 1.0
    signal_scope: str = "sentence"  # or "block": signals anywhere in the paragraph count
    figures: bool = False  # a hit among table figures can still be met (local data rules)
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    raw: dict[str, Any]  # the validated rules.yaml, for signals, context and settings
    rules_path: str
    questions_dir: str
    fingerprint: str  # hash of every input file: part of cache keys and reports

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def rules_for(self, qid: str) -> list[Rule]:
        return [r for r in self.rules if r.question == qid]

    def select(self, question_ids: Iterable[str]) -> RuleSet:
        """A copy limited to some questions (config ``questions:``)."""
        wanted = {q.upper() for q in question_ids}
        unknown = wanted - {q.id for q in self.questions}
        if unknown:
            raise ConfigError(f"unknown question id(s): {', '.join(sorted(unknown))}")
        return RuleSet(
            questions=tuple(q for q in self.questions if q.id in wanted),
            rules=tuple(r for r in self.rules if r.question in wanted),
            raw=self.raw, rules_path=self.rules_path, questions_dir=self.questions_dir,
            fingerprint=self.fingerprint,
        )


def load_questions(directory: Path) -> tuple[Question, ...]:
    if not directory.is_dir():
        raise ConfigError("questions folder not found", path=str(directory))
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise ConfigError("no question files (*.yaml) in folder", path=str(directory))
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for f in files:
        data = read_yaml(f)
        check_schema(data, "questions.schema.json", str(f))
        if data["id"] in seen:
            raise ConfigError(f"id: {data['id']} already defined in {seen[data['id']]}", path=str(f))
        seen[data["id"]] = f.name
        questions.append(
            Question(
                id=data["id"], title=data["title"].strip(), question=" ".join(data["question"].split()),
                why=" ".join(data["why"].split()), add=" ".join(data["add"].split()), source=data["source"].strip(),
                examples={k: tuple(v) for k, v in data["examples"].items()}, path=str(f),
            )
        )
    return tuple(sorted(questions, key=lambda q: q.number))


def _rule_from(data: dict[str, Any]) -> Rule:
    return Rule(
        id=data["id"], question=data["question"], kind=data["kind"], message=" ".join(data["message"].split()),
        terms=tuple(data.get("terms", ())), lemmas=tuple(data.get("lemmas", ())),
        patterns=tuple(data.get("patterns", ())), near=data.get("near"),
        exclude=tuple(data.get("exclude", ())),
        max_strength=data.get("max_strength", "met"),
        met_when=tuple(tuple(s) for s in data.get("met_when", ())),
        weight=float(data.get("weight", 1.0)), signal_scope=data.get("signal_scope", "sentence"),
        figures=bool(data.get("figures", False)),
        examples={k: tuple(v) for k, v in data.get("examples", {}).items()},
    )


def _cross_check(data: dict[str, Any], questions: tuple[Question, ...], path: Path) -> None:
    qids = {q.id for q in questions}
    signals = set(data.get("signals", {}))
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"]):
        where = f"rules[{i}]"
        rid = rule["id"]
        if rid in seen:
            raise ConfigError(f"{where}.id: duplicate rule id {rid}", path=str(path))
        seen.add(rid)
        if rule["question"] not in qids:
            raise ConfigError(f"{where}.question: {rule['question']} is not a loaded question", path=str(path))
        if not rid.startswith(rule["question"] + ".") and not rid.startswith(f"Q{int(rule['question'][1:]):02d}."):
            raise ConfigError(f"{where}.id: {rid} must start with its question id ({rule['question']}.)", path=str(path))
        kind = rule["kind"]
        if kind == "phrase" and not (rule.get("terms") or rule.get("lemmas")):
            raise ConfigError(f"{where}: a phrase rule needs terms or lemmas", path=str(path))
        if kind == "pattern" and not rule.get("patterns"):
            raise ConfigError(f"{where}: a pattern rule needs patterns", path=str(path))
        if kind == "cooccur":
            near = rule.get("near") or {}
            if not (rule.get("terms") or rule.get("lemmas") or rule.get("patterns")):
                raise ConfigError(f"{where}: a cooccur rule needs terms, lemmas or patterns", path=str(path))
            if not (near.get("terms") or near.get("lemmas") or near.get("patterns")):
                raise ConfigError(f"{where}.near: a cooccur rule needs near terms, lemmas or patterns", path=str(path))
        for j, alt in enumerate(rule.get("met_when", [])):
            for sig in alt:
                if sig not in signals and sig != "specific":
                    raise ConfigError(f"{where}.met_when[{j}]: unknown signal {sig!r}", path=str(path))
        if not any(rule["examples"].get(k) for k in ("met", "partial", "gap")):
            raise ConfigError(f"{where}.examples: every rule needs at least one example sentence", path=str(path))
    rule_question = {r["id"]: r["question"] for r in data["rules"]}
    for qid, settings in data.get("questions", {}).items():
        if qid not in qids:
            raise ConfigError(f"questions.{qid}: not a loaded question", path=str(path))
        for j, rid in enumerate(settings.get("met_needs", [])):
            if rule_question.get(rid) != qid:
                raise ConfigError(f"questions.{qid}.met_needs[{j}]: {rid!r} is not a rule of {qid}", path=str(path))
    for i, cue in enumerate(data.get("context", {}).get("cues", [])):
        for j, rid in enumerate(cue.get("rules", [])):
            if rid not in rule_question:
                raise ConfigError(f"context.cues[{i}].rules[{j}]: {rid!r} is not a rule", path=str(path))
    for q in questions:
        if q.id not in {r["question"] for r in data["rules"]}:
            raise ConfigError(f"rules: question {q.id} has no rule", path=str(path))


def _fingerprint(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_ruleset(rules_path: str | Path | None = None, questions_dir: str | Path | None = None) -> RuleSet:
    """Load, validate and cross-check; raises ConfigError naming the file and key path."""
    rpath = Path(rules_path) if rules_path else default_rules_path()
    qdir = Path(questions_dir) if questions_dir else default_questions_dir()
    questions = load_questions(qdir)
    data = read_yaml(rpath)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", path=str(rpath))
    check_schema(data, "rules.schema.json", str(rpath))
    _cross_check(data, questions, rpath)
    used = {r["question"] for r in data["rules"]}
    questions = tuple(q for q in questions if q.id in used)
    files = [rpath, *sorted(Path(q.path) for q in questions)]
    return RuleSet(
        questions=questions, rules=tuple(_rule_from(r) for r in data["rules"]), raw=data,
        rules_path=str(rpath), questions_dir=str(qdir), fingerprint=_fingerprint(files),
    )
