"""Render small document specs (dicts loaded from YAML) to PDF and DOCX.

Used to build the sample strategies and synthetic evaluation documents, and by
tests to build fixtures.  Both outputs are byte-deterministic.

Spec keys (all optional except ``title`` and ``sections``)::

    title: str                 subtitle: str          organisation: str   date: str
    header: str                running header, drawn on every page
    footer: str                running footer text (page number is always added)
    columns: 1 | 2             two-column body pages (PDF and DOCX)
    font_size: float           body text size in points (default 10)
    title_page: bool           title on its own page (default true)
    contents: bool | str       contents page after the title (str = its heading)
    glossary: {title, position: front|back, entries: [[term, definition], ...]}
    references: {title, items: [str, ...]}
    sections:
      - heading: str
        level: 1 | 2 | 3       (default 1)
        page_break_before: bool
        blocks:                a str is a paragraph; otherwise one of
          - p: str
          - bullets: [str, ...]
          - numbered: [str, ...]
          - callout: str       boxed paragraph
          - table: {header: [str, ...], rows: [[str, ...], ...], widths: [fraction, ...]}
          - pagebreak: true
          - heading: str       (with level:) a heading inside a section
      - pagebreak: true        a page break between sections

Unknown keys (for example ``expected:`` verdicts kept beside a document) are ignored.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from reportlab import rl_config

rl_config.invariant = 1  # fixed creation date and document ID

from docx import Document  # noqa: E402
from docx.enum.section import WD_SECTION  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt, RGBColor  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

Spec = dict[str, Any]
Block = Any

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ACCENT = colors.HexColor("#1F4E79")
MARGIN = 2.0 * cm
GUTTER = 0.8 * cm


# ---------------------------------------------------------------- spec walking


def iter_blocks(spec: Spec) -> Iterator[tuple[str, Any, int]]:
    """Yield (kind, payload, level) for the document body in reading order.

    Kinds: heading, p, bullets, numbered, callout, table, pagebreak, glossary,
    references.  Title and contents page are not included.
    """
    glossary = spec.get("glossary")
    if glossary and glossary.get("position", "back") == "front":
        yield "glossary", glossary, 1
    for section in spec.get("sections", []):
        if section.get("pagebreak") and "heading" not in section:
            yield "pagebreak", None, 0
            continue
        if section.get("page_break_before"):
            yield "pagebreak", None, 0
        if section.get("heading"):
            yield "heading", section["heading"], int(section.get("level", 1))
        for block in section.get("blocks", []) or []:
            yield _block_kind(block)
    if glossary and glossary.get("position", "back") != "front":
        yield "glossary", glossary, 1
    if spec.get("references"):
        yield "references", spec["references"], 1


def _block_kind(block: Block) -> tuple[str, Any, int]:
    if isinstance(block, str):
        return "p", block, 0
    if not isinstance(block, dict):
        raise ValueError(f"bad block: {block!r}")
    if "heading" in block:
        return "heading", block["heading"], int(block.get("level", 2))
    for kind in ("p", "bullets", "numbered", "callout", "table", "pagebreak"):
        if kind in block:
            return kind, block[kind], 0
    raise ValueError(f"unknown block: {block!r}")


def headings(spec: Spec, max_level: int = 2) -> list[tuple[int, str]]:
    """Return (level, text) of headings for a contents list."""
    out: list[tuple[int, str]] = []
    for kind, payload, level in iter_blocks(spec):
        if kind == "heading" and level <= max_level:
            out.append((level, payload))
        elif kind in ("glossary", "references"):
            out.append((1, payload.get("title", kind.title())))
    return out


def _contents_title(spec: Spec) -> str | None:
    contents = spec.get("contents")
    if not contents:
        return None
    return contents if isinstance(contents, str) else "Contents"


# ------------------------------------------------------------------------ PDF


def _pdf_styles(body_size: float) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    lead = body_size * 1.35
    body = ParagraphStyle("Body", parent=base["BodyText"], fontName="Helvetica",
                          fontSize=body_size, leading=lead, spaceAfter=body_size * 0.6)
    return {
        "body": body,
        "cell": ParagraphStyle("Cell", parent=body, fontSize=body_size - 1,
                               leading=(body_size - 1) * 1.25, spaceAfter=0),
        "cellhead": ParagraphStyle("CellHead", parent=body, fontName="Helvetica-Bold",
                                   fontSize=body_size - 1, leading=(body_size - 1) * 1.25,
                                   spaceAfter=0, textColor=colors.white),
        "callout": ParagraphStyle("Callout", parent=body, fontName="Helvetica-Oblique",
                                  spaceAfter=0),
        "h1": ParagraphStyle("H1", parent=base["Heading1"], fontName="Helvetica-Bold",
                             fontSize=body_size + 6, leading=(body_size + 6) * 1.2,
                             textColor=ACCENT, spaceBefore=6, spaceAfter=8, keepWithNext=1),
        "h2": ParagraphStyle("H2", parent=base["Heading2"], fontName="Helvetica-Bold",
                             fontSize=body_size + 3, leading=(body_size + 3) * 1.2,
                             textColor=ACCENT, spaceBefore=8, spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("H3", parent=base["Heading3"], fontName="Helvetica-Bold",
                             fontSize=body_size + 1, leading=(body_size + 1) * 1.2,
                             spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "title": ParagraphStyle("Title", parent=base["Title"], fontName="Helvetica-Bold",
                                fontSize=26, leading=32, textColor=ACCENT,
                                alignment=TA_CENTER, spaceAfter=18),
        "subtitle": ParagraphStyle("Subtitle", parent=body, fontSize=15, leading=20,
                                   alignment=TA_CENTER, spaceAfter=12),
        "meta": ParagraphStyle("Meta", parent=body, fontSize=11, leading=15,
                               alignment=TA_CENTER, textColor=colors.grey),
        "toc1": ParagraphStyle("TOC1", parent=body, fontSize=body_size + 1,
                               leading=(body_size + 1) * 1.5, leftIndent=0),
        "toc2": ParagraphStyle("TOC2", parent=body, fontSize=body_size,
                               leading=body_size * 1.5, leftIndent=14),
    }


class _Heading(Paragraph):
    """A heading paragraph that registers itself with the contents page."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(escape(text), style)
        self.toc_level = level
        self.toc_text = text


