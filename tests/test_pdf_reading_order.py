"""A designed page is read as a reviewer reads it, whatever order the PDF draws it in: a
paragraph sits under the heading printed above it in its column (regression: a left column's
paragraph drawn after the right column's title was cited under that title), a title's text in
the body style starts under it even with no gap, and near-black text or white labels on a
panel are not titles by colour."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.models import BlockKind

LEFT = [
    "In the last year the county had nine hundred emergency hospital admissions",
    "for hip fractures among people aged eighty and over, more than its neighbours.",
]
RIGHT = [
    "Older people are most at risk from falls, and women are more likely to suffer",
    "a fracture than men because of the prevalence of osteoporosis in later life.",
]
FILLER = [
    "The council and its partners will keep working on warm homes and safe streets",
    "so that people can live well at home for longer, as this plan sets out in full.",
]


def _lines(c: canvas.Canvas, x: float, y: float, lines: list[str], size: float = 10, pitch: float = 13) -> None:
    c.setFont("Helvetica", size)
    for k, text in enumerate(lines):
        c.drawString(x, y - k * pitch, text)


def _section_of(doc, words: str) -> tuple[str, ...]:  # noqa: ANN001 - a Document
    return next(b.section for b in doc.blocks if words in b.text)


def test_a_paragraph_drawn_after_the_other_columns_title_sits_under_its_own(tmp_path: Path) -> None:
    path = tmp_path / "case-study.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    _lines(c, 40, 540, FILLER)  # body text elsewhere keeps 10 pt the body size
    c.setFont("Helvetica-Bold", 13)
    c.drawString(40, 480, "Why are falls important here?")
    c.drawString(440, 500, "Who is most at risk from falls?")
    _lines(c, 440, 475, RIGHT)
    _lines(c, 40, 440, LEFT)  # drawn last, printed under the left title
    c.showPage()
    c.save()
    doc = extract(path)
    assert _section_of(doc, "nine hundred emergency")[-1] == "Why are falls important here?"
    assert _section_of(doc, "most at risk from falls, and")[-1] == "Who is most at risk from falls?"
    texts = [b.text for b in doc.blocks]
    assert texts.index("Why are falls important here?") < next(i for i, t in enumerate(texts) if "nine hundred" in t)


def test_text_drawn_before_a_title_above_it_in_another_column_keeps_its_own_title(tmp_path: Path) -> None:
    """A block with no title above it in its column stays with the title drawn before it."""
    path = tmp_path / "two-columns.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica-Bold", 13)
    c.drawString(40, 540, "Housing")
    _lines(c, 40, 515, FILLER + LEFT)
    _lines(c, 440, 540, RIGHT)  # the right column carries the left one on, with no title of its own
    c.setFont("Helvetica-Bold", 13)
    c.drawString(440, 470, "Transport")
    _lines(c, 440, 445, FILLER)
    c.showPage()
    c.save()
    doc = extract(path)
    assert _section_of(doc, "most at risk from falls, and")[-1] == "Housing"
    assert [b.section[-1] for b in doc.blocks if "warm homes" in b.text] == ["Housing", "Transport"]


def test_a_title_runs_straight_into_body_text_a_little_smaller(tmp_path: Path) -> None:
    """"Social Mobility" in 11.2 pt over body text in 10.5 pt at the body's line pitch."""
    path = tmp_path / "summary.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 60, 760, FILLER + LEFT, size=10.5)
    c.setFillColorRGB(0.02, 0.49, 0.83)
    c.setFont("Helvetica", 11.2)
    c.drawString(60, 690, "Social Mobility")
    c.setFillColorRGB(0, 0, 0)
    _lines(c, 60, 676, RIGHT, size=10.5)
    c.showPage()
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["Social Mobility"]
    assert _section_of(doc, "most at risk from falls, and") == ("Social Mobility",)


def test_near_black_text_and_white_panel_labels_are_not_titles_by_colour(tmp_path: Path) -> None:
    path = tmp_path / "colours.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, 780, "Healthy behaviours")
    c.setFillColorRGB(0.2, 0.2, 0.2)  # the body is #333333
    _lines(c, 60, 750, FILLER + LEFT + FILLER)
    c.setFillColorRGB(0, 0, 0)  # a paragraph in black is still body text
    _lines(c, 60, 660, ["Smoking in the county is at an all time low", *RIGHT])
    c.setFillColorRGB(0.1, 0.3, 0.6)
    c.rect(300, 560, 200, 40, fill=1, stroke=0)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("Helvetica", 10)
    c.drawString(310, 575, "How is it measured")  # a label on a filled panel
    c.setFillColorRGB(0.2, 0.2, 0.2)
    _lines(c, 60, 540, FILLER)
    c.showPage()
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["Healthy behaviours"]


def test_a_short_title_over_its_paragraph_in_the_same_type_is_a_heading(tmp_path: Path) -> None:
    """A profile set in one large bold type throughout a page: "Years of Life Lost (YLL)" stands
    alone over a wider paragraph, so it titles it; a sentence line of the same width does not."""
    path = tmp_path / "profile.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    _lines(c, 40, 560, FILLER * 4, size=6.5, pitch=8)  # the small type most of the document is set in
    c.setFont("Helvetica-Bold", 13.5)
    y = 470
    for text in ["Years of Life Lost (YLL)", "YLL is a measure of premature mortality within a group of people, and",
                 "is calculated by starting with the life expectancy of a given age group in a year,",
                 "then subtracting the age at which a person in that age group dies, in years.",
                 "Years Lived With Disability (YLD)", "YLD is a measure of the amount of time lived with a disability, and",
                 "is calculated by multiplying the severity of a disability by its duration in years."]:
        y -= 24 if text.startswith("Years") else 17
        c.drawString(40, y, text)
    c.showPage()
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == [
        "Years of Life Lost (YLL)", "Years Lived With Disability (YLD)"]
    assert _section_of(doc, "life expectancy of a given")[-1] == "Years of Life Lost (YLL)"
    assert _section_of(doc, "severity of a disability")[-1] == "Years Lived With Disability (YLD)"
