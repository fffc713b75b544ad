"""``kind: cooccur``: a hit that stands only with a ``near`` partner in its sentence (within
``near.window`` tokens when set), or under a heading that has one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assure.pipeline import overlaps

if TYPE_CHECKING:  # pragma: no cover
    from assure.pipeline import SentenceMatches
    from assure.rulekinds import AddMatchers
    from assure.ruleset import Rule


class CooccurKind:
    name = "cooccur"
    help = "a hit that stands only with a near partner in its sentence (or in the heading above)"

    def check(self, rule: Rule) -> tuple[str, str] | None:
        if not rule.matchers:
            return "", "a cooccur rule needs terms, lemmas or patterns"
        if rule.near is None or not rule.near.matchers:
            return ".near", "a cooccur rule needs near terms, lemmas or patterns"
        return None

    def compile(self, rule: Rule, add: AddMatchers) -> None:
        add("hit", rule.id, rule.matchers, f"rule {rule.id}")
        if rule.near is not None:
            add("near", rule.id, rule.near.matchers, f"rule {rule.id}.near")

    def match(self, rule: Rule, span: tuple[int, int], sentence: SentenceMatches) -> bool:
        hs, he = span
        window = rule.near.window if rule.near is not None else 0
        partners = [
            p
            for p in sentence.near.get(rule.id, [])
            if not overlaps(p, span) and not any(overlaps(x, p) for _, x in sentence.exclusions)
        ]
        if window:
            partners = [p for p in partners if (p[0] - he if p[0] >= he else hs - p[1]) <= window]
        return bool(partners) or rule.id in sentence.heading_near


KIND = CooccurKind()
