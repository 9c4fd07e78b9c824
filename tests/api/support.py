"""The API tests' helpers: a fake liveness port, and `Api`, which projects a history and
runs queries through the schema with a real `Context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graphql import GraphQLError

from api.context import Context
from api.schema import schema
from domain.csms import Csms
from projections.runner import runners_for
from projections.views import Views
from tests.projections.history import History


@dataclass
class FakeLiveness:
    """What a gateway in this process would know: when it last heard each charge point."""

    seen: dict[str, datetime] = field(default_factory=dict)

    def last_seen(self, charge_point_id: str) -> datetime | None:
        return self.seen.get(charge_point_id.casefold())


@dataclass
class Api:
    """The history to write, and the schema to ask once the projections have caught up."""

    history: History
    store: Csms
    views: Views
    liveness: FakeLiveness

    def project(self) -> None:
        """Save what the history did and run every projection until it has all of it."""
        self.history.commit()
        for runner in runners_for(self.store, self.views):
            while runner.run_once():
                pass

    def context(self) -> Context:
        return Context(
            views=self.views,
            event_store=self.store,
            operations=None,
            liveness=self.liveness,
            requested_by="tester",
        )

    async def query(self, document: str, **variables: Any) -> dict[str, Any]:
        """The data of a query that must succeed."""
        result = await schema.execute(
            document, variable_values=variables, context_value=self.context()
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    async def errors(self, document: str, **variables: Any) -> list[GraphQLError]:
        """The errors of a query that must fail."""
        result = await schema.execute(
            document, variable_values=variables, context_value=self.context()
        )
        assert result.errors, result.data
        return list(result.errors)


def bad_input_field(errors: list[GraphQLError]) -> str:
    """The argument a single BAD_USER_INPUT error names."""
    (error,) = errors
    extensions = error.extensions or {}
    assert extensions.get("code") == "BAD_USER_INPUT", error
    field_name: str = extensions["field"]
    return field_name
