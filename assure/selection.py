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

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assure.config import Config, _glob_match
from assure.discover import Discovery
from assure.errors import ConfigError
from assure.ruleset import RuleSet

ID = re.compile(r"^[Qq]([0-9]{1,2})(?:\.([A-Za-z0-9][A-Za-z0-9-]*))?$")
ID_HELP = "a question id (Q4) or a rule id (Q04.cold-damp-hazards; assure rules list shows them)"


@dataclass(frozen=True)
class Ask:
    """One id a user wrote, and where: ``FILE: ignore`` or ``--ignore``, for the error line."""

    id: str
    where: str


@dataclass(frozen=True)
class Request:
    """What the config and flags ask for, before it is checked against the loaded rules."""

    select: tuple[Ask, ...] | None = None  # None: everything
    extend_select: tuple[Ask, ...] = ()
    ignore: tuple[Ask, ...] = ()
    questions: tuple[Ask, ...] | None = None  # the older questions: / --question, intersected
    per_file_ignores: tuple[tuple[str, tuple[Ask, ...]], ...] = ()
    base: Path | None = None  # the config file's folder: per-file globs are relative to it

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

    def from_file(key: str) -> str:
        return f"{cfg.source(key)}: {key}"

    cli_select = flag(select, "--select")
    cli_extend = flag(extend_select, "--extend-select") or ()
    cli_ignore = flag(ignore, "--ignore") or ()
    if cli_select is not None:
        chosen: tuple[Ask, ...] | None = cli_select
        extend: tuple[Ask, ...] = cli_extend
    else:
        chosen = asks(cfg.select, from_file("select")) if cfg.select is not None else None
        extend = asks(cfg.extend_select, from_file("extend_select")) + cli_extend
    questions = None
    if cfg.questions:
        source = cfg.source("questions")
        where = source if source.startswith("command line") else f"{source}: questions"
        questions = asks(cfg.questions, where)
    return Request(
        select=chosen,
        extend_select=extend,
        ignore=asks(cfg.ignore, from_file("ignore")) + cli_ignore,
        questions=questions,
        per_file_ignores=tuple(
            (glob, asks(ids, f"{cfg.source('per_file_ignores')}: per_file_ignores.{glob}")) for glob, ids in cfg.per_file_ignores
        ),
        base=cfg.base_dir,
    )


def _resolve(ruleset: RuleSet, ask: Ask) -> tuple[str | None, str | None]:
    """(question id, None) for a question id, (None, rule id) for a rule id; raises
    ConfigError naming where the id was written when the loaded rules have no such thing."""
    m = ID.match(ask.id.strip())
    if m is None:  # the config schema and request_from check the shape; here for direct callers
        raise ConfigError(f"{ask.where}: {ask.id!r} is not {ID_HELP}")
    qid = f"Q{int(m[1])}"
    if qid not in {q.id for q in ruleset.questions}:
        raise ConfigError(f"{ask.where}: unknown question {ask.id} (the rules have {_question_range(ruleset)})")
    if m[2] is None:
        return qid, None
    slug = m[2].lower()
    for rule in ruleset.rules_for(qid):
        if rule.id.split(".", 1)[1].lower() == slug:
            return None, rule.id
    raise ConfigError(f"{ask.where}: unknown rule {ask.id} (assure rules list shows the rule ids)")


def _question_range(ruleset: RuleSet) -> str:
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
    narrower rules. Raises ConfigError for an id the rules do not have, even one no path uses."""
    main, emptied = _narrow(ruleset, request)
    notes = [f"{q}: every selected rule of it is ignored, so it is not assessed" for q in emptied]
    if not main.questions:
        raise ConfigError("the selection leaves no question to assess (select, extend_select, ignore, questions)")
    for _, asks in request.per_file_ignores:
        _ids(ruleset, asks)
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
