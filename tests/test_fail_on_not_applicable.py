"""fail_on_not_applicable / --fail-on-not-applicable (issue 13): a short draft with fewer
sentences about health than the relevance screen needs used to pass CI silently; with the
option it is a document-level finding that fails the run, can be baselined, and is listed
in every format that lists findings. Through the CLI on a real Markdown draft."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.resources import schema_path

runner = CliRunner()

# one sentence about health; the built-in relevance screen needs more
DRAFT = """\
# Town centre parking: consultation draft

This draft sets out charges for on-street parking bays and car parks in the town centre.

Walking to the shops is good for your health.

Pay and display machines will be replaced in April, and residents' permits will cost 50 pounds a year.
"""

WHY = "no link to health, care or wellbeing (checklist A5): 1 sentence about health, care or wellbeing"


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def _check(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", "draft.md", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout


def test_not_applicable_passes_by_default(work: Path) -> None:
    code, text = _check()
    assert code == 0 and "not applicable" in text and "Policy" not in text
    code, data = _check("-f", "json")
    assert code == 0 and json.loads(data)["documents"][0]["status"] == "not_applicable"
    assert "findings" not in json.loads(data)


def test_flag_fails_and_every_format_lists_the_finding(work: Path) -> None:
    code, text = _check("--fail-on-not-applicable")
    assert code == 1
    assert f"  FAIL        draft.md: not applicable: {WHY}" in text

    code, concise = _check("--fail-on-not-applicable", "-f", "concise")
    assert code == 1 and concise.startswith(f"draft.md: not-applicable {WHY}") and concise.rstrip().endswith("[fail]")

    code, raw = _check("--fail-on-not-applicable", "-f", "json")
    data = json.loads(raw)
    jsonschema.validate(data, json.loads(schema_path("report.schema.json").read_text(encoding="utf-8")))
    assert code == 1 and data["policy"]["fail_on_not_applicable"] is True
    (finding,) = data["findings"]
    assert finding["question"] is None and finding["status"] == "not_applicable" and finding["outcome"] == "fail"
    assert finding["why"].startswith(WHY) and finding["score"] is None

    code, xml = _check("--fail-on-not-applicable", "-f", "junit")
    root = ET.fromstring(xml)
    assert code == 1 and root.get("failures") == "1" and root.get("skipped") == "0"
    failure = root.find("testsuite/testcase[@name='relevance']/failure")
    assert failure is not None and failure.get("type") == "not_applicable"
    assert failure.get("message", "").startswith(f"not applicable: {WHY}")

    code, annotations = _check("--fail-on-not-applicable", "-f", "github")
    assert code == 1 and annotations.startswith("::error file=draft.md,title=assure%3A not applicable::")


def test_config_key_and_the_flag_that_turns_it_off(work: Path) -> None:
    (work / "assure.yaml").write_text("fail_on_not_applicable: true\n", encoding="utf-8")
    assert _check()[0] == 1
    assert _check("--no-fail-on-not-applicable")[0] == 0
    shown = runner.invoke(app, ["config", "show", "--format", "json"])
    assert json.loads(shown.stdout)["values"]["fail_on_not_applicable"]["value"] is True
    (work / "assure.yaml").unlink()
    (work / "pyproject.toml").write_text('[tool.assure]\nfail-on-not-applicable = true\n', encoding="utf-8")
    assert _check()[0] == 1
    (work / "pyproject.toml").write_text('[tool.assure]\nfail_on_not_applicable = "yes"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "draft.md"])
    assert result.exit_code == 2
    assert result.stderr.endswith("pyproject.toml:2: fail_on_not_applicable: must be true or false\n")


def test_a_baselined_not_applicable_document_passes(work: Path) -> None:
    assert runner.invoke(app, ["baseline", "write", "draft.md", "-o", "baseline.json"]).exit_code == 0
    code, concise = _check("--fail-on-not-applicable", "--baseline", "baseline.json", "-f", "concise")
    assert code == 0 and concise.rstrip().endswith("[baselined]")
    code, raw = _check("--fail-on-not-applicable", "--baseline", "baseline.json", "-f", "json")
    (finding,) = json.loads(raw)["findings"]
    assert (finding["outcome"], finding["note"]) == ("baselined", "in baseline as not applicable")
    # a document the baseline has not seen as not applicable still fails
    (work / "other.md").write_text(DRAFT.replace("parking", "highways"), encoding="utf-8")
    result = runner.invoke(app, ["check", "draft.md", "other.md", "--fail-on-not-applicable", "--baseline", "baseline.json"])
    assert result.exit_code == 1 and "FAIL        other.md: not applicable" in result.stdout


@pytest.mark.parametrize(("place", "status"), [("figure", "ok"), ("caption", "ok"), ("footnote", "ok"),
                                               ("contents", "not_applicable"), ("running", "not_applicable")])
def test_a_health_link_printed_in_a_table_or_chart_counts(place: str, status: str) -> None:
    """Regression: a devolution paper whose health duties sat only in a framework table, read
    as figure labels and notes, came out not applicable (the guide: not applicable only with
    no link to health at all). Contents, running headers and the like still show no link."""
    from assure.engine import Evaluator
    from assure.models import Block, BlockKind, Document, Place
    from assure.ruleset import load_ruleset

    texts = [("Mayors will take a bespoke statutory health improvement and health inequalities duty.", Place(place)),
             ("Mayors will sit on local Integrated Care Partnerships with the NHS.", Place(place)),
             ("The council will submit its devolution proposal to government in March.", Place.BODY)]
    blocks = tuple(Block(text=t, raw=t, kind=BlockKind.PARAGRAPH, page=1, section=(), index=i + 1, place=p)
                   for i, (t, p) in enumerate(texts))
    result = Evaluator(load_ruleset(None, None)).evaluate(Document(path="paper.pdf", format="pdf", blocks=blocks, pages=1))
    assert result.status.value == status
