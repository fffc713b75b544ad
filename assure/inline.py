"""Inline suppressions: ``assure: ignore Q4 -- REASON`` written in the document, next to the text.

Like ruff's ``# noqa``, but for plans, and the reason is required. A directive names
questions (``Q4``, ``Q04``) or rules (``Q04.cold-damp-hazards``); findings are per document
and question, so a rule id suppresses its question's finding in that document. Where one
may be written:

- Markdown and plain text: inside an HTML comment, ``<!-- assure: ignore Q4 -- REASON -->``,
  anywhere in the file, several to a comment (each runs to the next ``assure: ignore``).
  The comment is never document text.
- DOCX: a Word comment whose text is the directive, named by its author and the paragraph
  it is anchored to.
- PDF (read with PDFium, the default engine): the text of an annotation, such as a sticky
  note or a highlight's note, named by its author and page.

Why here and not in the config: the waiver sits next to the text it excuses and travels
with the document. The pieces: the readers call :func:`from_markup` or :func:`parse`; the
runner checks the ids against the rules (:func:`check`); the fail policy applies them
(:func:`matching`, :func:`settle`, next to the config suppressions); the CLI prints one
line per directive that cannot apply (:func:`warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assure.models import Directive, DocumentResult

if TYPE_CHECKING:  # pragma: no cover
    from assure.config import Finding
    from assure.ruleset import RuleSet

KEYWORD = re.compile(r"assure:[ \t]*ignore\b", re.IGNORECASE)
# the reason follows "--"; Word's AutoFormat turns a typed "--" into an en dash, so dashes count too
SEPARATOR = re.compile(r"\s*(?:--|\u2013|\u2014)\s*")
_ID = re.compile(r"Q(\d{1,2})(?:\.([a-z0-9][a-z0-9-]*))?", re.IGNORECASE)
_ID_SPLIT = re.compile(r"[\s,]+")
MAX_DIRECTIVES = 100  # per document: a plan needs a handful; more is a generated or hostile file
MAX_REASON = 500  # characters kept of a reason
EXAMPLE = "assure: ignore Q4 -- REASON"


def _canonical(token: str) -> str:
    """``q04.Cold-Damp`` -> ``Q04.cold-damp``: the id as written, in the rules' case."""
    m = _ID.fullmatch(token)
    if m is None:
        return token
    return f"Q{m.group(1)}" + (f".{m.group(2).lower()}" if m.group(2) else "")


def _key(identifier: str) -> str:
    """The id with its question number normalised (Q04.x and Q4.x are one rule), for lookups."""
    m = _ID.fullmatch(identifier)
    if m is None:
        return identifier
    return f"Q{int(m.group(1))}" + (f".{m.group(2).lower()}" if m.group(2) else "")


def question_of(identifier: str) -> str:
    """The question an id names: Q04.cold-damp-hazards -> Q4 (a rule id starts with its question)."""
    return _key(identifier).split(".", 1)[0]


def _bodies(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the keyword, the text after it up to the next keyword) for each directive."""
    found = list(KEYWORD.finditer(text))
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        yield m.start(), text[m.end() : end]


def _one(body: str, where: str, line: int | None) -> Directive:
    """One directive from the text after ``assure: ignore``; a malformed one says why in ``problem``."""
    parts = SEPARATOR.split(body, maxsplit=1)
    head, reason = (parts[0], parts[1]) if len(parts) == 2 else (body, "")
    tokens = [t for t in _ID_SPLIT.split(head) if t]
    if len(parts) == 1:  # no "--": ids are the leading tokens that look like ids
        leading = []
        for t in tokens:
            if not _ID.fullmatch(t):
                break
            leading.append(t)
        tokens = leading
    ids = tuple(_canonical(t) for t in tokens)
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + "\u2026"
    example = f"assure: ignore {', '.join(ids) if ids else 'Q4'} -- REASON"
    problem = None
    bad = next((t for t in tokens if not _ID.fullmatch(t)), None)
    if not tokens:
        problem = f"assure: ignore names no question or rule (write: {example})"
    elif bad is not None:
        problem = f"assure: ignore {bad[:60]!r} is not a question or rule id (write Q4 or Q04.rule-name)"
    elif not reason:
        problem = f"assure: ignore without a reason (write: {example})"
    return Directive(ids=ids, reason=reason, where=where, line=line, problem=problem)


def parse(text: str, where: str) -> list[Directive]:
    """Every directive in one comment's text (a Word comment), each located at ``where``."""
    return [_one(body, where, None) for _, body in _bodies(text)]


