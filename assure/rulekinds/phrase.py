"""``kind: phrase``: a hit wherever one of the rule's terms or lemmas occurs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from assure.pipeline import SentenceMatches
    from assure.rulekinds import AddMatchers
    from assure.ruleset import Rule


class PhraseKind:
    name = "phrase"
    help = "a hit wherever one of its terms (lower case) or lemmas occurs"

    def check(self, rule: Rule) -> tuple[str, str] | None:
        if not (rule.terms or rule.lemmas):
            return "", "a phrase rule needs terms or lemmas"
        if rule.near is not None:  # never compiled for this kind: it would be ignored without a word
            return ".near", "only a cooccur rule reads near partners; make it kind: cooccur, or remove near"
        return None

    def compile(self, rule: Rule, add: AddMatchers) -> None:
        add("hit", rule.id, rule.matchers, f"rule {rule.id}")

    def match(self, rule: Rule, span: tuple[int, int], sentence: SentenceMatches) -> bool:
        return True


KIND = PhraseKind()
