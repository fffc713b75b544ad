"""Load and validate the questions and the rules into one :class:`RuleSet`.

Everything is validated (JSON Schema, then cross-references) before any document is
read, so a bad rules file fails fast with the file and key path in the message.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from assure import confidence, corroborate
from assure.errors import ConfigError, ConfigProblems, Problem, problems_of
from assure.patterns import check_patterns
from assure.pipeline import COMMITMENT
from assure.resources import default_questions_dir, default_rules_path
from assure.rulechain import MergedRules, built_in, load_rules_data, origin_of
from assure.rulekinds import RULE_KINDS
from assure.trusted import validated_builtin
from assure.validation import Problems, key_parts, key_path, question_owner, read_yaml_located, rule_owner

DEFAULT_CUE_SCOPE = 8  # tokens a context cue reaches when it sets no scope
# The signal a list item under a "We will:" lead-in, a commitment section or an action-plan
# row inherits; rules.yaml must define it for those to count.
COMMITMENT_SIGNAL = COMMITMENT  # one name for the signal a commitment carries


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
class Matchers:
    """What a rule, signal, exclusion or cue matches: phrases on lower case (``terms``),
    phrases on lemmas (``lemmas``) and spaCy token patterns (``patterns``)."""

    terms: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.lemmas or self.patterns)


@dataclass(frozen=True)
class Near:
    """A cooccur rule's partner words and how far from the hit they may be (0: anywhere in the sentence)."""

    matchers: Matchers
    window: int = 0


@dataclass(frozen=True)
class Rule:
    id: str
    question: str
    kind: str  # a name in assure.rulekinds.RULE_KINDS
    message: str
    matchers: Matchers = Matchers()
    near: Near | None = None
    exclude: tuple[str, ...] = ()  # phrases that set this rule's hit aside (rule-level false friends)
    max_strength: str = "met"
    met_when: tuple[tuple[str, ...], ...] = ()  # alternatives of signal sets; () means the scoring default
    weight: float = 1.0
    signal_scope: str = "sentence"  # or "block": signals anywhere in the paragraph count
    figures: bool = False  # a hit among table figures can still be met (local data rules)
    near_in_section: bool = False  # a cooccur rule's partner may stand in the heading of the hit's section
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.matchers.terms

    @property
    def lemmas(self) -> tuple[str, ...]:
        return self.matchers.lemmas

    @property
    def patterns(self) -> tuple[tuple[dict[str, Any], ...], ...]:
        return self.matchers.patterns


@dataclass(frozen=True)
class Signal:
    """Something a sentence carries (a commitment, an owner, money...) that can lift a hit to met."""

    name: str
    matchers: Matchers
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclusion:
    """A false friend: a rule hit overlapping it is set aside ("care home" is not housing)."""

    id: str
    matchers: Matchers
    description: str = ""
    examples: tuple[str, ...] = ()
    # rules whose own term it is ("the Housing Revenue Account" is single-sector housing money for Q8,
    # and a false friend of "housing" everywhere else)
    except_rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ContextCue:
    """Words that void (negated, deferred, out of scope) or weaken (aspirational, conditional)
    a hit within ``scope`` tokens in ``direction``."""

    index: int  # position in context.cues: the cue's identity in matcher labels and ``rules test``
    category: str
    effect: str  # void | weaken
    direction: str  # forward | backward | both
    scope: int
    matchers: Matchers
    rules: frozenset[str] | None = None  # only these rules; None: every rule
    terminators: tuple[str, ...] = ()  # extra words that end this cue's scope
    examples: tuple[str, ...] = ()
    # also reaches the sentence before it in the same paragraph, when its own sentence is short or opens
    # with "This"/"It": "Option C: pay the winter energy bills. This was considered but not taken forward."
    previous_sentence: bool = False
    # also reaches the items of a list its line introduces: "This plan should be read alongside:" over a list
    # of strategies and policies by title
    lead_in: bool = False

    def applies_to(self, rule_id: str) -> bool:
        return self.rules is None or rule_id in self.rules


