"""Action-plan tables in PDFs are read row by row, as in DOCX (regression: PDFium flattened
them into one run of cell fragments, so the PDF and DOCX of one plan got different verdicts)."""

from __future__ import annotations

from pathlib import Path

import docx
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from assure.extract import extract
from assure.extract.clean import is_table_header
from assure.models import BlockKind
from assure.ruleset import load_ruleset
from assure.runner import check_file

ROWS = [
    ["Action", "Owner", "Milestone / measure"],
    ["Insulate the homes of residents with respiratory illness referred by their GP", "Head of Private Sector Housing",
     "300 homes by March 2025"],
    ["Fast-track Disabled Facilities Grant adaptations under 7,500 pounds", "Home Improvement Agency Manager",
     "Average wait below 20 weeks"],
]
INTRO = "Our health and wellbeing strategy sets out what partners will do on healthy homes this year."


def build_pdf(path: Path) -> Path:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    table = Table([[Paragraph(c, cell) for c in row] for row in ROWS], colWidths=[230, 130, 110])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph("Priority 2: Healthy homes", styles["Heading2"]), Paragraph(INTRO, cell), table,
             Paragraph("Progress is reported to the Health and Wellbeing Board every quarter.", cell)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def build_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Priority 2: Healthy homes", level=2)
    d.add_paragraph(INTRO)
    table = d.add_table(rows=len(ROWS), cols=3)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("Progress is reported to the Health and Wellbeing Board every quarter.")
    d.save(str(path))
    return path


def test_table_header_lines() -> None:
    assert is_table_header("Action Owner Milestone / measure RAG")
    assert is_table_header("Priority Key performance indicator 2023/24 Target 2027/28")
    assert not is_table_header("report on progress against the priorities for which they are")
    assert not is_table_header("Term Meaning")


def test_pdf_table_rows_match_docx(tmp_path: Path) -> None:
    pdf = extract(build_pdf(tmp_path / "plan.pdf"))
    rows = [b.text for b in pdf.blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows == [" | ".join(r) for r in ROWS]
    texts = [b.text for b in pdf.blocks]
    assert INTRO in texts and texts.index(INTRO) < texts.index(rows[0])  # text around the table is kept, in order
    assert any("every quarter" in t for t in texts[texts.index(rows[-1]):])
    word = extract(build_docx(tmp_path / "plan.docx"))
    assert rows == [b.text for b in word.blocks if b.kind is BlockKind.TABLE_ROW]


def test_pdf_and_docx_table_give_same_verdicts(tmp_path: Path) -> None:
    ruleset = load_ruleset()
    a = check_file(str(build_pdf(tmp_path / "plan.pdf")), ruleset)
    b = check_file(str(build_docx(tmp_path / "plan.docx")), ruleset)
    assert [(q.id, q.status) for q in a.questions] == [(q.id, q.status) for q in b.questions]
    assert dict((q.id, q.status.value) for q in a.questions)["Q5"] == "met"


# a ruled table whose column titles are no action-plan header (a devolution framework)
FRAMEWORK = [
    ["Detail", "Foundation", "Mayoral", "Established"],
    ["A bespoke statutory health improvement and health inequalities duty", "x", "x", "x"],
    ["Mayors as members of local Integrated Care Partnerships", "", "x", "x"],
    ["Heat network zoning coordination role", "x", "x", "x"],
]


def _ruled_pdf(path: Path, rows: list[list[str]], *, frame: bool = False, chart: bool = False) -> Path:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    table = Table([[Paragraph(c, cell) for c in row] for row in rows], colWidths=[220, 80, 80, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph("Appendix B: Devolution framework", styles["Heading2"]), table]

    def decorate(canvas, _doc) -> None:  # noqa: ANN001
        if frame:  # a frame around the page, as council papers print
            canvas.rect(20, 20, A4[0] - 40, A4[1] - 40, stroke=1, fill=0)
        if chart:  # a bar chart's bars: filled rectangles, never cells
            for k in range(6):
                canvas.rect(80 + 40 * k, 80, 30, 20 + 10 * k, stroke=0, fill=1)

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=decorate)
    return path


def test_ruled_table_without_header_words_is_read_row_by_row(tmp_path: Path) -> None:
    """Regression: a ruled table titled "Detail | Foundation | Mayoral | Established" was read
    as captions, figure labels and notes, so its health duties were never counted."""
    doc = extract(_ruled_pdf(tmp_path / "paper.pdf", FRAMEWORK, frame=True, chart=True))
    rows = [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows == ["Detail | Foundation | Mayoral | Established",
                    "A bespoke statutory health improvement and health inequalities duty | x | x | x",
                    "Mayors as members of local Integrated Care Partnerships | x | x",
                    "Heat network zoning coordination role | x | x | x"]
    assert all(b.place.value == "body" for b in doc.blocks if b.kind is BlockKind.TABLE_ROW)


def test_paragraphs_set_in_boxes_stay_prose(tmp_path: Path) -> None:
    """A policy review's boxed summaries (cells of whole paragraphs) are read sentence by
    sentence, so quotes stay whole sentences."""
    summary = " ".join(["The strategy sets out how the council will improve the condition of private rented homes."] * 5)
    doc = extract(_ruled_pdf(tmp_path / "review.pdf", [["Strategy", "Summary", "", ""], ["Housing Strategy", summary, "", ""],
                                                       ["Warmth Strategy", summary, "", ""]]))
    assert not any(summary[:60] in b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW)
    assert any("private rented homes" in b.text for b in doc.blocks)


def test_a_data_table_row_commits_to_nothing(tmp_path: Path) -> None:
    """Regression: a local-picture row whose source cell has three words ("DESNZ sub-regional
    statistics 2021") counted as a plan row of prose cells, so a statistic was Q4 met."""
    md = tmp_path / "picture.md"
    md.write_text("# Our local picture\n\nThis joint health and wellbeing strategy draws on the JSNA. Cold homes harm health and "
                  "wellbeing, and the NHS sees the cost.\n\n| Indicator | Northmoor | England | Source |\n| --- | --- | --- | --- |\n"
                  "| Households in fuel poverty (low income, low energy efficiency) | 14.8% | 13.1% | DESNZ sub-regional statistics 2021 |\n",
                  encoding="utf-8")
    result = check_file(md, load_ruleset(None, None))
    q4 = next(q for q in result.questions if q.id == "Q4")
    assert result.status.value == "ok" and q4.status.value != "met" and q4.evidence
