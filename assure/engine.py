"""Score a Document against a RuleSet: evidence, context, strength, verdicts.

One parse per document is shared by every rule: all phrase lists, token patterns,
signals, exclusions and context cues are compiled into three matchers, run once per
block, and the hits are then read sentence by sentence.

A hit becomes evidence unless it overlaps a false friend, sits in a place that never
counts (contents, glossary, references, running header), or falls in the scope of a
context cue that voids it (negated, deferred, out of scope). Cues that weaken it
(aspirational, conditional, by reference) cap it at partial. A hit is "met" strength
only when its sentence (or its action-plan row) also carries the signals its rule asks
for: by default a commitment plus something specific (an owner, money, a measure or a
named service).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

from assure import confidence as _confidence
from assure import corroborate
from assure.errors import ConfigError
from assure.extract.clean import _BULLET, is_action_table_header, is_table_header
from assure.models import (
    Block,
    BlockKind,
    DocStatus,
    Document,
    DocumentResult,
    Evidence,
    Place,
    QuestionResult,
    Status,
)
from assure.nlp import get_nlp, lemma_doc, lemma_reachable, start_cache_key, surface_forms
from assure.pipeline import Hit, Match, Role, Sentence, SentenceMatches, decide, in_scope, label, overlaps
from assure.rulekinds import RULE_KINDS
from assure.ruleset import COMMITMENT_SIGNAL, ContextCue, Matchers, RuleSet
from assure.unread import unread_key_sections

QUOTE_MAX = 300
QUOTE_WHOLE = 600  # a real sentence up to this long is quoted whole: a cut quote reads as a fragment
QUOTE_CONTEXT = 30  # tokens either side of the hit when a sentence is too long to quote whole
_WORD = re.compile(r"[a-z0-9]+")
_CONTRACTION = re.compile(r"([a-z]+)n['\u2019]t\b")
# Frequent words a phrase is never keyed on when it has a rarer one ("people with dementia" -> "dementia").
_COMMON_WORDS = frozenset(
    """
