"""Scalars beyond GraphQL's own: `Long` for log positions (past 2^31 one day) and `JSON`.

`SCALARS` goes into the schema's `StrawberryConfig(scalar_map=...)`.
"""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

Long = NewType("Long", int)


def _parse_long(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        msg = f"Long cannot represent {value!r}"
        raise TypeError(msg)
    return int(value)


SCALARS: dict[object, ScalarDefinition] = {
    Long: strawberry.scalar(
        name="Long",
        description="A 64-bit signed integer, as a JSON number (exact in JavaScript up to 2^53).",
        serialize=int,
        parse_value=_parse_long,
    )
}

__all__ = ["JSON", "SCALARS", "Long"]
