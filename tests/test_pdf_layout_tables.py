"""Tables read as prose (issue 10, round r10), on PDFs generated here with reportlab: a label and
its text set in two columns without ruling are table rows, not a paragraph running the rows
together; two columns of prose or of a list, drawn one column after the other, stay prose and
list items; a ruled table whose last row holds a paragraph keeps its rows of short cells."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from assure.extract import extract
from assure.models import BlockKind
from assure.reading import block_kind, find_block

W, H = A4
LEFT, COLUMN = 57, 299
# (label lines, text lines) of a parking standards table
STANDARDS = [
    (["Units up to 499 sq.metres"], ["One additional space for every 25 sq.metres of", "floor space over 50 sq.metres."]),
    (["Units up to 1999 sq.metres"], ["One parking space for every 20 sq.metres of", "floor space"]),
    (["Retail warehouses (non-food) bulky", "goods including DIY etc."], ["One space for every 20 sq.metres floor space"]),
    (
        ["5. B1 Business Use"],
        ["The standard is two spaces per unit, plus one", "space for every 40 sq.metres over 50 sq.metres."],
    ),
]


def _standards_pdf(path: Path) -> Path:
    """Each row drawn label first, then its text, as a word processor writes a table without
    borders: PDFium gives a label and its text's first line as one line."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(LEFT, H - 60, "Appendix A - Parking Standards")
    c.setFont("Helvetica", 10)
    c.drawString(LEFT, H - 90, "The standards below apply to all new development in the district.")
    y = H - 120
    for label, text in STANDARDS:
        for k, ln in enumerate(label):
            c.drawString(LEFT, y - 14 * k, ln)
        for k, ln in enumerate(text):
            c.drawString(COLUMN, y - 14 * k, ln)
        y -= 14 * max(len(label), len(text)) + 12
    c.drawString(LEFT, y - 10, "Cycle parking is set out in the council's design guide, published separately.")
    c.save()
    return path


def test_a_label_and_its_text_in_two_columns_are_table_rows(tmp_path: Path) -> None:
    """Regression (a Local Plan's parking standards, p.98): the rows ran together into paragraphs
    and list items ("Units up to 1999 sq.metres One parking space ... Units over 2000 ...")."""
    doc = extract(_standards_pdf(tmp_path / "standards.pdf"))
    rows = [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows == [
        "Units up to 499 sq.metres | One additional space for every 25 sq.metres of floor space over 50 sq.metres.",
        "Units up to 1999 sq.metres | One parking space for every 20 sq.metres of floor space",
        "Retail warehouses (non-food) bulky goods including DIY etc. | One space for every 20 sq.metres floor space",
        "5. B1 Business Use | The standard is two spaces per unit, plus one space for every 40 sq.metres over 50 sq.metres.",
    ]
    intro = find_block(doc, 1, "The standards below apply")
    after = find_block(doc, 1, "Cycle parking is set out")
    assert intro is not None and block_kind(intro) == "prose"
    assert after is not None and block_kind(after) == "prose"


def test_two_columns_of_prose_or_of_a_list_are_no_table(tmp_path: Path) -> None:
    """Two columns drawn one after the other (a briefing's text; a list of partners) share
    baselines as a table's cells do, but PDFium gives them column by column: no table rows."""
    path = tmp_path / "columns.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    left = [
        "Aims of briefing",
        "This briefing summarises housing tenure",
        "Background",
        "Housing has an important influence on",
        "Housing Tenure",
    ]
    right = [
        "For local authorities, data on tenure",
        "Households were asked whether they",
        "The Office for National",
        "Owners were asked if they owned it",
        "Renters were asked who their landlord",
    ]
    c.setFont("Helvetica", 10)
    for k, ln in enumerate(left):
        c.drawString(LEFT, H - 80 - 14 * k, ln)
    for k, ln in enumerate(right):
        c.drawString(COLUMN, H - 80 - 14 * k, ln)
    for x, items in (
        (LEFT, ["Registered Social Landlords", "Housing Associations", "The Police", "Charities"]),
        (COLUMN, ["Natural England", "Highways Agency", "Sport England", "The NHS"]),
    ):
        for k, ln in enumerate(items):
            c.drawString(x, H - 300 - 14 * k, "\u2022 " + ln)
    c.save()
    doc = extract(path)
    assert not any(b.kind is BlockKind.TABLE_ROW for b in doc.blocks)
    item = find_block(doc, 1, "Housing Associations")
    assert item is not None and block_kind(item) == "list-item"


def test_a_ruled_table_keeps_its_short_rows_above_a_paragraph_row(tmp_path: Path) -> None:
    """Regression (a Local Plan's monitoring table, p.80): a last row holding a paragraph of
    risks and actions made the whole table read as prose; the rows above it are table rows, and
    the paragraph is still read sentence by sentence."""
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    risks = " ".join(
        [
            "Pressure for quick-win development if development coming forward in more sustainable locations is"
            " less than anticipated."
        ]
        * 4
    )
    rows = [
        ["How will the policy be implemented?", "How will the effectiveness of the policy be measured?"],
        ["By taking a positive approach to decision making.", "By using the following indicator: applications refused."],
        [risks, ""],
    ]
    table = Table([[Paragraph(c, cell) for c in row] for row in rows], colWidths=[150, 150])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 2), (1, 2))]))
    path = tmp_path / "monitoring.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("Policy LP1 - Sustainable Development", styles["Heading2"]), table]
    )
    doc = extract(path)
    found = [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]
    assert found == [" | ".join(r) for r in rows[:2]]
    risk = find_block(doc, 1, "Pressure for quick-win development")
    assert risk is not None and risk.kind is not BlockKind.TABLE_ROW
