"""Configuration: discovery, validation, and the fail policy a team sets for CI.

Discovery order (first found wins, like yamllint and Vale):
``--config FILE``, then ``$ASSURE_CONFIG``, then the nearest ``assure.yaml`` (or
``assure.yml``) or ``pyproject.toml`` with a ``[tool.assure]`` table walking up from the
working folder, then the built-in defaults. Command-line flags override the file.

The policy decides which verdicts *fail* the run; it never changes what is shown.
Suppressed and baselined findings stay in every report, marked as such.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from assure import inline
from assure.errors import AssureError, ConfigError, ConfigProblems, Problem
from assure.models import DocStatus, DocumentResult, FailLevel, Report, Status
from assure.validation import Problems, read_yaml_located

if TYPE_CHECKING:  # pragma: no cover
    from assure.baseline import Baseline
    from assure.safeio import Positions

ENV_VAR = "ASSURE_CONFIG"
FILE_NAMES = ("assure.yaml", "assure.yml")
KEYS = (
    "questions",
    "select",
    "extend_select",
    "ignore",
    "per_file_ignores",
    "rules",
    "questions_dir",
    "fail_on",
    "fail_under",
    "fail_on_not_applicable",
    "baseline",
    "per_question",
    "suppressions",
    "inline_suppressions",
)
PATH_KEYS = ("rules", "questions_dir", "baseline")
DEFAULT_SOURCE = "default"
FLAGS = {
    "questions": "--question",
    "select": "--select",
    "extend_select": "--extend-select",
    "ignore": "--ignore",
    "questions_dir": "--questions",
    "rules": "--rules",
    "fail_on": "--fail-on",
    "fail_under": "--fail-under",
    "fail_on_not_applicable": "--fail-on-not-applicable",
    "baseline": "--baseline",
    "inline_suppressions": "--no-inline-suppressions",
}


@dataclass(frozen=True)
class Suppression:
    """An accepted finding; ``reason`` is required so a reviewer can see why."""

    question: str  # Q4, or * for every question
    reason: str
    files: str = "*"
    quote: str | None = None

    def matches(self, path: str, qid: str, quotes: list[str], base: Path | None) -> bool:
        if self.question != "*" and self.question != qid:
            return False
        if not _glob_match(path, self.files, base):
            return False
        if self.quote is not None:
            wanted = _norm(self.quote)
            return any(wanted in _norm(q) for q in quotes)
        return True

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "files": self.files}
        if self.quote is not None:
            out["quote"] = self.quote
        out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class QuestionPolicy:
    fail_on: str | None = None
    fail_under: int | None = None


@dataclass(frozen=True)
class Config:
    """The merged configuration; ``sources`` says where each value came from."""

    questions: tuple[str, ...] | None = None
    # question or rule ids as written (assure.selection resolves them against the rules)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, ids), in file order
    rules: str | None = None
    questions_dir: str | None = None
    fail_on: str = FailLevel.GAP.value
    fail_under: int | None = None
    fail_on_not_applicable: bool = False  # a document the relevance screen sets aside fails the run
    baseline: str | None = None
    per_question: tuple[tuple[str, QuestionPolicy], ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    inline_suppressions: bool = True  # apply the documents' own "assure: ignore" directives (assure/inline.py)
    path: str | None = None  # the config file used, if any
    found_by: str | None = None  # --config | ASSURE_CONFIG | search
    sources: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # where each key and item of the file starts (keys read with - as _), for problems found
    # once the rules are loaded (an unknown id in ignore:); TOML gives lines only
    positions: Positions | None = field(default=None, compare=False, repr=False)
    # the question ids the fail policy names (per_question keys, suppressions' question) and their key paths
    policy_questions: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    # load_config(defer_problems=True): the file's schema problems, its invalid keys left out, so the
    # caller can list them with the ids the rules do not have, all at once
    pending_problems: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def source(self, key: str) -> str:
        return dict(self.sources).get(key, DEFAULT_SOURCE)

    def question_policy(self, qid: str) -> QuestionPolicy:
        return dict(self.per_question).get(qid, QuestionPolicy())

    def fail_level(self, qid: str) -> str:
        return self.question_policy(qid).fail_on or self.fail_on

    @property
    def base_dir(self) -> Path | None:
        return Path(self.path).resolve().parent if self.path else None

    def locate(self, parts: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """The line and column of the config file's key path ``parts`` (or of the nearest key above it)."""
        return Problems(self.path or "", self.positions).locate(parts)

    def with_overrides(self, **values: Any) -> Config:
        """Command-line flags win over the file; ``None`` means the flag was not given."""
        given = {k: v for k, v in values.items() if v is not None and v != []}
        if not given:
            return self
        sources = dict(self.sources)
        for key in given:
            sources[key] = f"command line ({FLAGS.get(key, '--' + key.replace('_', '-'))})"
        if "questions" in given:  # repeatable or comma-separated, as --select is: --question Q4,Q5
            given["questions"] = tuple(q.strip().upper() for v in given["questions"] for q in v.split(",") if q.strip())
        return replace(self, **given, sources=tuple(sorted(sources.items())))

    def is_default_policy(self) -> bool:
        return (
            self.fail_on == FailLevel.GAP.value
            and self.fail_under is None
            and not self.fail_on_not_applicable
            and not self.per_question
            and not self.suppressions
            and self.inline_suppressions
        )

    def policy_dict(self) -> dict[str, Any]:
        """The fail policy as plain data, for machine output."""
        return {
            "fail_on": self.fail_on,
            "fail_under": self.fail_under,
            "fail_on_not_applicable": self.fail_on_not_applicable,
            "per_question": {
                q: {k: v for k, v in (("fail_on", p.fail_on), ("fail_under", p.fail_under)) if v is not None}
                for q, p in self.per_question
            },
            "suppressions": [s.as_dict() for s in self.suppressions],
            "inline_suppressions": self.inline_suppressions,
        }

    def values(self) -> dict[str, Any]:
        """Every key with its merged value (JSON-ready), in a fixed order."""
        pol = self.policy_dict()
        return {
            "questions": list(self.questions) if self.questions else None,
            "select": list(self.select) if self.select is not None else None,
            "extend_select": list(self.extend_select),
            "ignore": list(self.ignore),
            "per_file_ignores": {glob: list(ids) for glob, ids in self.per_file_ignores},
            "rules": self.rules,
            "questions_dir": self.questions_dir,
            "fail_on": self.fail_on,
            "fail_under": self.fail_under,
            "fail_on_not_applicable": self.fail_on_not_applicable,
            "baseline": self.baseline,
            "per_question": pol["per_question"],
            "suppressions": pol["suppressions"],
            "inline_suppressions": self.inline_suppressions,
        }


