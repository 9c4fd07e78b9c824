"""Our OCPP 1.6 models are the official JSON schemas, property by property.

Both sides are reduced to the same `Shape` tree: the schema by reading its keywords (with
`definitions`/`$ref` resolved), the model by reading its fields' annotations and constraints.
Keywords we do not compare must be listed in `IGNORED_KEYWORDS` with the reason.
"""

from __future__ import annotations

import enum
import types
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from annotated_types import Ge, Gt, MaxLen, MinLen, MultipleOf
from pydantic import StringConstraints
from pydantic.fields import FieldInfo

from adapters.ocpp import v16
from tests.support.schemas import SCHEMA_DIR, load_schema, schema_name

COMPARED_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "multipleOf",
        "$ref",
    }
)
IGNORED_KEYWORDS = {
    "$schema": "dialect marker",
    "$id": "identifier (security schemas)",
    "title": "documentation",
    "description": "documentation",
    "javaType": "code generator hint (GetInstalledCertificateIdsResponse)",
    "definitions": "resolved through $ref",
    "format": "date-time/uri are plain str: the official validator does not check formats (T5)",
    "additionalItems": "without tuple `items` it constrains nothing (draft-04 §5.3.1)",
}
# What the S9 schemas hold that the official 1.6 set does not, and we deliberately reject (T12).
SCHEMA_ONLY_ENUM_VALUES = {
    ("MeterValues", "meterValue[].sampledValue[].unit"): frozenset({"Hertz"}),
}
# The 1.6 UnitOfMeasure of the published schema, plus S4 §2.1's tolerated spelling.
OFFICIAL_UNITS = frozenset(
    {"Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V"}
    | {"Celcius", "Fahrenheit", "K", "Percent"}
)
TOLERATED_UNITS = frozenset({"Celsius"})


@dataclass
class Shape:
    """The comparable content of a schema node or a model field."""

    type: str
    properties: dict[str, Shape] | None = None
    required: frozenset[str] = frozenset()
    closed: bool | None = None  # additionalProperties false
    items: Shape | None = None
    enum: frozenset[str] | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    minimum: Decimal | None = None
    multiple_of: Decimal | None = None
    path: str = field(default="", compare=False)


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/definitions/"), ref
        node = root["definitions"][ref.removeprefix("#/definitions/")]
    return node


def schema_shape(node: dict[str, Any], root: dict[str, Any], path: str = "") -> Shape:
    node = _resolve(node, root)
    unknown = set(node) - COMPARED_KEYWORDS - set(IGNORED_KEYWORDS)
    assert not unknown, f"{path}: schema keywords not compared: {sorted(unknown)}"
    kind = node["type"]
    shape = Shape(type=kind, path=path)
    if kind == "object":
        shape.properties = {
            name: schema_shape(child, root, f"{path}.{name}".lstrip("."))
            for name, child in node.get("properties", {}).items()
        }
        shape.required = frozenset(node.get("required", ()))
        shape.closed = node.get("additionalProperties") is False
    elif kind == "array":
        shape.items = schema_shape(node["items"], root, f"{path}[]")
        shape.min_items = node.get("minItems")
        shape.max_items = node.get("maxItems")
    if "enum" in node:
        shape.enum = frozenset(node["enum"])
    shape.max_length = node.get("maxLength")
    shape.minimum = node.get("minimum")
    shape.multiple_of = node.get("multipleOf")
    return shape


def _constraints(shape: Shape, metadata: list[object]) -> None:
    for item in metadata:
        if isinstance(item, FieldInfo):
            _constraints(shape, list(item.metadata))
        elif isinstance(item, StringConstraints):
            shape.max_length = item.max_length
        elif isinstance(item, MaxLen):
            if shape.type == "array":
                shape.max_items = item.max_length
            else:
                shape.max_length = item.max_length
        elif isinstance(item, MinLen):
            shape.min_items = item.min_length
        elif isinstance(item, Ge):
            shape.minimum = Decimal(str(item.ge))
        elif isinstance(item, Gt | MultipleOf):
            pytest.fail(f"{shape.path}: constraint {item!r} has no schema counterpart here")
        elif isinstance(item, v16.JsonDecimal):
            shape.multiple_of = item.multiple_of


