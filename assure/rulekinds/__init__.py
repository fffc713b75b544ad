"""Rule kinds: what a rule of each ``kind:`` needs, how it is compiled and when its hit stands.

One module per kind; the registry below is the only line a new kind adds outside its module.
A kind is any object with the attributes of :class:`RuleKind`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from assure.pipeline import SentenceMatches
    from assure.ruleset import Matchers, Rule

# add(role, name, matchers, where): register matchers under a label (see assure.pipeline.Role)
AddMatchers = Callable[[str, str, "Matchers", str], None]


class RuleKind(Protocol):
    name: str
    help: str  # one line for docs/rule-authoring.md and error messages

    def check(self, rule: Rule) -> tuple[str, str] | None:
        """``(key suffix, message)`` when the rule lacks what this kind needs, else None."""

    def compile(self, rule: Rule, add: AddMatchers) -> None:
        """Register the rule's matchers (its hit under role ``hit``, anything else it reads)."""

    def match(self, rule: Rule, span: tuple[int, int], sentence: SentenceMatches) -> bool:
        """Whether a hit of this rule at ``span`` stands (before false friends, places and cues)."""


def _registry() -> dict[str, RuleKind]:
    from assure.rulekinds import cooccur, pattern, phrase

    return {
        "phrase": phrase.KIND,
        "pattern": pattern.KIND,
        "cooccur": cooccur.KIND,
    }


RULE_KINDS: dict[str, RuleKind] = _registry()
