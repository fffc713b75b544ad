"""The built-in rules and questions are validated once, not on every run.

Checking the shipped ``rules.yaml`` and ``questions/`` against their schemas and against each
other costs about a tenth of a second of every ``assure check`` (importing jsonschema, walking
every key for its line), and they never change between runs. So the package records the
SHA-256 of the files it was released with, after validating them (``python -m assure.trusted``,
which the test suite keeps current), and a run that reads exactly those bytes skips the
schema and cross-checks. Edited files, a user's rules or questions, or a rules file that
extends the built-in one are validated in full as before: the shortcut can only ever skip
work that was already done on the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assure.resources import default_questions_dir, default_rules_path, schema_path

DIGEST_FILE = schema_path("builtin.sha256")
SCHEMAS = ("rules.schema.json", "questions.schema.json")


def builtin_digest(rules_path: Path, questions_dir: Path) -> str:
    """SHA-256 over the rules file, every question file (by name, in order) and the schemas they obey."""
    h = hashlib.sha256()
    files = [rules_path, *sorted(questions_dir.glob("*.yaml")), *sorted(questions_dir.glob("*.yml"))]
    for path in [*files, *(schema_path(name) for name in SCHEMAS)]:
        data = path.read_bytes()
        h.update(f"{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def is_validated_builtin(rules_path: Path, questions_dir: Path) -> bool:
    """Whether these are the built-in rules and questions, byte for byte as validated."""
    try:
        if rules_path.resolve() != default_rules_path().resolve():
            return False
        if questions_dir.resolve() != default_questions_dir().resolve():
            return False
        recorded = DIGEST_FILE.read_text(encoding="ascii").strip()
        return recorded == builtin_digest(rules_path, questions_dir)
    except (OSError, UnicodeDecodeError):
        return False


def record() -> str:
    """Validate the built-in rules and questions in full, then record their digest."""
    from assure.patterns import check_patterns
    from assure.ruleset import load_ruleset
    from assure.validation import Problems, read_yaml_located

    load_ruleset(default_rules_path(), default_questions_dir(), trust=False)  # raises on any problem
    data, positions = read_yaml_located(default_rules_path())
    found = Problems(str(default_rules_path()), positions)
    check_patterns(data, found)  # the token patterns, which no run checks for the built-in file
    if found.found:
        raise SystemExit("\n".join(str(p) for p in found.found))
    digest = builtin_digest(default_rules_path(), default_questions_dir())
    DIGEST_FILE.write_text(digest + "\n", encoding="ascii")
    return digest


if __name__ == "__main__":
    print(f"validated; recorded {record()} in {DIGEST_FILE}")
