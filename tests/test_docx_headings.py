"""DOCX headings made with bold type instead of heading styles still open a section, so
"What we will do" in bold makes the list under it a list of commitments."""

from __future__ import annotations

from pathlib import Path

import docx

from assure.extract import extract
from assure.models import BlockKind
from assure.ruleset import load_ruleset
from assure.runner import CheckOptions, check_file


def build(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Healthy homes", level=1)
    d.add_paragraph("Cold and damp homes harm the health of older residents and young children in the borough.")
    d.add_paragraph().add_run("What we will do").bold = True
    for item in ["insulate 400 homes of residents with lung disease by March 2026, led by the Warm Homes Service",
                 "review the private rented sector licensing scheme"]:
        d.add_paragraph(item, style="List Bullet")
    p = d.add_paragraph()
    p.add_run("Bold words ").bold = True
    p.add_run("at the start of an ordinary paragraph do not make it a heading.")
    d.save(str(path))
    return path


def test_bold_paragraph_is_a_heading(tmp_path: Path) -> None:
    doc = extract(build(tmp_path / "plan.docx"))
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["Healthy homes", "What we will do"]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert all(b.section == ("Healthy homes", "What we will do") for b in items)


def test_list_under_a_bold_commitment_heading_is_met(tmp_path: Path) -> None:
    result = check_file(str(build(tmp_path / "plan.docx")), load_ruleset(), CheckOptions(screen=False))
    q4 = next(q for q in result.questions if q.id == "Q4")
    assert q4.status.value == "met"
    assert "insulate 400 homes" in q4.evidence[0].quote


def test_word_table_of_contents_lines_are_contents(tmp_path) -> None:  # noqa: ANN001
    """Regression (new-user trial): TOC lines ("Housing and homelessness support providers 20")
    were read as body paragraphs and quoted as evidence."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from assure.extract import extract
    from assure.models import Place

    d = docx.Document()
    toc = d.add_paragraph("Housing and homelessness support providers\t20")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), "TOC1")
    toc._p.get_or_add_pPr().insert(0, style)
    linked = d.add_paragraph()
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), "_Toc185538319")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Homelessness prevention 22"
    run.append(text)
    link.append(run)
    linked._p.append(link)
    d.add_paragraph("The council will fund a housing worker in the hospital discharge team.")
    path = tmp_path / "toc.docx"
    d.save(path)
    places = {b.text: b.place for b in extract(path).blocks}
    assert places["Housing and homelessness support providers 20"] is Place.CONTENTS
    assert places["Homelessness prevention 22"] is Place.CONTENTS
    assert places["The council will fund a housing worker in the hospital discharge team."] is Place.BODY
