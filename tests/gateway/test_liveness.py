"""Liveness: Heartbeats tell the time and record nothing; the server's keepalive pings are
patient with slow chargers (OCPP16.md §2.3, T13)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.support.server import RunningCsms, running_csms

OCPP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
WEBSOCKETS_DEFAULT_PING = 20.0  # seconds, for both the interval and the timeout


@pytest.fixture
async def csms(database_url: str) -> AsyncIterator[RunningCsms]:
    async with running_csms(database_url) as running:
        await running.register("CP1")
        yield running


async def exchange(connection: ClientConnection, frame: str) -> list[Any]:
    await connection.send(frame)
    async with asyncio.timeout(5):
        return orjson.loads(await connection.recv())


async def test_heartbeat_answers_utc_time_without_fraction(csms: RunningCsms) -> None:
    """currentTime is `YYYY-MM-DDTHH:MM:SSZ`, and it is now, in UTC."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        before = datetime.now(UTC).replace(microsecond=0)
        answer = await exchange(connection, '[2,"h1","Heartbeat",{}]')
        after = datetime.now(UTC)
    assert answer[:2] == [3, "h1"]
    assert set(answer[2]) == {"currentTime"}
    current_time = answer[2]["currentTime"]
    assert OCPP_TIME.match(current_time), current_time
    told = datetime.strptime(current_time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= told <= after + timedelta(seconds=1)


async def test_heartbeats_record_no_event(csms: RunningCsms) -> None:
    """Heartbeats only refresh liveness: no event, nothing for the writer."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        await exchange(connection, '[2,"h0","Heartbeat",{}]')
        # Connected is recorded beside the first answers, not before them: wait for it.
        async with asyncio.timeout(5):
            while True:
                events = await asyncio.to_thread(csms.events)
                if type(events[-1]).__qualname__ == "ChargePoint.Connected":
                    break
                await asyncio.sleep(0.01)
        commands = csms.runtime.writer.stats.commands
        for n in range(5):
            answer = await exchange(connection, f'[2,"h{n + 1}","Heartbeat",{{}}]')
            assert answer[:2] == [3, f"h{n + 1}"]
        assert await asyncio.to_thread(csms.events) == events
        assert csms.runtime.writer.stats.commands == commands
    assert [type(e).__qualname__ for e in events][-1] == "ChargePoint.Connected"


async def test_keepalive_pings_are_generous(csms: RunningCsms) -> None:
    """The server pings every few minutes and waits far longer than websockets' 20 s for the
    pong: chargers that answer late must not be dropped, dead sockets must still be found."""
    async with connect(
        csms.url("CP1"),
        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
        ping_interval=None,  # only the server's pings matter here
    ) as connection:
        await exchange(connection, '[2,"h1","Heartbeat",{}]')
        session = csms.server.session("CP1")
        assert session is not None
        server_side = session.connection
        assert server_side.ping_interval is not None, "no pings: half-open sockets stay forever"
        assert 0 < server_side.ping_interval <= 300  # a few minutes at most
        assert server_side.ping_timeout is not None
        assert server_side.ping_timeout >= 3 * WEBSOCKETS_DEFAULT_PING
        assert server_side.keepalive_task is not None
        assert not server_side.keepalive_task.done()
