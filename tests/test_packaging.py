"""The wheel carries the same questions and rules as the repository (the single source of
truth), so `pip install .` and `pipx install` work from any folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_questions_and_rules(built_wheel: Path) -> None:
    assert built_wheel.name.startswith("assure_housing_health-")  # our own distribution name, not PyPI's unrelated "assure"
    with zipfile.ZipFile(built_wheel) as zf:
        names = set(zf.namelist())
        assert zf.read("assure/_data/rules.yaml") == (ROOT / "rules.yaml").read_bytes()
        for q in sorted((ROOT / "questions").glob("*.yaml")):
            assert zf.read(f"assure/_data/questions/{q.name}") == q.read_bytes()
        assert {"assure/schemas/rules.schema.json", "assure/schemas/report.schema.json", "assure/schemas/builtin.sha256"} <= names
        assert any(n.endswith("entry_points.txt") and b"assure = assure._entry:main" in zf.read(n) for n in names)
