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
        ("synthetic.yaml", 0.86, 0.90, 1),  # development set written by the team (0.869 / 0.904)
        ("heldout/synthetic-f.yaml", 0.85, 0.87, 4),  # written blind, never tuned on (0.856 / 0.879)
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
    assert ev.uncontested.agreement >= 0.93  # 0.936
    assert ev.uncontested.kappa >= 0.96  # 0.969
    assert ev.overall.agreement >= 0.84  # 0.845 over all 490 labels
    assert ev.overall.kappa >= 0.89  # 0.892
    assert ev.false_met_items == []
    assert ev.disagreements == ()


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_real_documents(ruleset) -> None:
    files = sorted(LABELS.glob("real-*.yaml")) + sorted((LABELS / "heldout").glob("real-*.yaml"))
    ev = run_eval(files, ruleset).engine
    assert ev.documents >= 31
    assert ev.overall.agreement >= 0.79  # 0.797 over 310 labels (dev 0.817, held out 0.738)
    assert ev.overall.kappa >= 0.83  # 0.833
    assert ev.uncontested.kappa >= 0.95  # 0.960
    assert len(ev.false_met_items) <= 1  # a contested held-out label (Fenland Local Plan Q6)


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_real_documents_firm_verdicts(ruleset) -> None:
    """Verdicts assure calls firm agree more than borderline ones, no firm verdict is a false met,
    and no more than about a third of verdicts are borderline (issue 11)."""
    files = sorted(LABELS.glob("real-*.yaml")) + sorted((LABELS / "heldout").glob("real-*.yaml"))
    ev = run_eval(files, ruleset).engine
    assert ev.firm is not None and ev.borderline is not None
    assert ev.firm.agreement >= 0.87  # 0.871
    assert ev.firm.false_met == 0
    assert ev.firm.agreement > (ev.borderline.agreement or 0) + 0.2  # borderline 0.571
    assert (ev.borderline_share or 0) <= 1 / 3  # 0.248
