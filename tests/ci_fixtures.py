"""A fixed report for the format, config and baseline tests (no extraction, so fast and stable).

Three documents: a checked strategy with every verdict kind (including a quote full of
characters that each format must escape), an unrelated document (not applicable) and an
unreadable one.
"""

from __future__ import annotations

from assure.models import DocStatus, DocumentResult, Evidence, QuestionResult, Report, Status

TITLES = [
    "Vision and outcomes", "People at risk from their housing", "Evidence and intelligence", "Unhealthy homes",
    "Suitable homes and independent living", "Stable homes and homelessness", "Care pathways",
    "Mechanisms, commissioning and funding", "Governance and partnership", "Workforce and referral",
]
VERDICTS = [Status.MET, Status.PARTIAL, Status.PARTIAL, Status.GAP, Status.MET, Status.PARTIAL, Status.GAP,
            Status.MET, Status.UNASSESSABLE, Status.GAP]
SCORES = [80, 40, 35, 0, 72, 38, 0, 70, 0, 0]
STRATEGY = "drafts/strategy.pdf"


def question(n: int, status: Status, score: int, evidence: tuple[Evidence, ...] = ()) -> QuestionResult:
    qid = f"Q{n}"
    if not evidence and status in (Status.MET, Status.PARTIAL):
        evidence = (Evidence(quote=f"We will act on {TITLES[n - 1].lower()} with the district councils.", page=n % 4 + 1,
                             section="3. Our priorities", rule=f"Q{n:02d}.commitment", strength=status.value),)
    finding = {Status.MET: "a specific commitment with an owner", Status.PARTIAL: "mentioned, no commitment",
               Status.GAP: "no evidence found", Status.UNASSESSABLE: "pages without a text layer"}[status]
    return QuestionResult(id=qid, title=TITLES[n - 1], status=status, score=score, evidence=evidence,
                          guidance=f"Add a commitment on {TITLES[n - 1].lower()} with an owner and a measure.", finding=finding)


def tricky_evidence() -> tuple[Evidence, ...]:
    return (
        Evidence(quote='Damp & mould: "<b>zero</b>" cases | 50% by 2026, see [link](x) and `code`\u2014=SUM(A1)',
                 page=4, section="Warm, safe homes", rule="Q02.groups-housing-risk", strength="partial", context="aspirational"),
        Evidence(quote="Families in temporary accommodation, people sleeping rough, older people in cold homes.",
                 page=5, section="Who we want to reach", rule="Q02.groups-housing-risk", strength="partial"),
    )


def sample_report() -> Report:
    qs = []
    for n in range(1, 11):
        ev = tricky_evidence() if n == 2 else ()
        qs.append(question(n, VERDICTS[n - 1], SCORES[n - 1], ev))
    strategy = DocumentResult(path=STRATEGY, format="pdf", pages=12, status=DocStatus.OK, score=34, questions=tuple(qs),
                              unreadable_pages=((9, "no text layer"),), words=5400)
    unrelated = DocumentResult(path="drafts/parking-policy.docx", format="docx", pages=None, status=DocStatus.NOT_APPLICABLE,
                               score=None, words=900)
    broken = DocumentResult(path="drafts/locked.pdf", format=None, pages=None, status=DocStatus.ERROR, score=None,
                            error={"code": "encrypted", "message": "the PDF is encrypted and the password was not given"})
    return Report(documents=(strategy, unrelated, broken), tool_version="0.1.0")


def clean_report() -> Report:
    """Only the strategy (no error), so exit codes depend on the policy alone."""
    rep = sample_report()
    return Report(documents=rep.documents[:1], tool_version=rep.tool_version)
