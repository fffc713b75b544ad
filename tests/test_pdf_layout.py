"""The layout reading of PDFs (assure/extract/layout.py): reading order across columns,
paragraphs joined across lines and pages, headings with levels, list items, tables from
geometry, and non-prose marked (figure labels, captions, footnotes, furniture), all on PDFs
generated here with reportlab. Regressions from issue 10: headings glued to the next
sentence, chart labels and note markers cutting sentences, sections named after the
previous section."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfdraw import draw_lines as _lines
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.models import BlockKind, Place
from assure.reading import block_kind, find_block, heading_key, load_reading_labels, score_reading

W, H = A4
PARA = [
    "Cold and damp homes harm the health of older residents, and the council will act on",
    "them with its partners over the next five years, starting with the private rented",
    "sector in the coastal towns where the oldest housing stock is found.",
]




def _furniture(c: canvas.Canvas, page: int) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(57, H - 30, "Wyvern Housing and Health Strategy")
    c.drawString(W - 90, 25, f"Page {page}")


def build_plan(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, 4):
        _furniture(c, page)
        if page == 1:
            y = _lines(c, 57, H - 80, ["1. Living and working well"], size=18, font="Helvetica-Bold")
            y = _lines(c, 57, y - 6, ["Homelessness and the health of people", "without a settled home"], size=13,
                       leading=16, font="Helvetica-Bold")
            y = _lines(c, 57, y - 4, PARA)
            y = _lines(c, 57, y - 10, ["People sleeping rough die thirty years earlier than the rest of the"])
            c.setFont("Helvetica", 10)
            c.drawString(57, y, "population, and we will fund an outreach nurse")
            c.setFont("Helvetica", 6)
            c.drawString(57 + c.stringWidth("population, and we will fund an outreach nurse", "Helvetica", 10), y + 4, "12")
            c.setFont("Helvetica", 10)
            y = _lines(c, 57, y - 13, ["from April 2025 to reach them where they sleep."])
            y = _lines(c, 57, y - 10, ["Figure 1 Deaths of people sleeping rough by year"], size=9)
            for k, label in enumerate(["2019", "2020", "2021", "2022"]):  # a chart's axis
                c.setFont("Helvetica", 7)
                c.drawString(80 + 90 * k, y - 40, label)
                c.drawString(80 + 90 * k, y - 20, f"{12 + k}%")
            _lines(c, 57, 80, ["12 Office for National Statistics, deaths of homeless people, 2023."], size=7)
            # a paragraph that runs over the page break
            _lines(c, 57, 140, ["Our housing options team will work with the hospital discharge team so that"])
        elif page == 2:
            _lines(c, 57, H - 80, ["nobody is discharged to the street, and will report on this every quarter."])
            y = _lines(c, 57, H - 120, ["Action plan"], size=13, font="Helvetica-Bold")
            y -= 6
            rows = [("Measure", "2023", "2028"), ("Households in temporary accommodation", "412", "300"),
                    ("People sleeping rough", "31", "10"), ("Homes made warm", "120", "900")]
            for row in rows:
                c.setFont("Helvetica", 10)
                for k, cell in enumerate(row):
                    c.drawString(57 + [0, 300, 400][k], y, cell)
                y -= 16
            y = _lines(c, 57, y - 10, ["We will:"])
            _lines(c, 57, y, ["\u2022 insulate 900 homes of people with heart or lung disease;",
                              "\u2022 fund a housing link worker in each hospital."])
        else:
            _lines(c, 57, H - 80, ["2. Working together"], size=18, font="Helvetica-Bold")
            left = ["The partnership board will oversee this strategy and", "meet every quarter in public, with the",
                    "housing and health leads reporting to it on progress."]
            right = ["District councils will share data on damp and mould", "complaints with general practices so",
                     "that children with asthma are seen first."]
            _lines(c, 57, H - 120, left)
            _lines(c, 310, H - 120, right)
        c.showPage()
    c.save()
    return path


def _block(doc, words: str):
    return next(b for b in doc.blocks if words in b.text)


def test_headings_have_levels_and_two_line_headings_are_one(tmp_path: Path) -> None:
    doc = extract(build_plan(tmp_path / "plan.pdf"))
    headings = [(b.text, b.page) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert ("Homelessness and the health of people without a settled home", 1) in headings
    para = _block(doc, "Cold and damp homes")
    assert para.section == ("1. Living and working well", "Homelessness and the health of people without a settled home")
    assert para.text.startswith("Cold and damp homes")  # not glued to the heading above
    assert _block(doc, "District councils").section == ("2. Working together",)


def test_paragraphs_join_across_lines_and_pages_and_markers_drop(tmp_path: Path) -> None:
    doc = extract(build_plan(tmp_path / "plan.pdf"))
    para = _block(doc, "Cold and damp homes")
    assert para.text.endswith("where the oldest housing stock is found.")
    nurse = _block(doc, "People sleeping rough die")
    assert "outreach nurse from April 2025" in nurse.text  # the superscript 12 is gone
    across = _block(doc, "Our housing options team")
    assert across.page == 1 and across.text.endswith("report on this every quarter.")


def test_non_prose_is_marked(tmp_path: Path) -> None:
    doc = extract(build_plan(tmp_path / "plan.pdf"))
    assert _block(doc, "Figure 1 Deaths").place is Place.CAPTION
    assert _block(doc, "12%").place is Place.FIGURE
    assert _block(doc, "Office for National Statistics").place is Place.FOOTNOTE
    assert doc.furniture and all(b.place is Place.RUNNING for b in doc.furniture)
    assert not any("Wyvern Housing and Health Strategy" in b.text for b in doc.blocks)


def test_tables_lists_and_columns(tmp_path: Path) -> None:
    doc = extract(build_plan(tmp_path / "plan.pdf"))
    rows = [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]
    assert "Households in temporary accommodation | 412 | 300" in rows
    items = [b.text for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert any(t.startswith("\u2022 insulate 900 homes") for t in items)
    order = [b.text for b in doc.blocks if b.page == 3 and b.kind is BlockKind.PARAGRAPH]
    assert order[0].startswith("The partnership board") and order[0].endswith("progress.")
    assert order[1].startswith("District councils")  # the left column is read before the right


def test_reading_scorer(tmp_path: Path) -> None:
    build_plan(tmp_path / "plan.pdf")
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "schema_version: 1\nroot: .\ndocuments:\n  - file: plan.pdf\n    layout: mixed\n    sections:\n"
        "      - {page: 1, text: 'them with its partners over the next', section: 'Homelessness and the health of people without a settled home'}\n"
        "      - {page: 3, text: 'complaints with general practices so', section: 'Working together'}\n"
        "      - {page: 3, text: 'meet every quarter in public', section: 'Living and working well'}\n"
        "    blocks:\n"
        "      - {page: 1, text: 'Deaths of people sleeping rough', kind: caption}\n"
        "      - {page: 2, text: 'People sleeping rough 31 10', kind: table-row}\n"
        "      - {page: 2, text: 'Page 2', kind: furniture}\n"
        "      - {page: 2, text: 'fund a housing link worker', kind: prose}\n",
        encoding="utf-8")
    result = score_reading(load_reading_labels(labels))
    assert [j.agrees for j in result.sections] == [True, True, False]  # the third label is wrong on purpose
    assert [j.agrees for j in result.kinds] == [True, True, True, False]
    assert result.kinds[-1].found == "list-item"
    assert heading_key("6.2.1 Overall") == heading_key("overall")


def test_find_block_tolerates_markers_and_spacing(tmp_path: Path) -> None:
    doc = extract(build_plan(tmp_path / "plan.pdf"))
    block = find_block(doc, 1, "outreach  nurse12 from April")
    assert block is not None and block_kind(block) == "prose"


def test_hard_wrapped_text_is_joined_into_paragraphs(tmp_path: Path) -> None:
    """A text conversion of a PDF: lines wrapped at ~70 characters, no blank lines between
    paragraphs. A line continues in the next unless it ends a sentence well short of the wrap."""
    lines = [
        "Cold and damp homes harm the health of older residents, and the council",
        "will act on them with its partners over the next five years, starting with",
        "the private rented sector in the coastal towns.",
        "People sleeping rough die thirty years earlier than the rest of the people",
        "in the county, and we will fund an outreach nurse from April 2025 onwards.",
        "Our partners agree.",
        "- insulate 900 homes of people with heart or lung disease in the county;",
        "- fund a housing link worker in each hospital from the spring of next year.",
    ]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    blocks = extract(path).blocks
    texts = [b.text for b in blocks]
    assert texts[0].startswith("Cold and damp") and texts[0].endswith("coastal towns.")
    assert texts[1].startswith("People sleeping rough") and texts[1].endswith("April 2025 onwards. Our partners agree.")
    assert [b.kind for b in blocks[2:]] == [BlockKind.LIST_ITEM, BlockKind.LIST_ITEM]


# -- regressions from the reading set (eval/reading) -------------------------------------------

def _blocks_of(path: Path) -> list:
    return list(extract(path).blocks)


def test_a_heading_drawn_after_its_text_is_read_above_it(tmp_path: Path) -> None:
    """Designed pages often draw the title last: its text must still sit under it."""
    path = tmp_path / "late.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 57, H - 140, PARA)
    _lines(c, 57, H - 200, ["Our second paragraph names the outreach nurse and the day centre team."])
    _lines(c, 57, H - 100, ["Foreword"], size=24, font="Helvetica-Bold")
    c.showPage()
    _lines(c, 57, H - 100, ["A plan for homes"], size=24, font="Helvetica-Bold")
    _lines(c, 57, H - 140, ["Everyone deserves a warm, safe and settled home in which to grow old."])
    c.save()
    blocks = _blocks_of(path)
    body = find_block(extract(path), 1, "Cold and damp homes harm the health")
    assert body is not None and body.section[-1] == "Foreword"
    assert next(b.text for b in blocks if b.kind is BlockKind.HEADING) == "Foreword"


def test_a_font_scaled_far_by_the_text_matrix_keeps_its_printed_size(tmp_path: Path) -> None:
    """A 1 pt font drawn at 30x (common in designed PDFs) is a 30 pt title, not 1 pt text."""
    path = tmp_path / "scaled.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    t = c.beginText()
    t.setTextTransform(30, 0, 0, 30, 57, H - 90)
    t.setFont("Helvetica-Bold", 1)
    t.textOut("Executive summary")
    c.drawText(t)
    _lines(c, 57, H - 130, PARA)
    c.showPage()
    _lines(c, 57, H - 100, ["Everyone deserves a warm, safe and settled home in which to grow old."])
    c.save()
    body = find_block(extract(path), 1, "Cold and damp homes harm the health")
    assert body is not None and body.section == ("Executive summary",)


def test_rows_read_as_one_gappy_line_become_table_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 57, H - 80, PARA)
    c.setFont("Helvetica", 10)
    for k, (area, district, share) in enumerate([("Aldwick", "Arun", "65.9%"), ("Ferring", "Arun", "65.1%"),
                                                ("Selsey", "Chichester", "54.1%")]):
        y = H - 160 - 16 * k
        c.drawString(120, y, area)
        c.drawString(260, y, district)
        c.drawString(400, y, share)
    c.save()
    doc = extract(path)
    row = find_block(doc, 1, "Ferring")
    assert row is not None and row.kind is BlockKind.TABLE_ROW and row.text == "Ferring | Arun | 65.1%"


def test_a_headline_figure_and_its_label_read_as_one_row_and_a_banner_keeps_the_subsection(tmp_path: Path) -> None:
    path = tmp_path / "panels.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in (1, 2):
        _lines(c, 57, H - 60, ["STARTING WELL"], size=14, font="Helvetica-Bold")
        if page == 1:
            _lines(c, 57, H - 100, ["Mental Health"], size=12, font="Helvetica-Bold")
            y = _lines(c, 57, H - 120, PARA)
            _lines(c, 57, y - 20, ["152"], size=26, font="Helvetica-Bold")
            _lines(c, 57, y - 40, ["households owed a duty under the", "Homelessness Reduction Act (2022/23)"])
        else:
            _lines(c, 57, H - 100, ["Self-harm admissions among young people rose again this year, and the council will"])
            _lines(c, 57, H - 113, ["respond with its partners in the schools and the health service."])
        c.showPage()
    c.save()
    doc = extract(path)
    row = find_block(doc, 1, "households owed a duty")
    assert row is not None and row.kind is BlockKind.TABLE_ROW and row.text.startswith("152 | households owed a duty")
    later = find_block(doc, 2, "Self-harm admissions among young people")
    assert later is not None and later.section[-1] == "Mental Health", later.section


def _chart_page_with_legend_and_panels(path: Path) -> Path:
    """Body text, a chart whose small legend sits just above its source line low on the page,
    and an infographic's panels low on the page ("250 healthtech companies")."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in (1, 2):
        y = _lines(c, 57, H - 60, ["Suicide method"], size=14, font="Helvetica-Bold")
        y = _lines(c, 57, y - 10, PARA)
        y = _lines(c, 57, y - 10, PARA)
        if page == 1:
            _lines(c, 57, H - 300, ["Figure 4 Proportion of suicides by method"], size=8)
            _lines(c, 80, 0.2 * H, ["Hanging/strangulation and suffocation", "Jumping from a high place",
                                    "Cutting/stabbing"], size=7, leading=9)
            _lines(c, 57, 0.2 * H - 36, ["Source: West Sussex Suicide Audit (cases with inquests in 2013 to 2015)"], size=8)
        else:
            for k, (figure, label) in enumerate([("250", "healthtech companies"), ("300", "life science companies")]):
                _lines(c, 80 + 200 * k, 0.18 * H - 40 * k, [f"{figure} {label}"], size=8)  # staggered panels
        c.showPage()
    c.save()
    return path


