"""Titles the layout reader finds (assure/extract/layout.py), on PDFs generated here with
reportlab: panel titles PDFium joins into one line, and a title in the body type over a
paragraph that hangs its number in the margin. From issue 10's reading labels (round r11)."""

from __future__ import annotations

from pathlib import Path

from pdfdraw import draw_lines as _lines
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.models import BlockKind

W, H = A4




def _panel_row(path: Path, titles: list[tuple[float, str]], texts: list[tuple[float, list[str]]], size: float = 13.5) -> None:
    """One row of panels: bold titles on one baseline (drawn as one run, so PDFium reads them as
    one line), each over its own short text in the body size."""
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 40, H - 40, ["Wyvern - Protected characteristics"], size=22, font="Helvetica-Bold")
    c.setFont("Helvetica-Bold", size)
    run = c.beginText()
    run.setTextOrigin(titles[0][0], H - 100)
    for k, (x, title) in enumerate(titles):
        if k:
            run.moveCursor(x - titles[k - 1][0], 0)
        run.textOut(title)
    c.drawText(run)
    for x, text in texts:
        _lines(c, x, H - 124, text)
    c.save()


def test_bold_panel_titles_joined_into_one_line_are_one_heading_each(tmp_path: Path) -> None:
    """Three bold titles, one over each panel of a row ("Religion      Sex      Sexual
    Orientation"), that PDFium joins into one line across the gutters: a heading each, and the
    text under each panel sits under its own title (was: one heading "Religion Sex Sexual
    Orientation" over all three)."""
    path = tmp_path / "panels.pdf"
    titles = [(60, "Religion"), (240, "Sex"), (420, "Sexual Orientation")]
    texts = [
        (40, ["No religion 47.9%", "Christian 43.1%"]),
        (220, ["As women, on average, live", "longer, more of the old are", "female."]),
        (400, ["Gay or Lesbian 1.9%", "Bisexual 1.2%"]),
    ]
    _panel_row(path, titles, texts)
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert {"Religion", "Sex", "Sexual Orientation"} <= set(headings), headings
    women = next(b for b in doc.blocks if "women, on average" in b.text)
    assert women.section[-1] == "Sex"
    bisexual = next(b for b in doc.blocks if "Bisexual" in b.text)
    assert bisexual.section[-1] == "Sexual Orientation"


def test_a_bold_title_with_wide_word_spaces_and_a_header_of_figures_stay_whole(tmp_path: Path) -> None:
    """The split needs a gutter of two font sizes between capitalised runs with no figures: a
    row of bold column headers with years ("Area   2023   2024") is not panel titles."""
    path = tmp_path / "header.pdf"
    _panel_row(path, [(60, "Area"), (240, "2023"), (420, "2024")], [(40, ["Adur"]), (220, ["64,688"]), (400, ["64,889"])])
    doc = extract(path)
    assert not {"Area", "2023", "2024"} & {b.text for b in doc.blocks if b.kind is BlockKind.HEADING}


def _numbered_paragraph(c: canvas.Canvas, ending: list[str]) -> float:
    """A chapter title over paragraph 7.8, its number hung in the margin, ending in ``ending``;
    the baseline after it."""
    y = _lines(c, 82, H - 60, ["The obesogenic environment"], size=14, font="Helvetica-Bold")
    c.setFont("Helvetica", 11)
    c.drawString(82, y - 8, "7.8.")
    return _lines(c, 111, y - 8, ["Several witnesses acknowledged that, following the report, the", *ending], size=11, leading=14)


