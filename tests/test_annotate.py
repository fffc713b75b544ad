"""Annotated copies read back independently: every evidence item is placed, on the right
page, over the right words.

DOCX: word/comments.xml and the commentRangeStart/End anchors in word/document.xml, read
with lxml (not python-docx, which wrote them). PDF: the pages' /Annots read with pypdf,
and the text under each highlight's /QuadPoints read with pdfplumber (not PDFium, which
placed them).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from assure.annotate import annotate, batch_outputs
from assure.annotate.locate import fold
from assure.annotate.notes import target_note, targets
from assure.cli import app
from assure.models import DocStatus, Evidence
from assure.runner import check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REAL = ROOT.parent / "shared" / "corpus" / "real"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
runner = CliRunner()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- reading a DOCX back ---------------------------------------------------------------------

def docx_comments(path: Path) -> dict[str, dict[str, str]]:
    """Comment id -> its author, its text and the visible text its range covers."""
    with zipfile.ZipFile(path) as zf:
        document = etree.fromstring(zf.read("word/document.xml"))
        comments = etree.fromstring(zf.read("word/comments.xml")) if "word/comments.xml" in zf.namelist() else None
    out: dict[str, dict[str, str]] = {}
    if comments is not None:
        for c in comments.iter(f"{W}comment"):
            text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p"))
            out[c.get(f"{W}id")] = {"author": c.get(f"{W}author") or "", "text": text, "anchor": "", "started": "",
                                    "ended": ""}
    open_ids: list[str] = []
    for el in document.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids.append(el.get(f"{W}id"))
            out.setdefault(el.get(f"{W}id"), {"author": "", "text": "", "anchor": "", "started": "", "ended": ""})
            out[el.get(f"{W}id")]["started"] = "yes"
        elif el.tag == f"{W}commentRangeEnd":
            if el.get(f"{W}id") in open_ids:
                open_ids.remove(el.get(f"{W}id"))
                out[el.get(f"{W}id")]["ended"] = "yes"
        elif el.tag == f"{W}t" and not any(a.tag == f"{W}del" for a in el.iterancestors()):
            for cid in open_ids:
                out[cid]["anchor"] += el.text or ""
    return out


def assert_docx_placed(result, output: Path, annotated) -> None:
    """Each evidence target has a comment by assure over exactly its quoted words, naming its questions."""
    comments = [c for c in docx_comments(output).values() if c["author"] == "assure"]
    for target in targets(result):
        note = target_note(target)
        matches = [c for c in comments if c["text"] == note and fold(c["anchor"]) == fold(target.quote)]
        assert matches, f"no comment over {target.quote!r} ({target.questions})"
        assert all(c["started"] and c["ended"] for c in matches)
        for finding in target.findings:
            assert f"{finding.question.id} {finding.question.title}" in matches[0]["text"]
    summary = [c for c in comments if c["text"].startswith("assure ") and "Verdicts:" in c["text"]]
    assert len(summary) == 1, "one summary comment"
    for q in result.questions:
        assert f"{q.id} {q.title}: {q.status.value}" in summary[0]["text"]
        if q.guidance:
            assert q.guidance in summary[0]["text"], f"{q.id}'s advice is in the summary"
    assert len(annotated.placed) == len(targets(result))


# -- reading a PDF back ----------------------------------------------------------------------

def pdf_highlights(path: Path) -> list[dict]:
    """Every highlight: its page, note, rectangle, and the text pdfplumber finds under each quad."""
    import pdfplumber
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    found = []
    with pdfplumber.open(str(path)) as plumber:
        for number, page in enumerate(reader.pages, 1):
            ppage = plumber.pages[number - 1]
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                if annot.get("/Subtype") != "/Highlight":
                    continue
                points = [float(v) for v in annot["/QuadPoints"]]
                rect = [float(v) for v in annot["/Rect"]]
                texts = []
                for i in range(0, len(points), 8):
                    xs, ys = points[i:i + 8:2], points[i + 1:i + 8:2]
                    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
                    assert rect[0] - 0.01 <= left and right <= rect[2] + 0.01 and rect[1] - 0.01 <= bottom and top <= rect[3] + 0.01
                    inside = [c for c in ppage.chars
                              if left <= (c["x0"] + c["x1"]) / 2 <= right
                              and bottom <= ppage.height - (c["top"] + c["bottom"]) / 2 <= top]
                    texts.append("".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"])))
                found.append({"page": number, "note": str(annot.get("/Contents")), "text": "".join(texts),
                              "popup": "/Popup" in annot})
    return found


def assert_pdf_placed(result, source: Path, output: Path, annotated) -> None:
    from pypdf import PdfReader

    assert output.read_bytes().startswith(source.read_bytes()), "the original bytes come first, untouched"
    highlights = pdf_highlights(output)
    for target in targets(result):
        note = target_note(target)
        mine = [h for h in highlights if h["note"] == note and h["page"] in (target.page, target.page + 1)]
        assert mine, f"no highlight for {target.quote!r} ({target.questions}) on page {target.page}"
        # a quote over a page break has one highlight per page; joined they hold exactly the quote
        candidates = [mine[i:i + n] for n in (1, 2) for i in range(len(mine) - n + 1)]
        assert any(group[0]["page"] == target.page and fold("".join(h["text"] for h in group)) == fold(target.quote)
                   for group in candidates), f"highlight text differs from {target.quote!r}: {[h['text'] for h in mine]}"
        assert all(h["popup"] for h in mine)
    assert len(annotated.placed) == len(targets(result))
    first = [a.get_object() for a in PdfReader(str(output)).pages[0].get("/Annots") or []]
    summary = [a for a in first if a.get("/Subtype") == "/Text"]
    assert len(summary) == 1 and "Verdicts:" in str(summary[0]["/Contents"])
    for q in result.questions:
        assert f"{q.id} {q.title}: {q.status.value}" in str(summary[0]["/Contents"])


def annotate_and_check(path: Path, tmp_path: Path, ruleset) -> None:
    result = check_file(str(path), ruleset)
    assert result.status is DocStatus.OK, result.error
    before = sha(path)
    output = tmp_path / f"{path.stem[-40:]}.annotated{path.suffix}"
    annotated = annotate(path, result, output)
    assert sha(path) == before, "the input is never written to"
    assert not annotated.unplaced, [(p.target.quote, p.reason) for p in annotated.unplaced]
    assert targets(result), "the document has evidence to place"
    if path.suffix == ".pdf":
        assert_pdf_placed(result, path, output, annotated)
    else:
        assert_docx_placed(result, output, annotated)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.pdf")) + sorted(p.name for p in SAMPLES.glob("*.docx")))
def test_samples_every_evidence_item_is_placed_over_its_words(name: str, tmp_path: Path, ruleset) -> None:
    annotate_and_check(SAMPLES / name, tmp_path, ruleset)


REAL_DOCS = [
    "WS-JSNA__ws-jsna-netlify__assets--ageing-well--jsna_eye_health_sight_loss_briefing.docx",
    "WS-JSNA__ws-jsna-netlify__assets--living-well--Arun_-_Access.docx",
    "WS-JSNA__ws-jsna-netlify__assets--core--Homelessness-Deaths-Review-West-Sussex-2024.pdf",
    "WS-JSNA__ws-jsna-netlify__assets--pdf--Adur_and_Worthing_JSNA_2024.pdf",
]


@pytest.mark.corpus
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent; real-document annotation skipped")
@pytest.mark.parametrize("name", REAL_DOCS)
def test_real_documents_every_evidence_item_is_placed(name: str, tmp_path: Path, ruleset) -> None:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/corpus/real")
    if "Adur" in name:  # an infographic page: one quote cannot be placed exactly and must be reported, not guessed
        result = check_file(str(path), ruleset)
        annotated = annotate(path, result, tmp_path / "adur.pdf")
        highlights = pdf_highlights(tmp_path / "adur.pdf")
        placed = {p.target for p in annotated.placed}
        for target in placed:
            assert any(fold(h["text"]) == fold(target.quote) or fold(target.quote).startswith(fold(h["text"]))
                       for h in highlights if h["note"] == target_note(target) and h["page"] == target.page)
        summary = _summary_text(tmp_path / "adur.pdf")
        for p in annotated.unplaced:
            assert p.reason and p.target.questions in summary and "not marked" in summary
        return
    annotate_and_check(path, tmp_path, ruleset)


def _summary_text(path: Path) -> str:
    from pypdf import PdfReader

    notes = [a.get_object() for a in PdfReader(str(path)).pages[0].get("/Annots") or []]
    return next(str(a["/Contents"]) for a in notes if a.get("/Subtype") == "/Text")


# -- what must not be placed -----------------------------------------------------------------

def test_a_quote_that_is_not_in_the_document_is_reported_not_guessed(tmp_path: Path, ruleset) -> None:
    for name in ("mixed.pdf", "mixed.docx"):
        result = check_file(str(SAMPLES / name), ruleset)
        q = result.questions[0]
        bogus = Evidence(quote="Every council home will have a heat pump fitted by Tuesday.", page=4 if name.endswith("pdf") else None,
                         section="Nowhere", rule=q.evidence[0].rule if q.evidence else "Q01.x", strength="partial")
        result = replace(result, questions=(replace(q, evidence=(*q.evidence, bogus)), *result.questions[1:]))
        output = tmp_path / f"out-{name}"
        annotated = annotate(SAMPLES / name, result, output)
        assert [p.target.quote for p in annotated.unplaced] == [bogus.quote]
        if name.endswith("pdf"):
            assert all(fold(bogus.quote) != fold(h["text"]) for h in pdf_highlights(output))
            summary = _summary_text(output)
        else:
            comments = docx_comments(output).values()
            summary = next(c["text"] for c in comments if "Verdicts:" in c["text"])
        assert "heat pump fitted by Tuesday" in summary and "not marked" in summary


def test_pieces_cover_only_the_quote_letters() -> None:
    from assure.annotate.locate import KeyedText

    page = "Households in fuel poverty 14.8% 2021 13.1% DESNZ statistics and more words here"
    keyed = KeyedText.of(page)
    assert keyed.find_all("Households in fuel poverty 14.8% 13.1% DESNZ statistics") == []
    quote = "Households in fuel poverty 14.8% 13.1% DESNZ statistics"
    pieces = keyed.find_pieces(quote)
    joined = "".join(page[a:b] for a, b in pieces)
    assert fold(joined) == fold(quote) and "2021" not in joined
    assert keyed.find_pieces("Households in fuel poverty and unrelated words") == []


# -- a DOCX with existing comments and tracked changes keeps them ----------------------------

def _with_review_marks(source: Path, target: Path) -> None:
    """A copy of a sample with a reviewer's comment, a tracked insertion inside an evidence
    sentence and a tracked deletion beside it, as Word writes them."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document(str(source))
    paragraphs = [p for p in doc.paragraphs if "Warm Homes on Prescription" in p.text]
    p = paragraphs[0]
    run = p.runs[0]
    text = run.text
    cut = text.index("Warm Homes on Prescription")
    end = cut + len("Warm Homes on Prescription")
    run.text = text[:cut]
    ins = parse_xml(f'<w:ins {nsdecls("w")} w:id="9001" w:author="Editor" w:date="2024-01-02T00:00:00Z">'
                    f'<w:r><w:t>Warm Homes on Prescription</w:t></w:r></w:ins>')
    deleted = parse_xml(f'<w:del {nsdecls("w")} w:id="9002" w:author="Editor" w:date="2024-01-02T00:00:00Z">'
                        f'<w:r><w:delText xml:space="preserve">the old boiler scheme and </w:delText></w:r></w:del>')
    tail = parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{text[end:]}</w:t></w:r>')
    run._r.addnext(ins)
    ins.addnext(deleted)
    deleted.addnext(tail)
    intro = next(p for p in doc.paragraphs if p.text.startswith("Demand for care"))
    doc.add_comment(intro.runs, text="Reviewer: check this figure", author="Reviewer", initials="R")
    doc.save(str(target))


