"""The official OCPP 1.6 JSON schemas (as shipped by the `ocpp` package) for tests.

`assert_valid_against_schema` checks a payload exactly as the wire would carry it: it goes
through orjson and back with `parse_float=Decimal`, as the schemas are, so that `multipleOf 0.1`
is checked on decimals and not on binary floats (T9). Draft-04 schemas get a Draft4Validator, the
security whitepaper's draft-06 ones a Draft6Validator. Formats (date-time, uri) are not checked,
like the official validator (T5).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft4Validator
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from adapters.ocpp.v16 import WireModel, dump

__all__ = [
    "SCHEMA_DIR",
    "assert_valid_against_schema",
    "load_schema",
    "schema_errors",
    "schema_name",
    "to_wire_json",
]


def _ocpp_package() -> Path:
    spec = importlib.util.find_spec("ocpp")  # not imported: it has no type information
    assert spec is not None, "the ocpp test dependency ships the official schemas"
    assert spec.origin is not None
    return Path(spec.origin).parent


SCHEMA_DIR = _ocpp_package() / "v16" / "schemas"


def schema_name(action: str, *, response: bool) -> str:
    """`BootNotification.json` for the request, `BootNotificationResponse.json` for the reply."""
    return f"{action}{'Response' if response else ''}.json"


@functools.cache
def _schema_text(name: str) -> str:
    return (SCHEMA_DIR / name).read_text(encoding="utf-8")


def load_schema(action: str, *, response: bool) -> dict[str, Any]:
    """A fresh copy of the official schema, numbers read as Decimal."""
    loaded: dict[str, Any] = json.loads(
        _schema_text(schema_name(action, response=response)), parse_float=Decimal
    )
    return loaded


@functools.cache
def _validator(action: str, response: bool) -> Validator:
    schema = load_schema(action, response=response)
    cls = validator_for(schema, default=Draft4Validator)
    cls.check_schema(schema)
    return cls(schema)


def to_wire_json(payload: Mapping[str, object] | WireModel) -> Any:
    """The payload as a receiver decodes it: via orjson, numbers with fractions as Decimal."""
    if isinstance(payload, WireModel):
        payload = dump(payload)
    return json.loads(orjson.dumps(payload), parse_float=Decimal)


def schema_errors(action: str, payload: Any, *, response: bool) -> list[str]:
    """Every schema violation of a JSON-decoded payload, as `path: message` lines."""
    errors = _validator(action, response).iter_errors(payload)
    return sorted(f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors)


def assert_valid_against_schema(
    action: str, payload: Mapping[str, object] | WireModel, response: bool
) -> None:
    """Assert that a payload (a dict from `dump`, or a model) is valid for the official schema.

    Args:
        action: the OCPP action, e.g. "StartTransaction".
        payload: what we send (or would send) on the wire.
        response: True for the CALLRESULT payload, False for the CALL payload.
    """
    errors = schema_errors(action, to_wire_json(payload), response=response)
    kind = "response" if response else "request"
    assert not errors, f"{action} {kind} breaks the official schema:\n" + "\n".join(errors)
