"""assure eval: label loading, the metrics (against hand-computed values) and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.evaluate import (
    Item,
    Label,
    LabelledDocument,
    Prediction,
    compute_metrics,
    consistency,
    keyword_verdicts,
    load_labels,
    score,
    weighted_kappa,
)

QIDS = tuple(f"Q{i}" for i in range(1, 11))
runner = CliRunner()


# ------------------------------------------------------------------ kappa, hand-computed
def test_kappa_hand_computed_ordinal() -> None:
    # weights: 1 step = 0.25, 2 steps = 1. Observed 0.25; rows g2 p1 m1, cols g1 p2 m1:
    # expected = (1 + 2 + 0.25 + 0.25 + 1 + 0.5) / 4 = 1.25 -> kappa = 1 - 0.25/1.25 = 0.8
    pairs = [("gap", "gap"), ("partial", "partial"), ("met", "met"), ("gap", "partial")]
    assert weighted_kappa(pairs) == pytest.approx(0.8)


def test_kappa_complete_reversal_is_minus_one() -> None:
    assert weighted_kappa([("gap", "met"), ("met", "gap")]) == pytest.approx(-1.0)


def test_kappa_perfect_and_undefined() -> None:
    assert weighted_kappa([("gap", "gap"), ("met", "met"), ("partial", "partial")]) == pytest.approx(1.0)
    assert weighted_kappa([("gap", "gap"), ("gap", "gap")]) is None  # chance explains everything
    assert weighted_kappa([]) is None


def test_kappa_partial_step_costs_less_than_two_steps() -> None:
    base = [("gap", "gap"), ("partial", "partial"), ("met", "met")] * 3
    one_step = weighted_kappa(base + [("gap", "partial")])
    two_steps = weighted_kappa(base + [("gap", "met")])
    assert one_step is not None and two_steps is not None and one_step > two_steps


def test_kappa_with_not_applicable_as_its_own_outcome() -> None:
    # off-scale pairs weigh 1. Observed 1 (na vs gap); rows na2 g1 m1, cols na1 g2 m1:
    # expected = (na,g 4 + na,m 2 + g,na 1 + g,m 1 + m,na 1 + m,g 2) / 4 = 2.75 -> 1 - 1/2.75 = 7/11
    pairs = [("not_applicable", "not_applicable"), ("gap", "gap"), ("not_applicable", "gap"), ("met", "met")]
    assert weighted_kappa(pairs) == pytest.approx(7 / 11)


def test_kappa_matches_matrix_formula_with_numpy() -> None:
    np = pytest.importorskip("numpy")
    labels = ["gap"] * 5 + ["partial"] * 4 + ["met"] * 3
    verdicts = ["gap", "gap", "partial", "gap", "met", "partial", "partial", "gap", "met", "met", "met", "partial"]
    idx = {"gap": 0, "partial": 1, "met": 2}
    obs = np.zeros((3, 3))
    for a, b in zip(labels, verdicts, strict=True):
        obs[idx[a], idx[b]] += 1
    w = np.array([[(i - j) ** 2 / 4 for j in range(3)] for i in range(3)])
    exp = np.outer(obs.sum(1), obs.sum(0)) / obs.sum()
    expected = 1 - (w * obs).sum() / (w * exp).sum()
    assert weighted_kappa(list(zip(labels, verdicts, strict=True))) == pytest.approx(expected)


# ------------------------------------------------------------------ metrics on toy labels
def _doc(file: str, status: str = "ok", labels: dict[str, str] | None = None, contested: set[str] = frozenset()) -> LabelledDocument:
    qs = tuple(Label(q, v, contested=q in contested) for q, v in (labels or {}).items())
    return LabelledDocument(label_file="toy.yaml", file=file, path=f"/toy/{file}", status=status, questions=qs)


def test_score_counts_agreement_confusion_false_and_missed_met() -> None:
    docs = [
        _doc("a.pdf", labels={"Q1": "met", "Q2": "gap", "Q3": "partial"}, contested={"Q3"}),
        _doc("b.txt", labels={"Q1": "gap", "Q2": "met", "Q3": "gap"}),
        _doc("neg.txt", status="not_applicable"),
    ]
    preds = [
        Prediction("ok", {"Q1": "met", "Q2": "met", "Q3": "gap"}),  # Q2 false-met, Q3 wrong (contested)
        Prediction("ok", {"Q1": "gap", "Q2": "partial", "Q3": "gap"}),  # Q2 missed-met
        Prediction("not_applicable"),
    ]
    ev = score("assure", docs, preds, ("Q1", "Q2", "Q3"))
    o = ev.overall
    assert o.n == 9  # 6 labelled questions + 3 for the not-applicable document
    assert o.correct == 6
    assert o.agreement == pytest.approx(6 / 9)
    assert o.false_met == 1 and o.missed_met == 1
    # rows: label gap/partial/met; columns: verdict gap/partial/met
    assert o.confusion == ((2, 0, 1), (1, 0, 0), (0, 1, 1))
    assert o.off_scale == {"not_applicable": {"not_applicable": 3}}
    assert ev.uncontested.n == 8 and ev.contested.n == 1 and ev.contested.correct == 0
    assert ev.document_correct == 3
    assert ev.per_question["Q2"].false_met == 1 and ev.per_question["Q2"].missed_met == 1
    assert [(i.document, i.question) for i in ev.false_met_items] == [("a.pdf", "Q2")]


def test_not_applicable_document_wrong_when_tool_assesses_it() -> None:
    docs = [_doc("neg.txt", status="not_applicable"), _doc("ok.txt", labels={"Q1": "partial"})]
    preds = [Prediction("ok", {"Q1": "gap", "Q2": "gap"}), Prediction("not_applicable")]
    ev = score("x", docs, preds, ("Q1", "Q2"))
    assert ev.overall.correct == 0
    assert ev.document_correct == 0
    assert ev.overall.off_scale == {"partial": {"not_applicable": 1}, "not_applicable": {"gap": 2}}


def test_errors_and_unassessable_count_as_disagreement() -> None:
    docs = [_doc("x.pdf", labels={"Q1": "gap"}), _doc("y.pdf", labels={"Q1": "gap"})]
    ev = score("x", docs, [Prediction("error", {}, "[corrupt] bad"), Prediction("ok", {"Q1": "unassessable"})], ("Q1",))
    assert ev.overall.correct == 0
    assert ev.errors == (("x.pdf", "[corrupt] bad"),)


def test_pdf_docx_consistency_counts_disagreeing_verdicts() -> None:
    docs = [_doc("s1.pdf"), _doc("s1.docx"), _doc("s2.pdf"), _doc("s2.docx"), _doc("lonely.pdf")]
    preds = [
        Prediction("ok", {"Q1": "met", "Q2": "gap"}), Prediction("ok", {"Q1": "partial", "Q2": "gap"}),
        Prediction("not_applicable"), Prediction("ok", {"Q1": "gap", "Q2": "gap"}),
        Prediction("ok", {"Q1": "met", "Q2": "met"}),
    ]
    pairs, diffs = consistency(docs, preds, ("Q1", "Q2"))
    assert pairs == 2
    assert [(d.stem, d.question, d.pdf, d.docx) for d in diffs] == [
        ("s1", "Q1", "met", "partial"), ("s2", "Q1", "not_applicable", "gap"), ("s2", "Q2", "not_applicable", "gap")]


def test_compute_metrics_empty() -> None:
    m = compute_metrics([])
    assert m.n == 0 and m.agreement is None and m.kappa is None


def test_item_correct() -> None:
    assert Item("d", "p", "Q1", "gap", "gap").correct
    assert not Item("d", "p", "Q1", "gap", "partial").correct


# ------------------------------------------------------------------ the keyword baseline
def test_keyword_baseline_rule() -> None:
    sentences = ["Homelessness rose.", "Rough sleeping doubled.", "We fund Housing First.", "The weather was fine."]
    v = keyword_verdicts(sentences)
    assert v["Q6"] == "met"  # three sentences with a Q6 keyword
    assert keyword_verdicts(sentences[:1])["Q6"] == "partial"
    assert keyword_verdicts(["The weather was fine."])["Q6"] == "gap"
    assert set(v) == set(QIDS)


# ------------------------------------------------------------------ label files
HEALTH_DOC = """\
# Riverside health and wellbeing strategy

