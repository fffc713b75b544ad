"""Run the command lines that docs/ci.md tells users to paste into GitHub Actions, GitLab CI,
Azure Pipelines and pre-commit, in a scratch repository of drafts, with `assure` installed from
the freshly built wheel - and check each consumer's file is there and parses. Also: every
install line names our distribution, the composite action's scripts run, and the Dockerfile
installs that wheel with the command as entry point."""

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


ACTION = REPO / "action.yml"
DOCKERFILE = REPO / "Dockerfile"
INSTALL = re.compile(r"\b(?:pip|pipx)\s+install\s+(.+?)\s*(?:#.*)?$", re.MULTILINE)


def distribution_name() -> str:
    """The [project] name in pyproject.toml."""
    return re.search(r'^name = "([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE).group(1)


class Installed:
    """`assure` from the built wheel, installed into its own folder (dependencies from this venv)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.bin = target / "bin"
        self.exe = str(self.bin / "assure")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("ASSURE_CONFIG", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR")}
        env["PYTHONPATH"] = str(self.target)  # ahead of site-packages, so the wheel's assure wins over an editable install
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return env


@pytest.fixture(scope="module")
def installed(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(built_wheel)],
                   check=True, capture_output=True, timeout=300)
    inst = Installed(target)
    where = subprocess.run([sys.executable, "-c", "import assure; print(assure.__file__)"], env=inst.env(), cwd=target.parent,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(target), where  # the snippets run the wheel, not the checkout
    return inst


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


def run(command: str, cwd: Path, installed: Installed, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = installed.env()
    env.update(env_extra or {})
    argv = shlex.split(command)
    assert argv[0] == "assure"
    argv[0] = installed.exe
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_docs_have_snippets_for_each_ci() -> None:
    sections = {h for h, _ in documented_commands()}
    assert {"GitHub Actions", "GitLab CI", "Azure Pipelines", "Baselines", "Comparing two drafts"} <= sections


@pytest.mark.slow
def test_github_actions_snippet(workspace: Path, tmp_path: Path, installed: Installed) -> None:
    from test_formats import _sarif_validator

    commands = [c for h, c in documented_commands() if h == "GitHub Actions"]
    assert len(commands) == 2
    summary = tmp_path / "step-summary.md"
    check = run(commands[0], workspace, installed, {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert check.returncode in (0, 1), check.stderr
    assert check.stdout.startswith("::"), check.stdout[:200]  # --format auto is github under Actions
    assert summary.read_text(encoding="utf-8").startswith("## assure report")
    sarif = json.loads((workspace / "assure.sarif").read_text(encoding="utf-8"))
    assert list(_sarif_validator().iter_errors(sarif)) == []
    assert "<svg" in (workspace / "assure.html").read_text(encoding="utf-8")
    diff = run(commands[1], workspace, installed)
    assert diff.returncode in (0, 1), diff.stderr
    assert (workspace / "assure-diff.md").read_text(encoding="utf-8").startswith("## assure diff")


@pytest.mark.slow
def test_gitlab_and_azure_snippets(workspace: Path, installed: Installed) -> None:
    [gitlab] = [c for h, c in documented_commands() if h == "GitLab CI"]
    result = run(gitlab, workspace, installed)
    assert result.returncode in (0, 1), result.stderr
    assert "overall score" in result.stdout  # the text report on the job log
    issues = json.loads((workspace / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    root = ET.parse(workspace / "assure-junit.xml").getroot()
    assert root.tag == "testsuites" and int(root.get("tests")) == 20  # two documents x ten questions
    [azure] = [c for h, c in documented_commands() if h == "Azure Pipelines"]
    result = run(azure, workspace, installed)
    assert result.returncode in (0, 1) and result.stdout == "", result.stderr


@pytest.mark.slow
def test_baseline_and_diff_snippets(workspace: Path, installed: Installed) -> None:
    write, check = [c for h, c in documented_commands() if h == "Baselines"]
    assert run(write, workspace, installed).returncode == 0
    assert json.loads((workspace / "assure-baseline.json").read_text())["baseline_version"] == 1
    result = run(check, workspace, installed)
    assert result.returncode == 0, result.stdout + result.stderr  # nothing regressed since the baseline
    [diff] = [c for h, c in documented_commands() if h == "Comparing two drafts"]
    result = run(diff, workspace, installed)
    assert result.returncode in (0, 1) and result.stdout.startswith("## assure diff"), result.stderr


@pytest.mark.slow
def test_pre_commit_hooks(workspace: Path, installed: Installed) -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"assure", "assure-report"}
    for hook in hooks.values():
        assert hook["language"] == "python" and {"id", "name", "entry"} <= set(hook)
        assert re.search(hook["files"], "drafts/strategy.pdf") and not re.search(hook["files"], "setup.py")
    # pre-commit runs `entry` with the changed files appended
    files = "drafts/strategy.pdf drafts/annex.docx"
    strict = run(f"{hooks['assure']['entry']} {files}", workspace, installed)
    assert strict.returncode == 1 and "overall score" in strict.stdout  # the samples have gaps: the commit is stopped
    report = run(f"{hooks['assure-report']['entry']} {files}", workspace, installed)
    assert report.returncode == 0 and report.stdout.startswith("## assure report")


def test_every_install_line_names_our_distribution() -> None:
    """`pip install assure` fetches an unrelated library from the index: every install line in the
    docs, the README and the hooks must name our distribution (or a local checkout or wheel)."""
    name = distribution_name()
    assert name == "assure-housing-health"
    seen = 0
    for source in (DOC, REPO / "README.md"):
        blocks = "\n".join(m.group(2) for m in FENCE.finditer(source.read_text(encoding="utf-8")))
        for spec in INSTALL.findall(blocks):
            seen += 1
            local = spec.startswith((".", "-e .", "-e '.")) or ".whl" in spec
            assert local or spec.strip("'\"").startswith(name), f"{source.name}: `pip install {spec}` does not install {name}"
    assert seen >= 6
    ci = DOC.read_text(encoding="utf-8")
    for heading in ("GitHub Actions", "GitLab CI", "Azure Pipelines"):
        section = ci.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert f"pip install {name}" in section, heading


def test_the_wheel_is_the_distribution_the_snippets_install(built_wheel: Path) -> None:
    import zipfile

    with zipfile.ZipFile(built_wheel) as zf:
        [meta] = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        headers = zf.read(meta).decode("utf-8").split("\n\n", 1)[0]
    assert re.search(rf"^Name: {re.escape(distribution_name())}$", headers, re.MULTILINE), headers


def _action() -> dict:
    import yaml

    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_yml_is_a_composite_action_with_the_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "formats", "fail-on", "upload-sarif", "sarif-file", "config", "args", "package"} <= set(action["inputs"])
    assert action["inputs"]["fail-on"]["default"] == "gap"
    steps = action["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash"
            assert "${{" not in step["run"], "inputs reach scripts through env, never pasted into shell code"
    install = next(s for s in steps if s.get("name") == "Install assure")
    assert "github.action_path" in install["env"]["ASSURE_PACKAGE"] and "pip install" in install["run"]
    # the docs show the same inputs the action declares
    documented = re.findall(r"^\s+#?\s*([a-z-]+):", DOC.read_text(encoding="utf-8").split("## The assure GitHub Action", 1)[1]
                            .split("## Container image", 1)[0].split("with:", 1)[1], re.MULTILINE)
    assert set(documented) <= set(action["inputs"]), set(documented) - set(action["inputs"])


def _step_script(name: str) -> tuple[str, dict[str, str]]:
    step = next(s for s in _action()["runs"]["steps"] if s.get("name") == name)
    return step["run"], step.get("env", {})


def _action_env(installed: Installed, inputs: dict[str, str], output: Path) -> tuple[dict[str, str], dict[str, str]]:
    """What GitHub gives the step: each `${{ inputs.X }}` in env becomes the input (or its default)."""
    action = _action()
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
    env = installed.env()
    env["GITHUB_OUTPUT"] = str(output)
    return env, values


@pytest.mark.slow
def test_action_check_step_runs_against_the_wheel(workspace: Path, installed: Installed, tmp_path: Path) -> None:
    from test_formats import _sarif_validator

    script, step_env = _step_script("Check")
    output = tmp_path / "github-output"
    env, values = _action_env(installed, {"paths": "drafts/strategy.pdf\ndrafts/annex.docx", "formats": "text html:action.html",
                                          "sarif-file": "action.sarif"}, output)
    for key, expr in step_env.items():
        m = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expr)
        assert m, expr
        env[key] = values[m.group(1)]
    result = subprocess.run(["bash", "-c", script], cwd=workspace, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr  # the step itself never fails: the upload must still run
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs == {"exit-code": "1", "sarif-file": "action.sarif"}  # the samples have gaps
    assert "overall score" in result.stdout
    sarif = json.loads((workspace / "action.sarif").read_text(encoding="utf-8"))
    assert list(_sarif_validator().iter_errors(sarif)) == []
    assert "drafts/strategy.pdf" in json.dumps(sarif) and "drafts/annex.docx" in json.dumps(sarif)  # both paths were passed
    assert (workspace / "action.html").is_file()
    # a wrong fail-on is a usage error: exit 2 reaches the last step
    env["ASSURE_FAIL_ON"] = "sometimes"
    output.write_text("")
    subprocess.run(["bash", "-c", script], cwd=workspace, env=env, capture_output=True, text=True, timeout=300, check=True)
    assert "exit-code=2" in output.read_text()
    final, _ = _step_script("Fail on findings")
    for code, expected in (("0", 0), ("1", 1), ("2", 2)):
        done = subprocess.run(["bash", "-c", final], env={**env, "ASSURE_EXIT_CODE": code}, capture_output=True, text=True, check=False)
        assert done.returncode == expected, (code, done.stderr)


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_installs_the_wheel_with_assure_as_entrypoint(built_wheel: Path) -> None:
    steps = _dockerfile_instructions()
    bases = [rest for word, rest in steps if word == "FROM"]
    assert bases and all(re.match(r"python:3\.\d+-slim\b", b) for b in bases), bases
    final = steps[max(i for i, (w, _) in enumerate(steps) if w == "FROM"):]
    [entry] = [rest for word, rest in final if word == "ENTRYPOINT"]
    assert json.loads(entry) == ["assure"]  # exec form: arguments after the image name go to assure, signals reach it
    installs = [rest for word, rest in final if word == "RUN" and "pip install" in rest]
    wheel_glob = re.search(r"(\S+\.whl)", " ".join(installs)).group(1)
    assert Path(wheel_glob).name.split("-")[0] == built_wheel.name.split("-")[0] == distribution_name().replace("-", "_")
    assert any(word == "USER" and rest != "root" for word, rest in final)
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and ".git" in ignored and "README.md" not in ignored  # the wheel's metadata reads README.md


def _container_engine() -> str | None:
    for engine in ("docker", "podman"):
        exe = shutil.which(engine)
        if exe and subprocess.run([exe, "info"], capture_output=True, timeout=60, check=False).returncode == 0:
            return exe
    return None


@pytest.mark.slow
def test_container_image_builds_and_runs() -> None:
    engine = _container_engine()
    if engine is None:
        pytest.skip("no working container engine (docker or podman) here")
    tag = "assure-test:ci-snippets"
    subprocess.run([engine, "build", "-q", "-t", tag, str(REPO)], check=True, capture_output=True, timeout=1800)
    try:
        version = subprocess.run([engine, "run", "--rm", tag, "--version"], capture_output=True, text=True, timeout=300, check=True)
        assert version.stdout.startswith("assure ")
        checked = subprocess.run([engine, "run", "--rm", "-v", f"{REPO / 'samples'}:/work:ro", tag, "check", "mixed.pdf"],
                                 capture_output=True, text=True, timeout=300, check=False)
        assert checked.returncode == 1 and "overall score" in checked.stdout, checked.stderr
    finally:
        subprocess.run([engine, "rmi", "-f", tag], capture_output=True, timeout=120, check=False)
