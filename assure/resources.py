"""Where the built-in questions and rules live.

The repository's top-level ``questions/`` and ``rules.yaml`` are the single source of
truth. A wheel carries copies under ``assure/_data`` (see pyproject.toml); a source or
editable checkout reads the top-level files directly.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    bundled = _PACKAGE / "_data"
    if (bundled / "rules.yaml").is_file():
        return bundled
    return _PACKAGE.parent


def default_rules_path() -> Path:
    return data_root() / "rules.yaml"


def default_questions_dir() -> Path:
    return data_root() / "questions"


def schema_path(name: str) -> Path:
    return _PACKAGE / "schemas" / name