a about all also an and any are as at be been being by can could do for from has have in into is it its more most
new no not of on or other our over own people person their them these they this those through to up we well what when
where which who will with within would year years age aged all good local work working support supporting service
services public social community communities group groups plan strategy health care live living life long term
longer better best second need needs population populations supported stay those most over more out
""".split()
)
# Function words too frequent to anchor a token pattern on, beside the common words above. Only anchors
# read them: "the" was no common word, so a pattern requiring it ("in the child's home", "The English
# Housing Survey", "surveys in the 1990s") was anchored on it and run on nearly every sentence.
_FREQUENT_WORDS = _COMMON_WORDS | frozenset("the that there but was were had if than such so how".split())
# A sentence opening with one of these refers back ("It offers home hazard checks."): the owner,
# money, measure or named service of the sentence before it in the paragraph count as its own.
ANAPHORS = frozenset(["it", "this", "they", "these", "its", "their"])
MATCH_NEAR_HITS_ONLY = True  # False runs every token pattern over every block (same results, ~2x slower)
MATCH_NEAR_ANCHORS_ONLY = True  # False runs a token matcher over the whole span it reads (same results)
_STRETCH_MIN_TOKENS = 16  # a shorter span is read whole: finding the stretches would cost what they save


class CompiledRules:
    """Every phrase and pattern of a RuleSet compiled into spaCy matchers, once."""

    def __init__(self, ruleset: RuleSet) -> None:
        # Long: every part of the rules is compiled here in one pass, in a fixed order that matcher labels rely on.
        from assure.nlp import import_spacy

        spacy = import_spacy()  # first: a bare spaCy import would also import its command-line package
        from spacy.matcher import PhraseMatcher

        self.ruleset = ruleset
        self.nlp = get_nlp(ruleset.lemma_overrides or None)
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.token_patterns: dict[str, list[list[dict[str, Any]]]] = {}  # label -> its token patterns
        self.rules = {r.id: r for r in ruleset.rules}
        self.block_scope_hits = {label(Role.HIT, r.id) for r in ruleset.rules if r.signal_scope == "block"}
        self.relevance_min = ruleset.relevance.min_sentences if ruleset.relevance else 0

        specs: list[tuple[str, Matchers, str]] = []  # (label, what it matches, where the rules say it)

        def add(role: str, name: str, spec: Matchers, where: str) -> None:
            specs.append((label(role, name), spec, where))

        for rule in ruleset.rules:
            RULE_KINDS[rule.kind].compile(rule, add)
            if rule.exclude:
                add(Role.RULE_EXCLUDE, rule.id, Matchers(terms=rule.exclude), f"rule {rule.id}.exclude")
        for exclusion in ruleset.exclusions:
            add(Role.EXCLUSION, exclusion.id, exclusion.matchers, f"exclusion {exclusion.id}")
        for signal in ruleset.signals:
            add(Role.SIGNAL, signal.name, signal.matchers, f"signal {signal.name}")
        context = ruleset.context
        for cue in context.cues:
            add(Role.CUE, str(cue.index), cue.matchers, f"context.cues[{cue.index}]")
            if cue.terminators:
                add(
                    Role.CUE_TERMINATOR, str(cue.index), Matchers(terms=cue.terminators), f"context.cues[{cue.index}].terminators"
                )
        if context.pseudo:
            add(Role.PSEUDO, "", Matchers(terms=context.pseudo), "context.pseudo")
        if context.terminators:
            add(Role.TERMINATOR, "", Matchers(terms=context.terminators), "context.terminators")
        if ruleset.relevance is not None:
            add(Role.RELEVANCE, "", ruleset.relevance.matchers, "relevance")
        if ruleset.key_sections is not None:
            add(Role.KEY_SECTION, "", ruleset.key_sections.matchers, "key_sections")
        # what is derived from these phrases and patterns alone (anchors, key words) is kept in the
        # start-up cache, keyed by all of them: a hit also means every pattern was validated before
        cache_key = start_cache_key("compiled rules", spacy.__version__, lambda: _compile_inputs(ruleset, specs))
        cached = _cached_derivation(cache_key, specs)
        keep = cache_key is not None  # the phrases' token hashes are worth collecting only to be cached
        phrase_keys = cached.phrase_keys if cached else [self._add(key, spec, where, keep=keep) for key, spec, where in specs]
        if cached:
            for (key, spec, _), (lower, lemma) in zip(specs, phrase_keys, strict=True):
                self._add_known(key, spec, lower, lemma)
        self.strings = self.nlp.vocab.strings
        self._components = tuple(component for _, component in self.nlp.pipeline)
        self._label_names: dict[int, str] = {}  # matcher label hash -> its text, as matches are found
        self._label_parts: dict[str, tuple[str, str]] = {}  # label text -> (role, name)
        derived = cached or self._derive(phrase_keys, specs)
        self._group_patterns(derived.anchors, derived.gates)
        self.unanchored_patterns = derived.unanchored_patterns
        self.anchor_words = derived.anchor_words
        self.hit_words = derived.hit_words
        self.relevance_words = derived.relevance_words
        self.hit_needs = derived.hit_needs
        self._needs = _NeedIndex.of(derived.hit_needs)
        if cached is None and cache_key is not None:
            from assure import startcache

            startcache.store("compiled", cache_key, derived.to_plain())

    def parse(self, text: str) -> Any:
        """``self.nlp(text)``: the tokenizer, then each component, called directly. Language.__call__
        costs some 20 us a text beside them (its ``pipeline`` list is rebuilt, with an error message
        formatted, at each call): a sixth of the pipeline's own time on a block."""
        if len(text) > self.nlp.max_length:
            return self.nlp(text)  # raises spaCy's own error
        doc = self.nlp.tokenizer(text)
        for component in self._components:
            doc = component(doc)
        return doc

    def _add(self, key: str, spec: Matchers, where: str, *, keep: bool) -> PhraseKeys:
        """Register one label's phrases and patterns, each pattern checked first so a bad one is
        named; with ``keep``, returns the phrases as the phrase matchers store them (see
        _Derived.phrase_keys), else empty lists."""
        from spacy.matcher import Matcher

        lower: list[tuple[int, ...]] = []
        lemma: list[tuple[int, ...]] = []
        if spec.terms:
            docs = [self.nlp.make_doc(t) for t in spec.terms]
            self.lower.add(key, docs)
            lower = [tuple(t.lower for t in doc) for doc in docs] if keep else []
        if spec.lemmas:
            docs = [lemma_doc(self.nlp, t) for t in spec.lemmas]
            self.lemma.add(key, docs)
            lemma = [tuple(t.lemma for t in doc) for doc in docs] if keep else []
        if spec.patterns:
            patterns = [list(p) for p in spec.patterns]
            for j, pattern in enumerate(patterns):  # one at a time, so the error can name the bad one
                try:
                    Matcher(self.nlp.vocab, validate=True).add("check", [pattern])
                except Exception as exc:  # noqa: BLE001 - spaCy raises ValueError/MatchPatternError
                    detail = " ".join(line.strip() for line in str(exc).splitlines()[1:] if line.strip()) or str(exc)
                    file, at = self.ruleset.origin_of(where)  # the file of a chain (extend:) the entry is in
                    raise ConfigError(f"{at}.patterns[{j}]: invalid spaCy pattern: {detail[:300]}", path=file) from None
                split = split_word(self.nlp, pattern) or unreachable_lemma(pattern, self.ruleset.lemma_overrides)
                if split is not None:
                    word, parts = split
                    file, at = self.ruleset.origin_of(where)
                    raise ConfigError(f"{at}.patterns[{j}]: {word!r} never matches: {parts}", path=file)
            self.token_patterns.setdefault(key, []).extend(patterns)
        return lower, lemma

    def _add_known(self, key: str, spec: Matchers, lower: list[tuple[int, ...]], lemma: list[tuple[int, ...]]) -> None:
        """Register one label as :meth:`_add` does, from the start-up cache: the phrases as the hashes
        of their tokens' lower case and lemmas (what a phrase matcher keeps of a Doc, and takes in its
        place, as spaCy's own unpickling does), the patterns unchecked (they compiled when cached)."""
        if lower:
            self.lower.add(key, lower)  # type: ignore[arg-type]  # token hashes, as spaCy unpickles it
        if lemma:
            self.lemma.add(key, lemma)  # type: ignore[arg-type]
        if spec.patterns:
            self.token_patterns.setdefault(key, []).extend(list(p) for p in spec.patterns)

    def _derive(self, phrase_keys: list[PhraseKeys], specs: list[tuple[str, Matchers, str]]) -> _Derived:
        """Each token pattern's anchor and the words a block needs for a hit (see _Derived)."""
        ruleset = self.ruleset
        overrides = ruleset.lemma_overrides or None
        anchors = {key: [_pattern_anchor(tuple(p), overrides) for p in patterns] for key, patterns in self.token_patterns.items()}
        hidden = _token_only_words(self.nlp)
        gates = {
            key: [_pattern_gate(tuple(p), anchor, overrides, hidden) for p, anchor in zip(patterns, anchors[key], strict=True)]
            for key, patterns in self.token_patterns.items()
        }
        hit_anchors = [_label_words(a) for key, a in anchors.items() if key.startswith(Role.HIT + "|")]
        # Words that must appear in a block for any rule hit (or relevance term) to be possible:
        # blocks with none of them are never parsed. None when token patterns make that unknowable.
        relevance = ruleset.relevance.matchers if ruleset.relevance else Matchers()
        # A rule's token pattern can only match where one of its anchor words occurs (a token every
        # match must contain), so a sentence without any is not given to the token Matcher for hits.
        unanchored = any(a is None for a in hit_anchors) or bool(relevance.patterns)
        anchor_words = frozenset(w for a in hit_anchors if a for w in a)
        hit_words = (
            None
            if unanchored
            else frozenset(w for r in ruleset.rules for w in self._key_words(r.terms, r.lemmas, overrides)) | anchor_words
        )
        relevance_words = None if unanchored else frozenset(self._key_words(relevance.terms, relevance.lemmas, overrides))
        hit_needs = None if unanchored else self._hit_needs(specs, anchors, gates, overrides, hidden)
        return _Derived(phrase_keys, anchors, gates, unanchored, anchor_words, hit_words, relevance_words, hit_needs)

    def _hit_needs(
        self,
        specs: list[tuple[str, Matchers, str]],
        anchors: dict[str, list[frozenset[str] | None]],
        gates: dict[str, list[Gate]],
        overrides: dict[str, str] | None,
        hidden: frozenset[str],
    ) -> tuple[Need, ...]:
        """Per rule phrase and hit pattern, what a text must hold for it to match (see _phrase_need; a
        pattern's are its anchor and gate). ``hit_words`` asks for one word of any phrase: most blocks
        holding "development" or "council" hold no phrase of either."""
        needs: list[Need] = []
        for key, spec, _ in specs:
            if not key.startswith(Role.HIT + "|"):
                continue
            needs.extend(self._phrase_need(t, False, overrides, hidden) for t in spec.terms)
            needs.extend(self._phrase_need(t, True, overrides, hidden) for t in spec.lemmas)
        for key, patterns in anchors.items():
            if key.startswith(Role.HIT + "|"):
                needs.extend(
                    ((anchor, *gate), (), "") for anchor, gate in zip(patterns, gates[key], strict=True) if anchor is not None
                )
        return tuple(dict.fromkeys(needs))

    def _phrase_need(self, phrase: str, by_lemma: bool, overrides: dict[str, str] | None, hidden: frozenset[str]) -> Need:
        """For each token of a phrase, the words (``_WORD`` chunks, lower case; the longest of each) of
        the forms a text's token must have to match it: its lower case, or every word with its lemma.
        A text holds a word of each list, or, where a form may be glued to a longer word of the text
        (a word with a digit, "30" of "30mph"; a word spaCy cuts from a longer one, ``hidden``, see
        _pattern_gate), has one of them inside its lower case. A punctuation token needs nothing. Beside
        the words, the phrase's forms in order, as a text's lower case must show them (_adjacency_pattern)."""
        words_needed: list[frozenset[str]] = []
        inside_needed: list[frozenset[str]] = []
        doc = lemma_doc(self.nlp, phrase) if by_lemma else self.nlp.make_doc(phrase)
        token_forms = [surface_forms(token.lemma_, overrides) if by_lemma else {token.lower_} for token in doc]
        for forms in token_forms:
            words = set()
            for form in forms:
                chunks = _WORD.findall(form)
                if not chunks:
                    break  # punctuation: the token cannot be told by its words
                words.add(max(chunks, key=len))
            else:
                glued = not hidden.isdisjoint(words) or any(_DIGIT.search(w) for w in words)
                (inside_needed if glued else words_needed).append(frozenset(words))
        return tuple(dict.fromkeys(words_needed)), tuple(dict.fromkeys(inside_needed)), _adjacency_pattern(token_forms)

    def may_hit(self, words: frozenset[str], text: str) -> bool:
        """Whether a text with these words (``words_of(text)``) can hold a rule hit: it holds what one
        of the rule phrases or hit patterns needs (see _hit_needs). True when that is unknowable."""
        return self._needs.may_hit(words, text) if self._needs is not None else True

    def _group_patterns(self, anchors: dict[str, list[frozenset[str] | None]], gates: dict[str, list[Gate]]) -> None:
        """The token patterns again, one Matcher per anchor, each with the words one of which every
        match must contain (None: any text; NUMBER: a figure or number word): a sentence is read
        only by the matchers its words can satisfy. spaCy tests every pattern's first token on
        every token it is given, so most of the Matcher's time went on patterns (the 17
        commitment patterns, the figures of measure and money) that could not match. Beside its
        anchor, a Matcher is run only when one of its patterns has all its other required words
        too (see _pattern_gate): a sentence holding "council" but none of the verbs after it is
        not read for "the council has helped ..."."""
        from spacy.matcher import Matcher

        # patterns sharing an anchor share a Matcher, whatever their labels: a label with many patterns
        # (the commitment signal's verbs) runs only those whose anchor the sentence holds, and the labels
        # anchored on a figure (measure, money, data, requirement) read a sentence in one call, as each
        # call makes a Python object of every token it is given whatever its patterns
        by_anchor: dict[frozenset[str] | None, Any] = {}
        gated: dict[frozenset[str] | None, list[Gate]] = {}
        reaches: dict[frozenset[str] | None, list[Reach | None]] = defaultdict(list)
        for key, patterns in self.token_patterns.items():
            shared: dict[frozenset[str] | None, list[Any]] = {}
            for pattern, anchor, gate in zip(patterns, anchors[key], gates[key], strict=True):
                shared.setdefault(anchor, []).append(pattern)
                gated.setdefault(anchor, []).append(gate)
                reaches[anchor].append(_anchor_reach(pattern, anchor))
            for anchor, group in shared.items():
                if anchor not in by_anchor:
                    by_anchor[anchor] = Matcher(self.nlp.vocab)
                by_anchor[anchor].add(key, group)
        for matcher in by_anchor.values():
            quicken_predicates(matcher)
        self.token_groups: list[tuple[frozenset[str] | None, Any]] = list(by_anchor.items())
        # per group, each pattern's other required word lists (None: one pattern needs no more than the anchor)
        self.token_gates: list[tuple[Gate, ...] | None] = [
            None if any(not gate for gate in gated[anchor]) else tuple(dict.fromkeys(gated[anchor])) for anchor in by_anchor
        ]
        # the groups by their anchor words, so a sentence visits only the groups it holds a word of (of some 130)
        self._unanchored_groups = tuple(i for i, (anchor, _) in enumerate(self.token_groups) if anchor is None)
        groups_of: defaultdict[str, list[int]] = defaultdict(list)
        for i, (anchor, _) in enumerate(self.token_groups):
            for word in anchor or ():
                groups_of[word].append(i)
        self._groups_of = dict(groups_of)
        self._group_words = frozenset(groups_of)
        # per group, how far around an anchor-bearing token its matches reach (None: the whole span)
        self.token_reach: list[Reach | None] = [_widest(reaches[anchor]) for anchor in by_anchor]
        self._anchor_keys: dict[int, str | None] = {}  # a word's hash -> the anchor word it bears
        self._numbers: dict[int, bool] = {}  # a word's hash -> whether it bears NUMBER

    def _key_words(self, terms: tuple[str, ...], lemmas: tuple[str, ...], overrides: dict[str, str] | None) -> set[str]:
        """For each phrase, the words of its most distinctive token: one of them must occur."""
        words: set[str] = set()
        for phrase, by_lemma in [(t, False) for t in terms] + [(t, True) for t in lemmas]:
            tokens = [t.lower_ for t in self.nlp.make_doc(phrase)]
            best = max(tokens, key=lambda t: (t not in _COMMON_WORDS, max((len(c) for c in _WORD.findall(t)), default=0)))
            chunk = max(_WORD.findall(best) or [best], key=len)
            if by_lemma:
                lemma = lemma_doc(self.nlp, best)[0].lemma_ if best else best
                words.update(max(_WORD.findall(form) or [form], key=len) for form in surface_forms(lemma, overrides) | {best})
            else:
                words.add(chunk)
        return words

    def matches(self, doc: Any, spans: list[tuple[int, int]] | None = None, text: str | None = None) -> list[Match]:
        """Every match in ``doc``. With ``spans`` (its sentences), the token Matcher, whose IN and
        REGEX predicates cost most of the run time, reads only the spans holding a phrase-matched
        rule hit: signals, cues and exclusions matter only beside a hit (see Evaluator._sentences).
        ``text`` is the text ``doc`` was made from, when the caller has it (``doc.text`` joins its tokens)."""
        found = set()
        names = self._label_names
        for matcher in (self.lower, self.lemma):
            for match_id, start, end in matcher(doc):
                found.add((names.get(match_id) or self._label_name(match_id), start, end))
        text = doc.text if text is None else text
        if spans is None:
            self._token_matches(doc, 0, len(doc), found, words_of(span_text(doc, text, 0, len(doc))))
        else:
            hits = [(s, e) for key, s, e in found if key.startswith(Role.HIT + "|")]
            if any(key in self.block_scope_hits for key, _, _ in found):
                spans = [(0, len(doc))]  # a rule reads signals from the whole block
            words = [words_of(span_text(doc, text, start, end)) for start, end in spans]
            wanted = set()
            for i, (start, end) in enumerate(spans):
                if any(s >= start and e <= end for s, e in hits) or not self.anchor_words.isdisjoint(words[i]):
                    wanted.add(i)
                    if i and doc[start].lower_ in ANAPHORS:  # "It offers ...": its antecedent's signals are read too
                        wanted.add(i - 1)
            sites: list[Sites] = []  # read on first need, once for all the spans
            for i in sorted(wanted):
                self._token_matches(doc, *spans[i], found, words[i], sites)
        parts = self._label_parts
        return [Match(*parts[key], s, e) for key, s, e in sorted(found, key=lambda m: (m[1], m[2], m[0]))]

    def _label_name(self, match_id: int) -> str:
        """A matcher label's text from its hash, kept with its role and name: the string store decodes
        a new Python string at each lookup, and a block has dozens of matches."""
        name = self._label_names[match_id] = self.strings[match_id]
        role, _, rest = name.partition("|")
        self._label_parts[name] = (role, rest)
        return str(name)

    def _token_matches(
        self,
        doc: Any,
        start: int,
        end: int,
        found: set[tuple[str, int, int]],
        words: frozenset[str] | None = None,
        sites: list[Sites] | None = None,
    ) -> None:
        """Token-pattern matches in doc[start:end], from the matchers whose anchor words it holds, each run
        only on the stretches around the tokens bearing its anchor words (``sites``, see anchor_sites):
        the Matcher makes a Python object of every token it is given, twice, and its patterns reach a few
        tokens. Given the whole Doc when a stretch is all of it (a Span costs one call more a token)."""
        if words is None:
            words = words_of(doc[start:end].text)
        held = {i for word in words & self._group_words for i in self._groups_of[word]}
        length = len(doc)
        for i in sorted(held.union(self._unanchored_groups)):
            gates = self.token_gates[i]
            if gates is not None and not any(all(not need.isdisjoint(words) for need in gate) for gate in gates):
                continue
            anchor, matcher = self.token_groups[i]
            reach = self.token_reach[i]
            if anchor is None or reach is None or end - start < _STRETCH_MIN_TOKENS or not MATCH_NEAR_ANCHORS_ONLY:
                stretches = [(start, end)]
            else:
                sites = [] if sites is None else sites
                if not sites:
                    sites.append(self.anchor_sites(doc))
                stretches = _stretches(sites[0], anchor, reach, start, end)
            for first, last in stretches:
                span = doc if first == 0 and last == length else doc[first:last]
                for match_id, s, e in matcher(span):
                    found.add((self._label_names.get(match_id) or self._label_name(match_id), first + s, first + e))

    def anchor_sites(self, doc: Any) -> Sites:
        """What each token of ``doc`` bears for anchors: the anchor word (the longest ``_WORD`` chunk of its
        lower case; a sign: itself) and whether it is like a number or shows a digit (NUMBER), as a token
        of a pattern anchored on those words must (see _required_word_lists: LOWER, ORTH and TEXT compare
        its lower case, LEMMA one of its word forms). Read per word of the vocabulary, once, from its
        lexeme (what the Matcher reads), and per token from one array of the Doc."""
        from spacy.attrs import ORTH

        keys, numbers = self._anchor_keys, self._numbers
        orths = doc.to_array(ORTH).tolist()
        for orth in set(orths).difference(keys):
            lexeme = self.nlp.vocab[orth]
            keys[orth] = _anchor_key(lexeme.lower_)
            numbers[orth] = lexeme.like_num or "d" in lexeme.shape_
        return list(map(keys.__getitem__, orths)), list(map(numbers.__getitem__, orths))


