"""Property-based tests (hypothesis) over the extract and engine layers.

Random and mutated input must give a Document or an ExtractionError with one line naming
the file, never any other exception; the engine must give valid, deterministic verdicts
for any blocks, and its token-pattern shortcut (MATCH_NEAR_HITS_ONLY) must never change
a result.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assure.engine as engine
from assure.engine import Evaluator
from assure.errors import ExtractionError
from assure.extract import ExtractOptions, extract
from assure.extract.clean import MAX_BLOCK_CHARS, normalise, split_long, squash
from assure.models import Block, BlockKind, DocStatus, Document, PageQuality, Place, Status
from assure.ruleset import load_ruleset

# ASSURE_PROPERTY_EXAMPLES=2000 for a longer run than CI's
SETTINGS = settings(max_examples=int(os.environ.get("ASSURE_PROPERTY_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
RULESET = load_ruleset(None, None)


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for rule in RULESET.rules:
        for phrase in (*rule.lemmas, *rule.terms):
            words.update(phrase.split())
    for signal in RULESET.signals:
        for phrase in signal.matchers.terms:
            words.update(phrase.split())
    for cue in RULESET.context.cues:
        for phrase in cue.matchers.terms:
            words.update(phrase.split())
    for phrase in RULESET.relevance.matchers.lemmas if RULESET.relevance else ():
        words.update(phrase.split())
    return sorted(words)


VOCAB = _vocabulary()
WORD = st.one_of(st.sampled_from(VOCAB), st.sampled_from(["will", "we", "by", "2026", "£2m", "25%", "not", "may", ".", ",",
                                                            ":", "|", "Council", "Housing", "NHS", "\n", "-"]),
                 st.text(min_size=1, max_size=12))
SENTENCE = st.lists(WORD, min_size=1, max_size=40).map(" ".join)


def check_extract(path: Path, options: ExtractOptions | None = None) -> Document | None:
    """The property every reader must keep: a Document, or one ExtractionError line naming the file."""
    try:
        doc = extract(path, options)
    except ExtractionError as exc:
        assert exc.code and exc.message and "\n" not in exc.message and str(path) in str(exc)
        return None
    indices = [b.index for b in doc.blocks]
    assert indices == list(range(1, len(indices) + 1))
    for block in doc.blocks:
        assert block.text and block.text == block.text.strip() and len(block.text) <= MAX_BLOCK_CHARS
    return doc


# ------------------------------------------------------------------ text and Markdown
@SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".md"]))
def test_random_bytes_as_text(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    check_extract(path)


@SETTINGS
@given(lines=st.lists(st.one_of(SENTENCE, st.from_regex(r"#{1,7} ?[ #*_a-z]{0,60}", fullmatch=True),
                                st.from_regex(r"\|[ a-z|:-]{0,60}\|?", fullmatch=True),
                                st.from_regex(r" *([-*+]|\d{1,4}[.)]) [ a-z]{0,30}", fullmatch=True),
                                st.just("")), max_size=40))
def test_markdown_structure_never_breaks(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "doc.md"
    lines = ["Opening line."] + [line.replace("\x00", "") for line in lines]  # not empty, not binary
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = check_extract(path)
    assert doc is not None
    # compared after the same Unicode normalisation the reader applies ("º" becomes "o" under NFKC)
    words_in = {w for line in lines for w in normalise(line).split() if w.isalpha() and len(w) > 3}
    text_out = " ".join(b.text for b in doc.blocks)
    assert all(w in text_out for w in words_in)  # no prose is lost


@SETTINGS
@given(text=st.text(max_size=3000))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@SETTINGS
@given(words=st.lists(st.text(alphabet="abcdefghij.?! ", min_size=1, max_size=30), max_size=400),
       limit=st.integers(min_value=40, max_value=400))
def test_split_long_bounds_pieces_and_keeps_words(words: list[str], limit: int) -> None:
    text = squash(" ".join(words))
    pieces = split_long(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


# ------------------------------------------------------------------ mutated PDF and DOCX
def _base_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    for page in range(3):
        c.setFont("Helvetica", 11)
        for i, line in enumerate(["Housing and Health Strategy", "The council will fund adaptations by 2026.",
                                  f"Page {page + 1}"]):
            c.drawString(72, 760 - 14 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def _base_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Housing and health", level=1)
    d.add_paragraph("The council will fund home adaptations for disabled residents by 2026.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Action"
    table.cell(0, 1).text = "Owner"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


BASE_PDF = _base_pdf()
BASE_DOCX = _base_docx()

MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**7), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**7), st.integers(1, 2000)),
    st.tuples(st.just("insert"), st.integers(0, 10**7), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("truncate"), st.integers(0, 10**7), st.just(0)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    out = bytearray(data)
    for kind, pos, arg in mutations:
        if not out:
            break
        pos %= len(out)
        if kind == "flip":
            out[pos] ^= arg
        elif kind == "cut":
            del out[pos:pos + arg]
        elif kind == "insert":
            out[pos:pos] = arg
        else:
            del out[max(pos, 1):]
    return bytes(out)


@SETTINGS
@given(mutations=st.lists(MUTATION, min_size=1, max_size=6), engine_name=st.sampled_from(["pypdfium2", "pdfplumber"]))
def test_mutated_pdf(tmp_path: Path, mutations: list[tuple], engine_name: str) -> None:
    path = tmp_path / "mutated.pdf"
    path.write_bytes(mutate(BASE_PDF, mutations))
    check_extract(path, ExtractOptions(pdf_engine=engine_name, max_seconds=30))


@SETTINGS
@given(mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_docx_bytes(tmp_path: Path, mutations: list[tuple]) -> None:
    path = tmp_path / "mutated.docx"
    path.write_bytes(mutate(BASE_DOCX, mutations))
    check_extract(path)


@SETTINGS
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_docx_xml_inside_valid_zip(tmp_path: Path, mutations: list[tuple]) -> None:
    """The ZIP is intact but word/document.xml is damaged: XML errors must become one line."""
    path = tmp_path / "xml.docx"
    with zipfile.ZipFile(io.BytesIO(BASE_DOCX)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, mutate(data, mutations) if info.filename == "word/document.xml" else data)
    check_extract(path)


# ------------------------------------------------------------------ engine
KIND = st.sampled_from(list(BlockKind))
PLACE = st.sampled_from(list(Place))


@st.composite
def documents(draw) -> Document:  # noqa: ANN001
    n = draw(st.integers(0, 25))
    blocks = []
    section: tuple[str, ...] = ()
    for i in range(n):
        kind = draw(KIND)
        text = squash(draw(SENTENCE)) or "x"
        if kind is BlockKind.HEADING:
            section = (text[:60],)
        blocks.append(Block(text=text, raw=text, kind=kind, page=draw(st.one_of(st.none(), st.integers(1, 5))),
                            section=section, index=i + 1, place=draw(PLACE)))
    pages = draw(st.one_of(st.none(), st.integers(1, 5)))
    quality = ()
    if pages:
        quality = tuple(PageQuality(page=p, chars=draw(st.integers(0, 3000)), replacement_chars=0, cid_glyphs=0)
                        for p in range(1, pages + 1))
    return Document(path="random.pdf" if pages else "random.txt", format="pdf" if pages else "txt",
                    blocks=tuple(blocks), pages=pages, quality=quality)


@SETTINGS
@given(doc=documents(), screen=st.booleans())
def test_engine_verdicts_are_valid_and_deterministic(doc: Document, screen: bool) -> None:
    evaluator = Evaluator(RULESET)
    result = evaluator.evaluate(doc, screen=screen)
    assert result == evaluator.evaluate(doc, screen=screen)
    assert result.status in (DocStatus.OK, DocStatus.NOT_APPLICABLE)
    if result.status is DocStatus.NOT_APPLICABLE:
        assert screen and not result.questions
        return
    assert [q.id for q in result.questions] == [q.id for q in RULESET.questions]
    for q in result.questions:
        assert 0 <= q.score <= 100
        assert all(e.counted for e in q.evidence)
        if q.status is Status.GAP:
            assert not q.evidence
    if not doc.blocks or (doc.pages and len(doc.unreadable_pages) == doc.pages):
        assert {q.status for q in result.questions} == {Status.UNASSESSABLE}  # never a gap
    assert result.score is None or 0 <= result.score <= 100


@SETTINGS
@given(doc=documents())
def test_token_patterns_near_hits_only_changes_nothing(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed shortcut in Evaluator._sentences must give exactly the full-matching result."""
    doc = replace(doc, quality=(), pages=None)  # readable, so every block is scored
    evaluator = Evaluator(RULESET)
    fast = evaluator.evaluate(doc, screen=False)
    monkeypatch.setattr(engine, "MATCH_NEAR_HITS_ONLY", False)
    monkeypatch.setattr(evaluator.compiled, "hit_words", None)  # and every block parsed
    try:
        full = evaluator.evaluate(doc, screen=False)
    finally:
        monkeypatch.setattr(engine, "MATCH_NEAR_HITS_ONLY", True)
    assert fast == full


