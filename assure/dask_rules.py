"""The rules on Dask workers, sent once per worker rather than with every task.

Imported only by the Dask executor (it needs the optional ``distributed`` package)."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin

_RULES: dict[str, Any] = {}  # run key -> ruleset, in each worker process


class RulesPlugin(WorkerPlugin):
    """Carries the ruleset to every worker, and again to any worker the cluster restarts
    (a scattered copy would not survive a restart), and compiles it in ``setup``: the spaCy
    import, the matchers and the PDF readers are built before the first task rather than
    inside it. Tasks then carry only the run key, not the ~78 kB of rules."""

    def __init__(self, key: str, ruleset: Any) -> None:
        self.name = f"assure-rules-{key}"
        self.key, self.ruleset = key, ruleset

    def setup(self, worker: Any) -> None:
        from assure.engine import compile_rules
        from assure.extract import preload_readers

        compile_rules(self.ruleset)
        preload_readers(["warm.pdf", "warm.docx"], tables=True)  # imported now, not inside the first task
        _RULES[self.key] = self.ruleset

    def teardown(self, worker: Any) -> None:
        _RULES.pop(self.key, None)


def worker_rules(key: str) -> Any:
    """The ruleset this worker's plugin holds for run ``key``."""
    return _RULES[key]