def annotation_shape(annotation: Any, metadata: list[object], path: str) -> Shape:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        assert len(inner) == 1, f"{path}: only `X | None` unions are expected"
        return annotation_shape(inner[0], metadata, path)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return annotation_shape(base, [*metadata, *extra], path)
    if origin is list:
        shape = Shape(type="array", path=path)
        shape.items = annotation_shape(get_args(annotation)[0], [], f"{path}[]")
    elif isinstance(annotation, type) and issubclass(annotation, v16.WireModel):
        shape = model_shape(annotation, path)
    elif isinstance(annotation, type) and issubclass(annotation, enum.StrEnum):
        shape = Shape(type="string", enum=frozenset(m.value for m in annotation), path=path)
    else:
        kinds = {str: "string", int: "integer", bool: "boolean", Decimal: "number"}
        assert annotation in kinds, f"{path}: unexpected type {annotation!r}"
        shape = Shape(type=kinds[annotation], path=path)
    _constraints(shape, metadata)
    return shape


def model_shape(model: type[v16.WireModel], path: str = "") -> Shape:
    properties, required = {}, set()
    for name, info in model.model_fields.items():
        wire = info.alias or name
        properties[wire] = annotation_shape(
            info.annotation, list(info.metadata), f"{path}.{wire}".lstrip(".")
        )
        if info.is_required():
            required.add(wire)
        else:
            assert info.default is None, f"{path}.{wire}: optional fields default to None"
    return Shape(
        type="object",
        properties=properties,
        required=frozenset(required),
        closed=model.model_config.get("extra") == "forbid",
        path=path,
    )


def differences(action: str, ours: Shape, official: Shape) -> list[str]:
    """Human-readable differences; empty when the shapes match."""
    where = official.path or "(payload)"
    found: list[str] = []
    for attribute in ("type", "required", "closed", "max_length", "min_items", "max_items"):
        if getattr(ours, attribute) != getattr(official, attribute):
            found.append(
                f"{where}: {attribute} {getattr(ours, attribute)!r} != "
                f"official {getattr(official, attribute)!r}"
            )
    for attribute in ("minimum", "multiple_of"):
        mine, theirs = getattr(ours, attribute), getattr(official, attribute)
        if (mine is None) != (theirs is None) or (mine is not None and mine != theirs):
            found.append(f"{where}: {attribute} {mine!r} != official {theirs!r}")
    expected_enum = official.enum
    if expected_enum is not None:
        expected_enum = expected_enum - SCHEMA_ONLY_ENUM_VALUES.get((action, where), frozenset())
    if ours.enum != expected_enum:
        found.append(
            f"{where}: enum {sorted(ours.enum or ())} != official {sorted(expected_enum or ())}"
        )
    if official.properties is not None and ours.properties is not None:
        if ours.properties.keys() != official.properties.keys():
            found.append(
                f"{where}: properties {sorted(ours.properties)} != "
                f"official {sorted(official.properties)}"
            )
        for name, theirs in official.properties.items():
            if name in ours.properties:
                found += differences(action, ours.properties[name], theirs)
    if official.items is not None and ours.items is not None:
        found += differences(action, ours.items, official.items)
    return found


def _cases() -> list[tuple[str, bool]]:
    return [(action.value, response) for action in v16.Action for response in (False, True)]


@pytest.mark.parametrize(("action", "response"), _cases())
def test_model_matches_official_schema(action: str, response: bool) -> None:
    """Properties, required sets, JSON types, enums, lengths and closedness equal the schema."""
    models = v16.RESPONSE_MODELS if response else v16.REQUEST_MODELS
    root = load_schema(action, response=response)
    official = schema_shape(root, root)
    assert differences(action, model_shape(models[v16.Action(action)]), official) == []


def test_the_comparison_notices_a_changed_schema() -> None:
    """The parity check is not vacuous: a tightened or extended schema shows up."""
    root = load_schema("StopTransaction", response=False)
    root["properties"]["idTag"]["maxLength"] = 21
    root["required"].append("reason")
    root["properties"]["transactionData"]["minItems"] = 1
    root["properties"]["extra"] = {"type": "boolean"}
    found = differences(
        "StopTransaction", model_shape(v16.StopTransactionRequest), schema_shape(root, root)
    )
    assert [line.split(":")[0] for line in found] == [
        "(payload)",
        "(payload)",
        "idTag",
        "transactionData",
    ]


