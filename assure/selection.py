"""Which questions and rules a check runs: ``select``, ``extend_select``, ``ignore`` and
``per_file_ignores``, on ruff's model.

Why ruff's model: teams that lint with ruff (or Vale) already know it. Everything is
selected by default; a question id selects the question with all its rules, a rule id that
rule (and so its question, assessed with only the selected rules); ``ignore`` wins over
select. On the command line ``--select`` replaces the config's select (and its
extend_select), while ``--extend-select`` and ``--ignore`` add to the config's.

An ignored question is dropped from the report; an ignored rule finds no evidence, and its
question is still assessed by its other rules. A question left with no rule is dropped, and
the CLI says so. ``per_file_ignores`` narrows the rules further for documents whose path
matches a glob: the documents that share an effective selection share one RuleSet (so its
matchers are compiled once), reached through ``RuleSet.for_path``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from assure.config import Config, _glob_match
from assure.discover import Discovery
from assure.errors import ConfigError, ConfigProblems, Problem
from assure.ruleset import RuleSet
from assure.validation import key_path

ID = re.compile(r"^[Qq]([0-9]{1,2})(?:\.([A-Za-z0-9][A-Za-z0-9-]*))?$")
ID_HELP = "a question id (Q4) or a rule id (Q04.cold-damp-hazards; assure rules list shows them)"


class _Named(Protocol):
    @property
    def id(self) -> str: ...


class KnownIds(Protocol):
    """What an id is looked up in: a loaded RuleSet, or the ids a rules file declares
    (ruleset.DeclaredIds) when it has problems of its own."""

    @property
    def questions(self) -> Sequence[_Named]: ...

    @property
    def rules(self) -> Sequence[_Named]: ...

    def rules_for(self, qid: str) -> Sequence[_Named]: ...


@dataclass(frozen=True)
class Ask:
    """One id a user wrote, and where: ``--ignore``, or a config file and the key path of the
    list item (``ignore[2]``) with its line and column, for the problem line."""

    id: str
    where: str  # the flag, or the key path in the config file
    file: str = ""  # the config file; "" for a flag
    line: int | None = None
    column: int | None = None
    questions_only: bool = False  # a question id is expected (per_question, suppressions), not a rule id

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.column, self.where, message)


@dataclass(frozen=True)
class Request:
    """What the config and flags ask for, before it is checked against the loaded rules."""

    select: tuple[Ask, ...] | None = None  # None: everything
    extend_select: tuple[Ask, ...] = ()
    ignore: tuple[Ask, ...] = ()
    questions: tuple[Ask, ...] | None = None  # the older questions: / --question, intersected
    per_file_ignores: tuple[tuple[str, tuple[Ask, ...]], ...] = ()
    base: Path | None = None  # the config file's folder: per-file globs are relative to it
    policy: tuple[Ask, ...] = ()  # the questions the fail policy names: checked, they select nothing

    def is_default(self) -> bool:
        return (
            self.select is None
            and not self.extend_select
            and not self.ignore
            and self.questions is None
            and not self.per_file_ignores
        )


@dataclass(frozen=True)
class Selected:
    """The rules a check uses, and the notes the CLI prints once on stderr."""

    ruleset: RuleSet  # for_path(path) gives a document's own rules under per_file_ignores
    notes: tuple[str, ...]
    record: dict[str, Any] | None  # for the JSON report (None: the default selection)


def split_ids(values: Iterable[str] | None) -> list[str]:
    """``--ignore Q4,Q5 --ignore Q06.x`` -> [Q4, Q5, Q06.x]: repeatable and comma-separated."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def request_from(
    cfg: Config,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Request:
    """The config's selection with the command line's laid over it (as ruff does); raises
    ConfigError naming the flag for an id that is not even shaped like one."""

    def asks(ids: Iterable[str], where: str) -> tuple[Ask, ...]:
        return tuple(Ask(i, where) for i in ids)

    def written(ids: Iterable[str], *parts: Any) -> tuple[Ask, ...]:
        return _written(cfg, ids, parts)

    def flag(values: Sequence[str] | None, name: str) -> tuple[Ask, ...] | None:
        if values is None or values == []:
            return None
        ids = split_ids(values)
        for i in ids:
            if not ID.match(i):
                raise ConfigError(f"{name}: {i!r} is not {ID_HELP}")
        if not ids:
            raise ConfigError(f"{name}: give {ID_HELP}")
        return asks(ids, name)

    cli_select = flag(select, "--select")
    cli_extend = flag(extend_select, "--extend-select") or ()
    cli_ignore = flag(ignore, "--ignore") or ()
    if cli_select is not None:
        chosen: tuple[Ask, ...] | None = cli_select
        extend: tuple[Ask, ...] = cli_extend
    else:
        chosen = written(cfg.select, "select") if cfg.select is not None else None
        extend = written(cfg.extend_select, "extend_select") + cli_extend
    questions = None
    if cfg.questions:
        source = cfg.source("questions")
        questions = asks(cfg.questions, source) if source.startswith("command line") else written(cfg.questions, "questions")
    policy = tuple(
        ask
        for q, parts in cfg.policy_questions
        if q != "*"
        for ask in _written(cfg, [q], parts, listed=False, questions_only=True)
    )
    return Request(
        select=chosen,
        extend_select=extend,
        ignore=written(cfg.ignore, "ignore") + cli_ignore,
        questions=questions,
        per_file_ignores=tuple((glob, written(ids, "per_file_ignores", glob)) for glob, ids in cfg.per_file_ignores),
        base=cfg.base_dir,
        policy=policy,
    )


