"""Real ``--format json`` output validates against assure/schemas/report.schema.json."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.resources import schema_path

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator: jsonschema.Draft202012Validator, data: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def _check(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    result = runner.invoke(app, ["check", "-f", "json", *args])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout)


def test_samples_validate(validator: jsonschema.Draft202012Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    samples = sorted(str(p) for p in (REPO / "samples").glob("*.pdf")) + sorted(str(p) for p in (REPO / "samples").glob("*.docx"))
    assert samples, "samples/ is empty"
    data = _check(samples, tmp_path, monkeypatch)
    assert _errors(validator, data) == []
    assert len(data["documents"]) == len(samples)


def test_error_not_applicable_and_text_documents_validate(validator: jsonschema.Draft202012Validator, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "parking.txt").write_text("Parking charges rise in April. Permits cost more.\n", encoding="utf-8")
    (tmp_path / "plan.md").write_text("# Plan\n\nHealth and wellbeing matter. The NHS and public health will act. Mental health "
                                      "matters. Social care matters.\n\nWe will expand Housing First to 40 tenancies by 2025.\n",
                                      encoding="utf-8")
    data = _check(["empty.pdf", "parking.txt", "plan.md", "missing.docx"], tmp_path, monkeypatch)
    assert _errors(validator, data) == []
    assert [d["status"] for d in data["documents"]] == ["error", "not_applicable", "ok", "error"]


def test_policy_and_findings_validate(validator: jsonschema.Draft202012Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _check([str(REPO / "samples" / "weak.pdf"), "--fail-on", "partial", "--fail-under", "50"], tmp_path, monkeypatch)
    assert "policy" in data and "findings" in data
    assert _errors(validator, data) == []


def test_golden_json_validates(validator: jsonschema.Draft202012Validator) -> None:
    files = sorted((Path(__file__).parent / "golden" / "samples").glob("*.json"))
    assert files
    for f in files:
        assert _errors(validator, json.loads(f.read_text(encoding="utf-8"))) == [], f.name


def test_schema_rejects_broken_output(validator: jsonschema.Draft202012Validator) -> None:
    good = json.loads(next((Path(__file__).parent / "golden" / "samples").glob("*.json")).read_text(encoding="utf-8"))
    bad = copy.deepcopy(good)
    bad["documents"][0]["questions"][0]["status"] = "maybe"
    assert any("maybe" in e for e in _errors(validator, bad))
    bad = copy.deepcopy(good)
    bad["documents"][0]["timestamp"] = "2024-01-01"
    assert _errors(validator, bad)
    bad = copy.deepcopy(good)
    del bad["summary"]
    assert _errors(validator, bad)


def test_every_context_category_a_cue_can_have_is_in_the_report_schema(validator: jsonschema.Draft202012Validator,
                                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (2026-12-07): a hit weakened by the "unknown" cue ("Little is known locally about
    ...") was written with context "unknown", which the report schema did not list."""
    rules_schema = json.loads(schema_path("rules.schema.json").read_text(encoding="utf-8"))
    cue_schema = rules_schema["properties"]["context"]["properties"]["cues"]["items"]["properties"]["category"]
    report_schema = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
    contexts = set(report_schema["$defs"]["evidence"]["properties"]["context"]["enum"])
    assert set(cue_schema["enum"]) <= contexts
    plan = tmp_path / "plan.md"
    plan.write_text("# Health and wellbeing strategy\n\nOur health and wellbeing priorities for adult social care and the NHS. "
                    "The NHS and public health will work together.\n\n## Gaps\n\n"
                    "Little is known locally about the number of people who sleep rough.\n", encoding="utf-8")
    data = _check([str(plan)], tmp_path, monkeypatch)
    contexts_written = {e["context"] for d in data["documents"] for q in d["questions"] for e in q["evidence"]}
    assert "unknown" in contexts_written
    assert _errors(validator, data) == []
