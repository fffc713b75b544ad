"""Drawing helpers shared by the tests that build small PDFs with reportlab."""

from __future__ import annotations

from reportlab.pdfgen import canvas


def draw_lines(
    c: canvas.Canvas, x: float, y: float, lines: list[str], size: float = 10, leading: float = 13, font: str = "Helvetica"
) -> float:
    """Draw ``lines`` one under another from ``(x, y)``; the baseline after the last."""
    c.setFont(font, size)
    for text in lines:
        c.drawString(x, y, text)
        y -= leading
    return y
