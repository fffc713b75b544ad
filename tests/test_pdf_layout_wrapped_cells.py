"""Tables whose cells wrap (issue 10, round r12), on PDFs generated here with reportlab: a table
whose header row is shaded and whose rows are ruled only below, each cell wrapping onto two or
three lines, reads as table rows (the header alone was found, and each wrapped cell came out as
a figure label or caption of its own, and a year alone on a cell's last line, "From April" /
"2025", was dropped as a bare page number)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.models import BlockKind

W, H = landscape(A4)
SIZE = 8.5
PITCH = 12.0
# column x positions and the header's titles
COLUMNS = [(40, "Action"), (300, "Lead"), (440, "Timescale"), (540, "Measure")]
ROWS = [
    (
        ["Healthy Homes Hub: heating repairs, insulation", "and damp remedies for 600 households a year"],
        ["Ridley District Council", "Private Sector Housing", "Manager"],
        ["From April", "2025"],
        ["Households helped;", "Category 1 hazards", "removed"],
    ),
    (
        ["MECC Healthy Homes module: train 500", "frontline staff to spot cold, damp homes"],
        ["ICP Prevention Lead"],
        ["March 2026"],
        ["Staff trained; referrals", "received by the Hub"],
    ),
    (["NHS Health Checks in the most deprived quintile"], ["Public Health Consultant"], ["March 2026"], ["Uptake (target 60%)"]),
]


def _action_table_pdf(path: Path) -> Path:
    """A heading, a shaded header row (a box per cell), then rows whose cells wrap, each row
    ruled below and padded; a paragraph after the table."""
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, H - 60, "2 Action plan: Healthy homes")
    edges = [x for x, _ in COLUMNS] + [760]
    top = H - 80
    for (x, title), right in zip(COLUMNS, edges[1:], strict=True):
        c.setFillColorRGB(0.85, 0.9, 0.95)
        c.rect(x - 4, top - 20, right - x, 20, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica-Bold", SIZE)
        c.drawString(x, top - 14, title)
    c.setFont("Helvetica", SIZE)
    y = top - 20 - 14
    for row in ROWS:
        for (x, _), cell in zip(COLUMNS, row, strict=True):
            for k, text in enumerate(cell):
                c.drawString(x, y - PITCH * k, text)
        y -= PITCH * max(len(cell) for cell in row) + 9
        c.setLineWidth(0.4)
        c.line(36, y + PITCH - 4, 760, y + PITCH - 4)
    c.setFont("Helvetica", 10)
    c.drawString(40, y - 20, "Progress on this plan will be reported twice a year to the Integrated Care Partnership.")
    c.save()
    return path


def test_a_table_whose_cells_wrap_reads_as_rows(tmp_path: Path) -> None:
    """Regression (a prevention plan printed from HTML, p.2): under a header row found alone,
    "ICP Prevention Lead March 2026 Staff trained; referrals" came out a caption and "Ridley
    District Council Private Sector Housing Manager" a figure label; "From April 2025" lost its year."""
    doc = extract(_action_table_pdf(tmp_path / "plan.pdf"))
    rows = [b.text for b in doc.blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows == [
        "Action | Lead | Timescale | Measure",
        "Healthy Homes Hub: heating repairs, insulation and damp remedies for 600 households a year | "
        "Ridley District Council Private Sector Housing Manager | From April 2025 | "
        "Households helped; Category 1 hazards removed",
        "MECC Healthy Homes module: train 500 frontline staff to spot cold, damp homes | ICP Prevention Lead | "
        "March 2026 | Staff trained; referrals received by the Hub",
        "NHS Health Checks in the most deprived quintile | Public Health Consultant | March 2026 | Uptake (target 60%)",
    ]
    prose = [b.text for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert any(t.startswith("Progress on this plan") for t in prose)
