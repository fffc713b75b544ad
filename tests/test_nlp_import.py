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