@dataclass(frozen=True)
class Context:
    """Context cues and the words that bound them (``terminators``) or disarm them (``pseudo``)."""

    cues: tuple[ContextCue, ...] = ()
    terminators: tuple[str, ...] = ()
    pseudo: tuple[str, ...] = ()  # look like a cue but are not one ("no wrong door")
    # words of a section heading that put everything under it out of scope ("What this strategy does not cover")
    out_of_scope_sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeySections:
    """Section titles about homes and housing (rules.yaml ``key_sections:``): when such a
    section sits on unreadable pages, a question with no evidence is unassessable, not gap."""

    matchers: Matchers
    match: tuple[str, ...] = ()  # example titles that must match
    no_match: tuple[str, ...] = ()  # example titles that must not


@dataclass(frozen=True)
class Relevance:
    """The whole-document screen: fewer matching body sentences than ``min_sentences`` and
    the document is not applicable."""

    min_sentences: int = 0
    matchers: Matchers = Matchers()


@dataclass(frozen=True)
class Scoring:
    """How many counted hits a verdict needs and the score bands (rules.yaml ``scoring:``).

    met:     min(met_cap, met_base + met_per_rule*(rules with a met hit - 1)
                 + met_per_met*(met hits - 1) + met_per_partial*(counted hits that are not met))
    partial: min(partial_cap, partial_base + partial_per_rule*(rules with a counted hit - 1)
                 + partial_per_hit*(counted hits - 1))
    gap:     0
    """

    partial_min_hits: int = 1
    met_min_hits: int = 1
    met_base: int = 70
    met_per_rule: int = 8
    met_per_met: int = 3
    met_per_partial: int = 2
    met_cap: int = 100
    partial_base: int = 30
    partial_per_rule: int = 6
    partial_per_hit: int = 2
    partial_cap: int = 60
    # met_when for rules that set none: commitment plus any "specific" signal
    default_met_when: tuple[tuple[str, ...], ...] = (("commitment", "specific"),)
    # signal groups a met_when may name: "specific" is any of owner, money, measure, service
    signal_groups: tuple[tuple[str, tuple[str, ...]], ...] = (("specific", ("owner", "money", "measure", "service")),)
    # a mention-only rule's hit among a table's figures: "void" sets it aside, "weaken" counts it as partial
    mentions_in_figures: str = "weaken"

    def met_score(self, met_rules: int, met_hits: int, counted_hits: int) -> int:
        return min(
            self.met_cap,
            self.met_base
            + self.met_per_rule * (met_rules - 1)
            + self.met_per_partial * (counted_hits - met_hits)
            + self.met_per_met * (met_hits - 1),
        )

    def partial_score(self, counted_rules: int, counted_hits: int) -> int:
        return min(
            self.partial_cap,
            self.partial_base + self.partial_per_rule * (counted_rules - 1) + self.partial_per_hit * (counted_hits - 1),
        )


@dataclass(frozen=True)
class Enumerations:
    """``context.enumerations``: when a hit is only one name in a list (a passing mention)."""

    min_items: int = 3  # items in the list, the hit's included
    max_item_words: int = 5  # longer items are clauses, not names
    exempt: frozenset[str] = frozenset()  # rules that exist to catch lists (partners listed, groups listed)
    # co-occurrence rules whose listed hit still counts when its partner is outside the list
    # ("income, education and housing are wider determinants of health")
    partner_outside: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QuestionSettings:
    """Per-question scoring settings (rules.yaml ``questions:``)."""

    met_needs: frozenset[str] = frozenset()  # met only when one of these rules also has counted evidence


# Weight of a hit by where it sits (rules.yaml ``places:`` overrides these); 0 never counts.
DEFAULT_PLACE_WEIGHTS = {
    "body": 1.0,
    "heading": 1.5,
    "table_row": 1.5,
    "contents": 0.0,
    "glossary": 0.0,
    "references": 0.0,
    "running": 0.0,
    "cover": 0.0,
    "figure": 0.0,
    "caption": 0.0,
    "footnote": 0.5,
}


