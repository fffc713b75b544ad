"""PDF headings come from the font: a line set larger or bolder than the body opens a
section; a short line in body type (a name, a caption) does not (regression: staff names
and form prompts became section headings and were cited as evidence locations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assure.extract import extract
from assure.models import BlockKind

BODY = [
    "Cold and damp homes harm the health of older residents, and the council will act on them with",
    "its partners over the next five years, starting with the private rented sector in the town.",
]


def build(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    for text, font, size in [("2 Warm homes", "Helvetica-Bold", 16), ("Dr Jane Smith", "Helvetica", 11),
                             (BODY[0], "Helvetica", 11), (BODY[1], "Helvetica", 11),
                             ("2.1 Private renting", "Helvetica-Bold", 13), ("Source: ONS", "Helvetica", 11),
                             (BODY[0], "Helvetica", 11)]:
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= 20
    c.showPage()
    c.save()
    return path


def test_headings_follow_the_font(tmp_path: Path) -> None:
    doc = extract(build(tmp_path / "plan.pdf"))
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["2 Warm homes", "2.1 Private renting"]
    last = doc.blocks[-1]
    assert last.section == ("2 Warm homes", "2.1 Private renting")


def test_short_first_page_is_a_cover(tmp_path: Path) -> None:
    """A title page ("Health, Homes and Communities Partnership", a date) is never evidence."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, 700, "Fair Health for All")
    c.setFont("Helvetica", 12)
    c.drawString(72, 670, "Wyvern Health, Homes and Communities Partnership")
    c.showPage()
    for n in range(2):
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, BODY[n])
        c.showPage()
    c.save()
    doc = extract(path)
    cover = [b for b in doc.blocks if b.page == 1 and b.kind is not BlockKind.HEADING]
    assert cover and all(b.place.value == "cover" for b in cover)
    assert all(b.place.value == "body" for b in doc.blocks if b.page and b.page > 1)


def test_section_numbers_close_sibling_sections(tmp_path: Path) -> None:
    """Regression: "5.4 Blood-borne viruses" set a size larger than "5.5 Alcohol related
    admissions" kept 5.5 and 5.6 nested under 5.4 (a real needs assessment)."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    for text, font, size in [("5. Community impacts", "Helvetica-Bold", 18), (BODY[0], "Helvetica", 11),
                             ("5.4 Blood-borne viruses", "Helvetica-Bold", 15), (BODY[0], "Helvetica", 11),
                             ("5.4.1 National reviews", "Helvetica-Bold", 12), (BODY[1], "Helvetica", 11),
                             ("5.5 Alcohol related admissions", "Helvetica-Bold", 13), (BODY[0], "Helvetica", 11),
                             ("5.5.1 Repeated admissions", "Helvetica-Bold", 12), (BODY[1], "Helvetica", 11)]:
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= 24
    c.showPage()
    c.save()
    doc = extract(path)
    sections = [b.section for b in doc.blocks if b.kind is not BlockKind.HEADING]
    assert sections[-2] == ("5. Community impacts", "5.5 Alcohol related admissions")
    assert sections[-1] == ("5. Community impacts", "5.5 Alcohol related admissions", "5.5.1 Repeated admissions")


def test_numbering_that_goes_back_leaves_the_sizes_to_decide() -> None:
    """A list numbered "1 ..." inside section 3.2 is no sibling of chapter 3."""
    from assure.extract.clean import BlockBuilder

    builder = BlockBuilder()
    for text, level in [("3. Chapter", 1), ("3.2 Homes", 2), ("1 Housing", 3)]:
        builder.heading(text, level, 1)
    assert builder.section == ["3. Chapter", "3.2 Homes", "1 Housing"]


def test_the_next_of_a_numbered_series_stays_beside_the_one_before() -> None:
    """"2. Clear referral pathways" after "1. Awareness of where to signpost" under "7.3 Actions"
    (Suicide Prevention Strategy p.31, a new-user trial) became a top-level section, a sibling of
    chapter 7. The next of the series (or the one after, when a heading was missed) takes its
    place; a chapter numbered differently ("8 NEXT") still closes chapter 7."""
    from assure.extract.clean import BlockBuilder

    builder = BlockBuilder()
    for text, level in [("7 STAKEHOLDER ENGAGEMENT", 1), ("7.3 Actions", 2), ("1. Awareness", 3), ("2. Clear referral pathways", 3)]:
        builder.heading(text, level, 1)
    assert builder.section == ["7 STAKEHOLDER ENGAGEMENT", "7.3 Actions", "2. Clear referral pathways"]
    builder.heading("4. Networks", 3, 2)  # "3." was not read as a heading
    assert builder.section == ["7 STAKEHOLDER ENGAGEMENT", "7.3 Actions", "4. Networks"]
    builder.heading("8 WHAT WE HAVE ACHIEVED", 1, 3)
    assert builder.section == ["8 WHAT WE HAVE ACHIEVED"]


def test_bold_lead_in_running_into_its_sentence_is_a_paragraph(tmp_path: Path) -> None:
    """Regression: a bold opening line that runs on into a lowercase regular line ("Embed
    prevention principles in procurement and contracting" / "activity, by encouraging ...")
    became a heading, and its sentence lost its subject. A bold heading followed by a
    capitalised body line stays a heading."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    for text, font, size in [
        ("3 Prevention", "Helvetica-Bold", 16),
        ("Embed prevention principles in procurement and contracting across the wider", "Helvetica-Bold", 11),
        ("activity, by encouraging providers to identify residents living in cold, damp or unsafe homes", "Helvetica", 11),
        ("and to refer them to the council's home improvement agency for help with repairs and heating.", "Helvetica", 11),
        ("Warm homes and fuel poverty", "Helvetica-Bold", 11),
        (BODY[0], "Helvetica", 11), (BODY[1], "Helvetica", 11),
    ]:
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= 14
    c.showPage()
    c.save()
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["3 Prevention", "Warm homes and fuel poverty"]
    lead = next(b for b in doc.blocks if "procurement" in b.text)
    assert "contracting across the wider activity, by encouraging" in lead.text


