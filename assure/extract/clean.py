"""Text clean-up shared by every extractor, and the turning of page lines into blocks.

Real PDFs carry ligatures, soft hyphens, words split across lines and running headers
and footers that repeat on every page. Left in, a running header that says "Housing
Strategy" makes every page "mention housing"; so they are found and set aside here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assure.models import Block, BlockKind, Place

_HYPHEN_BREAK = re.compile(r"([A-Za-z])-\n([a-z])")
_OTHER_SPACES = r"\t\u00a0\u2000-\u200b\u202f\u205f\u3000"  # the spaces squash folds to one plain space
# the runs of spaces that are not already one plain space: the same result as replacing every run,
# without a replacement per word (squash runs over every block)
_SPACES_TO_FOLD = re.compile(rf"[{_OTHER_SPACES}][ {_OTHER_SPACES}]*| [ {_OTHER_SPACES}]+")
_DIGITS = re.compile(r"\d+")
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u2219\u00b7\ue000-\uf8ffo\-\u2013\u2014*]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s+")


class _ContentsLine:
    """A contents entry: a title, then dot leaders or a space, then its page number. The last
    character is tested first: most lines end in no page number, and the pattern's lazy title
    tries every split of a long line before it fails."""

    pattern = re.compile(r"^(?P<title>.{3,}?)(?:\s*[.\u2026_\u00b7 ]{3,}\s*|\s+)(?P<page>\d{1,3}|[ivxlc]{1,5})\s*$")

    def match(self, text: str) -> re.Match[str] | None:
        last = text.rstrip()[-1:]
        if not (last.isdecimal() or (last and last in "ivxlc")):  # \d is a decimal digit (Unicode Nd)
            return None
        return self.pattern.match(text)


_CONTENTS_LINE = _ContentsLine()


def contents_numbers_ascend(lines: list[str]) -> bool:
    """Do the page numbers of these contents-like lines mostly run upwards, as a contents
    page's do? A table of counts ("Housing 17", "Education 26") ends its lines in numbers too,
    in no order; read as contents, its page's prose would be lost."""
    return numbers_ascend([int(m.group("page")) for m in map(_CONTENTS_LINE.match, lines) if m and m.group("page").isdigit()])


def numbers_ascend(numbers: list[int]) -> bool:
    """At least 70% of neighbouring page numbers rise (or stay); too few to tell is yes."""
    if len(numbers) < 4:
        return True
    rising = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b >= a)
    return rising >= 0.7 * (len(numbers) - 1)


_HEADING_NUMBER = re.compile(r"^(?:(?:section|chapter|part|appendix|annex|priority|theme|objective|aim)\s+)?[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}\.?\s+\S", re.I)
_SECTION_NUMBER = re.compile(r"^(?:section|chapter|part|appendix|annex)?\s*[0-9]{1,2}\.?\s+[A-Z]", re.I)
# "4. Glossary", "10 References", "Appendix B: Glossary of terms", "Appendix G: Evidence base and references",
# "Background papers" (a committee report's list of the documents it drew on)
_TITLE_NUMBER = r"(?:(?:[A-Z]\.?)?[0-9]{1,2}(?:\.[0-9]{1,2})*\.?\s+)?"  # "4.", "10", "C.4" (an appendix's numbering)
_CONTENTS_TITLE = re.compile(r"^\s*" + _TITLE_NUMBER + r"(?:table of )?contents\s*$", re.I)
_GLOSSARY_TITLE = re.compile(r"^\s*(?:appendix\s*\w*[:.\-\u2013 ]*)?" + _TITLE_NUMBER + r"(?:glossary|acronyms|abbreviations|list of (?:abbreviations|acronyms|terms)|definitions|key terms|terminology|jargon buster|data dictionary)\b.{0,40}$", re.I)
_REFERENCES_TITLE = re.compile(r"^\s*(?:appendix\s*\w*[:.\-\u2013 ]*)?" + _TITLE_NUMBER + r"(?:(?:evidence base\s+(?:and|&)\s+)?references|bibliography|(?:data )?sources(?: of (?:information|data|evidence))?|endnotes|footnotes|further reading|useful links|notes and references|background (?:papers|documents)|(?:related|supporting) documents)(?:\s+(?:and|&)\s+[\w ]{0,30})?\s*$", re.I)
_TABLE_HEADER_WORD = re.compile(r"\b(action|actions|owner|owners|lead|leads|milestones?|timescales?|deadline|by when|responsible|rag|targets?|measures?|indicators?|baseline|latest|status|progress|outcomes?|priority|priorities|kpi|performance|timeline|when|who|ref)\b", re.I)
# the same words, matched in an ASCII line put in lower case (ASCII letters alone change; word boundaries stay)
_TABLE_HEADER_WORD_LOWER = re.compile(_TABLE_HEADER_WORD.pattern)
# a figure: digits not inside a word or after a point. (Written to open on the digit, its look-behind
# (?<![\w.]\d) asking of the character before it what (?<![\w.]) asked in front: the same matches, and the
# engine skips to the next digit in C, about twice as fast)
_NUMBER_TOKEN = re.compile(r"\d(?<![\w.]\d)[\d,.]*%?(?![\w])")
_DEF_SPLIT = re.compile(r"[\s|:=\u2013\u2014-]+")
_DEF_SEPARATORS = "|:=\u2013\u2014-"  # _DEF_SPLIT's characters that are not spaces
_STOPWORDS = {"and", "of", "the", "for", "in", "on", "to", "&", "a", "an", "with"}


