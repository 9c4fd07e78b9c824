"""The ASGI app: GraphQL at /graphql (POST queries, GraphiQL on GET), 404 elsewhere.

Build it with `create_app(views, event_store, operations, liveness)` and serve it with uvicorn;
every request gets a fresh `Context` (and so fresh DataLoaders).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.types import ASGIApp
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.context import Context
from api.ports import Liveness, Operations
from api.schema import schema
from domain.csms import Csms
from projections.views import Views

OPERATOR_HEADER = "x-csms-operator"
MAX_OPERATOR = 255  # recorded with every command: keep it bounded


def requested_by(request: Request | WebSocket) -> str:
    """The operator the X-Csms-Operator header names, else anonymous@<client host>."""
    operator = request.headers.get(OPERATOR_HEADER, "").strip()
    if operator:
        return operator[:MAX_OPERATOR]
    host = request.client.host if request.client else "unknown"
    return f"anonymous@{host}"


class CsmsGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        views: Views,
        event_store: Csms,
        operations: Operations | None,
        liveness: Liveness | None,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.views = views
        self.event_store = event_store
        self.operations = operations
        self.liveness = liveness

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            views=self.views,
            event_store=self.event_store,
            operations=self.operations,
            liveness=self.liveness,
            requested_by=requested_by(request),
        )


def create_app(
    views: Views,
    event_store: Csms,
    operations: Operations | None,
    liveness: Liveness | None,
) -> ASGIApp:
    """The API over these read models and this event log.

    Args:
        views: the read models every query reads.
        event_store: the event log (the `events` query reads it).
        operations: the write side for mutations; None for a read-only API.
        liveness: when charge points were last heard from in this process, if it runs the
            gateway; None otherwise.
    """
    graphql = CsmsGraphQL(views, event_store, operations, liveness)
    return Router(routes=[Route("/graphql", graphql)])
