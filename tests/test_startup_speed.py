"""Start-up shortcuts (issue 16) change nothing a check reads: the BLAS thread request is undone
after spaCy loads, and a lemma phrase compiled without the full pipeline has nlp()'s tokens and lemmas."""

import os
import subprocess
import sys

import pytest

from assure.nlp import get_nlp, lemma_doc

BLAS_PROBE = """
import os, sys
from assure.nlp import import_spacy
import_spacy()
threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
print(os.environ.get("OPENBLAS_NUM_THREADS"), threads)
"""


def _probe(env: dict[str, str]) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", BLAS_PROBE], capture_output=True, text=True, check=True, env={**clean, **env})
    return out.stdout.split()


def test_spacy_loads_with_one_blas_thread_and_leaves_the_environment_as_it_was() -> None:
    variable, threads = _probe({})
    assert variable == "None"  # not left behind for Tesseract or any program assure runs
    assert threads == "1"  # no OpenBLAS pool started


def test_a_blas_thread_count_the_user_chose_is_kept() -> None:
    assert _probe({"OPENBLAS_NUM_THREADS": "2"})[0] == "2"


@pytest.mark.parametrize(
    "text",
    ["Homes were adapted", "Housing First", "co-ordinated falls prevention", "approx. 300 homes", "people's homes", ""],
)
def test_lemma_doc_gives_the_tokens_and_lemmas_of_the_full_pipeline(text: str) -> None:
    nlp = get_nlp({"housing": "housing"})
    full, quick = nlp(text), lemma_doc(nlp, text)
    assert [(t.text, t.whitespace_, t.lemma_) for t in quick] == [(t.text, t.whitespace_, t.lemma_) for t in full]


def test_surface_forms_are_every_word_the_lookup_gives_that_lemma() -> None:
    """The inverse table is built without copying the lemma table; the overrides still win."""
    from assure.nlp import _lemma_table, surface_forms

    overrides = {"Housing": "housing", "cared": "care", "homes": "homestead"}
    table = {**_lemma_table(), **{k.lower(): v for k, v in overrides.items()}}
    for lemma in ("house", "housing", "care", "home", "homestead", "adapt", "be", "no-such-lemma"):
        assert surface_forms(lemma, overrides) == {lemma} | {word for word, its in table.items() if its == lemma}
