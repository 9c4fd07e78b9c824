"""A real csms gateway on a loopback port, inside the test's event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from adapters.ocpp.gateway import OutboundGateway
from adapters.ocpp.routing import Router
from adapters.ocpp.server import OcppServer
from adapters.operations import CsmsOperations, ServerLiveness
from adapters.runtime import Runtime
from domain.credentials import password_hashes
from projections.runner import Projections, run_projections


@dataclass
class RunningCsms:
    runtime: Runtime
    server: OcppServer
    host: str
    port: int
    projections: Projections | None = None

    async def graphql(self, query: str, **variables: Any) -> Any:
        """Execute a GraphQL document as an operator would; returns the execution result."""
        from api.context import Context
        from api.schema import schema

        assert self.projections is not None, "start running_csms(..., api=True)"
        gateway = OutboundGateway(self.runtime.services, self.server.session)
        operations = CsmsOperations(self.runtime, gateway, self.projections.wait)
        context = Context(
            views=self.projections.views,
            event_store=self.runtime.app,
            operations=operations,
            liveness=ServerLiveness(self.server),
            requested_by="test-operator",
        )
        return await schema.execute(query, variable_values=variables, context_value=context)

    async def projected(self, timeout: float = 5.0) -> None:
        """Wait until the read models show everything this process has written."""
        assert self.projections is not None, "start running_csms(..., api=True)"
        position = self.runtime.writer.position
        assert await asyncio.to_thread(self.projections.wait, position, timeout)

    async def ok(self, query: str, **variables: Any) -> Any:
        """The data of a GraphQL document that must succeed."""
        result = await self.graphql(query, **variables)
        assert result.errors is None, result.errors
        return result.data

    def url(self, charge_point_id: str) -> str:
        return f"ws://{self.host}:{self.port}/ocpp/{quote(charge_point_id, safe='')}"

    async def register(self, charge_point_id: str, key: str | None = None) -> None:
        key_hashes = () if key is None else password_hashes(key, iterations=1000)
        runtime = self.runtime
        await runtime.writer.submit(
            lambda unit: runtime.csms.register_charge_point(
                unit, charge_point_id, key_hashes, runtime.services.clock()
            )
        )

    async def run(self, command: Any) -> Any:
        return await self.runtime.writer.submit(command)

    def events(self) -> list[Any]:
        """Every event in the store, in log order."""
        app = self.runtime.app
        notifications = app.recorder.select_notifications(start=1, limit=100_000)
        return [app.mapper.to_domain_event(n) for n in notifications]

    async def wait_for(self, name: str, count: int = 1, timeout: float = 5.0) -> list[Any]:
        """The events, once `count` of them are named `name` (the gateway writes some late)."""
        async with asyncio.timeout(timeout):
            while True:
                events = await asyncio.to_thread(self.events)
                if [type(e).__qualname__ for e in events].count(name) >= count:
                    return events
                await asyncio.sleep(0.02)

    def event_names(self) -> list[str]:
        return [type(e).__qualname__ for e in self.events()]


@asynccontextmanager
async def running_csms(
    database_url: str,
    *,
    accept_unknown: bool = False,
    call_timeout: float = 5.0,
    heartbeat_interval: int = 300,
    router: Router | None = None,
    api: bool = False,
) -> AsyncIterator[RunningCsms]:
    runtime = await asyncio.to_thread(Runtime, database_url, heartbeat_interval=heartbeat_interval)
    runtime.start()
    kwargs: dict[str, Any] = {"router": router} if router is not None else {}
    server = OcppServer(
        runtime.services, call_timeout=call_timeout, accept_unknown=accept_unknown, **kwargs
    )
    async with AsyncExitStack() as stack:
        stack.push_async_callback(asyncio.to_thread, runtime.close)
        projections = None
        if api:
            context = run_projections(runtime.database, poll_interval=0.05)
            projections = await asyncio.to_thread(context.__enter__)
            stack.push_async_callback(asyncio.to_thread, context.__exit__, None, None, None)
            runtime.writer.on_commit(projections.offer)
        host, port = await server.start("127.0.0.1", 0)
        stack.push_async_callback(server.stop)
        yield RunningCsms(runtime, server, host, port, projections)


@asynccontextmanager
async def writer_held(csms: RunningCsms) -> AsyncIterator[asyncio.Task[Any]]:
    """The writer thread stuck inside a command until the block ends; yields that command."""
    inside, release = threading.Event(), threading.Event()

    def stuck(unit: object) -> None:
        inside.set()
        release.wait(timeout=10)

    blocked = asyncio.create_task(csms.run(stuck))
    try:
        assert await asyncio.to_thread(inside.wait, 5), "the writer never ran the command"
        yield blocked
    finally:
        release.set()
        await blocked
