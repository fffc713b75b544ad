"""Turn the ``expected:`` block kept in a document spec into label-file entries.

The page of every quote is found by extracting the built PDF with pypdfium2, and the
DOCX location by the nearest heading in the spec, so labels never drift from the
documents.  A quote that cannot be found verbatim raises an error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from docgen import iter_blocks, load_spec

QUESTIONS = [f"Q{i}" for i in range(1, 11)]


def norm(text: str) -> str:
    """Collapse whitespace and unify quotes/dashes for matching."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\ufffe", "")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00ad", "")
    text = text.replace("\x02", "")  # pdfium soft-hyphen marker
    return re.sub(r"\s+", " ", text).strip().lower()


def pdf_pages(path: str | Path) -> list[str]:
    """Return the normalised text of each PDF page."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return [norm(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def find_page(pages: list[str], quote: str) -> int:
    """1-based page holding ``quote``; error if absent."""
    q = norm(quote)
    hits = [i + 1 for i, text in enumerate(pages) if q in text]
    if not hits:
        raise ValueError(f"quote not found in PDF: {quote!r}")
    return hits[0]


def docx_text(path: str | Path) -> str:
    """Normalised text of a DOCX: body paragraphs and table cells, in order."""
    import docx

    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in block.iter():
                if cell.tag.endswith("}tc"):
                    parts.append("".join(t.text or "" for t in cell.iter()
                                         if t.tag.endswith("}t")))
    return norm("\n".join(parts))


def find_heading(spec: dict, quote: str) -> str:
    """Nearest heading above the block holding ``quote`` in the spec (DOCX location)."""
    q = norm(quote)
    current = spec.get("title", "")
    for kind, payload, _level in iter_blocks(spec):
        if kind == "heading":
            current = payload
            if q in norm(payload):
                return payload
            continue
        if kind in ("glossary", "references"):
            current = payload.get("title", kind.title())
        if q in norm(yaml.safe_dump(payload, width=10**6, allow_unicode=True)
                     if not isinstance(payload, str) else payload):
            return current
    raise ValueError(f"quote not found in spec: {quote!r}")


def entries(spec: dict, pdf: Path, docx: Path | None, labeller: str) -> list[dict[str, Any]]:
    """Label entries for the PDF (and DOCX, if given) built from ``spec``."""
    exp = spec["expected"]
    pages = pdf_pages(pdf)
    full_docx = docx_text(docx) if docx is not None else ""
    out = []
    for path in [pdf, docx]:
        if path is None:
            continue
        entry: dict[str, Any] = {
            "file": path.name,
            "title": exp.get("title", spec["title"]),
            "kind": exp["kind"],
            "status": exp.get("status", "ok"),
            "labeller": labeller,
        }
        if entry["status"] == "ok":
            qs: dict[str, Any] = {}
            for q in QUESTIONS:
                lab = exp["questions"][q]
                item: dict[str, Any] = {"verdict": lab["verdict"]}
                if lab["verdict"] != "gap":
                    item["page"] = (find_page(pages, lab["quote"]) if path.suffix == ".pdf"
                                    else find_heading(spec, lab["quote"]))
                    item["quote"] = lab["quote"]
                    if path.suffix == ".docx" and norm(lab["quote"]) not in full_docx:
                        raise ValueError(f"quote not found in DOCX {path.name}: {lab['quote']!r}")
                item["why"] = lab["why"]
                item["contested"] = bool(lab.get("contested", False))
                qs[q] = item
            entry["questions"] = qs
        out.append(entry)
    return out


def write_labels(src_dir: Path, docs_dir: Path, out: Path, root: str, labeller: str,
                 header: str, with_docx: bool = True) -> None:
    """Write a label file for every spec in ``src_dir`` built into ``docs_dir``."""
    documents = []
    for src in sorted(Path(src_dir).glob("*.yaml")):
        spec = load_spec(src)
        docx = docs_dir / f"{src.stem}.docx" if with_docx else None
        documents.extend(entries(spec, docs_dir / f"{src.stem}.pdf", docx, labeller))
    body = yaml.safe_dump({"schema_version": 1, "root": root, "documents": documents},
                          sort_keys=False, allow_unicode=True, width=100)
    out.write_text(header + body, encoding="utf-8")
