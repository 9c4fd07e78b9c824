"""Csms: the event store application. It names the log (`csms_events`) and teaches the
transcoder our enums and value types, so that events replay exactly as they were recorded."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain import values
from domain.vocabulary import ENUMS


class EnumAsValue(Transcoding):
    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = enum_type.__name__

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self.type(data)


class DataclassAsDict(Transcoding):
    """A frozen value as one dict, with everything inside it inline: enums as their values,
    datetimes as ISO text, nested values and tuples of them as dicts and lists.

    One tag per value instead of one per enum and datetime halves a meter-value event and the
    time to encode and decode it; the field types say how to read each field back.
    """

    def __init__(self, value_type: type[Any]) -> None:
        self.type = value_type
        self.name = value_type.__name__
        hints = typing.get_type_hints(value_type)
        self._fields = tuple(
            (f.name, *_converters(hints[f.name])) for f in dataclasses.fields(value_type)
        )

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: encode(getattr(obj, name)) for name, encode, _ in self._fields}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**{name: decode(data[name]) for name, _, decode in self._fields})


Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _converters(hint: Any) -> tuple[Convert, Convert]:
    """(encode, decode) for a field of type `hint`."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union) and len(args) == 1:
        encode, decode = _converters(args[0])
        return (
            lambda v: None if v is None else encode(v),
            lambda v: None if v is None else decode(v),
        )
    if origin is tuple:
        encode, decode = _converters(args[0])
        return (lambda v: [encode(x) for x in v], lambda v: tuple(decode(x) for x in v))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return (lambda v: v.value, hint)
    if hint is datetime:
        return (datetime.isoformat, datetime.fromisoformat)
    if dataclasses.is_dataclass(hint):
        inner = DataclassAsDict(hint)  # type: ignore[arg-type]
        return (inner.encode, inner.decode)
    return (_same, _same)


VALUE_TYPES: tuple[type[Any], ...] = (
    values.ReportedTime,
    values.SampledValue,
    values.MeterValue,
    values.BootInfo,
    values.StatusReport,
    values.ConfigurationKey,
)


class Csms(Application[UUID]):
    name = "csms"
    env: ClassVar[dict[str, str]] = {}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for enum_type in ENUMS:
            transcoder.register(EnumAsValue(enum_type))
        for value_type in VALUE_TYPES:
            transcoder.register(DataclassAsDict(value_type))
