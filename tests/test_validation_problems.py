"""Every problem in the rules, question and config files at once, each at FILE:LINE:COL with
its key path and the rule or question it belongs to (issue 13), through the CLI."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assure.cli import app
from assure.config import load_config
from assure.errors import ConfigError, ConfigProblems
from assure.resources import default_questions_dir, default_rules_path

runner = CliRunner()

PLAN = "# Plan\n\nWe will insulate 600 homes of people with asthma by 2026, funded by the council.\n"


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    return tmp_path


def _line_of(lines: list[str], text: str, start: int = 0) -> int:
    """The 0-based index of the first line at or after ``start`` that contains ``text``."""
    return next(i for i in range(start, len(lines)) if text in lines[i])


def _three_mistakes(folder: Path) -> tuple[Path, list[str]]:
    """The built-in rules with a window of 0 deep in one rule, a second rule given the first's
    id, and an unknown signal in that second rule's met_when; returns the file and the
    three lines `rules validate` must print, computed from the text (not hard-coded)."""
    lines = default_rules_path().read_text(encoding="utf-8").splitlines()
    ids = [ln.split("id:", 1)[1].strip() for ln in lines if ln.startswith("  - id: Q")]
    rule_lines = [i for i, ln in enumerate(lines) if ln.startswith("  - id: Q")]
    # the first cooccur rule whose near: has a window, and the rule after it with a met_when
    first = next(n for n, i in enumerate(rule_lines) if "      window:" in "\n".join(lines[i : rule_lines[n + 1]]))
    window = _line_of(lines, "      window:", rule_lines[first])
    def body(n: int) -> str:
        return "\n".join(lines[rule_lines[n] : rule_lines[n + 1]])

    # (not a rule a question's met_needs names: renaming it would add a fourth problem)
    needed = {r for q in yaml.safe_load("\n".join(lines)).get("questions", {}).values() for r in q.get("met_needs", ())}
    second = next(
        n for n in range(first + 1, len(rule_lines) - 1) if "    met_when: [[" in body(n) and ids[n] not in needed
    )
    met_when = _line_of(lines, "    met_when: [[", rule_lines[second])
    lines[window] = lines[window].split("window:")[0] + "window: 0"
    lines[rule_lines[second]] = f"  - id: {ids[first]}"
    lines[met_when] = "    met_when: [[telepathy]]"
    path = folder / "rules.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    assert [r["id"] for r in data["rules"]] == ids  # every rule starts with "  - id: Q..."
    first_index, second_index = first, second
    expected = [
        f"rules.yaml:{window + 1}:7: rules[{first_index}].near.window: 0 is less than the minimum of 1 (rule {ids[first]})",
        f"rules.yaml:{rule_lines[second] + 1}:5: rules[{second_index}].id: duplicate rule id {ids[first]} "
        f"(first on line {rule_lines[first] + 1}) (rule {ids[first]})",
        f"rules.yaml:{met_when + 1}:17: rules[{second_index}].met_when[0][0]: unknown signal 'telepathy' (rule {ids[first]})",
    ]
    return path, expected


def test_rules_file_with_three_mistakes_lists_all_three(work: Path) -> None:
    path, expected = _three_mistakes(work)
    result = runner.invoke(app, ["rules", "validate", "--rules", "rules.yaml"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [*expected, "assure: 3 problems in rules.yaml"]
    # check prints the same lines before reading any document
    checked = runner.invoke(app, ["check", "plan.md", "--rules", "rules.yaml"])
    assert checked.exit_code == 2 and checked.stdout == ""
    assert checked.stderr.splitlines() == [*expected, "assure: 3 problems in rules.yaml"]


def test_rules_validate_json_lists_problems(work: Path) -> None:
    _three_mistakes(work)
    result = runner.invoke(app, ["rules", "validate", "--rules", "rules.yaml", "--format", "json"])
    assert result.exit_code == 2
    problems = json.loads(result.stdout)
    assert [sorted(p) for p in problems] == [["column", "file", "key", "line", "message", "question", "rule"]] * 3
    assert [p["message"] for p in problems][2] == "unknown signal 'telepathy'"
    assert [p["column"] for p in problems] == [7, 5, 17] and len({p["rule"] for p in problems}) == 1
    assert problems == sorted(problems, key=lambda p: p["line"])
    ok = runner.invoke(app, ["rules", "validate", "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []
    assert runner.invoke(app, ["rules", "validate"]).stdout.startswith("ok: ")


def test_question_file_problems_are_listed_with_the_rules_problems(work: Path) -> None:
    """Two broken question files and a broken rules file: every problem, sorted by file and line."""
    qdir = work / "questions"
    shutil.copytree(default_questions_dir(), qdir)
    q4 = next(qdir.glob("q04-*.yaml"))
    text = q4.read_text(encoding="utf-8")
    q4.write_text(text.replace("\ntitle:", "\ncolour: blue\ntitle:", 1), encoding="utf-8")
    colour_line = q4.read_text(encoding="utf-8").splitlines().index("colour: blue") + 1
    q9 = next(qdir.glob("q09-*.yaml"))
    q9.write_text(q9.read_text(encoding="utf-8").replace("\nsource:", "\nsourse:", 1), encoding="utf-8")
    _three_mistakes(work)
    result = runner.invoke(app, ["rules", "validate", "--rules", "rules.yaml", "--questions", "questions"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == "assure: 6 problems in 3 files"
    assert lines[0].startswith(f"questions/{q4.name}:{colour_line}:1: colour: unknown key; known keys: id, title, ")
    assert lines[0].endswith("(question Q4)")
    assert lines[1].startswith(f"questions/{q9.name}:1:1: 'source' is required (question Q9)")
    assert lines[2].startswith(f"questions/{q9.name}:") and ": sourse: unknown key" in lines[2]
    assert [ln.split(":")[0] for ln in lines[3:6]] == ["rules.yaml"] * 3


def test_config_with_two_bad_keys_lists_both(work: Path) -> None:
    (work / "assure.yaml").write_text("# team policy\nfail_on: sometimes\nper_question:\n  Q4:\n    fail_undr: 50\n",
                                      encoding="utf-8")
    expected = [
        "assure.yaml:2:1: fail_on: 'sometimes' is not one of ['gap', 'partial', 'never']",
        "assure.yaml:5:5: per_question.Q4.fail_undr: unknown key; did you mean fail_under?",
    ]
    for command in (["check", "plan.md"], ["config", "show"], ["rules", "validate"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        assert [ln.replace(str(work) + "/", "") for ln in result.stderr.splitlines()] == [
            *expected, "assure: 2 problems in assure.yaml"]
    with pytest.raises(ConfigProblems) as info:
        load_config(env={}, cwd=work)
    assert isinstance(info.value, ConfigError) and len(info.value.problems) == 2
    assert [(p.line, p.column, p.key) for p in info.value.problems] == [(2, 1, "fail_on"), (5, 5, "per_question.Q4.fail_undr")]


def test_config_values_of_the_wrong_kind_and_unknown_ids_are_listed_together(work: Path) -> None:
    """Regression (new-user trial, 2026-12-07): with a value of the wrong kind in the file, its
    unknown ids were listed only after that was fixed; check now lists all three at once, and a
    config whose rules file is itself in question keeps its ids for the next run."""
    (work / "assure.yaml").write_text(
        "fail_on: sometimes\nignore: [Q04.cold-damp-hazard]\nper_question:\n  Q12:\n    fail_on: gap\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", "plan.md"])
    assert result.exit_code == 2 and result.stdout == "", result.output
    lines = [ln.replace(str(work) + "/", "") for ln in result.stderr.splitlines()]
    assert lines[0].startswith("assure.yaml:1:1: fail_on: 'sometimes'")
    assert lines[1].startswith("assure.yaml:2:10: ignore[0]: unknown rule Q04.cold-damp-hazard")
    assert lines[2].startswith("assure.yaml:4:3: per_question.Q12: unknown question Q12")
    assert lines[3] == "assure: 3 problems in assure.yaml"
    (work / "assure.yaml").write_text("rules: [a, b]\nignore: [Q04.own-rule]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "plan.md"])
    assert result.exit_code == 2, result.output
    assert [ln.replace(str(work) + "/", "") for ln in result.stderr.splitlines()] == ["assure.yaml:1:1: rules: must be text"]


def test_pyproject_problems_give_the_line(work: Path) -> None:
    (work / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.assure]\nfail_on = "sometimes"\nfail-under = 140\n\n'
        '[[tool.assure.suppressions]]\nquestion = "Q4"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "plan.md"])
    assert result.exit_code == 2
    lines = [ln.replace(str(work) + "/", "") for ln in result.stderr.splitlines()]
    assert lines == [
        "pyproject.toml:5: fail_on: 'sometimes' is not one of ['gap', 'partial', 'never']",
        "pyproject.toml:6: fail_under: 140 is greater than the maximum of 100",
        "pyproject.toml:8: suppressions[0]: 'reason' is required",
        "assure: 3 problems in pyproject.toml",
    ]


def test_one_problem_is_one_line(work: Path) -> None:
    (work / "assure.yaml").write_text("fail_under: 140\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "plan.md"])
    assert result.exit_code == 2
    assert result.stderr == f"{work / 'assure.yaml'}:1:1: fail_under: 140 is greater than the maximum of 100\n"


def test_recursive_alias_is_refused_quickly(work: Path) -> None:
    """`a: &a [*a]` used to send the alias-size check round for ever."""
    (work / "assure.yaml").write_text("questions: &a [Q4, *a]\n", encoding="utf-8")
    start = time.monotonic()
    result = runner.invoke(app, ["check", "plan.md"])
    assert time.monotonic() - start < 10
    assert result.exit_code == 2
    assert result.stderr == f"{work / 'assure.yaml'}:1:12: invalid YAML: an alias refers to a value that contains it\n"


def test_config_problems_in_words_one_per_key(work: Path) -> None:
    """A near-miss key gets a suggestion, a type error says what to write, and a blank reason is
    one problem (not jsonschema's minLength and pattern errors both)."""
    (work / "assure.yaml").write_text(
        "inline_suppression: false\nignore: Q9\nfail_under: high\nfail_on_not_applicable: 1\nper_question: [Q4]\n"
        "suppressions:\n  - question: Q4\n    reason: ''\n    files: 3\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "plan.md"])
    assert result.exit_code == 2 and result.stdout == ""
    assert [ln.replace(str(work) + "/", "") for ln in result.stderr.splitlines()] == [
        "assure.yaml:1:1: inline_suppression: unknown key; did you mean inline_suppressions?",
        "assure.yaml:2:1: ignore: must be a list (write [Q9])",
        "assure.yaml:3:1: fail_under: must be a whole number",
        "assure.yaml:4:1: fail_on_not_applicable: must be true or false",
        "assure.yaml:5:1: per_question: must be a mapping",
        "assure.yaml:8:5: suppressions[0].reason: must not be blank",
        "assure.yaml:9:5: suppressions[0].files: must be text",
        "assure: 7 problems in assure.yaml",
    ]


def _rule(rid: str) -> str:
    return (f"  - id: {rid}\n    question: Q4\n    kind: phrase\n    message: Cold homes.\n"
            "    terms: [cold homes]\n    examples: {met: ['We will warm cold homes.']}\n")


def test_duplicate_rule_in_a_file_that_extends_names_the_line_in_that_file(work: Path) -> None:
    """The merged list's index (rules[29]) means nothing to the author: the first one's line does."""
    (work / "mine.yaml").write_text("extend: default\nrules:\n" + _rule("Q04.cold-damp-hazards") + _rule("Q04.cold-damp-hazards"),
                                    encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", "--rules", "mine.yaml"])
    assert result.exit_code == 2
    assert result.stderr == ("mine.yaml:9:5: rules[1].id: duplicate rule id Q04.cold-damp-hazards (first on line 3) "
                             "(rule Q04.cold-damp-hazards)\nassure: 1 problem in mine.yaml\n")


def test_bad_token_patterns_are_listed_with_the_other_problems_in_words(work: Path) -> None:
    """Every bad spaCy pattern at its line and column, in words, together with a schema
    problem of the same file (not the matcher compiler's first error in pydantic's terms)."""
    (work / "mine.yaml").write_text(
        "extend: default\nrules:\n"
        "  - id: Q04.my-pattern\n    question: Q4\n    kind: pattern\n    message: Cold homes.\n    weight: heavy\n"
        "    patterns:\n"
        "      - [{LOWERR: cold}, {LOWER: homes}]\n"
        "      - [{LOWER: cold, OP: '#'}, {LOWER: {NOTIN: [x]}}]\n"
        "      - [{LOWER: {REGEX: '('}}]\n"
        "      - [{LOWER: cold}, {LOWER: {NOT_IN: ['.']}, OP: '{0,20}'}, {LOWER: homes}]\n"
        "    examples: {met: ['We will warm cold homes.']}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "validate", "--rules", "mine.yaml"])
    assert result.exit_code == 2
    rule = " (rule Q04.my-pattern)"
    assert result.stderr.splitlines() == [
        "mine.yaml:7:5: rules[0].weight: must be a number" + rule,
        "mine.yaml:9:11: rules[0].patterns[0][0].LOWERR: unknown token attribute 'LOWERR'; did you mean LOWER?" + rule,
        "mine.yaml:10:24: rules[0].patterns[1][0].OP: '#' is not a valid value for OP "
        "(use !, ?, +, * or a count such as {2} or {1,3})" + rule,
        "mine.yaml:10:35: rules[0].patterns[1][1].LOWER: unknown operator 'NOTIN' in LOWER (did you mean NOT_IN?)" + rule,
        "mine.yaml:11:19: rules[0].patterns[2][0].LOWER.REGEX: invalid regular expression '(': "
        "missing ), unterminated subpattern at position 0" + rule,
        "mine.yaml:12:50: rules[0].patterns[3][1].OP: {0,20} makes the matcher try every way of filling up to 20 "
        "optional tokens (minutes on a long document); use * with a stop list such as {NOT_IN: [\".\", \";\"]} "
        "or a count of at most 8 optional tokens" + rule,
        "assure: 6 problems in mine.yaml",
    ]
    checked = runner.invoke(app, ["check", "plan.md", "--rules", "mine.yaml"])
    assert checked.exit_code == 2 and checked.stderr == result.stderr


def test_a_copy_of_the_built_in_rules_passes_the_pattern_check(work: Path) -> None:
    """The built-in file's patterns are not checked at load (spaCy's import costs); a copy's are."""
    shutil.copy(default_rules_path(), work / "copy.yaml")
    result = runner.invoke(app, ["rules", "validate", "--rules", "copy.yaml"])
    assert result.exit_code == 0 and result.stdout.startswith("ok: "), result.output


def test_an_unquoted_off_in_a_pattern_word_list_is_explained(work: Path) -> None:
    """YAML reads `off` as false: a word list [fall, off] is no list of words, and the message says why."""
    (work / "mine.yaml").write_text(
        "extend: default\nexclusions:\n  - id: fall-off\n    description: d\n    patterns:\n"
        "      - [{LOWER: {IN: [fall, off]}}]\n    examples: ['fall off']\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "validate", "--rules", "mine.yaml"])
    assert result.exit_code == 2
    assert "quote on, off, yes and no in a word list (YAML reads them as true and false)" in result.stderr


def test_an_exclusion_excepting_an_unknown_rule_is_a_problem(work: Path) -> None:
    text = default_rules_path().read_text(encoding="utf-8").replace(
        "except_rules: [Q08.housing-money]", "except_rules: [Q08.no-such-rule]"
    )
    (work / "rules.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", "--rules", "rules.yaml", "--format", "json"])
    assert result.exit_code == 2
    assert [p["message"] for p in json.loads(result.stdout)] == ["'Q08.no-such-rule' is not a rule"]
