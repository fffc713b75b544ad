"""Firm or borderline: whether a careful reviewer could reasonably pick a neighbouring verdict.

Reviewers mark about a quarter of their labels as close calls. assure says the same of its
own verdicts, with the reason, so a person can check those first. Confidence never changes
a verdict, a score or the exit code (``--fail-on`` ignores nothing because of it); it is a
reading aid, decided from the evidence the verdict rests on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assure.models import Evidence, Status

FIRM = "firm"
BORDERLINE = "borderline"
# contexts that set a mention aside for what the text says around it (not a false friend or a contents
# page), in the words a reader is told (the engine's findings use them too)
VOIDING_WORDS = {
    "negated": "negated",
    "refused": "a decision not to act",
    "deferred": "deferred",
    "out_of_scope": "out of scope",
    "listed": "a name in a list",
    "heading_alone": "a heading with nothing under it",
}
_CASE_STUDY = (
    "case study",
    "case studies",
    "example",
    "spotlight",
    "story",
    "stories",
    "vignette",
    "what people told us",
    "quote",
    "testimonial",
)
_SPECIFIC = {"owner", "money", "measure", "service", "specific"}


def _met_when(rule: Any) -> Sequence[Sequence[str]]:
    return rule.met_when or (("commitment", "specific"),)


def _would_meet(e: Evidence, rules: Mapping[str, Any]) -> bool:
    """A hit that a cue capped at partial but whose sentence has everything met asks for."""
    rule = rules[e.rule]
    signals = set(e.signals)
    return rule.max_strength == "met" and any(all(s in signals for s in alt) for alt in _met_when(rule))


def _in_case_study(e: Evidence) -> bool:
    section = (e.section or "").lower()
    return any(w in section for w in _CASE_STUDY)


@dataclass(frozen=True)
class Settings:
    """``confidence:`` in rules.yaml."""

    # questions whose partial is a mere mention (groups named, partners listed, a data source pointed
    # to, housing as a determinant): a gap on them is a close call when the plan discusses housing
    # under at least ``gap_check_min_questions`` other questions
    gap_check_questions: frozenset[str] = frozenset()
    gap_check_min_questions: int = 4

    @classmethod
    def from_raw(cls, raw: dict[str, Any] | None) -> Settings:
        raw = raw or {}
        return cls(frozenset(raw.get("gap_check_questions", ())), int(raw.get("gap_check_min_questions", 4)))


def review_gaps(results: Sequence[Any], settings: Settings) -> list[Any]:
    """Mark as borderline the firm gaps on mention-level questions of a plan that discusses
    housing elsewhere: a passing mention the rules did not catch would make them partial."""
    engaged = sum(1 for r in results if r.status in (Status.MET, Status.PARTIAL))
    out = []
    for r in results:
        if (
            r.status is Status.GAP
            and r.confidence == FIRM
            and r.id in settings.gap_check_questions
            and engaged >= settings.gap_check_min_questions
        ):
            r = replace(
                r,
                confidence=BORDERLINE,
                confidence_why=f"gap, though {engaged} other questions are met or partial; check for a passing mention",
            )
        out.append(r)
    return out


def assess(
    status: Status,
    counted: Sequence[Evidence],
    candidates: Sequence[Evidence],
    rules: Mapping[str, Any],
    needs: set[str] | None = None,
) -> tuple[str, str]:
    """``(firm|borderline, why)`` for one question's verdict; ``why`` is empty when firm."""
    needs = needs or set()
    if status is Status.MET:
        met = [e for e in counted if e.strength == "met"]
        own = [e for e in met if not any(p.rule is None or p.role == "action" for p in e.parts)]  # met in their own sentence
        if not own:
            if any(p.role == "action" for e in met for p in e.parts):
                return BORDERLINE, "met combines a group named in one paragraph with an action under another question"
            roles = sorted({p.role for e in met for p in e.parts if p.rule is None})
            return BORDERLINE, f"met combines a topic sentence with the {' or '.join(roles)} of a neighbouring paragraph"
        sentences = {(e.block, e.quote) for e in own}
        if len(sentences) == 1:
            e = own[0]
            if _in_case_study(e):
                return BORDERLINE, "met rests on one sentence in a case study or example"
            rule = rules[e.rule]
            signals = set(e.signals)
            if "commitment" not in signals and any(tuple(alt) == ("data",) for alt in _met_when(rule)):
                return BORDERLINE, "met rests on one sentence of local figures, with no commitment"
            return BORDERLINE, "met rests on one sentence"
        return FIRM, ""
    if status is Status.PARTIAL:
        if any(e.strength == "met" for e in counted):  # met held back by the question's met_needs (Q1: the vision)
            return BORDERLINE, "partial, but a met-strength hit is held back: its other part (the home in the vision) is missing"
        capped = [e for e in counted if e.context and _would_meet(e, rules)]
        if capped:
            e = capped[0]
            cue = f" ({e.cue})" if e.cue else ""
            return BORDERLINE, f"partial, but one hedged sentence{cue} otherwise reads as met"
        if all(e.context == "figures" for e in counted):
            return BORDERLINE, "partial rests only on figures in a table"
        mentions_only = all(rules[e.rule].max_strength != "met" for e in counted)
        if len({(e.block, e.quote) for e in counted}) == 1:
            if mentions_only:
                return BORDERLINE, "partial rests on one passing mention"
            return BORDERLINE, "partial rests on one sentence"
        return FIRM, ""
    if status is Status.GAP:
        voided = [e for e in candidates if not e.counted and e.context in VOIDING_WORDS]
        if voided:
            kinds = sorted({VOIDING_WORDS[e.context] for e in voided if e.context})
            n = len(voided)
            return BORDERLINE, f"gap, but {n} mention{'s' if n != 1 else ''} set aside as {' or '.join(kinds)}"
        return FIRM, ""
    return FIRM, ""
