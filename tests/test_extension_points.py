"""Each extension point is a registry: a new output format or rule kind is its own module plus
one registry line, with no edit anywhere else. The modules here live outside the package
(written to tmp_path) to prove it; the registry line is the monkeypatched entry."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assure.cli import app
from assure.engine import Evaluator
from assure.pipeline import STEPS, steps_table
from assure.report import FORMATS, Format
from assure.resources import default_rules_path
from assure.rulekinds import RULE_KINDS
from assure.ruleset import load_ruleset
from assure.ruletest import sentence_document

REPO = Path(__file__).resolve().parents[1]


def _module(tmp_path: Path, name: str, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write ``name`` (dotted: a package under tmp_path) and make it importable."""
    path = tmp_path.joinpath(*name.split("."))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent != tmp_path:
        (path.parent / "__init__.py").touch()
    path.with_suffix(".py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    for mod in [m for m in sys.modules if m == name or name.startswith(m + ".")]:
        sys.modules.pop(mod, None)


def test_a_new_output_format_is_its_module_and_one_registry_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _module(tmp_path, "extra_formats.verdicts", '''
        def render(report):
            return "".join(f"{d.path} {q.id} {q.status.value}\\n" for d in report.documents for q in d.questions)
    ''', monkeypatch)
    monkeypatch.setitem(FORMATS, "verdicts", Format("verdicts", "txt", "one line per question", "extra_formats.verdicts"))
    out = tmp_path / "verdicts.txt"
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["check", "samples/strong.docx", "-j", "1", "-f", f"verdicts:{out}", "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    lines = out.read_text().splitlines()
    assert len(lines) == 10 and lines[0].startswith("samples/strong.docx Q1 ")
    assert '"documents"' in result.stdout  # the other format still went to stdout


def test_cli_format_help_lists_every_registered_format() -> None:
    out = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "400"}).output
    flat = "".join(out.split())  # click may wrap at a hyphen
    for name in FORMATS:
        assert f"{name}:" in flat


def test_a_new_rule_kind_is_its_module_and_one_registry_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _module(tmp_path, "pair_kind", '''
        """kind: pair - a hit stands only when its rule hits twice in the sentence ("damp and mould")."""


        class PairKind:
            name = "pair"
            help = "a hit that stands only beside another hit of the same rule"

            def check(self, rule):
                return None if len(rule.terms) >= 2 else ("", "a pair rule needs two terms or more")

            def compile(self, rule, add):
                add("hit", rule.id, rule.matchers, f"rule {rule.id}")

            def match(self, rule, span, sentence):
                return sum(1 for rid, _, _ in sentence.hits if rid == rule.id) >= 2


        KIND = PairKind()
    ''', monkeypatch)
    import pair_kind

    monkeypatch.setitem(RULE_KINDS, "pair", pair_kind.KIND)
    data = yaml.safe_load(default_rules_path().read_text())
    data["rules"].append({"id": "Q4.damp-pair", "question": "Q4", "kind": "pair", "message": "damp and mould together",
                          "terms": ["damp", "mould"], "examples": {"met": ["We will fix damp and mould in 300 homes."]}})
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(data, sort_keys=False))
    evaluator = Evaluator(load_ruleset(rules))

    def candidates(sentence: str) -> list[tuple[str, bool]]:
        result = evaluator.evaluate(sentence_document(sentence), screen=False)
        q4 = next(q for q in result.questions if q.id == "Q4")
        return [(e.strength, e.counted) for e in q4.candidates if e.rule == "Q4.damp-pair"]

    assert candidates("The council will fix damp and mould in 300 homes by 2026.") == [("met", True)]
    assert candidates("The council will fix damp in 300 homes by 2026.") == []
    bad = dict(data["rules"][-1], terms=["damp"])
    data["rules"][-1] = bad
    rules.write_text(yaml.safe_dump(data, sort_keys=False))
    result = CliRunner().invoke(app, ["rules", "validate", "--rules", str(rules)])
    assert result.exit_code == 2 and "a pair rule needs two terms or more" in result.output


def test_unknown_rule_kind_names_the_choices(tmp_path: Path) -> None:
    data = yaml.safe_load(default_rules_path().read_text())
    data["rules"][0]["kind"] = "regex"
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(data, sort_keys=False))
    result = CliRunner().invoke(app, ["rules", "validate", "--rules", str(rules)])
    assert result.exit_code == 2
    assert "rules[0].kind: unknown rule kind 'regex' (choose from phrase, pattern, cooccur)" in result.output


def test_rule_authoring_guide_has_the_steps_table_from_the_code() -> None:
    guide = (REPO / "docs" / "rule-authoring.md").read_text()
    begin = guide.index("\n", guide.index("<!-- steps:begin")) + 1
    assert guide[begin:guide.index("<!-- steps:end -->")] == steps_table(), \
        "regenerate the table: python -c 'from assure.pipeline import steps_table; print(steps_table())'"
    assert len(STEPS) == steps_table().count("\n") - 2


def test_explain_names_the_deciding_step(tmp_path: Path) -> None:
    evaluator = Evaluator(load_ruleset())
    result = evaluator.evaluate(sentence_document("We have not assessed damp and mould in private rented homes."),
                                screen=False)
    q4 = next(q for q in result.questions if q.id == "Q4")
    assert q4.candidates and all(e.step == "void_cue" and not e.counted for e in q4.candidates)
    met = evaluator.evaluate(sentence_document("The council will invest £2m to tackle damp and mould in 300 homes."),
                             screen=False)
    best = next(q for q in met.questions if q.id == "Q4").candidates[0]
    assert (best.step, best.strength) == ("signals", "met") and best.reason.startswith("carries commitment")