def test_docx_keeps_existing_comments_and_tracked_changes(tmp_path: Path, ruleset) -> None:
    source = tmp_path / "reviewed.docx"
    _with_review_marks(SAMPLES / "mixed.docx", source)
    before = docx_comments(source)
    assert any(c["author"] == "Reviewer" for c in before.values())
    result = check_file(str(source), ruleset)
    output = tmp_path / "reviewed.annotated.docx"
    annotated = annotate(source, result, output)
    after = docx_comments(output)
    for cid, comment in before.items():  # the reviewer's comment: same id, author, text and anchor
        assert after[cid] == comment
    with zipfile.ZipFile(output) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert 'w:author="Editor"' in xml and "<w:delText xml:space=\"preserve\">the old boiler scheme and </w:delText>" in xml
    tree = etree.fromstring(xml.encode("utf-8"))
    ins = [el for el in tree.iter(f"{W}ins") if el.get(f"{W}id") == "9001"]
    assert ins and "".join(t.text for t in ins[0].iter(f"{W}t")) == "Warm Homes on Prescription"
    assert not any(el.tag == f"{W}commentReference" for el in ins[0].iter()), "comment marks stay outside the insertion's runs"
    assert_docx_placed(result, output, annotated)
    warm = [t for t in targets(result) if "Warm Homes on Prescription" in t.quote]
    assert warm, "an evidence sentence runs through the tracked insertion"


