"""OCPP-J RPC frames (OCPP16.md §2.2): parse what arrives, dump what we send. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from adapters.ocpp.errors import FormationViolation, GenericError, OcppError

CALL, CALLRESULT, CALLERROR = 2, 3, 4
MAX_ID_LENGTH = 36

# Enough of a CALL to answer even when the JSON around it is broken.
_RECOVER_ID = re.compile(rb'^\s*\[\s*2\s*,\s*"([^"\\]{1,36})"')


@dataclass(frozen=True, slots=True)
class Call:
    unique_id: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallResult:
    unique_id: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallError:
    unique_id: str
    code: str
    description: str
    details: dict[str, Any]


Frame = Call | CallResult | CallError


class BadFrame(Exception):
    """A frame we must answer with a CALLERROR (`unique_id` known) or can only drop (None)."""

    def __init__(self, error: OcppError, unique_id: str | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.unique_id = unique_id

    def __repr__(self) -> str:
        return f"BadFrame({self.error!r}, {self.unique_id!r})"


def parse_frame(raw: str | bytes) -> Frame | None:
    """Read one text frame.

    Returns:
        The frame, or None for a message type that OCPP-J says to ignore, and for
        a malformed CALLRESULT or CALLERROR (nobody to answer).

    Raises:
        BadFrame: the frame is broken; answer it if `unique_id` is known.
    """
    data = raw.encode() if isinstance(raw, str) else raw
    try:
        message = orjson.loads(data)
    except orjson.JSONDecodeError:
        match = _RECOVER_ID.match(data)
        unique_id = match.group(1).decode() if match else None
        raise BadFrame(GenericError("message is not valid JSON"), unique_id) from None
    if not isinstance(message, list) or not message or type(message[0]) is not int:
        unique_id = _string_at(message, 1)
        raise BadFrame(FormationViolation("not an OCPP-J message array"), unique_id)
    kind = message[0]
    if kind == CALL:
        return _call(message)
    if kind == CALLRESULT:
        if len(message) == 3 and _valid_id(message[1]) and _object_or_null(message[2]):
            return CallResult(message[1], message[2] or {})
        return None
    if kind == CALLERROR:
        if 4 <= len(message) <= 5 and _valid_id(message[1]) and isinstance(message[2], str):
            details = message[4] if len(message) == 5 and isinstance(message[4], dict) else {}
            description = message[3] if isinstance(message[3], str) else ""
            return CallError(message[1], message[2], description, details)
        return None
    return None  # OCPP-J §4.1.3: an unknown message type is ignored


def _call(message: list[Any]) -> Call:
    unique_id = _string_at(message, 1)
    if unique_id is None or not _valid_id(unique_id):
        raise BadFrame(
            FormationViolation(f"messageId must be a string of 1 to {MAX_ID_LENGTH} characters"),
            unique_id,
        )
    if len(message) != 4:
        raise BadFrame(FormationViolation("a CALL has exactly 4 elements"), unique_id)
    action, payload = message[2], message[3]
    if not isinstance(action, str):
        raise BadFrame(FormationViolation("action must be a string"), unique_id)
    if not _object_or_null(payload):
        raise BadFrame(FormationViolation("payload must be a JSON object"), unique_id)
    return Call(unique_id, action, payload or {})


def _string_at(message: object, index: int) -> str | None:
    if isinstance(message, list) and len(message) > index and isinstance(message[index], str):
        return message[index]
    return None


def _valid_id(unique_id: object) -> bool:
    return isinstance(unique_id, str) and 0 < len(unique_id) <= MAX_ID_LENGTH


def _object_or_null(payload: object) -> bool:
    # `null` means "no payload" and reads as {} (steve#1109).
    return payload is None or isinstance(payload, dict)


def dump_frame(frame: Frame) -> bytes:
    if isinstance(frame, Call):
        return orjson.dumps([CALL, frame.unique_id, frame.action, frame.payload])
    if isinstance(frame, CallResult):
        return orjson.dumps([CALLRESULT, frame.unique_id, frame.payload])
    return orjson.dumps([CALLERROR, frame.unique_id, frame.code, frame.description, frame.details])