class _DocTemplate(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab API)
        if isinstance(flowable, _Heading) and flowable.toc_level <= 2:
            self.notify("TOCEntry", (flowable.toc_level - 1, escape(flowable.toc_text),
                                     self.page))


def _page_decorator(spec: Spec):
    header = spec.get("header", "")
    footer = spec.get("footer", "")

    def draw(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        if header:
            canvas.drawString(MARGIN, height - 1.2 * cm, header)
            canvas.setStrokeColor(colors.lightgrey)
            canvas.line(MARGIN, height - 1.35 * cm, width - MARGIN, height - 1.35 * cm)
        if footer:
            canvas.drawString(MARGIN, 1.0 * cm, footer)
        canvas.drawRightString(width - MARGIN, 1.0 * cm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _frames(columns: int, prefix: str) -> list[Frame]:
    width, height = A4
    inner_w = width - 2 * MARGIN
    inner_h = height - 2 * MARGIN - 0.4 * cm
    if columns == 1:
        return [Frame(MARGIN, MARGIN, inner_w, inner_h, id=f"{prefix}0")]
    col_w = (inner_w - GUTTER) / 2
    return [Frame(MARGIN + i * (col_w + GUTTER), MARGIN, col_w, inner_h, id=f"{prefix}{i}")
            for i in range(2)]


def _pdf_table(data: dict, styles: dict[str, ParagraphStyle], avail: float) -> Table:
    header = data.get("header") or []
    rows = data.get("rows") or []
    ncols = max(len(r) for r in [header, *rows] if r)
    widths = data.get("widths") or [1 / ncols] * ncols
    total = sum(widths)
    col_widths = [avail * w / total for w in widths]
    cells = []
    if header:
        cells.append([Paragraph(escape(str(c)), styles["cellhead"]) for c in header])
    for row in rows:
        cells.append([Paragraph(escape(str(c)), styles["cell"]) for c in row])
    table = Table(cells, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    table.setStyle(TableStyle(commands))
    return table


def _pdf_list(items: Iterable[str], style: ParagraphStyle, numbered: bool) -> ListFlowable:
    flow = [ListItem(Paragraph(escape(str(i)), style)) for i in items]
    if numbered:
        return ListFlowable(flow, bulletType="1", leftIndent=16, bulletFontSize=style.fontSize)
    return ListFlowable(flow, bulletType="bullet", start="\u2022", leftIndent=14,
                        bulletFontSize=style.fontSize)


def _pdf_story(spec: Spec, styles: dict[str, ParagraphStyle], avail: float) -> list[Flowable]:
    story: list[Flowable] = []
    body = styles["body"]
    for kind, payload, level in iter_blocks(spec):
        if kind == "heading":
            story.append(_Heading(payload, styles[f"h{min(max(level, 1), 3)}"], level))
        elif kind == "p":
            story.append(Paragraph(escape(payload), body))
        elif kind in ("bullets", "numbered"):
            story.append(_pdf_list(payload, body, kind == "numbered"))
            story.append(Spacer(1, body.spaceAfter))
        elif kind == "callout":
            box = Table([[Paragraph(escape(payload), styles["callout"])]], colWidths=[avail])
            box.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EAF1F8")),
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]))
            story.extend([box, Spacer(1, body.spaceAfter)])
        elif kind == "table":
            story.extend([_pdf_table(payload, styles, avail), Spacer(1, body.spaceAfter * 1.5)])
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "glossary":
            story.append(_Heading(payload.get("title", "Glossary"), styles["h1"], 1))
            rows = [[t, d] for t, d in payload.get("entries", [])]
            story.append(_pdf_table({"header": ["Term", "Meaning"], "rows": rows,
                                     "widths": [1, 3]}, styles, avail))
            story.append(Spacer(1, body.spaceAfter))
        elif kind == "references":
            story.append(_Heading(payload.get("title", "References"), styles["h1"], 1))
            story.append(_pdf_list(payload.get("items", []), body, numbered=True))
    return story