def is_acronym_definition(text: str) -> bool:
    """A line like "DFG Disabled Facilities Grant": an acronym followed by its expansion.

    Such lines live in acronym lists and glossaries and are never evidence. The expansion's
    initials must spell the acronym, so a heading like "NHS Health Checks" is not caught.
    """
    text = text.strip()
    if text[:1] not in _DEF_SEPARATORS:
        # the acronym opens the text and ends at its first space or sooner: two capitals before that
        # space, the first of them leading, or no acronym (most blocks: asked of every one)
        head = text.partition(" ")[0]
        if not head[:1].isupper() or sum(map(str.isupper, head)) < 2:
            return False
    # split no further than decides "more than 16 tokens": past 17 cuts the rest stays one token
    tokens = [t for t in _DEF_SPLIT.split(text, 17) if t]
    if len(tokens) < 2 or len(tokens) > 16:
        return False
    letters = [c for c in tokens[0] if c.isupper()]
    if not 2 <= len(letters) <= 8 or not tokens[0][0].isupper():
        return False
    words = [w for w in tokens[1:] if w.lower() not in _STOPWORDS]
    if len(words) < len(letters):
        return False
    return all(w[0].upper() == c for w, c in zip(words, letters, strict=False))


# PDFium marks a hyphen at a line end with U+FFFE: "develop\ufffement" is one word broken by
# the line, "self\ufffeneglect" a hyphenated compound that happened to break there
_LINE_END_HYPHEN = re.compile(r"([A-Za-z]+)\ufffe\s*([a-z]+)")


# a ligature glyph a font maps to no character comes through as the same U+FFFE ("e\ufffeiciency",
# "Di\ufffeerent"): the letters it stood for are the ones that make a word
_LIGATURES = ("ff", "fi", "fl", "ffi", "ffl")


def _join_line_end_hyphen(m: re.Match[str]) -> str:
    from assure.extract.readability import english_words

    words = english_words()
    joined = m.group(1) + m.group(2)
    if joined.lower() in words:
        return joined
    if not m.group(0)[len(m.group(1)) + 1 :][:1].isspace():  # mid-line, not at a line's end: a lost ligature?
        for letters in _LIGATURES:
            if (m.group(1) + letters + m.group(2)).lower() in words:
                return m.group(1) + letters + m.group(2)
    return f"{m.group(1)}-{m.group(2)}"