def test_a_chart_legend_over_its_source_line_and_panel_figures_at_the_foot_are_not_footnotes(tmp_path: Path) -> None:
    """Small text low on a page is a footnote only when it reads as one: a legend closed by
    the chart's source line, or a figure and what it counts, is the chart's."""
    doc = extract(_chart_page_with_legend_and_panels(tmp_path / "legend.pdf"))
    legend = find_block(doc, 1, "Jumping from a high place")
    assert legend is not None and legend.place is Place.FIGURE
    source = find_block(doc, 1, "Source: West Sussex Suicide Audit")
    assert source is not None and source.place is Place.CAPTION
    for snippet in ("250 healthtech companies", "300 life science companies"):
        panel = find_block(doc, 2, snippet)
        assert panel is not None and panel.place is Place.FIGURE, (snippet, panel)


def test_ranked_rows_run_together_after_a_table_row_are_rows_not_a_numbered_list(tmp_path: Path) -> None:
    """A ranked table whose later rows PDFium reads as one line ("2 Cardiovascular diseases
    (2,427) ...") carries on the table begun by the rows it did split into cells."""
    path = tmp_path / "ranked.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, PARA)
    c.setFont("Helvetica", 10)
    for k, cells in enumerate([("Rank", "Deaths", "Years of Life Lost"), ("1", "Neoplasms (2,892)", "Neoplasms (50,765)")]):
        for x, cell in zip((57, 120, 330), cells, strict=True):
            c.drawString(x, y - 20 - 14 * k, cell)
    _lines(c, 57, y - 48, ["2 Cardiovascular diseases (2,427) Cardiovascular diseases (33,791)",
                           "3 Neurological disorders (909) Neurological disorders (11,846)"])
    c.save()
    doc = extract(path)
    for snippet in ("1 | Neoplasms", "2 Cardiovascular diseases", "3 Neurological disorders"):
        row = find_block(doc, 1, snippet)
        assert row is not None and row.kind is BlockKind.TABLE_ROW, (snippet, row)


