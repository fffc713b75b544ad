"""Shared test options and fixtures: ``--update-golden`` rewrites golden files instead of
comparing; ``ruleset`` is the built-in questions and rules, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# the start-up cache (assure.startcache) of the checks the tests run lives in a folder of this test
# session, not in the user's own ~/.cache; tests of the cache itself set their own folder
if not os.environ.get("ASSURE_TEST_KEEP_CACHE_HOME"):
    import atexit
    import shutil
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="assure-test-cache-")
    atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the current output (then review the git diff)")


@pytest.fixture(scope="session")
def ruleset():  # noqa: ANN201 - assure.ruleset.RuleSet; immutable, so one load serves every test
    from assure.ruleset import load_ruleset

    return load_ruleset()


@pytest.fixture()
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True under ``pytest --update-golden`` (or ASSURE_UPDATE_GOLDEN=1)."""
    return bool(request.config.getoption("--update-golden") or os.environ.get("ASSURE_UPDATE_GOLDEN") == "1")


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file, or rewrite it when updating."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.is_file():
        pytest.fail(f"golden file {path} is missing; run: pytest {Path(__file__).parent.name} --update-golden")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; if the change is intended, run pytest --update-golden and review the diff"


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built without network (hatchling from the test extra)."""
    import subprocess
    import sys

    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("wheel")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(root)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = out.glob("*.whl")
    return wheel