# token attributes a word-list test (IN, NOT_IN) may read straight off the Token: spaCy's matcher reads the
# same values (doc.pyx get_token_attr: the lexeme's for these, the token's own lemma and norm)
_TOKEN_VALUE_NAMES = {"ORTH": "orth", "LOWER": "lower", "LEMMA": "lemma", "SHAPE": "shape", "NORM": "norm"}


_WORD_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA")


def _words(pattern: list[dict[str, Any]], attrs: tuple[str, ...]) -> Iterator[str]:
    """The words a token pattern compares ``attrs`` with, alone or in IN and NOT_IN lists."""
    for spec in pattern:
        for attr, value in spec.items():
            if str(attr).upper() not in attrs:
                continue
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                yield from (w for op in ("IN", "NOT_IN") for w in value.get(op, ()) if isinstance(w, str))


def split_word(nlp: Any, pattern: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The first word a token pattern asks one token to be that the tokenizer always splits
    ("co-located" is "co", "-", "located"; "plan's" is "plan", "'s"), and why it never matches: such a
    value fails silently. A word some casing keeps whole ("St." as a title) is not reported."""
    special = _special_cases(nlp)
    for word in _words(pattern, _WORD_ATTRS):
        if word.isalpha() and word.lower() not in special:
            continue  # letters alone stay one token unless a special case ("cannot") cuts them
        if not any(len(nlp.make_doc(form)) == 1 for form in (word, word.lower(), word.title(), word.upper())):
            parts = " ".join(repr(t.text) for t in nlp.make_doc(word))
            return word, f"the tokenizer splits it into {parts}; give each part its own token"
    return None


def _special_cases(nlp: Any) -> frozenset[str]:
    """The tokenizer's special cases, lower case (its exceptions: "cannot", "gonna", "St.")."""
    found = _SPECIAL_CASES.get(id(nlp))
    if found is None:
        found = _SPECIAL_CASES[id(nlp)] = frozenset(key.lower() for key in nlp.tokenizer.rules)
    return found


_SPECIAL_CASES: dict[int, frozenset[str]] = {}


def unreachable_lemma(pattern: list[dict[str, Any]], overrides: dict[str, str] | None) -> tuple[str, str] | None:
    """The first LEMMA a token pattern names that no token can have ("funds": every "funds" has the
    lemma "fund"; "NHS": lemmas are lower case), and why."""
    for word in _words(pattern, ("LEMMA",)):
        if not lemma_reachable(word, overrides):
            return word, "no word has it as its lemma; write the lemma (the dictionary form, in lower case)"
    return None


def quicken_predicates(matcher: Any) -> int:
    """Swap a Matcher's word-list tests (``{LOWER: {IN: [...]}}``, NOT_IN) for plain functions giving the
    same True or False; returns how many. spaCy calls a pattern's Python-level tests at every token a pattern
    state stands on, and its own test object takes about 0.5 us a call (it works out the operator's kind
    at each call): of some 2 million calls over the 21 real plans, most of the Matcher's time. Call it
    after the last ``add``; a later ``add`` still works (each function carries the ``key`` and ``i``
    spaCy looks up), and an unknown kind of test is left as it is."""
    from operator import attrgetter

    from spacy.attrs import IDS

    try:  # spaCy's private test class and list: a spaCy without them keeps its own tests
        from spacy.matcher.matcher import _SetPredicate  # type: ignore[attr-defined]  # in the .pyx, not its stub
    except ImportError:
        return 0
    tests = getattr(matcher, "_extra_predicates", None)
    if not isinstance(tests, list):
        return 0
    names = {IDS[attr]: name for attr, name in _TOKEN_VALUE_NAMES.items()}
    swapped = 0
    for index, test in enumerate(tests):
        if (
            type(test) is not _SetPredicate
            or test.predicate not in ("IN", "NOT_IN")
            or test.is_extension
            or test.regex
            or test.fuzzy is not None
            or test.attr not in names
            or not all(isinstance(v, int) for v in test.value)
        ):
            continue
        quick = _word_list_test(attrgetter(names[test.attr]), frozenset(test.value), test.predicate == "IN")
        quick.key, quick.i = test.key, test.i  # type: ignore[attr-defined]  # what Matcher.add reads of a test
        tests[index] = quick
        swapped += 1
    return swapped


def _word_list_test(value_of: Callable[[Any], int], ids: frozenset[int], inside: bool) -> Callable[[Any], bool]:
    """A token's value (a string hash) in ``ids`` (``inside``), or not in them."""
    if inside:
        return lambda token: value_of(token) in ids
    return lambda token: value_of(token) not in ids


def span_text(doc: Any, text: str, start: int, end: int) -> str:
    """``doc[start:end].text`` cut from ``text``, the text ``doc`` was made from: a Span's text joins
    a Python object of each of its tokens, and every sentence's text is read twice."""
    if end <= start:
        return ""
    last = doc[end - 1]
    return text[doc[start].idx : last.idx + len(last)]


# one label's phrases as its phrase matchers keep them: per term, the hashes of its tokens' lower
# case; per lemma phrase, of their lemmas
PhraseKeys = tuple[list[tuple[int, ...]], list[tuple[int, ...]]]
# one token pattern's required word lists beside its anchor, each of which a sentence must hold for a match
Gate = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class _Derived:
    """What compiling derives from the rules' phrases and patterns alone, beside the matchers:
    each label's phrases as token hashes (in the order of the labels compiled), each label's pattern
    anchors (in pattern order), whether any hit pattern has none, the hit patterns' anchor words,
    and the words a block needs for a rule hit or a relevance term (None: unknowable). Plain data,
    so the start-up cache can keep it."""

    phrase_keys: list[PhraseKeys]
    anchors: dict[str, list[frozenset[str] | None]]
    gates: dict[str, list[Gate]]
    unanchored_patterns: bool
    anchor_words: frozenset[str]
    hit_words: frozenset[str] | None
    relevance_words: frozenset[str] | None
    hit_needs: tuple[Need, ...] | None  # see CompiledRules._hit_needs; None: unknowable

    def to_plain(self) -> tuple[Any, ...]:
        return (
            self.phrase_keys,
            self.anchors,
            self.gates,
            self.unanchored_patterns,
            self.anchor_words,
            self.hit_words,
            self.relevance_words,
            self.hit_needs,
        )


# what a text must hold for a phrase or pattern to match: a word of each word list among its words, one
# word of each further list inside its lower case, and for a phrase, a match of its adjacency pattern in
# its lower case ("": none; see CompiledRules._phrase_need)
Need = tuple[Gate, Gate, str]


def _adjacency_pattern(token_forms: list[set[str]]) -> str:
    """A regular expression every text holding a phrase shows in its lower case: one of each token's
    forms (its lower case, or every word with its lemma), in order, with at most white space between.
    A phrase matcher matches consecutive tokens, and a Doc's consecutive tokens are its text's
    consecutive stretches with at most spaces between; a token's lower case is its text's (Python's
    lower case, a letter at a time). A block holding every word of a phrase but not the phrase itself
    (a fifth of the blocks parsed for hits over the real plans) is then not parsed. "" (no test) when
    a form is not plain ASCII (lower case could then depend on the letters around it)."""
    if not token_forms or any(not form or not form.isascii() for forms in token_forms for form in forms):
        return ""
    return r"\s*".join("(?:" + "|".join(re.escape(f) for f in sorted(forms)) + ")" for forms in token_forms)


@cache
def _adjacency(source: str) -> re.Pattern[str]:
    """The compiled adjacency pattern (there are more than ``re``'s own cache holds)."""
    return re.compile(source)


class _NeedIndex:
    """The rules' hit needs (CompiledRules._hit_needs) arranged so a text is checked only against
    those it holds a word of: each need is listed under the words of its rarest word list. Those with
    no word list (a word with a digit: "s106", "eco4") are looked for in the text, one pattern for all."""

    def __init__(self, needs: tuple[Need, ...]) -> None:
        self.by_word: dict[str, list[Need]] = defaultdict(list)
        anywhere: list[Need] = []
        for need in needs:
            if need[0]:
                for word in min(need[0], key=_rarity):
                    self.by_word[word].append(need)
            else:
                anywhere.append(need)
        self.words = frozenset(self.by_word)
        single = sorted({w for _, inside, _ in anywhere if len(inside) == 1 for w in inside[0]})
        self.inside = re.compile("|".join(map(re.escape, single))) if single else None
        self.anywhere = [need for need in anywhere if len(need[1]) != 1]

    @classmethod
    def of(cls, needs: tuple[Need, ...] | None) -> _NeedIndex | None:
        """The index, or None (every text may hit) when the needs are unknown or one needs nothing."""
        if needs is None or any(not lists and not inside for lists, inside, _ in needs):
            return None
        return cls(needs)

    def may_hit(self, words: frozenset[str], text: str) -> bool:
        lower: str | None = None
        for word in words & self.words:
            for need in self.by_word[word]:
                if all(not forms.isdisjoint(words) for forms in need[0]):
                    if not need[1] and not need[2]:
                        return True
                    lower = text.lower() if lower is None else lower
                    if _holds(need, words, lower):
                        return True
        if self.inside is None and not self.anywhere:
            return False
        lower = text.lower() if lower is None else lower
        if self.inside is not None and self.inside.search(lower):
            return True
        return any(_holds(need, words, lower) for need in self.anywhere)


def _holds(need: Need, words: frozenset[str], lower: str) -> bool:
    """Whether a text (its words, its lower case) holds what ``need`` asks for."""
    lists, inside, adjacent = need
    return (
        all(not forms.isdisjoint(words) for forms in lists)
        and all(any(w in lower for w in forms) for forms in inside)
        and (not adjacent or _adjacency(adjacent).search(lower) is not None)
    )


def _label_words(anchors: list[frozenset[str] | None]) -> frozenset[str] | None:
    """A label's anchor words: one of them is in every match of any of its patterns (None: any text)."""
    return None if any(a is None for a in anchors) else frozenset(w for a in anchors if a for w in a)


def _compile_inputs(ruleset: RuleSet, specs: list[tuple[str, Matchers, str]]) -> str:
    """Everything _Derived is computed from, as text for the start-up cache key: each label's
    phrases and patterns in order, each rule's phrases, the relevance phrases and the lemma overrides."""
    import json

    relevance = ruleset.relevance.matchers if ruleset.relevance else Matchers()
    return json.dumps(
        [
            [[key, spec.terms, spec.lemmas, spec.patterns] for key, spec, _ in specs],
            [[r.terms, r.lemmas] for r in ruleset.rules],
            [relevance.terms, relevance.lemmas, relevance.patterns],
            sorted(ruleset.lemma_overrides.items()),
        ],
        default=repr,
    )


def _cached_derivation(key: str | None, specs: list[tuple[str, Matchers, str]]) -> _Derived | None:
    """The _Derived the start-up cache holds under ``key``, if it has one of the right shape."""
    if key is None:
        return None
    from assure import startcache

    plain = startcache.load("compiled", key)
    try:
        phrase_keys, anchors, gates, unanchored, anchor_words, hit_words, relevance_words, hit_needs = plain  # type: ignore[misc]
        counts: dict[str, int] = {}
        for name, spec, _ in specs:
            if spec.patterns:
                counts[name] = counts.get(name, 0) + len(spec.patterns)
        sets = (frozenset, type(None))
        if (
            not isinstance(phrase_keys, list)
            or [(len(lower), len(lemma)) for lower, lemma in phrase_keys] != [(len(s.terms), len(s.lemmas)) for _, s, _ in specs]
            or not all(isinstance(h, int) for lower, lemma in phrase_keys for k in (*lower, *lemma) for h in k)
            or not isinstance(anchors, dict)
            or {k: len(v) for k, v in anchors.items()} != counts
            or not all(isinstance(a, sets) for v in anchors.values() for a in v)
            or not isinstance(gates, dict)
            or {k: len(v) for k, v in gates.items()} != counts
            or not all(isinstance(g, tuple) and all(isinstance(w, frozenset) for w in g) for v in gates.values() for g in v)
            or not isinstance(unanchored, bool)
            or not isinstance(anchor_words, frozenset)
            or not isinstance(hit_words, sets)
            or not isinstance(relevance_words, sets)
            or not (
                hit_needs is None
                or isinstance(hit_needs, tuple)
                and all(
                    isinstance(n, tuple)
                    and len(n) == 3
                    and all(isinstance(w, frozenset) for part in n[:2] for w in part)
                    and isinstance(n[2], str)
                    for n in hit_needs
                )
            )
        ):
            return None
    except (TypeError, ValueError):
        return None
    return _Derived(phrase_keys, anchors, gates, unanchored, anchor_words, hit_words, relevance_words, hit_needs)


# Marks for what a token pattern may require beyond words: a number (LIKE_NUM, a digit SHAPE)
# and the currency and percent signs. A span's words carry them when its text can satisfy them.
NUMBER = "<number>"
_MARKED_SYMBOLS = frozenset("£$€%")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    """The words spaCy's LIKE_NUM takes for numbers ("ten", "million", "third")."""
    from spacy.lang.en.lex_attrs import _num_words, _ordinal_words

    return frozenset(_num_words) | frozenset(_ordinal_words)


def _may_hold_hits(sentence: Sentence) -> bool:
    """Whether SentenceMatches.read can find a hit in the sentence: a rule's hit, or partner words
    paired with a hit in the list's lead-in. Most sentences have neither, and reading sorts every match."""
    if any(m.role == Role.HIT for m in sentence.matches):
        return True
    return any(m.role == Role.NEAR for m in sentence.matches) and any(
        lab.startswith(Role.HIT + "|") for lab in sentence.heading_labels
    )


@lru_cache(maxsize=64)
def words_of(text: str) -> frozenset[str]:
    """The words of a text as anchors are written (``_WORD`` chunks, lower case), with the
    number mark when it holds a figure or a number word and the signs it holds."""
    lower = text.lower()
    words = set(_WORD.findall(lower))
    # spaCy splits "don't" into "do" + "n't" and "cannot" into "can" + "not": the pieces are words too,
    # or a pattern anchored on "not" never runs on "We cannot fund adaptations"
    if "n'" in lower or "n\u2019" in lower:  # what _CONTRACTION needs: its scan costs a third of this function
        for stem in _CONTRACTION.findall(lower):
            words.update((stem, "n", "t", "not"))
    if "cannot" in words:
        words.update(("can", "not"))
    if _DIGIT.search(lower) or not _number_words().isdisjoint(words):
        words.add(NUMBER)
    words.update(c for c in _MARKED_SYMBOLS if c in lower)
    return frozenset(words)


_COMPILED: dict[str, CompiledRules] = {}
# token attributes whose value is the token's own words (NORM is not: spaCy maps "colour" to "color")
_EXACT_KEYS = ("LOWER", "ORTH", "LEMMA", "TEXT")


def _pattern_anchor(pattern: tuple[dict[str, Any], ...], overrides: dict[str, str] | None) -> frozenset[str] | None:
    """The words (lower case, as ``_WORD`` splits text) of one token every match of ``pattern``
    must contain, the rarest such token (a common word like "with" only when nothing else is
    required; of two as rare, the first); None when no required token names its words."""
    best: frozenset[str] | None = None
    for words in _required_word_lists(pattern, overrides):
        if best is None or _rarity(words) < _rarity(best):
            best = words
    return best


def _required_word_lists(pattern: tuple[dict[str, Any], ...], overrides: dict[str, str] | None) -> list[frozenset[str]]:
    """For each token every match of ``pattern`` must contain and that can be told by its words,
    those words (lower case, as ``_WORD`` splits text; NUMBER for a figure or number word), in
    pattern order."""
    found: list[frozenset[str]] = []
    for token in pattern:
        op = token.get("OP")
        if isinstance(op, str) and (op in ("?", "*", "!") or op.startswith(("{0", "{,"))):
            continue  # the token may be absent
        shape = token.get("SHAPE")
        shapes = [shape] if isinstance(shape, str) else shape.get("IN") if isinstance(shape, dict) and len(shape) == 1 else None
        if token.get("LIKE_NUM") is True or (shapes and all(isinstance(v, str) and "d" in v for v in shapes)):
            found.append(frozenset({NUMBER}))  # a figure or a number word
        for key in _EXACT_KEYS:
            value = token.get(key)
            in_list = value.get("IN") if isinstance(value, dict) and len(value) == 1 else None
            values = [value] if isinstance(value, str) else in_list
            if not values or not all(isinstance(v, str) for v in values):
                continue
            forms: set[str] = set()
            for v in values:
                for form in surface_forms(v.lower(), overrides) if key == "LEMMA" else {v.lower()}:
                    chunks = _WORD.findall(form) or ([form] if form in _MARKED_SYMBOLS else [])
                    if not chunks:
                        break  # punctuation: the token cannot be told by its words
                    forms.add(max(chunks, key=len))
                else:
                    continue
                forms = set()
                break
            if forms:
                found.append(frozenset(forms))
    return found


# how many tokens a match may hold before and after the token bearing its anchor word (None: no bound)
Reach = tuple[int | None, int | None]
# per token of a Doc, the anchor word it bears and whether it bears NUMBER (CompiledRules.anchor_sites)
Sites = tuple[list[str | None], list[bool]]


def _most_tokens(op: Any) -> int | None:
    """The most tokens a pattern token with this operator matches (None: no bound)."""
    if op is None or op in ("?", "!"):
        return 1
    if op in ("*", "+") or not isinstance(op, str) or not op.startswith("{"):
        return None
    bounds = op[1:-1].split(",")
    return int(bounds[-1]) if bounds[-1].strip().isdigit() else None


def _anchor_reach(pattern: list[dict[str, Any]], anchor: frozenset[str] | None) -> Reach | None:
    """How far a match of ``pattern`` reaches before and after a token bearing one of ``anchor``'s words
    (see CompiledRules.anchor_sites), the widest over the pattern tokens that could be the anchor's:
    the required ones naming only words of it (a LEMMA's own word is among its forms), or a number for
    NUMBER. None when none can be (every span is then read whole)."""
    if anchor is None:
        return None
    most = [_most_tokens(token.get("OP")) for token in pattern]
    reach: Reach | None = None
    for at, token in enumerate(pattern):
        if not _may_bear(token, anchor):
            continue
        own = most[at]  # a repeated token bears it at any of its repeats
        before = None if own is None or None in most[:at] else sum(most[:at]) + own - 1  # type: ignore[arg-type]
        after = None if own is None or None in most[at + 1 :] else sum(most[at + 1 :]) + own - 1  # type: ignore[arg-type]
        reach = (before, after) if reach is None else _widest([reach, (before, after)])
    return reach


def _may_bear(token: dict[str, Any], anchor: frozenset[str]) -> bool:
    """Whether a required pattern token could be the one a match holds for ``anchor``: every word it
    names (LOWER, ORTH, TEXT, LEMMA) gives a word of it, or it is a figure and NUMBER is one."""
    op = token.get("OP")
    if isinstance(op, str) and (op in ("?", "*", "!") or op.startswith(("{0", "{,"))):
        return False
    shape = token.get("SHAPE")
    shapes = [shape] if isinstance(shape, str) else shape.get("IN") if isinstance(shape, dict) and len(shape) == 1 else None
    if NUMBER in anchor and (token.get("LIKE_NUM") is True or (shapes and all(isinstance(v, str) and "d" in v for v in shapes))):
        return True
    for key in _EXACT_KEYS:
        value = token.get(key)
        in_list = value.get("IN") if isinstance(value, dict) and len(value) == 1 else None
        values = [value] if isinstance(value, str) else in_list
        if values and all(isinstance(v, str) and _anchor_key(v.lower()) in anchor for v in values):
            return True
    return False


def _widest(reaches: list[Reach | None]) -> Reach | None:
    """The reach covering all of ``reaches`` (None when one is None: read whole)."""
    if not reaches or None in reaches:
        return None
    befores = [r[0] for r in reaches if r is not None]
    afters = [r[1] for r in reaches if r is not None]
    return (
        None if None in befores else max(befores),  # type: ignore[type-var]
        None if None in afters else max(afters),  # type: ignore[type-var]
    )


def _anchor_key(lower: str) -> str | None:
    """The anchor word a token with this lower case bears: its longest ``_WORD`` chunk (the first of
    two as long), or itself for a sign; None for other punctuation. As _required_word_lists reads a form."""
    chunks: list[str] = _WORD.findall(lower)
    if chunks:
        return max(chunks, key=len)
    return lower if lower in _MARKED_SYMBOLS else None


def _stretches(sites: Sites, anchor: frozenset[str], reach: Reach, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of doc[start:end] within ``reach`` of a token bearing an ``anchor`` word, merged
    where they overlap or touch: every match of a pattern anchored there lies in one of them."""
    keys, numbers = sites
    if NUMBER in anchor:
        at = [i for i in range(start, end) if numbers[i] or keys[i] in anchor]
    else:
        at = [i for i in range(start, end) if keys[i] in anchor]
    before, after = reach
    stretches: list[tuple[int, int]] = []
    for index in at:
        first = start if before is None else max(start, index - before)
        last = end if after is None else min(end, index + after + 1)
        if stretches and first <= stretches[-1][1]:
            if last > stretches[-1][1]:
                stretches[-1] = (stretches[-1][0], last)
        else:
            stretches.append((first, last))
    return stretches


def _pattern_gate(
    pattern: tuple[dict[str, Any], ...], anchor: frozenset[str] | None, overrides: dict[str, str] | None, hidden: frozenset[str]
) -> Gate:
    """The word lists, beside its anchor, of the tokens every match of ``pattern`` must contain, those
    a text's words always show: not a figure or a word with a digit (a superscript digit is one to
    spaCy, not to ``_DIGIT``; "30" is cut from "30mph"), nor a list with a word spaCy may cut from a
    longer one ("should" from "shouldnt", "can" from "cannot", "m" from "£1.2m"; ``hidden``, see
    _token_only_words). spaCy cuts a token between two letters or digits only there: elsewhere a
    token's words are the text's own."""
    gate = []
    for words in _required_word_lists(pattern, overrides):
        if words != anchor and NUMBER not in words and hidden.isdisjoint(words) and not any(_DIGIT.search(w) for w in words):
            gate.append(words)
    return tuple(dict.fromkeys(gate))


def _token_only_words(nlp: Any) -> frozenset[str]:
    """Words a token may be while the text around it shows a longer word: what the tokenizer's
    special cases cut from one ("shouldnt" -> "should", "nt"; "cannot" -> "can", "not") and the
    units it cuts from a figure ("30mph")."""
    from spacy.lang.char_classes import UNITS

    words = {w.lower() for w in UNITS.split("|")}
    for text in nlp.tokenizer.rules:
        whole = set(_WORD.findall(text.lower()))
        words.update(w for token in nlp.make_doc(text) for w in _WORD.findall(token.lower_) if w not in whole)
    return frozenset(words)


def _rarity(words: set[str] | frozenset[str]) -> tuple[bool, int]:
    """Smaller is rarer: a word list with no common word, then the shorter list. A figure counts as
    common: most blocks of a plan hold one, so a pattern anchored on it would have every such block
    parsed (a Q3 pattern "need for <figure> ... homes" anchored on its figure cost a third of matching
    time); a figure still anchors a pattern whose other required tokens are all common."""
    # a list with a one- or two-letter word ("m", "k" after "£1.2") may meet words the text's split glues to a
    # figure, so it is no rarer than the figure itself
    common = NUMBER in words or any(len(w) <= 2 for w in words) or not _FREQUENT_WORDS.isdisjoint(words)
    return (common, len(words))


def _compiled_key(ruleset: RuleSet) -> str:
    return ruleset.fingerprint + "|" + ",".join(r.id for r in ruleset.rules)


def is_compiled(ruleset: RuleSet) -> bool:
    """Whether this process has already compiled ``ruleset`` (so using it costs nothing)."""
    return all(_compiled_key(variant) in _COMPILED for variant in ruleset.variants())


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Compiled matchers, cached per process by the rules' fingerprint and selection; the
    narrower sets of per_file_ignores (``ruleset.by_path``) are compiled too, once each, so
    workers forked afterwards have them all."""
    for variant in ruleset.variants():
        key = _compiled_key(variant)
        if key not in _COMPILED:
            _COMPILED[key] = CompiledRules(variant)
    from assure import gcpause

    gcpause.resume()  # start-up ends here: the collector, paused by the console entry, runs again
    return _COMPILED[_compiled_key(ruleset)]


# how a finding names the context that kept every hit at partial ("... - only table figures")
# a context's name as a reader is told it ("locative" and "false friend" are rule authors' words)
_CONTEXT_WORDS = {
    **_confidence.VOIDING_WORDS,
    "figures": "table figures",
    "locative": "where people live",
    "false_friend": "the word in another sense",
    "labels": "chart or list labels",
    "names": "job titles",
    "figure": "chart or figure text",
    "references": "reference list",
    "heading_hedged": "a heading over hedged text",
    "unknown": "named as not known",
    "asked": "a question put to readers",
}


# the first column title of a table of sources or references: its rows name data, they commit to nothing
_SOURCE_HEADER = re.compile(r"\s*(?:data\s+)?(?:sources?|references?|datasets?|evidence base|bibliography)\s*\|", re.I)
# a risk register's header ("Ref | Risk | Score | Mitigation | Owner"): its rows name risks and who watches them,
# not actions, whatever its owner column says
_RISK_HEADER = re.compile(
    r"(?:^|\|)\s*(?:corporate\s+|strategic\s+|key\s+)?risks?(?:\s+(?:description|title|name|id|ref))?\s*(?:\||$)", re.I
)
# a consultation schedule's header: who commented, what, and the answer; its rows are comments and replies
_CONSULTED_HEADER = re.compile(r"\b(?:respondents?|consultees?|representations?|comments?|issues? raised)\b", re.I)
_RESPONSE_HEADER = re.compile(r"\b(?:responses?|officer response|council response|reply)\b", re.I)
_RISK_MEASURE = re.compile(r"\b(?:score|rating|likelihood|impact|mitigations?|controls?|residual|inherent|severity)\b", re.I)
# a column of who answers for each row ("Scheme | Type | Homes | Partner | Council lead | Completion"): a delivery
# table, whose rows are commitments as an action plan's are, however few of its titles are an action plan's words
_OWNER_CELL = re.compile(
    r"(?:[a-z ]+ )?(?:lead|leads|owner|owners|lead officer|responsible|responsible officer|accountable officer)", re.I
)


def _short_titles(row: str) -> bool:
    """A row whose cells are all short titles (at most five words): a header, not a row of prose."""
    return all(len(cell.split()) <= 5 for cell in row.split("|"))


def _owner_column_header(row: str) -> bool:
    """A table's first row of three to ten short titles (no figures), one naming who leads each row."""
    cells = [c.strip() for c in row.split("|")]
    if not 3 <= len(cells) <= 10 or any(not c or len(c.split()) > 4 or any(ch.isdigit() for ch in c) for c in cells):
        return False
    return any(_OWNER_CELL.fullmatch(c) for c in cells)


# a table whose first column is titled for indicators ("Indicator | Sefton Vale | England | Trend"): each row
# names one, whatever the other columns are called
_INDICATOR_HEADER = re.compile(
    r"\s*(?:key\s+|outcome\s+|success\s+|performance\s+)*(?:indicators?|measures?|metrics?|kpis?)\s*\|", re.I
)


def _prose_cells(row: str) -> int:
    """Cells of a table row holding words rather than figures: a plan table's rows say what
    will be done ("Insulate 300 homes | Head of Housing | March 2025"); a data table's rows
    are mostly numbers and commit to nothing."""
    cells = row.split(" | ")
    if len(cells) < 3 or sum(1 for c in cells if _FIGURE_CELL.fullmatch(c.strip())) >= 2:
        return 0  # "Households in fuel poverty | 14.8% | 13.1% | DESNZ statistics 2021": a data row
    return sum(1 for c in cells if len(re.findall(r"[A-Za-z]{2,}", c)) >= 3)


_FIGURE_CELL = re.compile(r"[-\u2013\u2014]|[<>~]?[£$]?\d[\d.,]*\s*(?:%|pp|per cent)?")


def _section_label(block: Block) -> str | None:
    return " > ".join(block.section[-2:]) if block.section else None


def _block_quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "\u2026"


# a number opening a list item before its capital ("3 Support people ..."); "2025 homes" is text
_ITEM_NUMBER = re.compile(r"^\d{1,3}\s+(?=[A-Z])")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# a bracket the next sentence opens, left by the sentence splitter on this one ("... staff shortages. [")
_UNOPENED = re.compile(r"(?<=[.!?])\s+[\[(]$")


def _quote(sentence: Sentence, hit: tuple[int, int]) -> str:
    """The sentence, or for a long one the stretch around the hit, so the quote always
    shows the words that matched; a list item without its bullet or number."""
    text = _UNOPENED.sub("", " ".join(sentence.text.split()))
    if sentence.block.kind is BlockKind.LIST_ITEM and sentence.start == 0:
        # the item's own bullet or number, printed in a PDF but numbering in a DOCX: not quoted,
        # so one plan quotes the same words in both
        text = _ITEM_NUMBER.sub("", _BULLET.sub("", text, count=1), count=1)
        if text[:1].islower() and sentence.lead_in and len(sentence.lead_in) + len(text) < QUOTE_WHOLE:
            # an item that only ends its lead-in ("quality (e.g., cold or damp conditions ...)") is quoted with
            # it: "Housing affects health through: quality (e.g., ...)"
            return f"{sentence.lead_in} {text}"
    if len(text) <= QUOTE_WHOLE:
        return text
    doc = sentence.doc
    start = max(sentence.start, hit[0] - QUOTE_CONTEXT)
    end = min(sentence.end, hit[1] + QUOTE_CONTEXT)
    while end > hit[1] and len(doc[start:end].text) > QUOTE_MAX:
        start, end = (start + 1, end) if hit[0] - start > end - hit[1] else (start, end - 1)
    body = " ".join(doc[start:end].text.split())
    return ("\u2026" if start > sentence.start else "") + body + ("\u2026" if end < sentence.end else "")


def _unhedged_signals(matches: list[Match], sentences: list[tuple[int, int]], cues: tuple[ContextCue, ...]) -> set[str]:
    """The signals a block can lend to a hit beside it: those of its sentences that no general
    cue voids or weakens. "A review of the Disabled Facilities Grant policy will be undertaken in
    due course" names money and a commitment, but defers both; it completes nothing."""
    found: set[str] = set()
    for start, end in sentences:
        inside = [m for m in matches if m.start >= start and m.end <= end]
        pseudo = [(m.start, m.end) for m in inside if m.role == Role.PSEUDO]
        terminators = [m.start for m in inside if m.role == Role.TERMINATOR]
        hedges = [
            (cue, (m.start, m.end))
            for m in inside
            if m.role == Role.CUE
            and (cue := cues[int(m.name)]).rules is None
            and not any(overlaps((m.start, m.end), p) for p in pseudo)
        ]
        for m in inside:
            if m.role == Role.SIGNAL and not any(in_scope(cue, span, (m.start, m.end), terminators) for cue, span in hedges):
                found.add(m.name)
    return found


@dataclass
class _Scan:
    """What a pass over a document has counted so far."""

    relevant_sentences: int = 0
    blocks: dict[int, corroborate.BlockFacts] = field(default_factory=dict)  # every non-empty block, by index


@dataclass
class _Inheritance:
    """What list items and table rows inherit from the blocks before them: the state
    machine behind "We will:" lead-ins, action-plan tables and headings' signals.

    - a list item inherits a commitment from a lead-in line that ends with ":" and has one
      ("We will:"), or from a commitment section ("Action plan", "What we will do"), and the
      partner words of a lead-in line ("The partnership includes:");
    - a table row inherits one when its table's header names actions, owners or dates, when
      it sits in a commitment section, or when two or more of its cells are prose;
    - list items and rows also read the near and signal labels of the heading above them, rows those
      of a lead-in line right above their table ("Its members are:"), and the rows of an indicator
      table ("Indicator | Baseline | Target", or a first column titled "Indicator") its header's measure;
    - list items are reached by the cues of their lead-in line that say so (``lead_in``: "This plan
      should be read alongside:" over a list of strategies by title).
    """

    commitment_sections: tuple[str, ...]
    list_cues: frozenset[int] = frozenset()  # the cues that reach the items of the list their line introduces
    lead_in_cues: tuple[tuple[int, str], ...] = ()  # such cues on the lead-in line: (cue index, its words)
    lead_in_commitment: bool = False
    lead_in_near: frozenset[str] = frozenset()  # partner and hit labels of a lead-in line ("Partners include:")
    lead_in_text: str = ""  # the lead-in's last sentence, quoted before an item that only ends it
    action_table: bool = False  # inside a table whose header row names actions, owners or dates
    header_row: bool = False  # the block entered is the header row of a table ("Indicator | Baseline | Target")
    indicator_table: bool = False  # the header row's first column is titled for indicators ("Indicator | Local | England")
    table_lead_near: frozenset[str] = frozenset()  # partner labels of a lead-in line right above the table ("Its members are:")
    listing_table: bool = False  # in a risk register or a consultation schedule: risks and comments named, not actions
    source_table: bool = False  # inside a table listing sources ("Source | What it tells us | Latest year"): references
    # inside a table of indicators ("Indicator | Ashworth | England | Source"): its rows are measures and figures, not actions
    figures_table: bool = False
    header_labels: frozenset[str] = frozenset()  # the measure label of the current table's header row, if it names one
    previous_kind: BlockKind | None = None
    heading_labels: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    commitment_section_of: dict[tuple[str, ...], bool] = field(default_factory=dict)  # asked twice a block

    def enter(self, block: Block) -> bool:
        """Called for every non-empty block, parsed or not, in reading order: whether the
        block sits under a commitment heading or in an action table."""
        starts_table = block.kind is BlockKind.TABLE_ROW and self.previous_kind is not BlockKind.TABLE_ROW
        if starts_table:
            self.listing_table = _short_titles(block.text) and (  # (or a schedule: "No. | Respondent | Comment | Response")
                (_RISK_HEADER.search(block.text) is not None and _RISK_MEASURE.search(block.text) is not None)
                or (_CONSULTED_HEADER.search(block.text) is not None and _RESPONSE_HEADER.search(block.text) is not None)
            )
            self.action_table = not self.listing_table and (
                is_action_table_header(block.text) or _owner_column_header(block.text)
            )
            self.source_table = _SOURCE_HEADER.match(block.text) is not None
            self.figures_table = _INDICATOR_HEADER.match(block.text) is not None and not self.action_table
            self.table_lead_near = frozenset(lab for lab in self.lead_in_near if lab.startswith(Role.NEAR + "|"))
        elif block.kind is not BlockKind.TABLE_ROW:
            self.table_lead_near = frozenset()
        if block.kind is not BlockKind.TABLE_ROW or starts_table:
            self.header_labels = frozenset()
        self.indicator_table = starts_table and _INDICATOR_HEADER.match(block.text) is not None
        self.header_row = starts_table and (self.indicator_table or is_table_header(block.text.replace("|", " ")))
        self.previous_kind = block.kind
        return self.in_commitment_section(block) or (block.kind is BlockKind.TABLE_ROW and self.action_table)

    def in_commitment_section(self, block: Block) -> bool:
        known = self.commitment_section_of.get(block.section)
        if known is None:
            section_text = " ".join(block.section).lower()
            known = self.commitment_section_of[block.section] = any(s in section_text for s in self.commitment_sections)
        return known

    def skip(self, block: Block) -> None:
        """A block that was not parsed ends a lead-in, unless it is one of the list items."""
        if block.kind is not BlockKind.LIST_ITEM:
            self.lead_in_commitment = False
            self.lead_in_near = frozenset()
            self.lead_in_text = ""
            self.lead_in_cues = ()

    def read(self, block: Block, matches: list[Match], last_sentence: int = 0, doc: Any = None) -> tuple[bool, frozenset[str]]:
        """Whether a parsed block inherits a commitment, and the heading labels it reads
        (``last_sentence``: the token where the block's last sentence starts; ``doc``: the block's
        parse, to quote the cues a lead-in line lends its items)."""
        if block.kind is BlockKind.HEADING:
            self.heading_labels[block.section] = frozenset(m.label for m in matches if m.role in (Role.NEAR, Role.SIGNAL))
        listed = block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW) or _run_in_list(block)
        labels = self.heading_labels.get(block.section, frozenset()) if listed else frozenset()
        if self.header_row:  # an indicator table's rows are measures: its header names them ("Indicator | Target")
            # (only the measure: "Lead" over a column says nothing of a row whose lead cell is empty)
            self.header_labels = frozenset(m.label for m in matches if m.role == Role.SIGNAL and m.name == "measure")
            if self.indicator_table:  # and its first column's title stands beside each row's indicator
                self.header_labels |= frozenset(m.label for m in matches if m.role == Role.NEAR)
        elif block.kind is BlockKind.TABLE_ROW:  # and a table under "Its members are:" is a list of members
            labels = labels | self.header_labels | self.table_lead_near
        if block.kind is BlockKind.LIST_ITEM:  # "The partnership includes:" lends its partner words to the items
            labels = labels | self.lead_in_near
        in_commit_section = self.in_commitment_section(block)
        if block.kind is BlockKind.LIST_ITEM:
            inherited = in_commit_section or self.lead_in_commitment
        elif block.kind is BlockKind.TABLE_ROW:
            inherited = (
                in_commit_section
                or self.action_table
                or (_prose_cells(block.text) >= 2 and not self.source_table and not self.listing_table and not self.figures_table)
            )
        else:
            inherited = False
        if block.kind is not BlockKind.LIST_ITEM:
            lead_in = block.text.rstrip().endswith(":")
            self.lead_in_commitment = lead_in and any(m.role == Role.SIGNAL and m.name == COMMITMENT_SIGNAL for m in matches)
            self.lead_in_near = _lead_in_labels(matches, last_sentence) if lead_in else frozenset()
            self.lead_in_text = _SENTENCE_BREAK.split(" ".join(block.text.split()))[-1] if lead_in else ""
            self.lead_in_cues = tuple(  # (from its last sentence, the one the list ends, as _lead_in_labels reads)
                (int(m.name), doc[m.start : m.end].text)
                for m in matches
                if lead_in
                and doc is not None
                and m.role == Role.CUE
                and m.start >= last_sentence
                and int(m.name) in self.list_cues
            )
        return inherited, labels

    def lends_hits(self, block: Block) -> bool:
        """Whether the block is a list item whose lead-in lends it rule hits (partner words in the
        item stand as the lead-in's hit, assure.pipeline.SentenceMatches.read)."""
        return block.kind is BlockKind.LIST_ITEM and any(lab.startswith(Role.HIT + "|") for lab in self.lead_in_near)

    def section_labels(self, block: Block) -> frozenset[str]:
        """Near and signal labels of the heading of the block's section."""
        return self.heading_labels.get(block.section, frozenset())


