"""Golden outputs for the bundled samples: the text report (width 100, no colour) and JSON.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff (tests/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import check_golden

from assure.report import FORMATTERS
from assure.ruleset import load_ruleset
from assure.runner import check_paths

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden" / "samples"
SAMPLES = sorted(p.name for p in (REPO / "samples").glob("*.pdf")) + sorted(p.name for p in (REPO / "samples").glob("*.docx"))


@pytest.fixture(scope="module")
def reports() -> dict:
    """One report per sample, checked with the relative path samples/NAME (as a user would type it)."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        rs = load_ruleset()
        return {name: check_paths([f"samples/{name}"], rs) for name in SAMPLES}
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json")])
def test_golden(reports: dict, name: str, fmt: str, suffix: str, update_golden: bool) -> None:
    out = FORMATTERS[fmt](reports[name], color=False, width=100)
    assert "\x1b[" not in out
    check_golden(GOLDEN / f"{name}.{suffix}", out, update_golden)


def test_every_golden_file_has_a_sample() -> None:
    """No stale golden files left behind after a sample is renamed or removed."""
    expected = {f"{n}.{s}" for n in SAMPLES for s in ("txt", "json")}
    present = {p.name for p in GOLDEN.iterdir()} if GOLDEN.is_dir() else set()
    assert present <= expected, f"stale golden files: {sorted(present - expected)}"