def test_a_bare_table_number_over_its_title_is_one_caption_not_two_headings(tmp_path: Path) -> None:
    """"TABLE 1" on a line of its own over "Table of interventions": a reader sees a table's
    caption, and the text around it stays under the section it was in."""
    path = tmp_path / "caption.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Choosing interventions"], size=16, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA)
    y = _lines(c, 260, y - 20, ["TABLE 1"], size=12, font="Helvetica-Bold")
    y = _lines(c, 235, y - 7, ["Table of interventions"], size=12, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, ["Eliminate choice", "Restrict choice", "Guide and enable choice"], size=9)
    _lines(c, 57, y - 20, ["The ladder of interventions orders these from the least to the most intrusive, and",
                           "the council will prefer the least intrusive that can work."])
    c.save()
    doc = extract(path)
    for snippet in ("TABLE 1", "Table of interventions"):
        block = find_block(doc, 1, snippet)
        assert block is not None and block.kind is BlockKind.PARAGRAPH and block.place is Place.CAPTION, (snippet, block)
    after = find_block(doc, 1, "The ladder of interventions")
    assert after is not None and after.section[-1] == "Choosing interventions"


def test_a_title_phrase_just_above_a_charts_labels_is_its_caption(tmp_path: Path) -> None:
    """An unnumbered chart title ("Emergency hospital admissions for self-harm 2010/11 to
    2016/17 in West Sussex and England") set just above the chart's labels is a caption, though
    it reads like a phrase of prose; a label inside the chart stays a label."""
    path = tmp_path / "title.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Self-harm"], size=16, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA)
    y = _lines(c, 57, y - 20, ["Emergency hospital admissions for self-harm 2010/11 to 2016/17 in West Sussex",
                               "and England (directly standardised rate per 100,000)"], size=9, font="Helvetica-Bold")
    for k, tick in enumerate(["6,000", "4,000", "2,000"]):  # the chart's axis
        _lines(c, 57, y - 14 - 30 * k, [tick], size=7)
    _lines(c, 120, y - 110, ["2010/11"], size=7)
    _lines(c, 300, y - 110, ["2016/17"], size=7)
    c.save()
    doc = extract(path)
    title = find_block(doc, 1, "Emergency hospital admissions for self-harm")
    assert title is not None and title.place is Place.CAPTION, title
    body = find_block(doc, 1, "Cold and damp homes harm")
    assert body is not None and body.place is Place.BODY


