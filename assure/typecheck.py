"""Check that a value built from untrusted JSON matches a dataclass's field types.

Why: a cache entry is read back with ``DocumentResult(**data)``; a dataclass does not check
types, so a poisoned entry (``"score": "high"``, ``"pages": [1]``) would be served and
crash a formatter with a traceback. Every field is checked against its annotation first.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, Union


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def conforms(value: Any, tp: Any) -> bool:
    """True if ``value`` is an instance of the annotation ``tp`` (recursively)."""
    if tp is Any:
        return True
    if tp is type(None) or tp is None:
        return value is None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in typing.get_args(tp))
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(conforms(v, a) for v, a in zip(value, args, strict=True))
    if origin is dict:
        key_t, val_t = typing.get_args(tp) or (Any, Any)
        return isinstance(value, dict) and all(conforms(k, key_t) and conforms(v, val_t) for k, v in value.items())
    if origin is list:
        (item_t,) = typing.get_args(tp) or (Any,)
        return isinstance(value, list) and all(conforms(v, item_t) for v in value)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return isinstance(value, tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return isinstance(value, tp) and dataclass_conforms(value)
    if isinstance(tp, type):
        return isinstance(value, tp)
    return False


def dataclass_conforms(obj: Any) -> bool:
    """True if every field of the dataclass instance ``obj`` matches its annotation."""
    hints = _hints(type(obj))  # type: ignore[arg-type]
    return all(conforms(getattr(obj, f.name), hints[f.name]) for f in dataclasses.fields(obj))
