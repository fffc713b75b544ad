"""write_atomic: complete or absent, never half-written, with the usual file mode."""

from __future__ import annotations

import os
import stat

import pytest

from assure.fsutil import write_atomic


def test_writes_text_and_replaces(tmp_path):
    target = tmp_path / "out" / "report.json"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_mode_follows_umask_not_mkstemp(tmp_path):
    # regression: reports came out 0600 because mkstemp creates private files
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.txt").stat().st_mode) == 0o644


def test_failure_leaves_no_temporary_file(tmp_path, monkeypatch):
    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "r.txt", "x")
    assert list(tmp_path.iterdir()) == []
