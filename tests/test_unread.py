"""A question whose housing section sits on unreadable pages is unassessable, not gap (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assure.cli import app
from assure.models import Block, BlockKind, Document, PageQuality, Place
from assure.unread import clean_title, contents_entries, unread_key_sections

HEALTH = [
    "This joint health and wellbeing strategy sets out how partners will improve health.",
    "Life expectancy in the borough is lower than the England average and health inequalities are wide.",
    "The NHS, the council and the voluntary sector will work together to improve wellbeing.",
    "Mental health services will be easier to reach for young people and adults.",
]
NEXT = [
    "The health and wellbeing board will publish an action plan in the spring.",
    "Progress will be reported to the board each year by the director of public health.",
]


def _pdf(path: Path, pages: list[list[str] | None], footers: bool = False) -> Path:
    """A PDF of text pages; None is a page with no text layer (a scan). A line starting '#'
    is a bold heading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        if lines is None:
            c.rect(100, 100, 300, 300, fill=1)
        else:
            y = A4[1] - 90
            for text in lines:
                heading = text.startswith("#")
                c.setFont("Helvetica-Bold" if heading else "Helvetica", 16 if heading else 11)
                c.drawString(72, y, text.lstrip("#"))
                y -= 24 if heading else 16
        if footers and lines is not None and number > 1:
            c.setFont("Helvetica", 9)
            c.drawString(A4[0] / 2, 30, str(number - 1))  # printed numbers start after the cover
        c.showPage()
    c.save()
    return path


def _check(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", str(path), "--ocr", "never", "-f", "json", "-q"])
    return result.exit_code, json.loads(result.stdout)


def _statuses(report: dict) -> dict[str, str]:
    return {q["id"]: q["status"] for q in report["documents"][0]["questions"]}


def test_a_housing_chapter_on_a_scanned_page_leaves_its_questions_unassessable(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "plan.pdf",
        [
            [
                "#Contents",
                "1 Introduction ........................ 2",
                "2 Housing and health ........................ 3",
                "3 Next steps ........................ 4",
            ],
            ["#1 Introduction", *HEALTH],
            None,
            ["#3 Next steps", *NEXT],
        ],
    )
    code, report = _check(pdf)
    statuses = _statuses(report)
    assert set(statuses.values()) == {"unassessable"}
    q4 = next(q for q in report["documents"][0]["questions"] if q["id"] == "Q4")
    assert "the section 'Housing and health' covers page 3, which could not be read (per its contents entry)" in q4["finding"]
    assert code == 0  # no verdict is not a finding: CI does not fail the plan for text assure could not read


def test_an_unread_page_under_another_title_keeps_the_gaps(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "plan.pdf",
        [
            [
                "#Contents",
                "1 Introduction ........................ 2",
                "2 Governance ........................ 3",
                "3 Next steps ........................ 4",
            ],
            ["#1 Introduction", *HEALTH],
            None,
            ["#3 Next steps", *NEXT],
        ],
    )
    code, report = _check(pdf)
    assert set(_statuses(report).values()) == {"gap"} and code == 1


def test_a_housing_heading_whose_section_runs_onto_a_scanned_page(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "plan.pdf",
        [
            ["#1 Introduction", *HEALTH, "#2 Warm and healthy homes", "This chapter sets out our approach."],
            None,
            ["#3 Next steps", *NEXT],
        ],
    )
    _, report = _check(pdf)
    q4 = next(q for q in report["documents"][0]["questions"] if q["id"] == "Q4")
    assert q4["status"] == "unassessable"
    assert "'2 Warm" not in q4["finding"]
    assert "'Warm and healthy homes' covers page 2, which could not be read (per its heading)" in q4["finding"]


def test_printed_page_numbers_are_mapped_to_pdf_pages(tmp_path: Path) -> None:
    """The cover is unnumbered: printed page 2 is PDF page 3. The contents entry for housing
    names printed page 3 (PDF page 4, readable); the scan is PDF page 3 (Introduction's)."""
    pdf = _pdf(
        tmp_path / "plan.pdf",
        [
            ["#A plan for health"],
            [
                "#Contents",
                "1 Introduction ........................ 2",
                "2 Housing and health ........................ 3",
                "3 Next steps ........................ 4",
            ],
            None,
            ["#2 Housing and health", *HEALTH],
            ["#3 Next steps", *NEXT],
        ],
        footers=True,
    )
    _, report = _check(pdf)
    assert "unassessable" not in set(_statuses(report).values())


def _block(text: str, page: int, kind: BlockKind = BlockKind.PARAGRAPH, place: Place = Place.BODY) -> Block:
    return Block(text=text, raw=text, kind=kind, page=page, section=(), index=1, place=place)


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("2 Housing and health ........ 23", ("Housing and health", 23)),
        ("Housing and health 23", ("Housing and health", 23)),
        ("Chapter 4: Warm homes \u2026\u2026 12", ("Warm homes", 12)),
        ("Our vision for 2030 ..... 5", ("Our vision for 2030", 5)),
        ("Contents", None),
    ],
)
def test_contents_lines(line: str, entry: tuple[str, int] | None) -> None:
    found = contents_entries([_block(line, 1, place=Place.CONTENTS)])
    assert found == ([entry] if entry else [])