def test_names_each_with_a_web_address_are_a_list_of_links_not_figure_labels(tmp_path: Path) -> None:
    """A "Useful links" page: short names each over its web address read as a list's items,
    not as the scattered labels of a chart."""
    path = tmp_path / "links.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 60, ["Where to find help"], size=20, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, PARA)
    y -= 16
    for name, url in [("Astbury Centre", "http://www.astbury.leeds.ac.uk"), ("Leeds Cares", "https://leeds-cares.org"),
                      ("Henry Royce Institute", "https://www.royce.ac.uk"),
                      ("Leeds Institute for Data Analytics", "https://lida.leeds.ac.uk")]:
        y = _lines(c, 57, y, [name], size=9, font="Helvetica-Bold", leading=11)
        y = _lines(c, 57, y, [url], size=9, leading=11) - 10
    c.save()
    doc = extract(path)
    entry = find_block(doc, 1, "Leeds Institute for Data Analytics")
    assert entry is not None and entry.kind is BlockKind.LIST_ITEM and entry.place is Place.BODY, entry


def test_a_long_question_heading_over_three_lines_is_one_heading(tmp_path: Path) -> None:
    """Regression (new-user trial, an Inspector's report): "Issue 1 – Are the amounts of housing
    ... consistent with national policy?" runs to 24 words over three bold lines; over the old
    20-word limit it was read as a paragraph and its section filed under the issue before it."""
    path = tmp_path / "issues.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 100, ["Issue 1 \u2013 Are the amounts of housing and economic",
                                "development that the Plan aims to accommodate clearly",
                                "expressed, justified and consistent with national policy?"], size=12, leading=15,
               font="Helvetica-Bold")
    _lines(c, 57, y - 12, PARA)
    c.save()
    doc = extract(path)
    heading = next(b for b in doc.blocks if b.kind is BlockKind.HEADING)
    assert heading.text.startswith("Issue 1 \u2013 Are the amounts") and heading.text.endswith("national policy?")
    body = find_block(doc, 1, "Cold and damp homes harm the health")
    assert body is not None and heading.text.startswith(body.section[-1])  # a section title is cut at 120 characters


def test_bullets_drawn_as_shapes_make_list_items_and_legend_swatches_do_not(tmp_path: Path) -> None:
    """Regression: bullets drawn as small filled shapes (no character in the text layer) left
    their items read as one paragraph or as prose; a chart legend's swatches, each its own
    colour, are not bullets."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 72, H - 90, PARA)
    items = ["Improve the condition of private rented homes in the coastal towns",
             "Help older residents keep their homes warm through the winter months",
             "Prevent homelessness among young people leaving care in the county"]
    y -= 10
    for text in items:
        c.setFillColorRGB(0.1, 0.3, 0.6)
        c.circle(90, y + 3.5, 2.25, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 10)
        c.drawString(100, y, text)
        y -= 13
    y -= 30
    for colour, label in (((0.9, 0.2, 0.2), "Households owning their home outright"),
                          ((0.2, 0.7, 0.2), "Households renting from a private landlord")):
        c.setFillColorRGB(*colour)
        c.rect(300, y, 6, 6, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 8)
        c.drawString(312, y, label)
        y -= 12
    c.showPage()
    c.save()
    blocks = extract(path).blocks
    listed = [b.text for b in blocks if b.kind is BlockKind.LIST_ITEM]
    assert listed == items
    assert not any("Households" in b.text for b in blocks if b.kind is BlockKind.LIST_ITEM)


def test_digits_in_a_header_cell_set_higher_than_the_line_start_are_kept(tmp_path: Path) -> None:
    """Regression: a table header whose cells sit at different heights ("19 hours or / less"
    beside a vertically centred "20-49 hours") lost "49" as if it were a raised note marker;
    a note marker raised above its own word is still dropped."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(100, 700, "less")
    c.drawString(180, 703.5, "20-49 hours")
    c.drawString(280, 703.5, "50+ hours")
    y = _lines(c, 72, 640, PARA[:2])
    c.setFont("Helvetica", 10)
    c.drawString(72, y, "sector in the coastal towns where the oldest housing stock is found.")
    c.setFont("Helvetica", 6)
    c.drawString(72 + c.stringWidth("sector in the coastal towns where the oldest housing stock is found.", "Helvetica", 10),
                 y + 4, "12")
    c.showPage()
    c.save()
    text = " ".join(b.text for b in extract(path).blocks)
    assert "20-49 hours" in text
    assert "stock is found." in text and "found.12" not in text and "found. 12" not in text


def test_a_bold_numbered_heading_whose_middle_is_a_gap_is_a_heading(tmp_path: Path) -> None:
    """Regression (Suicide Prevention Strategy p.13): "6.2.2 Gender" is bold from end to end,
    but its middle character is the space PDFium puts in the gap between two runs, a space with
    no font; the line was read as not bold and filed as a paragraph under 6.2.1."""
    path = tmp_path / "gap.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = H - 100
    for number, title in (("6.2.1", "Overall"), ("6.2.2", "Gender")):
        c.setFont("Helvetica-Bold", 12)
        c.drawString(57, y, number)  # two runs with a gap between: PDFium supplies the space
        c.drawString(57 + c.stringWidth(number, "Helvetica-Bold", 12) + 4, y, title)
        y = _lines(c, 57, y - 20, PARA, size=12, leading=15) - 14  # the body's size: only bold marks the heading
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["6.2.1 Overall", "6.2.2 Gender"]
    second = [b for b in doc.blocks if b.text.startswith("Cold and damp")][1]
    assert second.section[-1] == "6.2.2 Gender"


