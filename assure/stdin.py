"""`assure check -`: the document comes on standard input (an editor buffer, a pipe from
`git show`). It is copied to a private temporary file, so every reader works unchanged, and
the report names it by ``--stdin-filename`` (which also picks the reader by its extension and
is what suppression and per-path globs match) or ``-``."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from assure.errors import ConfigError
from assure.models import DocumentResult, Report
from assure.names import human_name

MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".docx"))


@dataclasses.dataclass
class StdinDocument:
    path: str  # the temporary copy that is checked
    name: str  # what the report calls it

    @classmethod
    def read(cls, paths: Sequence[object], stdin_filename: str | None, stream: BinaryIO | None = None) -> StdinDocument | None:
        """None unless a PATH is ``-``; raises ConfigError on misuse."""
        dashes = sum(str(p) == "-" for p in paths)
        if dashes == 0:
            if stdin_filename:
                raise ConfigError("--stdin-filename needs '-' among the paths (the document read from standard input)")
            return None
        if dashes > 1:
            raise ConfigError("'-' (standard input) can be given only once")
        data = (stream or sys.stdin.buffer).read()
        if not data:
            raise ConfigError(f"{human_name(stdin_filename) if stdin_filename else '-'}: standard input is empty")
        if stdin_filename:
            suffix = Path(stdin_filename).suffix or ".txt"
        else:
            suffix = next((ext for magic, ext in MAGIC if data.startswith(magic)), ".txt")
        folder = tempfile.mkdtemp(prefix="assure-stdin-")
        target = Path(folder) / f"stdin{suffix.lower()}"
        target.write_bytes(data)
        return cls(path=str(target), name=stdin_filename or "-")

    def rename(self, report: Report) -> Report:
        docs = tuple(self.rename_result(d) if d.path == self.path else d for d in report.documents)
        return dataclasses.replace(report, documents=docs)

    def rename_result(self, result: DocumentResult) -> DocumentResult:
        """The result under the given name; an error message naming the temporary copy names it too."""
        error = result.error
        if error and self.path in str(error.get("message", "")):
            error = {**error, "message": str(error["message"]).replace(self.path, self.name)}
        return dataclasses.replace(result, path=self.name, error=error)

    def cleanup(self) -> None:
        shutil.rmtree(Path(self.path).parent, ignore_errors=True)