@dataclass(frozen=True)
class RuleSet:
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    rules_path: str
    questions_dir: str
    fingerprint: str  # hash of every input file: part of cache keys and reports
    signals: tuple[Signal, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    context: Context = Context()
    relevance: Relevance | None = None
    key_sections: KeySections | None = None
    place_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PLACE_WEIGHTS))
    scoring: Scoring = Scoring()
    question_settings: dict[str, QuestionSettings] = field(default_factory=dict)
    commitment_sections: tuple[str, ...] = ()  # headings whose list items and rows inherit a commitment
    lemma_overrides: dict[str, str] = field(default_factory=dict)
    enumerations: Enumerations | None = None  # context.enumerations; None: lists are not screened
    corroboration: corroborate.Settings = corroborate.Settings()
    confidence: confidence.Settings = confidence.Settings()
    # for a rules file that extends another: where each rule, signal, exclusion and cue was written
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    # documents that config per_file_ignores narrows further: path -> their rules (assure.selection)
    by_path: dict[str, RuleSet] = field(default_factory=dict)

    def for_path(self, path: str) -> RuleSet:
        """The rules a document is checked with: its own under per_file_ignores, else these."""
        return self.by_path.get(path, self)

    def variants(self) -> list[RuleSet]:
        """These rules and each distinct narrower set in ``by_path``: what a worker compiles."""
        out = [self]
        for ruleset in self.by_path.values():
            if all(ruleset is not seen for seen in out):
                out.append(ruleset)
        return out

    def origin_of(self, where: str) -> tuple[str, str]:
        """The file an entry ("rule Q04.x.near", "context.cues[3]") was written in, and its name there."""
        return origin_of(self.origins, where, self.rules_path)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def rules_for(self, qid: str) -> list[Rule]:
        return [r for r in self.rules if r.question == qid]

    def settings_for(self, qid: str) -> QuestionSettings:
        return self.question_settings.get(qid, QuestionSettings())

    @cached_property
    def exclusion_exemptions(self) -> dict[str, frozenset[str]]:
        """Exclusion id -> the rules it does not set aside (``except_rules``)."""
        return {x.id: x.except_rules for x in self.exclusions if x.except_rules}

    def select(self, question_ids: Iterable[str]) -> RuleSet:
        """A copy limited to some questions (config ``questions:``)."""
        wanted = {q.upper() for q in question_ids}
        unknown = wanted - {q.id for q in self.questions}
        if unknown:
            raise ConfigError(f"unknown question id(s): {', '.join(sorted(unknown))}")
        return replace(
            self,
            questions=tuple(q for q in self.questions if q.id in wanted),
            rules=tuple(r for r in self.rules if r.question in wanted),
        )


def load_questions(directory: Path) -> tuple[Question, ...]:
    """Every question file in ``directory``; raises ConfigProblems listing every file's problems."""
    questions, _, problems = _read_questions(directory)
    if problems:
        raise ConfigProblems(problems)
    return questions


def _read_questions(
    directory: Path, trusted: dict[Path, Any] | None = None
) -> tuple[tuple[Question, ...], set[str], list[Problem]]:
    """The valid questions, the ids every file claims (valid or not, so the rules' references
    to a broken file are not reported twice), and every problem found. ``trusted``: the
    built-in files as parsed when validated (assure.trusted), taken without the schema check."""
    if not directory.is_dir():
        raise ConfigError("questions folder not found", path=str(directory))
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise ConfigError("no question files (*.yaml) in folder", path=str(directory))
    questions: list[Question] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for f in files:
        positions: dict[tuple[Any, ...], tuple[int, int | None]] = {}
        if trusted is not None:
            data = trusted[f]
        else:
            try:
                data, positions = read_yaml_located(f)
            except ConfigError as exc:
                problems.extend(problems_of(exc))
                continue
        found = Problems(str(f), positions, owner=question_owner(data))
        if trusted is None:
            found.add_schema_errors(data, "questions.schema.json")
        qid = data.get("id") if isinstance(data, dict) else None
        if isinstance(qid, str) and qid in seen:
            found.add(["id"], f"{qid} already defined in {seen[qid]}")
        elif isinstance(qid, str):
            seen[qid] = f.name
        problems.extend(found.found)
        if found.found:
            continue
        questions.append(
            Question(
                id=data["id"],
                title=data["title"].strip(),
                question=" ".join(data["question"].split()),
                why=" ".join(data["why"].split()),
                add=" ".join(data["add"].split()),
                source=data["source"].strip(),
                examples={k: tuple(v) for k, v in data["examples"].items()},
                path=str(f),
            )
        )
    return tuple(sorted(questions, key=lambda q: q.number)), set(seen), problems


