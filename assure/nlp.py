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
import os
import sys
import types
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

_NLP_CACHE: dict[tuple[tuple[str, str], ...], Any] = {}
_LEMMATIZERS: dict[int, Callable[[Any], Any]] = {}  # id of a pipeline in _NLP_CACHE -> its lemmatizer
# what OpenBLAS (numpy's linear algebra, loaded with spaCy) reads for its thread count, in its order
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
# abbreviations spaCy splits off their full stop, so its sentencizer cut the sentence there:
# "(Bentley, et al., 2025)", "approx. 300 homes", "see Fig. 3", "(cf. Table 2)"; "etc." is left
# out: it ends sentences too often
_ABBREVIATIONS = ("al.", "approx.", "Approx.", "fig.", "Fig.", "figs.", "Figs.", "cf.")
# whitespace-delimited chunks the tokenizer keeps the tokens of (spaCy keeps 10,000): past that every
# new chunk is cut again by the prefix, suffix and infix patterns at each occurrence, and the blocks
# parsed over the 21 real plans hold 24,000 distinct chunks. About 220 bytes a chunk kept.
_TOKENIZER_CACHE_CHUNKS = 50_000


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """The English lookup table, less its ordinals-to-digits entries: "first" -> "1" would
    make "Housing First" match "Housing 1" in every bedroom-mix table. Unpacking it takes
    25 ms of every start-up; it is kept in the start-up cache (assure.startcache)."""
    from assure import startcache

    data = _lemma_data()
    key = start_cache_key("lemma table")
    cached = startcache.load("lemmas", key) if key else None
    if isinstance(cached, dict):
        return cached
    table = json.loads(gzip.decompress(data))
    table = {word: lemma for word, lemma in table.items() if not (lemma.isdigit() and word.isalpha())}
    if key:
        startcache.store("lemmas", key, table)
    return table


@lru_cache(maxsize=1)
def _lemma_data() -> bytes:
    return resources.files("spacy_lookups_data").joinpath("data/en_lemma_lookup.json.gz").read_bytes()


@lru_cache(maxsize=1)
def _derivation_digest() -> str | None:
    """SHA-256 of what everything the start-up cache keeps is derived from, beside the rules:
    the packed lemma table, assure's version and the source of the modules that derive it
    (this one and assure.engine: a changed assure is a miss even at the same version number).
    None, and no caching, where the sources cannot be read."""
    import hashlib
    from pathlib import Path

    from assure import __version__

    h = hashlib.sha256(__version__.encode())
    h.update(hashlib.sha256(_lemma_data()).digest())
    try:
        for module in (Path(__file__), Path(__file__).with_name("engine.py")):
            h.update(hashlib.sha256(module.read_bytes()).digest())
    except OSError:
        return None
    return h.hexdigest()


def start_cache_key(*parts: bytes | str | Callable[[], str]) -> str | None:
    """The start-up cache key of a value derived from ``parts`` with this installation's
    lemma data and code (assure.startcache); None when nothing may be cached. A part may be a
    function giving it, called only when the cache is on."""
    from assure import startcache

    if startcache.folder() is None:  # switched off: nothing to hash
        return None
    base = _derivation_digest()
    return None if base is None else startcache.digest(base, *(p() if callable(p) else p for p in parts))


def surface_forms(lemma: str, overrides: dict[str, str] | None = None) -> set[str]:
    """Every lower-case word whose lookup lemma is ``lemma`` (with the same overrides)."""
    inverse = _inverse_table(tuple(sorted((overrides or {}).items())))
    return {lemma, *inverse.get(lemma, ())}


