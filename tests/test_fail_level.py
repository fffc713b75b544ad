"""One fail-level enum: the config and report schemas, the CLI and the exit code agree with it."""

from __future__ import annotations

import json
from dataclasses import replace

from ci_fixtures import sample_report
from typer.testing import CliRunner

from assure.cli import app
from assure.models import DocStatus, FailLevel, Status
from assure.resources import schema_path
from assure.runner import exit_code


def test_schemas_list_exactly_the_fail_levels() -> None:
    levels = [level.value for level in FailLevel]
    config = json.loads(schema_path("config.schema.json").read_text())
    assert config["$defs"]["fail_on"]["enum"] == levels
    report = json.loads(schema_path("report.schema.json").read_text())
    assert report["$defs"]["policy"]["properties"]["fail_on"]["enum"] == levels


def test_cli_offers_the_fail_levels() -> None:
    out = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"}).output
    assert "[" + "|".join(level.value for level in FailLevel) + "]" in out


def test_exit_code_follows_the_level() -> None:
    full = sample_report()
    report = replace(full, documents=tuple(d for d in full.documents if d.status is DocStatus.OK and d.questions)[:1])
    statuses = {q.status for d in report.documents for q in d.questions}
    assert Status.GAP in statuses and Status.PARTIAL in statuses
    assert exit_code(report, FailLevel.GAP) == 1
    assert exit_code(report, "partial") == 1
    assert exit_code(report, FailLevel.NEVER) == 0
    assert FailLevel.PARTIAL.failing == {Status.GAP, Status.PARTIAL}
