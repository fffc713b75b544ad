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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

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
from assure.extract.clean import is_action_table_header
from assure.nlp import get_nlp, surface_forms
from assure.ruleset import Rule, RuleSet

DEFAULT_SCOPE = 8
SPECIFIC = ("owner", "money", "measure", "service")
DEFAULT_MET_WHEN = (("commitment", "specific"),)
DEFAULT_PLACES = {"body": 1.0, "heading": 1.5, "table_row": 1.5, "contents": 0.0, "glossary": 0.0, "references": 0.0, "running": 0.0,
                  "cover": 0.0}
QUOTE_MAX = 300
QUOTE_CONTEXT = 30  # tokens either side of the hit when a sentence is too long to quote whole
_WORD = re.compile(r"[a-z0-9]+")
# Frequent words a phrase is never keyed on when it has a rarer one ("people with dementia" -> "dementia").
_COMMON_WORDS = frozenset("""
a about all also an and any are as at be been being by can could do for from has have in into is it its more most
new no not of on or other our over own people person their them these they this those through to up we well what when
where which who will with within would year years age aged all good local work working support supporting service
services public social community communities group groups plan strategy health care live living life long term
longer better best second need needs population populations supported stay those most over more
""".split())
MATCH_NEAR_HITS_ONLY = True  # False runs every token pattern over every block (same results, ~2x slower)
LONG_SENTENCE = 70  # tokens; longer "sentences" are usually flattened tables or figures
SIGNAL_WINDOW = 20  # tokens either side of a hit in a long sentence


@dataclass(frozen=True)
class Cue:
    category: str
    effect: str  # void | weaken
    direction: str  # forward | backward | both
    scope: int
    rules: frozenset[str] | None = None  # only these rules; None: every rule