def test_a_title_in_the_body_type_over_a_paragraph_with_a_hanging_number_is_a_heading(tmp_path: Path) -> None:
    """A report whose lowest titles are set in the body type, standing alone over numbered
    paragraphs that hang their numbers in the margin ("Change4Life" over "7.9. Change4Life
    began ...", the words under the title): the title is a heading and names the paragraph."""
    path = tmp_path / "hung.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _numbered_paragraph(c, ["department had made efforts to pursue an evidence-based approach."])
    y = _lines(c, 111, y - 16, ["Healthy Start"], size=11)
    c.setFont("Helvetica", 11)
    c.drawString(82, y - 8, "7.9. Healthy Start began in January 2009 and is currently described as the")
    _lines(
        c,
        111,
        y - 22,
        [
            "marketing component of the response to the rise in obesity in children.",
            "According to the department, the campaign aims to inspire a movement.",
        ],
        size=11,
        leading=14,
    )
    c.save()
    doc = extract(path)
    title = next(b for b in doc.blocks if b.text == "Healthy Start")
    assert title.kind is BlockKind.HEADING
    began = next(b for b in doc.blocks if "began in January" in b.text)
    assert began.section[-1] == "Healthy Start"


def test_a_short_last_line_over_a_numbered_paragraph_is_no_title(tmp_path: Path) -> None:
    """The last line of a paragraph, short and ending its sentence, over the next numbered
    paragraph is no title, hanging number or not."""
    path = tmp_path / "last-line.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _numbered_paragraph(c, ["department had made efforts to pursue an evidence-based", "approach to obesity."])
    c.setFont("Helvetica", 11)
    c.drawString(82, y - 8, "7.9. Healthy Start began in January 2009 and is currently described as the")
    _lines(c, 111, y - 22, ["marketing component of the response to the rise in obesity in children."], size=11)
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["The obesogenic environment"]


def test_a_bold_kicker_over_a_regular_name_is_one_title_below_the_chapter_titles(tmp_path: Path) -> None:
    """A panel titled by a bold kicker over a regular name in the same size ("A future scenario" /
    "Alesha's story") is one heading, as "Case study:" over a bold name is; a chapter's bold title
    over a regular subtitle at the chapter titles' size stays two headings (the subtitle names the
    chapter's first section), and so does a bold label over a regular line that wraps on."""
    path = tmp_path / "kicker.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    body = [
        "Alesha, 28, lives with her partner and their young daughter, and works part",
        "time at a local school; she has been suffering from abdominal pain for weeks.",
    ]
    y = _lines(c, 50, H - 80, ["The future of healthcare"], size=24, leading=30, font="Helvetica-Bold")
    y = _lines(c, 50, y, ["The decade ahead"], size=24, leading=30)
    _lines(
        c,
        50,
        y - 10,
        [
            "Over the next 25 years the number of people living in the city is predicted",
            "to grow by over 15 per cent, fastest in the areas of most disadvantage.",
        ],
    )
    c.showPage()
    y = _lines(c, 50, H - 80, ["A future scenario"], size=16, leading=21, font="Helvetica-Bold")
    y = _lines(c, 50, y, ["Alesha's story"], size=16, leading=21)
    y = _lines(c, 50, y - 10, body)
    y = _lines(c, 50, y - 20, ["Active travel"], size=16, leading=21, font="Helvetica-Bold")
    c.setFont("Helvetica", 16)
    c.drawString(50, y, "e.g. individual decision ")  # PDFium's soft wrap: the phrase runs on
    _lines(c, 50, y - 21, ["to walk, cycle or use public transport."], size=16)
    c.showPage()
    for title in ("Our vision", "Our partnership"):
        y = _lines(c, 50, H - 80, [title], size=24, leading=30, font="Helvetica-Bold")
        _lines(
            c,
            50,
            y - 10,
            [
                f"Working together under {title.lower()}, we have the ability to make a real",
                "difference to our local communities and to the wider world beyond them.",
            ],
        )
        c.showPage()
    c.save()
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert "A future scenario Alesha's story" in headings, headings
    assert "The future of healthcare" in headings and "The decade ahead" in headings
    assert not any(h.startswith("Active travel e.g.") for h in headings)
    alesha = next(b for b in doc.blocks if b.page == 2 and b.text.startswith("Alesha, 28"))
    assert alesha.section[-1] == "A future scenario Alesha's story"
