"""Map a pydantic `ValidationError` on a payload to the OCPP 1.6 CALLERROR code and text.

The codes keep 1.6's spellings, typos included: "FormationViolation" (2.0.1 renamed it
FormatViolation) and "OccurenceConstraintViolation" (one "r"). When a payload has several
errors, the most severe decides, by `PRECEDENCE` (first = most severe):

    FormationViolation > ProtocolError > TypeConstraintViolation
        > OccurenceConstraintViolation > PropertyConstraintViolation

i.e. a payload that is not the PDU's shape at all, then an incomplete one, then wrong JSON
types, then wrong cardinalities, then wrong values: a charger fixing the first reported problem
fixes the most basic one first.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

__all__ = [
    "FORMATION_VIOLATION",
    "OCCURENCE_CONSTRAINT_VIOLATION",
    "PRECEDENCE",
    "PROPERTY_CONSTRAINT_VIOLATION",
    "PROTOCOL_ERROR",
    "TYPE_CONSTRAINT_VIOLATION",
    "PayloadErrorCode",
    "describe",
    "error_code_for",
]

PayloadErrorCode = Literal[
    "FormationViolation",
    "ProtocolError",
    "TypeConstraintViolation",
    "OccurenceConstraintViolation",
    "PropertyConstraintViolation",
]

FORMATION_VIOLATION: Final = "FormationViolation"
PROTOCOL_ERROR: Final = "ProtocolError"
TYPE_CONSTRAINT_VIOLATION: Final = "TypeConstraintViolation"
OCCURENCE_CONSTRAINT_VIOLATION: Final = "OccurenceConstraintViolation"  # sic, 1.6 spelling
PROPERTY_CONSTRAINT_VIOLATION: Final = "PropertyConstraintViolation"

PRECEDENCE: Final[tuple[PayloadErrorCode, ...]] = (
    FORMATION_VIOLATION,
    PROTOCOL_ERROR,
    TYPE_CONSTRAINT_VIOLATION,
    OCCURENCE_CONSTRAINT_VIOLATION,
    PROPERTY_CONSTRAINT_VIOLATION,
)
_RANK: Final = {code: rank for rank, code in enumerate(PRECEDENCE)}

_OBJECT_TYPES: Final = frozenset({"model_type", "model_attributes_type", "dict_type"})
_BY_TYPE: Final[dict[str, PayloadErrorCode]] = {
    "extra_forbidden": FORMATION_VIOLATION,
    "missing": PROTOCOL_ERROR,
    # wrong JSON type; a too long string is a type violation too (CiString20 is a type)
    "int_type": TYPE_CONSTRAINT_VIOLATION,
    "string_type": TYPE_CONSTRAINT_VIOLATION,
    "bool_type": TYPE_CONSTRAINT_VIOLATION,
    "list_type": TYPE_CONSTRAINT_VIOLATION,
    "float_type": TYPE_CONSTRAINT_VIOLATION,
    "decimal_type": TYPE_CONSTRAINT_VIOLATION,
    "json_number_type": TYPE_CONSTRAINT_VIOLATION,
    "is_instance_of": TYPE_CONSTRAINT_VIOLATION,
    "model_type": TYPE_CONSTRAINT_VIOLATION,
    "model_attributes_type": TYPE_CONSTRAINT_VIOLATION,
    "dict_type": TYPE_CONSTRAINT_VIOLATION,
    "string_too_long": TYPE_CONSTRAINT_VIOLATION,
    # array cardinality
    "too_short": OCCURENCE_CONSTRAINT_VIOLATION,
    "too_long": OCCURENCE_CONSTRAINT_VIOLATION,
    # value not allowed
    "enum": PROPERTY_CONSTRAINT_VIOLATION,
    "literal_error": PROPERTY_CONSTRAINT_VIOLATION,
    "multiple_of": PROPERTY_CONSTRAINT_VIOLATION,
    "finite_number": PROPERTY_CONSTRAINT_VIOLATION,
    "greater_than": PROPERTY_CONSTRAINT_VIOLATION,
    "greater_than_equal": PROPERTY_CONSTRAINT_VIOLATION,
    "less_than": PROPERTY_CONSTRAINT_VIOLATION,
    "less_than_equal": PROPERTY_CONSTRAINT_VIOLATION,
}
# Anything pydantic adds later is "a field has an invalid value", the least severe code.
_DEFAULT: Final[PayloadErrorCode] = PROPERTY_CONSTRAINT_VIOLATION

_MAX_DESCRIPTION: Final = 199  # errorDescription stays under 200 characters


def _code(error: ErrorDetails) -> PayloadErrorCode:
    kind = error["type"]
    if kind in _OBJECT_TYPES and not error["loc"]:
        return FORMATION_VIOLATION  # the payload itself is not a JSON object
    if kind == "enum" and not isinstance(error.get("input"), str):
        return TYPE_CONSTRAINT_VIOLATION  # e.g. "status": 5 is a type error, not a value one
    return _BY_TYPE.get(kind, _DEFAULT)


def error_code_for(exc: ValidationError) -> PayloadErrorCode:
    """Return the CALLERROR code for a payload that failed validation.

    Args:
        exc: raised by `model_validate` / `registry.load` on a request or response payload.

    Returns:
        The most severe code among the errors, by `PRECEDENCE`.
    """
    return min((_code(error) for error in exc.errors(include_url=False)), key=_RANK.__getitem__)


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "payload"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for kind, name in ((int, "integer"), (float, "number"), (str, "string"), (list, "array")):
        if isinstance(value, kind):
            return name
    return "object" if isinstance(value, dict) else type(value).__name__


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 32 else f"{text[:29]}..."


_EXPECTED: Final = {
    "int_type": "an integer",
    "string_type": "a string",
    "bool_type": "a boolean",
    "list_type": "an array",
    "float_type": "a number",
    "decimal_type": "a number",
    "json_number_type": "a number",
    "is_instance_of": "a value of another type",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
}


def _message(error: ErrorDetails) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "required property missing"
    if kind == "extra_forbidden":
        return "unknown property"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_json_type(value)}"
    if kind == "string_too_long":
        return f"longer than {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} item(s)"
    if kind == "enum":
        if not isinstance(value, str):
            return f"expected a string, got {_json_type(value)}"
        return f"{_short(value)} is not an allowed value"
    if kind == "multiple_of":
        return f"{_short(value)} is not a multiple of {ctx.get('multiple_of')}"
    return error["msg"]


def describe(exc: ValidationError) -> str:
    """Return a short errorDescription naming the offending field paths (under 200 chars).

    The errors that decided the code come first, e.g.
    ``meterValue[0].sampledValue: needs at least 1 item(s)``.

    Args:
        exc: the validation error of a payload.

    Returns:
        One line: ``path: problem; path: problem (+N more)``.
    """
    errors = sorted(exc.errors(include_url=False), key=lambda error: _RANK[_code(error)])
    parts = [f"{_path(error['loc'])}: {_message(error)}" for error in errors]
    text = parts[0]
    for index in range(1, len(parts)):
        longer = f"{text}; {parts[index]}"
        left = len(parts) - index - 1
        if len(longer) + (len(f" (+{left} more)") if left else 0) > _MAX_DESCRIPTION:
            text += f" (+{len(parts) - index} more)"
            break
        text = longer
    return text if len(text) <= _MAX_DESCRIPTION else f"{text[: _MAX_DESCRIPTION - 3]}..."
