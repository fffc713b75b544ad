"""Scans (OCR), OpenDocument, saved web pages and legacy Word: the same verdicts as the text originals.

The scanned, ODT, HTML and .doc copies of the samples are made here, at test time: scans by
rendering each sample PDF with pypdfium2 and saving the images as an image-only PDF with
Pillow; the others by LibreOffice. Tests needing Tesseract or LibreOffice skip without them
(.ci/run installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assure.extract import ExtractOptions, extract
from assure.extract.legacy import soffice
from assure.extract.ocr import missing
from assure.models import BlockKind, DocStatus, Place
from assure.runner import CheckOptions, check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("mixed", "strong", "weak")
SCAN_DPI = 150

needs_tesseract = pytest.mark.skipif(missing() is not None, reason=f"OCR unavailable ({missing()}); .ci/run installs tesseract-ocr")
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed; .ci/run installs libreoffice-writer-nogui")


def verdicts(path: Path, ruleset, **extract_options: object) -> list[str]:  # noqa: ANN001
    result = check_file(str(path), ruleset, CheckOptions(extract=ExtractOptions(**extract_options)))
    assert result.status is DocStatus.OK, (path, result.error)
    return [q.status.value for q in result.questions]


def scan(pdf: Path, out: Path, pages: list[int] | None = None) -> Path:
    """An image-only copy of ``pdf``: every page rendered at SCAN_DPI, no text layer left."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil() for i in (pages or range(len(doc)))]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    doc.close()
    return out


def convert(sources: list[Path], target: str, out_dir: Path) -> list[Path]:
    """LibreOffice conversion of several files in one run, with a private profile."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(out_dir), *map(str, sources)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(out_dir)})
    ext = target.split(":")[0]
    return [out_dir / f"{s.stem}.{ext}" for s in sources]


# ------------------------------------------------------------------ OCR

@needs_tesseract
@pytest.mark.parametrize("name", SAMPLES)
def test_scanned_samples_get_the_text_pdfs_verdicts(name: str, tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    """Done-when of issue 15: each sample, scanned, agrees with its text PDF on at least 9 of 10 questions."""
    text = verdicts(ROOT / "samples" / f"{name}.pdf", ruleset)
    scanned_pdf = scan(ROOT / "samples" / f"{name}.pdf", tmp_path / f"{name}-scan.pdf")
    assert extract(scanned_pdf, ExtractOptions(ocr="never")).blocks == ()  # really no text layer
    scanned = verdicts(scanned_pdf, ruleset)
    agree = sum(a == b for a, b in zip(text, scanned, strict=True))
    assert agree >= 9, (name, text, scanned)


@needs_tesseract
def test_ocr_text_is_marked_with_its_confidence_and_only_scanned_pages_are_read(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    """A plan with two scanned pages and four text pages: only the scans are OCR'd; their
    blocks, evidence and JSON say so, with a confidence per page."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(ROOT / "samples" / "mixed.pdf"))
    mixed = pdfium.PdfDocument(str(scan(ROOT / "samples" / "mixed.pdf", tmp_path / "two.pdf", pages=[3, 4])))
    mixed.import_pages(src, [0, 1, 2], index=0)
    mixed.import_pages(src, [5])
    mixed.save(str(tmp_path / "half.pdf"))
    doc = extract(tmp_path / "half.pdf")
    assert [p for p, _ in doc.ocr_pages] == [4, 5] and all(c >= 80 for _, c in doc.ocr_pages)
    assert {b.page for b in doc.blocks if b.ocr} == {4, 5} and not doc.unreadable_pages
    # the text pages are still read by layout, as in the all-text PDF (regression: one OCR'd page
    # once sent the whole document down the line-by-line reader)
    whole = extract(ROOT / "samples" / "mixed.pdf", ExtractOptions(ocr="never"))
    def read(d):  # noqa: ANN001, ANN202
        return [(b.page, b.kind, b.text, b.section) for b in d.blocks if b.page in (1, 2)]
    assert read(doc) == read(whole)
    from assure.report.json import document_dict

    entry = json.loads(json.dumps(document_dict(check_file(str(tmp_path / "half.pdf"), ruleset))))
    assert [p["page"] for p in entry["ocr_pages"]] == [4, 5]
    quoted = [e for q in entry["questions"] for e in q["evidence"]]
    assert quoted and all((e.get("source") == "ocr") == (e["page"] in (4, 5)) for e in quoted)