# --- discovery and loading -------------------------------------------------------------


def find_config_file(cwd: Path) -> tuple[Path, bool] | None:
    """The nearest assure.yaml or pyproject.toml with [tool.assure], walking up from ``cwd``.

    Returns (path, is_pyproject)."""
    here = cwd.resolve()
    for folder in (here, *here.parents):
        for name in FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate, False
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject, True
    return None


def load_config(
    explicit: str | os.PathLike[str] | None = None,
    *,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    defer_problems: bool = False,
) -> Config:
    """Find, read and validate the configuration; raises ConfigError naming the file and key
    (with ``defer_problems``, a value of the wrong kind is left out and kept in ``pending_problems``)."""
    env = dict(os.environ) if env is None else env
    cwd_path = Path(cwd) if cwd is not None else Path.cwd()
    if explicit is not None:
        path, how = Path(explicit), "--config"
    elif env.get(ENV_VAR):
        path, how = Path(env[ENV_VAR]), ENV_VAR
    else:
        found = find_config_file(cwd_path)
        if found is None:
            return Config()
        path, how = found[0], "search"
    if not path.is_absolute():
        path = cwd_path / path
    if not path.exists():  # anything else (a FIFO, a device) is refused by the safe reader
        where = f" (from {how})" if how != "search" else ""
        raise ConfigError(f"config file not found{where}", path=str(path))
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        data = _pyproject_table(path)
        if data is None:
            raise ConfigError("no [tool.assure] table", path=str(path))
        label = f"{path} [tool.assure]"
        positions = _toml_key_lines(path)
    else:
        data, positions = read_yaml_located(path)
        label = str(path)
    return config_from_data(data, path=path, label=label, found_by=how, positions=positions, defer_problems=defer_problems)