# -- the command line ------------------------------------------------------------------------

def test_cli_annotate_writes_a_copy_and_never_the_input(tmp_path: Path) -> None:
    source = tmp_path / "mixed.docx"
    shutil.copy(SAMPLES / "mixed.docx", source)
    before = sha(source)
    result = runner.invoke(app, ["annotate", str(source)])
    assert result.exit_code == 1, result.output  # the sample has a gap
    assert (tmp_path / "mixed.annotated.docx").is_file()
    assert re.search(r"\b([1-9]\d*) of \1 quoted passages marked", result.stderr), result.stderr
    assert re.search(r"mixed\.docx: 1 finding\(s\) at or beyond the fail level \(Q\d+ gap\): exit 1", result.stderr), result.stderr
    refused = runner.invoke(app, ["annotate", str(source), "-o", str(source)])
    assert refused.exit_code == 2 and "would overwrite the input" in refused.stderr
    assert sha(source) == before


def test_cli_annotate_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    for name in ("mixed.pdf", "mixed.docx"):
        first, second = tmp_path / f"1-{name}", tmp_path / f"2-{name}"
        runner.invoke(app, ["annotate", str(SAMPLES / name), "-o", str(first)])
        runner.invoke(app, ["annotate", str(SAMPLES / name), "-o", str(second)])
        assert first.read_bytes() == second.read_bytes()