@lru_cache(maxsize=4)
def _inverse_table(overrides: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """Lemma -> the words the lookup gives it. Built only when the rules are compiled without the
    start-up cache; the table is not copied first (13 ms of 41,000 words), the overridden words
    are left out of it and added after."""
    overridden = {k.lower(): v.lower() for k, v in overrides}
    inverse: defaultdict[str, list[str]] = defaultdict(list)
    for word, lemma in _lemma_table().items():
        if word not in overridden:
            inverse[lemma].append(word)
    for word, lemma in overridden.items():
        inverse[lemma].append(word)
    return dict(inverse)


def import_spacy() -> Any:
    """``import spacy`` without its command-line package.

    spaCy's ``__init__`` runs ``from .cli.info import info``, and importing ``spacy.cli``
    imports every spaCy command (download, project, train...) and with them an HTTP stack
    (requests, httpx via weasel): about 360 modules and a fifth of spaCy's import time,
    none of it used here. While spaCy imports, ``spacy.cli.info`` is a stand-in whose
    ``info`` imports the real command on first call; the stand-in is removed afterwards, so
    a later ``import spacy.cli`` (or ``spacy.info()``) gets the real package."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    name = "spacy.cli.info"
    if name in sys.modules:  # the real one is loaded already: nothing to save
        import spacy

        return spacy
    stand_in = types.ModuleType(name)

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules[name] = stand_in
    try:
        with _one_blas_thread():
            _remember_entry_point_groups()
            import spacy
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
    return spacy


class _EntryPointGroups:
    """The installed entry points as catalogue holds them, each group selected once.

    Why: spaCy's registries (catalogue) look for plugins by selecting their group from every
    installed package's entry points on each lookup, a scan of them all each time: building the
    blank English pipeline made 34 such scans of the same snapshot (about 10 ms). The snapshot
    does not change while the process runs, so a group's selection is kept and handed back as
    it was; anything but a selection by group alone goes to the snapshot itself."""

    def __init__(self, available: Any) -> None:
        self.available = available
        self.groups: dict[str, Any] = {}

    def select(self, **params: Any) -> Any:
        group = params.get("group")
        if list(params) != ["group"] or not isinstance(group, str):
            return self.available.select(**params)
        if group not in self.groups:
            self.groups[group] = self.available.select(group=group)
        return self.groups[group]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.available, name)


def _remember_entry_point_groups() -> None:
    """Make catalogue's entry point lookups select each group once (see _EntryPointGroups)."""
    import catalogue  # type: ignore[import-untyped]

    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if available is not None and hasattr(available, "select") and not isinstance(available, _EntryPointGroups):
        catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointGroups(available)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """numpy, which spaCy imports, loads OpenBLAS, and OpenBLAS starts a thread per core as it
    loads: 25-50 ms of a 0.75 s one-page check on two cores, for a pool nothing in assure
    uses (no matrix arithmetic; tokenizing and matching are spaCy's own Cython). One thread is
    asked for while numpy loads, unless the user chose a count or numpy is loaded already; the
    environment is restored afterwards, so programs assure runs (Tesseract) see the user's."""
    if "numpy" in sys.modules or any(v in os.environ for v in _BLAS_THREAD_VARIABLES):
        yield
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)


def get_nlp(overrides: dict[str, str] | None = None) -> Any:
    """The shared pipeline; built once per process for a given set of overrides."""
    key = tuple(sorted((overrides or {}).items()))
    if key in _NLP_CACHE:
        return _NLP_CACHE[key]
    spacy = import_spacy()
    from spacy.language import Language
    from spacy.symbols import ORTH

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
    for abbreviation in _ABBREVIATIONS:  # one token each, so the sentencizer does not end a sentence there
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    if getattr(nlp.tokenizer, "max_cache_size", _TOKENIZER_CACHE_CHUNKS) < _TOKENIZER_CACHE_CHUNKS:
        nlp.tokenizer.max_cache_size = _TOKENIZER_CACHE_CHUNKS  # the same tokens, cut once per chunk
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(name)
    nlp.max_length = 5_000_000
    _NLP_CACHE[key] = nlp
    _LEMMATIZERS[id(nlp)] = lookup_lemmatizer
    return nlp


def lemma_reachable(word: str, overrides: dict[str, str] | None = None) -> bool:
    """Whether some token can have ``word`` as its lemma: the lookup lemmatizer gives every token
    a lower-case lemma from its table (or the word itself), so {LEMMA: "funds"} or {LEMMA: "NHS"}
    never matches. Used when rules compile (not from the start-up cache), to name such a value."""
    if word != word.lower():
        return False
    own = {k.lower(): v.lower() for k, v in (overrides or {}).items()}
    if own.get(word, _lemma_table().get(word, word)) == word:
        return True
    return word in own.values() or word in _lemma_values()


@lru_cache(maxsize=1)
def _lemma_values() -> frozenset[str]:
    return frozenset(_lemma_table().values())


def lemma_doc(nlp: Any, text: str) -> Any:
    """``text`` tokenized and lemmatized by ``nlp`` (from :func:`get_nlp`): the tokens and lemmas
    ``nlp(text)`` gives, without the sentencizer's pass, which a phrase on lemmas never reads;
    compiling the rules makes some 3,000 of these."""
    return _LEMMATIZERS[id(nlp)](nlp.make_doc(text))
