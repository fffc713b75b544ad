"""Measure agreement between assure and a careful reviewer on labelled documents.

``assure eval LABELS...`` loads label files (format: eval/labels/FORMAT.md), runs a
predictor (the engine, and optionally a naive keyword-count baseline) over every labelled
document, and computes the figures issue 3 asks for: exact agreement, quadratic-weighted
Cohen's kappa, a confusion matrix, false-met and missed-met counts, PDF/DOCX consistency
and document-level accuracy, each with and without contested labels.

How outcomes are compared (kept in one place so the figures mean one thing):

* Every labelled question of a document labelled ``ok`` is one item: the reviewer's verdict
  (met, partial or gap) against the tool's verdict for that question.
* A document labelled ``not_applicable`` gives one item per question with the outcome
  ``not_applicable``; each is correct when the tool says the whole document is not applicable.
* The tool's outcome is ``not_applicable`` for every question of a document it screened out,
  ``unassessable`` when the text could not be read, and ``error`` when the file failed.
* Kappa uses quadratic weights on the ordinal scale gap < partial < met; any pair involving
  an outcome outside that scale (not_applicable, unassessable, error) weighs 0 when both sides
  agree and 1 (full disagreement) otherwise. On items that all sit on the scale this is
  exactly the textbook quadratic-weighted kappa.

Nothing here prints: results are values; assure/report/eval.py formats them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assure.errors import AssureError, ConfigError

ORDINAL = ("gap", "partial", "met")
NOT_APPLICABLE = "not_applicable"
OUTCOMES = (*ORDINAL, NOT_APPLICABLE, "unassessable", "error")
LABEL_SUFFIXES = (".yaml", ".yml")

# The keyword-count baseline (``--compare keywords``): the obvious words for each question,
# taken from the question text itself. Rule: per question, count the sentences that contain
# any of its keywords (case-insensitive, at a word start, so "home" also finds "homes");
# >= 3 sentences -> met, >= 1 -> partial, else gap. No context, no places, no relevance screen:
# it is the naive method assure has to beat.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Q1": ("housing", "home", "vision", "outcome"),
    "Q2": ("older people", "disabled", "vulnerable", "care leaver", "rough sleep", "families"),
    "Q3": ("data", "jsna", "survey", "statistic", "fuel poverty", "stock condition"),
    "Q4": ("cold", "damp", "mould", "fuel poverty", "hazard", "disrepair", "retrofit", "insulation"),
    "Q5": ("adaptation", "disabled facilities grant", "extra care", "supported housing", "accessible", "assistive technology"),
    "Q6": ("homeless", "rough sleep", "temporary accommodation", "tenancy", "housing first", "eviction"),
    "Q7": ("discharge", "admission", "reablement", "step-down", "step down", "intermediate care"),
    "Q8": ("commissioning", "pooled", "better care fund", "section 75", "funding", "budget"),
    "Q9": ("board", "partnership", "housing association", "district council", "governance", "memorandum"),
    "Q10": ("staff", "training", "workforce", "referral", "refer", "safeguarding", "social prescribing"),
}
BASELINE_MET_MIN = 3
BASELINE_PARTIAL_MIN = 1
BASELINES = ("keywords",)


# ------------------------------------------------------------------------------ labels
@dataclass(frozen=True)
class Label:
    question: str
    verdict: str  # met | partial | gap
    contested: bool = False
    page: int | str | None = None
    quote: str | None = None
    why: str | None = None


@dataclass(frozen=True)
class LabelledDocument:
    label_file: str
    file: str  # as written in the label file
    path: str  # resolved against root
    status: str  # ok | not_applicable
    questions: tuple[Label, ...] = ()
    title: str = ""
    kind: str = ""
    contested: bool = False  # document-level (used for not_applicable documents)

    @property
    def key(self) -> str:
        """Path without its extension: a PDF and a DOCX of one document share it."""
        return os.path.splitext(os.path.normpath(self.path))[0]


def _label_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in LABEL_SUFFIXES and f.is_file())
            if not found:
                raise ConfigError("no label files (*.yaml) in folder", path=str(p))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise ConfigError("label file not found", path=str(p))
    return files


class MissingDocuments(ConfigError):
    """Labelled documents that are not where the labels say (exit 2 unless --allow-missing)."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            f"{len(self.missing)} labelled document(s) not found; --root DIR (or ${ROOT_ENV}) says where "
            "they live, --allow-missing skips them"
        )


