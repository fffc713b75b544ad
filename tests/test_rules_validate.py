"""`assure rules validate` as a linter: every problem of the config, rules and question files
in one run (config shape, rules, the config's ids against the rules, compiling the rules), each
once, then a count line; a rules file may be given as `assure rules validate FILE`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app

runner = CliRunner()

# a rules pack on the built-in rules: one unknown key and a missing message (its schema problems)
BROKEN_RULES = """extend: default
rules:
  - id: Q04.mine
    question: Q4
    kind: phrase
    terms: ["cold homes"]
    verdikt: met
    examples:
      met: ["We will insulate 300 cold homes by 2027, funded by the council."]
"""
# a pack whose only fault shows when its pattern is compiled: spaCy's tokenizer splits 'co-op'
UNCOMPILABLE_RULES = """extend: default
rules:
  - id: Q04.mine
    question: Q4
    kind: pattern
    message: Cold homes named.
    patterns:
      - [{LOWER: "co-op"}, {LOWER: homes}]
    examples:
      met: ["The co-op homes are cold."]
"""
GOOD_RULES = """extend: default
rules:
  - id: Q04.mine
    question: Q4
    kind: phrase
    message: Cold homes named.
    terms: ["cold homes"]
    examples:
      met: ["We will insulate 300 cold homes by 2027, funded by the council."]
"""


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    return tmp_path


def _validate(*args: str) -> tuple[int, list[str]]:
    """The exit code and the stderr lines, with the working folder left out of the config's name."""
    result = runner.invoke(app, ["rules", "validate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, [ln.replace(f"{Path.cwd()}/", "") for ln in result.stderr.splitlines()]


def test_config_shape_rules_and_ids_are_all_listed_in_one_run(work: Path) -> None:
    """Regression: a config value of the wrong kind stopped validate before the rules file was
    read, and a rules file with problems stopped it before the config's ids were checked; now
    every problem is listed, each once, then the count."""
    (work / "assure.yaml").write_text("fail_on: sometimes\nignore: [Q04.mien, Q04.cold-damp-hazards]\n", encoding="utf-8")
    (work / "mine.yaml").write_text(BROKEN_RULES, encoding="utf-8")
    code, lines = _validate("--config", "assure.yaml", "--rules", "mine.yaml")
    assert code == 2
    assert lines == [
        "assure.yaml:1:1: fail_on: 'sometimes' is not one of ['gap', 'partial', 'never']",
        # checked against the ids the broken rules file declares (with the built-in ones it extends)
        "assure.yaml:2:10: ignore[0]: unknown rule Q04.mien (assure rules list shows the rule ids); did you mean Q04.mine?",
        "mine.yaml:3:5: rules[0]: 'message' is required (rule Q04.mine)",
        "mine.yaml:7:5: rules[0].verdikt: unknown key; known keys: id, question, kind, message, terms, lemmas, patterns, "
        "near, exclude, max_strength, met_when, weight, signal_scope, figures, near_in_section, examples (rule Q04.mine)",
        "assure: 4 problems in 2 files",
    ]
    assert len(set(lines)) == len(lines)  # no problem twice
    as_json = runner.invoke(app, ["rules", "validate", "--config", "assure.yaml", "--rules", "mine.yaml", "-f", "json"])
    assert as_json.exit_code == 2
    assert [(Path(p["file"]).name, p["line"]) for p in json.loads(as_json.stdout)] == [
        ("assure.yaml", 1),
        ("assure.yaml", 2),
        ("mine.yaml", 3),
        ("mine.yaml", 7),
    ]


def test_config_ids_and_the_compile_of_the_rules_are_listed_together(work: Path) -> None:
    """Regression: an unknown id in the config stopped validate before the rules were compiled,
    so a pattern spaCy cannot match came to light only once the id was fixed."""
    (work / "assure.yaml").write_text("ignore: [Q04.cold-damp-hazard]\n", encoding="utf-8")
    (work / "mine.yaml").write_text(UNCOMPILABLE_RULES, encoding="utf-8")
    code, lines = _validate("--rules", "mine.yaml")
    assert code == 2
    assert len(lines) == 3 and lines[-1] == "assure: 2 problems in 2 files"
    assert lines[0].startswith("assure.yaml:1:10: ignore[0]: unknown rule Q04.cold-damp-hazard")
    assert lines[1].startswith("mine.yaml: ") and "'co-op' never matches" in lines[1]


def test_one_problem_is_counted_too(work: Path) -> None:
    """Regression: with a single problem there was no count line (yamllint and ruff always end with one)."""
    (work / "assure.yaml").write_text("ignore: [Q04.cold-damp-hazard]\n", encoding="utf-8")
    code, lines = _validate()
    assert code == 2
    assert lines == [
        "assure.yaml:1:10: ignore[0]: unknown rule Q04.cold-damp-hazard (assure rules list shows the rule ids); "
        "did you mean Q04.cold-damp-hazards?",
        "assure: 1 problem in assure.yaml",
    ]


def test_all_good_says_so(work: Path) -> None:
    (work / "assure.yaml").write_text("ignore: [Q04.cold-damp-hazards]\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("ok: 10 questions, ") and result.stdout.rstrip().endswith(": no problems")
    assert "config " in result.stdout and "assure.yaml" in result.stdout


def test_rules_file_as_a_positional_argument(work: Path) -> None:
    """Regression: `assure rules validate FILE` was refused ("unexpected extra argument"); FILE
    means what --rules FILE means, as ruff and yamllint take a path."""
    (work / "good.yaml").write_text(GOOD_RULES, encoding="utf-8")
    (work / "bad.yaml").write_text(BROKEN_RULES, encoding="utf-8")
    good = runner.invoke(app, ["rules", "validate", "good.yaml"])
    assert good.exit_code == 0, good.output
    assert good.stdout == runner.invoke(app, ["rules", "validate", "--rules", "good.yaml"]).stdout
    assert "good.yaml" in good.stdout
    bad = runner.invoke(app, ["rules", "validate", "bad.yaml"])
    assert bad.exit_code == 2
    assert bad.stderr == runner.invoke(app, ["rules", "validate", "--rules", "bad.yaml"]).stderr
    assert bad.stderr.splitlines()[-1] == "assure: 2 problems in bad.yaml"
    both = runner.invoke(app, ["rules", "validate", "good.yaml", "--rules", "bad.yaml"])
    assert both.exit_code == 2
    assert both.stderr == "assure: rules validate: two rules files (good.yaml and --rules bad.yaml); give one\n"
    assert runner.invoke(app, ["rules", "validate", "good.yaml", "--rules", "good.yaml"]).exit_code == 0
    folder = runner.invoke(app, ["rules", "validate", str(work)])
    assert folder.exit_code == 2 and folder.stderr == f"assure: FILE: '{work}' is a folder, not a file\n"
