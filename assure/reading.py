"""Reading agreement: how well assure reads a PDF, against judgements made by reading its pages.

The labels (format: eval/reading/README.md) name, for a snippet of text on a page, the
section heading a reviewer would cite for it and what kind of block it is (prose, heading,
list item, table row, figure label, caption, footnote, furniture, contents). For each label
the block on that page holding the snippet is found (whitespace, case, quotes and dashes
normalised) and its innermost section heading, or its kind, compared. A snippet assure did
not keep whole in one block counts as a disagreement, so splitting a sentence is penalised.

Nothing here prints: results are values, formatted by benchmarks/reading.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assure.errors import ConfigError
from assure.models import Block, BlockKind, Document, Place

KINDS = ("prose", "heading", "list-item", "table-row", "figure-label", "caption", "footnote", "furniture", "contents")
_PLACE_KINDS = {
    Place.RUNNING: "furniture",
    Place.CONTENTS: "contents",
    Place.FIGURE: "figure-label",
    Place.CAPTION: "caption",
    Place.FOOTNOTE: "footnote",
}
_BLOCK_KINDS = {
    BlockKind.PARAGRAPH: "prose",
    BlockKind.HEADING: "heading",
    BlockKind.LIST_ITEM: "list-item",
    BlockKind.TABLE_ROW: "table-row",
}
# "3", "6.2.1", "1.", "3f |", "Section 4:", "Chapter 2 -", "A." before a heading's words
_NUMBERING = re.compile(
    r"^(?:(?:section|chapter|part|appendix|annex)\s+)?"
    r"(?:[0-9]{1,2}[a-z]?(?:\.[0-9]{1,2})*|[A-Z]|[ivx]{1,4})(?:\s*[.:)|\-\u2013])?\s+",
    re.IGNORECASE,
)


def block_kind(block: Block) -> str:
    """The label vocabulary's name for what a block is."""
    return _PLACE_KINDS.get(block.place) or _BLOCK_KINDS[block.kind]


def squeeze(text: str) -> str:
    """Case, whitespace, quotes, dashes and hyphenation folded, for finding a snippet in a block."""
    text = unicodedata.normalize("NFKC", text).lower()
    folds: dict[str, str | int | None] = {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": None,
    }
    text = text.translate(str.maketrans(folds))
    return " ".join(text.split())


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", squeeze(text))


_CONTINUED = re.compile(r"\s*[(\[]?\s*(?:continued|cont'?d|cont\.)\s*[)\]]?\s*$")


def heading_key(title: str) -> str:
    """A heading compared without its numbering, case, spacing, end punctuation or a trailing
    "continued" ("Introduction continued" names the section "Introduction" does)."""
    text = _CONTINUED.sub("", squeeze(title))
    for _ in range(2):
        text = _NUMBERING.sub("", text)
    return _letters(text)


@dataclass(frozen=True)
class SectionLabel:
    file: str
    page: int
    text: str
    section: str


@dataclass(frozen=True)
class KindLabel:
    file: str
    page: int
    text: str
    kind: str


@dataclass
class ReadingLabels:
    root: Path
    layouts: dict[str, str] = field(default_factory=dict)
    sections: list[SectionLabel] = field(default_factory=list)
    kinds: list[KindLabel] = field(default_factory=list)


def load_reading_labels(path: str | Path, base: Path | None = None) -> ReadingLabels:
    """Read a reading-label file; a malformed one is a ConfigError naming the file. ``base``
    (``--root``) is where the documents are looked for when the file's ``root:`` is not found."""
    import yaml

    from assure.evaluate import resolve_root

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read reading labels ({type(exc).__name__})", path=str(p)) from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ConfigError("reading labels need a 'documents' list", path=str(p))
    labels = ReadingLabels(root=resolve_root(p, str(data.get("root", ".")), base))
    for doc in data["documents"]:
        if not isinstance(doc, dict) or "file" not in doc:
            raise ConfigError("every document needs a 'file'", path=str(p))
        name = str(doc["file"])
        labels.layouts[name] = str(doc.get("layout", ""))
        for item in doc.get("sections") or []:
            labels.sections.append(SectionLabel(name, int(item["page"]), str(item["text"]), str(item["section"])))
        for item in doc.get("blocks") or []:
            kind = str(item["kind"])
            if kind not in KINDS:
                raise ConfigError(f"{name} p.{item.get('page')}: unknown kind {kind!r} (one of {', '.join(KINDS)})", path=str(p))
            labels.kinds.append(KindLabel(name, int(item["page"]), str(item["text"]), kind))
    return labels