def config_from_data(
    data: Any,
    *,
    path: Path,
    label: str,
    found_by: str,
    positions: Positions | None = None,
    defer_problems: bool = False,
) -> Config:
    """Validate a parsed config mapping and turn it into a Config; every problem is reported
    at once, at its key's line (and column, for YAML) when ``positions`` has it."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", path=label)
    data = {str(k).replace("-", "_"): v for k, v in data.items()}
    if positions is not None:  # keys are read with - as _ (fail-under: fail_under)
        positions = {((str(p[0]).replace("-", "_"), *p[1:]) if p else p): where for p, where in positions.items()}
    pending, invalid = _validate(data, str(path), positions)
    if pending and not defer_problems:
        raise ConfigProblems(pending)
    data = {k: v for k, v in data.items() if k not in invalid}
    base = path.resolve().parent
    values: dict[str, Any] = {}
    for key in PATH_KEYS:
        if key in data:
            values[key] = os.path.normpath(str(base / Path(str(data[key]).strip())))
    if "questions" in data:
        values["questions"] = tuple(qid(q) for q in data["questions"])
    for key in ("select", "extend_select", "ignore"):
        if key in data:
            values[key] = tuple(str(i).strip() for i in data[key])
    if "per_file_ignores" in data:
        values["per_file_ignores"] = tuple(
            (str(glob), tuple(str(i).strip() for i in ids)) for glob, ids in data["per_file_ignores"].items()
        )
    for key in ("fail_on", "fail_under", "fail_on_not_applicable", "inline_suppressions"):
        if key in data:
            values[key] = data[key]
    if "per_question" in data:
        values["per_question"] = tuple(
            sorted(
                (qid(q), QuestionPolicy(fail_on=p.get("fail_on"), fail_under=p.get("fail_under")))
                for q, p in data["per_question"].items()
            )
        )
        values["policy_questions"] = tuple((qid(q), ("per_question", q)) for q in data["per_question"])
    if "suppressions" in data:
        values["suppressions"] = tuple(
            Suppression(question=qid(s["question"]), reason=s["reason"].strip(), files=s.get("files", "*"), quote=s.get("quote"))
            for s in data["suppressions"]
        )
        values["policy_questions"] = values.get("policy_questions", ()) + tuple(
            (qid(s["question"]), ("suppressions", i, "question")) for i, s in enumerate(data["suppressions"])
        )
    sources = tuple(sorted((k, label) for k in values if k != "policy_questions"))
    return Config(
        **values, path=str(path), found_by=found_by, sources=sources, positions=positions, pending_problems=tuple(pending)
    )


def named_by_config(exc: AssureError, cfg: Config | None, paths: Mapping[str, str | os.PathLike[str] | None]) -> AssureError:
    """``exc`` with "(rules: in assure.yaml:3)" added when the file it is about came from a config
    file's key and could not be found (a mistyped path there otherwise reads as a missing option)."""
    if cfg is None or cfg.path is None or "not found" not in exc.message:
        return exc
    for key, path in paths.items():
        source = cfg.source(key)
        if path is None or exc.path != str(path) or source == DEFAULT_SOURCE or source.startswith("command line"):
            continue
        line = cfg.locate((key,))[0]
        exc.message += f" (named by {key}: in {cfg.path}{f':{line}' if line else ''})"
        break
    return exc


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

    from assure.names import bounded
    from assure.safeio import read_user_text

    try:
        data = tomllib.loads(read_user_text(path, "config file"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {bounded(str(exc), 200)}", path=str(path)) from None
    except (ValueError, RecursionError) as exc:  # an integer too long to convert
        raise ConfigError(f"invalid TOML: {bounded(str(exc) or type(exc).__name__, 200)}", path=str(path)) from None
    table = data.get("tool", {}).get("assure")
    if table is not None and not isinstance(table, dict):
        raise ConfigError("[tool.assure] must be a table", path=str(path))
    return table


def _toml_key_lines(path: Path) -> Positions:
    """The line of each key of ``[tool.assure]`` (tomllib gives no positions): a simple scan
    of ``key =`` lines and ``[tool.assure.X]`` / ``[[tool.assure.X]]`` headers; no columns."""
    from assure.safeio import read_user_text

    out: Positions = {}
    table: tuple[Any, ...] | None = None  # the key path of the table being read; None: not ours
    arrays: dict[tuple[Any, ...], int] = {}
    for number, raw in enumerate(read_user_text(path, "config file").splitlines(), 1):
        line = raw.strip()
        header = re.fullmatch(r"(\[\[?)\s*([^\[\]\"']+?)\s*\]\]?\s*(#.*)?", line)
        if header:
            names = tuple(part.strip() for part in header.group(2).split("."))
            table = names[2:] if names[:2] == ("tool", "assure") else None
            if table is not None and header.group(1) == "[[":
                arrays[table] = arrays.get(table, -1) + 1
                table = (*table, arrays[table])
            if table is not None:
                out.setdefault(table, (number, None))
            continue
        key = re.match(r"([A-Za-z0-9_.\-\s\"]+?)\s*=", line) if table is not None else None
        if key and table is not None:
            names = tuple(part.strip().strip('"').replace("-", "_") for part in key.group(1).split("."))
            for depth in range(1, len(names) + 1):
                out.setdefault((*table, *names[:depth]), (number, None))
    return out


def _validate(data: dict[str, Any], file: str, positions: Positions | None) -> tuple[list[Problem], set[str]]:
    """The schema's problems, and the top-level keys they are in (an unknown key is never read,
    so a problem at the top level itself names none)."""
    problems = Problems(file, positions)
    paths = problems.add_schema_errors(data, "config.schema.json")
    return problems.found, {str(p[0]) for p in paths if p}


def render_config(config: Config, fmt: str = "text") -> str:
    """``assure config show``: the merged values and where each came from."""
    values = config.values()
    if fmt == "json":
        out = {
            "config_file": config.path,
            "found_by": config.found_by,
            "values": {k: {"value": v, "source": config.source(k)} for k, v in values.items()},
        }
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    lines = []
    if config.path:
        how = {"--config": "given with --config", ENV_VAR: f"from ${ENV_VAR}", "search": "nearest to the working folder"}
        lines.append(f"# config file: {config.path} ({how.get(config.found_by or '', config.found_by)})")
    else:
        lines.append(
            f"# no config file found (looked for --config, ${ENV_VAR}, {', '.join(FILE_NAMES)} "
            "and [tool.assure] in pyproject.toml walking up): built-in defaults"
        )
    for key, value in values.items():
        note = ""
        if value is None:
            note = f" (built-in: {_built_in(key)})" if key in ("rules", "questions_dir") else _BUILT_IN_NOTES.get(key, "")
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}  # {config.source(key)}{note}")
    return "\n".join(lines) + "\n"


def _built_in(key: str) -> str:
    from assure.resources import default_questions_dir, default_rules_path

    return str(default_rules_path() if key == "rules" else default_questions_dir())


# what a null means, so `config show` never leaves the reader guessing
_BUILT_IN_NOTES = {
    "questions": " (all questions)",
    "select": " (everything)",
    "fail_under": " (no score threshold)",
    "baseline": " (no baseline)",
}


# --- the fail policy -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A question (or a whole document) at or beyond its fail level, and what became of it."""

    path: str
    question: str | None  # None: a document-level finding (overall score, or not applicable)
    status: str  # the verdict; "score" (under fail_under) or "not_applicable" (fail_on_not_applicable)
    score: int | None
    why: str  # why it is a finding
    outcome: str  # fail | suppressed | baselined
    note: str | None = None  # the suppression's reason, or what the baseline recorded
    inline: bool = False  # suppressed by a directive in the document itself (assure/inline.py)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "question": self.question,
            "status": self.status,
            "score": self.score,
            "why": self.why,
            "outcome": self.outcome,
            "note": self.note,
        } | ({"inline": True} if self.inline else {})


