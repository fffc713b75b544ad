"""Config discovery order, validation errors, `assure config show`, and the fail policy
(fail levels, --fail-under, per-question overrides, suppressions with reasons)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from ci_fixtures import STRATEGY, clean_report
from typer.testing import CliRunner

from assure.cli import app
from assure.config import Config, QuestionPolicy, Suppression, apply_policy, evaluate, load_config
from assure.errors import ConfigError, ExitCode
from assure.runner import exit_code

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "weak.docx"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery ----------------------------------------------------------------------------

def test_defaults_when_nothing_found(tmp_path: Path) -> None:
    cfg = load_config(env={}, cwd=tmp_path)
    assert cfg == Config() and cfg.source("fail_on") == "default"


def test_discovery_order(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root / "assure.yaml", "fail_on: partial\n")
    deep = root / "drafts" / "2025"
    deep.mkdir(parents=True)
    # nearest assure.yaml walking up
    cfg = load_config(env={}, cwd=deep)
    assert cfg.fail_on == "partial" and cfg.found_by == "search" and cfg.source("fail_on") == str(root / "assure.yaml")
    # a nearer pyproject.toml with [tool.assure] wins over the farther assure.yaml
    write(root / "drafts" / "pyproject.toml", "[project]\nname='x'\n[tool.assure]\nfail_on = 'never'\nfail-under = 30\n")
    cfg = load_config(env={}, cwd=deep)
    assert (cfg.fail_on, cfg.fail_under) == ("never", 30) and cfg.source("fail_under").endswith("pyproject.toml [tool.assure]")
    # a pyproject.toml without [tool.assure] is passed over
    write(deep / "pyproject.toml", "[project]\nname='y'\n")
    assert load_config(env={}, cwd=deep).fail_on == "never"
    # $ASSURE_CONFIG beats discovery; --config beats $ASSURE_CONFIG
    env_file = write(tmp_path / "env.yaml", "fail_on: gap\nfail_under: 10\n")
    flag_file = write(tmp_path / "flag.yml", "fail_under: 90\n")
    cfg = load_config(env={"ASSURE_CONFIG": str(env_file)}, cwd=deep)
    assert (cfg.fail_on, cfg.fail_under, cfg.found_by) == ("gap", 10, "ASSURE_CONFIG")
    cfg = load_config(flag_file, env={"ASSURE_CONFIG": str(env_file)}, cwd=deep)
    assert (cfg.fail_on, cfg.fail_under, cfg.found_by) == ("gap", 90, "--config")
    assert cfg.source("fail_on") == "default"


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    write(tmp_path / "cfg" / "assure.yaml", "rules: packs/rules.yaml\nquestions_dir: packs/questions\nbaseline: ../b.json\n")
    cfg = load_config(env={}, cwd=tmp_path / "cfg")
    assert cfg.rules == str(tmp_path / "cfg" / "packs" / "rules.yaml")
    assert cfg.questions_dir == str(tmp_path / "cfg" / "packs" / "questions")
    assert cfg.baseline == str(tmp_path / "b.json")


@pytest.mark.parametrize("text, message", [
    ("fail_on: sometimes\n", "fail_on: 'sometimes' is not one of"),
    ("fail_under: 140\n", "fail_under: 140 is greater than the maximum of 100"),
    ("suppressions:\n  - question: Q7\n", "suppressions[0]: 'reason' is required"),
    ("suppressions:\n  - {question: Q7, reason: '   '}\n", "suppressions[0].reason"),
    ("per_question:\n  Q4: {fail_on: maybe}\n", "per_question.Q4.fail_on"),
    ("per_question:\n  X4: {fail_on: gap}\n", "per_question"),
    ("questions: [Q1, Q1]\n", "questions: ['Q1', 'Q1'] has non-unique elements"),
    ("fail_onn: gap\n", "fail_onn: unknown key; did you mean fail_on?"),
    ("colour: blue\n", "known keys: questions"),
    ("fail_on: [\n", "assure.yaml:2:1: invalid YAML: "),
    ("- just a list\n", "expected a mapping"),
])
def test_invalid_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "assure.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(env={}, cwd=tmp_path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml", env={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match=r"from ASSURE_CONFIG"):
        load_config(env={"ASSURE_CONFIG": "missing.yaml"}, cwd=tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.assure\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(env={}, cwd=tmp_path)


def test_flags_override_the_file(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / "b.yaml", "fail_on: partial\nquestions: [q04, Q10]\n"), env={}, cwd=tmp_path)
    assert cfg.questions == ("Q4", "Q10")
    cfg2 = cfg.with_overrides(fail_on="never", fail_under=None, questions=["q2"])
    assert (cfg2.fail_on, cfg2.questions) == ("never", ("Q2",))
    assert cfg2.source("fail_on") == "command line (--fail-on)" and cfg2.source("questions") == "command line (--question)"
    assert cfg2.source("fail_under") == "default"


# --- config show ---------------------------------------------------------------------------

def test_config_show_reports_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    write(tmp_path / "assure.yaml", "fail_on: partial\nsuppressions:\n  - {question: Q7, reason: covered elsewhere}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["config", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["config_file"] == str(tmp_path / "assure.yaml") and data["found_by"] == "search"
    assert data["values"]["fail_on"] == {"value": "partial", "source": str(tmp_path / "assure.yaml")}
    assert data["values"]["fail_under"] == {"value": None, "source": "default"}
    assert data["values"]["suppressions"]["value"] == [{"question": "Q7", "files": "*", "reason": "covered elsewhere"}]
    text = CliRunner().invoke(app, ["config", "show"]).stdout
    assert f'fail_on: "partial"  # {tmp_path / "assure.yaml"}' in text and "fail_under: null  # default" in text


def test_config_show_bad_config_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    write(tmp_path / "assure.yaml", "fail_on: sometimes\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "assure.yaml" in result.stderr and "Traceback" not in result.output


# --- the fail policy --------------------------------------------------------------------------

def outcomes(cfg: Config) -> dict[str | None, str]:
    return {f.question: f.outcome for f in evaluate(clean_report(), cfg)}


def test_fail_levels() -> None:
    # the fixture: Q2, Q3, Q6 partial; Q4, Q7, Q10 gap; Q9 unassessable
    assert outcomes(Config()) == {"Q4": "fail", "Q7": "fail", "Q10": "fail"}
    assert set(outcomes(Config(fail_on="partial"))) == {"Q2", "Q3", "Q4", "Q6", "Q7", "Q10"}
    assert outcomes(Config(fail_on="never")) == {}
    cfg = Config(fail_on="never", per_question=(("Q4", QuestionPolicy(fail_on="gap")), ("Q2", QuestionPolicy(fail_on="partial"))))
    assert outcomes(cfg) == {"Q2": "fail", "Q4": "fail"}
    cfg = Config(per_question=(("Q4", QuestionPolicy(fail_on="never")), ("Q1", QuestionPolicy(fail_under=90))))
    assert outcomes(cfg) == {"Q1": "fail", "Q7": "fail", "Q10": "fail"}
    assert outcomes(Config(fail_on="never", fail_under=35)) == {None: "fail"}  # score 34
    assert outcomes(Config(fail_on="never", fail_under=34)) == {}
    assert "Q9" not in outcomes(Config(fail_on="partial", per_question=(("Q9", QuestionPolicy(fail_under=50)),)))


def test_exit_code_follows_the_attached_policy() -> None:
    rep = clean_report()
    assert exit_code(apply_policy(rep, Config()), "gap") is ExitCode.FINDINGS
    assert apply_policy(rep, Config()) is rep  # the default policy leaves machine output unchanged
    assert exit_code(apply_policy(rep, Config(fail_on="never")), "never") is ExitCode.OK
    assert exit_code(apply_policy(rep, Config(fail_on="never", fail_under=50)), "never") is ExitCode.FINDINGS
    everything = Suppression(question="*", reason="accepted by the board", files="drafts/*")
    assert exit_code(apply_policy(rep, Config(suppressions=(everything,))), "gap") is ExitCode.OK


def test_suppressions_match_question_glob_and_quote(tmp_path: Path) -> None:
    def outcome(s: Suppression, cfg: Config | None = None) -> dict[str | None, str]:
        return {f.question: f.outcome for f in evaluate(clean_report(), replace(cfg or Config(fail_on="partial"), suppressions=(s,)))}

    assert outcome(Suppression("Q7", "covered by the discharge plan"))["Q7"] == "suppressed"
    assert outcome(Suppression("Q7", "r", files="drafts/*.pdf"))["Q7"] == "suppressed"
    assert outcome(Suppression("Q7", "r", files="other/*.pdf"))["Q7"] == "fail"
    assert outcome(Suppression("Q8", "r"))["Q7"] == "fail"
    # a quote pins the suppression to the evidence: it lapses once the text is gone
    assert outcome(Suppression("Q2", "r", quote="families in  TEMPORARY accommodation"))["Q2"] == "suppressed"
    assert outcome(Suppression("Q2", "r", quote="a sentence that is not there"))["Q2"] == "fail"
    # relative to the config file's folder
    cfg = Config(fail_on="partial", path=str(tmp_path / "assure.yaml"))
    doc = tmp_path / "drafts" / "strategy.pdf"
    rep = clean_report()
    rep = replace(rep, documents=(replace(rep.documents[0], path=str(doc)),))
    found = evaluate(rep, replace(cfg, suppressions=(Suppression("Q7", "r", files="drafts/strategy.pdf"),)))
    assert {f.question: f.outcome for f in found}["Q7"] == "suppressed"


def test_suppressed_findings_are_reported_not_hidden() -> None:
    from assure.report import get_formatter

    cfg = Config(suppressions=(Suppression("Q7", "Covered by the discharge plan"),))
    rep = apply_policy(clean_report(), cfg)
    data = json.loads(get_formatter("json")(rep))
    assert [q["id"] for q in data["documents"][0]["questions"]] == [f"Q{n}" for n in range(1, 11)]
    supp = [f for f in data["findings"] if f["outcome"] == "suppressed"]
    assert supp == [{"path": STRATEGY, "question": "Q7", "status": "gap", "score": 0, "why": "gap (fails on gap)",
                     "outcome": "suppressed", "note": "Covered by the discharge plan"}]
    assert "suppressed  drafts/strategy.pdf Q7: gap (Covered by the discharge plan)" in get_formatter("text")(rep)


# --- end to end through the CLI ---------------------------------------------------------------

@pytest.fixture(scope="module")
def weak_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The weak sample's JSON report, computed once (it has gaps and partials)."""
    out = tmp_path_factory.mktemp("weak") / "weak.json"
    result = CliRunner().invoke(app, ["check", str(SAMPLE), "--format", f"json:{out}", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return out


def test_cli_config_selects_questions_and_fail_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weak_report: Path) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    data = json.loads(weak_report.read_text())
    statuses = {q["id"]: q["status"] for q in data["documents"][0]["questions"]}
    gaps = sorted(q for q, s in statuses.items() if s == "gap")
    partials = sorted(q for q, s in statuses.items() if s == "partial")
    assert gaps and partials, statuses
    monkeypatch.chdir(tmp_path)
    # only the partial questions, failing on gap: exit 0; the --fail-on flag then overrides the file
    write(tmp_path / "assure.yaml", f"questions: {json.dumps(partials)}\nfail_on: gap\n")
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(SAMPLE), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [q["id"] for q in json.loads(result.stdout)["documents"][0]["questions"]] == sorted(partials, key=lambda q: int(q[1:]))
    assert runner.invoke(app, ["check", str(SAMPLE), "--fail-on", "partial"]).exit_code == 1
    # per-question override makes a partial fail; a suppression with a reason then accepts it
    write(tmp_path / "assure.yaml", f"questions: {json.dumps(partials)}\nper_question:\n  {partials[0]}: {{fail_on: partial}}\n")
    assert runner.invoke(app, ["check", str(SAMPLE)]).exit_code == 1
    write(tmp_path / "assure.yaml", f"questions: {json.dumps(partials)}\nper_question:\n  {partials[0]}: {{fail_on: partial}}\n"
                                   f"suppressions:\n  - {{question: {partials[0]}, files: '*.docx', reason: agreed with the board}}\n")
    result = runner.invoke(app, ["check", str(SAMPLE), "-f", "junit"])
    assert result.exit_code == 0, result.output
    assert "suppressed: agreed with the board" in result.stdout
    # --fail-under on the overall score (all ten questions again)
    (tmp_path / "assure.yaml").unlink()
    score = data["documents"][0]["score"]
    assert runner.invoke(app, ["check", str(SAMPLE), "--fail-on", "never", "--fail-under", str(score + 1)]).exit_code == 1
    assert runner.invoke(app, ["check", str(SAMPLE), "--fail-on", "never", "--fail-under", str(score)]).exit_code == 0


def test_cli_bad_config_and_format_fail_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    write(tmp_path / "assure.yaml", "questions: [Q42]\n")
    result = runner.invoke(app, ["check", str(SAMPLE)])
    assert result.exit_code == 2 and "Q42" in result.stderr and "assure.yaml" in result.stderr
    result = runner.invoke(app, ["check", str(SAMPLE), "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "config file not found" in result.stderr
    (tmp_path / "assure.yaml").unlink()
    result = runner.invoke(app, ["check", str(SAMPLE), "-f", "text", "-f", "json"])
    assert result.exit_code == 2 and "only one format can go to stdout" in result.stderr


def test_cli_several_formats_each_to_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSURE_CONFIG", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", str(SAMPLE), "--format", "auto", "--format", "junit:out/report.xml",
                                      "--format", "html:out/report.html", "--format", "sarif:out/report.sarif"])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("::")  # auto picked github under Actions
    assert summary.read_text(encoding="utf-8").startswith("## assure report")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html", "report.sarif", "report.xml"]
    assert (tmp_path / "out" / "report.xml").read_text().startswith('<?xml version="1.0"')


def test_schema_messages_are_in_words(tmp_path: Path) -> None:
    """jsonschema would say "'  ' does not match '\\\\S'"; a user reads "must not be blank"."""
    path = tmp_path / "assure.yaml"
    path.write_text('rules: "  "\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules: must not be blank$"):
        load_config(path)
    path.write_text('rules: "  "\nbogus: 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:  # every problem, each on its own line at its key
        load_config(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and lines[0] == f"{path}:1:1: rules: must not be blank"
    known = "questions, select, extend_select, ignore, per_file_ignores, rules, "
    assert lines[1].startswith(f"{path}:2:1: bogus: unknown key; known keys: {known}")
