"""Layout reading of charts, notes and panels (issue 10, round r9), on PDFs generated here with
reportlab: a chart's value axis marks its plotted area (a bold title there is its caption, a phrase
inside it a label), a run of numbered notes that are mostly figures stays notes, the body size is
read from lines of running text (not from a profile's many chart labels), a title set larger than
the small text right under it titles it, and an infographic's headline figure keeps its name."""

from __future__ import annotations

from pathlib import Path

from pdfdraw import draw_lines as _lines
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.extract.layout import Item, Line, PageLines, _small_beside, body_style
from assure.models import BlockKind, Place
from assure.reading import block_kind, find_block

W, H = A4
PARA = [
    "Cold and damp homes harm the health of older residents, and the council will act on",
    "them with its partners over the next five years, starting with the private rented",
    "sector in the coastal towns where the oldest housing stock is found.",
]




def _axis(c: canvas.Canvas, x_right: float, y_top: float, ticks: list[str], step: float = 30) -> None:
    """A chart's value axis: figures one above another, right-aligned at ``x_right``."""
    c.setFont("Helvetica", 7)
    for k, tick in enumerate(ticks):
        c.drawRightString(x_right, y_top - step * k, tick)


def test_a_bold_title_inside_a_plotted_area_is_its_caption_and_a_phrase_there_a_label(tmp_path: Path) -> None:
    """A bold title set inside a chart, beside its value axis ("Emergency Hospital Admissions ...
    per 100,000)."), is the chart's caption though it ends with a full stop; a phrase inside the
    plot ("Projected average 2017 to 2032 = +4,800 a year") is a label; the text above is body."""
    path = tmp_path / "plot.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Self-harm"], size=16, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA)
    top = y - 40
    _axis(c, 80, top, ["300", "200", "100", "0"])
    _lines(
        c,
        100,
        top - 60,
        ["Emergency Hospital Admissions for Intentional Self-Harm 2010/11 to 2016/17"],
        size=8,
        font="Helvetica-Bold",
    )
    _lines(c, 100, top - 70, ["West Sussex and England (directly standardised rate - per 100,000)."], size=8)
    _lines(c, 260, top - 10, ["Projected average 2017 to 2032 = +4,800 a year"], size=9)
    c.save()
    doc = extract(path)
    title = find_block(doc, 1, "Emergency Hospital Admissions for Intentional Self-Harm")
    assert title is not None and block_kind(title) == "caption", title
    label = find_block(doc, 1, "Projected average 2017 to 2032")
    assert label is not None and block_kind(label) == "figure-label", label
    body = find_block(doc, 1, "Cold and damp homes harm")
    assert body is not None and body.place is Place.BODY and body.section[-1] == "Self-harm"


def test_a_title_just_over_a_plotted_area_is_a_caption_and_a_turned_axis_title_is_not(tmp_path: Path) -> None:
    """A bold title just above a chart's top tick, starting at its axis ("Year-on-year Change in
    65+ Population"), is the chart's caption, not a heading that the text after the chart would
    sit under; an axis title turned on its side beside the ticks stays a label."""
    path = tmp_path / "over.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Ageing population"], size=18, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA)
    _lines(c, 57, y - 20, ["Year-on-year Change in 65+ Population"], size=13, font="Helvetica-Bold")
    top = y - 50
    _axis(c, 80, top, ["8,000", "6,000", "4,000", "2,000", "0"])
    c.saveState()
    c.setFont("Helvetica-Bold", 8)
    c.translate(50, top - 120)
    c.rotate(90)
    c.drawString(0, 0, "Number of people")
    c.restoreState()
    _lines(
        c,
        57,
        top - 180,
        [
            "The pace of change is set to increase over the next fifteen years as more people",
            "reach retirement age in the county's coastal towns and rural villages.",
        ],
    )
    c.save()
    doc = extract(path)
    title = find_block(doc, 1, "Year-on-year Change in 65+ Population")
    assert title is not None and block_kind(title) == "caption", title
    after = find_block(doc, 1, "The pace of change is set to increase")
    assert after is not None and after.section[-1] == "Ageing population", after
    turned = find_block(doc, 1, "Number of people")
    assert turned is None or block_kind(turned) != "caption"