Our vision is that everyone in Riverside lives a long and healthy life, with good physical and mental health.

Health inequalities remain wide and life expectancy differs by nine years across the borough.

The NHS, public health and social care will work together to improve wellbeing.

The specialist homeless health team will offer health checks to everyone in temporary accommodation.

Hospital admissions for falls have risen, and the integrated care board is reviewing patient flow.
"""

PARKING_DOC = """\
# Parking strategy

This strategy sets out charges for on-street parking bays and car parks in the town centre.

Residents' permits will cost 50 pounds a year from April. Pay and display machines will be replaced.

Loading bays on the high street will be enforced between 7am and 7pm.
"""


def _write_set(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "health.md").write_text(HEALTH_DOC, encoding="utf-8")
    (docs / "parking.txt").write_text(PARKING_DOC, encoding="utf-8")
    labels = tmp_path / "labels"
    labels.mkdir()
    qs = "".join(f"      Q{i}:\n        verdict: {'met' if i == 6 else 'gap'}\n" for i in range(1, 11))
    text = ("schema_version: 1\nroot: ../docs\ndocuments:\n"
            "  - file: health.md\n    status: ok\n    questions:\n" + qs
            + "  - file: parking.txt\n    status: not_applicable\n"
            "  - file: gone.pdf\n    status: not_applicable\n")
    (labels / "toy.yaml").write_text(text, encoding="utf-8")
    return labels / "toy.yaml"


def test_load_labels_skips_missing_files_with_a_message(tmp_path: Path) -> None:
    path = _write_set(tmp_path)
    docs, skipped = load_labels([path])
    assert [d.file for d in docs] == ["health.md", "parking.txt"]
    assert len(skipped) == 1 and "gone.pdf" in skipped[0] and "not found" in skipped[0]
    assert docs[0].questions[5] == Label("Q6", "met")


def test_load_labels_missing_root_skips_every_document(tmp_path: Path) -> None:
    f = tmp_path / "real.yaml"
    f.write_text("schema_version: 1\nroot: ../../nowhere/shared\ndocuments:\n  - {file: a.pdf, status: not_applicable}\n"
                 "  - {file: b.pdf, status: not_applicable}\n", encoding="utf-8")
    docs, skipped = load_labels([tmp_path])  # a folder of label files
    assert docs == []
    assert len(skipped) == 1 and "not found" in skipped[0] and "2 document(s)" in skipped[0]


def test_bad_label_file_names_file_and_key_path(tmp_path: Path) -> None:
    from assure.errors import ConfigError

    f = tmp_path / "bad.yaml"
    f.write_text("schema_version: 1\nroot: .\ndocuments:\n  - file: a.pdf\n    status: ok\n    questions:\n"
                 "      Q1: {verdict: maybe}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_labels([f])
    assert "bad.yaml" in str(err.value) and "documents[0].questions.Q1.verdict" in str(err.value)


def test_real_label_files_are_valid() -> None:
    """Every label file in the repository loads (documents may be skipped when ../shared is absent)."""
    root = Path(__file__).resolve().parents[1] / "eval" / "labels"
    if not root.is_dir():
        pytest.skip("eval/labels not present")
    for folder in (root, root / "heldout"):
        docs, skipped = load_labels([folder])
        assert docs or skipped


# ------------------------------------------------------------------ CLI
def test_cli_eval_text_and_json(tmp_path: Path) -> None:
    path = _write_set(tmp_path)
    strict = runner.invoke(app, ["eval", str(path)])  # gone.pdf is missing: an error unless --allow-missing
    assert strict.exit_code == 2 and strict.stdout == ""
    assert "assure: missing " in strict.stderr and "gone.pdf" in strict.stderr and "--allow-missing" in strict.stderr
    result = runner.invoke(app, ["eval", str(path), "--allow-missing"])
    assert result.exit_code == 0, result.output
    assert "== assure ==" in result.stdout and "confusion" in result.stdout
    assert "gone.pdf" in result.stderr and "skipped" in result.stderr

    result = runner.invoke(app, ["eval", str(path), "--allow-missing", "--format", "json", "--compare", "keywords"])
    assert result.exit_code == 0, result.output
    assert "deprecated" not in result.stderr
    data = json.loads(result.stdout)
    old = runner.invoke(app, ["eval", str(path), "--allow-missing", "--format", "json", "--baseline", "keywords"])  # the old spelling still works
    assert old.exit_code == 0 and old.stdout == result.stdout
    assert "assure: eval --baseline is deprecated; use --compare keywords" in old.stderr
    assert [r["name"] for r in data["results"]] == ["assure", "keywords"]
    engine = data["results"][0]
    assert engine["documents"] == 2
    assert engine["overall"]["n"] == 20
    assert engine["overall"]["off_scale"]["not_applicable"] == {"not_applicable": 10}  # parking screened out
    assert engine["document_accuracy"] == 1.0
    assert set(engine["per_question"]) == set(QIDS)
    assert data["results"][1]["overall"]["off_scale"]["not_applicable"].get("not_applicable", 0) == 0  # baseline never screens
    assert len(data["skipped"]) == 1


def test_cli_eval_is_deterministic_and_writes_output(tmp_path: Path) -> None:
    path = _write_set(tmp_path)
    out = tmp_path / "out" / "eval.json"
    a = runner.invoke(app, ["eval", str(path), "--allow-missing", "-f", "json", "-o", str(out)])
    assert a.exit_code == 0, a.output
    first = out.read_bytes()
    b = runner.invoke(app, ["eval", str(path), "--allow-missing", "-f", "json", "-o", str(out)])
    assert b.exit_code == 0 and out.read_bytes() == first
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_cli_fail_under_kappa(tmp_path: Path) -> None:
    path = _write_set(tmp_path)
    assert runner.invoke(app, ["eval", str(path), "--allow-missing", "--fail-under-kappa", "1.01"]).exit_code == 1
    ok = runner.invoke(app, ["eval", str(path), "--allow-missing", "--fail-under-kappa", "-1"])
    assert ok.exit_code == 0, ok.output


def test_cli_eval_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["eval", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "not found" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nroot: .\ndocuments: [{file: a.pdf, status: maybe}]\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", str(bad)])
    assert r.exit_code == 2 and "bad.yaml" in r.stderr and "documents[0].status" in r.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("schema_version: 1\nroot: ../nowhere\ndocuments: [{file: a.pdf, status: not_applicable}]\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", str(empty), "--allow-missing"])
    assert r.exit_code == 2 and "nothing to evaluate" in r.stderr
    r = runner.invoke(app, ["eval", str(empty), "--root", str(tmp_path / "absent")])
    assert r.exit_code == 2 and "--root" in r.stderr
    assert runner.invoke(app, ["eval", str(bad), "--baseline", "magic"]).exit_code == 2


def test_root_finds_documents_whose_written_root_is_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh clone: label roots point at ../shared, which is not there; --root (or
    $ASSURE_EVAL_ROOT) says where the documents are, as the folder holding shared/ or shared/ itself."""
    labels = tmp_path / "clone" / "eval" / "labels"
    labels.mkdir(parents=True)
    (labels / "real.yaml").write_text("schema_version: 1\nroot: ../../../shared/corpus/real\ndocuments:\n"
                                      "  - {file: plan.txt, status: not_applicable}\n", encoding="utf-8")
    corpus = tmp_path / "elsewhere" / "shared" / "corpus" / "real"
    corpus.mkdir(parents=True)
    (corpus / "plan.txt").write_text("The car park opens at 7am. Parking permits cost 40 pounds a year.\n", encoding="utf-8")
    assert runner.invoke(app, ["eval", str(labels)]).exit_code == 2  # not found without --root
    for base in (tmp_path / "elsewhere", tmp_path / "elsewhere" / "shared"):
        docs, skipped = load_labels([labels], base)
        assert [d.path for d in docs] == [str((corpus / "plan.txt").resolve())] and skipped == []
        ok = runner.invoke(app, ["eval", str(labels), "--root", str(base)])
        assert ok.exit_code == 0 and "documents 1" in ok.stdout, ok.output
    monkeypatch.setenv("ASSURE_EVAL_ROOT", str(tmp_path / "elsewhere"))
    assert runner.invoke(app, ["eval", str(labels)]).exit_code == 0
