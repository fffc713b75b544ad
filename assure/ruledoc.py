"""What each rule finds and why it matters, for ``assure rules list`` and ``assure rule ID``
(the way ``ruff rule`` explains a check): built from the loaded rules and questions, so a
custom rule pack documents itself."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from assure.errors import ConfigError
from assure.ruleset import Exclusion, Rule, RuleSet

KIND_TEXT = {
    "phrase": "matches any of its terms or lemmas",
    "pattern": "matches spaCy token patterns",
    "cooccur": "matches its terms within {window} words of its near terms (0: anywhere in the sentence)",
}
SHOWN_TERMS = 12


def rule_rows(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per rule, in question order then file order."""
    order = {q.id: i for i, q in enumerate(ruleset.questions)}
    rules = sorted(ruleset.rules, key=lambda r: order.get(r.question, len(order)))
    return [
        {"id": r.id, "question": r.question, "kind": r.kind, "max_strength": r.max_strength, "finds": r.message} for r in rules
    ]


def _find(ruleset: RuleSet, rule_id: str) -> Rule | Exclusion:
    wanted = rule_id.strip().lower()
    for rule in ruleset.rules:
        if rule.id.lower() == wanted:
            return rule
    for exclusion in ruleset.exclusions:
        if exclusion.id.lower() == wanted:
            return exclusion
    asked = re.fullmatch(r"q0*(\d{1,3})", wanted)
    if asked:  # a question id (assure rule Q4 explains its rules): say which there are, as --question does
        from assure.selection import question_range

        raise ConfigError(f"no question Q{int(asked[1])} in {ruleset.questions_dir} (the rules have {question_range(ruleset)})")
    known = [r.id for r in ruleset.rules] + [e.id for e in ruleset.exclusions]
    hint = "; see assure rules list"
    close = _close_ids(rule_id, known)
    if close:
        hint = f"; did you mean {' or '.join(close)}?"
    raise ConfigError(f"no rule {rule_id!r} in {ruleset.rules_path}{hint}")


def _close_ids(wanted: str, known: list[str]) -> list[str]:
    """The ids ``wanted`` is plausibly a typo of: at most three, each at least 0.6 alike (case
    aside) and about as close as the closest, so a near miss (Q04.cold-damp-hazard) is not also
    offered a rule that merely shares a word (Q04.falls-hazards)."""
    lowered = {k.lower(): k for k in known}
    scored = sorted(((difflib.SequenceMatcher(None, wanted.lower(), k).ratio(), k) for k in lowered), reverse=True)
    best = scored[0][0] if scored else 0.0
    return [lowered[k] for score, k in scored[:3] if score >= 0.6 and score >= best - 0.05]


def _met_when(rule: Rule, ruleset: RuleSet) -> list[str]:
    if rule.max_strength != "met":
        return []
    described = {s.name: s.description for s in ruleset.signals}
    groups = dict(ruleset.scoring.signal_groups)

    def name(sig: str) -> str:
        if sig in groups:
            return f"a {sig} signal ({', '.join(groups[sig])})"
        return f"{sig} ({described[sig]})" if described.get(sig) else sig

    alternatives = rule.met_when or ruleset.scoring.default_met_when
    return [" + ".join(name(s) for s in alt) for alt in alternatives]


def explain_rules(ruleset: RuleSet, wanted: str) -> list[dict[str, Any]]:
    """:func:`explain_rule` for a rule or exclusion id, or for each rule of a question given
    its id (`assure rule Q4`)."""
    key = wanted.strip().lower()
    if re.fullmatch(r"q0*\d{1,2}", key):  # "Q04", spelled as the rule ids spell it
        key = f"q{int(key[1:])}"
    question = next((q for q in ruleset.questions if q.id.lower() == key), None)
    if question is None:
        return [explain_rule(ruleset, wanted)]
    return [explain_rule(ruleset, r.id) for r in ruleset.rules if r.question == question.id]


