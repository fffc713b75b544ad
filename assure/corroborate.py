"""Combine evidence across a plan: the parts of a "met" may sit in different places.

A careful reviewer reads a plan as a whole: a topic sentence under a "What we will do"
heading is completed by the owner or target two paragraphs further on, or by the action
plan row beside it; a heading ("Warm homes") means something only when its section says
something. These steps run after every hit has been read sentence by sentence, and before
the verdict, on plain values (no parsing here, except through the callback that reads a
block's signals on demand). What to combine is configured in rules.yaml (``corroboration:``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assure.models import Evidence, Part

SPECIFIC = ("owner", "money", "measure", "service")
# what a neighbouring block may lend a hit: who, how much, by when, through which service. A
# commitment comes only from the hit's own sentence or its section heading; local data never travels.
LENDABLE = frozenset(SPECIFIC) | {"specific"}
DEFAULT_PRIORITY_WORDS = (
    "priority",
    "priorities",
    "objective",
    "objectives",
    "aim",
    "aims",
    "ambition",
    "ambitions",
    "outcome",
    "outcomes",
    "goal",
    "goals",
    "theme",
    "themes",
    "commitment",
    "commitments",
    "pledge",
    "pledges",
    "vision",
)


@dataclass(frozen=True)
class BlockFacts:
    """What a pass over the document learned about one block."""

    index: int
    page: int | None
    section: tuple[str, ...]
    kind: str
    commitment_section: bool  # under a heading such as "What we will do" or in an action table
    quote: str
    body: bool = True  # not contents, glossary, references, running header or cover


@dataclass(frozen=True)
class Settings:
    """``corroboration:`` in rules.yaml."""

    section_questions: frozenset[str] = frozenset()  # questions whose hits may be completed within their section
    within_blocks: int = 3  # how far (in blocks of the same section) the missing signal may sit
    headings_need_support: bool = False  # a heading hit counts only with support in its section, or naming a priority
    priority_words: tuple[str, ...] = DEFAULT_PRIORITY_WORDS
    across: tuple[Across, ...] = ()

    @classmethod
    def from_raw(cls, raw: dict[str, Any] | None) -> Settings:
        raw = raw or {}
        section = raw.get("section") or {}
        headings = raw.get("headings") or {}
        return cls(
            section_questions=frozenset(section.get("questions", ())),
            within_blocks=int(section.get("within_blocks", 3)),
            headings_need_support=bool(headings.get("need_support", False)),
            priority_words=tuple(headings.get("priority_words", DEFAULT_PRIORITY_WORDS)),
            across=across_from_raw(raw),
        )


def with_specific(signals: Iterable[str]) -> set[str]:
    out = set(signals)
    if out & set(SPECIFIC):
        out.add("specific")
    return out


def _names_priority(text: str, words: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)


def support_headings(
    evidence: list[Evidence], blocks: dict[int, BlockFacts], settings: Settings, heading_text: Callable[[int], str]
) -> list[Evidence]:
    """A bare heading ("Warm homes") counts only when its section holds counted evidence for
    the same question, or the heading names a priority ("Priority 2: warm homes"), or the
    paragraph under it says who commissions or funds it (:func:`complete_in_section`, run
    first). Otherwise it is set aside with context ``heading_alone``."""
    if not settings.headings_need_support:
        return evidence
    body = [e for e in evidence if e.counted and e.kind != "heading" and e.block in blocks]
    supported_sections = [blocks[e.block].section for e in body]
    # a section whose evidence is all hedged ("will explore ... where viable", "may consider ... subject
    # to funding") supports a heading's topic, not a commitment the heading's own words seem to make
    unhedged_sections = [blocks[e.block].section for e in body if e.context is None]

    def within(section: tuple[str, ...], sections: list[tuple[str, ...]]) -> bool:
        return any(s[: len(section)] == section for s in sections)

    out = []
    for e in evidence:
        if e.counted and e.kind == "heading" and e.block in blocks and not e.parts:  # with parts: completed below it
            section = blocks[e.block].section
            priority = _names_priority(heading_text(e.block), settings.priority_words)
            if not within(section, supported_sections) and not priority:
                e = replace(e, counted=False, strength="none", context="heading_alone", cue=None)
            elif e.strength == "met" and not priority and not within(section, unhedged_sections):
                # a policy title ("Draft Policy H8: Specialist housing") over only hedged text
                e = replace(e, strength="partial", context="heading_hedged", cue=None)
        out.append(e)
    return out


def complete_in_section(
    evidence: list[Evidence],
    question: str,
    blocks: dict[int, BlockFacts],
    settings: Settings,
    met_when: Callable[[str], tuple[tuple[str, ...], ...] | None],
    signals_of: Callable[[int], frozenset[str]],
) -> list[Evidence]:
    """Raise a partial hit to met when what its sentence lacks sits nearby in the same section.

    Only a plain hit (no cue weakened it, its rule can meet) under a commitment heading ("What
    we will do", "Action plan") is completed, in a list item (which inherits the heading's commitment)
    or in a paragraph whose own words commit: the owner, money, measure or named service may come from
    a neighbouring block of the same section (at most ``within_blocks`` away). Each block lent is
    recorded as a Part."""
    # Long: the formatter spread the signature and the Part records over many lines; the logic is one loop.
    if question not in settings.section_questions:
        return evidence
    # the blocks where a rule's words are a false friend ("made adaptations to its therapy model"): a
    # heading of the same words over them ("## Adaptations") names that sense, not the topic
    false_friends = {(x.rule, x.block) for x in evidence if x.context == "false_friend"}
    out = []
    for e in evidence:
        alts = met_when(e.rule)
        facts = blocks.get(e.block)
        plain = e.counted and e.strength == "partial" and e.context is None
        if e.kind == "heading" and plain and alts and facts and facts.section:
            out.append(_completed_heading(e, facts, blocks, settings, alts, signals_of, false_friends))
            continue
        if (
            not e.counted
            or e.strength != "partial"
            or e.context is not None
            or alts is None
            or facts is None
            or not facts.section
            or e.kind in ("heading", "table_row")
        ):
            out.append(e)
            continue
        if not facts.commitment_section:  # descriptive prose ("data were provided") commits the plan to nothing
            out.append(e)
            continue
        # a list item under the heading inherits its commitment ("We will:"); a paragraph there commits only in its
        # own words: "People facing eviction are at higher risk" under "Priority actions" is narrative
        own = with_specific(e.signals) | ({"commitment"} if e.kind == "list_item" else set())
        neighbours = sorted(
            (
                b
                for b in blocks.values()
                if b.section == facts.section
                and b.body
                and b.index != e.block
                and b.kind != "table_row"
                and abs(b.index - e.block) <= settings.within_blocks
            ),
            key=lambda b: (abs(b.index - e.block), b.index),
        )
        completed: tuple[Part, ...] | None = None
        for alt in alts:
            missing = [s for s in alt if s not in own]
            if not missing or not set(missing) <= LENDABLE:
                continue  # nothing to lend, or what is missing belongs to the hit itself (its commitment, its data)
            parts: list[Part] = []
            for need in missing:
                wanted = set(SPECIFIC) if need == "specific" else {need}
                lender = next((b for b in neighbours if signals_of(b.index) & wanted), None)
                if lender is None:
                    break
                lent = signals_of(lender.index) & wanted
                role = next((s for s in SPECIFIC if s in lent), min(lent))  # who before how much, by when, through what
                parts.append(
                    Part(
                        role=role,
                        quote=lender.quote,
                        page=lender.page,
                        section=" > ".join(lender.section[-2:]) or None,
                        block=lender.index,
                    )
                )
            else:
                completed = tuple(sorted(parts, key=lambda p: p.block))
                break
        out.append(replace(e, strength="met", parts=completed) if completed else e)
    return out


# documents that describe (not plans that commit), and the rest of what a document calls itself
_DESCRIBING = (
    r"review|report|audit|analysis|evaluation|study|research|briefing|profile|paper|needs assessment|assessment|survey"
    r"|evidence base"
)
_SELF = r"strategy|plan|document|chapter|section|note|summary|framework"
# a paragraph about the document itself, not about a service under the heading
_ABOUT_ITSELF = re.compile(rf"^(?:this|the|our)\s+(?:{_DESCRIBING}|{_SELF})\b", re.I)
# a document that describes saying how it was made ("This review has taken a partnership approach")
_OWN_METHOD = re.compile(rf"^(?:this|the)\s+(?:{_DESCRIBING})\b", re.I)


def _completed_heading(
    e: Evidence,
    facts: BlockFacts,
    blocks: dict[int, BlockFacts],
    settings: Settings,
    alts: tuple[tuple[str, ...], ...],
    signals_of: Callable[[int], frozenset[str]],
    false_friends: set[tuple[str, int]],
) -> Evidence:
    """A heading that names the topic ("Young People's Homelessness Prevention Team") is met when
    a paragraph just under it says who commissions, funds or runs it ("This is a service
    commissioned by West Sussex County Council ..."): the heading gives the topic, that paragraph
    the commitment and its owner or money, as a service directory describes a service."""
    below = sorted(
        (
            b
            for b in blocks.values()
            if b.section == facts.section and b.body and b.kind == "paragraph" and 0 < b.index - e.block <= settings.within_blocks
        ),
        key=lambda b: b.index,
    )
    first_heading = min((b.index for b in blocks.values() if b.kind == "heading"), default=None)
    if e.block == first_heading:
        return e  # the document's own title ("Damp and Mould Briefing") over its opening, not a service
    if any((e.rule, b.index) in false_friends for b in below):
        return e  # "## Adaptations" over "The service made adaptations to its therapy model"
    own = with_specific(e.signals)
    for b in below:
        lent = signals_of(b.index)
        if "commitment" not in lent or not lent & {"owner", "money"}:
            continue  # a description of the topic, not who provides it
        if _ABOUT_ITSELF.match(b.quote):
            continue  # "This briefing supports the Joint Health and Wellbeing Strategy across the borough"
        have = own | with_specific(lent)
        if any(all(s in have for s in alt) for alt in alts):
            role = next(s for s in SPECIFIC if s in lent)
            part = Part(role=role, quote=b.quote, page=b.page, section=" > ".join(b.section[-2:]) or None, block=b.index)
            return replace(e, strength="met", parts=(part,))
    return e


def combine_document(evidence: list[Evidence], needs: set[str]) -> list[Evidence]:
    """For a question whose met needs a second rule anywhere in the plan (Q1: the home in the
    vision or priorities plus a housing indicator anywhere), attach the needed rule's best
    counted hit to each met hit of another rule, so the report shows both parts."""
    if not needs:
        return evidence
    anchors = [e for e in evidence if e.counted and e.rule in needs and e.kind != "heading"] + [
        e for e in evidence if e.counted and e.rule in needs and e.kind == "heading"
    ]
    if not anchors:
        return evidence

    def attached(e: Evidence) -> Evidence:
        # a sentence that carries both parts is not combined with itself
        anchor = next((a for a in anchors if (a.block, a.quote) != (e.block, e.quote)), None)
        if anchor is None:
            return e
        part = Part(
            role="vision or priority",
            quote=anchor.quote,
            page=anchor.page,
            section=anchor.section,
            rule=anchor.rule,
            block=anchor.block,
        )
        return replace(e, parts=e.parts + (part,))

    return [attached(e) if e.counted and e.strength == "met" and e.rule not in needs else e for e in evidence]


@dataclass(frozen=True)
class Across:
    """One ``corroboration.across`` entry: a question met by a topic hit plus an action of another question."""

    question: str
    topic: frozenset[str]  # rules whose plain partial hit names the topic (groups linked to a housing risk)
    action_questions: frozenset[str]  # questions whose met hits count as an action on it
    scope: str = "section"  # section | block | document: where the action must sit relative to the topic
    # rules any counted hit of which completes the topic (a Disabled Facilities Grant line completed by
    # the Better Care Fund named elsewhere in the plan), in place of a met action of another question
    action_rules: frozenset[str] = frozenset()
    role: str = "action"  # what the completing part is called in reports


def across_from_raw(raw: dict[str, Any] | None) -> tuple[Across, ...]:
    return tuple(
        Across(
            a["question"],
            frozenset(a["topic"]),
            frozenset(a.get("action_questions", ())),
            a.get("scope", "section"),
            frozenset(a.get("action_rules", ())),
            a.get("role", "action"),
        )
        for a in (raw or {}).get("across", ())
    )


def combine_across(
    evidence: list[Evidence], spec: Across, others: dict[str, list[Evidence]], blocks: dict[int, BlockFacts]
) -> list[Evidence]:
    """Raise a plain topic hit to met when a met action of another question sits in the same
    section (or block): "Older people in cold homes are at risk" under a heading whose next
    paragraph funds a Warm Homes service for them; or, with ``action_rules``, when any counted
    hit of those rules does (a Disabled Facilities Grant allocation and the Better Care Fund).
    With scope ``document`` the action may sit anywhere in the plan (the reviewer's "evidence
    anywhere counts"); such a met is always reported as borderline. The action is recorded as
    a Part."""
    # an action commits to something: a met that rests on analysis alone (a quantified need for
    # specialist homes, local figures) is not an action aimed at the groups
    actions = [
        a
        for q in sorted(spec.action_questions)
        for a in others.get(q, ())
        if a.counted
        and a.strength == "met"
        and a.block in blocks
        and "commitment" in a.signals
        and not _OWN_METHOD.match(a.quote)  # "This review has taken a partnership approach": its method, no action
    ] + [
        a
        for q in sorted(others)
        for a in others[q]
        if spec.action_rules and a.rule in spec.action_rules and a.counted and a.block in blocks
    ]
    if not actions:
        return evidence

    def near(e: Evidence, a: Evidence) -> bool:
        if spec.scope == "document":
            return True
        if spec.scope == "block" or not blocks[e.block].section:
            return a.block == e.block
        return blocks[a.block].section == blocks[e.block].section

    where = {"document": "in the plan", "section": "in its section", "block": "in its paragraph"}[spec.scope]
    out = []
    for e in evidence:
        if e.counted and e.strength == "partial" and e.context is None and e.rule in spec.topic and e.block in blocks:
            candidates = [a for a in actions if near(e, a)]
            if spec.action_rules:  # the nearest part: "it" in "In 2024/25 it includes the grant" is the fund just above
                candidates.sort(key=lambda a: abs(a.block - e.block))
            action = candidates[0] if candidates else None
            if action is not None:
                part = Part(
                    role=spec.role,
                    quote=action.quote,
                    page=action.page,
                    section=action.section,
                    rule=action.rule,
                    block=action.block,
                )
                e = replace(e, strength="met", parts=e.parts + (part,), reason=f"met with its {spec.role} {where}")
        out.append(e)
    return out
