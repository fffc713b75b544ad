"""Several formats in one run: ``--format junit:report.xml --format html:report.html``.

Each ``NAME[:PATH]`` goes to its own file (written atomically), at most one to stdout.
Everything is rendered before anything is written, so a failure never leaves half a set.
``auto`` is ``github`` under GitHub Actions (GITHUB_ACTIONS=true), else ``text``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assure.errors import AssureError
from assure.models import Report
from assure.names import human_name


@dataclass(frozen=True)
class OutputSpec:
    format: str
    path: str | None  # None: stdout
    via_output: bool = False  # the path came from -o/--output, so messages name that option
    option: str | None = None  # the shorthand that asked for it (--matrix, --heatmap), so messages name it

    @property
    def label(self) -> str:
        """The option a message about this output names: the one the user typed."""
        return self.option or ("-o/--output" if self.via_output else f"--format {self.format}")


def resolve_auto(name: str, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if name != "auto":
        return name
    return "github" if env.get("GITHUB_ACTIONS", "").lower() == "true" else "text"


def parse_specs(
    specs: Sequence[str] | None, output: str | None = None, *, env: Mapping[str, str] | None = None, default: str = "text"
) -> list[OutputSpec]:
    """Turn ``--format`` values into targets; ``-o FILE`` applies to the one without a path."""
    from assure.report import FORMATS

    raw = list(specs) if specs else [default]
    out: list[OutputSpec] = []
    for spec in raw:
        name, sep, path = spec.partition(":")
        name = name.strip().lower()
        if sep and not path.strip():
            raise AssureError(f"--format {spec!r}: missing file name after ':'")
        name = resolve_auto(name, env)
        if name not in FORMATS:
            raise AssureError(f"--format {spec!r}: unknown format (choose from auto, {', '.join(sorted(FORMATS))})")
        out.append(OutputSpec(name, path.strip() if sep else None))
    to_stdout = [s for s in out if s.path is None]
    if len(to_stdout) > 1:
        named = " (--explain is one)" if any(s.format == "explain" for s in to_stdout) else ""
        raise AssureError(f"--format: only one format can go to stdout{named}; give the others a file (NAME:PATH)")
    if output is not None:
        if not to_stdout:
            raise AssureError(
                "-o/--output is the file of the one format without its own, but every --format here "
                "names a file (NAME:PATH); drop -o, or a format's path"
            )
        out = [OutputSpec(s.format, output, via_output=True) if s.path is None else s for s in out]
    paths = [os.path.normpath(s.path) for s in out if s.path]
    if len(paths) != len(set(paths)):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise AssureError(f"--format: two formats write to the same file, {human_name(twice)}")
    return out


def render_all(
    report: Report,
    specs: Sequence[OutputSpec],
    *,
    color: bool = False,
    width: int = 100,
    questions: Sequence[tuple[str, str]] | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    advice: Mapping[str, str] | None = None,
) -> list[tuple[OutputSpec, str]]:
    """Every target rendered (nothing written yet); colour only for stdout. Formats read on a
    terminal get the report with control characters in file names escaped."""
    from assure.names import human_report
    from assure.report import RenderContext, get_format

    human = human_report(report)
    return [
        (
            s,
            get_format(s.format).render(
                human if s.format in HUMAN_FORMATS else report,
                RenderContext(color=color and s.path is None, width=width, questions=questions, skipped=skipped, advice=advice),
            ),
        )
        for s in specs
    ]


HUMAN_FORMATS = ("text", "explain")


def write_files(rendered: Sequence[tuple[OutputSpec, str]]) -> str | None:
    """Write every file target through the output layer; returns the stdout text (if any)."""
    from assure.safewrite import kind_of, write_output

    stdout = None
    for spec, text in rendered:
        if spec.path is None:
            stdout = text
            continue
        write_output(spec.path, text, kind_of(spec.format), label=f"--format {spec.format}")
    return stdout