@needs_tesseract
def test_words_ocr_finds_on_a_scanned_map_open_no_section(tmp_path: Path) -> None:
    """A map scanned into a plan with a text layer: its place names, read by OCR, once became a
    heading ("DODDINGTON GOREFIELD WISBECH ...") that titled every page after it (a new-user
    trial on a Local Plan). The pages after keep the section the text layer gave them."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    source = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(source), pagesize=A4)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(57, 760, "5. Housing and health")
    c.setFont("Helvetica", 10)
    c.drawString(57, 730, "Cold and damp homes harm the health of older residents in the district.")
    c.showPage()
    c.setFont("Helvetica-Bold", 30)
    for k, name in enumerate(["DODDINGTON GOREFIELD", "WISBECH ST MARY", "MARCH CHATTERIS"]):
        c.drawString(80 + 40 * k, 700 - 150 * k, name)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(57, 760, "The council will fund home insulation for households in fuel poverty from April.")
    c.save()
    text = pdfium.PdfDocument(str(source))
    merged = pdfium.PdfDocument(str(scan(source, tmp_path / "map.pdf", pages=[1])))
    merged.import_pages(text, [0], index=0)
    merged.import_pages(text, [2])
    merged.save(str(tmp_path / "with-map.pdf"))
    doc = extract(tmp_path / "with-map.pdf")
    assert [p for p, _ in doc.ocr_pages] == [2]
    assert not [b for b in doc.blocks if b.page == 2 and b.kind is BlockKind.HEADING]
    after = next(b for b in doc.blocks if b.page == 3)
    assert after.section == ("5. Housing and health",), after


@needs_tesseract
def test_blank_page_stays_unreadable_after_ocr(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("L", (600, 800), 255).save(tmp_path / "blank.pdf", resolution=72)
    doc = extract(tmp_path / "blank.pdf")
    assert doc.blocks == () and len(doc.unreadable_pages) == 1


def test_without_tesseract_auto_notes_it_and_always_is_a_usage_error(tmp_path: Path) -> None:
    from PIL import Image

    page = Image.new("L", (600, 800), 255)
    page.save(tmp_path / "scan.pdf", resolution=72)
    env = {**os.environ, "ASSURE_TESSERACT": "", "NO_COLOR": "1"}
    auto = subprocess.run([sys.executable, "-m", "assure", "check", str(tmp_path / "scan.pdf")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert auto.returncode == 2 and "Traceback" not in auto.stderr
    assert "Tesseract is not installed" in auto.stderr and "apt-get install tesseract-ocr" in auto.stderr
    always = subprocess.run([sys.executable, "-m", "assure", "check", "--ocr", "always", str(tmp_path / "scan.pdf")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert always.returncode == 2 and always.stderr.count("\n") == 1 and "--ocr always: Tesseract is not installed" in always.stderr


# ------------------------------------------------------------------ LibreOffice conversions of the samples

@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    if soffice() is None:
        pytest.skip("LibreOffice not installed; .ci/run installs libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("converted")
    docx = [ROOT / "samples" / f"{n}.docx" for n in SAMPLES]
    return {"odt": convert(docx, "odt", out), "html": convert(docx, "html", out), "doc": convert(docx, "doc:MS Word 97", out)}


@pytest.mark.parametrize("fmt", ["odt", "html", "doc"])
def test_converted_samples_get_the_docx_verdicts(fmt: str, converted: dict[str, list[Path]], ruleset) -> None:  # noqa: ANN001
    for name, path in zip(SAMPLES, converted[fmt], strict=True):
        assert extract(path).format == fmt
        assert verdicts(path, ruleset) == verdicts(ROOT / "samples" / f"{name}.docx", ruleset), (fmt, name)


def test_odt_keeps_the_docx_block_model(converted: dict[str, list[Path]]) -> None:
    """Headings, list items, table rows, the contents page and the running header all line up with the DOCX."""
    odt, docx = extract(converted["odt"][0]), extract(ROOT / "samples" / "mixed.docx")
    def shape(doc):  # noqa: ANN001, ANN202 - the header's page field holds the last page number LibreOffice laid out
        return [(b.kind, b.place, b.section, b.text if b.place is not Place.RUNNING else b.text.rstrip("0123456789"))
                for b in doc.blocks]

    assert shape(odt) == shape(docx)


def test_rtf_is_read_through_libreoffice(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 We will fund a Home Improvement Agency to adapt homes "
                    rb"so older people can live independently, with 300 adaptations a year.\par}")
    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    doc = extract(rtf)
    assert doc.format == "rtf" and "Home Improvement Agency" in doc.blocks[0].text


def test_legacy_without_libreoffice_is_one_error_naming_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assure.errors import ExtractionError

    monkeypatch.setenv("ASSURE_SOFFICE", "")
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(rb"{\rtf1\ansi hello\par}")
    with pytest.raises(ExtractionError) as err:
        extract(rtf)
    assert err.value.code == "unsupported_format" and "RTF needs LibreOffice" in err.value.message
    assert "apt-get install libreoffice-writer-nogui" in err.value.message


# ------------------------------------------------------------------ HTML and ODT built here (no LibreOffice needed)

WEB_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Housing strategy | Borough Council</title>
<script>fetch('https://example.invalid/track')</script></head><body>
<div id="cookie-banner" class="cookie-consent">
<p>We use cookies to make this website work. Accept all cookies or manage your cookie settings.</p></div>
<header><nav><ul>
<li><a href="/">Home</a></li>
<li><a href="/council">Council and democracy</a></li>
<li><a href="/bins">Bins and recycling</a></li></ul></nav></header>
<main><h1>Housing and health strategy 2024 to 2029</h1>
<p>This strategy sets out how the council and the NHS will work together so that every resident lives in a warm, safe home.</p>
<h2>Warm and safe homes</h2>
<p>We will inspect every private rented home reported for damp and mould within 14 days, led by the Private Sector Housing Team.</p>
<ul>
<li>Fund insulation for 500 homes a year through the Warm Homes Grant.</li>
<li>Train health visitors to refer families living in cold homes.</li></ul>
<h3>How we will measure progress</h3>
<table><tr><th>Measure</th><th>Target</th></tr>
<tr><td>Homes insulated</td><td>500 a year</td></tr></table>
</main>
<footer><p>Copyright Borough Council 2024. Privacy notice. Accessibility statement. Contact us.</p></footer>
</body></html>"""