def test_a_bold_axis_title_just_over_a_charts_source_line_is_a_label_not_a_heading(tmp_path: Path) -> None:
    """Regression (Falls JSNA p.11): a chart's bold axis title "Years", centred over the chart's
    "Source:" line, was read as a heading, and the source line and the text after it were filed
    under "Years". A section heading at the margin over a source line stays one."""
    path = tmp_path / "chart.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(57, H - 80, "Falls in older people")
    y = _lines(c, 57, H - 105, PARA)
    c.setFont("Helvetica", 10)
    c.drawString(57, y - 10, "Figure 3: Adults aged 65 and over projected to have a fall")
    for k, label in enumerate(("10,000", "20,000", "30,000")):
        c.drawString(70, y - 40 - 20 * k, label)
    c.setFont("Helvetica-Bold", 10.6)  # a touch larger than the text, as drawn
    c.drawString(280, y - 110, "Years")
    c.setFont("Helvetica", 10)
    c.drawString(57, y - 130, "Source: Health Survey for England (2005)")
    _lines(c, 57, y - 150, ["The projections assume that the prevalence of falls by age stays as it was in 2005."])
    c.setFont("Helvetica-Bold", 14)
    c.drawString(57, 200, "8.3 Caseloads")
    c.setFont("Helvetica", 10)
    c.drawString(57, 180, "Source: SPFT commissioner reports")
    _lines(c, 57, 160, ["In any one month about 3,000 children are open cases to the service."])
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["Falls in older people", "8.3 Caseloads"]
    after = find_block(doc, 1, "The projections assume")
    assert after is not None and after.section[-1] == "Falls in older people"
    # nor is a numbered heading set large a headline figure with the source line as its label
    assert not [b for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]


def test_a_running_head_drawn_mid_page_is_furniture(tmp_path: Path) -> None:
    """A corner header that PDFium gives in the middle of the page's text (drawn between two
    paragraphs) is still a running head: it sits in the top margin of every page."""
    path = tmp_path / "corner.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, 5):
        y = _lines(c, 57, H - 80, [f"{page}. Homes and health in part {page}"], size=16, font="Helvetica-Bold")
        y = _lines(c, 57, y - 8, PARA)
        c.setFont("Helvetica", 8)
        c.drawString(W - 200, H - 22, "Wyvern Health Profiles 2024/25")  # drawn mid-page, printed top right
        y = _lines(c, 57, y - 10, PARA)
        c.setFont("Helvetica", 8)
        c.drawString(W - 90, 25, f"Page {page}")
        c.showPage()
    c.save()
    doc = extract(path)
    assert not [b for b in doc.blocks if "Profiles" in b.text]
    assert sum("Profiles" in b.text for b in doc.furniture) == 4


def test_a_title_in_the_body_type_standing_alone_over_its_paragraph_is_a_heading(tmp_path: Path) -> None:
    """A plan whose lower titles differ from its text only by standing apart ("Tenure by district
    and boroughs" in 11 pt over 11 pt text): a heading, and the section of the text below it. A
    short line run into the text below it, or a row of a table, is not."""
    path = tmp_path / "plain-titles.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, ["Tenure and health"], size=14, font="Helvetica-Bold")
    y = _lines(c, 57, y - 8, PARA)
    y = _lines(c, 57, y - 14, ["Tenure by district and boroughs"])
    y = _lines(c, 57, y - 8, PARA)
    y = _lines(c, 57, y - 14, ["Name                         Organisation"])
    y = _lines(c, 57, y - 8, PARA)
    y = _lines(c, 57, y - 14, PARA[:2] + ["The figures below"])  # a paragraph's short last line
    _lines(c, 57, y - 8, PARA)
    c.save()
    doc = extract(path)
    title = next(b for b in doc.blocks if b.text == "Tenure by district and boroughs")
    assert title.kind is BlockKind.HEADING
    below = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH and b.section[-1:] == ("Tenure by district and boroughs",)]
    assert below and below[0].text.startswith("Cold and damp homes")
    assert not [b for b in doc.blocks if b.kind is BlockKind.HEADING and ("Organisation" in b.text or "figures below" in b.text)]


def test_a_two_tone_title_over_two_lines_is_one_heading(tmp_path: Path) -> None:
    """A title whose first line is regular and whose wrapped second line is bold, one size and
    colour ("West Sussex Joint Strategic Needs Assessment" / "Summary 2018"), is one heading."""
    path = tmp_path / "two-tone.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillColorRGB(0.02, 0.49, 0.83)
    y = _lines(c, 57, H - 80, ["Wyvern Joint Strategic Needs Assessment "], size=15, leading=19)
    y = _lines(c, 57, y, ["Summary 2025"], size=15, leading=19, font="Helvetica-Bold")
    c.setFillColorRGB(0, 0, 0)
    y = _lines(c, 57, y - 8, PARA)
    _lines(c, 57, y - 10, PARA)
    c.save()
    _one_heading_over_the_rest(path, "Wyvern Joint Strategic Needs Assessment Summary 2025")


def _one_heading_over_the_rest(path: Path, title: str) -> None:
    """The PDF's only heading is ``title``, and its last block sits under it."""
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == [title]
    assert doc.blocks[-1].section == (title,)


def test_two_titles_side_by_side_over_two_columns_are_two_headings(tmp_path: Path) -> None:
    """Two bold titles on one baseline, one over each column, that PDFium reads as one line: two
    headings, each the section of the column below it."""
    path = tmp_path / "side-by-side.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, H - 80, "What are the benefits of warm homes?")
    c.drawString(360, H - 80, "Who are the key players?")
    left = ["Warm homes cut the number of winter", "admissions of older people with heart", "and lung conditions in the county."]
    right = ["The district councils, the NHS trust", "and the fire service each visit homes", "of people at risk of cold and falls."]
    _lines(c, 40, H - 104, left)
    _lines(c, 360, H - 104, right)
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == [
        "What are the benefits of warm homes?", "Who are the key players?"]
    fire = next(b for b in doc.blocks if "fire service" in b.text)
    assert fire.section[-1] == "Who are the key players?"