def _encrypt(source: Path, target: Path, user: str, owner: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    with target.open("wb") as fh:
        writer.write(fh)


def _one_line(result) -> str:
    """The one line about the copy (the line saying why the exit code is 1 aside)."""
    lines = [ln for ln in result.stderr.splitlines() if ln.strip() and "at or beyond the fail level" not in ln]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_cli_annotate_refuses_protected_and_damaged_input_with_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    _encrypt(SAMPLES / "weak.pdf", locked, "secret", "owner")
    restricted = tmp_path / "restricted.pdf"
    _encrypt(SAMPLES / "weak.pdf", restricted, "", "owner")
    damaged_pdf = tmp_path / "damaged.pdf"
    damaged_pdf.write_bytes((SAMPLES / "weak.pdf").read_bytes()[:2000])
    damaged_docx = tmp_path / "damaged.docx"
    damaged_docx.write_bytes((SAMPLES / "weak.docx").read_bytes()[:3000])
    protected_docx = tmp_path / "protected.docx"  # what Word writes for a password: an OLE file with an EncryptedPackage stream
    protected_docx.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500)
    for path, words in ((locked, "password-protected pdf"), (restricted, "encrypted"), (damaged_pdf, "pdf"), (damaged_docx, "docx"),
                        (protected_docx, "password-protected docx")):
        result = runner.invoke(app, ["annotate", str(path), "-o", str(tmp_path / f"out{path.suffix}")])
        assert result.exit_code == 2, (path.name, result.output)
        line = _one_line(result)
        assert str(path) in line and words in line.lower() and "--password" not in line, line
        assert not (tmp_path / f"out{path.suffix}").exists()