def _matchers(data: dict[str, Any]) -> Matchers:
    return Matchers(
        terms=tuple(data.get("terms", ())),
        lemmas=tuple(data.get("lemmas", ())),
        patterns=tuple(tuple(p) for p in data.get("patterns", ())),
    )


def _rule_from(data: dict[str, Any]) -> Rule:
    near = data.get("near")
    return Rule(
        id=data["id"],
        question=data["question"],
        kind=data["kind"],
        message=" ".join(data["message"].split()),
        matchers=_matchers(data),
        near=Near(_matchers(near), int(near.get("window", 0))) if near is not None else None,
        exclude=tuple(data.get("exclude", ())),
        max_strength=data.get("max_strength", "met"),
        met_when=tuple(tuple(s) for s in data.get("met_when", ())),
        weight=float(data.get("weight", 1.0)),
        signal_scope=data.get("signal_scope", "sentence"),
        figures=bool(data.get("figures", False)),
        near_in_section=bool(data.get("near_in_section", False)),
        examples={k: tuple(v) for k, v in data.get("examples", {}).items()},
    )


def _cue_from(index: int, data: dict[str, Any]) -> ContextCue:
    return ContextCue(
        index=index,
        category=data["category"],
        effect=data["effect"],
        direction=data["direction"],
        scope=int(data.get("scope", DEFAULT_CUE_SCOPE)),
        matchers=_matchers(data),
        rules=frozenset(data["rules"]) if data.get("rules") else None,
        terminators=tuple(data.get("terminators", ())),
        examples=tuple(data.get("examples", ())),
        previous_sentence=bool(data.get("previous_sentence", False)),
        lead_in=bool(data.get("lead_in", False)),
    )


def _scoring_from(data: dict[str, Any]) -> Scoring:
    values: dict[str, Any] = {k: v for k, v in data.items() if k not in ("default_met_when", "signal_groups")}
    if "default_met_when" in data:
        values["default_met_when"] = tuple(tuple(alt) for alt in data["default_met_when"])
    if "signal_groups" in data:
        values["signal_groups"] = tuple((name, tuple(members)) for name, members in data["signal_groups"].items())
    return Scoring(**values)


def _model_from(data: dict[str, Any]) -> dict[str, Any]:
    """The typed pieces of a validated rules.yaml (everything but questions and rules)."""
    context = data.get("context", {})
    relevance = data.get("relevance")
    return {
        "signals": tuple(
            Signal(name, _matchers(spec), spec.get("description", ""), tuple(spec.get("examples", ())))
            for name, spec in data.get("signals", {}).items()
        ),
        "exclusions": tuple(
            Exclusion(
                x["id"],
                _matchers(x),
                x.get("description", ""),
                tuple(x.get("examples", ())),
                frozenset(x.get("except_rules", ())),
            )
            for x in data.get("exclusions", [])
        ),
        "context": Context(
            cues=tuple(_cue_from(i, c) for i, c in enumerate(context.get("cues", []))),
            terminators=tuple(context.get("terminators", ())),
            pseudo=tuple(context.get("pseudo", ())),
            out_of_scope_sections=tuple(str(h).lower() for h in context.get("out_of_scope_sections", ())),
        ),
        "relevance": Relevance(int(relevance["min_sentences"]), _matchers(relevance)) if relevance else None,
        "key_sections": _key_sections_from(data.get("key_sections")),
        "place_weights": {**DEFAULT_PLACE_WEIGHTS, **{k: float(v) for k, v in data.get("places", {}).items()}},
        "scoring": _scoring_from(data.get("scoring", {})),
        "question_settings": {
            qid: QuestionSettings(frozenset(q.get("met_needs", ()))) for qid, q in data.get("questions", {}).items()
        },
        "commitment_sections": tuple(s.lower() for s in data.get("commitment_sections", ())),
        "lemma_overrides": dict(data.get("lemma_overrides") or {}),
        "enumerations": _enumerations_from(context.get("enumerations")),
        "corroboration": corroborate.Settings.from_raw(data.get("corroboration")),
        "confidence": confidence.Settings.from_raw(data.get("confidence")),
    }


