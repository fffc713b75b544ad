"""Render an extracted Document (the ``assure extract`` command)."""

from __future__ import annotations

import json

from assure.models import Document
from assure.names import human_name


def render_document(document: Document, fmt: str = "text") -> str:
    if fmt == "json":
        data = {
            "path": document.path,
            "format": document.format,
            "pages": document.pages,
            "encrypted": document.encrypted,
            "removed_running_lines": document.removed_running_lines,
            "quality": [
                {
                    "page": q.page,
                    "chars": q.chars,
                    "replacement_chars": q.replacement_chars,
                    "cid_glyphs": q.cid_glyphs,
                    "problem": q.problem,
                }
                | ({"ocr_confidence": q.ocr_confidence} if q.ocr_confidence is not None else {})
                for q in document.quality
            ],
            "blocks": [
                {
                    "index": b.index,
                    "kind": b.kind.value,
                    "page": b.page,
                    "section": list(b.section),
                    "place": b.place.value,
                    "text": b.text,
                }
                | ({"ocr": True} if b.ocr else {})
                for b in document.blocks
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    pages = f", {document.pages} page{'s' if document.pages != 1 else ''}" if document.pages else ""
    lines = [f"# {human_name(document.path)} ({document.format}{pages})"]
    if document.encrypted:
        lines.append("# encrypted (opened)")
    if document.removed_running_lines:
        lines.append(f"# running header/footer lines removed: {document.removed_running_lines}")
    for page, problem in document.unreadable_pages:
        lines.append(f"# page {page}: {problem}")
    if document.ocr_pages:
        lines.append("# read by OCR (confidence): " + ", ".join(f"p.{p} ({c:.0f}%)" for p, c in document.ocr_pages))
    for b in document.blocks:
        loc = (f"p.{b.page}" if b.page is not None else f"\u00b6{b.index}") + (" (OCR)" if b.ocr else "")
        place = "" if b.place.value == "body" else f" [{b.place.value}]"
        section = f" \u00a7 {' > '.join(b.section)}" if b.section and b.kind.value != "heading" else ""
        lines.append(f"{loc} {b.kind.value}{place}{section}: {b.text}")
    return "\n".join(lines) + "\n"