class CompiledRules:
    """Every phrase and pattern of a RuleSet compiled into spaCy matchers, once."""

    def __init__(self, ruleset: RuleSet) -> None:
        from assure.errors import ConfigError
        from assure.nlp import import_spacy

        import_spacy()  # first: a bare spaCy import would also import its command-line package
        from spacy.matcher import Matcher, PhraseMatcher

        raw = ruleset.raw
        self.ruleset = ruleset
        self.nlp = get_nlp(raw.get("lemma_overrides"))
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.rules = {r.id: r for r in ruleset.rules}
        self.block_scope_hits = {f"hit|{r.id}" for r in ruleset.rules if r.signal_scope == "block"}
        self.cues: list[Cue] = []
        self.places = {**DEFAULT_PLACES, **raw.get("places", {})}
        scoring = raw.get("scoring", {})
        self.partial_min = int(scoring.get("partial_min_hits", 1))
        self.met_min = int(scoring.get("met_min_hits", 1))
        self.relevance_min = int(raw.get("relevance", {}).get("min_sentences", 0))
        self.commitment_sections = [s.lower() for s in raw.get("commitment_sections", [])]

        def add(label: str, spec: dict[str, Any], where: str, terms_key: str = "terms") -> None:
            terms = spec.get(terms_key) or []
            if terms:
                self.lower.add(label, [self.nlp.make_doc(t) for t in terms])
            if spec.get("lemmas"):
                self.lemma.add(label, list(self.nlp.pipe(spec["lemmas"])))
            if spec.get("patterns"):
                patterns = [list(p) for p in spec["patterns"]]
                for j, pattern in enumerate(patterns):  # one at a time, so the error can name the bad one
                    try:
                        Matcher(self.nlp.vocab, validate=True).add("check", [pattern])
                    except Exception as exc:  # noqa: BLE001 - spaCy raises ValueError/MatchPatternError
                        detail = " ".join(line.strip() for line in str(exc).splitlines()[1:] if line.strip()) or str(exc)
                        raise ConfigError(f"{where}.patterns[{j}]: invalid spaCy pattern: {detail[:300]}",
                                          path=ruleset.rules_path) from None
                self.matcher.add(label, patterns)

        for rule in ruleset.rules:
            add(f"hit|{rule.id}", {"terms": rule.terms, "lemmas": rule.lemmas, "patterns": rule.patterns}, f"rule {rule.id}")
            if rule.near:
                add(f"near|{rule.id}", rule.near, f"rule {rule.id}.near")
            if rule.exclude:
                add(f"rx|{rule.id}", {"terms": rule.exclude}, f"rule {rule.id}.exclude")
        for exc in raw.get("exclusions", []):
            add(f"xg|{exc['id']}", exc, f"exclusion {exc['id']}")
        for name, spec in raw.get("signals", {}).items():
            add(f"sig|{name}", spec, f"signal {name}")
        context = raw.get("context", {})
        for i, cue in enumerate(context.get("cues", [])):
            self.cues.append(Cue(cue["category"], cue["effect"], cue["direction"], int(cue.get("scope", DEFAULT_SCOPE)),
                                 frozenset(cue["rules"]) if cue.get("rules") else None))
            add(f"cue|{i}", cue, f"context.cues[{i}]")
            if cue.get("terminators"):
                add(f"cterm|{i}", {"terms": cue["terminators"]}, f"context.cues[{i}].terminators")
        if context.get("pseudo"):
            add("pseudo|", {"terms": context["pseudo"]}, "context.pseudo")
        if context.get("terminators"):
            add("term|", {"terms": context["terminators"]}, "context.terminators")
        if raw.get("relevance"):
            add("rel|", raw["relevance"], "relevance")
        self.strings = self.nlp.vocab.strings
        # Words that must appear in a block for any rule hit (or relevance term) to be possible:
        # blocks with none of them are never parsed. None when token patterns make that unknowable.
        overrides = raw.get("lemma_overrides")
        has_patterns = any(r.patterns for r in ruleset.rules) or bool(raw.get("relevance", {}).get("patterns"))
        self.hit_words: frozenset[str] | None = None if has_patterns else frozenset(
            w for r in ruleset.rules for w in self._key_words(r.terms, r.lemmas, overrides))
        relevance = raw.get("relevance", {})
        self.relevance_words: frozenset[str] | None = None if has_patterns else frozenset(
            self._key_words(relevance.get("terms", ()), relevance.get("lemmas", ()), overrides))

    def _key_words(self, terms: Any, lemmas: Any, overrides: dict[str, str] | None) -> set[str]:
        """For each phrase, the words of its most distinctive token: one of them must occur."""
        words: set[str] = set()
        for phrase, by_lemma in [(t, False) for t in terms] + [(t, True) for t in lemmas]:
            tokens = [t.lower_ for t in self.nlp.make_doc(phrase)]
            best = max(tokens, key=lambda t: (t not in _COMMON_WORDS, max((len(c) for c in _WORD.findall(t)), default=0)))
            chunk = max(_WORD.findall(best) or [best], key=len)
            if by_lemma:
                lemma = self.nlp(best)[0].lemma_ if best else best
                words.update(max(_WORD.findall(form) or [form], key=len) for form in surface_forms(lemma, overrides) | {best})
            else:
                words.add(chunk)
        return words

    def matches(self, doc: Any, spans: list[tuple[int, int]] | None = None) -> list[tuple[str, int, int]]:
        """Every match in ``doc``. With ``spans`` (its sentences), the token Matcher, whose IN and
        REGEX predicates cost most of the run time, reads only the spans holding a phrase-matched
        rule hit: signals, cues and exclusions matter only beside a hit (see Evaluator._sentences)."""
        found = set()
        for matcher in (self.lower, self.lemma) if spans is not None else (self.lower, self.lemma, self.matcher):
            for match_id, start, end in matcher(doc):
                found.add((self.strings[match_id], start, end))
        if spans is not None:
            hits = [(s, e) for label, s, e in found if label.startswith("hit|")]
            if any(label in self.block_scope_hits for label, _, _ in found):
                spans = [(0, len(doc))]  # a rule reads signals from the whole block
            for start, end in spans:
                if any(s >= start and e <= end for s, e in hits):
                    for match_id, s, e in self.matcher(doc[start:end]):
                        found.add((self.strings[match_id], start + s, start + e))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))


