"""The built-in rules and questions are validated once, not on every run.

Checking the shipped ``rules.yaml`` and ``questions/`` against their schemas and against each
other costs about a tenth of a second of every ``assure check`` (importing jsonschema, walking
every key for its line), and they never change between runs. So the package records the
SHA-256 of the files it was released with, after validating them (``python -m assure.trusted``,
which the test suite keeps current), and a run that reads exactly those bytes skips the
schema and cross-checks, and takes their content from the copy parsed when they were
validated (``builtin.json``, which the digest covers: reading it costs a twentieth of parsing
the YAML). Edited files, a user's rules or questions, or a rules file that extends the
built-in one are validated in full as before: the shortcut can only ever skip work that was
already done on the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from assure.resources import default_questions_dir, default_rules_path, schema_path

DIGEST_FILE = schema_path("builtin.sha256")
SCHEMAS = ("rules.schema.json", "questions.schema.json")


PARSED_FILE = schema_path("builtin.json")  # the built-in files as parsed when validated, keyed by file name


def builtin_digest(rules_path: Path, questions_dir: Path) -> str:
    """SHA-256 over the rules file, every question file (by name, in order), the schemas they
    obey and their parsed copy (builtin.json)."""
    return _digest(_read_all(rules_path, questions_dir))


def _yaml_files(rules_path: Path, questions_dir: Path) -> list[Path]:
    return [rules_path, *sorted(questions_dir.glob("*.yaml")), *sorted(questions_dir.glob("*.yml"))]


def _read_all(rules_path: Path, questions_dir: Path) -> dict[Path, bytes]:
    paths = [*_yaml_files(rules_path, questions_dir), *(schema_path(name) for name in SCHEMAS), PARSED_FILE]
    return {path: path.read_bytes() for path in paths}


def _digest(contents: dict[Path, bytes]) -> str:
    h = hashlib.sha256()
    for path, data in contents.items():
        h.update(f"{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def validated_builtin(rules_path: Path, questions_dir: Path) -> dict[Path, Any] | None:
    """The parsed rules and question files, by path, when they are the built-in ones byte for
    byte as validated, else None. They come from the copy parsed when they were validated
    (builtin.json, covered by the digest): reading JSON costs a twentieth of parsing the YAML."""
    try:
        if rules_path.resolve() != default_rules_path().resolve():
            return None
        if questions_dir.resolve() != default_questions_dir().resolve():
            return None
        recorded = DIGEST_FILE.read_text(encoding="ascii").strip()
        contents = _read_all(rules_path, questions_dir)
        if recorded != _digest(contents):
            return None
        parsed = json.loads(contents[PARSED_FILE])
        return {path: parsed[path.name] for path in _yaml_files(rules_path, questions_dir)}
    except (OSError, UnicodeDecodeError, ValueError, KeyError):
        return None


def is_validated_builtin(rules_path: Path, questions_dir: Path) -> bool:
    """Whether these are the built-in rules and questions, byte for byte as validated."""
    return validated_builtin(rules_path, questions_dir) is not None


def record() -> str:
    """Validate the built-in rules and questions in full, then record their parsed copy and digest."""
    from assure.patterns import check_patterns
    from assure.ruleset import load_ruleset
    from assure.validation import Problems, read_yaml, read_yaml_located

    load_ruleset(default_rules_path(), default_questions_dir(), trust=False)  # raises on any problem
    data, positions = read_yaml_located(default_rules_path())
    found = Problems(str(default_rules_path()), positions)
    check_patterns(data, found)  # the token patterns, which no run checks for the built-in file
    if found.found:
        raise SystemExit("\n".join(str(p) for p in found.found))
    files = _yaml_files(default_rules_path(), default_questions_dir())
    parsed = {path.name: read_yaml(path) for path in files}
    if len(parsed) != len(files):
        raise SystemExit("two built-in files share a name")
    PARSED_FILE.write_text(json.dumps(parsed, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    digest = builtin_digest(default_rules_path(), default_questions_dir())
    DIGEST_FILE.write_text(digest + "\n", encoding="ascii")
    return digest


if __name__ == "__main__":
    print(f"validated; recorded {record()} in {DIGEST_FILE}")