def test_every_built_in_token_pattern_has_an_anchor_word() -> None:
    """The shortcuts above apply only when every rule pattern names a word each match must
    contain: one pattern without one would make every block fully matched (3x slower)."""
    compiled = engine.compile_rules(RULESET)
    assert not compiled.unanchored_patterns and compiled.hit_words is not None
    assert {"home", "homes", "condition", "conditions"} <= compiled.anchor_words


def test_a_pattern_anchor_is_its_rarest_required_word_list() -> None:
    anchor = engine._pattern_anchor
    assert anchor(({"LOWER": {"IN": ["safe", "warm", "secure", "decent", "dry"]}}, {"LOWER": "and", "OP": "?"}, {"LEMMA": "home"}),
                  None) >= {"home", "homes"}
    assert anchor(({"LEMMA": "person"}, {"LOWER": "with"}, {"LEMMA": {"IN": ["condition", "illness"]}}), None) >= {"condition"}
    assert anchor(({"LOWER": "cold"}, {"LOWER": {"IN": ["home", "homes", "house"]}}), None) == {"cold"}
    # a number (a figure or a number word) and the currency and percent signs have marks
    assert anchor(({"LIKE_NUM": True}, {"LOWER": "%", "OP": "?"}), None) == {engine.NUMBER}
    assert anchor(({"SHAPE": {"IN": ["dddd", "dd/dd"]}},), None) == {engine.NUMBER}
    assert anchor(({"LOWER": {"IN": ["%", "per"]}},), None) == {"%", "per"}
    assert anchor(({"LOWER": {"IN": ["(", "per"]}},), None) is None  # other punctuation cannot be found by words
    assert anchor(({"TEXT": {"REGEX": "^H[0-9]$"}}, {"LOWER": "policy", "OP": "*"}), None) is None
    # regression: a figure is found in most blocks, so a word list of no common word anchors before it ("need for
    # 410 affordable homes" anchored on its figure had every block holding a number parsed); a list of one- or
    # two-letter words ("£1.2m": "m") does not, as the text's word split may glue it to the figure
    assert anchor(({"LEMMA": "need"}, {"LOWER": "for"}, {"LIKE_NUM": True}, {"LEMMA": {"IN": ["home", "pitch"]}}), None) >= {"home"}
    assert anchor(({"LIKE_NUM": True}, {"LOWER": {"IN": ["million", "m", "bn"]}}), None) == {engine.NUMBER}
    # regression: "the" was no common word, so "in the child's home" and "The English Housing Survey" were
    # anchored on it and their matchers run on nearly every sentence
    assert anchor(({"LOWER": "in"}, {"LOWER": "the"}, {"LOWER": {"IN": ["child", "family"]}}, {"LOWER": "home"}), None) == {"home"}
    assert anchor(({"ORTH": "The"}, {"ORTH": "English"}, {"ORTH": "Housing"}, {"ORTH": "Survey"}), None) == {"english"}
    assert anchor(({"LOWER": "that"}, {"LOWER": {"IN": ["cabinet", "council"]}}), None) == {"cabinet", "council"}


