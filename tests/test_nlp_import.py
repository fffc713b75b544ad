"""spaCy is imported without its command-line package (and the HTTP stack that comes with it)."""

import subprocess
import sys

PROBE = """
import sys
from assure.nlp import get_nlp
nlp = get_nlp()
assert [t.lemma_ for t in nlp("Homes were adapted")] == ["home", "be", "adapt"]
print(sorted(m for m in ("spacy.cli", "requests", "httpx", "weasel") if m in sys.modules))
import spacy.cli.info
print(sys.modules["spacy.cli.info"].info.__module__)
"""


def test_spacy_imported_without_its_cli_and_the_real_cli_still_loads() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "spacy.cli.info"  # the stand-in is gone: a later import gets the real command


def test_one_pdf_does_not_preload_the_table_reader() -> None:
    probe = ("import sys; from assure.extract import preload_readers; preload_readers({paths}); "
             "print('pdfplumber' in sys.modules, 'pypdfium2' in sys.modules)")
    one = subprocess.run([sys.executable, "-c", probe.format(paths="['a.pdf']")], capture_output=True, text=True, check=True)
    two = subprocess.run([sys.executable, "-c", probe.format(paths="['a.pdf', 'b.pdf']")], capture_output=True, text=True,
                         check=True)
    assert one.stdout.split() == ["False", "True"]
    assert two.stdout.split() == ["True", "True"]


ENTRY_POINTS_PROBE = """
import importlib.metadata
from assure.nlp import get_nlp, _EntryPointGroups
get_nlp()
import catalogue
held = catalogue.AVAILABLE_ENTRY_POINTS
assert isinstance(held, _EntryPointGroups)
fresh = importlib.metadata.entry_points()
groups = ["spacy_factories", "spacy_languages", "spacy_lookups", "thinc_layers", "no_such_group", "console_scripts"]
for group in groups:
    first = held.select(group=group)
    assert held.select(group=group) is first  # selected once
    assert list(first) == list(fresh.select(group=group)), group
assert list(held.select(name="assure")) == list(fresh.select(name="assure"))  # any other selection: the snapshot's own
print("ok")
"""


def test_catalogue_selects_each_entry_point_group_once_with_the_same_result() -> None:
    out = subprocess.run([sys.executable, "-c", ENTRY_POINTS_PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_the_tokenizer_keeps_more_chunks_and_cuts_them_as_before() -> None:
    """The shared pipeline's tokenizer keeps the tokens of 50,000 whitespace-delimited chunks, not
    spaCy's 10,000 (past its limit each new chunk is cut again at every occurrence, a third of the
    tokenizer's time over the real plans); a kept chunk gives the tokens cutting it gives."""
    from spacy.tokenizer import Tokenizer

    from assure.nlp import get_nlp

    nlp = get_nlp()
    assert nlp.tokenizer.max_cache_size >= 50_000
    tokenizer = nlp.tokenizer
    uncached = Tokenizer(
        nlp.vocab,
        rules=tokenizer.rules,
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
        max_cache_size=0,
    )
    texts = [
        "We'll build 300 homes (approx. 40%) by 2025/26, e.g. in Fig. 3; the Council's £1.2m isn't enough.",
        "Housing-led, 30mph, co-produced: don't, cannot, U.K.-wide... see https://example.org/a?b=c #tag",
    ]
    for _ in range(2):  # the second time from the kept chunks
        for text in texts:
            kept, cut = tokenizer(text), uncached(text)
            assert [(t.text, t.whitespace_, t.norm_) for t in kept] == [(t.text, t.whitespace_, t.norm_) for t in cut]
