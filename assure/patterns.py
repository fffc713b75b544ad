"""spaCy token patterns checked when the rules load, so a bad one is listed with every other
problem of the file, at its line, in words (instead of the matcher compiler's first error in
pydantic's terms, ``[pattern -> 0 -> LOWERR] Extra inputs are not permitted``)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from assure.names import bounded
from assure.validation import Problems

OPERATORS = ("IN", "NOT_IN", "REGEX", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS", "FUZZY")
OP_HELP = "use !, ?, +, * or a count such as {2} or {1,3}"
# spaCy expands a count {n,m} into m-n optional tokens and follows every way of filling them, so the
# cost grows combinatorially with m-n: over 2,000 sentences, {0,8} takes 0.08 s, {0,12} 1.3 s and
# {0,20} four minutes, where * takes 0.02 s
MAX_OPTIONAL_COUNT = 8
# what pydantic says a value should be, in words
EXPECTED = (
    ("valid string", "text"),
    ("valid integer", "a number"),
    ("valid number", "a number"),
    ("valid boolean", "true or false"),
    ("valid list", "a list"),
    ("valid dictionary", "a mapping such as {IN: [...]}"),
)


def pattern_places(data: Any, parts: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    """Every token pattern of a rules mapping (under any ``patterns:`` key) and its key path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "patterns" and isinstance(value, list):
                for j, pattern in enumerate(value):
                    if isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern):
                        yield (*parts, key, j), pattern  # other shapes are the schema's problem
            else:
                yield from pattern_places(value, (*parts, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from pattern_places(item, (*parts, i))


def check_patterns(data: Any, found: Problems) -> None:
    """Add a problem for each invalid token pattern of ``data`` (one per token attribute)."""
    places = list(pattern_places(data))
    if not places:
        return  # no spaCy import for a file without patterns
    from assure.nlp import import_spacy

    import_spacy()
    from spacy.matcher import Matcher
    from spacy.schemas import TokenPattern, validate_token_pattern
    from spacy.vocab import Vocab

    attributes = [str(f.alias) for f in TokenPattern.model_fields.values() if f.alias and f.alias != "_"]
    matcher = Matcher(Vocab(), validate=False)
    for parts, pattern in places:
        errors = validate_token_pattern(pattern)
        if errors:
            for at, message in _in_words(pattern, errors, attributes):
                found.add([*parts, *at], message)
            continue
        regex = _bad_regex(pattern) or _slow_count(pattern)
        if regex is not None:
            found.add([*parts, *regex[0]], regex[1])
            continue
        try:
            matcher.add("check", [pattern])
        except Exception as exc:  # noqa: BLE001 - spaCy raises ValueError, KeyError or its own errors
            found.add(
                list(parts),
                f"invalid spaCy pattern: {bounded(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 200)}",
            )


def _in_words(pattern: list[Any], errors: list[str], attributes: list[str]) -> list[tuple[list[Any], str]]:
    """pydantic's errors, grouped by token attribute, each as one sentence at that attribute."""
    grouped: dict[tuple[Any, ...], list[tuple[list[str], str]]] = {}
    for error in errors:
        m = re.match(r"\[([^\]]*)\]\s*(.*)", error)
        loc = [p.strip() for p in m[1].split("->")][1:] if m else []  # after "pattern"
        message = m[2] if m else error
        if not loc or not loc[0].isdigit():
            continue
        token = int(loc[0])
        grouped.setdefault((token, *loc[1:2]), []).append((loc[2:], message))
    out = []
    for (token, *attr), details in grouped.items():
        if not attr:
            out.append(([token], "a token must be a mapping of token attributes, such as {LOWER: home}"))
            continue
        name = attr[0]
        value = pattern[token].get(name) if isinstance(pattern[token], dict) else None
        out.append(([token, name], _attribute_message(name, value, details, attributes)))
    return out


def _attribute_message(name: str, value: Any, details: list[tuple[list[str], str]], attributes: list[str]) -> str:
    if any(not rest and "Extra inputs" in message for rest, message in details):
        near = difflib.get_close_matches(name.upper(), attributes, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"unknown token attribute {name!r}{hint}"
    if name.upper() == "OP":
        return bounded(f"{value!r} is not a valid value for OP ({OP_HELP})", 200)
    extra = [rest[-1] for rest, message in details if rest and "Extra inputs" in message]
    if extra:
        near = difflib.get_close_matches(extra[0].upper(), OPERATORS, n=1)
        hint = f"did you mean {near[0]}?" if near else f"use {', '.join(OPERATORS)}"
        return f"unknown operator {extra[0]!r} in {name} ({hint})"
    wanted = list(dict.fromkeys(words for clue, words in EXPECTED if any(clue in message for _, message in details)))
    expected = f" (expected {' or '.join(wanted)})" if wanted else ""
    if _holds_bool(value):  # YAML reads on, off, yes and no as true and false
        expected += "; quote on, off, yes and no in a word list (YAML reads them as true and false)"
    return bounded(f"{value!r} is not a valid value for {name}{expected}", 300)


def _holds_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_holds_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_bool(v) for v in value)
    return False


def _bad_regex(pattern: list[Any]) -> tuple[list[Any], str] | None:
    """The first REGEX value that Python cannot compile, and why."""
    for k, token in enumerate(pattern):
        for name, value in token.items():
            if isinstance(value, dict) and isinstance(value.get("REGEX"), str):
                try:
                    re.compile(value["REGEX"])
                except re.error as exc:
                    return [k, name, "REGEX"], bounded(f"invalid regular expression {value['REGEX']!r}: {exc}", 200)
    return None


def _slow_count(pattern: list[Any]) -> tuple[list[Any], str] | None:
    """The first OP count whose optional part is long enough to make the matcher crawl."""
    for k, token in enumerate(pattern):
        op = token.get("OP")
        m = re.fullmatch(r"\{(\d*),(\d+)\}", op) if isinstance(op, str) else None
        if m and int(m[2]) - int(m[1] or 0) > MAX_OPTIONAL_COUNT:
            return [k, "OP"], (
                f"{op} makes the matcher try every way of filling up to {int(m[2]) - int(m[1] or 0)} optional tokens "
                f'(minutes on a long document); use * with a stop list such as {{NOT_IN: [".", ";"]}} '
                f"or a count of at most {MAX_OPTIONAL_COUNT} optional tokens"
            )
    return None