_RUN_IN_ITEMS = 3  # "NHS Coldharbour ICB; the five district councils; housing associations; Healthwatch."
_RUN_IN_ITEM_WORDS = 12


def _run_in_list(block: Block) -> bool:
    """A paragraph that is a list set in one line, its short items parted by semicolons: like the
    items of a bulleted list, it reads the labels of the heading above it ("Our partners")."""
    if block.kind is not BlockKind.PARAGRAPH or block.text.count(";") < _RUN_IN_ITEMS - 1:
        return False
    return all(len(item.split()) <= _RUN_IN_ITEM_WORDS for item in block.text.split(";"))


def _lead_in_labels(matches: list[Match], last_sentence: int) -> frozenset[str]:
    """What a lead-in line lends its list items: its partner words ("The partnership includes:")
    and, from the sentence that opens the list, the hits of its words that are no false friend
    ("The Integrated Discharge Team includes:" makes "- a housing options officer from each
    district council" housing in discharge)."""
    friends = [(m.start, m.end) for m in matches if m.role == Role.EXCLUSION]
    own = {(m.name, m.start, m.end) for m in matches if m.role == Role.RULE_EXCLUDE}
    return frozenset(
        m.label
        for m in matches
        if m.role == Role.NEAR
        or (
            m.role == Role.HIT
            and m.start >= last_sentence
            and not any(overlaps((m.start, m.end), f) for f in friends)
            and not any(name == m.name and overlaps((m.start, m.end), (s, e)) for name, s, e in own)
        )
    )