# the fifty most frequent English words (Oxford English Corpus): a pattern anchored on one alone runs on most sentences
_MOST_FREQUENT = frozenset(
    """the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she
    or an will my one all would there their what so up out if about who get which go me""".split()
)


def test_built_in_token_patterns_are_anchored_on_selective_words() -> None:
    """A token pattern's matcher runs on every sentence holding its anchor word. Anchored on a word
    nearly every sentence holds (as three of this session's patterns were on "the", missing from the
    common words), it runs on nearly all of them: a pattern is anchored on the most frequent English
    words only when it requires nothing rarer. Patterns sharing an anchor share one Matcher, whatever
    their labels: each call costs per token given (the four figure labels ran four times a sentence)."""
    compiled = engine.compile_rules(RULESET)
    overrides = RULESET.lemma_overrides or None
    for key, patterns in compiled.token_patterns.items():
        for pattern in patterns:
            anchor = engine._pattern_anchor(tuple(pattern), overrides)
            if anchor is not None and anchor <= _MOST_FREQUENT:
                rarer = [w for w in engine._required_word_lists(tuple(pattern), overrides) if not engine._rarity(w)[0]]
                assert not rarer, (key, pattern)
    anchors = [anchor for anchor, _ in compiled.token_groups]
    assert len(anchors) == len(set(anchors))


