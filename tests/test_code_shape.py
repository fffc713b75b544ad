"""The shape the team agreed for assure/: no function over 60 lines without a comment saying why."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assure"
MAX_LINES = 60


def test_long_functions_say_why() -> None:
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = lines[node.lineno - 1 : node.end_lineno]
                if len(body) > MAX_LINES and not any(line.strip().startswith("# Long:") for line in body):
                    unexplained.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({len(body)} lines)")
    assert not unexplained, "functions over 60 lines need a '# Long: why' comment: " + ", ".join(unexplained)
