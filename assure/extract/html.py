"""A saved web page (HTML) read for its main content: headings, paragraphs, lists and tables.

Navigation, cookie banners, footers and other page furniture are dropped by trafilatura
(Apache-2.0), whose output keeps headings, lists and tables; each block is cited by its
heading, as in DOCX. Nothing is ever fetched: links, images and scripts are ignored, and
both parsers run with network access and entity resolution off.
"""

from __future__ import annotations

import re
from pathlib import Path

from assure.errors import ExtractionError
from assure.extract.clean import BlockBuilder, normalise
from assure.extract.text import decode
from assure.models import BlockKind, Document

MAX_HTML_BYTES = 20 * 1000 * 1000  # trafilatura's own cap; a larger "page" is not a saved web page
MAX_TREE_ELEMENTS = 500_000  # past this the page is refused rather than walked
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<html[\s>]|<body[\s>]|<!doctype\s+html", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_HEADING_LEVEL = re.compile(r"h([1-6])")
# page furniture trafilatura might keep on pages without semantic markup
_PRUNE = ("//*[contains(translate(@class,'COKIE','cokie'),'cookie') or contains(translate(@id,'COKIE','cokie'),'cookie')"
          " or contains(@class,'consent') or contains(@id,'consent') or @role='navigation' or @role='banner'"
          " or @role='contentinfo' or @aria-label='breadcrumb' or contains(@class,'breadcrumb') or contains(@class,'skip-link')]")


def is_html(path: Path, head: bytes) -> bool:
    """HTML by its opening tags (a .html name alone is not enough; nor is a .txt name a veto)."""
    sample = head[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(sample):
        return True
    return path.suffix.lower() in (".html", ".htm", ".xhtml") and bool(_HTML_ANYWHERE.search(sample))


def _decode(data: bytes) -> str:
    """The page's declared charset when it names one Python knows, else UTF-8 / Windows-1252."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return decode(data)


def _main_tree(path: Path, html: str):
    """Parse the page; when nothing marks its main content (<main>, <article>, role=main),
    wrap the body in <article> so the extractor keeps its headings instead of falling back
    to paragraphs only (saved office documents and many council pages have no such markup)."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not a readable web page ({str(exc)[:120]})", path=str(path), code="corrupt") from None
    count = sum(1 for _ in root.iter())
    if count > MAX_TREE_ELEMENTS:
        raise ExtractionError(f"refused: web page has {count:,} elements, over the {MAX_TREE_ELEMENTS:,} cap", path=str(path), code="too_large")
    body = root.find("body")
    if body is not None and not root.xpath("//main|//article|//*[@role='main']"):
        article = etree.SubElement(body, "article")
        article.text, body.text = body.text, None
        for child in list(body):
            if child is not article:
                article.append(child)
    return root


def _text(el) -> str:
    return normalise(" ".join(el.itertext()))


BOLD_HEADING_LEVEL = 9  # as in DOCX: below every marked-up heading


def _bold_title(p) -> bool:
    """A short paragraph wholly in bold, a heading in all but markup (the DOCX reader's test)."""
    text = _text(p).strip()
    words = text.split()
    if not 1 <= len(words) <= 12 or text[-1:] in ".,;" or not (text[:1].isupper() or text[:1].isdigit()):
        return False
    if (p.text or "").strip() or len(p) != 1:
        return False
    only = p[0]
    return only.tag == "hi" and "#b" in (only.get("rend") or "") and not (only.tail or "").strip()


def _list(el, builder: BlockBuilder, depth: int = 0) -> None:
    """One block per item; a nested list's items follow their parent item."""
    for item in el.iterchildren("item"):
        parts = [item.text or ""]
        for c in item:
            if c.tag != "list":
                parts.append(" ".join(c.itertext()))
            parts.append(c.tail or "")
        builder.add(normalise(" ".join(parts)), BlockKind.LIST_ITEM, None)
        if depth < 20:
            for inner in item.iterchildren("list"):
                _list(inner, builder, depth + 1)


def _walk(el, builder: BlockBuilder, kind: BlockKind = BlockKind.PARAGRAPH) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if tag == "head":
            level = _HEADING_LEVEL.match(child.get("rend") or "")
            builder.heading(_text(child), int(level.group(1)) if level else 2, None)
        elif tag == "p" and kind is BlockKind.PARAGRAPH and _bold_title(child):
            builder.heading(_text(child), BOLD_HEADING_LEVEL, None)
        elif tag in ("p", "quote", "code"):
            builder.add(_text(child), kind, None)
        elif tag == "list":
            _list(child, builder)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_text(cell).strip() for cell in row.iterchildren("cell")]
                row_text = " | ".join(c for c in cells if c)
                if row_text:
                    builder.add(row_text, BlockKind.TABLE_ROW, None)
        elif tag in ("div", "main", "section"):
            _walk(child, builder, kind)


def extract_html(path: Path, data: bytes) -> Document:
    """Main content of a saved web page; a page with no main content has no blocks (unassessable)."""
    if len(data) > MAX_HTML_BYTES:
        raise ExtractionError(f"refused: web page is {len(data) // 1_000_000} MB, over the {MAX_HTML_BYTES // 1_000_000} MB cap",
                              path=str(path), code="too_large")
    try:
        import trafilatura
        from lxml import etree
    except ImportError as exc:  # pragma: no cover - install problem
        raise ExtractionError(f"trafilatura is not installed ({exc}); pip install trafilatura", path=str(path)) from None
    tree = _main_tree(path, _decode(data))
    out = trafilatura.extract(tree, output_format="xml", include_formatting=True, include_tables=True, include_links=False,
                              include_images=False, include_comments=False, with_metadata=False, deduplicate=False,
                              favor_recall=True, prune_xpath=_PRUNE)
    builder = BlockBuilder()
    if out:
        root = etree.fromstring(out.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        main = root.find("main")
        if main is not None:
            _walk(main, builder)
    return Document(path=str(path), format="html", blocks=tuple(builder.blocks), pages=None)
