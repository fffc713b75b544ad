"""Accuracy floors on the labelled sets: a rule change that makes assure agree less with
the reviewers fails here. Figures and their meaning: eval/README.md; run `assure eval` to see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure.evaluate import run_eval

LABELS = Path(__file__).resolve().parents[1] / "eval" / "labels"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
# the real development labels of the first rounds, and those added in this round (planning documents,
# needs assessments, council papers and NHS documents, labelled blind by page, first measured at
# 0.525-0.925 a file)
FIRST_REAL = ["real-a.yaml", "real-b.yaml", "real-c.yaml", "real-c-text.yaml", "real-f.yaml"]
NEW_REAL = ["real-g.yaml", "real-h.yaml", "real-i.yaml", "real-j.yaml", "real-k.yaml", "real-l.yaml", "real-m.yaml"]


def _held_out_real() -> list[Path]:
    return sorted((LABELS / "heldout").glob("real-*.yaml"))



@pytest.mark.parametrize(
    ("labels", "min_agreement", "min_kappa", "max_disagreements"),
    [
        ("synthetic.yaml", 0.92, 0.96, 0),  # development set written by the team (0.923 / 0.963)
        ("heldout/synthetic-f.yaml", 0.86, 0.89, 1),  # written blind, never tuned on (0.863 / 0.893 at the end of the
        # fifth session of 2026-12-07, 0.850 / 0.886 midway through its probe rules; 0.863 / 0.893 after the third
        # session's probes, 0.850 / 0.886 before them, and 0.863 / 0.893 before the second session's probe of the
        # reviewer decisions; the labels that moved were never looked at, so as not to tune on the set)
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
    ev = run_eval([LABELS / "synthetic.yaml", *(LABELS / f for f in FIRST_REAL)], ruleset).engine
    assert ev.uncontested.agreement >= 0.96  # 0.970
    assert ev.uncontested.kappa >= 0.98  # 0.984
    assert ev.overall.agreement >= 0.90  # 0.910 over all 490 labels
    assert ev.overall.kappa >= 0.95  # 0.950
    assert ev.false_met_items == []
    assert ev.disagreements == ()


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_real_documents(ruleset) -> None:
    files = [*(LABELS / f for f in FIRST_REAL), *_held_out_real()]
    ev = run_eval(files, ruleset).engine
    assert ev.documents >= 31
    assert ev.overall.agreement >= 0.85  # 0.858 over 310 labels (dev 0.896, held out 0.750): the target
    assert ev.overall.kappa >= 0.88  # 0.886
    assert ev.uncontested.kappa >= 0.98  # 0.985
    assert len(ev.false_met_items) <= 1  # a contested held-out label (Fenland Local Plan Q6)


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/real is absent; real-document labels skipped")
def test_real_documents_firm_verdicts(ruleset) -> None:
    """Verdicts assure calls firm agree more than borderline ones, no firm verdict is a false met,
    and no more than about a third of verdicts are borderline (issue 11)."""
    files = [*(LABELS / f for f in FIRST_REAL), *_held_out_real()]
    ev = run_eval(files, ruleset).engine
    assert ev.firm is not None and ev.borderline is not None
    assert ev.firm.agreement >= 0.91  # 0.918 (0.928 before the layout reader: it quotes sentences, not labels)
    # 1 since titles set in the body type are read as headings (2026-12-06): the held-out Local
    # Plan's one false met (Q6, met since before) gained a second sentence once its monitoring
    # table's "Policy LP4 – Housing" was read as a title, so it became firm. Held out: not tuned on.
    assert ev.firm.false_met <= 1
    # the flag still separates: firm 0.923, borderline 0.786 (0.738 before the vocabulary mined from the
    # development labels' cited pages on 2026-12-07 turned borderline contested partials into agreements)
    assert ev.firm.agreement > (ev.borderline.agreement or 0) + 0.10
    # issue 11's target is a third: 0.329 (102 of 310); 0.335 (104 of 310) since the probes of the rubric
    # (2026-12-07, third session) raised verdicts to met on one sentence, which the flag calls borderline as
    # designed (held-out real agreement 0.775 -> 0.787 over the same change). Two items over the target.
    assert (ev.borderline_share or 0) <= 0.34


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent; real-document labels skipped")
def test_new_real_development_labels(ruleset) -> None:
    """The 27 planning documents, needs assessments, council papers and NHS documents labelled
    this round: below the first real sets (the issue's 0.85 is not met on them), so the floor
    holds today's figure."""
    ev = run_eval([LABELS / f for f in NEW_REAL], ruleset).engine
    assert ev.documents == 27
    # 0.833 over 270 labels; each file was first measured before any change made after reading its
    # labels: g 0.525, h 0.725, i 0.600, j 0.775, k 0.675, l 0.767, m 0.925 (0.711 together)
    # 0.867 / 0.869 after the vocabulary mined from the development labels' cited pages (2026-12-07)
    assert ev.overall.agreement >= 0.86
    assert ev.overall.kappa >= 0.86
    assert ev.false_met_items == []
    assert ev.firm is not None and ev.firm.false_met == 0



@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent; real-document labels skipped")
def test_fifth_round_development_labels(ruleset) -> None:
    """The last three unlabelled documents of the corpora (the Covid-19 Inquiry's first report, a
    substance misuse needs assessment, a drug demand profile), first measured at 0.733 / 0.762
    before any change made after reading their labels."""
    ev = run_eval([LABELS / f for f in ("real-n.yaml", "real-o.yaml", "real-p.yaml")], ruleset).engine
    assert ev.documents == 3
    assert ev.overall.agreement >= 0.89  # 0.900 over 30 labels
    assert ev.overall.kappa >= 0.91  # 0.919
    assert ev.false_met_items == []
