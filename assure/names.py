"""File names and messages made safe for where they are written.

A file name is bytes: it may hold a newline, escape sequences or bytes that are not
UTF-8 (Python keeps those as lone surrogates, ``\\udcXX``). Human lines (errors on stderr,
the text report) show such characters escaped, so every message stays one line and a
name cannot move the cursor or recolour the terminal. Machine output keeps them
losslessly: JSON as ``\\udcXX`` escapes (``os.fsencode`` of the decoded string gives the
original bytes back), text formats as the original bytes.
"""

from __future__ import annotations

import re
from typing import Any

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in the name
        return f"\\x{code - 0xDC00:02x}"
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def human_name(text: str) -> str:
    """``text`` with control characters, line separators and undecodable bytes escaped
    (``\\n``, ``\\x1b``, ``\\xe9``): always one printable line."""
    return _UNSAFE.sub(_escape, text)


def bounded(text: str, limit: int = 300) -> str:
    """At most ``limit`` characters of ``text`` on one escaped line, with the length cut."""
    text = human_name(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def json_safe(text: str) -> str:
    """JSON text with any lone surrogate written as a ``\\uXXXX`` escape.

    ``json.dumps(..., ensure_ascii=False)`` leaves lone surrogates (undecodable bytes of a
    file name) as they are, and they cannot be encoded as UTF-8. In JSON text a raw
    character can only stand inside a string, so the escape is valid JSON and lossless."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def encode_output(text: str, kind: str = "text") -> bytes:
    """Bytes to write for a rendered output.

    ``json``: lone surrogates become JSON escapes. ``markup`` (XML, HTML): they become the
    visible ``\\xNN`` form (XML cannot carry them). ``text`` (plain text, CSV, Markdown):
    the original bytes of the name (``surrogateescape``)."""
    if kind == "json":
        return json_safe(text).encode("utf-8")
    if kind == "markup":
        return _SURROGATE.sub(lambda m: human_name(m.group()) if 0xDC80 <= ord(m.group()) <= 0xDCFF else "\ufffd", text).encode(
            "utf-8"
        )
    lone = _SURROGATE.sub(lambda m: m.group() if 0xDC80 <= ord(m.group()) <= 0xDCFF else "\ufffd", text)
    return lone.encode("utf-8", errors="surrogateescape")


def human_report(report: Any) -> Any:
    """The report with every document path escaped (:func:`human_name`), for the formats
    people read on a terminal: a name's newline or escape bytes must not reach it raw."""
    from dataclasses import replace

    if not any(_UNSAFE.search(d.path) for d in report.documents):
        return report
    return replace(report, documents=tuple(replace(d, path=human_name(d.path)) for d in report.documents))