def _written(
    cfg: Config, ids: Iterable[str], parts: tuple[Any, ...], *, listed: bool = True, questions_only: bool = False
) -> tuple[Ask, ...]:
    """Each id of a config list (``listed``) or a single value, at its key path, line and column."""
    out = []
    for n, i in enumerate(ids):
        at = (*parts, n) if listed else parts
        line, column = cfg.locate(at)
        out.append(Ask(i, key_path(at), cfg.path or "", line, column, questions_only))
    return tuple(out)


def _lookup(ruleset: KnownIds, ask: Ask) -> tuple[str | None, str | None, str | None]:
    """(question id, rule id, problem): the question or rule ``ask`` names, or why the loaded
    rules have no such thing (with the nearest real id, when one is close)."""
    m = ID.match(ask.id.strip())
    if m is None:  # the config schema and request_from check the shape; here for direct callers
        return None, None, f"{ask.id!r} is not {ID_HELP}"
    qid = f"Q{int(m[1])}"
    known = [q.id for q in ruleset.questions]
    if m[2] is None or ask.questions_only:
        if qid in known:
            return qid, None, None
        if m[2] is not None:
            return None, None, f"{ask.id} is a rule id; a question id ({qid}) is expected here"
        return None, None, f"unknown question {ask.id} (the rules have {question_range(ruleset)}){_did_you_mean(qid, known)}"
    slug = m[2].lower()
    for rule in ruleset.rules_for(qid):
        if rule.id.split(".", 1)[1].lower() == slug:
            return None, rule.id, None
    rule_ids = {_canonical_rule(r.id): r.id for r in ruleset.rules}
    near = difflib.get_close_matches(f"q{int(m[1])}.{slug}", list(rule_ids), n=1, cutoff=0.7)
    hint = f"; did you mean {rule_ids[near[0]]}?" if near else ""
    return None, None, f"unknown rule {ask.id} (assure rules list shows the rule ids){hint}"


def _canonical_rule(rule_id: str) -> str:
    """``q4.cold-damp-hazards`` for Q04.Cold-Damp-Hazards: how ids are compared for a suggestion."""
    question, _, slug = rule_id.partition(".")
    return f"q{int(question[1:])}.{slug.lower()}" if question[1:].isdigit() else rule_id.lower()


def _did_you_mean(wanted: str, known: Sequence[str]) -> str:
    """The one known question id close to ``wanted`` (Q44: Q4); none when two are as close (Q12: Q1 or Q2),
    nor when ``wanted`` is plausibly a question the rules do not have rather than a typo."""
    if not plausible_question_typo(wanted, known):
        return ""
    scores = sorted(((difflib.SequenceMatcher(None, wanted, k).ratio(), k) for k in known), reverse=True)
    if not scores or scores[0][0] < 0.6 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ""
    return f"; did you mean {scores[0][1]}?"


def plausible_question_typo(wanted: str, known: Sequence[str]) -> bool:
    """Whether an unknown question id is worth a "did you mean": not when its number follows on
    from the last question's (Q11 to Q20 of ten), a question the user expects the rules to have
    rather than a slip of the keyboard (Q11 is not "Q1" typed twice), nor when it comes before the
    first (Q0); the message already says which ids there are (Q1 to Q10). Q44 and Q77, far past
    the end, are a doubled key."""
    numbers = [int(k[1:]) for k in known if k[1:].isdigit()]
    if not wanted[1:].isdigit() or not numbers:
        return True
    number, last = int(wanted[1:]), max(numbers)
    return min(numbers) <= number and not last < number <= 2 * last  # Q0: before the first, not a typo of Q10


