"""Schema-driven behaviour: for every payload of every action, examples built from the official
schema round-trip, and each kind of violation is rejected with the right CALLERROR code.

Every case is also checked against the official schema itself, so the expectations are the
schema's, not ours. The one deliberate disagreement is listed in `SCHEMA_ONLY_ENUM_VALUES`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import ValidationError

from adapters.ocpp import v16
from tests.adapters.test_v16_models import SCHEMA_ONLY_ENUM_VALUES
from tests.support.schemas import (
    assert_valid_against_schema,
    load_schema,
    schema_errors,
    to_wire_json,
)

EXAMPLE_TIME = "2026-12-01T12:00:00Z"
REMOVE = object()
_SCHEMA_ONLY = frozenset().union(*SCHEMA_ONLY_ENUM_VALUES.values())

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Case:
    label: str
    path: Path
    value: object  # the new value at path, or REMOVE
    code: str | None  # our CALLERROR code, None = valid
    schema_valid: bool


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["definitions"][node["$ref"].removeprefix("#/definitions/")]
    return node


def example(node: dict[str, Any], root: dict[str, Any], *, full: bool) -> Any:
    """A valid value for a schema node: every property (full) or only the required ones."""
    node = _resolve(node, root)
    if "enum" in node:
        ours = [value for value in node["enum"] if value not in _SCHEMA_ONLY]
        return ours[-1 if full else 0]
    kind = node["type"]
    if kind == "object":
        properties = node.get("properties", {})
        names = properties if full else node.get("required", [])
        return {name: example(properties[name], root, full=full) for name in names}
    if kind == "array":
        count = max(node.get("minItems", 0), 1 if full else 0)
        return [example(node["items"], root, full=full) for _ in range(count)]
    if kind == "string":
        if node.get("format") == "date-time":
            return EXAMPLE_TIME
        return "x" * node["maxLength"] if full and "maxLength" in node else "abc"
    return {"integer": 42, "number": 21.4, "boolean": True}[kind]


def _wire_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _schema_path(path: Path) -> str:
    return ".".join("[]" if isinstance(p, int) else p for p in path).replace(".[]", "[]")


TYPE_ERROR = "TypeConstraintViolation"
WRONG_TYPES: dict[str, list[tuple[str, object]]] = {
    "string": [("string as number", 123), ("string as array", [])],
    "integer": [("integer as string", "1"), ("integer as float", 1.5), ("integer as bool", True)],
    "number": [("number as string", "21.4"), ("number as boolean", True)],
    "boolean": [("boolean as string", "true"), ("boolean as integer", 1)],
}
FINE_VALUES: dict[str, list[tuple[str, object]]] = {
    "integer": [("negative integer", -1), ("beyond int64", 2**63)],
    "number": [("whole number", 16)],
}


def cases(
    action: str, node: dict[str, Any], root: dict[str, Any], value: Any, path: Path = ()
) -> Iterator[Case]:
    """Every single-point mutation of a full example, with the expected outcome."""
    node = _resolve(node, root)
    if node["type"] == "object":
        yield Case(
            "unknown property", (*path, "unexpectedProperty"), "x", "FormationViolation", False
        )
        if path:
            yield Case("object as string", path, "x", TYPE_ERROR, False)
        for name in node.get("required", []):
            yield Case("required missing", (*path, name), REMOVE, "ProtocolError", False)
        for name, child in node.get("properties", {}).items():
            yield from cases(action, child, root, value[name], (*path, name))
    elif node["type"] == "array":
        yield Case("array as object", path, {"a": 1}, TYPE_ERROR, False)
        if node.get("minItems"):
            yield Case("too few items", path, [], "OccurenceConstraintViolation", False)
        yield from cases(action, node["items"], root, value[0], (*path, 0))
    elif "enum" in node:
        yield from _enum_cases(action, node, path)
    else:
        yield from _scalar_cases(node, path)


def _enum_cases(action: str, node: dict[str, Any], path: Path) -> Iterator[Case]:
    tolerated = SCHEMA_ONLY_ENUM_VALUES.get((action, _schema_path(path)), frozenset())
    for allowed in node["enum"]:
        if allowed in tolerated:
            yield Case("schema-only value", path, allowed, "PropertyConstraintViolation", True)
        else:
            yield Case("allowed value", path, allowed, None, True)
    yield Case("unknown value", path, "NotAnOcppValue", "PropertyConstraintViolation", False)
    yield Case("enum as number", path, 5, TYPE_ERROR, False)


def _scalar_cases(node: dict[str, Any], path: Path) -> Iterator[Case]:
    kind = node["type"]
    for label, wrong in WRONG_TYPES[kind]:
        yield Case(label, path, wrong, TYPE_ERROR, False)
    for label, fine in FINE_VALUES.get(kind, []):
        yield Case(label, path, fine, None, True)
    if "maxLength" in node:
        limit = node["maxLength"]
        yield Case("at maxLength", path, "y" * limit, None, True)
        yield Case("over maxLength", path, "y" * (limit + 1), TYPE_ERROR, False)
    if "multipleOf" in node:
        yield Case("not a multiple", path, 21.45, "PropertyConstraintViolation", False)


def apply(payload: Any, case: Case) -> Any:
    mutated = copy.deepcopy(payload)
    *parents, last = case.path
    target = mutated
    for part in parents:
        target = target[part]
    if case.value is REMOVE:
        del target[last]
    else:
        target[last] = case.value
    return mutated


def _all() -> list[tuple[str, bool]]:
    return [(action.value, response) for action in v16.Action for response in (False, True)]


def _model(action: str, response: bool) -> type[v16.WireModel]:
    return (v16.RESPONSE_MODELS if response else v16.REQUEST_MODELS)[v16.Action(action)]


@pytest.mark.parametrize(("action", "response"), _all())
@pytest.mark.parametrize("full", [True, False], ids=["full", "minimal"])
def test_schema_example_round_trips(action: str, response: bool, full: bool) -> None:
    """A schema-built example validates, dumps back to itself and stays schema-valid."""
    root = load_schema(action, response=response)
    payload = example(root, root, full=full)
    assert schema_errors(action, to_wire_json(payload), response=response) == []
    model = v16.load(_model(action, response), payload)
    assert v16.dump(model) == payload
    assert_valid_against_schema(action, v16.dump(model), response)


@pytest.mark.parametrize(("action", "response"), _all())
def test_every_violation_gets_the_schema_verdict_and_code(action: str, response: bool) -> None:
    """Each mutation is accepted iff the schema accepts it; a rejection names code and path."""
    root = load_schema(action, response=response)
    base = example(root, root, full=True)
    model_type = _model(action, response)
    failures: list[str] = []
    for case in cases(action, root, root, base):
        payload = apply(base, case)
        where = f"{case.label} at {_wire_path(case.path) or 'payload'}"
        schema_valid = not schema_errors(action, to_wire_json(payload), response=response)
        if schema_valid != case.schema_valid:
            failures.append(f"{where}: schema says valid={schema_valid}")
        try:
            model = v16.load(model_type, payload)
        except ValidationError as exc:
            code, description = v16.error_code_for(exc), v16.describe(exc)
            if code != case.code:
                failures.append(f"{where}: {code} instead of {case.code} ({description})")
            if _wire_path(case.path) not in description or len(description) >= 200:
                failures.append(f"{where}: description {description!r}")
        else:
            if case.code is not None:
                failures.append(f"{where}: accepted, expected {case.code}")
            elif v16.dump(model) != payload:
                failures.append(f"{where}: dump {v16.dump(model)} != {payload}")
    assert failures == []


@pytest.mark.parametrize("payload", [[], None, "x", 1, [{"idTag": "ABC"}]])
def test_payload_that_is_not_an_object_is_a_formation_violation(payload: object) -> None:
    """A payload that is not a JSON object is not the PDU's shape at all."""
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.AuthorizeRequest, payload)
    assert v16.error_code_for(caught.value) == "FormationViolation"
    assert v16.describe(caught.value).startswith("payload: ")