def find_block(document: Document, page: int, snippet: str) -> Block | None:
    """The block on ``page`` holding ``snippet`` (a paragraph joined across a page break
    starts on the page before, so that page is searched too)."""
    blocks = [b for b in (*document.blocks, *document.furniture) if b.page is not None and page - 1 <= b.page <= page]
    blocks.sort(key=lambda b: b.page != page)  # the labelled page first
    want = squeeze(snippet)
    for b in blocks:
        if want in squeeze(b.raw) or want in squeeze(b.text):
            return b
    loose = _letters(snippet)  # spacing or punctuation differs (a note marker dropped, a hyphen joined)
    for b in blocks:
        if loose and loose in _letters(b.text):
            return b
    bare = re.sub(r"[0-9]", "", loose)  # the page text keeps note markers ("nurse12") that assure drops
    for b in blocks:
        if len(bare) >= 8 and bare in re.sub(r"[0-9]", "", _letters(b.text)):
            return b
    return None


@dataclass
class Judgement:
    file: str
    page: int
    text: str
    expected: str
    found: str | None  # None: no block holds the snippet whole

    @property
    def agrees(self) -> bool:
        return self.found is not None and self.found == self.expected


@dataclass
class ReadingScore:
    sections: list[Judgement] = field(default_factory=list)
    kinds: list[Judgement] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    @staticmethod
    def _share(items: list[Judgement]) -> float | None:
        return sum(j.agrees for j in items) / len(items) if items else None

    @property
    def section_agreement(self) -> float | None:
        return self._share(self.sections)

    @property
    def kind_agreement(self) -> float | None:
        return self._share(self.kinds)

    def kind_confusion(self) -> Counter[tuple[str, str]]:
        return Counter((j.expected, j.found or "not found") for j in self.kinds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section_agreement": self.section_agreement,
            "sections": len(self.sections),
            "kind_agreement": self.kind_agreement,
            "kinds": len(self.kinds),
            "missing_files": self.missing_files,
            "disagreements": [
                {"what": what, "file": j.file, "page": j.page, "text": j.text, "expected": j.expected, "found": j.found}
                for what, items in (("section", self.sections), ("kind", self.kinds))
                for j in items
                if not j.agrees
            ],
        }


def score_reading(labels: ReadingLabels, read: Any = None) -> ReadingScore:
    """Read every labelled file (``read``: path -> Document, default assure's extractor) and
    compare. Files absent on this machine are listed, not scored."""
    if read is None:
        from assure.extract import extract as read
    result = ReadingScore()
    names = sorted({*(s.file for s in labels.sections), *(k.file for k in labels.kinds)})
    for name in names:
        path = labels.root / name
        if not path.is_file():
            result.missing_files.append(name)
            continue
        document = read(path)
        for s in (s for s in labels.sections if s.file == name):
            block = find_block(document, s.page, s.text)
            found = None
            if block is not None:
                inner = block.section[-1] if block.section else ""
                found = s.section if heading_key(inner) == heading_key(s.section) else inner or "(no section)"
            result.sections.append(Judgement(name, s.page, s.text, s.section, found))
        for k in (k for k in labels.kinds if k.file == name):
            block = find_block(document, k.page, k.text)
            result.kinds.append(Judgement(name, k.page, k.text, k.kind, block_kind(block) if block else None))
    return result


def render_reading(score: ReadingScore, format: str = "text", show: int = 0) -> str:
    """The reading agreement as text (figures, the kind confusion and up to ``show``
    disagreements) or JSON (every figure and every disagreement)."""
    import json

    if format == "json":
        return json.dumps(score.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    head = (
        f"reading agreement: sections {fmt(score.section_agreement)} over {len(score.sections)} labels; "
        f"block kinds {fmt(score.kind_agreement)} over {len(score.kinds)} labels"
    )
    lines = [head]
    if score.missing_files:
        lines.append(f"  {len(score.missing_files)} labelled file(s) not found, not scored: " + ", ".join(score.missing_files))
    wrong = {k: n for k, n in score.kind_confusion().items() if k[0] != k[1]}
    if wrong:
        lines.append(
            "  kind disagreements (label -> read as): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(wrong.items()))
        )
    shown = 0
    for what, items in (("section", score.sections), ("kind", score.kinds)):
        for j in items:
            if not j.agrees and shown < show:
                shown += 1
                lines.append(f"  [{what}] {j.file} p.{j.page} {j.text[:60]!r}: expected {j.expected!r}, read {j.found!r}")
    return "\n".join(lines) + "\n"