def test_a_line_opening_a_bracket_it_does_not_close_is_no_heading(tmp_path: Path) -> None:
    """Regression: "(Lead organisation/group: Lead housing officers / LAs", a recommendation's
    owner line left unclosed, was read as a section heading, so its owner was lost."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    blue = (0.1, 0.3, 0.6)
    for text, font, colour, gap in [
        ("Risk of homelessness", "Helvetica-Bold", blue, 20), (BODY[0], "Helvetica", None, 14), (BODY[1], "Helvetica", None, 30),
        ("Recommendation 6: housing departments to confirm progress on allocation", "Helvetica", None, 14),
        ("schemes and policies.", "Helvetica", None, 28),
        ("(Lead organisation/group: Lead housing officers / LAs", "Helvetica", blue, 40),
        ("Risk of falls at home", "Helvetica-Bold", blue, 20), (BODY[1], "Helvetica", None, 14),
    ]:
        c.setFillColorRGB(*(colour or (0, 0, 0)))
        c.setFont(font, 11)
        c.drawString(72, y, text)
        y -= gap
    c.showPage()
    c.save()
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert not any(h.startswith("(Lead") for h in headings), headings


def test_an_infographic_pages_panel_titles_do_not_parent_the_next_page(tmp_path: Path) -> None:
    """Regression: the panel titles of an infographic page ("Alcohol", "Life Expectancy", set
    larger than the document's own headings) stayed open, so every later section was filed
    under them ("Alcohol > West Sussex as Home", twenty pages on)."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)

    def prose_page(title: str) -> None:
        c.setFont("Helvetica-Bold", 13)
        c.drawString(72, A4[1] - 90, title)
        c.setFont("Helvetica", 11)
        for k in range(3):  # text of its own on each page: a line repeated in place is a running header
            c.drawString(72, A4[1] - 120 - 40 * k, f"{title}: {BODY[0][:70]}")
            c.drawString(72, A4[1] - 134 - 40 * k, BODY[1])
        c.showPage()

    prose_page("Introduction")
    panels = ["Immunisation", "Screening rates", "Road safety", "Flooding", "Obesity", "Life Expectancy",
              "Smoking rates", "Alcohol"]
    for n, title in enumerate(panels):
        x, y = 72 + (n % 2) * 250, A4[1] - 100 - (n // 2) * 170
        c.setFont("Helvetica-Bold", 20 - 2 * (n % 3))
        c.drawString(x, y, title)
        c.setFont("Helvetica", 9)
        c.drawString(x, y - 40, f"{12 + n}% of adults")
    c.showPage()
    prose_page("West Sussex as Home")
    prose_page("Employment and Income")
    c.save()
    doc = extract(path)
    later = [b for b in doc.blocks if b.page and b.page > 2]
    assert any(b.kind is BlockKind.HEADING and b.text in panels for b in doc.blocks)  # read as headings
    assert later and not any(set(b.section) & set(panels) for b in later), [b.section for b in later]
    assert any(b.section[-1:] == ("West Sussex as Home",) for b in later if b.kind is not BlockKind.HEADING)


def test_a_numbered_lists_last_short_item_is_no_heading(tmp_path: Path) -> None:
    """Regression: "6. Support research, data collection and monitoring", the last item of a
    numbered list, fitted on one line and so became a section heading; the next pages were
    filed under it instead of the section the list sits in."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, y, "5.1 National context")
    y -= 24
    c.setFont("Helvetica", 11)
    for line in (BODY[0], BODY[1]):
        c.drawString(72, y, line)
        y -= 14
    y -= 10
    items = ["1. Reduce the risk of suicide in key high-risk groups including men, people in the care of mental",
             "2. Tailor approaches to improve mental health in specific groups including children and young",
             "3. Reduce access to the means of suicide, including at high-risk locations across the county area",
             "4. Provide better information and support to those bereaved or affected by suicide in the area",
             "5. Support the media in delivering sensitive approaches to suicide and suicidal behaviour, and the"]
    for item in items:
        c.setFont("Helvetica", 11)
        c.drawString(72, y, item)
        c.drawString(86, y - 14, "communities they serve across the county.")
        y -= 36
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, y, "6. Support research, data collection and monitoring")
    y -= 30
    c.setFont("Helvetica", 11)
    c.drawString(72, y, BODY[0])
    c.showPage()
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["5.1 National context"]
    assert doc.blocks[-1].section == ("5.1 National context",)


def _call_out_page(path: Path, box_title: str) -> Path:
    """A section, then a shaded call-out box with a title and text of its own, then the
    section's text carrying on below the box."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 760, "Housing need")
    c.setFont("Helvetica", 11)
    c.drawString(72, 735, BODY[0])
    c.drawString(72, 720, BODY[1])
    c.setFillColorRGB(0.9, 0.9, 0.9)
    c.rect(66, 610, 470, 90, stroke=0, fill=1)  # the box: x 66-536, y 610-700
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(72, 680, box_title)
    c.setFont("Helvetica", 11)
    c.drawString(72, 660, "For figures by ward, see the housing tenure briefing on the council's website.")
    c.drawString(72, 560, "Households in temporary accommodation have risen by a third in two years in the town.")
    c.showPage()
    c.save()
    return path


def test_a_call_out_box_titles_only_its_own_text(tmp_path: Path) -> None:
    """Regression: a shaded "Good to know" box became the section of everything after it, to
    the next heading pages later (a real tenure briefing); its title now ends with the box."""
    doc = extract(_call_out_page(tmp_path / "plan.pdf", "Good to know"))
    by_text = {b.text.split()[0]: b.section for b in doc.blocks if b.kind is not BlockKind.HEADING}
    assert by_text["For"] == ("Housing need", "Good to know")
    assert by_text["Households"] == ("Housing need",)


def test_a_numbered_unit_in_a_box_still_titles_the_text_after_it(tmp_path: Path) -> None:
    """A recommendation or a policy set in a box ("Recommendation 2", "Policy H4") is what the
    text after it answers or explains: it stays that text's section."""
    doc = extract(_call_out_page(tmp_path / "plan.pdf", "Recommendation 2"))
    last = [b for b in doc.blocks if b.text.startswith("Households")][0]
    assert last.section == ("Housing need", "Recommendation 2")


def test_a_numbered_title_wrapped_under_its_words_is_one_heading(tmp_path: Path) -> None:
    """"5.2 Responding to Climate Change and Managing the Risk of Flooding in" / "Fenland"
    (Fenland Local Plan p.63): the number set regular in black, the words bold in purple, the
    second line hung under the words. The sections after it were cited under "Fenland"."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    c.setFont("Helvetica", 11)
    for line in BODY:
        c.drawString(57, y, line)
        y -= 14
    y -= 20
    c.setFont("Helvetica", 14)
    c.drawString(57, y, "5.2")
    c.setFillColorRGB(0.5, 0, 0.5)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(93, y, "Responding to Climate Change and Managing the Risk of Flooding in ")  # a soft wrap
    c.drawString(93, y - 16, "Fenland")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 11)
    y -= 50
    for line in BODY:
        c.drawString(57, y, line)
        y -= 14
    c.save()
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["5.2 Responding to Climate Change and Managing the Risk of Flooding in Fenland"], headings
    assert doc.blocks[-1].section == ("5.2 Responding to Climate Change and Managing the Risk of Flooding in Fenland",)


def test_a_title_in_the_body_type_set_apart_above_its_text_is_a_heading(tmp_path: Path) -> None:
    """A service directory (looked-after children needs assessment p.111): "Tenancy support
    service (including supporting people provision)" in the body type, a wide gap above it, its
    text straight under it. It was glued to its first sentence, and the section was the chapter's."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(57, 780, "Appendix: services")
    c.setFont("Helvetica", 10)
    y = 750.0
    for line in ["Social work teams carry out needs assessments, statutory reviews and enquiries for the children",
                 "of the county, and plan and manage the placements of looked after children and young people."]:
        c.drawString(57, y, line)
        y -= 14
    y -= 14  # a wide gap above the title
    c.drawString(57, y, "Tenancy support service")
    y -= 12  # its text straight under it
    for line in ["These services provide housing-related support and aim to help tenants who have difficulties in",
                 "managing their tenancy and achieving independence in their own home, with visits at home."]:
        c.drawString(57, y, line)
        y -= 14
    c.save()
    doc = extract(path)
    assert "Tenancy support service" in [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    body = next(b for b in doc.blocks if b.text.startswith("These services provide"))
    assert body.section[-1] == "Tenancy support service"


def _drawn(path: Path, lines: list[tuple[str, int, int, str]]) -> Path:
    """A one-page PDF of (font, size, y, text) lines at the left margin, under a 14 pt title and
    two lines of body text."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for font, size, y, text in [("Helvetica-Bold", 14, 760, "Synopsis"), ("Helvetica", 11, 740, BODY[0]),
                                ("Helvetica", 11, 726, BODY[1]), *lines]:
        c.setFont(font, size)
        c.drawString(72, y, text)
    c.showPage()
    c.save()
    return path


def test_a_large_title_wrapped_across_the_column_is_one_heading(tmp_path: Path) -> None:
    """"Addressing the needs of higher risk groups and links with other" / "services" in 14 pt bold
    (a sexual health needs assessment, p.30) read as a paragraph running on, so the text under it
    was cited under the heading of the page before. A short run in the title's style that ends with
    no full stop is a title."""
    doc = extract(_drawn(tmp_path / "plan.pdf", [
        ("Helvetica-Bold", 14, 690, "Addressing the needs of higher risk groups and their links with other"),
        ("Helvetica-Bold", 14, 672, "services"), ("Helvetica", 11, 650, BODY[0]), ("Helvetica", 11, 636, BODY[1])]))
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["Synopsis", "Addressing the needs of higher risk groups and their links with other services"]
    assert doc.blocks[-1].section[-1] == headings[-1]


@pytest.mark.parametrize(("lead", "titles"), [("The report will:", False), ("Key findings:", True), ("What we will do:", True)])
def test_a_bold_sentence_opening_a_list_is_not_a_heading(tmp_path: Path, lead: str, titles: bool) -> None:
    """"The report will:" in bold body type over a numbered list (a drug demand analysis, p.5)
    titled the rest of the synopsis; a label ending in a colon with no verb still titles."""
    doc = extract(_drawn(tmp_path / "plan.pdf", [
        ("Helvetica-Bold", 11, 700, lead), ("Helvetica", 11, 680, "1. Analyse the size and scale of the market in the town."),
        ("Helvetica", 11, 664, "2. Consider the impacts on vulnerable children and adults.")]))
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == (["Synopsis", lead] if titles else ["Synopsis"])


def test_a_call_out_drawn_between_two_rules_titles_only_its_own_text(tmp_path: Path) -> None:
    """"Key points" between a rule above and a rule below, across the column (a veterans' needs
    assessment, p.53): the text after the box was cited under "Key points"; it belongs to the
    section the box interrupted, as with a shaded box."""
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 770, "5.0 Housing and social care needs")
    c.rect(66, 752, 470, 1, stroke=0, fill=1)  # the rules are thin filled bars, as the real report draws them
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 736, "Key points")
    c.setFont("Helvetica", 11)
    c.drawString(72, 716, "- Guidance has been issued to local authorities on local connection.")
    c.drawString(72, 700, "- The most vulnerable service leavers are those with short service histories.")
    c.rect(66, 684, 470, 1, stroke=0, fill=1)
    c.drawString(72, 660, "In the past, veterans have found it hard to get support from local authorities.")
    c.showPage()
    c.save()
    doc = extract(path)
    by_text = {b.text.split()[1] if b.text.startswith("-") else b.text.split()[0]: b.section
               for b in doc.blocks if b.kind is not BlockKind.HEADING}
    assert by_text["Guidance"][-1] == "Key points"
    assert by_text["In"] == ("5.0 Housing and social care needs",)
