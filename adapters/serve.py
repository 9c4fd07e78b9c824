"""`csms serve`: the OCPP gateway and the projections in one process."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from adapters.ocpp.server import OcppServer
from adapters.runtime import Runtime, tune_garbage_collector
from adapters.settings import Settings
from projections.runner import run_projections

logger = logging.getLogger("csms")


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    # The writer thread and the event loop share the GIL; a shorter switch interval keeps the
    # loop answering while a large batch is being encoded (the default 5 ms shows in p99).
    sys.setswitchinterval(0.001)
    tune_garbage_collector()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runtime = await asyncio.to_thread(
        Runtime, settings.database_url, heartbeat_interval=settings.heartbeat_interval
    )
    runtime.start()
    projections_context = run_projections(runtime.database, poll_interval=0.25)
    projections = await asyncio.to_thread(projections_context.__enter__)
    runtime.writer.on_commit(lambda _position: projections.notify())
    server = OcppServer(
        runtime.services,
        call_timeout=settings.call_timeout,
        accept_unknown=settings.accept_unknown_charge_points,
    )
    try:
        host, port = await server.start(settings.ocpp_host, settings.ocpp_port)
        logger.info(
            "ready for charge points at ws://%s:%d/ocpp/{chargePointId} (events: %s)",
            host,
            port,
            runtime.database.redacted(),
        )
        if ready is not None:
            ready.set()
        await stop.wait()
        logger.info("stopping")
    finally:
        await server.stop()
        await asyncio.to_thread(runtime.close)
        await asyncio.to_thread(projections_context.__exit__, None, None, None)
