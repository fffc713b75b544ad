"""Rule selection on ruff's model (select, extend_select, ignore, per_file_ignores; config and
flags) and rules files that extend the built-in rules (extend:), through the CLI on the
bundled samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from assure.cache import cache_key
from assure.cli import app
from assure.config import Config
from assure.resources import default_rules_path, schema_path
from assure.ruleset import load_ruleset
from assure.runner import CheckOptions
from assure.selection import Ask, Request, request_from, select_rules

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MIXED, STRONG, WEAK = (str(SAMPLES / f"{name}.pdf") for name in ("mixed", "strong", "weak"))


def invoke(args: list[str], cwd: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None):  # noqa: ANN201
    if cwd is not None and monkeypatch is not None:
        monkeypatch.chdir(cwd)
    env = {"NO_COLOR": None, "FORCE_COLOR": None, "ASSURE_CONFIG": None}
    return CliRunner().invoke(app, args, env=env)


def check_json(*args: str, cwd: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> dict:
    result = invoke(["check", "-f", "json", "-j", "1", *args], cwd, monkeypatch)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def verdicts(doc: dict) -> dict[str, str]:
    return {q["id"]: q["status"] for q in doc["questions"]}


def question(doc: dict, qid: str) -> dict:
    return next(q for q in doc["questions"] if q["id"] == qid)


# --- select / ignore ----------------------------------------------------------------------


def test_default_selection_has_no_record_and_every_question() -> None:
    data = check_json(MIXED)
    assert "selection" not in data
    assert len(verdicts(data["documents"][0])) == 10


def test_ignore_question_drops_it_and_is_recorded() -> None:
    data = check_json(MIXED, "--ignore", "q04")
    got = verdicts(data["documents"][0])
    assert "Q4" not in got and len(got) == 9
    assert data["selection"]["ignore"] == ["Q4"] and "Q4" not in data["selection"]["assessed"]
    validator = jsonschema.Draft202012Validator(json.loads(schema_path("report.schema.json").read_text(encoding="utf-8")))
    assert list(validator.iter_errors(data)) == []


def test_ignoring_the_rules_behind_the_evidence_turns_met_into_gap() -> None:
    before = question(check_json(MIXED)["documents"][0], "Q4")
    assert before["status"] == "met"
    assert {e["rule"] for e in before["evidence"]} == {"Q04.cold-damp-hazards"}  # also Q04.home-energy's, shown once
    data = check_json(MIXED, "--ignore", "Q4.COLD-DAMP-HAZARDS,q04.home-energy")  # Q4 or Q04, any case
    after = question(data["documents"][0], "Q4")
    assert after["status"] == "gap" and after["evidence"] == []
    assert data["selection"]["rules_off"] == ["Q04.cold-damp-hazards", "Q04.home-energy"]
    assert verdicts(data["documents"][0])["Q2"] == verdicts(check_json(MIXED)["documents"][0])["Q2"]


def test_select_a_rule_keeps_only_its_question_assessed_by_that_rule() -> None:
    data = check_json(STRONG, "--select", "Q04.falls-hazards")
    doc = data["documents"][0]
    assert list(verdicts(doc)) == ["Q4"]
    assert {e["rule"] for e in question(doc, "Q4")["evidence"]} == {"Q04.falls-hazards"}
    assert data["selection"]["rules_off"] == ["Q04.cold-damp-hazards", "Q04.home-energy"]


def test_flags_repeat_and_take_commas_and_intersect_with_question() -> None:
    assert list(verdicts(check_json(WEAK, "--select", "q6,Q4", "--select", "Q10")["documents"][0])) == ["Q4", "Q6", "Q10"]
    assert list(verdicts(check_json(WEAK, "--select", "Q4,Q6", "--question", "Q6")["documents"][0])) == ["Q6"]
    assert list(verdicts(check_json(WEAK, "--select", "Q4", "--extend-select", "Q5")["documents"][0])) == ["Q4", "Q5"]
    # ignore wins over select
    assert list(verdicts(check_json(WEAK, "--select", "Q4,Q5", "--ignore", "Q5")["documents"][0])) == ["Q4"]


def test_cli_select_replaces_the_config_and_ignore_adds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "assure.yaml").write_text("select: [Q1, Q2]\nextend-select: [Q3]\nignore: [Q2]\n", encoding="utf-8")
    assert list(verdicts(check_json(WEAK, cwd=tmp_path, monkeypatch=monkeypatch)["documents"][0])) == ["Q1", "Q3"]
    data = check_json(WEAK, "--select", "Q2,Q5", "--ignore", "Q5", "--extend-select", "Q6", cwd=tmp_path, monkeypatch=monkeypatch)
    assert list(verdicts(data["documents"][0])) == ["Q6"]  # --select drops the config's select and extend_select
    assert data["selection"]["ignore"] == ["Q2", "Q5"]


def test_a_question_left_with_no_rule_is_dropped_and_said_once() -> None:
    every_q4_rule = "Q04.cold-damp-hazards,Q04.home-energy,Q04.falls-hazards"
    result = invoke(["check", MIXED, "-f", "json", "-j", "1", "--ignore", every_q4_rule])
    assert "Q4" not in verdicts(json.loads(result.stdout)["documents"][0])
    assert result.stderr.count("Q4: every selected rule of it is ignored") == 1
    quiet = invoke(["check", MIXED, "-q", "-f", "json", "-j", "1", "--ignore", every_q4_rule])
    assert quiet.stderr == ""


@pytest.mark.parametrize(("args", "message"), [
    (["--ignore", "Q04.no-such-rule"], "assure: --ignore: unknown rule Q04.no-such-rule"),
    (["--select", "Q11"], "assure: --select: unknown question Q11"),
    (["--extend-select", "Q4,housing"], "assure: --extend-select: 'housing' is not a question id"),
    (["--question", "Q12"], "assure: command line (--question): unknown question Q12"),
])
def test_unknown_id_on_the_command_line_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = invoke(["check", WEAK, *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize(("text", "key"), [
    ("ignore: [Q04.nope]\n", ":1:10: ignore[0]: unknown rule Q04.nope"),
    ("select: [Q4, Q99]\n", ":1:14: select[1]: unknown question Q99"),
    ("per_file_ignores:\n  'never/*.pdf': [Q03.nope]\n", ":2:19: per_file_ignores.never/*.pdf[0]: unknown rule Q03.nope"),
    ("ignore: [Q4-cold]\n", ":1:10: ignore[0]: 'Q4-cold' is not valid: A question id"),  # a schema problem
])
def test_unknown_id_in_the_config_names_the_file_line_and_key(tmp_path: Path, text: str, key: str) -> None:
    config = tmp_path / "assure.yaml"
    config.write_text(text, encoding="utf-8")
    result = invoke(["check", WEAK, "-c", str(config)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{config}{key}"), result.stderr


def test_every_unknown_id_in_the_config_is_listed_at_once(tmp_path: Path) -> None:
    """Unknown ids in every selection key and in the fail policy: one line each, at the item,
    with the nearest real id when one is close; `rules validate` lists the same lines."""
    config = tmp_path / "assure.yaml"
    config.write_text(
        "select: [Q4, Q44]\nignore:\n  - Q04.cold-damp-hazard\n  - Q5.nothing-like-this\n"
        "extend_select: [Q04.falls-hazards]\nper_file_ignores:\n  'drafts/*': [Q4, Q3.nope]\n"
        "per_question:\n  Q12: {fail_on: partial}\n  Q4: {fail_on: partial}\n"
        "suppressions:\n  - question: Q77\n    reason: accepted\n  - question: '*'\n    reason: all\n",
        encoding="utf-8",
    )
    expected = [
        f"{config}:1:14: select[1]: unknown question Q44 (the rules have Q1 to Q10); did you mean Q4?",
        f"{config}:3:5: ignore[0]: unknown rule Q04.cold-damp-hazard (assure rules list shows the rule ids); "
        "did you mean Q04.cold-damp-hazards?",
        f"{config}:4:5: ignore[1]: unknown rule Q5.nothing-like-this (assure rules list shows the rule ids)",
        f"{config}:7:20: per_file_ignores.drafts/*[1]: unknown rule Q3.nope (assure rules list shows the rule ids)",
        f"{config}:9:3: per_question.Q12: unknown question Q12 (the rules have Q1 to Q10)",
        f"{config}:12:5: suppressions[0].question: unknown question Q77 (the rules have Q1 to Q10); did you mean Q7?",
        f"assure: 6 problems in {config}",
    ]
    result = invoke(["check", WEAK, "-c", str(config)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == expected
    validated = invoke(["rules", "validate", "-c", str(config)])
    assert validated.exit_code == 2 and validated.stderr.splitlines() == expected


def test_unknown_ids_in_pyproject_give_the_line(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.assure]\nignore = ["Q4", "Q04.falls-hazard"]\n\n[tool.assure.per_question.Q13]\nfail_on = "gap"\n',
        encoding="utf-8",
    )
    result = invoke(["check", WEAK, "-c", str(pyproject)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{pyproject}:2: ignore[1]: unknown rule Q04.falls-hazard (assure rules list shows the rule ids); "
        "did you mean Q04.falls-hazards?",
        f"{pyproject}:4: per_question.Q13: unknown question Q13 (the rules have Q1 to Q10)",
        f"assure: 2 problems in {pyproject}",
    ]


def test_unknown_ids_in_flags_are_listed_at_once_naming_the_flags() -> None:
    result = invoke(["check", WEAK, "--select", "Q44", "--ignore", "Q4.cold-damp-hazard,Q4"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "assure: --ignore: unknown rule Q4.cold-damp-hazard (assure rules list shows the rule ids); "
        "did you mean Q04.cold-damp-hazards?",
        "assure: --select: unknown question Q44 (the rules have Q1 to Q10); did you mean Q4?",
        "assure: 2 problems in the command line",
    ]


def test_config_show_lists_the_selection_keys_with_sources(tmp_path: Path) -> None:
    config = tmp_path / "assure.yaml"
    config.write_text("ignore: [Q9]\nper-file-ignores:\n  'drafts/*': [Q04.falls-hazards]\n", encoding="utf-8")
    result = invoke(["config", "show", "-c", str(config), "-f", "json"])
    values = json.loads(result.stdout)["values"]
    assert values["ignore"] == {"value": ["Q9"], "source": str(config)}
    assert values["per_file_ignores"]["value"] == {"drafts/*": ["Q04.falls-hazards"]}
    assert values["select"] == {"value": None, "source": "default"} and values["extend_select"]["value"] == []
    text = invoke(["config", "show", "-c", str(config)]).stdout
    assert "select: null  # default (everything)" in text and f'ignore: ["Q9"]  # {config}' in text


# --- per_file_ignores ---------------------------------------------------------------------


def test_per_file_ignores_apply_only_to_the_matching_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("drafts", "final"):
        (tmp_path / folder).mkdir()
        shutil.copy(MIXED, tmp_path / folder / "plan.pdf")
    (tmp_path / "assure.yaml").write_text(
        "per_file_ignores:\n  'drafts/*.pdf': [Q04.cold-damp-hazards, Q04.home-energy, Q2]\n", encoding="utf-8"
    )
    data = check_json("final/plan.pdf", "drafts/plan.pdf", "-j", "2", cwd=tmp_path, monkeypatch=monkeypatch)
    final, draft = (verdicts(d) for d in data["documents"])
    assert final["Q4"] == "met" and final["Q2"] == "met" and len(final) == 10
    assert draft["Q4"] == "gap" and "Q2" not in draft and len(draft) == 9
    assert data["selection"]["per_file_ignores"] == {"drafts/*.pdf": ["Q04.cold-damp-hazards", "Q04.home-energy", "Q2"]}
    assert {k: v for k, v in draft.items()} == {k: v for k, v in final.items() if k not in ("Q2", "Q4")} | {"Q4": "gap"}


def test_files_sharing_a_selection_share_one_ruleset() -> None:
    ruleset = load_ruleset()
    request = Request(per_file_ignores=(("a*.pdf", (Ask("Q4", "test"),)), ("b*.pdf", (Ask("Q9", "test"),))))
    chosen = select_rules(ruleset, request, ["a1.pdf", "a2.pdf", "c.pdf", "ab.pdf"]).ruleset
    assert chosen.for_path("c.pdf") is chosen and chosen.for_path("a1.pdf") is chosen.for_path("a2.pdf")
    assert "Q4" not in [q.id for q in chosen.for_path("a1.pdf").questions]
    assert len(chosen.variants()) == 2  # ab.pdf matches only a*.pdf (fnmatch), the same as a1
    both = select_rules(ruleset, request, ["ab.pdf", "b.pdf", "bab.pdf"]).ruleset
    assert len(both.variants()) == 3  # these rules, without Q4 (a*), without Q9 (b*)
    assert both.for_path("b.pdf") is both.for_path("bab.pdf") is not both.for_path("ab.pdf")


def test_per_file_ignores_that_leave_a_file_nothing_say_so() -> None:
    """Regression (new-user trial, 2026-12-07): every question ignored for a file passed it silently
    (an empty table, exit 0); the check now notes that those files pass unassessed."""
    request = Request(questions=(Ask("Q1", "test"),), per_file_ignores=(("annexes/*.pdf", (Ask("Q1", "test"),)),))
    selected = select_rules(load_ruleset(), request, ["annexes/a.pdf", "plan.pdf"])
    assert "files matching annexes/*.pdf: per_file_ignores leaves no question to assess there, so they pass unassessed" in (
        selected.notes
    )
    assert not select_rules(load_ruleset(), request, ["plan.pdf"]).notes


# --- cache keys ---------------------------------------------------------------------------


def test_cache_keys_differ_when_the_selection_differs() -> None:
    ruleset = load_ruleset()
    full = cache_key("a" * 64, ruleset, CheckOptions())
    ignored = select_rules(ruleset, request_from(Config(), ignore=["Q04.falls-hazards"])).ruleset
    other = select_rules(ruleset, request_from(Config(), ignore=["Q04.cold-damp-hazards"])).ruleset
    keys = {full, cache_key("a" * 64, ignored, CheckOptions()), cache_key("a" * 64, other, CheckOptions())}
    assert len(keys) == 3
    again = select_rules(ruleset, request_from(Config(), ignore=["Q4.FALLS-HAZARDS"])).ruleset
    assert cache_key("a" * 64, again, CheckOptions()) == cache_key("a" * 64, ignored, CheckOptions())


def test_cache_never_returns_a_result_made_with_another_selection(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert question(check_json(MIXED, "--cache", str(cache))["documents"][0], "Q4")["status"] == "met"
    narrowed = check_json(MIXED, "--cache", str(cache), "--ignore", "Q04.cold-damp-hazards,Q04.home-energy")
    assert question(narrowed["documents"][0], "Q4")["status"] == "gap"
    assert question(check_json(MIXED, "--cache", str(cache))["documents"][0], "Q4")["status"] == "met"


# --- extend: ------------------------------------------------------------------------------

WINTER_RULE = """\
extend: default
rules:
  - id: Q04.winter-hardship
    question: Q4
    kind: phrase
    message: winter hardship of older residents
    terms: ["winter can be a difficult time"]
    examples:
      partial: ["We recognise that winter can be a difficult time for older residents."]