_COMPILED: dict[str, CompiledRules] = {}


def _compiled_key(ruleset: RuleSet) -> str:
    return ruleset.fingerprint + "|" + ",".join(r.id for r in ruleset.rules)


def is_compiled(ruleset: RuleSet) -> bool:
    """Whether this process has already compiled ``ruleset`` (so using it costs nothing)."""
    return _compiled_key(ruleset) in _COMPILED


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Compiled matchers, cached per process by the rules' fingerprint and selection."""
    key = _compiled_key(ruleset)
    if key not in _COMPILED:
        _COMPILED[key] = CompiledRules(ruleset)
    return _COMPILED[key]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class _Sentence:
    block: Block
    text: str
    start: int
    end: int
    matches: list[tuple[str, int, int]]
    doc: Any
    inherited_commitment: bool
    heading_labels: frozenset[str] = frozenset()  # near and signal labels of the heading above a list item or table row
    block_signals: frozenset[str] = frozenset()  # signals anywhere in the block (for rules with signal_scope: block)


@dataclass
class _Scan:
    """What a pass over a document has counted so far."""

    relevant_sentences: int = 0


def _in_scope(cue: Cue, cue_span: tuple[int, int], hit: tuple[int, int], terminators: list[int]) -> bool:
    cs, ce = cue_span
    hs, he = hit
    if _overlaps(cue_span, hit):
        return True
    if cue.direction in ("forward", "both") and hs >= ce and hs - ce <= cue.scope:
        if not any(ce <= t < hs for t in terminators):
            return True
    if cue.direction in ("backward", "both") and he <= cs and cs - he <= cue.scope:
        if not any(he <= t < cs for t in terminators):
            return True
    return False


def _signals_near(sig_spans: list[tuple[str, int, int]], hit: tuple[int, int], sentence_length: int) -> set[str]:
    """Signals in the sentence; in a run-on "sentence" (a flattened table or figure), only
    those within a short window of the hit, so one row's owner never lends itself to another."""
    if sentence_length <= LONG_SENTENCE:
        return {name for name, _, _ in sig_spans}
    hs, he = hit
    return {name for name, s, e in sig_spans if s < he + SIGNAL_WINDOW and e > hs - SIGNAL_WINDOW}


# Words that glue prose together; chart labels, organogram boxes and word clouds run to a
# dozen words or more with almost none of them and no punctuation between.
_FUNCTION_WORDS = frozenset(
    "a an the of to in for on at by with from into through about as and or but nor so than that which who whose "
    "this these those it its they their them we our us you your he she his her is are was were be been being "
    "has have had do does did will would can could should may might must shall not no".split())
# punctuation and bullet glyphs that make a run of names a list rather than a jumble of labels
_SEPARATORS = frozenset([",", ";", ".", "|", ":", "(", ")", "\u2013", "\u2014", "\u2022", "\u00bb", "\u25aa", "\u25cf",
                         "\u25a0", "\u25e6", "\u27a2", "\u25ba"])
# how a finding names the context that kept every hit at partial ("... - only table figures")
_CONTEXT_WORDS = {"figures": "table figures", "locative": "where people live"}
SHAPE_WINDOW = 12  # tokens either side of a hit read to tell prose from figures or labels