# a sentence whose cue reaches back is short, or opens by pointing back ("This was considered but not taken forward.")
_REACH_BACK_MAX_TOKENS = 16
_TINY_SENTENCE_TOKENS = 3  # "Noted." between a comment and "No change." is passed over


# a sentence that opens by naming again what the sentence before it proposed: "The proposal was not supported by
# Cabinet ...", "The scheme was withdrawn in 2024", "That change has been deferred to the 2027 review"
_DEFINITE = frozenset(["the", "that", "this", "these", "those"])
_PROPOSED_THINGS = frozenset(
    "proposal proposals scheme schemes option options change changes pilot bid recommendation recommendations idea project"
    " programme post policy allocation amendment modification".split()
)
_DEMONSTRATIVES = frozenset(["these", "those", "this", "that"])
# what a meeting or a consultation raised, named again in general words
_RAISED_THINGS = frozenset(
    # (not "point" or "matter": "at this point", "no matter")
    "topic topics issue issues item items suggestion suggestions request requests proposal proposals idea ideas"
    " addition additions".split()
)


def _names_back(doc: Any, start: int, end: int) -> bool:
    """Whether a sentence opens with a definite name for something proposed ("The proposal ..."), or
    names what the sentence before it raised with a demonstrative and a general noun anywhere in it
    ("After discussion, the Steering Group decided not to add these topics")."""
    if end - start > 1 and doc[start].lower_ in _DEFINITE and doc[start + 1].lower_ in _PROPOSED_THINGS:
        return True
    return any(doc[i].lower_ in _DEMONSTRATIVES and doc[i + 1].lower_ in _RAISED_THINGS for i in range(start, end - 1))