"""


def test_extending_file_adds_a_rule_that_finds_new_evidence(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(WINTER_RULE, encoding="utf-8")
    assert question(check_json(WEAK)["documents"][0], "Q4")["status"] == "gap"
    q4 = question(check_json(WEAK, "--rules", str(mine))["documents"][0], "Q4")
    assert q4["status"] == "partial" and {e["rule"] for e in q4["evidence"]} == {"Q04.winter-hardship"}
    # config rules: works the same; the new rule can be selected like a built-in one
    (tmp_path / "assure.yaml").write_text("rules: mine.yaml\nselect: [Q04.winter-hardship]\n", encoding="utf-8")
    data = check_json(WEAK, "-c", str(tmp_path / "assure.yaml"))
    assert verdicts(data["documents"][0]) == {"Q4": "partial"}


def test_extending_file_validates_lists_and_runs_every_example(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(WINTER_RULE, encoding="utf-8")
    built_in = len(load_ruleset().rules)
    validate = invoke(["rules", "validate", "--rules", str(mine)])
    assert validate.exit_code == 0 and f"{built_in + 1} rules" in validate.stdout
    assert "Q04.winter-hardship" in invoke(["rules", "list", "--rules", str(mine)]).stdout
    tested = invoke(["rules", "test", "--rules", str(mine), "-f", "json"])
    assert tested.exit_code == 0, tested.stdout
    alone = invoke(["rules", "test", "-f", "json"])
    assert json.loads(tested.stdout)["passed"] == json.loads(alone.stdout)["passed"] + 1


def test_overriding_a_built_in_rule_by_id_changes_its_message(tmp_path: Path) -> None:
    built_in = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    rule = next(r for r in built_in["rules"] if r["id"] == "Q04.cold-damp-hazards")
    rule["message"] = "homes that are cold or damp (our wording)"
    mine = tmp_path / "mine.yaml"
    mine.write_text(yaml.safe_dump({"extend": "default", "rules": [rule]}), encoding="utf-8")
    q4 = question(check_json(MIXED, "--rules", str(mine))["documents"][0], "Q4")
    assert q4["status"] == "met" and "homes that are cold or damp (our wording)" in q4["finding"]
    assert len(load_ruleset(mine).rules) == len(load_ruleset().rules)  # replaced, not added


def test_chain_of_files_merges_and_fingerprint_covers_every_file(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(WINTER_RULE, encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text("extend: team.yaml\nsignals:\n  owner:\n    terms: [the steering group]\n", encoding="utf-8")
    first = load_ruleset(mine)
    assert "Q04.winter-hardship" in [r.id for r in first.rules]
    owner = next(s for s in first.signals if s.name == "owner")
    assert owner.matchers.terms == ("the steering group",)  # replaced by name
    (tmp_path / "team.yaml").write_text(WINTER_RULE.replace("winter hardship", "winter hardship!"), encoding="utf-8")
    assert load_ruleset(mine).fingerprint != first.fingerprint


def test_context_cues_append_and_mappings_merge_key_by_key(tmp_path: Path) -> None:
    base = load_ruleset()
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "extend: default\nplaces: {footnote: 0}\nscoring: {partial_cap: 55}\n"
        "context:\n  cues:\n    - {category: deferred, effect: void, direction: forward, terms: [in a later phase],"
        " examples: [\"We will insulate homes in a later phase.\"]}\n",
        encoding="utf-8",
    )
    merged = load_ruleset(mine)
    assert len(merged.context.cues) == len(base.context.cues) + 1
    assert merged.context.cues[-1].matchers.terms == ("in a later phase",)
    assert merged.place_weights["footnote"] == 0 and merged.place_weights["heading"] == base.place_weights["heading"]
    assert merged.scoring.partial_cap == 55 and merged.scoring.met_base == base.scoring.met_base


@pytest.mark.parametrize(("files", "message"), [
    ({"a.yaml": "extend: b.yaml\n", "b.yaml": "extend: a.yaml\n"}, "extend: cycle: "),
    ({"a.yaml": "extend: missing.yaml\n"}, "extend: missing.yaml: rules file not found"),
    ({"a.yaml": "extend: default\nrules:\n  - {id: Q04.x, question: Q4, kind: phrase, message: m, terms: [a]}\n"},
     "rules[0]: 'examples' is required"),
])
def test_extend_errors_are_one_line_exit_2(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = invoke(["rules", "validate", "--rules", str(tmp_path / "a.yaml")])
    lines = result.stderr.splitlines()  # the problem, then validate's count line
    assert result.exit_code == 2 and len(lines) == 2 and message in lines[0], result.stderr
    assert lines[1].startswith("assure: 1 problem in ")
    if "cycle" in message:
        assert "a.yaml -> " in result.stderr and "b.yaml" in result.stderr


def test_errors_name_the_file_of_the_chain_the_entry_came_from(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(WINTER_RULE, encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "extend: team.yaml\nrules:\n  - id: Q04.bad\n    question: Q4\n    kind: phrase\n    message: m\n"
        "    terms: [x]\n    met_when: [[no-such-signal]]\n    examples: {gap: [nothing here]}\n",
        encoding="utf-8",
    )
    result = invoke(["rules", "validate", "--rules", str(mine)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{mine}:8:17: rules[0].met_when[0][0]: unknown signal 'no-such-signal' (rule Q04.bad)\nassure: 1 problem in {mine}\n"
    )
    pattern = tmp_path / "pattern.yaml"
    pattern.write_text(
        "extend: team.yaml\nrules:\n  - id: Q04.bad\n    question: Q4\n    kind: pattern\n    message: m\n"
        "    patterns: [[{NOT_AN_ATTR: x}]]\n    examples: {gap: [nothing here]}\n",
        encoding="utf-8",
    )
    result = invoke(["rules", "validate", "--rules", str(pattern)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{pattern}:7:18: rules[0].patterns[0][0].NOT_AN_ATTR: unknown token attribute 'NOT_AN_ATTR' (rule Q04.bad)\n"
        f"assure: 1 problem in {pattern}\n"
    )


def test_an_output_never_overwrites_a_file_of_the_chain(tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(WINTER_RULE, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text("extend: team.yaml\n", encoding="utf-8")
    result = invoke(["check", WEAK, "--rules", str(tmp_path / "mine.yaml"), "-f", f"json:{team}"])
    assert result.exit_code == 2 and "refusing to write over an input" in result.stderr
    assert team.read_text(encoding="utf-8") == WINTER_RULE


def test_baseline_write_takes_the_selection_flags(tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    result = invoke(["baseline", "write", WEAK, "-o", str(out), "--ignore", "Q4", "--select", "Q3,Q4,Q5"])
    assert result.exit_code == 0, result.stderr
    [doc] = json.loads(out.read_text(encoding="utf-8"))["documents"]
    assert [q["id"] for q in doc["questions"]] == ["Q3", "Q5"]


def test_selecting_a_question_whose_met_combines_other_questions_says_so() -> None:
    """Regression (a probe author's trial): `--explain --question Q2` read partial where the full check read met,
    because Q2's met combines its groups with an action under Q4-Q7 or Q10 (corroboration.across), which the
    selection had left out. The selection now says which questions to add."""
    ruleset = load_ruleset()
    notes = select_rules(ruleset, Request(questions=(Ask("Q2", "--question"),))).notes
    assert any(n.startswith("Q2: its met can combine") and "Q4, Q5, Q6, Q7, Q10 are not selected" in n for n in notes)
    with_actions = Request(questions=tuple(Ask(q, "--question") for q in ("Q2", "Q4", "Q5", "Q6", "Q7", "Q10")))
    assert not [n for n in select_rules(ruleset, with_actions).notes if n.startswith("Q2:")]
    assert select_rules(ruleset, Request()).notes == ()
