"""Frozen dataclasses to JSON-safe values and back: ISO dates, decimals as strings, no floats.

A decimal is written in its shortest form (``Decimal("14.00")`` → ``"14"``), so equal
values always give the same JSON whatever scale the database returned.
"""

from __future__ import annotations

import enum
import types
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

#: A value ``json.dumps`` writes as it is, and reads back equal.
Json = None | bool | int | str | list["Json"] | dict[str, "Json"]


def fields_to_json(instance: Any) -> dict[str, Json]:
    """A dataclass instance's fields, each made JSON-safe."""
    return {field.name: to_json(getattr(instance, field.name)) for field in fields(instance)}


def to_json(value: Any) -> Json:
    """``value`` made JSON-safe; an object's own ``to_dict`` is used when it has one."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return fields_to_json(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not JSON-safe: {value!r}")


def fields_from_json(cls: type, data: dict[str, Json]) -> dict[str, Any]:
    """The constructor arguments of dataclass ``cls`` read from ``data`` (extra keys ignored)."""
    hints = get_type_hints(cls)
    return {field.name: from_json(hints[field.name], data[field.name]) for field in fields(cls)}


def from_json(kind: Any, data: Json) -> Any:
    """A value of type ``kind`` read back from what :func:`to_json` wrote."""
    if data is None:
        return None
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        (member,) = (arg for arg in get_args(kind) if arg is not type(None))
        return from_json(member, data)
    if origin is tuple:
        assert isinstance(data, list)
        return tuple(from_json(get_args(kind)[0], item) for item in data)
    if hasattr(kind, "from_dict"):
        return kind.from_dict(data)
    if isinstance(kind, type) and is_dataclass(kind):
        assert isinstance(data, dict)
        return kind(**fields_from_json(kind, data))
    if kind is date:
        assert isinstance(data, str)
        return date.fromisoformat(data)
    if kind in (Decimal, bool, int, str) or isinstance(kind, enum.EnumMeta):
        assert isinstance(data, bool | int | str)
        return kind(data)
    raise TypeError(f"cannot read {kind!r} from JSON")