def _text_shape(doc: Any, span: tuple[int, int], start: int, end: int) -> str | None:
    """``"figures"`` when the words around a hit are mostly numbers (a data-table row or a
    chart's axis read as a line), ``"labels"`` when they are a long run of words with no
    grammar and no punctuation (a word cloud, diagram boxes), else None (prose)."""
    numeric = alpha = glue = separators = 0
    for token in doc[max(start, span[0] - SHAPE_WINDOW):min(end, span[1] + SHAPE_WINDOW)]:
        word = token.text  # one attribute read per token: this runs for every hit
        if word in _SEPARATORS:
            separators += 1
        elif word.isalpha():
            alpha += 1
            glue += word.lower() in _FUNCTION_WORDS
        elif word in ("%", "+") or any(c.isdigit() for c in word):
            numeric += 1
    if numeric >= 5 and numeric >= 0.4 * (numeric + alpha):
        return "figures"
    if alpha >= 15 and separators <= 1 and glue < 0.15 * alpha:
        return "labels"
    return None


def _prose_cells(row: str) -> int:
    """Cells of a table row holding words rather than figures: a plan table's rows say what
    will be done ("Insulate 300 homes | Head of Housing | March 2025"); a data table's rows
    are mostly numbers and commit to nothing."""
    cells = row.split(" | ")
    if len(cells) < 3:
        return 0
    return sum(1 for c in cells if len(re.findall(r"[A-Za-z]{2,}", c)) >= 3)


def _section_label(block: Block) -> str | None:
    return " > ".join(block.section[-2:]) if block.section else None


def _quote(sentence: _Sentence, hit: tuple[int, int]) -> str:
    """The sentence, or for a long one the stretch around the hit, so the quote always
    shows the words that matched."""
    text = " ".join(sentence.text.split())
    if len(text) <= QUOTE_MAX:
        return text
    doc = sentence.doc
    start = max(sentence.start, hit[0] - QUOTE_CONTEXT)
    end = min(sentence.end, hit[1] + QUOTE_CONTEXT)
    while end > hit[1] and len(doc[start:end].text) > QUOTE_MAX:
        start, end = (start + 1, end) if hit[0] - start > end - hit[1] else (start, end - 1)
    body = " ".join(doc[start:end].text.split())
    return ("\u2026" if start > sentence.start else "") + body + ("\u2026" if end < sentence.end else "")


