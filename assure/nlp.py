"""One cached spaCy pipeline: blank English, sentencizer and a lower-case lemma lookup.

The trained English pipelines are not on PyPI, so assure needs only what is: the
tokenizer, the rule-based sentencizer and the English lookup table from
spacy-lookups-data. The stock lookup lemmatizer misses capitalised words; this one
looks up the lower-cased form. Part-of-speech-blind lookups make "housing" -> "house"
and "could" -> "can"; rules.yaml's ``lemma_overrides`` undo such merges.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any

_NLP_CACHE: dict[tuple[tuple[str, str], ...], Any] = {}


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """The English lookup table, less its ordinals-to-digits entries: "first" -> "1" would
    make "Housing First" match "Housing 1" in every bedroom-mix table."""
    data = resources.files("spacy_lookups_data").joinpath("data/en_lemma_lookup.json.gz").read_bytes()
    table = json.loads(gzip.decompress(data))
    return {word: lemma for word, lemma in table.items() if not (lemma.isdigit() and word.isalpha())}


def surface_forms(lemma: str, overrides: dict[str, str] | None = None) -> set[str]:
    """Every lower-case word whose lookup lemma is ``lemma`` (with the same overrides)."""
    inverse = _inverse_table(tuple(sorted((overrides or {}).items())))
    return {lemma, *inverse.get(lemma, ())}


@lru_cache(maxsize=4)
def _inverse_table(overrides: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    table = dict(_lemma_table())
    table.update({k.lower(): v.lower() for k, v in overrides})
    inverse: dict[str, list[str]] = {}
    for word, lemma in table.items():
        inverse.setdefault(lemma, []).append(word)
    return {k: tuple(v) for k, v in inverse.items()}


def get_nlp(overrides: dict[str, str] | None = None) -> Any:
    """The shared pipeline; built once per process for a given set of overrides."""
    key = tuple(sorted((overrides or {}).items()))
    if key in _NLP_CACHE:
        return _NLP_CACHE[key]
    import spacy
    from spacy.language import Language

    table = dict(_lemma_table())
    table.update({k.lower(): v.lower() for k, v in (overrides or {}).items()})
    name = f"assure_lemmatizer_{len(_NLP_CACHE)}"

    by_lower: dict[int, int] = {}  # lower-case string hash -> lemma hash, filled as words are seen

    @Language.component(name)
    def lookup_lemmatizer(doc: Any) -> Any:  # a spaCy component: Doc in, Doc out
        strings = doc.vocab.strings
        for token in doc:
            lemma = by_lower.get(token.lower)
            if lemma is None:
                low = token.lower_
                lemma = by_lower[token.lower] = strings.add(table.get(low, low))
            token.lemma = lemma
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(name)
    nlp.max_length = 5_000_000
    _NLP_CACHE[key] = nlp
    return nlp