def _resolve(ruleset: RuleSet, ask: Ask) -> tuple[str | None, str | None]:
    """(question id, None) for a question id, (None, rule id) for a rule id; raises
    ConfigProblems naming where the id was written when the loaded rules have no such thing."""
    qid, rid, problem = _lookup(ruleset, ask)
    if problem is not None:
        raise ConfigProblems([ask.problem(problem)])
    return qid, rid


def unknown_ids(ruleset: KnownIds, request: Request) -> list[Problem]:
    """Every id of the request (select, extend_select, ignore, questions, per_file_ignores and
    the fail policy's questions) that the loaded rules do not have, each at its place."""
    asks = [
        *(request.select or ()),
        *request.extend_select,
        *request.ignore,
        *(request.questions or ()),
        *(ask for _, entry in request.per_file_ignores for ask in entry),
        *request.policy,
    ]
    problems = []
    for ask in asks:
        problem = _lookup(ruleset, ask)[2]
        if problem is not None:
            problems.append(ask.problem(problem))
    return problems


def check_request(ruleset: RuleSet, request: Request) -> None:
    """Raise one ConfigProblems listing every id the loaded rules do not have."""
    problems = unknown_ids(ruleset, request)
    if problems:
        raise ConfigProblems(problems)


def question_range(ruleset: KnownIds) -> str:
    ids = [q.id for q in ruleset.questions]
    return f"{ids[0]} to {ids[-1]}" if len(ids) > 1 else ", ".join(ids)


def _ids(ruleset: RuleSet, asks: Iterable[Ask]) -> tuple[set[str], set[str]]:
    questions: set[str] = set()
    rules: set[str] = set()
    for ask in asks:
        qid, rid = _resolve(ruleset, ask)
        if qid is not None:
            questions.add(qid)
        if rid is not None:
            rules.add(rid)
    return questions, rules


def _narrow(ruleset: RuleSet, request: Request, extra_ignore: Sequence[Ask] = ()) -> tuple[RuleSet, list[str]]:
    """``ruleset`` limited to the active rules and the questions that keep one; and the
    questions dropped because every selected rule of theirs is ignored."""
    active = {r.id for r in ruleset.rules}
    if request.select is not None:
        chosen_questions, chosen_rules = _ids(ruleset, (*request.select, *request.extend_select))
        active = {r.id for r in ruleset.rules if r.question in chosen_questions or r.id in chosen_rules}
    else:
        _ids(ruleset, request.extend_select)  # adds nothing to everything, but an unknown id is still an error
    if request.questions is not None:
        only, _ = _ids(ruleset, request.questions)
        active = {r.id for r in ruleset.rules if r.id in active and r.question in only}
    selected_questions = {r.question for r in ruleset.rules if r.id in active}
    ignored_questions, ignored_rules = _ids(ruleset, (*request.ignore, *extra_ignore))
    active = {r.id for r in ruleset.rules if r.id in active and r.question not in ignored_questions and r.id not in ignored_rules}
    kept = {r.question for r in ruleset.rules if r.id in active}
    emptied = [q.id for q in ruleset.questions if q.id in selected_questions - ignored_questions - kept]
    if len(active) == len(ruleset.rules):
        return ruleset, emptied
    rules = tuple(r for r in ruleset.rules if r.id in active)
    digest = hashlib.sha256(f"{ruleset.fingerprint}|{','.join(r.id for r in rules)}".encode()).hexdigest()[:16]
    narrowed = replace(
        ruleset,
        questions=tuple(q for q in ruleset.questions if q.id in kept),
        rules=rules,
        fingerprint=digest,  # part of cache keys: a different selection never reuses a result
        by_path={},
    )
    return narrowed, emptied