TENURE = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
          / "WS-JSNA__ws-jsna-netlify__assets--core--2025_01_22_Housing_Tenure_Briefing.pdf")


@pytest.mark.skipif(not TENURE.is_file(), reason="../shared/corpus is absent")
def test_a_note_marker_left_at_the_head_of_a_split_line_does_not_end_the_sentence() -> None:
    """PDFium breaks the tenure briefing's line at a superscript note marker and begins the next
    piece with it ("... a 'social determinant'" / "1 in the Marmot Review ..."; reportlab does
    not write a PDF that PDFium splits so): the marker goes and the sentence carries on."""
    doc = extract(TENURE)
    sentence = next(b for b in doc.blocks if b.text.startswith("Housing was recognised"))
    assert sentence.text.startswith("Housing was recognised as a 'social determinant' in the Marmot Review (2010) which")


def test_et_al_and_approx_do_not_end_a_sentence() -> None:
    from assure.nlp import get_nlp

    text = "Housing affects health (Bentley, et al., 2025) and approx. 300 homes are damp (see Fig. 3). Next."
    assert [s.text for s in get_nlp()(text).sents] == [text[:-6], "Next."]


def test_every_item_of_a_list_under_sources_is_a_source_line(tmp_path: Path) -> None:
    """A "Sources:" lead over a list of where the figures came from: every item names a source
    (none is evidence), not only the first."""
    path = tmp_path / "sources.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, ["Poverty and housing"], size=14, font="Helvetica-Bold")
    y = _lines(c, 57, y - 8, PARA)
    y = _lines(c, 57, y - 10, ["Sources:"], font="Helvetica-Bold")
    _lines(c, 57, y, ["\u2022 OHID Fingertips (child poverty, homelessness, fuel poverty)", "\u2022 Census 2021 (Central heating)",
                      "\u2022 Land Registry (House Prices)"])
    c.save()
    doc = extract(path)
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert len(items) == 3 and all(b.place is Place.CAPTION for b in items)


def test_titles_over_an_infographics_columns_on_one_line_are_labels(tmp_path: Path) -> None:
    """"Actions at an INDIVIDUAL level   Actions at a COMMUNITY level   ..." (APHR 2018 p.13):
    three short titles PDFium reads as one line, one over each panel, are not a sentence."""
    from reportlab.lib.pagesizes import landscape

    width, height = landscape(A4)
    path = tmp_path / "banner.pdf"
    c = canvas.Canvas(str(path), pagesize=(width, height))
    y = _lines(c, 57, height - 80, PARA)
    c.setFont("Helvetica", 10)
    for x, title in ((57, "Actions at an individual level"), (330, "Actions at a community level"), (600, "Actions at population level")):
        c.drawString(x, y - 20, title)
    for x in (57, 330, 600):
        _lines(c, x, y - 60, ["Insulate lofts and", "walls of older homes."])
    c.save()
    blocks = _blocks_of(path)
    banner = next(b for b in blocks if b.text.startswith("Actions at an individual level"))
    assert banner.place is Place.FIGURE
    assert next(b for b in blocks if b.text.startswith("Cold and damp")).place is Place.BODY


def test_bold_words_running_on_mid_sentence_stay_in_the_sentence(tmp_path: Path) -> None:
    """"... Increased awareness of" / "where to signpost and clearer referral pathways; ..." set
    in bold (Suicide Prevention Strategy p.7): the bold lines went into a block of their own, so
    the quote began mid-sentence. A line that opens in lower case carries on its sentence."""
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, PARA)
    y = _lines(c, 57, y - 10, ["Suggested actions to improve the service were: increased awareness of"])
    _lines(c, 57, y, ["where to signpost and clearer referral pathways; training for frontline",
                      "workers; and more accessible support for people at risk."], font="Helvetica-Bold")
    c.save()
    texts = [b.text for b in _blocks_of(path)]
    assert any(t.startswith("Suggested actions") and t.endswith("people at risk.") for t in texts), texts
    assert not any(t.startswith("where to signpost") for t in texts)


def test_a_table_rows_label_wrapped_onto_the_line_of_its_figures_is_one_row(tmp_path: Path) -> None:
    """"Specific training for staff in your organisation on how to" / "approach or talk to a
    person who has suicidal thoughts   92.1%   0.5%   7.4%" (Suicide Prevention Strategy p.31):
    the first half of the label was a paragraph of its own, so the quote stopped at "how to"."""
    path = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, PARA)
    rows = [("Information on where to signpost people with suicidal thoughts", "97.5%"),
            ("Specific training for staff in your organisation on how to", None),
            ("approach or talk to a person who has suicidal thoughts", "92.1%"),
            ("Clear local leadership on suicide prevention", "74.8%")]
    y -= 20
    for label, figure in rows:
        c.setFont("Helvetica", 8)
        c.drawString(60, y, label)
        if figure:
            c.drawString(330, y, figure)
            c.drawString(400, y, "0.5%")
        y -= 10
    c.save()
    blocks = _blocks_of(path)
    row = next(b for b in blocks if "approach or talk" in b.text)
    assert row.kind is BlockKind.TABLE_ROW
    assert row.text.startswith("Specific training for staff in your organisation on how to approach or talk"), row.text
    assert not any(b.text == "Specific training for staff in your organisation on how to" for b in blocks)


