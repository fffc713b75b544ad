"""`--format concise`: one line per finding, `file:page: Q4 partial RULE message`, so grep,
editors and log viewers can use it; nothing the other formats show as a finding is dropped."""

from __future__ import annotations

import re

from ci_fixtures import STRATEGY, sample_report
from typer.testing import CliRunner

from assure.cli import app
from assure.report import get_formatter

LINE = re.compile(r"^(?P<path>[^:]+)(?::(?P<page>\d+))?: (?P<qid>Q\d+) (?P<status>partial|gap) (?P<rule>\S+) (?P<message>.+)$")


def concise(report) -> str:
    return get_formatter("concise")(report, color=False, width=100)


def test_one_line_per_partial_or_gap_with_page_and_rule() -> None:
    lines = concise(sample_report()).splitlines()
    findings = [m.groupdict() for m in map(LINE.match, lines) if m]
    statuses = {f["qid"]: f["status"] for f in findings}
    assert statuses == {"Q2": "partial", "Q3": "partial", "Q4": "gap", "Q6": "partial", "Q7": "gap", "Q10": "gap"}  # no met, no unassessable
    q2 = next(f for f in findings if f["qid"] == "Q2")
    assert (q2["path"], q2["page"], q2["rule"]) == (STRATEGY, "4", "Q02.groups-housing-risk")
    q4 = next(f for f in findings if f["qid"] == "Q4")
    assert q4["page"] is None and q4["rule"] == "-" and q4["message"] == "no evidence found"
    assert "drafts/locked.pdf: error encrypted the PDF is encrypted and the password was not given" in lines
    assert any(line.startswith("drafts/parking-policy.docx: not-applicable ") for line in lines)
    assert len(lines) == len(findings) + 2


def test_suppressed_and_baselined_findings_keep_their_line() -> None:
    from test_formats import policy_report

    lines = concise(policy_report()).splitlines()
    assert any(line.startswith(f"{STRATEGY}: Q7 gap - ") and line.endswith("[suppressed]") for line in lines)
    assert any(line.startswith(f"{STRATEGY}: Q4 gap - ") and line.endswith("[baselined]") for line in lines)
    assert any(line.startswith(f"{STRATEGY}: overall score ") for line in lines)  # overall score under fail_under


def test_cli_concise_on_a_docx_puts_the_section_in_the_message() -> None:
    result = CliRunner().invoke(app, ["check", "samples/weak.docx", "-f", "concise"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert "samples/weak.docx: Q9 partial Q09.district-council-partner district or borough councils named as partners without a role in governance (in 7. Making it happen)" in lines


def test_a_name_with_a_newline_or_an_undecodable_byte_stays_on_its_lines(tmp_path) -> None:
    """Regression (new-user trial, 2026-12-07): concise printed names raw, so a newline in a name
    split a finding over two lines; names are escaped as in the text report."""
    odd = tmp_path / ("a\nb" + b"\xe9".decode("utf-8", errors="surrogateescape") + ".md")
    odd.write_text("# Plan\n\nOur health strategy for the NHS and care. Health matters. Cold homes harm health.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(odd), "-f", "concise", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all("a\\nb\\xe9.md:" in line for line in lines)
    extracted = CliRunner().invoke(app, ["extract", str(odd)])
    assert extracted.stdout.splitlines()[0].startswith("# ") and "a\\nb\\xe9.md" in extracted.stdout.splitlines()[0]
