"""Shared readers for the YAML and JSON files users write: one place that turns a parse or
schema error into a ConfigError naming the file and the key path."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assure.errors import ConfigProblems, Problem
from assure.names import bounded
from assure.resources import schema_path

if TYPE_CHECKING:  # pragma: no cover
    from assure.safeio import Positions


def read_text(path: Path, what: str = "file") -> str:
    """A user file's text through the one safe reader (regular files only, size-capped)."""
    from assure.safeio import read_user_text

    return read_user_text(path, what)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely (duplicate keys and alias bombs refused); errors name the
    file, line and column."""
    from assure.safeio import read_yaml as safe_read_yaml

    return safe_read_yaml(path)


def read_yaml_located(path: Path) -> tuple[Any, Positions]:
    """Parse a YAML file like :func:`read_yaml` and keep where every key and item starts."""
    from assure.safeio import read_yaml_located as safe_read_yaml_located

    return safe_read_yaml_located(path)


def key_parts(path: str) -> tuple[Any, ...]:
    """``("rules", 3, "near", "window")`` from ``rules[3].near.window`` (the inverse of key_path)."""
    return tuple(int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path))


def key_path(parts: Iterable[Any]) -> str:
    """``rules[3].near.window`` from a JSON Schema error's absolute path."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


@cache
def _validator(schema_name: str) -> Any:
    """One validator per bundled schema: the ten question files share one."""
    import jsonschema

    schema = json.loads(schema_path(schema_name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_errors(data: Any, schema_name: str) -> list[Any]:
    """Every violation of a bundled JSON Schema, in a stable order (first by key path)."""
    return sorted(_validator(schema_name).iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))


def check_schema(data: Any, schema_name: str, path: str, prefix: str = "", positions: Positions | None = None) -> None:
    """Raise one ConfigProblems carrying every violation: ``FILE[:LINE:COL]: KEY.PATH: message``."""
    problems = Problems(path, positions, prefix=prefix)
    problems.add_schema_errors(data, schema_name)
    problems.raise_any()


# owner(parts) -> (rule id, question id) that a key path belongs to, for the "(rule ...)" note
Owner = Callable[[Sequence[Any]], tuple[str | None, str | None]]


class Problems:
    """Collects the problems of one file, each placed at the line and column of its key
    (or of the nearest key above it that exists, when the key itself is missing)."""

    def __init__(self, file: str, positions: Positions | None = None, *, owner: Owner | None = None, prefix: str = "") -> None:
        self.file = file
        self.positions = positions
        self.owner = owner
        self.prefix = prefix
        self.found: list[Problem] = []

    def locate(self, parts: Sequence[Any]) -> tuple[int | None, int | None]:
        if self.positions is None:
            return None, None
        path = tuple(parts)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (None, None))

    def add(self, parts: Sequence[Any], message: str) -> None:
        line, column = self.locate(parts)
        rule, question = self.owner(parts) if self.owner is not None else (None, None)
        key = key_path(parts) if parts else ""
        if self.prefix:  # "malformed baseline: KEY: message": what the file is comes before the key
            key, message = "", f"{self.prefix}{bounded(key or '(top level)', 120)}: {message}"
        self.found.append(Problem(self.file, line, column, key, message, rule, question))

    def add_schema_errors(self, data: Any, schema_name: str) -> list[list[Any]]:
        """Every violation of the bundled schema (an unknown key placed at that key); returns
        their key paths, so a caller can leave the invalid parts out of later checks."""
        errors = schema_errors(data, schema_name)
        chosen: dict[tuple[Any, ...], Any] = {}  # one error per key path: the most readable
        for err in errors:
            parts = list(err.absolute_path)
            extras = unknown_keys(err)
            if extras:
                known = list(err.schema.get("properties", {}))
                for name in extras:
                    self.add([*parts, name], unknown_key_message(str(name), known))
                continue
            if "propertyNames" in err.relative_schema_path and isinstance(err.instance, str):
                self.add([*parts, err.instance], f"key {plain_message(err)}")
                continue
            # each missing key is its own problem; other errors at one path say the same thing twice
            slot = (*parts, "required", str(err.message)) if err.validator == "required" else tuple(parts)
            if slot not in chosen or _readability(err) > _readability(chosen[slot]):
                chosen[slot] = err
        for err in chosen.values():
            self.add(list(err.absolute_path), plain_message(err))
        return [list(err.absolute_path) for err in errors]

    def raise_any(self) -> None:
        if self.found:
            raise ConfigProblems(self.found)


def unknown_keys(err: Any) -> list[str]:
    """The keys an ``additionalProperties: false`` violation is about, in the file's order."""
    if err.validator != "additionalProperties" or err.validator_value is not False or not isinstance(err.instance, dict):
        return []
    known = err.schema.get("properties", {})
    patterns = list(err.schema.get("patternProperties", {}))
    return [k for k in err.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]


def rule_owner(data: Any) -> Owner:
    """The rule id of a key path inside ``rules[i]`` (when that rule has a usable id)."""

    def owner(parts: Sequence[Any]) -> tuple[str | None, str | None]:
        if len(parts) >= 2 and parts[0] == "rules" and isinstance(parts[1], int) and isinstance(data, dict):
            rules = data.get("rules")
            if isinstance(rules, list) and parts[1] < len(rules) and isinstance(rules[parts[1]], dict):
                rid = rules[parts[1]].get("id")
                if isinstance(rid, str) and rid.strip():
                    return rid, None
        return None, None

    return owner


def question_owner(data: Any) -> Owner:
    """The question id of any key path in a question file (when it has a usable id)."""
    qid = data.get("id") if isinstance(data, dict) else None
    return lambda parts: (None, qid if isinstance(qid, str) and qid.strip() else None)


def unknown_key_message(name: str, known: Sequence[str]) -> str:
    """``unknown key; did you mean inline_suppressions?`` when one known key is close, else the known keys."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    if close:
        return f"unknown key; did you mean {close[0]}?"
    return f"unknown key; known keys: {', '.join(known)}" if known else "unknown key"


def _readability(err: Any) -> int:
    """How much a reader gets from an error's message: our own words over jsonschema's."""
    if err.validator == "pattern" and (
        err.validator_value == "\\S" or (isinstance(err.schema, dict) and err.schema.get("description"))
    ):
        return 3
    if err.validator in ("type", "enum", "required"):
        return 2
    return 1


TYPE_WORDS = {
    "array": "a list",
    "object": "a mapping",
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "null": "empty",
}


def type_message(err: Any) -> str:
    """``must be a list (write [Q9])`` for jsonschema's ``'Q9' is not of type 'array'``."""
    wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    words = " or ".join(TYPE_WORDS.get(str(t), str(t)) for t in wanted)
    if "array" in wanted and isinstance(err.instance, (str, int, float)) and not isinstance(err.instance, bool):
        return bounded(f"must be {words} (write [{err.instance}])", 200)
    return f"must be {words}"


def plain_message(err: Any) -> str:
    """A schema error in words where jsonschema's own message shows a regular expression or a type name."""
    if err.validator == "pattern" and err.validator_value == "\\S":
        return "must not be blank"
    if err.validator == "type":
        return type_message(err)
    if err.validator == "required":
        return bounded(str(err.message).replace("is a required property", "is required"), 200)
    if err.validator == "pattern" and isinstance(err.schema, dict) and err.schema.get("description"):
        # the regular expression says nothing to a reader; the schema's description says what is expected
        return bounded(f"{err.instance!r} is not valid: {err.schema['description']}", 300)
    return bounded(str(err.message), 200)  # the message quotes the value, which may be huge
