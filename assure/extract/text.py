"""Plain text and Markdown: paragraphs split on blank lines, headings from ``#`` lines."""

from __future__ import annotations

import re
from pathlib import Path

from assure.extract.clean import BlockBuilder, join_hyphenated, normalise
from assure.inline import from_markup
from assure.models import BlockKind, Document

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")  # closing #s stripped in Python: a lazy regex was O(n^3) on long space runs
_LIST = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")


def _is_table_rule(line: str) -> bool:
    """A Markdown table's separator row (|---|:--:|); a row that merely starts with dashes is data."""
    return "---" in line and set(line.strip()) <= set("|:- \t")


def _pipe_rows(lines: list[str], markdown: bool) -> set[int]:
    """The lines that are table rows: a Markdown row (``| a | b |``), and in any text two or more
    lines in a row with the same number of cell separators, two at least (``Action | Lead | Date``
    typed without a Markdown delimiter row, as plans pasted into text files have them)."""
    rows = {i for i, line in enumerate(lines) if markdown and _TABLE.match(line)}
    counts = [line.count(" | ") if line.strip() else 0 for line in lines]
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and counts[i] >= 2 and counts[j + 1] == counts[i]:
            j += 1
        if j > i:
            rows.update(range(i, j + 1))
        i = j + 1
    return rows


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-32 or UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: FF FE starts both
        return data.decode("utf-32", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_STRONG = re.compile(r"\*\*|__")


def strip_markdown(line: str) -> str:
    """Drop bold markers and backslash escapes so quotes read as prose ("**FIT FOR**" -> "FIT FOR")."""
    return _MD_ESCAPE.sub(r"\1", _MD_STRONG.sub("", line))


_SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*$")
HARD_WRAP_MIN = 50  # characters: a file whose typical line is this long was wrapped by a converter


def wrap_width(lines: list[str]) -> int:
    """The width a converter hard-wrapped this text at (0 when it was not): the length of
    the longer lines, when most non-blank lines are long."""
    lengths = sorted(len(ln.rstrip()) for ln in lines if ln.strip())
    if len(lengths) < 5:
        return 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    return width if width >= HARD_WRAP_MIN and lengths[len(lengths) // 2] >= 0.6 * width else 0


def extract_text(path: Path, data: bytes, fmt: str) -> Document:
    """Paragraphs from blank lines. In a text or Markdown file converted from a PDF, whose lines
    are hard-wrapped, a line continues in the next unless it ends a sentence well short of the
    wrap width (a paragraph's last line), or a blank line, heading or list marker follows.
    HTML comments are not text (in plain text, those holding an ``assure: ignore`` directive):
    their directives go with the document (assure/inline.py)."""
    text, directives = from_markup(normalise(decode(data)), every_comment=fmt == "md")
    width = wrap_width(text.split("\n"))
    builder = BlockBuilder()
    buf: list[str] = []
    kind = BlockKind.PARAGRAPH

    def flush() -> None:
        nonlocal buf, kind
        if buf:
            raw = "\n".join(buf)
            builder.add(join_hyphenated(raw), kind, None, raw=raw)
        buf, kind = [], BlockKind.PARAGRAPH

    lines = text.split("\n")
    if fmt == "md":
        lines = [strip_markdown(line) for line in lines]
    table_rows = _pipe_rows(lines, fmt == "md")
    for at, line in enumerate(lines):
        heading = _MD_HEADING.match(line) if fmt == "md" else None
        if heading:
            flush()
            builder.heading(heading.group(2).rstrip().rstrip("#").rstrip().strip("*_ "), len(heading.group(1)), None)
        elif not line.strip():
            flush()
        elif at in table_rows:
            flush()
            if not _is_table_rule(line):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                builder.add(" | ".join(c for c in cells if c), BlockKind.TABLE_ROW, None)
        elif _LIST.match(line):
            flush()
            kind = BlockKind.LIST_ITEM
            buf.append(_LIST.sub("", line, count=1))
        else:
            buf.append(line)
            stripped = line.rstrip()
            if width and _SENTENCE_END.search(stripped) and len(stripped) < 0.8 * width:
                flush()  # a sentence ending well short of the wrap: the paragraph's last line
    flush()
    return Document(path=str(path), format=fmt, blocks=tuple(builder.blocks), pages=None, directives=directives)