def test_a_bulleted_list_in_an_infographic_box_stays_a_list(tmp_path: Path) -> None:
    """Box 3.2 of the looked-after children needs assessment (p.26): columns of bulleted risks
    ("• Inadequate housing / lack of supported housing") on a page of narrow panels were all read
    as figure labels, so a reviewer's evidence was set aside. A legend's "• Agree" is still a label."""
    path = tmp_path / "box.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(57, H - 60, "Box 3.2 Possible risks throughout childhood")
    columns = [["Conception to birth", "\u2022 Relationship breakdown", "\u2022 Domestic violence", "\u2022 Homelessness"],
               ["Age 0 to 4 years", "\u2022 Poor nutrition", "\u2022 Inadequate housing", "\u2022 Developmental delay"],
               ["Age 5 to 11 years", "\u2022 Behavioural problems", "\u2022 Isolated from peers", "\u2022 Running away"],
               ["Legend", "\u2022 Agree", "\u2022 Disagree", "\u2022 Unsure"]]
    for k, column in enumerate(columns):
        _lines(c, 57 + 130 * k, H - 100, column, size=9, leading=30)
    c.save()
    blocks = _blocks_of(path)
    housing = next(b for b in blocks if "Inadequate housing" in b.text)
    assert housing.kind is BlockKind.LIST_ITEM and housing.place is Place.BODY, housing
    assert next(b for b in blocks if "Agree" in b.text and "Dis" not in b.text).place is Place.FIGURE


def test_a_sentence_runs_on_overleaf_past_a_table_set_below_it(tmp_path: Path) -> None:
    """"... significant gap by key stakeholders. Joined up working" / (a table at the page foot) /
    overleaf "between specialist mental health services ... appears sporadic." (dual diagnosis
    needs assessment p.16): the table ended the paragraph, so "Joined up working" was quoted alone."""
    path = tmp_path / "overleaf.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, ["1. Key findings"], size=16, font="Helvetica-Bold")
    y = _lines(c, 57, y - 6, PARA + PARA + PARA)
    y = _lines(c, 57, y - 10, ["\u2022 The absence of a specific dual diagnosis service is regarded as a significant gap by",
                               "  key stakeholders in the county, and the council will act on it. Joined up working"])
    y -= 30
    for label, a, b in (("Type of activity", "Held", "Attended"), ("Regional workshops", "4", "33"), ("Working groups", "4", "37")):
        c.setFont("Helvetica", 10)
        c.drawString(57, y, label)
        c.drawString(300, y, a)
        c.drawString(400, y, b)
        y -= 14
    c.showPage()
    _lines(c, 57, H - 80, ["between specialist mental health services and specialist alcohol and drug services for adults",
                           "appears sporadic, and these merit further detailed analysis with our partners."])
    c.save()
    texts = [b.text for b in _blocks_of(path)]
    assert any(t.endswith("Joined up working between specialist mental health services and specialist alcohol and drug "
                          "services for adults appears sporadic, and these merit further detailed analysis with our partners.")
               for t in texts), texts


def test_a_running_head_on_a_third_of_the_pages_in_the_top_margin_is_furniture(tmp_path: Path) -> None:
    """A profile's source line printed top right on only some pages (seven of fifteen): found by
    where it stands, in small type in the top margin, though it is on fewer than half the pages.
    A title at the top of a single page is not."""
    path = tmp_path / "part-running.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    topics = ["Cold homes", "Damp and mould", "Falls at home", "Overcrowding", "Fuel poverty",
              "Adaptations", "Homelessness", "Private renting", "Older people"]
    for page, topic in enumerate(topics, start=1):
        y = _lines(c, 57, H - 80, [topic], size=16, font="Helvetica-Bold")
        y = _lines(c, 57, y - 8, PARA)
        _lines(c, 57, y - 10, PARA)
        if page in (3, 4, 5):
            c.setFont("Helvetica", 8)
            c.drawString(W - 200, H - 22, f"Wyvern Health Profiles 202{page}/2{page + 1}")
        c.showPage()
    c.save()
    doc = extract(path)
    assert not [b for b in doc.blocks if "Profiles" in b.text]
    assert sum("Profiles" in b.text for b in doc.furniture) == 3
    assert sum(b.kind is BlockKind.HEADING for b in doc.blocks) == 9


def test_two_panel_titles_closer_than_a_gutter_and_a_figure_under_a_title(tmp_path: Path) -> None:
    """Two bold panel titles side by side two and a half sizes apart (PDFium gives two lines, a
    running head drawn between them) are two headings, one over each panel; a headline figure
    set apart under a panel's title is not part of the title."""
    path = tmp_path / "panels.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for place, figure in (("Worthing", "2,530"), ("Adur", "1,555"), ("Crawley", "3,120")):
        c.setFont("Helvetica-Bold", 22)
        c.drawString(40, H - 60, f"{place} - Poverty")
        c.drawString(40, H - 110, figure)
        y = _lines(c, 40, H - 135, ["children under 16 live in low income households."], size=15, leading=17)
        y = _lines(c, 40, y - 20, PARA + PARA)
        c.setFont("Helvetica-Bold", 13)
        c.drawString(40, y - 30, "Gender Reassignment")
        c.setFont("Helvetica", 8)
        c.drawString(W - 150, H - 20, "Wyvern Health Profiles")  # drawn between the two titles
        c.setFont("Helvetica-Bold", 13)
        c.drawString(212, y - 30.8, "Marriage and civil partnership")
        _lines(c, 40, y - 60, PARA + PARA)
        c.showPage()
    c.save()
    doc = extract(path)
    assert sum("Profiles" in b.text for b in doc.furniture) == 3
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert "Worthing - Poverty" in headings
    assert headings.count("Gender Reassignment") == 3 and headings.count("Marriage and civil partnership") == 3
    assert not [b for b in doc.blocks if "Poverty 2,530" in b.text or "Reassignment Marriage" in b.text]


