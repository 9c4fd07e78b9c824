"""Csms: the event store application. It names the log (`csms_events`) and teaches the
transcoder our enums and value types, so that events replay exactly as they were recorded."""

from __future__ import annotations

import dataclasses
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
    """A frozen value as a dict of its fields; lists come back as the tuples they were."""

    def __init__(self, value_type: type[Any]) -> None:
        self.type = value_type
        self.name = value_type.__name__
        fields = dataclasses.fields(value_type)
        self._names = tuple(f.name for f in fields)
        self._tuples = frozenset(f.name for f in fields if str(f.type).startswith("tuple"))

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._names}

    def decode(self, data: dict[str, Any]) -> Any:
        for name in self._tuples:
            data[name] = tuple(data[name])
        return self.type(**data)


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
