"""The garbage collector, paused while a command starts up (issue 16).

Start-up (importing the CLI, Typer's parsing, loading the rules, importing spaCy, building the
pipeline and the matchers) allocates a few hundred thousand objects that live as long as the
process and frees almost none: CPython's collector walked them over and over as they piled up,
about 350 collections and two full ones freeing some 4,000 objects, 80-90 ms of a one-page
``assure check``. Nothing read changes: only when unreachable cycles are freed.

The console entry point pauses collection; :func:`resume` turns it back on where start-up ends:

- when the rules are compiled (``engine.compile_rules``), before a batch's workers are forked;
  what start-up made is moved out of the collector's reach first (``gc.freeze``), so it is not
  walked again, in the parent or in the workers that inherit it;
- when ``check`` has its results, for a batch that compiled nothing (all from the cache);
- as soon as any command other than ``check`` starts;
- in a read-ahead process, forked while paused, before it reads anything;
- when the entry point returns (a test calling it in-process gets its collector back).

Only a process whose collection this module paused is touched: a library caller is left alone.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until :func:`resume` (nothing if it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = True) -> None:
    """Collect again, if :func:`pause` stopped it; ``freeze``: first move every object made so far
    to the permanent generation (start-up's, which live on anyway), so no collection walks them."""
    global _paused
    if _paused:
        _paused = False
        if freeze:
            gc.freeze()
        gc.enable()
