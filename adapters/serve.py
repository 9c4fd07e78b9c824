"""The long-running commands: `csms serve` runs everything in one process; `csms gateway`,
`csms api` and `csms projections` run one piece each (they share the database; a command for
a charge point connected to another process answers CHARGE_POINT_OFFLINE)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from contextlib import AsyncExitStack
from typing import Any

import uvicorn

from adapters.ocpp.gateway import OutboundGateway
from adapters.ocpp.server import OcppServer
from adapters.operations import CsmsOperations, ServerLiveness, views_caught_up
from adapters.runtime import Runtime, tune_garbage_collector
from adapters.settings import Settings
from projections.runner import Projections, run_projections
from projections.views import open_views

logger = logging.getLogger("csms")

PIECES = {
    "serve": ("gateway", "api", "projections"),
    "gateway": ("gateway",),
    "api": ("api",),
    "projections": ("projections",),
}


async def serve(settings: Settings, command: str = "serve") -> None:
    """Run the pieces of `command` until SIGINT or SIGTERM."""
    pieces = PIECES[command]
    # The writer thread and the event loop share the GIL; a shorter switch interval keeps the
    # loop answering while a large batch is being encoded (the default 5 ms shows in p99).
    # Open loop at 3,000 msgs/s, p99: 45 ms at 1 ms, 35-47 at 0.5 ms, 41 at 0.25 ms.
    sys.setswitchinterval(0.0005)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with AsyncExitStack() as stack:
        runtime: Runtime | None = None
        if "gateway" in pieces or "api" in pieces:
            runtime = await asyncio.to_thread(
                Runtime, settings.database_url, heartbeat_interval=settings.heartbeat_interval
            )
            runtime.start()
            stack.push_async_callback(asyncio.to_thread, runtime.close)
        projections: Projections | None = None
        if "projections" in pieces:
            projections = await _start_projections(stack, settings)
            if runtime is not None:
                runtime.writer.on_commit(projections.offer)
        server: OcppServer | None = None
        if "gateway" in pieces:
            assert runtime is not None
            server = await _start_gateway(stack, settings, runtime)
        if "api" in pieces:
            assert runtime is not None
            await _start_api(stack, settings, runtime, server, projections)
        tune_garbage_collector(loop)
        await stop.wait()
        logger.info("stopping")


async def _start_projections(stack: AsyncExitStack, settings: Settings) -> Projections:
    from adapters.eventstore import parse_database_url

    # Under load, a batch at most every 250 ms: a view transaction costs about as much as the
    # rows in it, and each batch competes with the gateway for the GIL. Read models may lag
    # that much; a mutation waiting for its own events cuts the wait short. The views take
    # turns within those 250 ms (runners_for): all three at once put 30-90 ms lags into the
    # event loop, and the open-loop p99 was 33-116 ms taking turns against 43-232 ms at once.
    context = run_projections(
        parse_database_url(settings.database_url),
        batch_size=5000,
        poll_interval=0.25,
        min_interval=0.25,
    )
    projections = await asyncio.to_thread(context.__enter__)
    stack.push_async_callback(asyncio.to_thread, context.__exit__, None, None, None)
    logger.info("projections running: %s", ", ".join(r.name for r in projections.runners))
    return projections


async def _start_gateway(stack: AsyncExitStack, settings: Settings, runtime: Runtime) -> OcppServer:
    server = OcppServer(
        runtime.services,
        call_timeout=settings.call_timeout,
        accept_unknown=settings.accept_unknown_charge_points,
    )
    try:
        host, port = await server.start(settings.ocpp_host, settings.ocpp_port)
    except OSError as error:
        raise CannotListen(error, "ocpp", settings.ocpp_host, settings.ocpp_port) from None
    stack.push_async_callback(server.stop)
    logger.info(
        "ready for charge points at ws://%s:%d/ocpp/{chargePointId} (events: %s)",
        host,
        port,
        runtime.database.redacted(),
    )
    return server


async def _start_api(
    stack: AsyncExitStack,
    settings: Settings,
    runtime: Runtime,
    server: OcppServer | None,
    projections: Projections | None,
) -> None:
    from api.app import create_app

    if projections is not None:
        views = projections.views
        projected = projections.wait
    else:  # another process projects: watch the views' tracking positions
        views = await asyncio.to_thread(open_views, runtime.database)
        stack.callback(views.close)
        projected = views_caught_up(views)
    gateway = OutboundGateway(runtime.services, server.session if server else lambda _id: None)
    operations = CsmsOperations(runtime, gateway, projected)
    liveness = ServerLiveness(server) if server is not None else None
    app = create_app(views, runtime.app, operations, liveness)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    http = uvicorn.Server(config)
    # startup()/main_loop()/shutdown() rather than serve(): serve() installs its own signal
    # handlers, and this process already has one stop signal for all its pieces.
    config.load()
    http.lifespan = config.lifespan_class(config)
    # Bound here, not by uvicorn, so that a bad host or a taken port is our one-line error.
    try:
        listening = await asyncio.to_thread(_listen, settings.http_host, settings.http_port)
    except OSError as error:
        raise CannotListen(error, "http", settings.http_host, settings.http_port) from None
    await http.startup(sockets=[listening])
    if http.should_exit:
        msg = f"cannot serve HTTP on {settings.http_host}:{settings.http_port}"
        raise SystemExit(msg)
    main_loop = asyncio.create_task(http.main_loop())

    async def stop_http() -> None:
        http.should_exit = True
        await main_loop
        await http.shutdown()

    stack.push_async_callback(stop_http)
    host, port = _bound(http)
    logger.info("HTTP API ready at http://%s:%d/graphql (GraphiQL on GET)", host, port)


class CannotListen(Exception):
    """A host or port this process cannot listen on; the message names the settings."""

    def __init__(self, error: OSError, prefix: str, host: str, port: int) -> None:
        names = f"--{prefix}-host/--{prefix}-port"
        variables = f"CSMS_{prefix.upper()}_HOST/CSMS_{prefix.upper()}_PORT"
        reason = error.strerror or str(error)
        super().__init__(f"{names} ({variables}) = '{host}:{port}': cannot listen: {reason}")


def _listen(host: str, port: int) -> socket.socket:
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    return socket.create_server(address, family=family)


def _bound(http: uvicorn.Server) -> tuple[str, int]:
    sockets: Any = http.servers[0].sockets
    address = sockets[0].getsockname()
    return address[0], address[1]
