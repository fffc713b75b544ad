"""Plain placeholders in ``--help``, in the style of ruff, Vale and yamllint.

Typer 0.29 prints Python types beside arguments (``PATH <list[Path]>``), braces in usage
lines (``{PATH}...``) and angle brackets for options (``<file>``, ``<text|json>``). Here every
argument shows only its name (``PATH...``), and every option its metavar, or else a plain
one: ``FILE``, ``DIR``, ``[text|json]``, ``TEXT``. Installed once, from the CLI module.

Its pydantic coercion also words errors as pydantic does ("Invalid value for '--fail-on': Value
error, 'bogus' is not one of ...", "Input should be greater than or equal to 1");
``PlainErrorsGroup`` says them plainly, in assure's one-line style, naming the option:
``assure: -j/--jobs: must be at least 1`` (exit 2), not click's three lines of usage, hint and error.

Typer also builds a pydantic adapter for every parameter of a command before it runs, given or
not (``check`` has 36); :class:`_LazyCoercion` builds one only for a value that needs it.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption, _TyperParameter

_PATHS = {"file": "FILE", "directory": "DIR", "dir": "DIR", "path": "PATH"}


def _argument_name(self: Any) -> str:
    name = str(self.display_name_raw)
    return name + "..." if self.nargs != 1 else name


def _argument_usage(self: Any) -> str:
    name = _argument_name(self)
    return name if self.required else f"[{name}]"


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None  # the argument's name says what it is; its help says the rest


def _option_type(self: Any, ctx: Any) -> str | None:
    if self.metavar is not None:
        return str(self.metavar)
    if getattr(self, "is_flag", False) or getattr(self, "count", False):
        return None
    typed = TyperOption.display_type(self, ctx)
    if typed is None:
        return None
    label = str(typed).strip("<>")
    if "|" in label:
        plain = f"[{label}]"
    else:
        plain = _PATHS.get(label.lower(), label.upper())
    return plain + "..." if self.nargs != 1 else plain


_PYDANTIC_PREFIX = "Value error, "
# pydantic's wording for a value out of range or of the wrong type, in the words the rest of the CLI uses
_PLAIN_WORDS = (
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"must be more than \1"),
    (re.compile(r"Input should be a valid integer.*"), "not a whole number"),
    (re.compile(r"Input should be a valid number.*"), "not a number"),
    (re.compile(r"^(?:dir|directory) (.+) is a file\.$"), r"\1 is a file, not a folder"),
    (re.compile(r"^file (.+) is a directory\.$"), r"\1 is a folder, not a file"),
)


def plain_message(message: str) -> str:
    """A usage error's message without pydantic's or click's internal wording."""
    message = message.replace(_PYDANTIC_PREFIX, "", 1)
    for pattern, words in _PLAIN_WORDS:
        message = pattern.sub(words, message)
    return message


def option_name(exc: Any) -> str:
    """The option (``-j/--jobs``, short name first as in ``-o/--output``) or argument (``PATH...``)
    a bad value was given to; click's quoted hint when the error names no parameter."""
    param = exc.param
    if param is None:
        hint = exc.param_hint
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint or "")
        return hint.replace("'", "").replace(" / ", "/")
    if isinstance(param, TyperArgument):
        return _argument_name(param)
    return "/".join(sorted([*param.opts, *param.secondary_opts], key=len))


def bad_value_line(exc: Any) -> str:
    """``assure: -j/--jobs: must be at least 1``: a bad option value in the one-line style of
    every other usage error (``assure: --executor: choose from ...``)."""
    from assure.names import bounded

    name = option_name(exc)
    message = plain_message(exc.message).rstrip(".")
    return f"assure: {bounded(f'{name}: {message}' if name else message, 1000)}"


class PlainErrorsGroup(TyperGroup):
    """The command group, with a bad option value said in one line (``assure: -j/--jobs: must
    be at least 1``, exit 2) rather than click's usage, hint and error. A missing argument or
    an unknown option keeps click's usage lines: they show what the command takes."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            if type(exc).__name__ == "MissingParameter":  # (by name: Typer 0.29 vendors click and exports no such class)
                raise
            typer.echo(bad_value_line(exc), err=True)
            raise typer.Exit(2) from None


class _LazyCoercion:
    """A parameter's coercion, with the pydantic adapter built only when a value needs it.

    Why: Typer builds a pydantic ``TypeAdapter`` for every parameter of the command being run,
    whether given or not, before the command starts: for ``check``'s 36 that was about a tenth
    of a one-page check (issue 16). Two kinds of value need no adapter, and get the same result
    without one: ``None`` (an option not given: Typer's coercion returns ``None``, or ``()``
    for a repeatable option, before reading the adapter), and the parameter's own default when
    it is already a value of the declared type (a plain str, int or float, or a member of the
    declared Enum), which the adapter returns unchanged (``tests/test_cli_parsing.py`` checks
    this for every parameter of every command)."""

    def __init__(self, param: Any) -> None:
        self.param = param
        self.built: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if value is param.default and plain_default(param):
            return value
        if self.built is None:
            from typer._coercion import build_runtime_param

            self.built = build_runtime_param(param.type_descriptor)
        return self.built.coerce(value, param=param, ctx=ctx)


def plain_default(param: Any) -> bool:
    """Whether ``param``'s default is a value its coercion returns as it is: an instance of
    exactly the declared str, int or float (not a bool for an int), or a member of the declared
    Enum, on a parameter with no parser, callback-free conversion, range clamping or file type."""
    default, annotation = param.default, param.type_descriptor.annotation
    info = param.type_descriptor.parameter_info
    if param.multiple or param.nargs != 1 or info.parser is not None or info.clamp or param.type_descriptor.is_file:
        return False
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return isinstance(default, annotation)
    if annotation not in (str, int, float) or type(default) is not annotation:
        return False
    low, high = info.min, info.max
    return (low is None or default >= low) and (high is None or default <= high)


def _lazy_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        self._runtime_param = _LazyCoercion(self)
    return self._runtime_param


def install() -> None:
    """Patch Typer's help rendering and its coercion (idempotent)."""
    _TyperParameter.get_runtime_param = _lazy_runtime_param  # type: ignore[method-assign]
    TyperArgument._rich_display_name = _argument_name  # type: ignore[method-assign]
    TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
    TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
    TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
