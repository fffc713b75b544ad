"""Run the command lines that docs/ci.md tells users to paste into GitHub Actions, GitLab CI,
Azure Pipelines and pre-commit, in a scratch repository of drafts, with the installed
`assure` executable - and check each consumer's file is there and parses."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "ci.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
COMMAND = re.compile(r"^\s*(?:-\s+)?(?:run:\s+|script:\s+)?(assure\s+.*?)\s*(?:#.*)?$")


def documented_commands() -> list[tuple[str, str]]:
    """(section heading, command line) for every `assure ...` line in a fenced block."""
    text = DOC.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        heading = re.findall(r"^## (.+)$", text[: m.start()], flags=re.MULTILINE)[-1]
        for line in m.group(2).splitlines():
            c = COMMAND.match(line)
            if c:
                out.append((heading, c.group(1)))
    return out


def assure_exe() -> str:
    exe = Path(sys.executable).with_name("assure")
    found = str(exe) if exe.exists() else shutil.which("assure")
    if not found:
        pytest.skip("the assure executable is not installed (pip install -e '.[test]')")
    return found


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of drafts like the docs assume: drafts/ plus older copies for diff."""
    ws = tmp_path_factory.mktemp("council-repo")
    (ws / "drafts").mkdir()
    shutil.copy(REPO / "samples" / "mixed.pdf", ws / "drafts" / "strategy.pdf")
    shutil.copy(REPO / "samples" / "weak.docx", ws / "drafts" / "annex.docx")
    shutil.copy(REPO / "samples" / "weak.pdf", ws / "base.pdf")
    shutil.copy(REPO / "samples" / "weak.pdf", ws / "old-draft.pdf")
    shutil.copy(REPO / "samples" / "mixed.pdf", ws / "new-draft.pdf")
    return ws


def run(command: str, cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSURE_CONFIG", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR")}
    env.update(env_extra or {})
    argv = shlex.split(command)
    argv[0] = assure_exe()
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_docs_have_snippets_for_each_ci() -> None:
    sections = {h for h, _ in documented_commands()}
    assert {"GitHub Actions", "GitLab CI", "Azure Pipelines", "Baselines", "Comparing two drafts"} <= sections


@pytest.mark.slow
def test_github_actions_snippet(workspace: Path, tmp_path: Path) -> None:
    from test_formats import _sarif_validator

    commands = [c for h, c in documented_commands() if h == "GitHub Actions"]
    assert len(commands) == 2
    summary = tmp_path / "step-summary.md"
    check = run(commands[0], workspace, {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert check.returncode in (0, 1), check.stderr
    assert check.stdout.startswith("::"), check.stdout[:200]  # --format auto is github under Actions
    assert summary.read_text(encoding="utf-8").startswith("## assure report")
    sarif = json.loads((workspace / "assure.sarif").read_text(encoding="utf-8"))
    assert list(_sarif_validator().iter_errors(sarif)) == []
    assert "<svg" in (workspace / "assure.html").read_text(encoding="utf-8")
    diff = run(commands[1], workspace)
    assert diff.returncode in (0, 1), diff.stderr
    assert (workspace / "assure-diff.md").read_text(encoding="utf-8").startswith("## assure diff")


@pytest.mark.slow
def test_gitlab_and_azure_snippets(workspace: Path) -> None:
    [gitlab] = [c for h, c in documented_commands() if h == "GitLab CI"]
    result = run(gitlab, workspace)
    assert result.returncode in (0, 1), result.stderr
    assert "overall score" in result.stdout  # the text report on the job log
    issues = json.loads((workspace / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    root = ET.parse(workspace / "assure-junit.xml").getroot()
    assert root.tag == "testsuites" and int(root.get("tests")) == 20  # two documents x ten questions
    [azure] = [c for h, c in documented_commands() if h == "Azure Pipelines"]
    result = run(azure, workspace)
    assert result.returncode in (0, 1) and result.stdout == "", result.stderr


@pytest.mark.slow
def test_baseline_and_diff_snippets(workspace: Path) -> None:
    write, check = [c for h, c in documented_commands() if h == "Baselines"]
    assert run(write, workspace).returncode == 0
    assert json.loads((workspace / "assure-baseline.json").read_text())["baseline_version"] == 1
    result = run(check, workspace)
    assert result.returncode == 0, result.stdout + result.stderr  # nothing regressed since the baseline
    [diff] = [c for h, c in documented_commands() if h == "Comparing two drafts"]
    result = run(diff, workspace)
    assert result.returncode in (0, 1) and result.stdout.startswith("## assure diff"), result.stderr


@pytest.mark.slow
def test_pre_commit_hooks(workspace: Path) -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"assure", "assure-report"}
    for hook in hooks.values():
        assert hook["language"] == "python" and {"id", "name", "entry"} <= set(hook)
        assert re.search(hook["files"], "drafts/strategy.pdf") and not re.search(hook["files"], "setup.py")
    # pre-commit runs `entry` with the changed files appended
    files = "drafts/strategy.pdf drafts/annex.docx"
    strict = run(f"{hooks['assure']['entry']} {files}", workspace)
    assert strict.returncode == 1 and "overall score" in strict.stdout  # the samples have gaps: the commit is stopped
    report = run(f"{hooks['assure-report']['entry']} {files}", workspace)
    assert report.returncode == 0 and report.stdout.startswith("## assure report")