def test_numbered_notes_of_figures_at_the_page_foot_are_footnotes(tmp_path: Path) -> None:
    """A run of numbered notes that are mostly references ("266 BC 58.", "267 BC 1, BC 2.") is
    footnotes, as the notes in words below them are; a legend's "1 bedroom" / "2 bedrooms" at the
    foot of another page is not."""
    path = tmp_path / "notes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 57, H - 60, PARA * 6, size=11, leading=14)
    c.line(57, 200, W - 57, 200)
    _lines(
        c,
        57,
        185,
        [
            "266 BC 58.",
            "267 BC 1, BC 2.",
            "268 Q 342.",
            "269 BC 161.",
            "270 The influence of taxes and subsidies on energy purchased, Epstein et al, 2010.",
        ],
        size=8,
        leading=12,
    )
    c.showPage()
    _lines(c, 57, H - 60, PARA * 6, size=11, leading=14)
    _lines(c, 57, 150, ["1 bedroom", "2 bedrooms", "3 bedrooms", "4+ bedrooms"], size=8, leading=12)
    c.save()
    doc = extract(path)
    for note in ("266 BC 58.", "267 BC 1, BC 2.", "269 BC 161.", "270 The influence of taxes"):
        block = find_block(doc, 1, note)
        assert block is not None and block.place is Place.FOOTNOTE, (note, block)
    legend = find_block(doc, 2, "2 bedrooms")
    assert legend is not None and legend.place is not Place.FOOTNOTE, legend


def test_the_body_size_is_read_from_lines_of_running_text() -> None:
    """A data profile sets more characters in short chart labels (6.5 pt) than in its text
    (10.5 pt): the body is the size of most characters in lines of five or more words."""
    labels = [Line(f"{k * 10}.5%", x0=10, x1=30, top=k * 5, bottom=k * 5 + 4, size=6.5) for k in range(150)]
    text = [
        Line(
            "Adur has an older age structure than England, and women live longer",
            x0=10,
            x1=300,
            top=600 + k * 14,
            bottom=610 + k * 14,
            size=10.5,
        )
        for k in range(5)
    ]
    page = PageLines(1, 595, 842, labels + text)
    assert body_style([page]) == (10.5, False)
    assert body_style([PageLines(1, 595, 842, labels)]) == (6.5, False)  # no running text: every line counts


def test_a_title_set_larger_than_the_small_text_under_it_titles_it(tmp_path: Path) -> None:
    """A call-out's title in 9.5 pt (smaller than the 11 pt body) over its own text in 8 pt at the
    same margin titles that text; the body's own paragraphs keep the page's heading."""
    path = tmp_path / "callout.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Local networks"], size=18, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA * 4, size=11, leading=14)
    y = _lines(c, 57, y - 30, ["Community Networks"], size=9.5)
    _lines(
        c,
        57,
        y - 3,
        [
            "Community Networks provide a forum to bring local government,",
            "health and voluntary partners together to tackle inequalities.",
        ],
        size=8,
        leading=10,
    )
    c.save()
    doc = extract(path)
    title = find_block(doc, 1, "Community Networks")
    assert title is not None and title.kind is BlockKind.HEADING, title
    text = find_block(doc, 1, "provide a forum to bring local government")
    assert text is not None and text.section[-1] == "Community Networks", text


def test_the_name_over_a_headline_figure_is_a_label_not_a_heading(tmp_path: Path) -> None:
    """An infographic's "Residents" set straight over its headline figure "852,400" is the
    figure's name (both labels), not a heading: the text under it stays in the page's section."""
    path = tmp_path / "headline.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    w, h = landscape(A4)
    _lines(c, 20, h - 40, ["People and Places"], size=22, font="Helvetica-Bold")
    _lines(c, 20, h - 80, ["Residents"], size=19, font="Helvetica-Bold")
    _lines(c, 20, h - 100, ["852,400"], size=22, font="Helvetica-Bold")
    _lines(
        c,
        20,
        h - 125,
        [
            "There has been a 10% increase in the last 10 years, due, in the main to net",
            "inward migration from elsewhere in the UK.",
        ],
        size=11,
        leading=14,
    )
    _lines(c, 20, h - 200, PARA * 3, size=11, leading=14)
    c.save()
    doc = extract(path)
    name = find_block(doc, 1, "Residents")
    assert name is not None and block_kind(name) == "figure-label", name
    text = find_block(doc, 1, "There has been a 10% increase")
    assert text is not None and text.section[-1] == "People and Places", text


def test_small_items_side_by_side_at_the_foot_are_panels_and_one_under_another_notes() -> None:
    """On an infographic's page the footnote rule asks _small_beside: a small item level with
    another small one and apart from it ("MALE life expectancy" beside "FEMALE life expectancy",
    the A&W profile's last row) is a panel; notes that run down one column are not beside each other."""

    def item(text: str, x0: float, top: float) -> Item:
        return Item(BlockKind.PARAGRAPH, [Line(text, x0=x0, x1=x0 + 60, top=top, bottom=top + 7, size=6.7)], 1)

    row = [item("MALE life expectancy", 20, 516), item("FEMALE life expectancy", 120, 518)]
    assert _small_beside(row, row[0], 9.6) and _small_beside(row, row[1], 9.6)
    notes = [item("1 ONS mid-year estimates", 20, 520), item("2 Census 2021", 20, 530)]
    assert not _small_beside(notes, notes[0], 9.6)
