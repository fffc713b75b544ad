"""Shared readers for the YAML and JSON files users write: one place that turns a parse or
schema error into a ConfigError naming the file and the key path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from assure.errors import ConfigError
from assure.resources import schema_path


def read_text(path: Path, what: str = "file") -> str:
    """A user file's text; a missing or unreadable one is a ConfigError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what} ({exc})", path=str(path)) from None


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; errors name the file, line and column."""
    import yaml

    text = read_text(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same safe loading, ~10x faster
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader, never the full loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {where}{problem}", path=str(path)) from None


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


def check_schema(data: Any, schema_name: str, path: str, prefix: str = "") -> None:
    """Raise a ConfigError for the first violation: ``FILE: KEY.PATH: message (and N more)``."""
    errors = schema_errors(data, schema_name)
    if errors:
        err = errors[0]
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise ConfigError(f"{prefix}{key_path(err.absolute_path)}: {plain_message(err)}{more}", path=path)


def plain_message(err: Any) -> str:
    """A schema error in words where jsonschema's own message shows a regular expression."""
    if err.validator == "pattern" and err.validator_value == "\\S":
        return "must not be blank"
    if err.validator == "required":
        return str(err.message).replace("is a required property", "is required")
    return str(err.message)
