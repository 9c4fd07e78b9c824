"""The GraphQL schema; `api/schema.graphql` is its export (scripts/export-schema)."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.mutations import Mutation
from api.queries import Query
from api.scalars import SCALARS

schema = strawberry.Schema(
    query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALARS)
)


def export_schema() -> str:
    """The schema in SDL, as committed in api/schema.graphql."""
    return schema.as_str() + "\n"