ROOT_ENV = "ASSURE_EVAL_ROOT"


def resolve_root(path: Path, root: str, base: Path | None) -> Path:
    """A label file's ``root:``, relative to the label file; when it is not there and ``base``
    (``--root``) is given, the root's path after its leading ``..`` parts is looked for under
    ``base``, longest tail first: with root ``../../../shared/corpus/real``, base may be the
    folder holding ``shared/``, ``shared/`` itself or ``shared/corpus/``."""
    written = (path.parent / root).resolve()
    if written.is_dir() or base is None:
        return written
    parts = [part for part in Path(root).parts if part not in ("..", ".")]
    for i in range(len(parts)):
        candidate = base.joinpath(*parts[i:])
        if candidate.is_dir():
            return candidate.resolve()
    return written


def load_label_file(path: Path, base: Path | None = None) -> tuple[list[LabelledDocument], list[str]]:
    """Validate one label file; returns its documents that exist and skip messages for the rest."""
    from assure.validation import check_schema, read_yaml_located

    data, positions = read_yaml_located(path)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level (see eval/labels/FORMAT.md)", path=str(path))
    check_schema(data, "labels.schema.json", str(path), positions=positions)
    root = resolve_root(path, data["root"], base)
    docs: list[LabelledDocument] = []
    skipped: list[str] = []
    entries = data["documents"]
    if not root.is_dir():
        if entries:
            skipped.append(f"{path}: root {data['root']} not found ({root}); skipped its {len(entries)} document(s)")
        return docs, skipped
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry["file"] in seen:
            raise ConfigError(f"documents[{i}].file: {entry['file']} is labelled twice", path=str(path))
        seen.add(entry["file"])
        target = root / entry["file"]
        if not target.is_file():
            skipped.append(f"{path}: {entry['file']}: file not found under {data['root']}; skipped")
            continue
        labels = tuple(
            Label(
                question=qid,
                verdict=spec["verdict"],
                contested=bool(spec.get("contested", False)),
                page=spec.get("page"),
                quote=spec.get("quote"),
                why=spec.get("why"),
            )
            for qid, spec in sorted((entry.get("questions") or {}).items(), key=lambda kv: int(kv[0][1:]))
        )
        docs.append(
            LabelledDocument(
                label_file=str(path),
                file=entry["file"],
                path=str(target),
                status=entry["status"],
                questions=labels,
                title=entry.get("title", ""),
                kind=entry.get("kind", ""),
                contested=bool(entry.get("contested", False)),
            )
        )
    return docs, skipped


def load_labels(paths: Iterable[str | os.PathLike[str]], base: Path | None = None) -> tuple[list[LabelledDocument], list[str]]:
    """Label files or folders of them -> (documents found, one message per skipped document)."""
    docs: list[LabelledDocument] = []
    skipped: list[str] = []
    for f in _label_files(paths):
        d, s = load_label_file(f, base)
        docs.extend(d)
        skipped.extend(s)
    return docs, skipped


# ------------------------------------------------------------------------------ predictions
@dataclass(frozen=True)
class Prediction:
    """What a predictor said about one document."""

    status: str  # ok | not_applicable | error
    verdicts: dict[str, str] = field(default_factory=dict)  # question id -> met|partial|gap|unassessable
    error: str | None = None
    borderline: frozenset[str] = frozenset()  # question ids whose verdict the predictor itself calls borderline


Predictor = Callable[[str], Prediction]


def engine_predictor(ruleset: Any, options: Any = None) -> Predictor:
    """The real thing: assure.runner.check_file with the given rules."""
    from assure.runner import check_file

    def predict(path: str) -> Prediction:
        result = check_file(path, ruleset, options)
        if result.status.value == "error":
            err = result.error or {}
            return Prediction("error", {}, f"[{err.get('code', 'error')}] {err.get('message', '')}")
        return Prediction(
            result.status.value,
            {q.id: q.status.value for q in result.questions},
            borderline=frozenset(q.id for q in result.questions if q.confidence == "borderline"),
        )

    return predict


