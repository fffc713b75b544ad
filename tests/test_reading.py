"""Reading agreement (assure/reading.py, `assure eval --reading`): the scorer on a bundled sample,
the command line, and a floor under the figures on the labelled real PDFs (eval/reading)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.models import Block, BlockKind, Document, Place
from assure.reading import find_block, heading_key, load_reading_labels, score_reading

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LABELS = ROOT / "eval" / "reading" / "labels.yaml"
SHARED = ROOT.parent / "shared" / "corpus"
BASE = Path(os.environ["ASSURE_EVAL_ROOT"]) if os.environ.get("ASSURE_EVAL_ROOT") else None

# Read from samples/mixed.pdf by looking at its pages: a body sentence under its two-level
# heading, the heading itself, and the sentence the old reader glued to that heading.
SAMPLE_LABELS = """\
schema_version: 1
root: {root}
documents:
  - file: mixed.pdf
    layout: plain
    labeller: test
    sections:
      - page: 4
        text: "Our strategy is informed by the Joint Strategic Needs Assessments"
        section: "What we know about our population"
      - page: 5
        text: "Families in temporary accommodation struggle to stay registered"
        section: "Health for people experiencing homelessness"
    blocks:
      - page: 4
        text: "What we know about our population"
        kind: heading
      - page: 4
        text: "Our strategy is informed by the Joint Strategic Needs Assessments"
        kind: prose
"""


def write_labels(tmp_path: Path, text: str = SAMPLE_LABELS) -> Path:
    path = tmp_path / "reading.yaml"
    path.write_text(text.format(root=SAMPLES), encoding="utf-8")
    return path


def test_heading_key_ignores_numbering_case_punctuation_and_continued() -> None:
    assert heading_key("2. What we know about our population") == heading_key("What we know about our population")
    assert heading_key("3f | Non Attributable Costs") == heading_key("Non Attributable Costs")
    assert heading_key("Mental Health continued") == heading_key("Mental health")
    assert heading_key("6.2.3 Age") == heading_key("Age")
    assert heading_key("Housing") != heading_key("Homelessness")


def test_a_snippet_split_across_blocks_is_not_found() -> None:
    blocks = (Block(text="Our strategy is informed", raw="Our strategy is informed", kind=BlockKind.PARAGRAPH, page=4,
                    section=("A",), index=1, place=Place.BODY),
              Block(text="by the JSNA.", raw="by the JSNA.", kind=BlockKind.PARAGRAPH, page=4, section=("A",), index=2,
                    place=Place.BODY))
    doc = Document(path="x.pdf", format="pdf", blocks=blocks, pages=4)
    assert find_block(doc, 4, "Our strategy is informed by the JSNA") is None
    assert find_block(doc, 4, "strategy is") is blocks[0]


def test_the_bundled_sample_is_read_as_a_reviewer_reads_it(tmp_path: Path) -> None:
    score = score_reading(load_reading_labels(write_labels(tmp_path)))
    assert not score.missing_files
    assert [j.found for j in score.sections] == [j.expected for j in score.sections]
    assert score.kind_agreement == 1.0


def test_a_wrong_label_counts_against_the_figure(tmp_path: Path) -> None:
    wrong = SAMPLE_LABELS.replace("kind: heading", "kind: table-row")
    score = score_reading(load_reading_labels(write_labels(tmp_path, wrong)))
    assert score.kind_agreement == 0.5
    assert ("table-row", "heading") in score.kind_confusion()


def test_cli_eval_reading_reports_both_figures(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--reading", str(write_labels(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "reading agreement: sections 1.000 over 2 labels; block kinds 1.000 over 2 labels" in result.output
    as_json = CliRunner().invoke(app, ["eval", "--reading", "-f", "json", str(write_labels(tmp_path))])
    assert '"kind_agreement": 1.0' in as_json.output


def test_cli_eval_reading_bad_labels_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("documents: [{file: x.pdf, blocks: [{page: 1, text: a, kind: banner}]}]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--reading", str(bad)])
    assert result.exit_code == 2
    assert "unknown kind 'banner'" in result.output
    missing = CliRunner().invoke(app, ["eval", "--reading", str(tmp_path / "absent.yaml")])
    assert missing.exit_code == 2 and "cannot read reading labels" in missing.output


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir() and BASE is None,
                    reason="../shared/corpus is absent (and no $ASSURE_EVAL_ROOT); the reading set cannot be scored")
def test_reading_agreement_floor_on_the_labelled_real_pdfs() -> None:
    """Floors a little under the figures measured when this test was last raised (sections 0.957,
    kinds 0.962 over 184 and 158 labels, after round r11: panel titles joined into one line, titles
    over paragraphs with hanging numbers, a bold kicker over its name); the section floor is issue
    10's target. Raise them as the reader improves."""
    score = score_reading(load_reading_labels(LABELS, base=BASE))
    assert not score.missing_files
    assert len(score.sections) >= 150 and len(score.kinds) >= 100
    assert score.section_agreement is not None and score.section_agreement >= 0.950
    assert score.kind_agreement is not None and score.kind_agreement >= 0.955


def test_cli_eval_reading_finds_documents_under_root_when_the_written_root_is_absent(tmp_path: Path) -> None:
    """A worktree whose ../shared is missing can still score the labels with --root (or $ASSURE_EVAL_ROOT)."""
    labels = tmp_path / "eval" / "reading.yaml"
    labels.parent.mkdir()
    labels.write_text(SAMPLE_LABELS.format(root="../../nowhere/samples"), encoding="utf-8")
    absent = CliRunner().invoke(app, ["eval", "--reading", str(labels)])
    assert absent.exit_code == 2 and "nothing to evaluate" in absent.output
    found = CliRunner().invoke(app, ["eval", "--reading", "--root", str(ROOT), str(labels)])
    assert found.exit_code == 0, found.output
    assert "sections 1.000 over 2 labels" in found.output
