"""Expand files and folders into a sorted, de-duplicated list of documents."""

from __future__ import annotations

import os
from pathlib import Path

SUPPORTED = (".pdf", ".docx", ".txt", ".md", ".markdown")


def discover(paths: list[str]) -> tuple[list[str], list[str]]:
    """Files named directly are kept in the order given (even with odd extensions, so the
    reader can say what they are); folders are searched recursively for supported files in
    sorted order. Returns (files, problems)."""
    files: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if name.lower().endswith(SUPPORTED) and not name.startswith((".", "~$")):
                        found.append(os.path.join(root, name))
            if not found:
                problems.append(f"{raw}: no PDF, DOCX, text or Markdown files found")
            candidates = sorted(found)
        else:
            candidates = [raw]
        for c in candidates:
            key = os.path.normpath(c)
            if key not in seen:
                seen.add(key)
                files.append(c)
    return files, problems
