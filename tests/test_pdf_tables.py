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
