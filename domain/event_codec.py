"""How events are stored: one orjson call per event, read back by the event class's field types.

The library's JSON transcoder walks every value in Python and wraps each enum, datetime and value
object in a `{"_type_": ..., "_data_": ...}` tag; under load that was a third of the writer's
time. orjson writes enums as their values, datetimes as ISO text and dataclasses as dicts in C,
and the field annotations of each event class say how to read every field back, so events
still replay as they were recorded: enums as enums, values as values, tuples as tuples.

Events written by the tagged encoding (before this codec) still read: a tag is unwrapped
wherever a typed field finds one.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

Decode = Callable[[Any], Any]

# Kept by the mapper itself (originator_*) or meaningless in storage (ClassVar).
_NOT_STORED = {"originator_id", "originator_version"}


class TypedMapper(Mapper[UUID]):
    """A `Mapper` that encodes with orjson and decodes by type hints (no cipher or
    compressor: nothing in our events is secret, see the redaction in the gateway)."""

    def __init__(self) -> None:
        super().__init__(transcoder=_UNUSED)
        self._readers: dict[str, tuple[type[Any], tuple[tuple[str, Decode], ...]]] = {}
        self._topics: dict[type[Any], str] = {}

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        topic = self._topics.get(cls)
        if topic is None:
            topic = self._topics[cls] = get_topic(cls)
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=orjson.dumps(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls, fields = self._reader(stored_event.topic)
        try:
            state: dict[str, Any] = _decode_fields(orjson.loads(stored_event.state), fields)
        except Exception as error:
            msg = (
                f"Failed to deserialise state of stored event with topic"
                f" '{stored_event.topic}', originator_id '{stored_event.originator_id}'"
                f" and originator_version {stored_event.originator_version}: {error}"
            )
            raise MapperDeserialisationError(msg) from error
        id_convertor = find_id_convertor(cls, type(stored_event.originator_id))
        state["originator_id"] = id_convertor(stored_event.originator_id)
        state["originator_version"] = stored_event.originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _reader(self, topic: str) -> tuple[type[Any], tuple[tuple[str, Decode], ...]]:
        reader = self._readers.get(topic)
        if reader is None:
            cls = resolve_topic(topic)
            reader = self._readers[topic] = (cls, field_decoders(cls))
        return reader


def field_decoders(cls: type[Any]) -> tuple[tuple[str, Decode], ...]:
    """(field name, decode) for each field of `cls` whose JSON form is not already its value."""
    decoders = []
    for name, hint in typing.get_type_hints(cls).items():
        if name in _NOT_STORED or typing.get_origin(hint) is typing.ClassVar:
            continue
        decode = _decoder(hint)
        if decode is not None:
            decoders.append((name, decode))
    return tuple(decoders)


def _decoder(hint: Any) -> Decode | None:
    """How to turn the JSON form of a `hint`-typed value back into it; None: as it is.
    Decoders never see None (an absent optional stays None)."""
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (types.UnionType, typing.Union):
        return _decoder(args[0]) if len(args) == 1 else None
    if origin is tuple:
        inner = _decoder(args[0]) if len(args) == 2 and args[1] is Ellipsis else None
        if inner is None:
            return lambda v: tuple(_untag(v))
        return lambda v: tuple(None if x is None else inner(x) for x in _untag(v))
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {m.value: m for m in hint}

        def decode_enum(v: Any) -> Any:
            try:
                return members[v]
            except (KeyError, TypeError):  # unhashable: a tagged value
                return hint(_untag(v))

        return decode_enum
    if hint is datetime:
        return lambda v: datetime.fromisoformat(_untag(v))
    if hint is UUID:
        return lambda v: UUID(_untag(v))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    return None


def _dataclass_decoder(cls: type[Any]) -> Decode:
    fields = field_decoders(cls)

    def decode(data: Any) -> Any:
        return cls(**_decode_fields(_untag(data), fields))

    return decode


def _decode_fields(data: dict[str, Any], fields: tuple[tuple[str, Decode], ...]) -> dict[str, Any]:
    """`data` with each listed field decoded in place (absent and None fields stay so)."""
    for name, decode in fields:
        value = data.get(name)
        if value is not None:
            data[name] = decode(value)
    return data


def _untag(value: Any) -> Any:
    """The value inside an earlier encoding's `{"_type_": ..., "_data_": ...}` tag."""
    if type(value) is dict and "_type_" in value and "_data_" in value:
        return value["_data_"]
    return value


class _Unused:
    """The base `Mapper` wants a transcoder; this mapper encodes by itself."""

    def encode(self, obj: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError


_UNUSED: Any = _Unused()
