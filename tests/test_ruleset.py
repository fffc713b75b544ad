"""Questions and rules validation: every error names the file and the key path."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from assure.engine import compile_rules
from assure.errors import ConfigError, ConfigProblems
from assure.resources import default_questions_dir, default_rules_path
from assure.ruleset import load_ruleset


@pytest.fixture(scope="module")
def base_rules() -> dict[str, Any]:
    return yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _error(rules: Path | None = None, questions: Path | None = None) -> str:
    with pytest.raises(ConfigError) as err:
        load_ruleset(rules, questions)
    return str(err.value)


def test_builtin_rules_load_and_compile() -> None:
    rs = load_ruleset()
    assert [q.id for q in rs.questions] == [f"Q{i}" for i in range(1, 11)]
    assert all(rs.rules_for(q.id) for q in rs.questions)
    assert compile_rules(rs) is compile_rules(rs)  # compiled once per process
    assert load_ruleset().fingerprint == rs.fingerprint  # same inputs, same fingerprint


def test_schema_error_names_file_and_key_path(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"][3]["kind"] = "regex"
    path = _write(tmp_path, data)
    message = _error(path)
    assert str(path) in message
    assert "rules[3].kind" in message and "regex" in message


def test_missing_required_key(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    del data["rules"][0]["message"]
    message = _error(_write(tmp_path, data))
    assert "rules[0]" in message and "'message' is required" in message


def test_unknown_top_level_key(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["colour"] = "blue"
    assert "colour" in _error(_write(tmp_path, data))


def test_bad_yaml_gives_line_number(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nrules:\n  - id: Q01.x\n    question: Q1\n    kind: [phrase\n", encoding="utf-8")
    message = _error(path)
    assert str(path) in message and "invalid YAML" in message
    assert f"{path}:6:1: invalid YAML" in message or f"{path}:5:" in message


def test_top_level_must_be_mapping(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "expected a mapping" in _error(path)


def test_unknown_signal(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"][2]["met_when"] = [["commitment", "telepathy"]]
    message = _error(_write(tmp_path, data))
    assert "rules[2].met_when[0]" in message and "unknown signal 'telepathy'" in message


def test_unknown_rule_key_is_rejected(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    # every global exclusion applies to every rule, so a per-rule list is not a key
    data = copy.deepcopy(base_rules)
    data["rules"][1]["exclusions"] = ["home-not-housing"]
    message = _error(_write(tmp_path, data))
    assert "rules[1]" in message and "exclusions" in message


def test_met_needs_names_a_rule_of_its_question(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    # regression: a typo in met_needs silently stopped a question from ever being met
    data = copy.deepcopy(base_rules)
    data["questions"] = {"Q1": {"met_needs": ["Q01.no-such-rule"]}}
    assert "questions.Q1.met_needs[0]: 'Q01.no-such-rule' is not a rule of Q1" in _error(_write(tmp_path, data))


def test_duplicate_rule_ids(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"].append(copy.deepcopy(data["rules"][0]))
    n = len(data["rules"]) - 1
    message = _error(_write(tmp_path, data))
    assert f"rules[{n}].id: duplicate rule id {data['rules'][0]['id']}" in message


def test_rule_id_must_match_question(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"][0]["question"] = "Q2"
    assert "must start with its question id" in _error(_write(tmp_path, data))


def test_rule_for_unknown_question(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"][0]["question"] = "Q42"
    data["rules"][0]["id"] = "Q42.answer"
    assert "rules[0].question: Q42 is not a loaded question" in _error(_write(tmp_path, data))


def test_rule_needs_examples(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"][0]["examples"] = {"met": [], "partial": [], "gap": []}
    assert "rules[0].examples: every rule needs at least one example sentence" in _error(_write(tmp_path, data))


def test_cooccur_rule_needs_near(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    idx = next(i for i, r in enumerate(data["rules"]) if r["kind"] == "cooccur")
    data["rules"][idx]["near"] = {"window": 5}
    assert f"rules[{idx}].near: a cooccur rule needs near terms" in _error(_write(tmp_path, data))


def test_question_without_rule(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    data["rules"] = [r for r in data["rules"] if r["question"] != "Q7"]
    assert "question Q7 has no rule" in _error(_write(tmp_path, data))


def test_invalid_spacy_pattern_is_config_error(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    idx = next(i for i, r in enumerate(data["rules"]) if r["kind"] == "phrase")
    data["rules"][idx]["patterns"] = [[{"LOWERR": "housing"}]]
    with pytest.raises(ConfigError) as err:  # the schema allows any object; spaCy's validator decides, at load
        load_ruleset(_write(tmp_path, data))
    message = str(err.value)
    assert message.startswith(str(tmp_path / "rules.yaml") + ":")
    assert f"rules[{idx}].patterns[0][0].LOWERR: unknown token attribute 'LOWERR'; did you mean LOWER?" in message


@pytest.mark.parametrize("word", ["co-located", "plan's", "no one"])
def test_a_word_the_tokenizer_splits_is_named_not_silently_dead(tmp_path: Path, base_rules: dict[str, Any], word: str) -> None:
    """{LOWER: "co-located"} never matched: the tokenizer reads "co", "-", "located" (35 such words sat in
    the built-in rules, among them "ring-fenced", "energy-efficient" and "self-refer")."""
    data = copy.deepcopy(base_rules)
    idx = next(i for i, r in enumerate(data["rules"]) if r["kind"] == "phrase")
    data["rules"][idx]["patterns"] = [[{"LOWER": {"IN": ["based", word]}}, {"LOWER": "in"}]]
    with pytest.raises(ConfigError) as err:
        compile_rules(load_ruleset(_write(tmp_path, data)))
    message = str(err.value)
    assert f"{word!r} never matches: the tokenizer splits it into" in message and message.startswith(str(tmp_path))


@pytest.mark.parametrize("lemma", ["funds", "NHS"])
def test_a_lemma_no_word_has_is_named(tmp_path: Path, base_rules: dict[str, Any], lemma: str) -> None:
    """{LEMMA: "funds"} never matched: every "funds" has the lemma "fund", and lemmas are lower case."""
    data = copy.deepcopy(base_rules)
    idx = next(i for i, r in enumerate(data["rules"]) if r["kind"] == "phrase")
    data["rules"][idx]["patterns"] = [[{"LEMMA": {"IN": ["fund", lemma]}}, {"LOWER": "housing"}]]
    with pytest.raises(ConfigError, match=rf"'{lemma}' never matches: no word has it as its lemma"):
        compile_rules(load_ruleset(_write(tmp_path, data)))


def test_a_word_a_casing_keeps_whole_is_not_reported(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    data = copy.deepcopy(base_rules)
    idx = next(i for i, r in enumerate(data["rules"]) if r["kind"] == "phrase")
    data["rules"][idx]["patterns"] = [[{"LOWER": {"IN": ["st.", "dr."]}}, {"IS_TITLE": True}]]
    compile_rules(load_ruleset(_write(tmp_path, data)))


def test_rules_file_not_found(tmp_path: Path) -> None:
    message = _error(tmp_path / "missing.yaml")
    assert "missing.yaml" in message and "file not found" in message


# ------------------------------------------------------------------ questions
@pytest.fixture()
def questions_copy(tmp_path: Path) -> Path:
    target = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), target)
    return target


def test_question_schema_error_names_file_and_key(questions_copy: Path) -> None:
    f = sorted(questions_copy.glob("q03-*.yaml"))[0]
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["examples"]["met"] = "not a list"
    f.write_text(yaml.safe_dump(data), encoding="utf-8")
    message = _error(None, questions_copy)
    assert str(f) in message and "examples.met" in message


def test_question_missing_examples_category(questions_copy: Path) -> None:
    f = sorted(questions_copy.glob("q05-*.yaml"))[0]
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    del data["examples"]["gap"]
    f.write_text(yaml.safe_dump(data), encoding="utf-8")
    message = _error(None, questions_copy)
    assert str(f) in message and "'gap' is required" in message


def test_duplicate_question_ids(questions_copy: Path) -> None:
    src = sorted(questions_copy.glob("q01-*.yaml"))[0]
    shutil.copy(src, questions_copy / "q99-copy.yaml")
    message = _error(None, questions_copy)
    assert "q99-copy.yaml" in message and "id: Q1 already defined in" in message


def test_questions_folder_errors(tmp_path: Path) -> None:
    assert "questions folder not found" in _error(None, tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    assert "no question files" in _error(None, tmp_path / "empty")


def test_select_questions() -> None:
    rs = load_ruleset()
    sub = rs.select(["q4", "Q6"])
    assert [q.id for q in sub.questions] == ["Q4", "Q6"]
    assert {r.question for r in sub.rules} == {"Q4", "Q6"}
    with pytest.raises(ConfigError, match="unknown question id"):
        rs.select(["Q11"])


PATTERN_RULE = {
    "id": "Q05.accessible-standard",
    "question": "Q5",
    "kind": "pattern",
    "message": "a share of new homes built to accessible or wheelchair standards",
    "patterns": [[{"LIKE_NUM": True}, {"LOWER": {"IN": ["%", "per", "percent"]}}, {"LOWER": "cent", "OP": "?"},
                  {"LOWER": "of", "OP": "?"}, {"IS_ALPHA": True, "OP": "{0,6}"},
                  {"LOWER": {"IN": ["wheelchair", "accessible", "adaptable"]}}]],
    "examples": {"met": ["We will require 10% of new homes to be wheelchair accessible by 2026."],
                 "gap": ["The leisure centre is wheelchair accessible."]},
}


def test_pattern_rule_compiles_and_matches(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    """A `kind: pattern` rule (the example in docs/rule-authoring.md) loads, compiles and passes its examples."""
    from assure.ruletest import run_examples

    data = copy.deepcopy(base_rules)
    data["rules"].append(copy.deepcopy(PATTERN_RULE))
    rs = load_ruleset(_write(tmp_path, data))
    compile_rules(rs)
    outcome = run_examples(rs)
    assert [f for f in outcome.failures if f.owner == PATTERN_RULE["id"]] == []


def test_cue_rules_must_name_rules(tmp_path: Path, base_rules: dict[str, Any]) -> None:
    """A cue limited to rules (`rules:`) must name rules that exist."""
    data = copy.deepcopy(base_rules)
    data["context"]["cues"][0]["rules"] = ["Q05.no-such-rule"]
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError, match=r"context\.cues\[0\]\.rules\[0\]: 'Q05.no-such-rule' is not a rule"):
        load_ruleset(path)


# -- the built-in rules are validated once, not on every run (assure/trusted.py) --------------


def test_the_recorded_digest_is_of_the_built_in_rules_and_questions_as_they_are() -> None:
    """Fails after an edit to rules.yaml, questions/ or their schemas: run
    `python -m assure.trusted` (it validates them in full, then records the digest)."""
    from assure.trusted import DIGEST_FILE, builtin_digest

    assert DIGEST_FILE.read_text(encoding="ascii").strip() == builtin_digest(default_rules_path(), default_questions_dir()), (
        "the built-in rules or questions changed: run `python -m assure.trusted`"
    )


def test_the_trusted_load_gives_the_same_ruleset_as_a_full_validation() -> None:
    from assure.trusted import validated_builtin

    assert validated_builtin(default_rules_path(), default_questions_dir()) is not None  # the shortcut is taken
    assert load_ruleset() == load_ruleset(trust=False)


def test_an_edited_parsed_copy_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """builtin.json (the built-in files as parsed when validated) is covered by the digest: a
    copy edited alone sends the run back to the YAML, validated in full."""
    import assure.trusted as trusted

    parsed = tmp_path / "builtin.json"
    parsed.write_bytes(trusted.PARSED_FILE.read_bytes().replace(b'"Q1"', b'"Q11"', 1))
    monkeypatch.setattr(trusted, "PARSED_FILE", parsed)
    assert trusted.validated_builtin(default_rules_path(), default_questions_dir()) is None
    assert load_ruleset() == load_ruleset(trust=False)


def _copy_builtin(tmp_path: Path) -> tuple[Path, Path]:
    rules, questions = tmp_path / "rules.yaml", tmp_path / "questions"
    shutil.copy(default_rules_path(), rules)
    shutil.copytree(default_questions_dir(), questions)
    return rules, questions


def test_only_the_exact_validated_bytes_skip_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built-in files edited in place (an editable install, a patched site-packages) no longer
    match the digest, so their problems are reported as for any user's file."""
    import assure.trusted as trusted

    rules, questions = _copy_builtin(tmp_path)
    monkeypatch.setattr(trusted, "default_rules_path", lambda: rules)
    monkeypatch.setattr(trusted, "default_questions_dir", lambda: questions)
    digest = tmp_path / "builtin.sha256"
    monkeypatch.setattr(trusted, "DIGEST_FILE", digest)
    digest.write_text(trusted.builtin_digest(rules, questions) + "\n", encoding="ascii")
    assert trusted.is_validated_builtin(rules, questions)
    (questions / "q01-vision-outcomes.yaml").write_text(
        (questions / "q01-vision-outcomes.yaml").read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8"
    )
    assert not trusted.is_validated_builtin(rules, questions)
    with pytest.raises(ConfigProblems, match="surprise"):
        load_ruleset(rules, questions)


def test_a_users_copy_of_the_built_in_rules_is_validated(tmp_path: Path) -> None:
    from assure.trusted import is_validated_builtin

    rules, questions = _copy_builtin(tmp_path)
    assert not is_validated_builtin(rules, questions)
    rules.write_text(rules.read_text(encoding="utf-8").replace("kind: phrase", "kind: phrases", 1), encoding="utf-8")
    with pytest.raises(ConfigProblems, match="phrases"):
        load_ruleset(rules, questions)