def test_clean_title_drops_section_numbers() -> None:
    assert clean_title("3.2 Homelessness and rough sleeping") == "Homelessness and rough sleeping"
    assert clean_title("Section 5. Housing") == "Housing"


def test_no_unreadable_pages_means_nothing_to_find() -> None:
    doc = Document(
        "x.pdf",
        "pdf",
        (_block("Housing 2", 1, place=Place.CONTENTS),),
        pages=2,
        quality=(PageQuality(1, 500, 0, 0), PageQuality(2, 500, 0, 0)),
    )
    assert unread_key_sections(doc, lambda t: True) == ()


def test_a_table_of_counts_is_not_a_contents_page(tmp_path: Path) -> None:
    """Regression: a page listing respondents by sector ("Housing 17", "Library 31") was read
    as a contents page, and the prose under it was lost as evidence."""
    from assure.extract import ExtractOptions, extract

    rows = ["Private 22", "Housing 17", "Other 3", "Mental health services 2", "Library 31", "Education 26",
            "Housing 20", "Community health and wellbeing 16", "Third sector 30", "Housing 8"]
    prose = ["Most respondents who work in housing had spoken with someone who is suicidal in the past year.",
             "Housing officers asked for training on how to respond and where to refer people for support."]
    pdf = _pdf(tmp_path / "survey.pdf", [["#Stakeholder engagement", *prose, "Sector Number of respondents", *rows]])
    doc = extract(pdf, ExtractOptions(ocr="never"))
    assert {b.place for b in doc.blocks if "training on how to respond" in b.text} == {Place.BODY}
    assert {b.place for b in doc.blocks if "Library 31" in b.text} == {Place.BODY}


def test_an_ocr_page_with_almost_no_text_says_so_not_that_its_confidence_was_low() -> None:
    """Regression: a picture page OCR read with 95% confidence but 6 characters was reported as
    'OCR unreadable (confidence 95%)' beside 'read by OCR (confidence): p.45 (95%)'."""
    picture = PageQuality(45, 6, 0, 0, ocr_confidence=95.0)
    assert not picture.readable
    assert picture.problem == "scanned page, OCR found almost no text (a picture or a blank page)"
    blurred = PageQuality(46, 400, 0, 0, ocr_confidence=20.0)
    assert blurred.problem == "scanned page, OCR unreadable (confidence 20%)"
    assert PageQuality(47, 400, 0, 0, ocr_confidence=90.0).problem is None


def test_the_text_report_lists_a_page_ocr_found_almost_nothing_on_once() -> None:
    """A new-user trial: the same pages were 'unreadable (OCR found almost no text)' and 'read by
    OCR (confidence): 96%' in one report. They are listed as unreadable only."""
    from assure.models import DocStatus, DocumentResult, Report
    from assure.report.text import render

    doc = DocumentResult("plan.pdf", "pdf", 3, DocStatus.OK, 0, (),
                         unreadable_pages=((2, "scanned page, OCR found almost no text (a picture or a blank page)"),),
                         ocr_pages=((2, 96.0), (3, 91.0)))
    out = render(Report((doc,), "0"), width=200)
    assert "unreadable pages: p.2 (scanned page, OCR found almost no text" in out
    assert "read by OCR (confidence): p.3 (91%)" in out and "p.2 (96%)" not in out


def test_ocr_reasons_say_why_and_are_given_once() -> None:
    """Regression (new-user trial, 2026-12-07): Latin read by OCR with 94% confidence was called
    'OCR unreadable (confidence 94%)', and a three-page scan repeated the reason once per page's
    confidence; the reason now says what is wrong, and is given once with the range."""
    latin = PageQuality(1, 900, 0, 0, substituted=True, ocr_confidence=94.0)
    assert latin.problem == "scanned page, OCR text is not English words (confidence 94%)"
    from assure.runner import _reasons_once

    pages = ((1, "scanned page, OCR unreadable (confidence 17%)"), (2, "scanned page, OCR unreadable (confidence 32%)"),
             (3, "no text layer"), (4, "scanned page, OCR unreadable (confidence 22%)"))
    assert _reasons_once(pages) == ["no text layer", "scanned page, OCR unreadable (confidence 17-32%)"]
