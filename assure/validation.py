"""Shared readers for the YAML and JSON files users write: one place that turns a parse or
schema error into a ConfigError naming the file and the key path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from assure.errors import ConfigError
from assure.names import bounded
from assure.resources import schema_path


def read_text(path: Path, what: str = "file") -> str:
    """A user file's text through the one safe reader (regular files only, size-capped)."""
    from assure.safeio import read_user_text

    return read_user_text(path, what)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely (duplicate keys and alias bombs refused); errors name the
    file, line and column."""
    from assure.safeio import read_yaml as safe_read_yaml

    return safe_read_yaml(path)


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
        raise ConfigError(f"{prefix}{bounded(key_path(err.absolute_path), 120)}: {plain_message(err)}{more}", path=path)


def plain_message(err: Any) -> str:
    """A schema error in words where jsonschema's own message shows a regular expression."""
    if err.validator == "pattern" and err.validator_value == "\\S":
        return "must not be blank"
    if err.validator == "required":
        return bounded(str(err.message).replace("is a required property", "is required"), 200)
    return bounded(str(err.message), 200)  # the message quotes the value, which may be huge
