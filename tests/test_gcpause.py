"""The collector paused during start-up (assure/gcpause.py, issue 16) always comes back on, and a
caller who turned it off themselves is left alone."""

from __future__ import annotations

import gc
import subprocess
import sys

from assure import gcpause


def test_pause_and_resume_restore_collection() -> None:
    assert gc.isenabled()
    gcpause.pause()
    try:
        assert not gc.isenabled()
    finally:
        gcpause.resume(freeze=False)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        gcpause.pause()
        gcpause.resume(freeze=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_compiling_the_rules_ends_the_pause(ruleset) -> None:
    from assure.engine import compile_rules

    gcpause.pause()
    try:
        compile_rules(ruleset)
        assert gc.isenabled()
    finally:
        gcpause.resume(freeze=False)


def test_the_console_entry_leaves_collection_on_for_other_commands() -> None:
    code = "import gc, sys; from assure.cli import app; from typer.testing import CliRunner; " \
           "from assure import gcpause; gcpause.pause(); CliRunner().invoke(app, ['questions']); print(gc.isenabled())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