def test_check_annotate_folder_one_copy_per_document_never_an_input(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLES / "weak.docx", tmp_path / folder / "plan.docx")
        shutil.copy(SAMPLES / "mixed.pdf", tmp_path / folder / "plan.pdf")
    (tmp_path / "b" / "plan.docx").write_bytes((SAMPLES / "mixed.docx").read_bytes())  # not a duplicate of a/plan.docx
    (tmp_path / "a" / "notes.md").write_text("# Notes\n\nNothing about homes.\n", encoding="utf-8")
    hashes = {p: sha(p) for p in tmp_path.rglob("*") if p.is_file()}
    out = tmp_path / "a"  # the folder of some inputs: the copies must not land on them
    result = runner.invoke(app, ["check", str(tmp_path / "a"), str(tmp_path / "b" / "plan.docx"), "--annotate", str(out),
                                 "-f", "json", "-o", str(tmp_path / "report.json")])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.glob("*.annotated.*")) == ["plan-2.annotated.docx", "plan.annotated.docx",
                                                                 "plan.annotated.pdf"]
    for path, digest in hashes.items():
        assert sha(path) == digest, f"{path} was written to"
    comments = docx_comments(out / "plan-2.annotated.docx")
    assert any("Verdicts:" in c["text"] for c in comments.values())


def test_batch_names_never_collide_with_inputs(tmp_path: Path) -> None:
    inputs = [str(tmp_path / "x" / "plan.pdf"), str(tmp_path / "y" / "plan.pdf"), str(tmp_path / "out" / "plan.annotated.pdf")]
    names = batch_outputs(inputs, tmp_path / "out")
    assert len(set(names.values())) == 3
    assert all(Path(n).resolve() not in {Path(i).resolve() for i in inputs} for n in names.values())


