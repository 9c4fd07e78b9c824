"""The ASGI app under a real uvicorn on a loopback port: POST /graphql answers queries (errors
keep their extensions), GET /graphql is GraphiQL, anything else is 404."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.requests import Request

from api.app import create_app, requested_by
from domain.vocabulary import ConnectorStatus
from tests.api.support import Api
from tests.support.moments import at


@pytest.fixture
async def base_url(api: Api) -> AsyncIterator[str]:
    """The app over the test's views, served until the test ends."""
    app = create_app(api.views, api.store, None, api.liveness)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="off", log_level="warning", ws="none"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():  # it could not start: show why
            await serving
            pytest.fail("uvicorn stopped before it started")
        await asyncio.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await serving


def fetch(
    url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Status, content type and body text of one request (POST when there is a body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read().decode()


async def test_a_query_over_http(api: Api, base_url: str) -> None:
    """POST /graphql with a JSON body answers the data as JSON."""
    api.history.register("CP-1", at(0))
    api.history.status("CP-1", 0, ConnectorStatus.FAULTED, at(1))
    api.project()
    query = '{ chargePoint(id: "cp-1") { id connectors { connectorId status } } }'

    status, content_type, body = await asyncio.to_thread(
        fetch, f"{base_url}/graphql", {"query": query}, {"X-Csms-Operator": "ops@example.com"}
    )

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {
        "data": {
            "chargePoint": {"id": "CP-1", "connectors": [{"connectorId": 0, "status": "FAULTED"}]}
        }
    }


async def test_errors_keep_their_extensions(base_url: str) -> None:
    """A bad argument comes back as an error with code and field."""
    query = "{ idTags(first: -1) { edges { cursor } } }"

    _, _, body = await asyncio.to_thread(fetch, f"{base_url}/graphql", {"query": query})

    (error,) = json.loads(body)["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_graphiql_on_get_and_404_elsewhere(base_url: str) -> None:
    """A browser's GET /graphql gets GraphiQL; other paths are not found."""
    status, content_type, body = await asyncio.to_thread(
        fetch, f"{base_url}/graphql", None, {"Accept": "text/html"}
    )
    assert (status, content_type.split(";")[0]) == (200, "text/html")
    assert "graphiql" in body.lower()

    status, _, _ = await asyncio.to_thread(fetch, f"{base_url}/elsewhere")
    assert status == 404


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([(b"x-csms-operator", b" alice@example.com ")], "alice@example.com"),
        ([(b"x-csms-operator", b"  ")], "anonymous@10.1.2.3"),
        ([], "anonymous@10.1.2.3"),
    ],
)
def test_requests_name_their_operator(headers: list[tuple[bytes, bytes]], expected: str) -> None:
    """X-Csms-Operator names who asks; without it, the client's address does."""
    request = Request({"type": "http", "headers": headers, "client": ("10.1.2.3", 50000)})

    assert requested_by(request) == expected