class Evaluator:
    """Runs the compiled rules over documents."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.compiled = compile_rules(ruleset)

    # -- sentences -------------------------------------------------------------------
    def _sentences(self, document: Document, scan: _Scan) -> Iterator[_Sentence]:
        """Sentences in reading order, one block at a time, so each parsed Doc can be
        dropped as soon as its evidence is taken (memory stays flat on long documents)."""
        comp = self.compiled
        blocks = [b for b in document.blocks if b.text.strip()]
        lead_in_commitment = False
        heading_labels: dict[tuple[str, ...], frozenset[str]] = {}
        # Token patterns are matched in full only where their labels are read beyond a hit's own
        # sentence (headings, lead-in lines) or could themselves be hits or relevance terms.
        exact = not MATCH_NEAR_HITS_ONLY or any(r.patterns for r in self.ruleset.rules) or bool(
            self.ruleset.raw.get("relevance", {}).get("patterns"))
        action_table = False  # inside a table whose header row names actions, owners or dates
        previous_kind: BlockKind | None = None
        for block in blocks:
            if block.kind is BlockKind.TABLE_ROW and previous_kind is not BlockKind.TABLE_ROW:
                action_table = is_action_table_header(block.text)
            previous_kind = block.kind
            if not self._worth_parsing(block, scan):
                if block.kind is not BlockKind.LIST_ITEM:
                    lead_in_commitment = False
                continue
            doc = comp.nlp(block.text)
            spans = [(s.start, s.end) for s in doc.sents] if block.kind is not BlockKind.TABLE_ROW else [(0, len(doc))]
            full = exact or block.kind is BlockKind.HEADING or (
                block.kind is not BlockKind.LIST_ITEM and block.text.rstrip().endswith(":"))
            matches = comp.matches(doc, None if full else spans)
            block_signals = frozenset(m[0].partition("|")[2] for m in matches if m[0].startswith("sig|"))
            if block.kind is BlockKind.HEADING:
                heading_labels[block.section] = frozenset(m[0] for m in matches if m[0].startswith(("near|", "sig|")))
            inherited_labels = (
                heading_labels.get(block.section, frozenset())
                if block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW) else frozenset()
            )
            section_text = " ".join(block.section).lower()
            in_commit_section = any(s in section_text for s in comp.commitment_sections)
            if block.kind is BlockKind.LIST_ITEM:
                inherited = in_commit_section or lead_in_commitment
            elif block.kind is BlockKind.TABLE_ROW:
                inherited = in_commit_section or action_table or _prose_cells(block.text) >= 2
            else:
                inherited = False
            if block.kind is not BlockKind.LIST_ITEM:
                lead_in_commitment = block.text.rstrip().endswith(":") and any(
                    m[0] == "sig|commitment" for m in matches
                )
            for start, end in spans:
                sent_matches = [m for m in matches if m[1] >= start and m[2] <= end]
                if block.place is Place.BODY and any(m[0] == "rel|" for m in sent_matches):
                    scan.relevant_sentences += 1
                yield _Sentence(block, doc[start:end].text, start, end, sent_matches, doc, inherited, inherited_labels,
                                block_signals)

    def _worth_parsing(self, block: Block, scan: _Scan) -> bool:
        """Parse a block only if a rule could hit in it, the relevance count still matters,
        or its labels are read by the blocks after it (headings, lead-in lines)."""
        comp = self.compiled
        if comp.hit_words is None or comp.relevance_words is None:
            return True
        if block.kind is BlockKind.HEADING or block.text.rstrip().endswith(":"):
            return True
        words = set(_WORD.findall(block.text.lower()))
        if not words.isdisjoint(comp.hit_words):
            return True
        return scan.relevant_sentences < comp.relevance_min and not words.isdisjoint(comp.relevance_words)

    # -- evidence --------------------------------------------------------------------
    def _evidence(self, sentence: _Sentence) -> list[Evidence]:
        comp = self.compiled
        by_role: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for label, s, e in sentence.matches:
            role, _, name = label.partition("|")
            by_role[role].append((name, s, e))
        hits = by_role.get("hit")
        if not hits:
            return []
        sig_spans = by_role.get("sig", [])
        inherited = {label.partition("|")[2] for label in sentence.heading_labels if label.startswith("sig|")}
        if sentence.inherited_commitment:
            inherited.add("commitment")
        pseudo = [(s, e) for _, s, e in by_role.get("pseudo", [])]
        terminators = [s for _, s, _ in by_role.get("term", [])]
        cue_terminators: dict[int, list[int]] = defaultdict(list)
        for name, s, _ in by_role.get("cterm", []):
            cue_terminators[int(name)].append(s)
        cues = [
            (int(name), comp.cues[int(name)], (s, e))
            for name, s, e in by_role.get("cue", [])
            if not any(_overlaps((s, e), p) for p in pseudo)
        ]
        global_x = [(name, (s, e)) for name, s, e in by_role.get("xg", [])]
        rule_x = defaultdict(list)
        for name, s, e in by_role.get("rx", []):
            rule_x[name].append((s, e))
        near = defaultdict(list)
        for name, s, e in by_role.get("near", []):
            near[name].append((s, e))

        block = sentence.block
        place_weight = comp.places.get(block.place.value, 1.0) if block.place is not Place.BODY else 1.0
        kind_weight = comp.places.get(block.kind.value, 1.0)
        best: dict[str, Evidence] = {}
        doc = sentence.doc
        for rule_id, hs, he in hits:
            rule: Rule = comp.rules[rule_id]
            span = (hs, he)
            context: str | None = None
            cue_text: str | None = None
            counted = True
            strength = "partial"
            if rule.kind == "cooccur":
                window = int((rule.near or {}).get("window", 0)) or None
                partners = [p for p in near.get(rule_id, [])
                            if not _overlaps(p, span) and not any(_overlaps(x, p) for _, x in global_x)]
                if window:
                    partners = [p for p in partners if (p[0] - he if p[0] >= he else hs - p[1]) <= window]
                if not partners and f"near|{rule_id}" not in sentence.heading_labels:
                    continue
            friend = next((n for n, x in global_x if _overlaps(x, span)), None)
            if friend is None and any(_overlaps(x, span) for x in rule_x.get(rule_id, [])):
                friend = "rule-exclude"
            if friend:
                context, cue_text, counted, strength = "false_friend", friend, False, "none"
            elif block.place is not Place.BODY and place_weight == 0:
                context, counted, strength = block.place.value, False, "none"
            elif (shape := _text_shape(doc, span, sentence.start, sentence.end)) == "labels":
                context, counted, strength = "labels", False, "none"
            else:
                applying = [(i, c, cs) for i, c, cs in cues if c.rules is None or rule_id in c.rules]
                voiding = [(c, cs) for i, c, cs in applying
                           if c.effect == "void" and _in_scope(c, cs, span, terminators + cue_terminators[i])]
                weakening = [(c, cs) for i, c, cs in applying
                             if c.effect == "weaken" and _in_scope(c, cs, span, terminators + cue_terminators[i])]
                if voiding:
                    cue, (cs, ce) = voiding[0]
                    context, cue_text, counted, strength = cue.category, doc[cs:ce].text, False, "none"
                else:
                    signals = _signals_near(sig_spans, span, sentence.end - sentence.start) | inherited
                    if rule.signal_scope == "block":
                        signals |= sentence.block_signals
                    if signals & set(SPECIFIC):
                        signals.add("specific")
                    met_when = rule.met_when or DEFAULT_MET_WHEN
                    can_meet = rule.max_strength == "met" and any(all(s in signals for s in alt) for alt in met_when)
                    strength = "met" if can_meet else "partial"
                    if weakening:
                        cue, (cs, ce) = weakening[0]
                        context, cue_text = cue.category, doc[cs:ce].text
                        strength = "partial"
                    elif shape == "figures" and not rule.figures:
                        context, strength = "figures", "partial"  # a table's numbers commit to nothing
            ev = Evidence(
                quote=_quote(sentence, span), page=block.page, section=_section_label(block), rule=rule_id,
                strength=strength, context=context, cue=cue_text, counted=counted, place=block.place.value,
                block=block.index, matched=doc[hs:he].text, kind=block.kind.value,
            )
            ev_weight = rule.weight * kind_weight
            prev = best.get(rule_id)
            if prev is None or _rank(ev, ev_weight) > _rank(prev, ev_weight):
                best[rule_id] = replace(ev)
        return list(best.values())

    # -- verdicts --------------------------------------------------------------------
    def evaluate(self, document: Document, *, screen: bool = True) -> DocumentResult:
        unreadable = tuple(document.unreadable_pages)
        total_pages = document.pages or 0
        readable_share = 1.0 - (len(unreadable) / total_pages) if total_pages else (1.0 if document.blocks else 0.0)
        if not document.blocks or readable_share == 0:
            questions = tuple(self._unassessable(q.id) for q in self.ruleset.questions)
            return DocumentResult(document.path, document.format, document.pages, DocStatus.OK, None, questions,
                                  unreadable_pages=unreadable, words=document.word_count)
        per_question: dict[str, list[Evidence]] = defaultdict(list)
        scan = _Scan()
        for s in self._sentences(document, scan):
            for ev in self._evidence(s):
                per_question[self.compiled.rules[ev.rule].question].append(ev)
        if screen and scan.relevant_sentences < self.compiled.relevance_min:
            return DocumentResult(document.path, document.format, document.pages, DocStatus.NOT_APPLICABLE, None, (),
                                  unreadable_pages=unreadable, words=document.word_count)
        results = []
        for q in self.ruleset.questions:
            result = self._verdict(q.id, per_question.get(q.id, []))
            if readable_share < 0.5 and result.status is not Status.MET:
                result = replace(result, status=Status.UNASSESSABLE, score=0,
                                 finding=f"{len(unreadable)} of {total_pages} pages could not be read; no verdict")
            results.append(result)
        scored = [r.score for r in results if r.status is not Status.UNASSESSABLE]
        score = round(sum(scored) / len(scored)) if scored else None
        return DocumentResult(document.path, document.format, document.pages, DocStatus.OK, score, tuple(results),
                              unreadable_pages=unreadable, words=document.word_count)

    def _unassessable(self, qid: str) -> QuestionResult:
        q = self.ruleset.question(qid)
        return QuestionResult(q.id, q.title, Status.UNASSESSABLE, 0, (), q.add, "the text could not be extracted; no verdict")

    def _verdict(self, qid: str, evidence: list[Evidence]) -> QuestionResult:
        q = self.ruleset.question(qid)
        comp = self.compiled
        ordered = sorted(evidence, key=lambda e: (not e.counted, -_strength_rank(e.strength), e.kind == "heading",
                                                  -self._weight(e), e.block, e.rule))
        counted = [e for e in ordered if e.counted]
        met = [e for e in counted if e.strength == "met"]
        met_rules = {e.rule for e in met}
        counted_rules = {e.rule for e in counted}
        needs = set(self.ruleset.raw.get("questions", {}).get(qid, {}).get("met_needs", []))
        if needs and not (needs & counted_rules):
            met = []
        if len(met) >= comp.met_min:
            status = Status.MET
            score = min(100, 70 + 8 * (len(met_rules) - 1) + 2 * (len(counted) - len(met)) + 3 * (len(met) - 1))
            message = comp.rules[met[0].rule].message
            finding = message
        elif len(counted) >= comp.partial_min:
            status = Status.PARTIAL
            score = min(60, 30 + 6 * (len(counted_rules) - 1) + 2 * (len(counted) - 1))
            best = comp.rules[counted[0].rule]
            cues = sorted({_CONTEXT_WORDS.get(e.context, e.context.replace("_", " ")) for e in counted if e.context})
            if cues and all(e.context for e in counted):
                finding = f"{best.message} \u2014 only {' or '.join(cues)}"
            elif best.max_strength == "met":
                finding = f"{best.message} \u2014 no commitment with an owner, funding, measure or named service"
            else:
                finding = best.message
        else:
            status, score = Status.GAP, 0
            voided = defaultdict(int)
            for e in ordered:
                voided[e.context or "other"] += 1
            if voided:
                parts = ", ".join(f"{k.replace('_', ' ')} \u00d7{n}" for k, n in sorted(voided.items()))
                finding = f"no counted evidence; mentions set aside ({parts})"
            else:
                finding = "no evidence found"
        top: list[Evidence] = []
        # a heading is quoted only when no sentence was found: "Healthy homes" says less than any sentence under it
        quotable = [e for e in counted if e.kind != "heading"] or counted
        for e in quotable:  # two rules firing on one sentence should not quote it twice
            if all((e.quote, e.page, e.section) != (t.quote, t.page, t.section) for t in top):
                top.append(e)
            if len(top) == 3:
                break
        guidance = q.add if status is not Status.MET else ""
        return QuestionResult(q.id, q.title, status, score, tuple(top), guidance, finding, tuple(ordered))

    def _weight(self, e: Evidence) -> float:
        return self.compiled.rules[e.rule].weight


def _strength_rank(strength: str) -> int:
    return {"met": 2, "partial": 1}.get(strength, 0)


def _rank(ev: Evidence, weight: float) -> tuple[int, int, float]:
    return (int(ev.counted), _strength_rank(ev.strength), weight)


def evaluate(document: Document, ruleset: RuleSet, *, screen: bool = True) -> DocumentResult:
    """Score one document; pure function of its inputs."""
    return Evaluator(ruleset).evaluate(document, screen=screen)