def evaluate(report: Report, config: Config, baseline: Baseline | None = None) -> tuple[Finding, ...]:
    """Every finding in document and question order, each marked fail, suppressed or baselined.

    A directive in the document itself (assure/inline.py) is looked at before the config's
    suppressions: it is the more specific, and its reason sits next to the text."""
    base = config.base_dir
    out: list[Finding] = []
    for doc in report.documents:
        if doc.status is DocStatus.NOT_APPLICABLE and config.fail_on_not_applicable:
            out.append(_not_applicable_finding(doc, baseline))
        if doc.status is not DocStatus.OK:
            continue
        known = baseline.document(doc.path) if baseline is not None else None
        for q in doc.questions:
            level = config.fail_level(q.id)
            reasons = []
            if q.status in FailLevel(level).failing:
                reasons.append(f"{q.status.value} (fails on {level})")
            limit = config.question_policy(q.id).fail_under
            if limit is not None and q.status is not Status.UNASSESSABLE and q.score < limit:
                reasons.append(f"score {q.score} under {limit}")
            if not reasons:
                continue
            why = "; ".join(reasons)
            directive = inline.matching(doc.directives, q.id) if config.inline_suppressions else None
            if directive is not None:
                out.append(Finding(doc.path, q.id, q.status.value, q.score, why, "suppressed", inline.note(directive), True))
                continue
            quotes = [e.quote for e in q.evidence]
            supp = next((s for s in config.suppressions if s.matches(doc.path, q.id, quotes, base)), None)
            if supp is not None:
                out.append(Finding(doc.path, q.id, q.status.value, q.score, why, "suppressed", supp.reason))
                continue
            if baseline is not None:
                accepted = baseline.accepts(known, q.id, q.status.value)
                if accepted is not None:
                    out.append(Finding(doc.path, q.id, q.status.value, q.score, why, "baselined", accepted))
                    continue
                why += f"; {baseline.before(known, q.id)}"  # a regression reads as one ("met in the baseline")
            out.append(Finding(doc.path, q.id, q.status.value, q.score, why, "fail"))
        if config.fail_under is not None and doc.score is not None and doc.score < config.fail_under:
            why = f"overall score {doc.score} under {config.fail_under}"
            accepted = baseline.accepts_score(known, doc.score) if baseline is not None else None
            if accepted is not None:
                out.append(Finding(doc.path, None, "score", doc.score, why, "baselined", accepted))
            else:
                out.append(Finding(doc.path, None, "score", doc.score, why, "fail"))
    return tuple(out)


