"""Two shortcuts in how the command line is parsed (issue 16), each checked against Typer's own way:
a parameter's pydantic adapter is built only for a value that needs one (assure.helpstyle), and
``assure check ...`` runs through a group holding only ``check`` (assure.cli.check_only_app)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param
from typer.main import get_command
from typer.testing import CliRunner

from assure import cli, helpstyle

ROOT = Path(__file__).resolve().parents[1]


def _parameters(command: Any) -> list[Any]:
    """Every parameter of every command under ``command``."""
    found = list(getattr(command, "params", []))
    for sub in getattr(command, "commands", {}).values():
        found += _parameters(sub)
    return found


def test_every_default_taken_without_an_adapter_is_what_the_adapter_returns() -> None:
    params = _parameters(get_command(cli.app))
    plain = [p for p in params if p.default is not None and helpstyle.plain_default(p)]
    assert len(plain) >= 8  # --pdf-engine, --ocr, --max-size, --max-pages, --timeout, --max-memory, --executor, --color...
    for param in plain:
        ctx = typer.Context(get_command(cli.app))
        real = build_runtime_param(param.type_descriptor).coerce(param.default, param=param, ctx=ctx)
        assert real == param.default and type(real) is type(param.default), param.name


def test_defaults_the_shortcut_leaves_to_the_adapter() -> None:
    params = _parameters(get_command(cli.app))
    bools = [p for p in params if p.type_descriptor.annotation is bool]
    assert bools and not any(helpstyle.plain_default(p) for p in bools)  # Typer passes bool flags through itself
    repeatable = [p for p in params if p.multiple or p.nargs != 1]
    assert repeatable and not any(helpstyle.plain_default(p) for p in repeatable)


def test_none_is_what_the_adapter_gives_for_an_option_not_given() -> None:
    for param in _parameters(get_command(cli.app)):
        ctx = typer.Context(get_command(cli.app))
        lazy = helpstyle._LazyCoercion(param).coerce(None, param=param, ctx=ctx)
        assert lazy == build_runtime_param(param.type_descriptor).coerce(None, param=param, ctx=ctx), param.name
        assert type(lazy) is type(build_runtime_param(param.type_descriptor).coerce(None, param=param, ctx=ctx))


ARGUMENTS = [
    ["check", "--help"],
    ["check", "-h"],
    ["check"],
    ["check", "--bogus"],
    ["check", "x.pdf", "--jobs", "0"],
    ["check", "x.pdf", "--jobs", "two"],
    ["check", "x.pdf", "--fail-on", "bogus"],
    ["check", "x.pdf", "--fail-under", "101"],
    ["check", "x.pdf", "--max-size", "-1"],
    ["check", "x.pdf", "--pdf-engine", "foo"],
    ["check", "x.pdf", "--ocr", "sometimes"],
    ["check", "x.pdf", "--color", "purple"],
    ["check", "x.pdf", "--quiet", "--verbose"],
    ["check", "x.pdf", "--executor", "ray"],
    ["check", "--version"],
    ["check", "/no/such/file.pdf", "-f", "json", "--jobs", "1"],
    ["check", "--", "--x"],
]


@pytest.mark.parametrize("args", ARGUMENTS, ids=" ".join)
def test_check_only_group_says_and_exits_as_the_full_one(args: list[str]) -> None:
    runner = CliRunner()
    full = runner.invoke(cli.app, args, prog_name="assure")
    only = runner.invoke(cli.check_only_app(), args, prog_name="assure")
    assert (only.exit_code, only.output) == (full.exit_code, full.output)


def test_check_only_group_checks_as_the_full_one() -> None:
    args = ["check", str(ROOT / "samples" / "weak.pdf"), "-f", "json", "--jobs", "1", "--no-progress"]
    runner = CliRunner()
    full = runner.invoke(cli.app, args, prog_name="assure")
    only = runner.invoke(cli.check_only_app(), args, prog_name="assure")
    assert full.exit_code == 1 and (only.exit_code, only.output) == (full.exit_code, full.output)


def test_check_only_group_holds_check_and_the_callback_and_leaves_app_whole() -> None:
    only = cli.check_only_app()
    assert [c.callback for c in only.registered_commands] == [cli.check]
    assert only.registered_callback is cli.app.registered_callback and only.info is cli.app.info
    assert len(get_command(cli.app).commands) > 5  # the full group is untouched