def from_markup(text: str, *, every_comment: bool) -> tuple[str, tuple[Directive, ...]]:
    """The text without its HTML comments, and the directives they hold, each with its line.

    ``every_comment``: drop every comment (Markdown, where a comment is never shown); else
    only those holding a directive (plain text). A comment left open is not a comment.
    Scanned with ``str.find``, so a file full of ``<!--`` costs linear time."""
    kept: list[str] = []
    directives: list[Directive] = []
    pos = 0
    line, counted_to = 1, 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            break
        end = text.find("-->", start + 2)
        if end < 0:
            break
        inner = text[start + 4 : end] if end >= start + 4 else ""
        holds = KEYWORD.search(inner) is not None
        if holds or every_comment:
            kept.append(text[pos:start])
            for offset, body in _bodies(inner) if holds else ():
                at = start + 4 + offset
                line += text.count("\n", counted_to, at)
                counted_to = at
                directives.append(_one(body, f"inline, line {line}", line))
        else:
            kept.append(text[pos : end + 3])
        pos = end + 3
    if not directives and not kept:
        return text, ()
    kept.append(text[pos:])
    return "".join(kept), capped(directives)


def capped(directives: list[Directive]) -> tuple[Directive, ...]:
    """At most MAX_DIRECTIVES; the one after says the rest were not read."""
    if len(directives) <= MAX_DIRECTIVES:
        return tuple(directives)
    last = directives[MAX_DIRECTIVES]
    over = replace(
        last,
        ids=(),
        reason="",
        problem=f"more than {MAX_DIRECTIVES} assure: ignore directives; this one and the rest are not read",
    )
    return (*directives[:MAX_DIRECTIVES], over)


# --- checking against the rules ---------------------------------------------------------------


def known_ids(ruleset: RuleSet) -> frozenset[str]:
    """Every question and rule id a directive may name, normalised (Q4, Q4.cold-damp-hazards)."""
    return frozenset(_key(q.id) for q in ruleset.questions) | frozenset(_key(r.id) for r in ruleset.rules)


def check(directives: Iterable[Directive], known: frozenset[str]) -> tuple[Directive, ...]:
    """The directives with a problem set on any that names an unknown question or rule."""
    out = []
    for d in directives:
        unknown = next((i for i in d.ids if _key(i) not in known), None) if d.problem is None else None
        if unknown is not None:
            what = "rule" if "." in unknown else "question"
            d = replace(d, problem=f"assure: ignore {unknown}: no such {what}")
        out.append(d)
    return tuple(out)


# --- the fail policy ----------------------------------------------------------------------------


def matching(directives: Iterable[Directive], qid: str) -> Directive | None:
    """The first valid directive that names question ``qid`` (or one of its rules)."""
    return next((d for d in directives if d.problem is None and any(question_of(i) == qid for i in d.ids)), None)


def note(directive: Directive) -> str:
    """The suppressed finding's note: where it was written, then the reason."""
    return f"{directive.where}: {directive.reason}"


def settle(doc: DocumentResult, findings: Iterable[Finding], enabled: bool) -> DocumentResult:
    """The document with each directive marked: the ids that suppressed a finding, or disabled."""
    if not doc.directives:
        return doc
    if not enabled:
        return replace(doc, directives=tuple(replace(d, applied=(), disabled=True) for d in doc.directives))
    suppressed = {f.question for f in findings if f.path == doc.path and f.inline}
    chosen = {q: matching(doc.directives, q) for q in suppressed if q is not None}
    out = []
    for d in doc.directives:
        applied = tuple(i for i in d.ids if chosen.get(question_of(i)) is d) if d.problem is None else ()
        out.append(replace(d, applied=applied, disabled=False))
    return replace(doc, directives=tuple(out))


def to_dict(directive: Directive) -> dict[str, Any]:
    """A directive in the JSON report (docs/json-schema.md, "inline suppression")."""
    state = directive.state
    return {
        "ids": list(directive.ids),
        "reason": directive.reason,
        "where": directive.where,
        "line": directive.line,
        "state": state,
        "applied": list(directive.applied),
        "unused": [i for i in directive.ids if i not in directive.applied] if state in ("applied", "unused") else [],
        "problem": directive.problem,
    }


def warnings(documents: Iterable[DocumentResult]) -> list[str]:
    """One line per directive that cannot apply: ``plan.md:12: assure: ignore ... ; not applied``."""
    lines = []
    for doc in documents:
        for d in doc.directives:
            if d.problem is None or d.disabled:
                continue
            place = f"{doc.path}:{d.line}" if d.line is not None else f"{doc.path}: {d.where}"
            lines.append(f"{place}: {d.problem}; not applied")
    return lines