def _not_applicable_finding(doc: DocumentResult, baseline: Baseline | None) -> Finding:
    """fail_on_not_applicable: a draft too short or off-topic for the relevance screen fails
    instead of passing silently, unless the baseline already had it as not applicable."""
    from assure.report._common import not_applicable_why

    why = not_applicable_why(doc)
    accepted = baseline.accepts_not_applicable(baseline.document(doc.path)) if baseline is not None else None
    if accepted is not None:
        return Finding(doc.path, None, DocStatus.NOT_APPLICABLE.value, None, why, "baselined", accepted)
    return Finding(doc.path, None, DocStatus.NOT_APPLICABLE.value, None, why, "fail")


def apply_policy(report: Report, config: Config, baseline: Baseline | None = None) -> Report:
    """Attach the policy and its findings to the report when they differ from the defaults,
    so every formatter (and the exit code) sees the same decision; default output is unchanged."""
    if config.is_default_policy() and baseline is None and not any(d.directives for d in report.documents):
        return report
    findings = evaluate(report, config, baseline)
    documents = tuple(inline.settle(d, findings, config.inline_suppressions) for d in report.documents)
    policy = config.policy_dict()
    policy["baseline"] = baseline.path if baseline is not None else None
    extra = dict(report.extra)
    extra["policy"] = policy
    extra["findings"] = [f.as_dict() for f in findings]
    return replace(report, documents=documents, extra=extra)


def findings_of(report: Report) -> tuple[Finding, ...]:
    """The findings attached by :func:`apply_policy`, or those of the default policy."""
    data = report.extra.get("findings")
    if data is None:
        return evaluate(report, Config())
    return tuple(Finding(**f) for f in data)


def finding_index(report: Report) -> dict[tuple[str, str | None], Finding]:
    return {(f.path, f.question): f for f in findings_of(report)}


# --- helpers -----------------------------------------------------------------------------


def qid(text: str) -> str:
    """Q04, q4 and Q4 all name question Q4."""
    return "*" if text == "*" else f"Q{int(text[1:])}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _glob_match(path: str, pattern: str, base: Path | None) -> bool:
    """fnmatch on the path as given and, when a config file is in use, relative to its folder."""
    if pattern in ("*", "**"):
        return True
    candidates = {PurePosixPath(Path(path).as_posix()).as_posix(), os.path.normpath(path).replace(os.sep, "/")}
    if base is not None:
        try:
            candidates.add(Path(path).resolve().relative_to(base).as_posix())
        except ValueError:
            pass
    pattern = pattern.replace(os.sep, "/")
    return any(fnmatch.fnmatchcase(c, pattern) or fnmatch.fnmatchcase(c, pattern.removeprefix("./")) for c in candidates)