def _keyword_regex(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def keyword_verdicts(sentences: Sequence[str], keywords: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """The baseline rule on a list of sentences (see BASELINE_KEYWORDS)."""
    keywords = keywords or BASELINE_KEYWORDS
    out = {}
    for qid, words in keywords.items():
        rx = _keyword_regex(words)
        n = sum(1 for s in sentences if rx.search(s))
        out[qid] = "met" if n >= BASELINE_MET_MIN else "partial" if n >= BASELINE_PARTIAL_MIN else "gap"
    return out


def keyword_predictor(options: Any = None) -> Predictor:
    """The naive keyword-count baseline over the same extracted text."""
    from assure.extract import ExtractOptions, extract

    opts = getattr(options, "extract", None) or ExtractOptions()

    def predict(path: str) -> Prediction:
        try:
            document = extract(path, opts)
        except AssureError as exc:
            return Prediction("error", {}, f"[{exc.code}] {exc.message}")
        sentences = [s for b in document.blocks for s in _SENTENCE_END.split(b.text) if s.strip()]
        return Prediction("ok", keyword_verdicts(sentences))

    return predict


# ------------------------------------------------------------------------------ metrics
@dataclass(frozen=True)
class Item:
    document: str  # the label file's name for the document
    path: str
    question: str
    label: str  # met | partial | gap | not_applicable
    predicted: str  # one of OUTCOMES
    contested: bool = False
    borderline: bool = False  # the predictor called its own verdict borderline

    @property
    def correct(self) -> bool:
        return self.label == self.predicted


def _weight(a: str, b: str) -> float:
    """Quadratic weight on the ordinal scale; 0/1 for anything off it."""
    if a in ORDINAL and b in ORDINAL:
        d = ORDINAL.index(a) - ORDINAL.index(b)
        return d * d / (len(ORDINAL) - 1) ** 2
    return 0.0 if a == b else 1.0


def weighted_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Quadratic-weighted Cohen's kappa: 1 - sum(w*observed) / sum(w*expected).

    Expected counts come from the two raters' marginals. None when undefined (no items,
    or both raters used one and the same category throughout, so chance explains all).
    """
    n = len(pairs)
    if n == 0:
        return None
    cats = sorted({c for p in pairs for c in p}, key=lambda c: OUTCOMES.index(c) if c in OUTCOMES else len(OUTCOMES))
    rows = {c: 0 for c in cats}
    cols = {c: 0 for c in cats}
    observed = 0.0
    for a, b in pairs:
        rows[a] += 1
        cols[b] += 1
        observed += _weight(a, b)
    expected = sum(_weight(a, b) * rows[a] * cols[b] for a in cats for b in cats) / n
    if expected == 0:
        return None
    return 1.0 - observed / expected


@dataclass(frozen=True)
class Metrics:
    n: int
    correct: int
    kappa: float | None
    confusion: tuple[tuple[int, int, int], ...]  # rows: label gap/partial/met; columns: verdict gap/partial/met
    off_scale: dict[str, dict[str, int]]  # label -> {verdict -> count} for pairs outside the 3x3
    false_met: int  # label gap, verdict met
    missed_met: int  # label met, verdict anything but met

    @property
    def agreement(self) -> float | None:
        return self.correct / self.n if self.n else None


def compute_metrics(items: Sequence[Item]) -> Metrics:
    confusion = [[0, 0, 0] for _ in ORDINAL]
    off: dict[str, dict[str, int]] = {}
    for it in items:
        if it.label in ORDINAL and it.predicted in ORDINAL:
            confusion[ORDINAL.index(it.label)][ORDINAL.index(it.predicted)] += 1
        else:
            off.setdefault(it.label, {}).setdefault(it.predicted, 0)
            off[it.label][it.predicted] += 1
    off_sorted = {
        k: dict(sorted(v.items(), key=lambda kv: OUTCOMES.index(kv[0])))
        for k, v in sorted(off.items(), key=lambda kv: OUTCOMES.index(kv[0]))
    }
    return Metrics(
        n=len(items),
        correct=sum(it.correct for it in items),
        kappa=weighted_kappa([(it.label, it.predicted) for it in items]),
        confusion=tuple(tuple(r) for r in confusion),  # type: ignore[misc]
        off_scale=off_sorted,
        false_met=sum(1 for it in items if it.label == "gap" and it.predicted == "met"),
        missed_met=sum(1 for it in items if it.label == "met" and it.predicted != "met"),
    )


def items_for(doc: LabelledDocument, prediction: Prediction, question_ids: Sequence[str]) -> list[Item]:
    """Turn one labelled document and one prediction into comparable items."""

    def predicted(qid: str) -> str:
        if prediction.status in (NOT_APPLICABLE, "error"):
            return prediction.status
        return prediction.verdicts.get(qid, "error")

    if doc.status == NOT_APPLICABLE:
        return [Item(doc.file, doc.path, qid, NOT_APPLICABLE, predicted(qid), doc.contested) for qid in question_ids]
    wanted = set(question_ids)
    return [
        Item(
            doc.file,
            doc.path,
            lab.question,
            lab.verdict,
            predicted(lab.question),
            lab.contested,
            lab.question in prediction.borderline,
        )
        for lab in doc.questions
        if lab.question in wanted
    ]


@dataclass(frozen=True)
class Disagreement:
    """A PDF and a DOCX of the same document that got different verdicts."""

    stem: str
    question: str
    pdf: str
    docx: str


@dataclass(frozen=True)
class Evaluation:
    """Every figure for one predictor over one labelled set."""

    name: str  # "assure" or the baseline's name
    documents: int
    items: tuple[Item, ...]
    overall: Metrics
    uncontested: Metrics
    contested: Metrics
    per_question: dict[str, Metrics]
    per_question_uncontested: dict[str, Metrics]
    document_correct: int  # document status (ok / not_applicable) agreement
    pairs: int  # PDF/DOCX pairs compared
    disagreements: tuple[Disagreement, ...]
    errors: tuple[tuple[str, str], ...]  # (file as labelled, message)
    firm: Metrics | None = None  # items whose verdict the predictor called firm
    borderline: Metrics | None = None  # items whose verdict the predictor called borderline

    @property
    def borderline_share(self) -> float | None:
        """Share of items the predictor called borderline (a reviewer marks about a quarter so)."""
        if self.borderline is None or not self.overall.n:
            return None
        return self.borderline.n / self.overall.n

    @property
    def document_accuracy(self) -> float | None:
        return self.document_correct / self.documents if self.documents else None

    @property
    def false_met_items(self) -> list[Item]:
        return [it for it in self.items if it.label == "gap" and it.predicted == "met"]

    @property
    def missed_met_items(self) -> list[Item]:
        return [it for it in self.items if it.label == "met" and it.predicted != "met"]


def consistency(
    docs: Sequence[LabelledDocument], predictions: Sequence[Prediction], question_ids: Sequence[str]
) -> tuple[int, list[Disagreement]]:
    """Compare the verdicts of every PDF/DOCX pair sharing a path stem."""
    by_key: dict[str, dict[str, Prediction]] = {}
    for doc, pred in zip(docs, predictions, strict=True):
        ext = os.path.splitext(doc.path)[1].lower()
        if ext in (".pdf", ".docx"):
            by_key.setdefault(doc.key, {})[ext[1:]] = pred
    pairs = 0
    out: list[Disagreement] = []
    for key in sorted(by_key):
        both = by_key[key]
        if "pdf" not in both or "docx" not in both:
            continue
        pairs += 1
        stem = os.path.basename(key)
        for qid in question_ids:
            a = _outcome(both["pdf"], qid)
            b = _outcome(both["docx"], qid)
            if a != b:
                out.append(Disagreement(stem, qid, a, b))
    return pairs, out


def _outcome(pred: Prediction, qid: str) -> str:
    if pred.status in (NOT_APPLICABLE, "error"):
        return pred.status
    return pred.verdicts.get(qid, "error")


def score(
    name: str, docs: Sequence[LabelledDocument], predictions: Sequence[Prediction], question_ids: Sequence[str]
) -> Evaluation:
    """All figures for one predictor's outputs on the labelled documents."""
    items: list[Item] = []
    doc_correct = 0
    errors = []
    for doc, pred in zip(docs, predictions, strict=True):
        items.extend(items_for(doc, pred, question_ids))
        if pred.status == doc.status:
            doc_correct += 1
        if pred.status == "error":
            errors.append((doc.file, pred.error or "error"))
    uncontested = [it for it in items if not it.contested]
    contested_items = [it for it in items if it.contested]
    per_q = {q: compute_metrics([it for it in items if it.question == q]) for q in question_ids}
    per_q_u = {q: compute_metrics([it for it in uncontested if it.question == q]) for q in question_ids}
    pairs, disagreements = consistency(docs, predictions, question_ids)
    return Evaluation(
        name=name,
        documents=len(docs),
        items=tuple(items),
        overall=compute_metrics(items),
        uncontested=compute_metrics(uncontested),
        contested=compute_metrics(contested_items),
        per_question=per_q,
        per_question_uncontested=per_q_u,
        document_correct=doc_correct,
        pairs=pairs,
        disagreements=tuple(disagreements),
        errors=tuple(errors),
        firm=compute_metrics([it for it in items if not it.borderline]),
        borderline=compute_metrics([it for it in items if it.borderline]),
    )


@dataclass(frozen=True)
class EvalReport:
    label_files: tuple[str, ...]
    skipped: tuple[str, ...]
    question_ids: tuple[str, ...]
    results: tuple[Evaluation, ...]  # the engine first, then any baseline
    tool_version: str

    @property
    def engine(self) -> Evaluation:
        return self.results[0]


def run_eval(
    label_paths: Sequence[str | os.PathLike[str]],
    ruleset: Any,
    *,
    baseline: str | None = None,
    options: Any = None,
    on_document: Callable[[LabelledDocument, Prediction], None] | None = None,
    root: Path | None = None,
    allow_missing: bool = True,
) -> EvalReport:
    """Load labels, run the engine (and a baseline) over every document found, score both.
    Missing documents raise :class:`MissingDocuments` before any is read unless ``allow_missing``."""
    from assure import __version__

    if baseline is not None and baseline not in BASELINES:
        raise ConfigError(f"unknown baseline {baseline!r} (choose from {', '.join(BASELINES)})")
    if root is not None and not root.is_dir():
        raise ConfigError("--root: folder not found", path=str(root))
    docs, skipped = load_labels(label_paths, root)
    if skipped and not allow_missing:
        raise MissingDocuments(skipped)
    files = tuple(str(f) for f in _label_files(label_paths))
    qids = tuple(q.id for q in ruleset.questions)
    predictors: list[tuple[str, Predictor]] = [("assure", engine_predictor(ruleset, options))]
    if baseline == "keywords":
        predictors.append(("keywords", keyword_predictor(options)))
    results = []
    for name, predict in predictors:
        preds = []
        for doc in docs:
            pred = predict(doc.path)
            preds.append(pred)
            if on_document and name == "assure":
                on_document(doc, pred)
        results.append(score(name, docs, preds, qids))
    return EvalReport(
        label_files=files, skipped=tuple(skipped), question_ids=qids, results=tuple(results), tool_version=__version__
    )


# ------------------------------------------------------------------------------ plain values
def _rate(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def metrics_dict(m: Metrics) -> dict[str, Any]:
    return {
        "n": m.n,
        "correct": m.correct,
        "agreement": _rate(m.agreement),
        "kappa": _rate(m.kappa),
        "false_met": m.false_met,
        "missed_met": m.missed_met,
        "confusion": {"labels": list(ORDINAL), "rows": [list(r) for r in m.confusion]},
        "off_scale": m.off_scale,
    }


def _item_dict(it: Item) -> dict[str, Any]:
    return {
        "document": it.document,
        "question": it.question,
        "label": it.label,
        "verdict": it.predicted,
        "contested": it.contested,
        "borderline": it.borderline,
    }


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    return {
        "name": ev.name,
        "documents": ev.documents,
        "document_accuracy": _rate(ev.document_accuracy),
        "document_correct": ev.document_correct,
        "overall": metrics_dict(ev.overall),
        "uncontested": metrics_dict(ev.uncontested),
        "contested": metrics_dict(ev.contested),
        "firm": metrics_dict(ev.firm) if ev.firm else None,
        "borderline": metrics_dict(ev.borderline) if ev.borderline else None,
        "borderline_share": _rate(ev.borderline_share),
        "per_question": {
            q: {"all": metrics_dict(m), "uncontested": metrics_dict(ev.per_question_uncontested[q])}
            for q, m in ev.per_question.items()
        },
        "false_met": [_item_dict(it) for it in ev.false_met_items],
        "missed_met": [_item_dict(it) for it in ev.missed_met_items],
        "contested_items": [_item_dict(it) for it in ev.items if it.contested],
        "pdf_docx": {
            "pairs": ev.pairs,
            "disagreements": len(ev.disagreements),
            "details": [d.__dict__ for d in ev.disagreements],
        },
        "errors": [{"document": p, "message": m} for p, m in ev.errors],
    }


def report_dict(report: EvalReport) -> dict[str, Any]:
    """The JSON shape of ``assure eval --format json`` (stable key order, no timestamps)."""
    return {
        "schema_version": 1,
        "tool": {"name": "assure", "version": report.tool_version},
        "label_files": list(report.label_files),
        "skipped": list(report.skipped),
        "questions": list(report.question_ids),
        "results": [evaluation_dict(ev) for ev in report.results],
    }


def to_json(report: EvalReport) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