def test_annotated_pdf_opens_in_both_readers(tmp_path: Path, ruleset) -> None:
    import pypdfium2 as pdfium

    output = tmp_path / "weak.pdf"
    annotate(SAMPLES / "weak.pdf", check_file(str(SAMPLES / "weak.pdf"), ruleset), output)
    pdf = pdfium.PdfDocument(str(output))
    try:
        assert len(pdf) == len(pdfium.PdfDocument(str(SAMPLES / "weak.pdf")))
        page = pdf[0]
        assert page.get_textpage().get_text_range() == pdfium.PdfDocument(str(SAMPLES / "weak.pdf"))[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert io.BytesIO(output.read_bytes()).getvalue().rstrip().endswith(b"%%EOF")


def test_a_pdf_that_pypdf_repairs_gets_no_warnings_on_stderr(tmp_path: Path) -> None:
    """Regression: pypdf's repair messages ("incorrect startxref pointer") leaked onto stderr."""
    data = (SAMPLES / "weak.pdf").read_bytes()
    cut = data.index(b"\n") + 1
    shifted = tmp_path / "shifted.pdf"  # every xref offset is now 9 bytes off: readers repair it
    shifted.write_bytes(data[:cut] + b"%padding\n" + data[cut:])
    result = runner.invoke(app, ["annotate", str(shifted), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 1, result.output
    marked = re.search(r"\b([1-9]\d*) of \1 quoted passages marked", _one_line(result))
    assert marked, _one_line(result)
    assert len(pdf_highlights(tmp_path / "out.pdf")) >= int(marked.group(1))


def test_check_annotate_quiet_notes_only_failures(tmp_path: Path) -> None:
    """Regression: `check --annotate DIR -q` still wrote a note per annotated copy on stderr,
    though -q promises only the report and errors."""
    shutil.copy(SAMPLES / "weak.docx", tmp_path / "plan.docx")
    out = tmp_path / "reviewed"
    quiet = runner.invoke(app, ["check", str(tmp_path / "plan.docx"), "--annotate", str(out), "-q", "--fail-on", "never",
                                "-f", "json", "-o", str(tmp_path / "r.json")])
    assert quiet.exit_code == 0, quiet.output
    assert (out / "plan.annotated.docx").exists()
    assert quiet.stderr == ""
    loud = runner.invoke(app, ["check", str(tmp_path / "plan.docx"), "--annotate", str(tmp_path / "again"), "--fail-on", "never",
                               "-f", "json", "-o", str(tmp_path / "r2.json")])
    assert "quoted passages marked" in loud.stderr


def test_cli_annotate_reads_as_check_does_with_its_engine_and_ocr_options(tmp_path: Path) -> None:
    """annotate had no --pdf-engine or --ocr (a new-user trial): a plan checked with them could
    not be annotated from the same reading. The summary note carries the same verdicts."""
    target = tmp_path / "weak.annotated.pdf"
    result = runner.invoke(app, ["annotate", str(SAMPLES / "weak.pdf"), "-o", str(target), "--pdf-engine", "pdfplumber",
                                 "--ocr", "never", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b([1-9]\d*) of \1 quoted passages marked", result.stderr), result.stderr
    bad = runner.invoke(app, ["annotate", str(SAMPLES / "weak.pdf"), "-o", str(target), "--ocr", "sometimes"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_cli_annotate_a_file_whose_name_is_not_utf8(tmp_path: Path, suffix: str) -> None:
    """Regression (new-user trial, 2026-12-07): a name with an undecodable byte went into the
    summary note raw, and pypdf and lxml raised a traceback (exit 1, like findings); in a batch
    nothing was written. The note and the messages escape it, as every other output does."""
    name = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    source = tmp_path / f"{name}{suffix}"
    shutil.copy(SAMPLES / f"mixed{suffix}", source)
    result = runner.invoke(app, ["annotate", str(source)])
    assert result.exit_code == 1, result.output  # the sample's gap, not a crash
    assert (tmp_path / f"{name}.annotated{suffix}").is_file()
    assert f"caf\\xe9{suffix}: 1 finding(s)" in result.stderr
    batch = runner.invoke(app, ["check", str(tmp_path), "--annotate", str(tmp_path / "out"), "-o", str(tmp_path / "r.json")])
    assert batch.exit_code == 1 and (tmp_path / "r.json").is_file(), batch.output


@pytest.mark.parametrize("name", ["mixed.pdf", "mixed.docx"])
def test_an_annotated_copy_written_through_a_link_keeps_the_link_and_the_file_mode(
    name: str, tmp_path: Path, ruleset
) -> None:
    """Regression (new-user run, 2026-12-08): annotate wrote its copy by renaming a new file over the name it
    was given, so `-o /dev/null` replaced the device with a PDF, a FIFO or a symlink became a regular file,
    and a 600 file became 644. Like every other output it now goes through assure.safewrite."""
    source = SAMPLES / name
    real = tmp_path / f"private{source.suffix}"
    real.write_bytes(b"")
    real.chmod(0o600)
    link = tmp_path / f"link{source.suffix}"
    link.symlink_to(real.name)
    annotate(source, check_file(str(source), ruleset), link)
    assert link.is_symlink()
    assert real.stat().st_size > 0
    assert real.stat().st_mode & 0o777 == 0o600


def test_a_quote_repeated_under_one_heading_is_placed_at_its_first(tmp_path: Path, ruleset) -> None:
    """Regression (real Arun access report, 2026-12-08): a sentence printed twice under one heading (in a
    table and in the text) was left unmarked as ambiguous, though its words are the same at each."""
    import docx

    document = docx.Document()
    document.add_heading("Health and wellbeing in the district", level=1)
    document.add_paragraph("Our health and wellbeing priorities cover adult social care, mental health and the NHS.")
    document.add_heading("Housing support providers", level=2)
    repeated = "Bognor Housing Trust is a housing support provider operating in Bognor Regis."
    document.add_paragraph(repeated)
    document.add_paragraph("Public health and primary care teams refer people to it each week.")
    document.add_paragraph(repeated)
    source = tmp_path / "plan.docx"
    document.save(str(source))
    result = check_file(str(source), ruleset)
    assert any(e.quote == repeated for q in result.questions for e in q.evidence), result
    placed = annotate(source, result, tmp_path / "out.docx")
    assert not placed.unplaced, placed.unplaced
