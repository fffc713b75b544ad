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
from assure.extract.clean import BlockBuilder, normalise, squash
from assure.inline import KEYWORD, capped, parse
from assure.models import BlockKind, Directive, Document, Place

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_ID = re.compile(r"(?:heading|berschrift|titre|kop)\s*([1-9])", re.I)
MAX_TABLE_DEPTH = 8  # tables nested deeper are read as one flat row each

# Limits against zip bombs, generous for real documents: the largest real DOCX in the shared
# corpus unzips to 8 MB, and no part of it compresses better than 45:1.
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all parts together (python-docx holds every part in memory)
MAX_XML = 64 * 1024 * 1024  # XML parts together (lxml trees take several times their size)
MAX_RATIO = 100  # per part, once the part is over RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
PROLOG_LIMIT = 64 * 1024  # bytes read from each XML part to find its root element
_OFFICE_DOC = ("/officeDocument", "/document")
_ROOT_START = re.compile(rb"<(?![?!/])")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _declares_dtd(head: bytes) -> bool:
    """Whether an XML part's prolog declares a DTD or entities (OOXML never needs one).

    Only the prolog, up to the root element, is looked at, so a document that merely
    quotes "<!DOCTYPE" in its text is not refused. UTF-16 parts are decoded first.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    return b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper()


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part named by _rels/.rels (Office 365 may call it document2.xml)."""
    if "_rels/.rels" in names:
        from lxml import etree

        try:
            rels = etree.fromstring(zf.read("_rels/.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return None
        for rel in rels:
            if (rel.get("Type") or "").endswith(_OFFICE_DOC):
                target = (rel.get("Target") or "").lstrip("/")
                return target if target in names else None
    return "word/document.xml" if "word/document.xml" in names else None


def check_zip(path: Path, max_uncompressed: int = MAX_UNCOMPRESSED, max_xml: int = MAX_XML) -> None:
    """Refuse archives that would expand past the caps or declare DTDs, before python-docx reads them.

    The sizes checked are those declared in the ZIP directory; Python's zipfile never
    inflates a part past its declared size (a lying header fails its CRC check instead).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            xml_parts = [info for info in infos if info.filename.lower().endswith((".xml", ".rels"))]
            xml_total = sum(info.file_size for info in xml_parts)
            for info in infos:
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ExtractionError(
                        f"refused: part {info.filename} expands {info.file_size // max(info.compress_size, 1)}:1 "
                        f"to {_mb(info.file_size)} (zip bomb?)",
                        path=str(path),
                        code="too_large",
                    )
            if total > max_uncompressed:
                raise ExtractionError(
                    f"refused: unzips to {_mb(total)}, over the {_mb(max_uncompressed)} cap", path=str(path), code="too_large"
                )
            if xml_total > max_xml:
                raise ExtractionError(
                    f"refused: its XML unzips to {_mb(xml_total)}, over the {_mb(max_xml)} cap", path=str(path), code="too_large"
                )
            main = _main_part(zf, names)
            if main is None:
                raise ExtractionError(
                    "ZIP file is not a Word document (no word/document.xml or other main document part)",
                    path=str(path),
                    code="unsupported_format",
                )
            for info in xml_parts:
                with zf.open(info) as fh:
                    head = fh.read(PROLOG_LIMIT)
                if _declares_dtd(head):
                    raise ExtractionError(
                        f"refused: {info.filename} declares a DTD or entities (not allowed in DOCX)",
                        path=str(path),
                        code="hostile",
                    )
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"damaged DOCX ({exc})", path=str(path), code="corrupt") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ExtractionError(f"damaged DOCX ({type(exc).__name__}: {str(exc)[:120]})", path=str(path), code="corrupt") from None


def _plain_cause(exc: BaseException) -> str:
    """Why python-docx or lxml could not open the file, in words rather than a class name:
    "an XML part is malformed (...)", "a required part is missing: '[Content_Types].xml'"."""
    first = (str(exc).splitlines() or [""])[0][:120]
    if type(exc).__name__ == "XMLSyntaxError":
        return f"an XML part is malformed: {first}"
    if isinstance(exc, KeyError):
        missing = re.search(r"named '([^']+)'", first)
        return f"a required part is missing: {missing.group(1)}" if missing else f"a required part is missing ({first})"
    return first or "unreadable structure"


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


BOLD_HEADING_LEVEL = 9  # below every styled heading, so it nests under them
# A heading styled or outlined longer than this is a paragraph: LibreOffice's DOCX of a Word 97-2003
# .doc can carry an outline level on body paragraphs, and they were read as headings (as the PDF
# layout's MAX_HEADING_WORDS: an Inspector's 24-word issue heading is the longest real one seen)
MAX_HEADING_WORDS = 30


def _bold_title(p, text: str) -> bool:  # noqa: ANN001 - lxml element
    """A short paragraph set wholly in bold: many council documents make headings this way
    instead of with heading styles ("What we will do")."""
    words = text.split()
    if (
        not 1 <= len(words) <= 12
        or text.rstrip()[-1:] in ".,;"
        or not text.lstrip()[:1].isupper()
        and not text.lstrip()[:1].isdigit()
    ):
        return False
    runs = [r for r in p.iter(f"{W}r") if (_text_of(r) or "").strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{W}rPr/{W}b")
        if b is None or b.get(f"{W}val") in ("0", "false", "off"):
            return False
    return True


def _is_contents(p) -> bool:  # noqa: ANN001 - lxml element
    """A table-of-contents line: Word's TOC styles ("TOC1", "TOC Heading") or a link to a
    "_Toc" bookmark. Read as a body paragraph, "Housing and homelessness support 20" was quoted
    as evidence."""
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is not None and (style.get(f"{W}val") or "").lower().replace(" ", "").startswith("toc"):
        return True
    return any((h.get(f"{W}anchor") or "").startswith("_Toc") for h in p.iter(f"{W}hyperlink"))


def _is_contents_control(sdt) -> bool:  # noqa: ANN001 - lxml element
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(f"{W}val") or "").lower()


def _walk(container, builder: BlockBuilder, levels: dict[str, int], depth: int = 0, contents: bool = False) -> None:  # noqa: ANN001
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            text = normalise(_text_of(child))
            if not text.strip():
                continue
            if contents or _is_contents(child):
                builder.add(text, BlockKind.PARAGRAPH, None, place=Place.CONTENTS)
                continue
            level, is_list = _para_info(child, levels)
            if level and len(text.split()) > MAX_HEADING_WORDS:
                level = None  # a paragraph over a heading's length is body text, whatever its style says
            if level:
                builder.heading(text, level, None)
            elif not is_list and _bold_title(child, text):
                builder.heading(text, BOLD_HEADING_LEVEL, None)
            else:
                builder.add(text, BlockKind.LIST_ITEM if is_list else BlockKind.PARAGRAPH, None)
        elif tag == f"{W}tbl":
            _table(child, builder, depth)
        elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            content = child.find(f"{W}sdtContent")
            inner = contents or (tag == f"{W}sdt" and _is_contents_control(child))
            _walk(content if content is not None else child, builder, levels, depth + 1, inner)


def _table(tbl, builder: BlockBuilder, depth: int) -> None:  # noqa: ANN001 - lxml element
    """One block per row, each nested table just before its row; and past MAX_TABLE_DEPTH a
    nested table becomes one flat row so that deep nesting costs linear time."""
    if depth >= MAX_TABLE_DEPTH:
        flat = normalise(" ".join(_text_of(p) for p in tbl.iter(f"{W}p"))).strip()
        if flat:
            builder.add(flat, BlockKind.TABLE_ROW, None)
        return
    for row in tbl.iterchildren(f"{W}tr"):
        cells = []
        for cell in row.iterchildren(f"{W}tc"):
            cells.append(normalise(" ".join(_text_of(p) for p in cell.iterchildren(f"{W}p"))).strip())
            for inner in cell.iterchildren(f"{W}tbl"):  # nested tables come before their row, as before
                _table(inner, builder, depth + 1)
        row_text = " | ".join(c for c in cells if c)
        if row_text:
            builder.add(row_text, BlockKind.TABLE_ROW, None)


def extract_docx(path: Path, *, max_uncompressed: int = MAX_UNCOMPRESSED) -> Document:
    """Read a DOCX after check_zip has ruled out bombs and DTDs."""
    check_zip(path, max_uncompressed)
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
        if "depth" in str(exc).lower():  # libxml2 stops at 256 levels of nesting
            raise ExtractionError("refused: XML nested too deeply (over 256 levels)", path=str(path), code="hostile") from None
        raise ExtractionError(f"damaged DOCX ({_plain_cause(exc)})", path=str(path), code="corrupt") from None
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
    body = doc.element.find(f"{W}body")
    if body is not None:  # a DOCX with no body has no blocks: unassessable, never a gap
        _walk(body, builder, levels)
    directives = _comment_directives(doc, body)
    return Document(path=str(path), format="docx", blocks=tuple(builder.blocks), pages=None, directives=directives)


ANCHOR_CHARS = 40  # of the commented paragraph, to say where a directive sits


def _comment_directives(doc, body) -> tuple[Directive, ...]:  # noqa: ANN001 - python-docx Document, lxml element
    """``assure: ignore`` directives written as Word comments (assure/inline.py), each named
    by its author and the start of the paragraph it is anchored to. Comment text is never
    document text: the body walk does not read the comments part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        if not any(rel.reltype == RT.COMMENTS for rel in doc.part.rels.values()):
            return ()  # asking python-docx for comments would add an empty comments part
        comments = [(str(c.comment_id), c.author, c.text) for c in doc.comments]
    except Exception:  # noqa: BLE001 - a damaged comments part must not stop the body
        return ()
    wanted = [c for c in comments if KEYWORD.search(normalise(c[2] or ""))]
    if not wanted:
        return ()
    anchors: dict[str, str] = {}
    if body is not None:
        for mark in body.iter(f"{W}commentRangeStart", f"{W}commentReference"):
            cid = mark.get(f"{W}id") or ""
            para = next(mark.iterancestors(f"{W}p"), None)
            if para is None:  # a range may open between paragraphs: the next one holds its text
                para = next(mark.itersiblings(f"{W}p"), None)
            if cid not in anchors and para is not None:
                anchors[cid] = squash(normalise(_text_of(para)))
    directives = []
    for cid, author, text in wanted:
        anchor = anchors.get(cid, "")
        if len(anchor) > ANCHOR_CHARS:
            anchor = anchor[:ANCHOR_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"
        where = f"Word comment by {squash(author or '') or 'an unnamed author'}" + (f' on "{anchor}"' if anchor else "")
        directives.extend(parse(normalise(text or ""), where))
    return capped(directives)