def test_every_schema_node_is_closed() -> None:
    """The 2019-12 schemas say additionalProperties false on every object (S4 §3.1)."""

    def objects(shape: Shape) -> list[Shape]:
        found = [shape] if shape.type == "object" else []
        for child in (shape.properties or {}).values():
            found += objects(child)
        return found + (objects(shape.items) if shape.items else [])

    for action, response in _cases():
        root = load_schema(action, response=response)
        for node in objects(schema_shape(root, root)):
            assert node.closed, f"{action} {node.path}"


def test_documented_schema_tolerances_are_still_needed() -> None:
    """Each schema-only enum value we reject is really in that schema (no stale exceptions)."""
    for (action, path), values in SCHEMA_ONLY_ENUM_VALUES.items():
        root = load_schema(action, response=False)
        node: Shape | None = schema_shape(root, root)
        for part in path.replace("[]", ".[]").split("."):
            assert node is not None
            node = node.items if part == "[]" else (node.properties or {})[part]
        assert node is not None
        assert values <= (node.enum or frozenset()), (action, path)


def test_unit_of_measure_is_the_official_set_plus_celsius() -> None:
    """UnitOfMeasure = the published schema's units (with "Celcius") + "Celsius" (S4 §2.1)."""
    assert {unit.value for unit in v16.UnitOfMeasure} == OFFICIAL_UNITS | TOLERATED_UNITS


def test_every_schema_file_has_a_model_pair() -> None:
    """The 78 schema files are exactly the request and response of the 39 actions."""
    files = {path.name for path in SCHEMA_DIR.glob("*.json")}
    expected = {schema_name(a.value, response=r) for a in v16.Action for r in (False, True)}
    assert len(files) == 78
    assert files == expected


def test_every_action_has_request_and_response_models_named_after_it() -> None:
    """`<Action>Request` / `<Action>Response` exist, are exported, and fill the registries."""
    for action in v16.Action:
        request = getattr(v16, f"{action.value}Request")
        response = getattr(v16, f"{action.value}Response")
        assert v16.REQUEST_MODELS[action] is request
        assert v16.RESPONSE_MODELS[action] is response
        assert f"{action.value}Request" in v16.__all__
        assert f"{action.value}Response" in v16.__all__
    assert len(v16.REQUEST_MODELS) == len(v16.RESPONSE_MODELS) == len(v16.Action) == 39


def test_action_values_are_the_wire_names_and_directions_cover_all() -> None:
    """Action values are the schema names; CP->CSMS and CSMS->CP share only DataTransfer."""
    assert all(member.value == member for member in v16.Action)
    assert set(v16.Action) == v16.CHARGE_POINT_ACTIONS | v16.CENTRAL_SYSTEM_ACTIONS
    assert {v16.Action.DATA_TRANSFER} == v16.CHARGE_POINT_ACTIONS & v16.CENTRAL_SYSTEM_ACTIONS
    assert v16.Action.BOOT_NOTIFICATION in v16.CHARGE_POINT_ACTIONS
    assert v16.Action.SIGN_CERTIFICATE in v16.CHARGE_POINT_ACTIONS
    assert v16.Action.REMOTE_START_TRANSACTION in v16.CENTRAL_SYSTEM_ACTIONS
    assert v16.Action.EXTENDED_TRIGGER_MESSAGE in v16.CENTRAL_SYSTEM_ACTIONS
    assert len(v16.CHARGE_POINT_ACTIONS) == 14
    assert len(v16.CENTRAL_SYSTEM_ACTIONS) == 26


def test_models_are_complete_at_import_despite_postponed_annotations() -> None:
    """`from __future__ import annotations` left no model waiting for a rebuild."""
    for model in (*v16.REQUEST_MODELS.values(), *v16.RESPONSE_MODELS.values()):
        assert model.__pydantic_complete__, model.__name__
        assert model.model_json_schema(by_alias=True)["type"] == "object"


def test_python_names_are_snake_case_and_wire_names_camel_case() -> None:
    """Attribute names are snake_case; the alias is exactly the OCPP property name."""
    model = v16.StartTransactionRequest(
        connector_id=1, id_tag="ABC", meter_start=0, timestamp="2026-12-01T12:00:00Z"
    )
    assert model.meter_start == 0
    assert v16.dump(model) == {
        "connectorId": 1,
        "idTag": "ABC",
        "meterStart": 0,
        "timestamp": "2026-12-01T12:00:00Z",
    }
    assert v16.StopTransactionRequest.model_fields["transaction_data"].alias == "transactionData"
    assert v16.SetChargingProfileRequest.model_fields["cs_charging_profiles"].alias == (
        "csChargingProfiles"
    )