def test_an_underlined_title_in_the_body_type_is_a_heading(tmp_path: Path) -> None:
    """Word documents set lower titles in the body type, underlined ("Exposure to violence and
    safety concerns:" in a drug needs assessment): a heading, the section of the text below it.
    An underlined web address, an underlined sentence and a line inside a paragraph are not."""
    path = tmp_path / "underlined.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, PARA)

    def underlined(text: str, y: float) -> float:
        c.setFont("Helvetica", 10)
        c.drawString(57, y, text)
        c.setLineWidth(0.6)
        c.line(57, y - 1.5, 57 + c.stringWidth(text, "Helvetica", 10), y - 1.5)
        return y - 13

    y = underlined("Exposure to violence and safety concerns:", y - 14)
    y = _lines(c, 57, y - 6, PARA)
    c.setFont("Helvetica", 10)  # a numbered title underlined after its number, the stroke just under the baseline
    c.drawString(57, y - 14, "6. Richmond Fellowship")
    c.line(57 + c.stringWidth("6.   ", "Helvetica", 10), y - 14.8, 57 + c.stringWidth("6. Richmond Fellowship", "Helvetica", 10), y - 14.8)
    y -= 27
    y = _lines(c, 57, y - 6, PARA)
    y = underlined("Development is likely to harm the character of the area", y - 14)
    y = _lines(c, 57, y - 6, PARA)
    y = underlined("www.wyvern.gov.uk/housing", y - 14)
    _lines(c, 57, y - 6, PARA)
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == [
        "Exposure to violence and safety concerns:", "6. Richmond Fellowship"]
    assert doc.blocks[-1].section == ("6. Richmond Fellowship",)  # siblings in the same style


def test_a_covers_date_and_a_bold_line_left_open_are_not_headings(tmp_path: Path) -> None:
    """A cover's "July 2019" became the root heading of every section after it (a Local Plan
    appraisal), and a bold run-in line ending "... are carried out if" a heading of its own (APHR
    p.10): a date alone, an author's address and a line left open on a condition are not titles."""
    path = tmp_path / "cover.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, ["Wyvern Housing and Health Plan"], size=20, font="Helvetica-Bold")
    y = _lines(c, 57, y - 10, ["July 2019", "A. Writer, a.writer@wyvern.gov.uk"], size=14, font="Helvetica-Bold", leading=18)
    y = _lines(c, 57, y - 20, PARA)
    y = _lines(c, 57, y - 14, ["Ensure that health equity assessments are carried out if"], font="Helvetica-Bold")
    _lines(c, 57, y, ["housing policies change, and that the results are published each year.", *PARA])
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["Wyvern Housing and Health Plan"]


def test_a_paragraph_cut_mid_phrase_overleaf_runs_on_into_a_capital(tmp_path: Path) -> None:
    """"... referred to Worthing Churches Homeless Project and specifically, Tina; the Dual" on one
    page and "Diagnosis Worker. I see Tina weekly." on the next were two blocks, the quote cut (a
    second new-user trial): a paragraph that stops mid-phrase carries on overleaf even into a
    capital. A numbered paragraph overleaf ("177. The Council ...") still starts its own."""
    path = tmp_path / "overleaf.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 57, H - 200, ["Wyvern review of deaths"], size=24, font="Helvetica-Bold")  # a cover
    c.showPage()
    for page, (last, first) in enumerate((
        ("Homeless Project and specifically, Tina; the Dual", "Diagnosis Worker. I see Tina weekly at the drop-in."),
        ("permission in accordance with section 20 of the", "177. The Council has asked that I recommend changes."),
    )):
        y = _lines(c, 57, H - 80, [f"Part {'AB'[page]} of the review"], size=16, font="Helvetica-Bold")
        y = _lines(c, 57, y - 8, PARA)
        _lines(c, 57, y - 10, PARA[:2] + ["I became homeless last year and I was referred to the Worthing Churches", last])
        c.showPage()
        _lines(c, 57, H - 80, [first, *PARA])
        c.showPage()
    c.save()
    texts = [b.text for b in extract(path).blocks]
    assert any("the Dual Diagnosis Worker. I see Tina weekly" in t for t in texts), texts
    assert any(t.startswith("177. The Council") for t in texts), texts


def test_appendix_a_is_a_heading_not_a_line_ending_on_an_article(tmp_path: Path) -> None:
    """"Appendix A" set large over a page was a paragraph: its last word read as the article "a",
    which no title ends on (a looked-after children needs assessment, a tenure briefing)."""
    path = tmp_path / "appendix.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, 57, H - 80, ["Appendix A"], size=16)
    _lines(c, 57, y - 8, PARA)
    c.save()
    _one_heading_over_the_rest(path, "Appendix A")


def test_a_wrapped_item_under_a_larger_bullet_glyph_is_one_item(tmp_path: Path) -> None:
    """Regression (probe set pd27, 2026-12-08): a bullet glyph set larger than its item (12 pt over 10 pt
    text, as reportlab and many council templates draw it) made the item's first line read 12 pt, so its
    wrapped second line, in the text's 10 pt, was taken for a new paragraph and the item's quote was cut."""
    path = tmp_path / "bullets.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 72, H - 72, ["Key messages"], size=14, font="Helvetica-Bold")
    y = H - 110
    for first, second in (("An estimated 16.2% of households were in fuel poverty in 2023, above the England figure of",
                           "13.1%; in two wards the figure exceeds one in four households."),
                          ("The number of households in temporary accommodation rose from 212 in March 2022 to 441 in",
                           "March 2025, and 590 dependent children were living in temporary accommodation.")):
        c.setFont("Helvetica", 12)
        c.drawString(72, y, "\u2022")
        c.setFont("Helvetica", 10)
        c.drawString(84, y, first)
        c.drawString(84, y - 12, second)
        y -= 32
    _lines(c, 72, y - 10, ["Fuel poverty is concentrated where older terraced housing and low incomes coincide."])
    c.showPage()
    c.save()
    items = [b.text for b in extract(path).blocks if b.kind is BlockKind.LIST_ITEM]
    assert len(items) == 2, items
    assert items[0].endswith("one in four households.") and items[1].endswith("living in temporary accommodation.")