def _key_sections_from(data: dict[str, Any] | None) -> KeySections | None:
    if not data:
        return None
    examples = data.get("examples", {})
    return KeySections(_matchers(data), tuple(examples.get("match", ())), tuple(examples.get("no_match", ())))


def _enumerations_from(data: dict[str, Any] | None) -> Enumerations | None:
    if not data:
        return None
    return Enumerations(
        int(data.get("min_items", 3)),
        int(data.get("max_item_words", 5)),
        frozenset(data.get("exempt_rules", ())),
        frozenset(data.get("partner_outside_rules", ())),
    )


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _suffix_parts(suffix: str) -> list[Any]:
    """``.near`` or ``.met_when[0]`` (a rule kind's key suffix) as key path parts."""
    return [name if name else int(index) for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", suffix)]


def _cross_check(
    data: dict[str, Any],
    questions: tuple[Question, ...],
    qids: set[str],
    found: Problems,
    invalid: set[int],
    place: Callable[[list[Any], list[Any]], str] | None = None,
) -> None:
    """Collect every cross-reference problem (ids, questions, signals, rule kinds); the rules in
    ``invalid`` (those with schema problems) are checked only as far as their values' types allow.
    ``place(first, other)`` says where entry ``first`` is, for a message about entry ``other``
    ("on line 12"; a rules chain's merged list index means nothing to its author)."""
    # Long: one pass over each cross-reference in turn, each a few lines; apart they would hide the order of checks.
    signals = set(_mapping(data.get("signals")))
    groups = _mapping(_mapping(data.get("scoring")).get("signal_groups"))
    for name, members in groups.items():
        for j, sig in enumerate(_items(members)):
            if isinstance(sig, str) and sig not in signals:
                found.add(["scoring", "signal_groups", name, j], f"unknown signal {sig!r}")
    signals |= set(groups)
    rules = [r if isinstance(r, dict) else {} for r in _items(data.get("rules"))]
    first: dict[str, int] = {}
    for i, rule in enumerate(rules):
        rid, question, kind = rule.get("id"), rule.get("question"), rule.get("kind")
        if isinstance(rid, str) and rid in first:
            if place is not None:
                where = place(["rules", first[rid], "id"], ["rules", i, "id"])
            else:
                line = found.locate(["rules", first[rid], "id"])[0]
                where = f"on line {line}" if line is not None else f"at rules[{first[rid]}]"
            found.add(["rules", i, "id"], f"duplicate rule id {rid} (first {where})")
        elif isinstance(rid, str):
            first[rid] = i
        if isinstance(question, str) and re.fullmatch(r"Q[0-9]{1,2}", question):
            if question not in qids:
                found.add(["rules", i, "question"], f"{question} is not a loaded question{_question_hint(question, qids)}")
            elif isinstance(rid, str) and not rid.startswith((question + ".", f"Q{int(question[1:]):02d}.")):
                found.add(["rules", i, "id"], f"{rid} must start with its question id ({question}.)")
        if isinstance(kind, str) and kind not in RULE_KINDS:
            found.add(["rules", i, "kind"], f"unknown rule kind {kind!r} (choose from {', '.join(RULE_KINDS)})")
        elif isinstance(kind, str) and i not in invalid:
            problem = RULE_KINDS[kind].check(_rule_from(rule))
            if problem is not None:
                found.add(["rules", i, *_suffix_parts(problem[0])], problem[1])
        for j, alt in enumerate(_items(rule.get("met_when"))):
            for k, sig in enumerate(_items(alt)):
                if isinstance(sig, str) and sig not in signals:
                    found.add(["rules", i, "met_when", j, k], f"unknown signal {sig!r}")
        examples = rule.get("examples")
        if isinstance(examples, dict) and not any(examples.get(k) for k in ("met", "partial", "gap")):
            found.add(["rules", i, "examples"], "every rule needs at least one example sentence")
    rule_question = {r["id"]: r.get("question") for r in rules if isinstance(r.get("id"), str)}
    scoring = _mapping(data.get("scoring"))
    default_met = scoring.get("default_met_when", [list(alt) for alt in Scoring.default_met_when])
    if any(r.get("max_strength", "met") == "met" and not r.get("met_when") for r in rules):
        # a rule that can give met with no met_when of its own is met by these signals: a small rules pack
        # without them quietly gives partial at most
        for j, alt in enumerate(_items(default_met)):
            missing = [sig for sig in _items(alt) if isinstance(sig, str) and sig not in signals]
            if missing:
                at: list[Any] = ["scoring", "default_met_when", j] if "default_met_when" in scoring else ["scoring"]
                found.add(
                    at,
                    f"unknown signal {', '.join(map(repr, missing))}: a rule without met_when is met by "
                    f"default_met_when ({' + '.join(map(str, _items(alt)))}); define signals: or give the rule met_when",
                )
    for qid, settings in _mapping(data.get("questions")).items():
        if qid not in qids:
            found.add(["questions", qid], "not a loaded question")
            continue
        for j, rid in enumerate(_items(_mapping(settings).get("met_needs"))):
            if isinstance(rid, str) and rule_question.get(rid) != qid:
                found.add(["questions", qid, "met_needs", j], f"{rid!r} is not a rule of {qid}")
    for i, exclusion in enumerate(_items(data.get("exclusions"))):
        for j, rid in enumerate(_items(_mapping(exclusion).get("except_rules"))):
            if isinstance(rid, str) and rid not in rule_question:
                found.add(["exclusions", i, "except_rules", j], f"{rid!r} is not a rule")
    for i, cue in enumerate(_items(_mapping(data.get("context")).get("cues"))):
        for j, rid in enumerate(_items(_mapping(cue).get("rules"))):
            if isinstance(rid, str) and rid not in rule_question:
                found.add(["context", "cues", i, "rules", j], f"{rid!r} is not a rule")
    _check_references(data, qids, set(rule_question), found)
    if isinstance(data.get("rules"), list):
        used = {r.get("question") for r in rules}
        for q in questions:
            if q.id not in used:
                found.add(["rules"], f"question {q.id} has no rule")


def _question_hint(question: str, qids: set[str]) -> str:
    """For Q06, "; did you mean Q6?" (questions are numbered without a leading zero)."""
    plain = f"Q{int(question[1:])}"
    return f"; did you mean {plain}?" if plain != question and plain in qids else ""


# Every other place the rules file names questions or rules, as key paths from the top: a list of
# question ids, or of rule ids ("*" stands for each item of a list)
_QUESTION_LISTS = (
    ("corroboration", "across", "*", "question"),
    ("corroboration", "across", "*", "action_questions"),
    ("corroboration", "section", "questions"),
    ("confidence", "gap_check_questions"),
)
_RULE_LISTS = (
    ("corroboration", "across", "*", "topic"),
    ("corroboration", "across", "*", "action_rules"),
    ("context", "enumerations", "exempt_rules"),
    ("context", "enumerations", "partner_outside_rules"),
)


def _named(data: Any, path: tuple[str, ...], at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(key path, value) of every id the key ``path`` leads to: a single id, or each of a list."""
    if not path:
        if isinstance(data, list):
            yield from (((*at, j), v) for j, v in enumerate(data))
        else:
            yield at, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for j, item in enumerate(_items(data)):
            yield from _named(item, rest, (*at, j))
    elif isinstance(data, dict) and head in data:
        yield from _named(data[head], rest, (*at, head))


def _check_references(data: dict[str, Any], qids: set[str], rule_ids: set[str], found: Problems) -> None:
    """Question and rule ids named outside ``rules:`` and ``questions:`` (corroboration, confidence,
    enumerations) must exist: a misspelt one would switch its setting off without a word."""
    for path in _QUESTION_LISTS:
        for at, qid in _named(data, path):
            if isinstance(qid, str) and qid not in qids:
                found.add(list(at), f"{qid} is not a loaded question")
    for path in _RULE_LISTS:
        for at, rid in _named(data, path):
            if isinstance(rid, str) and rid not in rule_ids:
                found.add(list(at), f"{rid!r} is not a rule")


def _fingerprint(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


# what merging or cross-checking raises on values of the wrong type, which the schema's problems explain
_MALFORMED = (TypeError, ValueError, KeyError, AttributeError)


def _load_chain(rpath: Path, questions: tuple[Question, ...], qids: set[str], problems: list[Problem]) -> MergedRules:
    """A rules file that extends others (assure.rulechain): each file is schema-checked on its
    own, then the merged rules are cross-checked, each problem named in the file that wrote it."""
    schema: list[Problem] = []  # each file's schema problems: listed with the cross-check's, not before them
    try:
        merged = load_rules_data(rpath, schema)
    except ConfigError as exc:
        raise ConfigProblems([*problems, *problems_of(exc)]) from None
    except _MALFORMED:
        if not schema:
            raise
        raise ConfigProblems([*problems, *schema]) from None  # too malformed to merge: the schema's problems say why
    located: dict[str, Any] = {}

    def locate(file: str, at: str) -> tuple[int | None, int | None]:
        if file not in located:
            located[file] = read_yaml_located(Path(file))[1]
        return Problems(file, located[file]).locate(key_parts(at))

    def place(first: list[Any], other: list[Any]) -> str:
        file, at = merged.origin(key_path(first))
        if built_in(Path(file)):
            return "in the built-in rules"
        line = locate(file, at)[0]
        return f"on line {line}" if file == merged.origin(key_path(other))[0] else f"on {file}:{line}"

    found = Problems(str(rpath), None, owner=rule_owner(merged.data))
    if any(p.key == "extend" for p in schema):  # which rules this file extends is unknown: nothing to cross-check
        raise ConfigProblems([*problems, *schema])
    broken = {p.rule for p in schema if p.rule}  # rules with schema problems: checked only as far as their types allow
    invalid = {i for i, r in enumerate(_items(merged.data.get("rules"))) if isinstance(r, dict) and r.get("id") in broken}
    try:
        _cross_check(merged.data, questions, qids, found, invalid, place)
    except _MALFORMED:
        if not schema:
            raise
        found.found.clear()  # values of the wrong type go further than the cross-check can follow: the schema's problems say why
    blamed: list[Problem] = list(schema)
    for problem in found.found:
        file, at = merged.origin(problem.key)
        line, column = locate(file, at)
        blamed.append(replace(problem, file=file, key=at, line=line, column=column))
    for path in merged.files:
        if not built_in(path) and not any(p.file == str(path) for p in schema):  # (checked with its schema problems)
            data, positions = read_yaml_located(path)  # each user file's token patterns, at their lines in that file
            patterns = Problems(str(path), positions, owner=rule_owner(data))
            check_patterns(data, patterns)
            blamed += patterns.found
    if problems or blamed:
        raise ConfigProblems([*problems, *blamed])
    return merged


@dataclass(frozen=True)
class DeclaredId:
    id: str
    question: str = ""  # a rule's question id


@dataclass(frozen=True)
class DeclaredIds:
    """The question and rule ids a rules file declares, looked up like a RuleSet's (selection.KnownIds)."""

    questions: tuple[DeclaredId, ...]
    rules: tuple[DeclaredId, ...]

    def rules_for(self, qid: str) -> list[DeclaredId]:
        return [r for r in self.rules if r.question == qid]


def declared_ids(rules_path: str | Path | None = None, questions_dir: str | Path | None = None) -> DeclaredIds | None:
    """The ids the rules file (with every file it extends) and its questions declare, read without
    the cross-checks: what a config's ids are checked against when the rules have problems of
    their own. None when the files are too broken to tell (not found, not YAML, no rule list)."""
    rpath = Path(rules_path) if rules_path else default_rules_path()
    qdir = Path(questions_dir) if questions_dir else default_questions_dir()
    try:
        data = load_rules_data(rpath, []).data
        qids = _read_questions(qdir)[1]
    except (ConfigError, *_MALFORMED):
        return None
    rules = tuple(
        DeclaredId(r["id"], r["question"])
        for r in _items(data.get("rules"))
        if isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("question"), str)
    )
    if not rules:
        return None
    used = {r.question for r in rules if r.question in qids}  # as a RuleSet: the questions its rules use
    questions = tuple(DeclaredId(q) for q in sorted(used, key=lambda q: int(q[1:]) if q[1:].isdigit() else 0))
    return DeclaredIds(questions, rules)


def load_ruleset(rules_path: str | Path | None = None, questions_dir: str | Path | None = None, *, trust: bool = True) -> RuleSet:
    """Load, validate and cross-check; raises ConfigError naming the file and key path.

    With ``trust`` (the default), the built-in rules and questions, byte for byte as they were
    validated when released, skip the schema and cross-checks (assure.trusted)."""
    rpath = Path(rules_path) if rules_path else default_rules_path()
    qdir = Path(questions_dir) if questions_dir else default_questions_dir()
    trusted = validated_builtin(rpath, qdir) if trust else None
    if trusted is not None:
        return _ruleset(rpath, qdir, _read_questions(qdir, trusted)[0], trusted[rpath])
    questions, qids, problems = _read_questions(qdir)
    try:
        data, positions = read_yaml_located(rpath)
    except ConfigError as exc:
        if problems:
            raise ConfigProblems([*problems, *problems_of(exc)]) from None
        raise
    if isinstance(data, dict) and data.get("extend") is not None:
        merged = _load_chain(rpath, questions, qids, problems)
        data = merged.data
    else:
        merged = MergedRules(data if isinstance(data, dict) else {}, [rpath])
        found = Problems(str(rpath), positions, owner=rule_owner(data))
        if not isinstance(data, dict):
            found.add([], "expected a mapping at the top level")
            raise ConfigProblems([*problems, *found.found])
        invalid = {p[1] for p in found.add_schema_errors(data, "rules.schema.json") if len(p) > 1 and p[0] == "rules"}
        _cross_check(data, questions, qids, found, invalid)
        if not built_in(rpath):  # the built-in rules' patterns are checked by the tests, not on every run
            check_patterns(data, found)
        if problems or found.found:
            raise ConfigProblems([*problems, *found.found])
    return _ruleset(rpath, qdir, questions, data, merged)


def _ruleset(
    rpath: Path, qdir: Path, questions: tuple[Question, ...], data: dict[str, Any], merged: MergedRules | None = None
) -> RuleSet:
    """The RuleSet of validated rules data (``merged``: the chain it came from, if it extends others)."""
    merged = merged or MergedRules(data, [rpath])
    used = {r["question"] for r in data["rules"]}
    questions = tuple(q for q in questions if q.id in used)
    files = [*merged.files, *sorted(Path(q.path) for q in questions)]
    return RuleSet(
        questions=questions,
        rules=tuple(_rule_from(r) for r in data["rules"]),
        rules_path=str(rpath),
        questions_dir=str(qdir),
        fingerprint=_fingerprint(files),
        **_model_from(data),
        origins=merged.entry_origins(),
    )
