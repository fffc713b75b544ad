"""Atomic file writes of assure's own files (cache entries): complete on disk or not there.

A symlink or FIFO at the path is replaced, never followed: a poisoned cache folder cannot
make assure write elsewhere. User-facing outputs go through :mod:`assure.safewrite`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else text
    # a short temporary name, so a 255-byte target name still fits
    fd, tmp = tempfile.mkstemp(prefix=".assure-", suffix=".tmp", dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a report should get the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
