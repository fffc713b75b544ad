"""OpenDocument text (ODT, and the tables of ODS spreadsheets) into the same blocks as DOCX.

Headings come from ``text:h`` and its outline level (or a paragraph style's), up to
DOCX's MAX_HEADING_WORDS (a longer one is body text, as in DOCX); list items from
``text:list``, table rows from ``table:table`` (one block per row, cells joined by " | "),
and the tables of embedded spreadsheet objects in place. Headers and footers are running text, as in DOCX.
The archive is checked against the DOCX reader's zip-bomb and DTD limits before any XML
is parsed, and the XML parser never resolves entities or reaches the network.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any

from assure.errors import ExtractionError
from assure.extract.clean import BlockBuilder, normalise
from assure.extract.docx import (
    MAX_HEADING_WORDS,
    MAX_RATIO,
    MAX_TABLE_DEPTH,
    MAX_UNCOMPRESSED,
    MAX_XML,
    PROLOG_LIMIT,
    RATIO_FLOOR,
    _declares_dtd,
    _mb,
)
from assure.models import BlockKind, Document, Place

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
BOLD_HEADING_LEVEL = 9  # as in DOCX: below every styled heading
MIME_PREFIX = b"application/vnd.oasis.opendocument."
READABLE_MIMES = ("text", "text-template", "spreadsheet", "spreadsheet-template", "text-master")
MAX_EMBEDDED = 50  # embedded objects read per document


def is_opendocument(path: Path, head: bytes) -> bool:
    """An OpenDocument package: its stored ``mimetype`` member, else a content.xml without word/."""
    if MIME_PREFIX in head[:128]:
        return True
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except Exception:  # noqa: BLE001 - a damaged zip is left to the DOCX reader's message
        return False
    return "content.xml" in names and not any(n.startswith("word/") for n in names)


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)


def _check_package(path: Path, zf: zipfile.ZipFile, max_uncompressed: int) -> None:
    infos = zf.infolist()
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ExtractionError(f"refused: part {info.filename} expands {info.file_size // max(info.compress_size, 1)}:1 "
                                  f"to {_mb(info.file_size)} (zip bomb?)", path=str(path), code="too_large")
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        raise ExtractionError(f"refused: unzips to {_mb(total)}, over the {_mb(max_uncompressed)} cap", path=str(path), code="too_large")
    xml_parts = [info for info in infos if info.filename.lower().endswith(".xml")]
    if sum(info.file_size for info in xml_parts) > MAX_XML:
        raise ExtractionError(f"refused: its XML unzips to over the {_mb(MAX_XML)} cap", path=str(path), code="too_large")
    if "content.xml" not in {info.filename for info in infos}:
        raise ExtractionError("ZIP file is not an OpenDocument file (no content.xml)", path=str(path), code="unsupported_format")
    if "mimetype" in {info.filename for info in infos}:
        mime = zf.read("mimetype")[:100].strip()
        kind = mime[len(MIME_PREFIX):].decode("ascii", "replace") if mime.startswith(MIME_PREFIX) else ""
        if kind and kind not in READABLE_MIMES:
            raise ExtractionError(f"OpenDocument {kind} is not a text document or spreadsheet", path=str(path), code="unsupported_format")
    for info in xml_parts:
        with zf.open(info) as fh:
            if _declares_dtd(fh.read(PROLOG_LIMIT)):
                raise ExtractionError(f"refused: {info.filename} declares a DTD or entities (not allowed in OpenDocument)",
                                      path=str(path), code="hostile")


def _xml(path: Path, zf: zipfile.ZipFile, name: str):
    from lxml import etree

    try:
        return etree.fromstring(zf.read(name), _parser())
    except KeyError:
        return None
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower() or "nested" in str(exc).lower():
            raise ExtractionError("refused: XML nested too deeply (over 256 levels)", path=str(path), code="hostile") from None
        raise ExtractionError(f"damaged OpenDocument ({name}: {str(exc)[:120]})", path=str(path), code="corrupt") from None


def _text_of(el) -> str:
    """An element's text with spaces (text:s), tabs and line breaks; notes and frames left out."""
    parts: list[str] = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{TEXT}s":
            count = child.get(f"{TEXT}c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, 8))
        elif tag == f"{TEXT}tab":
            parts.append(" ")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag in (f"{TEXT}note", f"{OFFICE}annotation", f"{DRAW}frame", f"{TEXT}bookmark-ref"):
            pass  # footnotes, comments and pictures are not running prose
        elif isinstance(tag, str):
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inherit(values: dict[str, object], parents: dict[str, str]) -> None:
    for name, parent in parents.items():
        seen = 0
        while name not in values and parent and seen < 20:
            if parent in values:
                values[name] = values[parent]
            parent, seen = parents.get(parent, ""), seen + 1


def _styles(styles_root, content_root) -> tuple[dict[str, int], set[str]]:
    """Paragraph styles that are headings (``default-outline-level``, the Title style, or a
    parent that is one), and the styles that set text in bold (for bold-paragraph headings)."""
    parents: dict[str, str] = {}
    levels: dict[str, object] = {}
    bold: dict[str, object] = {}
    for root in (styles_root, content_root):
        if root is None:
            continue
        for st in root.iter(f"{STYLE}style"):
            name = st.get(f"{STYLE}name") or ""
            level = st.get(f"{STYLE}default-outline-level") or ""
            if level.isdigit() and int(level) > 0:
                levels[name] = int(level)
            elif name == "Title":
                levels[name] = 1
            props = st.find(f"{STYLE}text-properties")
            if props is not None and props.get(f"{FO}font-weight") is not None:
                bold[name] = props.get(f"{FO}font-weight") in ("bold", "600", "700", "800", "900")
            parent = st.get(f"{STYLE}parent-style-name")
            if parent:
                parents[name] = parent
    _inherit(levels, parents)
    _inherit(bold, parents)
    return {k: int(v) for k, v in levels.items()}, {k for k, v in bold.items() if v}  # type: ignore[call-overload]


def _bold_title(p, text: str, bold: set[str]) -> bool:
    """A short paragraph set wholly in bold, the way many council documents make headings
    (same test as the DOCX reader's)."""
    words = text.split()
    if not 1 <= len(words) <= 12 or text.rstrip()[-1:] in ".,;" or not (text.lstrip()[:1].isupper() or text.lstrip()[:1].isdigit()):
        return False
    if (p.get(f"{TEXT}style-name") or "") in bold:
        return True
    if (p.text or "").strip():
        return False
    spans = list(p)
    if not spans or any((c.tail or "").strip() for c in spans):
        return False
    return all(c.tag == f"{TEXT}span" and (c.get(f"{TEXT}style-name") or "") in bold for c in spans if "".join(c.itertext()).strip())


class _Reader:
    def __init__(self, path: Path, zf: zipfile.ZipFile, styles: tuple[dict[str, int], set[str]]) -> None:
        self.path, self.zf = path, zf
        self.levels, self.bold = styles
        self.builder = BlockBuilder()
        self.embedded = 0

    def walk(self, container, depth: int = 0, kind: BlockKind = BlockKind.PARAGRAPH) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == f"{TEXT}h":
                level = child.get(f"{TEXT}outline-level") or ""
                text = normalise(_text_of(child))
                if len(text.split()) > MAX_HEADING_WORDS:  # as in DOCX: a paragraph over a heading's length is body text
                    self.builder.add(text, kind, None)
                else:
                    self.builder.heading(text, min(int(level), 9) if level.isdigit() and int(level) > 0 else 1, None)
            elif tag == f"{TEXT}p":
                style = child.get(f"{TEXT}style-name") or ""
                text = normalise(_text_of(child))
                if style in self.levels and kind is BlockKind.PARAGRAPH and len(text.split()) <= MAX_HEADING_WORDS:
                    self.builder.heading(text, min(self.levels[style], 9), None)
                elif kind is BlockKind.PARAGRAPH and _bold_title(child, text, self.bold):
                    self.builder.heading(text, BOLD_HEADING_LEVEL, None)
                elif text.strip():
                    self.builder.add(text, kind, None)
                self._objects(child, depth)
            elif tag == f"{TEXT}list":
                for item in child.iterchildren(f"{TEXT}list-item", f"{TEXT}list-header"):
                    self.walk(item, depth + 1, BlockKind.LIST_ITEM)
            elif tag == f"{TABLE}table":
                self.table(child, depth)
            elif tag in (f"{TEXT}section", f"{TABLE}table-row-group", f"{TABLE}table-rows", f"{TABLE}table-header-rows",
                         f"{TEXT}index-body", f"{OFFICE}text", f"{OFFICE}spreadsheet", f"{TEXT}table-of-content") \
                    and depth < MAX_TABLE_DEPTH * 4:
                self.walk(child, depth + 1, kind)

    def _objects(self, paragraph, depth: int) -> None:
        """Tables of embedded spreadsheet objects (``draw:object`` in a frame), read in place."""
        for obj in paragraph.iter(f"{DRAW}object"):
            href = (obj.get(f"{XLINK}href") or "").removeprefix("./").strip("/")
            if not href or self.embedded >= MAX_EMBEDDED or depth > MAX_TABLE_DEPTH:
                continue
            self.embedded += 1
            name = posixpath.normpath(posixpath.join(href, "content.xml"))
            root = _xml(self.path, self.zf, name) if not name.startswith("..") else None
            body = root.find(f"{OFFICE}body") if root is not None else None
            if body is not None:
                for table in body.iter(f"{TABLE}table"):
                    self.table(table, depth + 1)

    def table(self, tbl, depth: int) -> None:
        if depth >= MAX_TABLE_DEPTH:
            flat = normalise(" ".join(_text_of(p) for p in tbl.iter(f"{TEXT}p"))).strip()
            if flat:
                self.builder.add(flat, BlockKind.TABLE_ROW, None)
            return
        for row in tbl.iter(f"{TABLE}table-row"):
            if _owner_table(row) is not tbl:
                continue  # a nested table's row: read with its own table
            cells = []
            for cell in row.iterchildren(f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                texts = [normalise(_text_of(p)).strip() for p in cell.iterchildren(f"{TEXT}p", f"{TEXT}h")]
                text = " ".join(t for t in texts if t)
                if text:
                    cells.append(text)
                for inner in cell.iterchildren(f"{TABLE}table"):
                    self.table(inner, depth + 1)
            row_text = " | ".join(cells)
            if row_text:
                self.builder.add(row_text, BlockKind.TABLE_ROW, None)

    def running(self, styles_root) -> None:
        if styles_root is None:
            return
        seen: set[str] = set()
        for tag in ("header", "footer", "header-first", "footer-first", "header-left", "footer-left"):
            for part in styles_root.iter(f"{STYLE}{tag}"):
                for p in part.iter(f"{TEXT}p", f"{TEXT}h"):
                    text = normalise(_text_of(p)).strip()
                    if text and text not in seen:
                        seen.add(text)
                        self.builder.add(text, BlockKind.PARAGRAPH, None, place=Place.RUNNING)


def _owner_table(row: Any) -> Any:
    node = row.getparent()
    while node is not None and node.tag != f"{TABLE}table":
        node = node.getparent()
    return node


def extract_odt(path: Path, *, max_uncompressed: int = MAX_UNCOMPRESSED) -> Document:
    """Read an ODT (or ODS) after the zip-bomb and DTD checks; cited by heading, like DOCX."""
    try:
        with zipfile.ZipFile(path) as zf:
            _check_package(path, zf, max_uncompressed)
            content = _xml(path, zf, "content.xml")
            styles = _xml(path, zf, "styles.xml")
            reader = _Reader(path, zf, _styles(styles, content))
            reader.running(styles)
            body = content.find(f"{OFFICE}body") if content is not None else None
            if body is not None:
                reader.walk(body)
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"damaged OpenDocument file ({exc})", path=str(path), code="corrupt") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ExtractionError(f"damaged OpenDocument file ({type(exc).__name__}: {str(exc)[:120]})", path=str(path), code="corrupt") from None
    return Document(path=str(path), format="odt", blocks=tuple(reader.builder.blocks), pages=None)
