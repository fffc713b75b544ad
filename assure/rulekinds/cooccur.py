"""``kind: cooccur``: a hit that stands only with a ``near`` partner in its sentence (within
``near.window`` tokens when set), or under a heading that has one (for a ``figures: true``
rule, or one with ``near_in_section: true``, the heading of its section: a flattened table under
"Metrics", a paragraph under "The wider determinants"); in a list item, partner
words whose hit is in the list's lead-in ("The Integrated Discharge Team includes:") stand too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assure.pipeline import near_partners

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
        if near_partners(rule, span, sentence) or rule.id in sentence.heading_near:
            return True
        if (rule.id, span) in sentence.lead_pairs:  # partner words in an item, their hit in its lead-in
            return True
        # a table-reading rule (figures: true) also takes its partner from the heading of a flattened
        # table ("10. Metrics" above "... DFG adaptations completed within 20 weeks 61% 75%"), and a rule
        # so marked from its section's heading ("The wider determinants" above "homes that are damp ...")
        return (rule.figures or rule.near_in_section) and rule.id in sentence.section_near


KIND = CooccurKind()