def test_web_page_main_content_with_headings_lists_and_tables(tmp_path: Path) -> None:
    page = tmp_path / "strategy.html"
    page.write_text(WEB_PAGE, encoding="utf-8")
    doc = extract(page)
    text = " ".join(b.text for b in doc.blocks)
    assert doc.format == "html"
    for furniture in ("cookies", "Bins and recycling", "Copyright", "Privacy notice", "fetch("):
        assert furniture not in text
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["Housing and health strategy 2024 to 2029", "Warm and safe homes", "How we will measure progress"]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [b.text for b in items] == ["Fund insulation for 500 homes a year through the Warm Homes Grant.",
                                       "Train health visitors to refer families living in cold homes."]
    assert items[0].section == ("Housing and health strategy 2024 to 2029", "Warm and safe homes")
    assert [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW] == ["Measure | Target", "Homes insulated | 500 a year"]


def test_web_page_is_sniffed_by_content_and_cited_by_heading(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    saved = tmp_path / "download"  # a browser's save with no extension
    saved.write_text(WEB_PAGE, encoding="utf-8")
    result = check_file(str(saved), ruleset, CheckOptions(screen=False))  # a one-screen page is short for the relevance screen
    assert result.format == "html" and result.status is DocStatus.OK
    cited = [e for q in result.questions for e in q.evidence]
    assert cited and all(e.page is None and e.section for e in cited)


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"')


def write_odt(path: Path, body: str, *, prolog: str = "", extra: dict[str, str | bytes] | None = None,
              mimetype: str = "application/vnd.oasis.opendocument.text") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored first, as the standard asks
        zf.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {ODF_NS}>'
                                   f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_odt_built_by_hand_headings_lists_tables_and_embedded_sheet(tmp_path: Path) -> None:
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:body><office:spreadsheet>'
             '<table:table><table:table-row><table:table-cell><text:p>Adaptations</text:p></table:table-cell>'
             '<table:table-cell><text:p>300</text:p></table:table-cell></table:table-row></table:table>'
             '</office:spreadsheet></office:body></office:document-content>')
    path = write_odt(tmp_path / "plan.odt",
                     '<text:h text:outline-level="1">Independent living</text:h>'
                     '<text:p>We will adapt<text:s text:c="2"/>homes.<text:note><text:note-body><text:p>a footnote</text:p>'
                     '</text:note-body></text:note></text:p>'
                     '<text:list><text:list-item><text:p>Grab rails</text:p></text:list-item>'
                     '<text:list-item><text:p>Stair lifts</text:p></text:list-item></text:list>'
                     '<table:table><table:table-row><table:table-cell><text:p>Measure</text:p></table:table-cell>'
                     '<table:table-cell><text:p>Target</text:p></table:table-cell></table:table-row></table:table>'
                     '<text:p><draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p>',
                     extra={"Object 1/content.xml": sheet})
    doc = extract(path)
    assert doc.format == "odt"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, "Independent living"), (BlockKind.PARAGRAPH, "We will adapt homes."),
        (BlockKind.LIST_ITEM, "Grab rails"), (BlockKind.LIST_ITEM, "Stair lifts"),
        (BlockKind.TABLE_ROW, "Measure | Target"), (BlockKind.TABLE_ROW, "Adaptations | 300")]
    assert all(b.section == ("Independent living",) and b.place is Place.BODY for b in doc.blocks[1:])


