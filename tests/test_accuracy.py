"""Accuracy floors on the labelled sets: a rule change that makes assure agree less with
the reviewers fails here. Figures and their meaning: eval/README.md; run `assure eval` to see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure.evaluate import run_eval

LABELS = Path(__file__).resolve().parents[1] / "eval" / "labels"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"



@pytest.mark.parametrize(
    ("labels", "min_agreement", "min_kappa", "max_disagreements"),
    [
        ("synthetic.yaml", 0.88, 0.93, 1),  # development set written by the team
        ("heldout/synthetic-f.yaml", 0.86, 0.90, 4),  # written blind, never tuned on
    ],
)
def test_written_sets(ruleset, labels: str, min_agreement: float, min_kappa: float, max_disagreements: int) -> None:
    ev = run_eval([LABELS / labels], ruleset).engine
    assert ev.overall.agreement >= min_agreement
    assert ev.overall.kappa >= min_kappa
    assert ev.false_met_items == []  # a gap is never reported as met
    assert len(ev.disagreements) <= max_disagreements  # PDF and DOCX of one document agree
    assert ev.document_accuracy == 1.0


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_development_set_targets(ruleset) -> None:
    """The issue's targets, on the labels reviewers did not mark contested."""
    ev = run_eval([LABELS], ruleset).engine
    assert ev.uncontested.agreement >= 0.90
    assert ev.uncontested.kappa >= 0.90
    assert ev.false_met_items == []
    assert ev.disagreements == ()


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_real_documents(ruleset) -> None:
    files = sorted(LABELS.glob("real-*.yaml")) + sorted((LABELS / "heldout").glob("real-*.yaml"))
    ev = run_eval(files, ruleset).engine
    assert ev.documents >= 27
    assert ev.overall.kappa >= 0.68
    assert ev.uncontested.kappa >= 0.82
    assert len(ev.false_met_items) <= 2