def test_a_matcher_runs_only_where_a_pattern_has_all_its_required_words() -> None:
    """Beside its anchor, a pattern's other required word lists gate its Matcher; only lists a text's
    words always show: no figure (a superscript digit), no word spaCy cuts from a longer one ("should"
    from "shouldnt", "can" and "not" from "cannot", "m" from "£1.2m", "mph" from "30mph")."""
    compiled = engine.compile_rules(RULESET)
    hidden = engine._token_only_words(compiled.nlp)
    assert {"should", "can", "not", "does", "m", "mph"} <= hidden and not {"council", "housing", "uk", "by"} & hidden
    pattern = ({"LOWER": {"IN": ["council", "team"]}}, {"LOWER": "also", "OP": "?"}, {"LOWER": {"IN": ["helped", "housed"]}},
               {"LIKE_NUM": True}, {"LOWER": {"IN": ["should", "will"]}}, {"LOWER": {"IN": ["m", "homes"]}},
               {"LOWER": {"IN": ["uk", "england"]}})
    anchor = engine._pattern_anchor(pattern, None)
    assert anchor == {"council", "team"}
    assert engine._pattern_gate(pattern, anchor, None, hidden) == (frozenset({"helped", "housed"}), frozenset({"uk", "england"}))
    # every token the tokenizer cuts from a longer word is in the hidden words
    for text in ("We shouldnt and cannot fund it.", "A 30mph limit and £1.2m.", "They'll say it isn't so."):
        doc = compiled.nlp(text)
        text_words = engine.words_of(text)
        assert {w for t in doc for w in engine._WORD.findall(t.lower_) if not w.isdigit()} - text_words <= hidden


def test_anchored_token_matchers_find_exactly_what_one_matcher_finds() -> None:
    """Each label's patterns run only on text holding one of their anchor words; over every rule
    example and every block of the bundled samples that must find the same matches as one
    Matcher holding every pattern, run on everything."""
    from spacy.matcher import Matcher

    from assure.extract import extract

    compiled = engine.compile_rules(RULESET)
    reference = Matcher(compiled.nlp.vocab)  # every token pattern in one Matcher
    for key, patterns in compiled.token_patterns.items():
        reference.add(key, patterns)
    root = Path(__file__).resolve().parents[1]
    texts = [b.text for name in ("strong.pdf", "weak.docx", "mixed.pdf") for b in extract(root / "samples" / name).blocks]
    texts += [ex for rule in RULESET.rules for group in rule.examples.values() for ex in group]
    texts += ["Ten homes were adapted by March.", "A third of tenants rent privately.", "We will invest £5m in 2025/26.",
              "Forty-five per cent of households and 1,200 homes.", "The first target is twelve adaptations a year.",
              "Costs rose by $3 billion and €2m.", "No figures at all here, only words."]
    assert len(texts) > 300
    for doc in compiled.nlp.pipe(texts):
        one = {(compiled.strings[k], s, e) for k, s, e in reference(doc)}
        grouped: set[tuple[str, int, int]] = set()
        compiled._token_matches(doc, 0, len(doc), grouped)
        assert grouped == one, doc.text


def test_words_of_marks_numbers_and_signs() -> None:
    """A span's words carry the number mark for a figure or a number word, and the signs."""
    assert engine.NUMBER in engine.words_of("Ten homes") and engine.NUMBER in engine.words_of("in 2025")
    assert engine.NUMBER in engine.words_of("the third year")
    assert engine.NUMBER not in engine.words_of("Warm homes for everyone")
    assert {"£", "%"} <= engine.words_of("£5m, or 12%")
