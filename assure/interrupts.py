"""SIGINT and SIGTERM during a check: stop once, then finish writing whatever arrives.

Why: the first Ctrl-C or SIGTERM (a CI timeout, ``kill``) stops the batch, and what
finished is written. A CI runner often signals twice; a second signal used to raise a
KeyboardInterrupt while the report was being written, losing every finished result (or
printing a traceback). Here the first signal raises KeyboardInterrupt once; every later
signal is only counted, so stopping the workers and writing the outputs always complete
(stopping the workers takes a few seconds at most: see batch.py).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptGuard:
    """A context manager installing the handlers (main thread only); ``defer()`` makes
    even the first signal only counted (once the report is being written)."""

    def __init__(self) -> None:
        self.count = 0
        self.deferred = False
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.count == 1 and not self.deferred:
            raise KeyboardInterrupt

    @property
    def interrupted(self) -> bool:
        return self.count > 0

    def defer(self) -> None:
        """From now on no signal interrupts: the results are complete and being written."""
        self.deferred = True

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous.clear()


def reraise_interrupt(exc: BaseException) -> None:
    """Raise KeyboardInterrupt when ``exc`` is only its echo.

    Why: a signal handler that raises while C code runs (an import of an extension module, a
    PDF library's callback) can surface as another exception (``SystemError: ... returned a
    result with an exception set``) chained to the KeyboardInterrupt; a reader's catch-all
    would then report Ctrl-C as a damaged document instead of stopping."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
