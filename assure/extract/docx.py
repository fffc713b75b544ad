"""DOCX extraction: paragraphs, headings (from style ids), lists and table rows in order.

DOCX has no pages, so each block is cited by its heading path and paragraph number.
Style names are slow to resolve through python-docx, so heading levels come from the
style id and the style's outline level, read once from styles.xml. Headers and footers
are read as running text: they never count as evidence.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from assure.errors import ExtractionError
from assure.extract.clean import BlockBuilder, normalise
from assure.models import BlockKind, Document, Place

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_ID = re.compile(r"(?:heading|berschrift|titre|kop)\s*([1-9])", re.I)
MAX_TABLE_DEPTH = 8

# Limits against zip bombs; generous for real documents (a 600-page report is ~5 MB of XML).
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path, max_uncompressed: int = MAX_UNCOMPRESSED) -> None:
    """Refuse archives that would expand past the caps, before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            names = set()
            for info in zf.infolist():
                names.add(info.filename)
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 * 1024 * 1024:
                    raise ExtractionError(f"refused: part {info.filename} expands {info.file_size // info.compress_size}x (zip bomb?)", path=str(path), code="too_large")
            if total > max_uncompressed:
                raise ExtractionError(f"refused: expands to {total // (1024 * 1024)} MB, over the {max_uncompressed // (1024 * 1024)} MB cap", path=str(path), code="too_large")
            if "word/document.xml" not in names:
                raise ExtractionError("ZIP file is not a Word document (no word/document.xml)", path=str(path), code="unsupported_format")
            for name in ("word/document.xml", "word/styles.xml"):
                if name in names:
                    with zf.open(name) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ExtractionError(f"refused: {name} declares a DTD or entities", path=str(path), code="hostile")
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"damaged DOCX ({exc})", path=str(path), code="corrupt") from None


def _style_levels(doc) -> dict[str, int]:  # noqa: ANN001 - python-docx Document
    levels: dict[str, int] = {}
    try:
        styles_el = doc.styles.element
    except Exception:  # noqa: BLE001 - a document without styles.xml
        return levels
    for st in styles_el.iter(f"{W}style"):
        sid = st.get(f"{W}styleId") or ""
        name_el = st.find(f"{W}name")
        name = name_el.get(f"{W}val") if name_el is not None else ""
        outline = st.find(f"{W}pPr/{W}outlineLvl")
        if outline is not None and (outline.get(f"{W}val") or "").isdigit():
            levels[sid] = int(outline.get(f"{W}val")) + 1
            continue
        m = _HEADING_ID.search(sid) or _HEADING_ID.search(name or "")
        if m:
            levels[sid] = int(m.group(1))
        elif sid.lower() == "title" or (name or "").lower() == "title":
            levels[sid] = 1
    return levels


def _text_of(el) -> str:  # noqa: ANN001 - lxml element
    parts: list[str] = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _para_info(p, levels: dict[str, int]) -> tuple[int | None, bool]:  # noqa: ANN001
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return None, False
    style = ppr.find(f"{W}pStyle")
    sid = style.get(f"{W}val") if style is not None else ""
    outline = ppr.find(f"{W}outlineLvl")
    level = levels.get(sid or "")
    if level is None and outline is not None and (outline.get(f"{W}val") or "").isdigit():
        level = int(outline.get(f"{W}val")) + 1
    is_list = ppr.find(f"{W}numPr") is not None or "list" in (sid or "").lower()
    return (level if level and level <= 9 else None), is_list


def _walk(container, builder: BlockBuilder, levels: dict[str, int], depth: int = 0) -> None:  # noqa: ANN001
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            text = normalise(_text_of(child))
            if not text.strip():
                continue
            level, is_list = _para_info(child, levels)
            if level:
                builder.heading(text, level, None)
            else:
                builder.add(text, BlockKind.LIST_ITEM if is_list else BlockKind.PARAGRAPH, None)
        elif tag == f"{W}tbl":
            if depth >= MAX_TABLE_DEPTH:
                continue
            for row in child.iterchildren(f"{W}tr"):
                cells = []
                for cell in row.iterchildren(f"{W}tc"):
                    nested = cell.findall(f"{W}tbl")
                    cells.append(normalise(" ".join(_text_of(p) for p in cell.iterchildren(f"{W}p"))).strip())
                    for tbl in nested:
                        _walk_table(tbl, builder, levels, depth + 1)
                row_text = " | ".join(c for c in cells if c)
                if row_text:
                    builder.add(row_text, BlockKind.TABLE_ROW, None)
        elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            content = child.find(f"{W}sdtContent")
            _walk(content if content is not None else child, builder, levels, depth + 1)


def _walk_table(tbl, builder: BlockBuilder, levels: dict[str, int], depth: int) -> None:  # noqa: ANN001
    holder = tbl.makeelement("holder", {})
    holder.append(tbl.__copy__())
    _walk(holder, builder, levels, depth)


def extract_docx(path: Path) -> Document:
    check_zip(path)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - install problem
        raise ExtractionError(f"python-docx is not installed ({exc})", path=str(path)) from None
    try:
        doc = docx.Document(str(path))
    except PackageNotFoundError:
        raise ExtractionError("not a Word document", path=str(path), code="unsupported_format") from None
    except Exception as exc:  # noqa: BLE001 - lxml and zip raise many kinds
        raise ExtractionError(f"damaged DOCX ({type(exc).__name__}: {str(exc)[:120]})", path=str(path), code="corrupt") from None
    levels = _style_levels(doc)
    builder = BlockBuilder()
    running: set[str] = set()
    try:
        for section in doc.sections:
            for part in (section.header, section.footer):
                if part is not None and not part.is_linked_to_previous:
                    for p in part._element.iter(f"{W}p"):
                        text = normalise(_text_of(p)).strip()
                        if text and text not in running:
                            running.add(text)
                            builder.add(text, BlockKind.PARAGRAPH, None, place=Place.RUNNING)
    except Exception:  # noqa: BLE001 - headers are optional; a broken one must not stop the body
        pass
    body = doc.element.body
    _walk(body, builder, levels)
    return Document(path=str(path), format="docx", blocks=tuple(builder.blocks), pages=None)