def test_odt_renamed_docx_is_sniffed_by_content(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "plan.docx", "<text:p>Warm homes for older residents across the borough.</text:p>")
    assert extract(path).format == "odt"


def test_other_opendocument_kinds_are_refused_clearly(tmp_path: Path) -> None:
    from assure.errors import ExtractionError

    path = write_odt(tmp_path / "slides.odp", "<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.presentation")
    with pytest.raises(ExtractionError) as err:
        extract(path)
    assert err.value.code == "unsupported_format" and "presentation" in err.value.message


def test_tools_found_for_ci() -> None:
    """When CI installed them (CI=true and root), the optional tools are really there, so a
    silent skip cannot hide a broken install step."""
    if os.environ.get("CI") != "true" or shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.skip("only checked in CI")
    if os.environ.get("ASSURE_CI_TOOLS") != "installed":
        pytest.skip(".ci/run could not install the optional tools on this machine")
    assert missing() is None and soffice() is not None


def test_odt_heading_over_the_docx_word_limit_is_body_text(tmp_path: Path) -> None:
    """Regression: ODT has DOCX's outline-level model, and DOCX reads a 'heading' of more than
    MAX_HEADING_WORDS words as a paragraph (LibreOffice's conversions carry outline levels on
    body text); an ODT's outline level or heading style made such a paragraph a heading."""
    from assure.extract.docx import MAX_HEADING_WORDS

    long_text = " ".join(["We will insulate the homes of older residents with respiratory illness"] * 4)
    assert len(long_text.split()) > MAX_HEADING_WORDS
    limit = " ".join(["Warm"] * MAX_HEADING_WORDS)  # exactly the limit: still a heading
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}><office:styles>'
              '<style:style style:name="Heading_20_2" style:family="paragraph" style:default-outline-level="2"/>'
              "</office:styles></office:document-styles>")
    path = write_odt(tmp_path / "plan.odt",
                     '<text:h text:outline-level="1">Independent living</text:h>'
                     f'<text:h text:outline-level="2">{long_text}</text:h>'
                     f'<text:p text:style-name="Heading_20_2">{long_text} by 2027</text:p>'
                     f'<text:h text:outline-level="2">{limit}</text:h>',
                     extra={"styles.xml": styles})
    blocks = [(b.kind, b.text) for b in extract(path).blocks]
    assert blocks == [
        (BlockKind.HEADING, "Independent living"),
        (BlockKind.PARAGRAPH, long_text),
        (BlockKind.PARAGRAPH, f"{long_text} by 2027"),
        (BlockKind.HEADING, limit),
    ]
    assert [b.section for b in extract(path).blocks][1:3] == [("Independent living",)] * 2
