"""`assure rules list` and `assure rule ID`: every rule is listed, and one rule is explained
with what it finds, why it matters (its question's reason) and its example sentences."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assure.cli import app
from assure.ruledoc import explain_rule, rule_rows

runner = CliRunner()


def test_rules_list_names_every_rule_once_in_question_order(ruleset) -> None:
    result = runner.invoke(app, ["rules", "list"])
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["RULE", "Q", "KIND", "STRONGEST", "FINDS"]  # a header row names the columns
    ids = [line.split()[0] for line in lines[:-1]]
    assert sorted(ids) == sorted(r.id for r in ruleset.rules)
    questions = [int(line.split()[1][1:]) for line in lines[:-1]]
    assert questions == sorted(questions)
    assert lines[-1].startswith(f"{len(ruleset.rules)} rules")
    row = next(line for line in lines if line.startswith("Q03.intelligence-reference "))
    assert " partial " in row and "a general reference to the JSNA or housing intelligence" in row


def test_rules_list_json_matches_the_loaded_rules(ruleset) -> None:
    result = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == rule_rows(ruleset)


def test_rule_explains_what_it_finds_why_and_examples(ruleset) -> None:
    result = runner.invoke(app, ["rule", "q04.cold-damp-hazards"])  # ids match case-insensitively
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Q04.cold-damp-hazards  (Q4 Unhealthy homes)")
    assert "What it finds\n  cold, damp, hazardous or poor-quality homes: a phrase rule" in out
    assert ruleset.question("Q4").why in out  # why it matters: the question's reason
    rule = next(r for r in ruleset.rules if r.id == "Q04.cold-damp-hazards")
    for verdict, sentences in rule.examples.items():
        for sentence in sentences:
            assert f"  {verdict:<10}{sentence}" in out
    assert "Met when the sentence also has commitment" in out


def test_a_capped_rule_says_it_never_makes_met() -> None:
    out = runner.invoke(app, ["rule", "Q03.intelligence-reference"]).stdout
    assert "At most partial: this rule alone never makes the question met." in out


def test_rule_json_and_exclusions(ruleset) -> None:
    info = json.loads(runner.invoke(app, ["rule", "Q06.homelessness", "-f", "json"]).stdout)
    assert info == explain_rule(ruleset, "Q06.homelessness")
    assert info["question"] == "Q6" and info["examples"]["met"]
    out = runner.invoke(app, ["rule", "home-not-housing"]).stdout
    assert "false friend" in out and '"nursing home"' in out and "  set aside More residents will receive home care." in out


def test_unknown_rule_is_one_line_exit_2_with_suggestions() -> None:
    result = runner.invoke(app, ["rule", "Q04.cold-homes"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no rule 'Q04.cold-homes'" in result.stderr
    assert "did you mean Q04.cold-damp-hazards" in result.stderr


def test_rule_reads_a_custom_rules_file(tmp_path) -> None:
    from assure.resources import default_rules_path

    text = default_rules_path().read_text(encoding="utf-8").replace(
        "message: cold, damp, hazardous or poor-quality homes", "message: local wording for cold homes")
    custom = tmp_path / "rules.yaml"
    custom.write_text(text, encoding="utf-8")
    out = runner.invoke(app, ["rule", "Q04.cold-damp-hazards", "--rules", str(custom)]).stdout
    assert "local wording for cold homes" in out