def select_rules(ruleset: RuleSet, request: Request, paths: Sequence[str] = (), names: dict[str, str] | None = None) -> Selected:
    """The rules for a check of ``paths``: the selection applied, and for each path that a
    ``per_file_ignores`` glob matches (by its name in ``names``, else the path itself), its own
    narrower rules. Raises ConfigProblems for every id the rules do not have, even one no path uses."""
    check_request(ruleset, request)
    main, emptied = _narrow(ruleset, request)
    notes = [f"{q}: every selected rule of it is ignored, so it is not assessed" for q in emptied]
    if not main.questions:
        raise ConfigError("the selection leaves no question to assess (select, extend_select, ignore, questions)")
    notes += _combination_notes(ruleset, main)
    by_path: dict[str, RuleSet] = {}
    variants: dict[tuple[int, ...], RuleSet] = {}
    for path in paths:
        matched = _matching(request, (names or {}).get(path, path))
        if not matched:
            continue
        if matched not in variants:
            extra = [ask for i in matched for ask in request.per_file_ignores[i][1]]
            variant, emptied_here = _narrow(ruleset, request, extra)
            if [r.id for r in variant.rules] == [r.id for r in main.rules]:
                variant = main  # the entry changes nothing here: no second set of matchers
            globs = ", ".join(request.per_file_ignores[i][0] for i in matched)
            if not variant.questions:  # said once, not as a silent empty report that passes
                notes.append(
                    f"files matching {globs}: per_file_ignores leaves no question to assess there, so they pass unassessed"
                )
            notes += [
                f"{q}: every selected rule of it is ignored for files matching {globs} (per_file_ignores), "
                "so it is not assessed there"
                for q in emptied_here
                if q not in emptied
            ]
            variants[matched] = variant
        if variants[matched] is not main:
            by_path[path] = variants[matched]
    chosen = replace(main, by_path=by_path) if by_path else main
    return Selected(chosen, tuple(notes), None if request.is_default() else _record(ruleset, main, request))


def _combination_notes(full: RuleSet, main: RuleSet) -> list[str]:
    """Why a selected question may read differently from a full check: its met can combine a topic with
    an action under other questions (``corroboration.across``), and those were left out."""
    chosen = {q.id for q in main.questions}
    if len(chosen) == len(full.questions):
        return []
    order = {q.id: i for i, q in enumerate(full.questions)}
    notes = []
    for spec in full.corroboration.across:
        missing = sorted(spec.action_questions - chosen, key=lambda q: order.get(q, len(order)))
        if spec.question in chosen and missing:
            notes.append(
                f"{spec.question}: its met can combine a topic with an action under another question "
                f"(corroboration.across), and {', '.join(missing)} are not selected: select them too for the verdict "
                "a full check gives"
            )
    return notes


def _record(full: RuleSet, main: RuleSet, request: Request) -> dict[str, Any]:
    """The selection as the JSON report records it: what was asked (ids as the rules spell
    them), the questions assessed and the rules of theirs that were off."""

    def canonical(asks: Iterable[Ask]) -> list[str]:
        out = []
        for ask in asks:
            qid, rid = _resolve(full, ask)
            out.append(qid or rid or ask.id)
        return list(dict.fromkeys(out))

    active = {r.id for r in main.rules}
    assessed = [q.id for q in main.questions]
    return {
        "select": canonical(request.select) if request.select is not None else None,
        "extend_select": canonical(request.extend_select),
        "ignore": canonical(request.ignore),
        "questions": canonical(request.questions) if request.questions is not None else None,
        "per_file_ignores": {glob: canonical(asks) for glob, asks in request.per_file_ignores},
        "assessed": assessed,
        "rules_off": [r.id for r in full.rules if r.question in assessed and r.id not in active],
    }


def _matching(request: Request, name: str) -> tuple[int, ...]:
    """The per_file_ignores entries whose glob matches ``name``, by position."""
    return tuple(i for i, (glob, _) in enumerate(request.per_file_ignores) if _glob_match(name, glob, request.base))


def separate_duplicates(request: Request, found: Discovery) -> Discovery:
    """A copy of a file that per_file_ignores treats differently (the same plan in drafts/ and
    final/) is checked on its own, right after the file it repeats, instead of sharing its result."""
    if not request.per_file_ignores or not found.duplicates:
        return found
    apart = [d for d in found.duplicates if _matching(request, d.path) != _matching(request, d.same_as)]
    if not apart:
        return found
    files: list[str] = []
    for path in found.files:
        files += [path, *(d.path for d in apart if d.same_as == path)]
    hashes = {**found.hashes, **{d.path: found.hashes.get(d.same_as) for d in apart}}
    kept = tuple(d for d in found.duplicates if d not in apart)
    return replace(found, files=tuple(files), hashes=hashes, duplicates=kept)