def explain_rule(ruleset: RuleSet, rule_id: str) -> dict[str, Any]:
    """What the rule (or exclusion) finds, why it matters and its example sentences;
    raises ConfigError for an unknown id, suggesting close ones."""
    found = _find(ruleset, rule_id)
    if isinstance(found, Exclusion):  # a false friend that sets hits aside
        return {
            "id": found.id,
            "type": "exclusion",
            "finds": f"false friend: {' '.join(found.description.split())}",
            "why": "A rule hit overlapping this phrase is set aside (listed by --explain, never counted), "
            "so the phrase cannot make a question met or partial.",
            "phrases": list(found.matchers.terms) + list(found.matchers.lemmas),
            "examples": {"set aside": list(found.examples)},
        }
    rule = found
    question = ruleset.question(rule.question)
    matching = KIND_TEXT.get(rule.kind, rule.kind).format(window=rule.near.window if rule.near else "?")
    near = rule.near.matchers if rule.near else None
    return {
        "id": rule.id,
        "type": "rule",
        "question": question.id,
        "question_title": question.title,
        "kind": rule.kind,
        "finds": rule.message,
        "matching": matching,
        "phrases": list(rule.matchers.terms) + list(rule.matchers.lemmas),
        "near": (list(near.terms) + list(near.lemmas)) if near else [],
        "max_strength": rule.max_strength,
        "met_when": _met_when(rule, ruleset),
        "why": question.why,
        "question_text": question.question,
        "add": question.add,
        "source": question.source,
        "examples": {k: list(v) for k, v in rule.examples.items() if v},
    }


def _sample(items: list[str]) -> str:
    shown = ", ".join(f'"{t}"' for t in items[:SHOWN_TERMS])
    return shown + (f" and {len(items) - SHOWN_TERMS} more" if len(items) > SHOWN_TERMS else "")


def render_rules(infos: list[dict[str, Any]], fmt: str = "text") -> str:
    """One rule as :func:`render_rule` does (a JSON object); several, a question's, one after
    another (a JSON list)."""
    if len(infos) == 1:
        return render_rule(infos[0], fmt)
    if fmt == "json":
        return json.dumps(infos, indent=2, ensure_ascii=False) + "\n"
    return "\n".join(render_rule(info, fmt) for info in infos)


def render_rule(info: dict[str, Any], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(info, indent=2, ensure_ascii=False) + "\n"
    lines = []
    if info["type"] == "exclusion":
        lines += [f"{info['id']}  (exclusion)", "", "What it finds", f"  {info['finds']}"]
        if info["phrases"]:
            lines.append(f"  Phrases: {_sample(info['phrases'])}")
        lines += ["", "Why it matters", f"  {info['why']}"]
    else:
        lines += [
            f"{info['id']}  ({info['question']} {info['question_title']})",
            "",
            "What it finds",
            f"  {info['finds']}: a {info['kind']} rule that {info['matching']}.",
        ]
        if info["phrases"]:
            lines.append(f"  Phrases: {_sample(info['phrases'])}")
        if info["near"]:
            lines.append(f"  Near: {_sample(info['near'])}")
        if "" in info["met_when"]:  # an empty alternative: the hit alone is met
            lines.append("  Met on a hit alone: the rule needs no other signal in the sentence.")
        elif info["met_when"]:
            lines.append("  Met when the sentence also has " + "; or ".join(info["met_when"]) + ".")
        else:
            lines.append(f"  At most {info['max_strength']}: this rule alone never makes the question met.")
        lines += [
            "",
            "Why it matters",
            f"  {info['why']}",
            f"  Question: {info['question_text']}",
            f"  Source: {info['source']}",
            "",
            "What to add",
            f"  {info['add']}",
        ]
    lines += ["", "Examples"]
    for verdict, sentences in info["examples"].items():
        for sentence in sentences:
            lines.append(f"  {verdict:<10}{sentence}")
    return "\n".join(lines) + "\n"


def render_rule_list(rows: list[dict[str, Any]], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    width = max(len(r["id"]) for r in [{"id": "RULE"}, *rows])
    out = [f"{'RULE':<{width}}  {'Q':<3}  {'KIND':<7}  {'STRONGEST':<11}  FINDS"]
    for r in rows:
        out.append(f"{r['id']:<{width}}  {r['question']:<3}  {r['kind']:<7}  {r['max_strength']:<11}  {r['finds']}".rstrip())
    out.append(f"{len(rows)} rules; assure rule ID explains one")
    return "\n".join(out) + "\n"
