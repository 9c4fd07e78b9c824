"""What each field of a wire model accepts, read once from its pydantic annotations.

The lenient reading (`lenient.py`) walks a payload with these specs instead of pydantic's
validators, so it can repair a value where pydantic could only reject it.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal, Union, get_args, get_origin

from annotated_types import MinLen
from pydantic import StringConstraints
from pydantic.fields import FieldInfo

from .common import WireEnum, WireModel

__all__ = ["FieldSpec", "ModelFields", "WireField", "fields_of"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """The kind of value a field holds, and the constraints the lenient reading honours."""

    kind: Literal["int", "str", "bool", "decimal", "enum", "model", "list"]
    enum: type[WireEnum] | None = None
    model: type[WireModel] | None = None
    item: FieldSpec | None = None
    max_length: int | None = None
    min_items: int = 0


@dataclass(frozen=True, slots=True)
class WireField:
    wire: str
    required: bool
    spec: FieldSpec


@dataclass(frozen=True, slots=True)
class ModelFields:
    """A model's fields by OCPP (camelCase) name, and that name by its casefolded spelling."""

    by_wire: Mapping[str, WireField]
    by_folded: Mapping[str, str]


def _spec(annotation: object, metadata: tuple[object, ...] = ()) -> FieldSpec:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        (inner,) = (arg for arg in get_args(annotation) if arg is not type(None))
        return _spec(inner, metadata)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _spec(base, (*metadata, *extra))
    max_length, min_items = None, 0
    for item in metadata:
        inner = item.metadata if isinstance(item, FieldInfo) else [item]
        for constraint in inner:
            if isinstance(constraint, StringConstraints):
                max_length = constraint.max_length
            elif isinstance(constraint, MinLen):
                min_items = constraint.min_length
    if origin is list:
        return FieldSpec("list", item=_spec(get_args(annotation)[0]), min_items=min_items)
    if isinstance(annotation, type) and issubclass(annotation, WireEnum):
        return FieldSpec("enum", enum=annotation)
    if isinstance(annotation, type) and issubclass(annotation, WireModel):
        return FieldSpec("model", model=annotation)
    kinds: dict[object, Literal["int", "str", "bool", "decimal"]] = {
        bool: "bool",
        int: "int",
        str: "str",
        Decimal: "decimal",
    }
    return FieldSpec(kinds[annotation], max_length=max_length)


@functools.cache
def fields_of(model_type: type[WireModel]) -> ModelFields:
    """The field specs of a wire model (computed once per model).

    Args:
        model_type: a request or response model.

    Returns:
        Its fields by wire name, with the casefolded index for wrongly cased names.
    """
    by_wire = {}
    for name, info in model_type.model_fields.items():
        wire = info.alias or name
        by_wire[wire] = WireField(wire, info.is_required(), _spec(info.annotation, (info,)))
    return ModelFields(by_wire, {wire.casefold(): wire for wire in by_wire})
