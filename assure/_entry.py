"""The console entry point: as small as possible, so that Ctrl-C while the command line
interface is still importing ends with one line rather than a traceback.

Every interruption outside a check (which writes what finished, then exits 2) ends the same
way: one line, exit 2. SIGTERM (a CI timeout, ``kill``) is read as Ctrl-C, and Typer's silent
exit 130 for Ctrl-C is turned into that line. A report standard output will not take (a full
disk, a closed pipe) is one line and exit 2, never a traceback."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import signal
import sys
import threading
from typing import NoReturn

INTERRUPTED = "assure: interrupted"
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT}


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _interrupted() -> NoReturn:
    """One line, exit 2, at once: CPython remembers a KeyboardInterrupt that crossed certain
    frames (an import) and, at a normal exit, kills itself with SIGINT even when it was handled."""
    sys.stderr.write(INTERRUPTED + "\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    _hard_exit(2)


_hard_exit = os._exit  # a test calling main() in-process replaces it


def main() -> None:
    from assure import gcpause

    gcpause.pause()  # start-up makes objects that live on; collected again once it is over (gcpause)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    code: int | str | None = 0
    try:
        from assure.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:  # before a command could handle it (a check handles its own)
        _interrupted()
    except SystemExit as exc:
        if exc.code == 130:  # Typer's Ctrl-C: silent, and no exit code assure documents
            _interrupted()
        code = exc.code
    except OSError as exc:  # a write to standard output outside the report (help, a progress line)
        if exc.errno not in _OUTPUT_ERRORS:
            raise
        from assure.cli import stdout_failed

        sys.stderr.write(f"assure: {stdout_failed(exc)}\n")
        raise SystemExit(2) from None
    finally:
        # the outcome is decided and written: a signal now must not turn it into a traceback or 130
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        gcpause.resume(freeze=False)
    _leave(code)


def _leave(code: int | str | None) -> NoReturn:
    """Exit with ``code`` without tearing the interpreter down, when nothing else is running.

    Why: a check leaves spaCy's pipeline, the matchers and the document model behind, and
    freeing them module by module at a normal exit took about 35 ms of a one-page check's
    0.8 s, for nothing: the process is ending. Everything a normal exit does that a user can
    see still happens first: the ``atexit`` handlers (temporary folders, logging, worker
    processes) run, and both standard streams are flushed (a flush that fails is the one
    "cannot write" line, exit 2). With another thread still running, or a message instead of
    a number, it is a normal exit."""
    code = 0 if code is None else code
    if not isinstance(code, int) or threading.active_count() > 1 or sys.stdout is None:
        raise SystemExit(code)
    try:
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRORS:
            raise
        from assure.cli import stdout_failed

        sys.stderr.write(f"assure: {stdout_failed(exc)}\n")
        code = 2
    atexit._run_exitfuncs()
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    _hard_exit(code)
