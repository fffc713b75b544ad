"""What ``assure rules validate`` finds: every problem of the config, question and rules files
in one run, as a linter (yamllint, ruff) reports a whole tree rather than stopping at the
first file with a mistake.

Four checks, each run as far as the others allow: the config file's shape (a value of the
wrong kind is left out, not fatal); the rules and question files (schema, cross-references,
token patterns); the config's rule and question ids against those rules (against the ids the
rules file declares when it has problems of its own); and compiling the rules into spaCy
matchers. A problem found by two checks is listed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assure.config import Config, load_config, named_by_config
from assure.errors import AssureError, Problem, problems_of
from assure.ruleset import RuleSet, declared_ids, load_ruleset
from assure.selection import KnownIds, request_from, unknown_ids

PATH_KEYS = ("rules", "questions_dir")


@dataclass(frozen=True)
class Validated:
    """Every problem found (sorted by file, line and column; each once) and, when the rules
    loaded and compiled, the RuleSet for the all-good line."""

    problems: tuple[Problem, ...]
    ruleset: RuleSet | None
    config: Config | None  # None: the config file could not be read at all


def validate_setup(config: Path | None, rules: Path | None, questions: Path | None) -> Validated:
    """Check the config (``--config``, else the one a check would find), the rules and the
    questions it names (``rules`` and ``questions`` win over it), and its ids against them."""
    problems: list[Problem] = []
    try:
        cfg: Config | None = load_config(config, defer_problems=True)
    except AssureError as exc:  # not found, not YAML or TOML, not a mapping: nothing in it can be used
        problems += problems_of(exc)
        cfg = None
    merged = (cfg or Config()).with_overrides(
        rules=str(rules) if rules else None, questions_dir=str(questions) if questions else None
    )
    problems += merged.pending_problems
    # which rules a check would use is unknown when the config naming them is in question (and no
    # flag names them): checking the built-in ones instead would only report problems they do not have
    broken = {p.key.split(".")[0].split("[")[0] for p in merged.pending_problems}
    if cfg is None:  # unreadable: its rules: is unknown; its questions_dir, rarely set, is taken as the built-in one
        broken.add("rules")
    unknown = [k for k in PATH_KEYS if k in broken and not merged.source(k).startswith("command line")]
    ruleset = None
    known: KnownIds | None = None
    if not unknown:
        try:
            ruleset = load_ruleset(merged.rules, merged.questions_dir, trust=False)  # a full check, shipped files too
            known = ruleset
        except AssureError as exc:
            problems += problems_of(named_by_config(exc, cfg, {"rules": merged.rules, "questions_dir": merged.questions_dir}))
            known = declared_ids(merged.rules, merged.questions_dir)
    if cfg is not None and known is not None:
        try:
            problems += unknown_ids(known, request_from(merged))
        except AssureError as exc:
            problems += problems_of(exc)
    if ruleset is not None:
        from assure.engine import compile_rules

        try:
            compile_rules(ruleset)
        except AssureError as exc:
            problems += problems_of(exc)
            ruleset = None
    unique = tuple(sorted(set(problems), key=Problem.sort_key))
    return Validated(unique, ruleset if not unique else None, cfg)