_PRIVATE_USE_BULLET = re.compile(r"(?m)^([ \t]*)[\ue000-\uf8ff][ \t]+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # a quick test before the pattern above, which tries every position


def normalise(text: str) -> str:
    """NFKC (ligatures, full-width forms), drop soft hyphens, fold spaces; a symbol-font bullet
    (a private-use character such as U+F0A1 or U+F0B7 opening a line) becomes a plain bullet."""
    if text.isascii():  # none of the steps below changes ASCII text but the line breaks (most lines)
        return text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    if _PRIVATE_USE.search(text):
        text = _PRIVATE_USE_BULLET.sub("\\1\u2022 ", text)
    if "\ufffe" in text:
        text = _LINE_END_HYPHEN.sub(_join_line_end_hyphen, text)
    text = text.replace("\ufffe", "").replace("\u00ad", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return text


def join_hyphenated(text: str) -> str:
    """Join ``word-\\nword`` only where a lower-case letter follows the break."""
    return _HYPHEN_BREAK.sub(r"\1\2", text) if "-\n" in text else text  # most blocks have no break to join


def squash(text: str) -> str:
    """The text on one line, each run of spaces one plain space."""
    text = text.replace("\n", " ")
    if text.isascii() and "  " not in text and "\t" not in text:
        return text.strip()  # nothing to fold (most blocks): the tab is the only other space in ASCII
    return _SPACES_TO_FOLD.sub(" ", text).strip()


# the three titles in one pattern, in the order they are tried (one match asked of most lines, not three)
_PLACE_TITLE = re.compile(
    f"(?P<contents>{_CONTENTS_TITLE.pattern})|(?P<glossary>{_GLOSSARY_TITLE.pattern})|(?P<references>{_REFERENCES_TITLE.pattern})",
    re.I,
)
_PLACE_BY_TITLE = {"contents": Place.CONTENTS, "glossary": Place.GLOSSARY, "references": Place.REFERENCES}


def place_for_heading(title: str) -> Place | None:
    """The zero-weight place a heading opens, if any."""
    m = _PLACE_TITLE.match(title)
    return _PLACE_BY_TITLE[m.lastgroup] if m is not None and m.lastgroup is not None else None


@functools.lru_cache(maxsize=8192)
def _running_key(line: str) -> str:
    """A line with its numbers masked and trimmed: "20 REPORT" on left pages and "REPORT 21" on
    right pages are one running line."""
    return _DIGITS.sub("#", line.strip()).strip("# \t|-\u2013").lower()


def running_lines(pages: Sequence[Sequence[str]], edge: int | None = 3, share: int = 2) -> set[str]:
    """Lines (digits masked) that repeat at the top or bottom of a ``share``-th of the pages or
    more (half, unless the caller placed the lines by position): among each page's first and
    last ``edge`` lines, or every line given (``None``: the caller chose them)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        seen = set()
        stripped = [ln.strip() for ln in lines if ln.strip()]
        for ln in stripped if edge is None else stripped[:edge] + stripped[-edge:]:
            key = _running_key(ln)
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    need = max(3, -(-len(pages) // share))
    return {key for key, n in counts.items() if n >= need}


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


_RUNNING_TRIM = "0123456789# \t|-\u2013"  # what _running_key strips from a line's start (its digits masked first)


def running_initial(text: str) -> str | None:
    """The first character of ``_running_key(text)`` for a stripped ``text`` ("" when the key is
    empty), or None when only the whole key tells (a digit other than 0-9 opens it): a quick test
    against the running lines' first characters before the key is built."""
    lead = text.lstrip(_RUNNING_TRIM)[:1]
    if lead.isdecimal():
        return None
    return lead.lower()[:1]


def is_running(line: str, running: set[str]) -> bool:
    """A running header or footer line, or a bare printed page number ("Page 5", "12 of 40")."""
    text = line.strip()
    return bool(_PAGE_NUMBER.match(text)) or (bool(running) and _running_key(text) in running)


@dataclass(frozen=True)
class TableRows:
    """A table read cell by cell (pdfplumber on a PDF page): rows of cell texts."""

    rows: tuple[tuple[str, ...], ...]


def is_table_header(line: str) -> bool:
    """A header row of an action or indicator table ("Action Owner Milestone RAG")."""
    if len(line) > 120 or line.rstrip().endswith((".", ",", ";")):
        return False
    words = line.split(None, 12)  # (all the words when there are twelve or fewer; a thirteenth part says more)
    if not 2 <= len(words) <= 12:
        return False
    if line.isascii():  # (most lines) lower case first: the case-blind pattern scans about twice as slowly
        found = _TABLE_HEADER_WORD_LOWER.findall(line.lower())
        return len(set(found)) >= 3 and len(found) >= 0.4 * len(words)
    found = _TABLE_HEADER_WORD.findall(line)
    return len({m.lower() for m in found}) >= 3 and len(found) >= 0.4 * len(words)


_ACTION_WORD = re.compile(r"\b(action|actions|owner|owners|lead|leads|responsible|timescales?|milestones?|deadline|by when|who|when)\b", re.I)


def is_action_table_header(row: str) -> bool:
    """The header row of an action plan ("Action | Lead | By when"): its rows are commitments."""
    text = row.replace("|", " ")
    return is_table_header(text) and bool(_ACTION_WORD.search(text))


def _looks_like_heading(line: str, hard_break: bool, next_line: str | None, emphasis: bool | None = None) -> bool:
    """A short, hard-broken line that reads like a title. When the font is known, only a line
    set larger or bolder than the body text qualifies (a name or a caption in body text does not)."""
    text = line.strip()
    if not hard_break or not text or len(text) > 90:
        return False
    if place_for_heading(text) is not None:
        return True  # "Glossary", "References", "Contents": titles that open a place, however set
    if emphasis is False:
        return False
    if len(_NUMBER_TOKEN.findall(text)) >= 2 or "%" in text:
        return False  # a table row of figures, not a heading
    words = text.split()
    if len(words) > 12 or text[-1] in ".,;:!?)\"'" and not _HEADING_NUMBER.match(text):
        return False
    if text[-1] in ".,;" or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _BULLET.match(text) and not _HEADING_NUMBER.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    if sum(c.isdigit() for c in text) > len(letters):
        return False
    return next_line is None or bool(next_line.strip())


MAX_BLOCK_CHARS = 20_000  # the longest real block in the shared corpus is under 10,000


def split_long(text: str, limit: int = MAX_BLOCK_CHARS) -> list[str]:
    """Cut an overlong "paragraph" (a file with no line breaks, a flattened table) into pieces
    of at most ``limit`` characters, after a sentence end where one is near, so that the NLP
    time and memory per block stay bounded."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit)) + 1
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
            cut = cut if cut >= limit // 2 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [p for p in pieces if p]


_SECTION_NUMBER = re.compile(r"^([0-9]{1,2}(?:\.[0-9]{1,2}){0,3})\.?\s+[A-Z]")


def section_number(heading: str) -> tuple[int, ...] | None:
    """The section number a heading opens with ("5.4 Blood-borne viruses" -> (5, 4)), else None."""
    m = _SECTION_NUMBER.match(heading)
    return tuple(int(part) for part in m.group(1).split(".")) if m else None


class BlockBuilder:
    """Accumulates blocks in reading order, tracking the heading path and place."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.section: list[str] = []
        self.levels: list[int] = []
        self.place = Place.BODY
        self.place_level = 1
        self.place_page: int | None = None

    def heading(self, text: str, level: int, page: int | None, *, styled: bool = True) -> None:
        """Open a section. ``styled`` headings (DOCX styles, Markdown ``#``) are trusted;
        guessed PDF headings only end a glossary or reference list when numbered or on a
        later page, since glossary terms themselves look like short headings."""
        text = squash(text)
        if not text:
            return
        if len(text) > MAX_BLOCK_CHARS:  # a "heading" this long is body text (a Markdown file with no breaks)
            self.add(text, BlockKind.PARAGRAPH, page)
            return
        opened = place_for_heading(text)
        if opened is not None:
            self.place, self.place_level, self.place_page = opened, level, page
        elif self.place is not Place.BODY:
            if styled:
                ends = level <= self.place_level
            else:
                ends = bool(_HEADING_NUMBER.match(text)) or page != self.place_page
            if ends:
                self.place = Place.BODY
        level = self._level_by_number(text, level)
        while self.levels and self.levels[-1] >= level:
            self.levels.pop()
            self.section.pop()
        self.levels.append(level)
        self.section.append(text[:120])
        self._add(text, text, BlockKind.HEADING, page)

    def _level_by_number(self, text: str, level: int) -> int:
        """A numbered heading ("5.5 Alcohol related admissions") closes the numbered sections
        that are not its parents ("5.4 Blood-borne viruses", set a size larger) and nests under
        the one that is ("5. Community impacts"), whatever the sizes say."""
        number = section_number(text)
        if number is None:
            return level
        numbers = [section_number(s) for s in self.section]
        latest = [n for n in numbers if n is not None]
        if latest and number < latest[-1][: len(number)]:
            return level  # numbering goes back (a list, a restart): the sizes decide
        last = max(i for i, n in enumerate(numbers) if n is not None) if latest else None
        if last is not None and _next_in_series(latest[-1], number, self.section[last], text):
            # "2. Clear referral pathways" after "1. Awareness of ..." under "7.3 Actions ...": the next
            # of a numbered series takes the place of the one before it, not of chapter 7
            level = self.levels[last]
            del self.section[last:], self.levels[last:]
            return level

        def parent(other: tuple[int, ...]) -> bool:
            return len(other) < len(number) and number[: len(other)] == other

        stray = next((i for i, other in enumerate(numbers) if other is not None and not parent(other)), None)
        if stray is not None:
            if len(numbers[stray] or ()) == len(number):
                level = self.levels[stray]  # a sibling: the same level
            del self.section[stray:], self.levels[stray:]
            del numbers[stray:]
        parents = [i for i, other in enumerate(numbers) if other is not None]
        return max(level, self.levels[parents[-1]] + 1) if parents else level

    def add(self, text: str, kind: BlockKind, page: int | None, raw: str | None = None, place: Place | None = None) -> None:
        text = squash(text)
        if len(text) > MAX_BLOCK_CHARS:
            for piece in split_long(text):
                self._add(piece, piece, kind, page, place)
        elif text:
            self._add(text, squash(raw) if raw else text, kind, page, place)

    def _add(self, text: str, raw: str, kind: BlockKind, page: int | None, place: Place | None = None) -> None:
        if place is None and self.place is Place.BODY and is_acronym_definition(text):
            place = Place.GLOSSARY
        self.blocks.append(
            Block(text=text, raw=raw, kind=kind, page=page, section=tuple(self.section),
                  index=len(self.blocks) + 1, place=place or self.place)
        )


def _next_in_series(before: tuple[int, ...], number: tuple[int, ...], before_text: str, text: str) -> bool:
    """``number`` follows ``before`` at the same depth, written the same way ("2." after "1.",
    "5.5" after "5.4"; "6." after "4." when the reader missed "5.", but not "8 NEXT CHAPTER" after "6.")."""
    same_way = before_text.split()[0].endswith(".") == text.split()[0].endswith(".")
    return len(before) == len(number) and before[:-1] == number[:-1] and 0 < number[-1] - before[-1] <= 2 and same_way


def page_lines_to_blocks(builder: BlockBuilder, page_no: int,
                         lines: Iterable[tuple[str, bool] | tuple[str, bool, bool | None] | TableRows],
                         place: Place | None = None) -> None:
    """Turn one page's lines (text, ends-with-hard-break) and tables into blocks.

    PDFium ends a soft-wrapped line with a space and a hard line break without one, so
    paragraphs are rebuilt from that signal; short hard-broken lines are headings. A table
    read cell by cell becomes one table-row block per row, as in a DOCX.
    """
    # Long: ruff format's line wrapping took it past 60 lines; the reader is being reworked on another branch (issue 10).
    items = [item if isinstance(item, TableRows) else (item[0], item[1], item[2] if len(item) > 2 else None)
             for item in lines]
    text_items = [item[:2] for item in items if not isinstance(item, TableRows)]
    contents_like = sum(1 for ln, _ in text_items if _CONTENTS_LINE.match(ln.strip()))
    is_contents_page = (
        builder.place is Place.CONTENTS
        or any(_CONTENTS_TITLE.match(ln) for ln, _ in text_items[:6])
        or (
            len(text_items) >= 8
            and contents_like >= 0.5 * len(text_items)
            and contents_numbers_ascend([ln.strip() for ln, _ in text_items])
        )
    )
    place = Place.CONTENTS if is_contents_page else place
    buf: list[str] = []
    kind = BlockKind.PARAGRAPH
    in_table = False  # after an action/indicator table header, lines are table rows to the end of the page

    def flush() -> None:
        nonlocal buf, kind
        if buf:
            raw = "\n".join(buf)
            builder.add(join_hyphenated(raw), BlockKind.TABLE_ROW if in_table else kind, page_no, raw=raw, place=place)
        buf = []
        kind = BlockKind.PARAGRAPH

    for i, item in enumerate(items):
        if isinstance(item, TableRows):
            flush()
            in_table = False
            for row in item.rows:
                builder.add(" | ".join(c for c in row if c), BlockKind.TABLE_ROW, page_no, place=place)
            continue
        line, hard, emphasis = item
        text = line.strip()
        if not text:
            flush()
            continue
        nxt = items[i + 1][0] if i + 1 < len(items) and not isinstance(items[i + 1], TableRows) else None
        if not buf and not is_contents_page and is_table_header(text):
            builder.heading(text, 9, page_no, styled=False)
            in_table = True
            continue
        if in_table and not buf and _SECTION_NUMBER.match(text) and _looks_like_heading(text, hard, nxt, emphasis):
            in_table = False  # "3. Delivery" ends the table; row references like "1.2" do not
        if not buf and not is_contents_page and not in_table and _looks_like_heading(text, hard, nxt, emphasis):
            level = 2 if _HEADING_NUMBER.match(text) and "." in text.split()[0].rstrip(".") else 1
            builder.heading(text, level, page_no, styled=False)
            continue
        if _BULLET.match(text):
            flush()
            kind = BlockKind.LIST_ITEM
        buf.append(text)
        if hard and (text[-1] in ".!?:;" or is_contents_page):
            flush()
    flush()
    if is_contents_page and builder.place is Place.CONTENTS:
        builder.place = Place.BODY
