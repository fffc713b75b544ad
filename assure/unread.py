"""Key sections on pages assure could not read.

Why: a plan whose housing chapter is a scanned insert (no text layer, OCR missing or
unreadable) has nothing for assure to quote on housing, and would score gap on every
question: CI would fail the authors for text assure never read. The document itself says
where its sections are: the contents page lists each title with its page number, and a
heading starts a section that runs on until the next heading. When a section whose title
is about homes or housing (rules.yaml ``key_sections:``) covers an unreadable page, a
question with no evidence elsewhere is unassessable, not a gap.

Contents page numbers are the printed ones; the offset to the PDF's page index is found
from titles that also stand as headings on readable pages, else from the printed page
numbers among the running footers, else taken as none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assure.extract.clean import numbers_ascend
from assure.models import Block, BlockKind, Document, Place

# "2 Housing and health ........ 23", "Housing and health 23", "Housing and health | 23"
_ENTRY = re.compile(r"^(?P<title>.*[A-Za-z].*?)[\s.\u2026_|\u00b7-]+(?P<page>\d{1,4})$")
_LEADING_NUMBER = re.compile(r"^(?:(?:section|chapter|part)\s+)?(?:\d+(?:\.\d+)*|[ivxlc]+)[.):]?\s+", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4})(?:\s+of\s+\d+)?$", re.IGNORECASE)
MAX_SPAN = 30  # a contents entry covering more pages than this is a part, not a section


@dataclass(frozen=True)
class UnreadSection:
    """A section titled about homes or housing, with the unreadable pages it covers."""

    title: str
    pages: tuple[int, ...]
    found_by: str  # "contents" | "heading"

    def describe(self) -> str:
        pages = self.pages
        span = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}-{pages[-1]}"
        return f"the section '{self.title}' covers {span}, which could not be read (per its {self.found_by})"


def clean_title(text: str) -> str:
    """A heading or contents title without its section number and trailing dots."""
    title = _LEADING_NUMBER.sub("", " ".join(text.split())).strip(" .\u2026|")
    return title


def contents_entries(blocks: Iterable[Block]) -> list[tuple[str, int]]:
    """(title, printed page) of every contents line that ends in a page number, in order."""
    by_page: dict[int | None, list[tuple[str, int]]] = {}
    for block in blocks:
        if block.place is not Place.CONTENTS or block.kind is BlockKind.HEADING:
            continue
        for line in block.raw.splitlines() or [block.text]:
            m = _ENTRY.match(" ".join(line.split()))
            if m and int(m.group("page")) > 0:
                title = clean_title(m.group("title"))
                if title:
                    by_page.setdefault(block.page, []).append((title, int(m.group("page"))))
    # a page of counts ("Housing 17", "Other 3") is no contents page, whatever it was taken for
    return [e for entries in by_page.values() if numbers_ascend([p for _, p in entries]) for e in entries]


def _page_offset(document: Document, entries: list[tuple[str, int]]) -> int:
    """PDF page index minus printed page number, from the evidence the document gives."""
    headings: dict[str, set[int]] = {}
    for b in document.blocks:
        if b.kind is BlockKind.HEADING and b.place is Place.BODY and b.page is not None:
            headings.setdefault(clean_title(b.text).casefold(), set()).add(b.page)
    votes: Counter[int] = Counter()
    for title, printed in entries:
        for page in headings.get(title.casefold(), ()):
            votes[page - printed] += 1
    if not votes:
        for b in document.furniture:
            m = _PAGE_NUMBER.match(b.text.strip())
            if m and b.page is not None:
                votes[b.page - int(m.group(1))] += 1
    return votes.most_common(1)[0][0] if votes else 0


def _from_contents(document: Document, unreadable: frozenset[int], is_key: Callable[[str], bool]) -> list[UnreadSection]:
    entries = contents_entries(document.blocks)
    if not entries:
        return []
    offset = _page_offset(document, entries)
    last = document.pages or 0
    out = []
    for i, (title, printed) in enumerate(entries):
        start = printed + offset
        following = [p + offset for _, p in entries[i + 1 :] if p + offset >= start]
        end = min(following[0] - 1, last) if following else min(start, last)
        end = max(end, start)
        if end - start >= MAX_SPAN:
            continue
        pages = tuple(p for p in range(start, end + 1) if p in unreadable)
        if pages and is_key(title):
            out.append(UnreadSection(title, pages, "contents entry"))
    return out


def _from_headings(document: Document, unreadable: frozenset[int], is_key: Callable[[str], bool]) -> list[UnreadSection]:
    headings = [b for b in document.blocks if b.kind is BlockKind.HEADING and b.place is Place.BODY and b.page is not None]
    out = []
    for i, heading in enumerate(headings):
        page = heading.page or 0
        next_page = next((h.page for h in headings[i + 1 :] if (h.page or 0) > page), None)
        pages = []
        p = page + 1
        while p in unreadable and (next_page is None or p < next_page):
            pages.append(p)
            p += 1
        title = clean_title(heading.text)
        if pages and is_key(title):
            out.append(UnreadSection(title, tuple(pages), "heading"))
    return out


def unread_key_sections(document: Document, is_key: Callable[[str], bool]) -> tuple[UnreadSection, ...]:
    """Every section whose title ``is_key`` and which covers an unreadable page, contents
    entries first; one per title."""
    unreadable = frozenset(page for page, _ in document.unreadable_pages)
    if not unreadable:
        return ()
    seen: set[str] = set()
    out = []
    for section in (*_from_contents(document, unreadable, is_key), *_from_headings(document, unreadable, is_key)):
        if section.title.casefold() not in seen:
            seen.add(section.title.casefold())
            out.append(section)
    return tuple(out)