def build_pdf(spec: Spec, path: str | Path) -> Path:
    """Render ``spec`` to a PDF at ``path`` (real text layer, deterministic)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = int(spec.get("columns", 1))
    styles = _pdf_styles(float(spec.get("font_size", 10)))
    decorate = _page_decorator(spec)
    doc = _DocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                       topMargin=MARGIN, bottomMargin=MARGIN, title=spec.get("title", ""),
                       author=spec.get("organisation", ""), subject=spec.get("subtitle", ""),
                       creator="assure docgen", invariant=1)
    title_page = spec.get("title_page", True)
    front_cols = 1 if title_page else columns
    doc.addPageTemplates([
        PageTemplate(id="front", frames=_frames(front_cols, "f"), onPage=decorate),
        PageTemplate(id="body", frames=_frames(columns, "b"), onPage=decorate),
    ])
    avail = _frames(columns, "x")[0]._aW

    story: list[Flowable] = [Spacer(1, 5 * cm) if title_page else Spacer(1, 0)]
    story.append(Paragraph(escape(spec["title"]), styles["title"]))
    if spec.get("subtitle"):
        story.append(Paragraph(escape(spec["subtitle"]), styles["subtitle"]))
    for key in ("organisation", "date"):
        if spec.get(key):
            story.append(Paragraph(escape(spec[key]), styles["meta"]))
    story.append(NextPageTemplate("body"))
    contents = _contents_title(spec)
    if title_page or contents:
        story.append(PageBreak())
    if contents:
        toc = TableOfContents(levelStyles=[styles["toc1"], styles["toc2"]], dotsMinLevel=0)
        story.extend([Paragraph(escape(contents), styles["h1"]), toc, PageBreak()])
    story.extend(_pdf_story(spec, styles, avail))
    doc.multiBuild(story)
    return path


# ----------------------------------------------------------------------- DOCX


def _docx_field(paragraph, instr: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _docx_columns(section, num: int) -> None:
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(num))
    cols.set(qn("w:space"), "454")


def _docx_table(document, data: dict) -> None:
    header = data.get("header") or []
    rows = data.get("rows") or []
    ncols = max(len(r) for r in [header, *rows] if r)
    table = document.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=False):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        row_pr = table.rows[0]._tr.get_or_add_trPr()
        tbl_header = OxmlElement("w:tblHeader")
        row_pr.append(tbl_header)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = str(text)
    document.add_paragraph()


def _deterministic_zip(raw: bytes, path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(name))
    path.write_bytes(out.getvalue())


def build_docx(spec: Spec, path: str | Path) -> Path:
    """Render ``spec`` to a DOCX at ``path`` (real styles, deterministic zip)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(float(spec.get("font_size", 10)) + 1)

    section = document.sections[0]
    if spec.get("header"):
        section.header.paragraphs[0].text = spec["header"]
    footer_p = section.footer.paragraphs[0]
    footer_p.text = (spec.get("footer", "") + "\t\tPage ").lstrip("\t") if spec.get(
        "footer") else "Page "
    _docx_field(footer_p, "PAGE")

    document.add_paragraph(spec["title"], style="Title")
    if spec.get("subtitle"):
        document.add_paragraph(spec["subtitle"], style="Subtitle")
    for key in ("organisation", "date"):
        if spec.get(key):
            run = document.add_paragraph().add_run(spec[key])
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    contents = _contents_title(spec)
    title_page = spec.get("title_page", True)
    columns = int(spec.get("columns", 1))
    if columns == 2 and title_page and not contents:
        _docx_columns(document.add_section(WD_SECTION.NEW_PAGE), 2)
    elif title_page or contents:
        document.add_page_break()
    if contents:
        document.add_paragraph().add_run(contents).bold = True
        for level, text in headings(spec):
            para = document.add_paragraph(text)
            para.paragraph_format.left_indent = Pt(14 * (level - 1))
        if columns == 2:
            _docx_columns(document.add_section(WD_SECTION.NEW_PAGE), 2)
        else:
            document.add_page_break()
    elif columns == 2 and not title_page:
        _docx_columns(section, 2)

    for kind, payload, level in iter_blocks(spec):
        if kind == "heading":
            document.add_heading(payload, level=min(max(level, 1), 3))
        elif kind == "p":
            document.add_paragraph(payload)
        elif kind == "bullets":
            for item in payload:
                document.add_paragraph(str(item), style="List Bullet")
        elif kind == "numbered":
            for item in payload:
                document.add_paragraph(str(item), style="List Number")
        elif kind == "callout":
            document.add_paragraph(payload, style="Intense Quote")
        elif kind == "table":
            _docx_table(document, payload)
        elif kind == "pagebreak":
            document.add_page_break()
        elif kind == "glossary":
            document.add_heading(payload.get("title", "Glossary"), level=1)
            _docx_table(document, {"header": ["Term", "Meaning"],
                                   "rows": payload.get("entries", [])})
        elif kind == "references":
            document.add_heading(payload.get("title", "References"), level=1)
            for item in payload.get("items", []):
                document.add_paragraph(str(item), style="List Number")

    props = document.core_properties
    props.title = spec.get("title", "")
    props.subject = spec.get("subtitle", "")
    props.author = spec.get("organisation", "")
    props.last_modified_by = "assure docgen"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    _deterministic_zip(raw.getvalue(), path)
    return path


# ---------------------------------------------------------------------- batch


def load_spec(path: str | Path) -> Spec:
    """Load one YAML document spec."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def build_all(src_dir: str | Path, out_dir: str | Path,
              formats: Iterable[str] = ("pdf", "docx")) -> list[Path]:
    """Build every ``*.yaml`` spec in ``src_dir`` into ``out_dir``; return the paths."""
    builders = {"pdf": build_pdf, "docx": build_docx}
    out_dir = Path(out_dir)
    built: list[Path] = []
    for src in sorted(Path(src_dir).glob("*.yaml")):
        spec = load_spec(src)
        for fmt in formats:
            built.append(builders[fmt](spec, out_dir / f"{src.stem}.{fmt}"))
    return built