def _commits(matches: list[Match], sentence: tuple[int, int]) -> bool:
    """Whether the sentence carries the commitment signal."""
    return any(m.role == Role.SIGNAL and m.name == COMMITMENT_SIGNAL and sentence[0] <= m.start < sentence[1] for m in matches)


def _repeats_topic(matches: list[Match], before: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """Whether ``sentence`` holds a hit of a question that the sentence ``before`` it holds a hit of too,
    and ``before`` commits to nothing (a cue after a commitment does not undo it)."""
    if _commits(matches, before):
        return False
    asked_before: set[str] = set()
    asked_now: set[str] = set()
    for m in matches:
        if m.role == Role.HIT:
            question = m.name.split(".", 1)[0]
            if before[0] <= m.start and m.end <= before[1]:
                asked_before.add(question)
            elif sentence[0] <= m.start and m.end <= sentence[1]:
                asked_now.add(question)
    return not asked_before.isdisjoint(asked_now)


def _cues_reaching_back(
    doc: Any, spans: list[tuple[int, int]], matches: list[Match], cues: tuple[ContextCue, ...]
) -> dict[int, tuple[tuple[int, int, int], ...]]:
    """For each sentence of a block, the cues of a later sentence that reach back into it
    (``previous_sentence`` cues): "Option C: a warm home prescription. This was considered but
    not taken forward." voids the option; "... | Noted. No change." voids the comment. A long
    sentence that names the topic of the one before it again reaches back only to void it
    ("Homelessness is linked to TB. Homelessness is covered by the district councils' strategies
    and is not addressed here"); a void goes on back through the sentences keeping to its topic; an
    out-of-scope note reaches a commitment only when it opens by pointing back at it ("They are outside the
    scope of this strategy"), not otherwise ("We will insulate 200 homes. Private rented homes are out of scope.")."""
    pseudo = [(m.start, m.end) for m in matches if m.role == Role.PSEUDO]
    found: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for index, (start, end) in enumerate(spans):
        if index == 0:
            continue
        own = [
            (int(m.name), m.start, m.end)
            for m in matches
            if m.role == Role.CUE
            and start <= m.start
            and m.end <= end
            and cues[int(m.name)].previous_sentence
            and not any(overlaps((m.start, m.end), p) for p in pseudo)
        ]
        if not own:
            continue
        before = spans[index - 1]
        opens_with_anaphor = doc[start].lower_ in ANAPHORS
        if _commits(matches, before) and not opens_with_anaphor:
            # (unless it names what it puts out of scope: "X are delivered through the county's plan. They are
            # outside the scope of this strategy.")
            own = [c for c in own if cues[c[0]].category != "out_of_scope"]
        points_back = opens_with_anaphor or _names_back(doc, start, end)
        topical = not (end - start <= _REACH_BACK_MAX_TOKENS or points_back)
        if topical:
            if not _repeats_topic(matches, before, (start, end)):
                continue
            own = [c for c in own if cues[c[0]].effect == "void"]
        if not own:
            continue
        back = index - 1
        found[back].extend(own)
        while back > 0 and spans[back][1] - spans[back][0] <= _TINY_SENTENCE_TOKENS:
            back -= 1
            found[back].extend(own)
        # a void goes on back through the sentences keeping to its topic ("Poor housing also contributes. Cold,
        # damp homes make asthma worse. Housing conditions fall outside the scope of this strategy.")
        voids = [c for c in own if cues[c[0]].effect == "void"]
        while voids and back > 0 and _repeats_topic(matches, spans[back - 1], spans[back]):
            back -= 1
            found[back].extend(voids)
    return {i: tuple(c) for i, c in found.items()}


# the words that make a rule's hit one about the home (not "safeguarding" or "training" alone)
_HOME_LEMMAS = frozenset(
    "home house housing accommodation dwelling tenancy tenant landlord homeless homelessness hostel flat".split()
)


def _links_home_and_health(doc: Any, matches: list[Match]) -> bool:
    """Whether a sentence with a health word also holds a rule's words about the home beside it, not a
    false friend ("Decent, affordable homes are vital to the health and wellbeing of our residents"):
    such a sentence is the link the relevance screen looks for (checklist A5), and counts as two."""
    health = [(m.start, m.end) for m in matches if m.role == Role.RELEVANCE]
    friends = [(m.start, m.end) for m in matches if m.role in (Role.EXCLUSION, Role.RULE_EXCLUDE)]
    return any(
        m.role == Role.HIT
        and any(doc[i].lemma_.lower() in _HOME_LEMMAS for i in range(m.start, m.end))
        and not any(overlaps((m.start, m.end), span) for span in health)
        and not any(overlaps((m.start, m.end), span) for span in friends)
        for m in matches
    )


# where a health word shows the document's link to health: its text, and the tables, charts
# and notes it prints (a health duty in a misread framework table), not its cover, contents,
# glossary, references or running headers
_LINK_PLACES = frozenset({Place.BODY, Place.FIGURE, Place.CAPTION, Place.FOOTNOTE})


class Evaluator:
    """Runs the compiled rules over documents."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.compiled = compile_rules(ruleset)

    # -- sentences -------------------------------------------------------------------
    def _sentences(self, document: Document, scan: _Scan) -> Iterator[Sentence]:
        """Sentences in reading order, one block at a time, so each parsed Doc can be
        dropped as soon as its evidence is taken (memory stays flat on long documents)."""
        # Long: one pass yields each sentence with all it inherits (lead-in, table header, heading, the
        # sentence before); split up, the inheritance state would have to travel between the parts.
        comp = self.compiled
        blocks = [b for b in document.blocks if b.text.strip()]
        inheritance = _Inheritance(
            self.ruleset.commitment_sections, frozenset(c.index for c in self.ruleset.context.cues if c.lead_in)
        )
        # Token patterns are matched in full only where their labels are read beyond a hit's own
        # sentence (headings, lead-in lines) or could themselves be hits or relevance terms.
        exact = not MATCH_NEAR_HITS_ONLY or comp.unanchored_patterns
        lendable = frozenset(dict(self.ruleset.scoring.signal_groups).get("specific", ()))
        for block in blocks:
            commitment_section = inheritance.enter(block)
            scan.blocks[block.index] = corroborate.BlockFacts(
                block.index,
                block.page,
                block.section,
                block.kind.value,
                commitment_section,
                _block_quote(block.text),
                block.place is Place.BODY,
            )
            if not inheritance.header_row and not self._worth_parsing(block, scan, inheritance.lends_hits(block)):
                inheritance.skip(block)
                continue
            doc = comp.parse(block.text)
            spans = [(s.start, s.end) for s in doc.sents] if block.kind is not BlockKind.TABLE_ROW else [(0, len(doc))]
            full = (
                exact
                or block.kind is BlockKind.HEADING
                or (block.kind is not BlockKind.LIST_ITEM and block.text.rstrip().endswith(":"))
            )
            matches = comp.matches(doc, None if full else spans, block.text)
            block_signals = frozenset(m.name for m in matches if m.role == Role.SIGNAL)
            inherited, inherited_labels = inheritance.read(block, matches, spans[-1][0] if spans else 0, doc)
            lead_in_cues = inheritance.lead_in_cues if block.kind is BlockKind.LIST_ITEM else ()
            section_labels = inheritance.section_labels(block)
            previous: tuple[int, int] | None = None
            reaching = _cues_reaching_back(doc, spans, matches, self.ruleset.context.cues)
            for index, (start, end) in enumerate(spans):
                sent_matches = [m for m in matches if m.start >= start and m.end <= end]
                antecedent: frozenset[str] = frozenset()
                if previous is not None and doc[start].lower_ in ANAPHORS:
                    antecedent = lendable & frozenset(
                        m.name for m in matches if m.role == Role.SIGNAL and m.start >= previous[0] and m.end <= previous[1]
                    )
                previous = (start, end)
                if block.place in _LINK_PLACES and any(m.role == Role.RELEVANCE for m in sent_matches):
                    scan.relevant_sentences += 2 if _links_home_and_health(doc, sent_matches) else 1
                yield Sentence(
                    block,
                    span_text(doc, block.text, start, end),
                    start,
                    end,
                    sent_matches,
                    doc,
                    inherited,
                    inherited_labels,
                    block_signals,
                    antecedent,
                    section_labels,
                    inheritance.lead_in_text if block.kind is BlockKind.LIST_ITEM else "",
                    inheritance.header_row,
                    reaching.get(index, ()),
                    lead_in_cues,
                )

    def _worth_parsing(self, block: Block, scan: _Scan, lent_hits: bool = False) -> bool:
        """Parse a block only if a rule could hit in it, the relevance count still matters,
        or its labels are read by the blocks after it (headings, lead-in lines). A block with
        a rule's key word but none of its phrases whole cannot hit (CompiledRules.may_hit),
        unless a lead-in lends it hits (``lent_hits``: its partner words may stand as one).
        Parsed or not, a block with no hit gives no evidence and leaves the lead-in and table
        state as it was; the relevance count is read only while below its minimum, and every
        block that can raise it is parsed until then."""
        comp = self.compiled
        if comp.hit_words is None or comp.relevance_words is None:
            return True
        if block.kind is BlockKind.HEADING or block.text.rstrip().endswith(":"):
            return True
        words = words_of(block.text)
        if not words.isdisjoint(comp.hit_words) and (lent_hits or comp.may_hit(words, block.text)):
            return True
        return scan.relevant_sentences < comp.relevance_min and not words.isdisjoint(comp.relevance_words)

    # -- evidence --------------------------------------------------------------------
    def _evidence(self, sentence: Sentence) -> list[Evidence]:
        """The best evidence per rule in one sentence: each hit that its rule kind accepts
        is decided by the pipeline (assure.pipeline.STEPS)."""
        comp = self.compiled
        if not _may_hold_hits(sentence):
            return []
        matches = SentenceMatches.read(sentence, self.ruleset.context.cues, COMMITMENT_SIGNAL)
        if not matches.hits:
            return []
        block = sentence.block
        kind_weight = self.ruleset.place_weights.get(block.kind.value, 1.0)
        place_weight = self.ruleset.place_weights.get(block.place.value, 1.0) if block.place is not Place.BODY else 1.0
        best: dict[str, Evidence] = {}
        doc = sentence.doc
        for rule_id, hs, he in matches.hits:
            rule = comp.rules[rule_id]
            span = (hs, he)
            if not RULE_KINDS[rule.kind].match(rule, span, matches):
                continue
            decision = decide(Hit(rule, span, sentence, matches, self.ruleset))
            ev = Evidence(
                quote=_quote(sentence, span),
                page=block.page,
                section=_section_label(block),
                rule=rule_id,
                strength=decision.strength,
                context=decision.context,
                cue=decision.cue,
                counted=decision.counted,
                place=block.place.value,
                block=block.index,
                matched=doc[hs:he].text,
                kind=block.kind.value,
                signals=decision.signals,
                step=decision.step,
                reason=decision.reason,
                ocr=block.ocr,
            )
            ev_weight = rule.weight * kind_weight * place_weight
            prev = best.get(rule_id)
            if prev is None or _rank(ev, ev_weight) > _rank(prev, ev_weight):
                best[rule_id] = ev
        return list(best.values())

    # -- verdicts --------------------------------------------------------------------
    def evaluate(self, document: Document, *, screen: bool = True) -> DocumentResult:
        unreadable = tuple(document.unreadable_pages)
        total_pages = document.pages or 0
        readable_share = 1.0 - (len(unreadable) / total_pages) if total_pages else (1.0 if document.blocks else 0.0)
        if not document.blocks or readable_share == 0:
            questions = tuple(self._unassessable(q.id) for q in self.ruleset.questions)
            return DocumentResult(
                document.path,
                document.format,
                document.pages,
                DocStatus.OK,
                None,
                questions,
                unreadable_pages=unreadable,
                words=document.word_count,
            )
        per_question: dict[str, list[Evidence]] = defaultdict(list)
        scan = _Scan()
        for s in self._sentences(document, scan):
            for ev in self._evidence(s):
                per_question[self.compiled.rules[ev.rule].question].append(ev)
        if screen and scan.relevant_sentences < self.compiled.relevance_min:
            return DocumentResult(
                document.path,
                document.format,
                document.pages,
                DocStatus.NOT_APPLICABLE,
                None,
                (),
                unreadable_pages=unreadable,
                words=document.word_count,
                health_sentences=(scan.relevant_sentences, self.compiled.relevance_min),
            )
        results = []
        combined = self._combined(document, scan, per_question)
        for q in self.ruleset.questions:
            result = self._verdict(q.id, combined[q.id])
            if readable_share < 0.5 and result.status is not Status.MET:
                result = replace(
                    result,
                    status=Status.UNASSESSABLE,
                    score=0,
                    finding=f"{len(unreadable)} of {total_pages} pages could not be read; no verdict",
                )
            results.append(result)
        results = _confidence.review_gaps(results, self.ruleset.confidence)
        if unreadable and readable_share >= 0.5:
            results = self._unread_sections_unassessable(document, results)
        scored = [r.score for r in results if r.status is not Status.UNASSESSABLE]
        score = round(sum(scored) / len(scored)) if scored else None
        return DocumentResult(
            document.path,
            document.format,
            document.pages,
            DocStatus.OK,
            score,
            tuple(results),
            unreadable_pages=unreadable,
            words=document.word_count,
        )

    def _combined(self, document: Document, scan: _Scan, per_question: dict[str, list[Evidence]]) -> dict[str, list[Evidence]]:
        """Each question's evidence after the document-level steps: within a section, then across questions."""
        combine = self._combiner(document, scan)
        combined = {q.id: combine(q.id, per_question.get(q.id, [])) for q in self.ruleset.questions}
        for spec in self.ruleset.corroboration.across:  # a topic here, its action under another question
            if spec.question in combined:
                combined[spec.question] = corroborate.combine_across(combined[spec.question], spec, combined, scan.blocks)
        return combined

    def _combiner(self, document: Document, scan: _Scan) -> Callable[[str, list[Evidence]], list[Evidence]]:
        """The document-level steps (assure.corroborate) bound to this document: headings need
        support, and a plain hit may be completed by a neighbouring block of its section."""
        comp = self.compiled
        settings = self.ruleset.corroboration
        by_index = {b.index: b for b in document.blocks}
        full_signals: dict[int, frozenset[str]] = {}
        cues = self.ruleset.context.cues

        def signals_of(index: int) -> frozenset[str]:
            if index not in full_signals:
                doc = comp.parse(by_index[index].text)
                found = _unhedged_signals(comp.matches(doc, None), [(s.start, s.end) for s in doc.sents], cues)
                if scan.blocks[index].commitment_section:
                    found.add(COMMITMENT_SIGNAL)
                full_signals[index] = frozenset(found)
            return full_signals[index]

        def met_when_of(rule_id: str) -> tuple[tuple[str, ...], ...] | None:
            rule = comp.rules[rule_id]
            if rule.max_strength != "met":
                return None
            return rule.met_when or self.ruleset.scoring.default_met_when

        def combine(qid: str, evidence: list[Evidence]) -> list[Evidence]:
            evidence = corroborate.complete_in_section(evidence, qid, scan.blocks, settings, met_when_of, signals_of)
            return corroborate.support_headings(evidence, scan.blocks, settings, lambda i: by_index[i].text)

        return combine

    def is_key_section(self, title: str) -> bool:
        """Is this section title about homes or housing (rules.yaml ``key_sections:``)?"""
        comp = self.compiled
        return any(m.role == Role.KEY_SECTION for m in comp.matches(comp.nlp(title)))

    def _unread_sections_unassessable(self, document: Document, results: list[QuestionResult]) -> list[QuestionResult]:
        """A gap is no verdict when a housing section of the plan sits on pages that could not
        be read (assure.unread): the evidence may be there."""
        if self.ruleset.key_sections is None or not any(r.status is Status.GAP for r in results):
            return results
        sections = unread_key_sections(document, self.is_key_section)
        if not sections:
            return results
        why = f"{sections[0].describe()}; no verdict" + (
            f" (and {len(sections) - 1} more section(s))" if len(sections) > 1 else ""
        )
        return [replace(r, status=Status.UNASSESSABLE, score=0, finding=why) if r.status is Status.GAP else r for r in results]

    def _unassessable(self, qid: str) -> QuestionResult:
        q = self.ruleset.question(qid)
        return QuestionResult(q.id, q.title, Status.UNASSESSABLE, 0, (), q.add, "the text could not be extracted; no verdict")

    def _verdict(self, qid: str, evidence: list[Evidence]) -> QuestionResult:
        """A question's verdict, score and finding from its evidence (bands: rules.yaml ``scoring:``)."""
        q = self.ruleset.question(qid)
        scoring = self.ruleset.scoring
        ordered = sorted(
            evidence,
            key=lambda e: (
                not e.counted,
                -_strength_rank(e.strength),
                e.kind == "heading",
                -self._quote_weight(e),
                e.block,
                e.rule,
            ),
        )
        counted = [e for e in ordered if e.counted]
        met = [e for e in counted if e.strength == "met"]
        counted_rules = {e.rule for e in counted}
        needs = self.ruleset.settings_for(qid).met_needs
        if needs and not (needs & counted_rules):
            met = []
        elif needs and met:
            # the parts of this met sit apart (Q1: a priority in the vision, its indicator elsewhere): show both
            combined = corroborate.combine_document(counted, set(needs))
            ordered = [
                next((c for c in combined if c.block == e.block and c.rule == e.rule and c.quote == e.quote), e)
                if e.counted
                else e
                for e in ordered
            ]
            counted = [e for e in ordered if e.counted]
            met = [e for e in counted if e.strength == "met"]
        if len(met) >= scoring.met_min_hits:
            status = Status.MET
            score = scoring.met_score(len({e.rule for e in met}), len(met), len(counted))
            finding = self.compiled.rules[met[0].rule].message
        elif len(counted) >= scoring.partial_min_hits:
            status = Status.PARTIAL
            score = scoring.partial_score(len(counted_rules), len(counted))
            finding = self._partial_finding(counted, set(needs))
        else:
            status, score = Status.GAP, 0
            finding = _gap_finding(ordered)
        guidance = q.add if status is not Status.MET else ""
        level, why = _confidence.assess(status, counted, ordered, self.compiled.rules, set(needs))
        return QuestionResult(q.id, q.title, status, score, _quotable(counted), guidance, finding, tuple(ordered), level, why)

    def _partial_finding(self, counted: list[Evidence], needs: set[str]) -> str:
        best = self.compiled.rules[counted[0].rule]
        cues = sorted({_CONTEXT_WORDS.get(e.context, e.context.replace("_", " ")) for e in counted if e.context})
        if cues and all(e.context for e in counted):
            return f"{best.message} \u2014 only {' or '.join(cues)}"
        if best.max_strength != "met":
            return best.message
        alts = best.met_when or self.ruleset.scoring.default_met_when
        signals = corroborate.with_specific(counted[0].signals)
        if needs and best.id not in needs and any(all(s in signals for s in alt) for alt in alts):
            # the hit would meet on its own, but the question needs another part (Q1: the home in the vision)
            return f"{best.message} \u2014 but no {self.compiled.rules[sorted(needs)[0]].message}"
        return f"{best.message} \u2014 {_what_is_missing(signals, alts)}"

    def _weight(self, e: Evidence) -> float:
        return self.compiled.rules[e.rule].weight

    def _quote_weight(self, e: Evidence) -> float:
        """The rule's weight times its place's (rules.yaml ``places:``): of two hits as strong, a
        sentence in the body is quoted before a footnote (weight 0.5), which counts all the same."""
        place = self.ruleset.place_weights.get(e.place, 1.0) if e.place != Place.BODY.value else 1.0
        return self._weight(e) * place


# ("measure" is any figure, target or indicator: "a measure" read as a KPI where a count was meant, a new-user trial)
_SPECIFIC_WORDS = {"owner": "an owner", "money": "funding", "measure": "a figure or target", "service": "a named service"}
# what a missing signal means, for a rule whose met_when is not the default
_MISSING_WORDS = {
    "commitment": "no commitment",
    "data": "no local figures",
    "measure": "not set as a figure or target",
    "money": "no funding",
    "service": "no named service",
    "requirement": "no requirement",
    "owner": "no owner",
    "specific": "no owner, funding, measure or named service",
}
DEFAULT_MET_WHEN = (("commitment", "specific"),)


def _what_is_missing(signals: set[str], alts: tuple[tuple[str, ...], ...]) -> str:
    """Why a partial that could be met is not, from its best hit's signals: "a measure but no
    commitment" rather than "no commitment with ... a measure" when the measure is there; for a
    rule met otherwise (Q3: local figures), what its nearest way to met lacks."""
    if DEFAULT_MET_WHEN[0] not in {tuple(a) for a in alts}:
        nearest = min(alts, key=lambda alt: sum(s not in signals for s in alt))
        return " and ".join(_MISSING_WORDS.get(s, f"no {s}") for s in nearest if s not in signals) or "not enough to be met"
    have = [words for name, words in _SPECIFIC_WORDS.items() if name in signals]
    if "commitment" in signals and not have:
        return "a commitment with no owner, funding, measure or named service"
    if have and "commitment" not in signals:
        return f"{' and '.join(have)} but no commitment"
    return "no commitment with an owner, funding, measure or named service"


def _gap_finding(ordered: list[Evidence]) -> str:
    voided: dict[str, int] = defaultdict(int)
    for e in ordered:
        voided[e.context or "other"] += 1
    if not voided:
        return "no evidence found"
    parts = ", ".join(f"{_CONTEXT_WORDS.get(k, k.replace('_', ' '))} \u00d7{n}" for k, n in sorted(voided.items()))
    return f"no counted evidence; mentions set aside ({parts})"


def _quote_key(quote: str) -> str:
    """A quote as compared for repeats: letters and digits only, its first 80 of them (a summary
    repeated on later pages, cut at another place, is one quote)."""
    return " ".join(re.sub(r"[^\w]+", " ", quote.lower()).split())[:80]


def _quotable(counted: list[Evidence]) -> tuple[Evidence, ...]:
    """Up to three quotes; a heading is quoted only when no sentence was found ("Healthy homes"
    says less than any sentence under it), and a sentence is quoted once, however many rules
    fire on it or pages repeat it (an executive summary's points, repeated in each chapter)."""
    top: list[Evidence] = []
    seen: set[str] = set()
    for e in [e for e in counted if e.kind != "heading"] or counted:
        key = _quote_key(e.quote)
        if key not in seen:
            seen.add(key)
            top.append(e)
        if len(top) == 3:
            break
    return tuple(top)


def _strength_rank(strength: str) -> int:
    return {"met": 2, "partial": 1}.get(strength, 0)


def _rank(ev: Evidence, weight: float) -> tuple[int, int, float]:
    return (int(ev.counted), _strength_rank(ev.strength), weight)


def evaluate(document: Document, ruleset: RuleSet, *, screen: bool = True) -> DocumentResult:
    """Score one document; pure function of its inputs."""
    return Evaluator(ruleset).evaluate(document, screen=screen)
