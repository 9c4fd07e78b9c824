"""A second, forgiving reading of transaction and status messages (T1, T5, T8).

A CALLERROR for StartTransaction, StopTransaction or MeterValues makes the charger retry and
finally drop the message: data loss. So when strict validation fails, `parse_lenient` repairs
what real chargers get wrong and reports each repair as a finding:

- numbers sent as strings (`"12"` -> 12) and strings sent as numbers (`12.5` -> `"12.5"`);
  whole floats for integers (`12.0` -> 12); fractional Wh in meterStart/meterStop are rounded;
- `" 0.0"` sampled values trimmed; property names in the wrong case (`transactionID`);
- unknown properties dropped; a single object where an array belongs read as a list of one;
- enum values matched ignoring case and punctuation, plus known variants (`"C"` -> Celsius);
- an unknown optional enum value dropped (`reason`, `context`, `format`, `location`, `phase`),
  but a sampled value whose `measurand` or `unit` cannot be read is dropped whole: without
  them it would silently read as an energy register in Wh. (`Hertz` on a Frequency reading
  only loses the unit: Frequency is in Hertz, S2 §3.84.) An unknown errorCode reads as
  OtherError; too long free text (info, vendor fields) is truncated, while a too long idTag
  is kept as sent: a shortened idTag is another idTag.

This is Python code on purpose: it only runs after the strict pydantic-core path failed.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, Literal, overload

from pydantic import ValidationError

from .actions import Action
from .common import SampledValue, UnitOfMeasure, WireEnum, WireModel
from .core import (
    ChargePointErrorCode,
    MeterValuesRequest,
    StartTransactionRequest,
    StatusNotificationRequest,
    StopTransactionRequest,
)
from .field_specs import FieldSpec, fields_of
from .registry import load
from .timestamps import ParsedTimestamp, format_timestamp, parse_timestamp

__all__ = [
    "LENIENT_ACTIONS",
    "ParsedTimestamp",
    "format_timestamp",
    "parse_lenient",
    "parse_timestamp",
]

_MODELS: Final[Mapping[Action, type[WireModel]]] = types.MappingProxyType(
    {
        Action.START_TRANSACTION: StartTransactionRequest,
        Action.STOP_TRANSACTION: StopTransactionRequest,
        Action.METER_VALUES: MeterValuesRequest,
        Action.STATUS_NOTIFICATION: StatusNotificationRequest,
    }
)
LENIENT_ACTIONS: Final[frozenset[Action]] = frozenset(_MODELS)
"""The actions `parse_lenient` reads: transaction-related messages and StatusNotification."""


class _StartTransactionWithLongIdTag(StartTransactionRequest):
    """StartTransaction whose idTag is longer than an IdToken may be (see `_IDENTIFIERS`)."""

    id_tag: str


class _StopTransactionWithLongIdTag(StopTransactionRequest):
    """StopTransaction whose idTag is longer than an IdToken may be (see `_IDENTIFIERS`)."""

    id_tag: str | None = None


_LONG_ID_TAG: Final[Mapping[type[WireModel], type[WireModel]]] = types.MappingProxyType(
    {
        StartTransactionRequest: _StartTransactionWithLongIdTag,
        StopTransactionRequest: _StopTransactionWithLongIdTag,
    }
)

# Fields whose unreadable value makes the whole sampled value unreadable (see module doc).
_MEANINGFUL: Final = frozenset({"measurand", "unit"})
# Identifiers are never truncated: a shortened idTag is another idTag. An over-long one is kept
# as sent, with a finding, and read into the `_LONG_ID_TAG` variant of its model. In
# StartTransaction it is required, so the only alternative was a CALLERROR, i.e. a lost
# transaction (T1). StopTransaction's is optional and used to be dropped; it is kept too, for
# the same reading in both messages: the stop is recorded with the tag the charge point
# reported (as the start is) and answered with idTagInfo, as a request with an idTag should be.
# The domain answers such a tag Invalid, like any unknown tag: none registered is that long.
_IDENTIFIERS: Final = frozenset({"idTag", "parentIdTag"})
# Integer measurements where rounding a fractional Wh loses nothing that matters.
_ROUNDED: Final = frozenset({"meterStart", "meterStop"})
# A required enum with a catch-all member to fall back on.
_FALLBACKS: Final[Mapping[str, WireEnum]] = {"errorCode": ChargePointErrorCode.OTHER_ERROR}
_ALIASES: Final[Mapping[type[WireEnum], Mapping[str, WireEnum]]] = {
    UnitOfMeasure: {
        "c": UnitOfMeasure.CELSIUS,
        "°c": UnitOfMeasure.CELSIUS,
        "degc": UnitOfMeasure.CELSIUS,
        "degreescelsius": UnitOfMeasure.CELSIUS,
        "f": UnitOfMeasure.FAHRENHEIT,
        "°f": UnitOfMeasure.FAHRENHEIT,
        "degf": UnitOfMeasure.FAHRENHEIT,
        "kelvin": UnitOfMeasure.K,
        "%": UnitOfMeasure.PERCENT,
        "pct": UnitOfMeasure.PERCENT,
    }
}
_HERTZ: Final = frozenset({"hz", "hertz"})
_NOT_NORMAL: Final = re.compile(r"[^0-9a-z%°]")


class _Unusable(Exception):  # an internal signal, never leaves this module
    """This value cannot be read even leniently; the message says why."""


def _normal(text: str) -> str:
    return _NOT_NORMAL.sub("", text.casefold())


@functools.cache
def _enum_index(enum_type: type[WireEnum]) -> Mapping[str, WireEnum]:
    index: dict[str, WireEnum | None] = {}
    for member in enum_type:
        key = _normal(member.value)
        index[key] = None if index.get(key, member) is not member else member  # ambiguous
    index.update(_ALIASES.get(enum_type, {}))
    return {key: member for key, member in index.items() if member is not None}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    names = ((int, "an integer"), (float, "a number"), (str, "a string"), (list, "an array"))
    return next((name for kind, name in names if isinstance(value, kind)), "an object")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _to_int(value: object, wire: str, where: str, findings: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, float | str) or isinstance(value, bool):
        msg = f"expected an integer, got {_json_type(value)}"
        raise _Unusable(msg)
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number.adjusted() > 30:
        msg = f"{_short(value)} is not a number"
        raise _Unusable(msg)
    if number == number.to_integral_value():
        findings.append(f"{where}: {_short(value)} read as {int(number)}")
        return int(number)
    if wire not in _ROUNDED:
        msg = f"{_short(value)} is not a whole number"
        raise _Unusable(msg)
    rounded = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    findings.append(f"{where}: {_short(value)} rounded to {rounded}")
    return rounded


def _to_str(value: object, spec: FieldSpec, wire: str, where: str, findings: list[str]) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        findings.append(f"{where}: number {value!r} read as {text!r}")
    else:
        msg = f"expected a string, got {_json_type(value)}"
        raise _Unusable(msg)
    if wire == "value" and text != text.strip():
        findings.append(f"{where}: {_short(text)} trimmed to {_short(text.strip())}")
        text = text.strip()
    if spec.max_length is not None and len(text) > spec.max_length:
        if wire in _IDENTIFIERS:
            findings.append(
                f"{where}: {len(text)} characters, longer than {spec.max_length}; kept as sent"
            )
            return text
        findings.append(f"{where}: {len(text)} characters truncated to {spec.max_length}")
        text = text[: spec.max_length]
    return text


def _to_enum(value: object, enum_type: type[WireEnum], where: str, findings: list[str]) -> str:
    if isinstance(value, str):
        if value in enum_type._value2member_map_:
            return value
        member = _enum_index(enum_type).get(_normal(value))
        if member is not None:
            findings.append(f"{where}: {_short(value)} read as {member.value!r}")
            return member.value
    msg = f"{_short(value)} is not a {enum_type.__name__}"
    raise _Unusable(msg)


def _to_list(
    value: object, spec: FieldSpec, wire: str, where: str, findings: list[str]
) -> list[object]:
    if isinstance(value, dict):
        findings.append(f"{where}: a single object read as a list of one")
        value = [value]
    if not isinstance(value, list):
        msg = f"expected an array, got {_json_type(value)}"
        raise _Unusable(msg)
    assert spec.item is not None  # list specs always have an item spec
    items: list[object] = []
    for index, item in enumerate(value):
        mark = len(findings)
        try:
            items.append(_coerce(item, spec.item, wire, f"{where}[{index}]", findings))
        except _Unusable as problem:
            del findings[mark:]
            findings.append(f"{where}[{index}]: dropped, {problem}")
    if len(items) < spec.min_items:
        msg = f"{wire} needs at least {spec.min_items} readable item(s)"
        raise _Unusable(msg)
    return items


def _coerce(value: object, spec: FieldSpec, wire: str, where: str, findings: list[str]) -> object:
    if spec.kind == "model":
        assert spec.model is not None
        return _to_object(value, spec.model, where, findings)
    if spec.kind == "list":
        return _to_list(value, spec, wire, where, findings)
    if spec.kind == "enum":
        assert spec.enum is not None
        return _to_enum(value, spec.enum, where, findings)
    if spec.kind == "int":
        return _to_int(value, wire, where, findings)
    if spec.kind == "str":
        return _to_str(value, spec, wire, where, findings)
    return value  # bool / Decimal: not in these messages; strict validation decides


def _hertz_on_frequency(model_type: type[WireModel], data: dict[object, object]) -> bool:
    unit, measurand = data.get("unit"), data.get("measurand")
    return (
        model_type is SampledValue
        and isinstance(unit, str)
        and _normal(unit) in _HERTZ
        and isinstance(measurand, str)
        and _normal(measurand) == "frequency"
    )


def _to_object(
    value: object, model_type: type[WireModel], where: str, findings: list[str]
) -> dict[str, object]:
    if not isinstance(value, dict):
        msg = f"expected an object, got {_json_type(value)}"
        raise _Unusable(msg)
    fields = fields_of(model_type)
    result: dict[str, object] = {}
    for key, item in value.items():
        here = f"{where}.{key}" if where else str(key)
        wire = key if key in fields.by_wire else fields.by_folded.get(str(key).casefold())
        if wire is None:
            findings.append(f"{here}: unknown property dropped")
            continue
        if wire in result:
            findings.append(f"{here}: repeats {wire!r}; dropped")
            continue
        if wire != key:
            findings.append(f"{here}: read as {wire!r}")
            here = f"{where}.{wire}" if where else wire
        field = fields.by_wire[wire]
        if item is None and not field.required:
            continue  # null reads as absent (strict reading does the same)
        mark = len(findings)
        try:
            result[wire] = _coerce(item, field.spec, wire, here, findings)
        except _Unusable as problem:
            del findings[mark:]
            if wire in _FALLBACKS:
                result[wire] = _FALLBACKS[wire].value
                findings.append(f"{here}: {problem}; read as {_FALLBACKS[wire].value!r}")
            elif field.required or (
                wire in _MEANINGFUL and not _hertz_on_frequency(model_type, value)
            ):
                msg = f"{wire}: {problem}"
                raise _Unusable(msg) from None
            else:
                findings.append(f"{here}: {problem}; dropped")
    for wire, field in fields.by_wire.items():
        if field.required and wire not in result:
            msg = f"{wire}: required property missing"
            raise _Unusable(msg)
    return result


@overload
def parse_lenient(
    action: Literal[Action.START_TRANSACTION], payload: object
) -> tuple[StartTransactionRequest, list[str]]: ...
@overload
def parse_lenient(
    action: Literal[Action.STOP_TRANSACTION], payload: object
) -> tuple[StopTransactionRequest, list[str]]: ...
@overload
def parse_lenient(
    action: Literal[Action.METER_VALUES], payload: object
) -> tuple[MeterValuesRequest, list[str]]: ...
@overload
def parse_lenient(
    action: Literal[Action.STATUS_NOTIFICATION], payload: object
) -> tuple[StatusNotificationRequest, list[str]]: ...
@overload
def parse_lenient(action: Action, payload: object) -> tuple[WireModel, list[str]]: ...
def parse_lenient(action: Action, payload: object) -> tuple[WireModel, list[str]]:
    """Read a CP request strictly, and if that fails, leniently (see the module docstring).

    Args:
        action: one of `LENIENT_ACTIONS`.
        payload: the decoded JSON payload of the CALL.

    Returns:
        The request model and the findings, one human-readable line per repair, e.g.
        ``meterValue[0].sampledValue[1].unit: 'C' read as 'Celsius'`` (empty when strict).
        The model is valid strictly, except that an over-long idTag is kept as sent (in a
        subclass of the request model, which allows it).

    Raises:
        ValueError: the action has no lenient reading.
        pydantic.ValidationError: the strict error, when not even a lenient reading works
            (e.g. transactionId or meterStop missing or not a number).
    """
    model_type = _MODELS.get(action)
    if model_type is None:
        msg = f"no lenient reading for {action!r}; use registry.load"
        raise ValueError(msg)
    try:
        return load(model_type, payload), []
    except ValidationError as strict_error:
        findings: list[str] = []
        try:
            repaired = _to_object(payload, model_type, "", findings)
            try:
                return load(model_type, repaired), findings
            except ValidationError:
                # After the repairs only an idTag kept as sent should still fail: its variant
                # model lets it through (anything else fails there too).
                return load(_LONG_ID_TAG.get(model_type, model_type), repaired), findings
        except (_Unusable, ValidationError):
            raise strict_error from None
