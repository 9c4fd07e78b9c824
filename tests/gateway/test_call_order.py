"""How a session works through CALLs: one at a time and in order, with reads that never wait
for the writer thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect

from adapters.ocpp.context import Services
from domain.id_tag import IdTag
from domain.vocabulary import AuthorizationStatus
from tests.support.server import RunningCsms, running_csms, writer_held


@pytest.fixture
async def csms(database_url: str) -> AsyncIterator[RunningCsms]:
    async with running_csms(database_url) as running:
        await running.register("CP1")
        await running.run(
            lambda unit: running.runtime.csms.set_id_tag(
                unit,
                "KNOWN",
                AuthorizationStatus.ACCEPTED,
                None,
                None,
                running.runtime.services.clock(),
            )
        )
        yield running


@asynccontextmanager
async def connected(csms: RunningCsms) -> AsyncIterator[ClientConnection]:
    """A socket whose session is reading (it answered a Heartbeat)."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        assert (await exchange(connection, '[2,"hello","Heartbeat",{}]'))[0] == 3
        yield connection


async def exchange(connection: ClientConnection, frame: str | bytes) -> list[Any]:
    await connection.send(frame)
    return await answer(connection)


async def answer(connection: ClientConnection, timeout: float = 5.0) -> list[Any]:
    async with asyncio.timeout(timeout):
        return orjson.loads(await connection.recv())


async def test_calls_are_answered_one_at_a_time_in_order(
    csms: RunningCsms, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Heartbeat sent right behind a slow Authorize waits for it; the answers keep CALL order."""
    reading, go_on = asyncio.Event(), asyncio.Event()
    real_read = Services.read

    async def slow_tag_reads(self: Services, cls: type[Any], aggregate_id: UUID) -> Any:
        if cls is IdTag:
            reading.set()
            await go_on.wait()
        return await real_read(self, cls, aggregate_id)

    monkeypatch.setattr(Services, "read", slow_tag_reads)
    async with connected(csms) as connection:
        # Given an Authorize whose handler is held in the middle of reading the tag,
        await connection.send('[2,"a1","Authorize",{"idTag":"KNOWN"}]')
        async with asyncio.timeout(5):
            await reading.wait()
        # when a Heartbeat follows on the same socket without waiting for the answer,
        await connection.send('[2,"h1","Heartbeat",{}]')
        # then nothing is answered while the Authorize is unfinished,
        with pytest.raises(TimeoutError):
            await answer(connection, timeout=0.3)
        go_on.set()
        # and once it finishes, the answers come in the order of the CALLs.
        first, second = await answer(connection), await answer(connection)
    assert first[:2] == [3, "a1"]
    assert first[2]["idTagInfo"]["status"] == "Accepted"
    assert second[:2] == [3, "h1"]


async def test_heartbeats_and_authorize_never_wait_for_the_writer(csms: RunningCsms) -> None:
    """With the writer thread stuck in a slow batch, Heartbeat and Authorize are still answered."""
    async with connected(csms) as connection, writer_held(csms) as blocked:
        heartbeat = await exchange(connection, '[2,"h1","Heartbeat",{}]')
        known = await exchange(connection, '[2,"a1","Authorize",{"idTag":"KNOWN"}]')
        unknown = await exchange(connection, '[2,"a2","Authorize",{"idTag":"NEVER-SEEN"}]')
        assert not blocked.done(), "the writer was released before the reads were answered"
    assert heartbeat[:2] == [3, "h1"]
    assert known[:2] == [3, "a1"]
    assert known[2]["idTagInfo"]["status"] == "Accepted"
    assert unknown[:2] == [3, "a2"]
    assert unknown[2]["idTagInfo"]["status"] == "Invalid"


async def test_a_new_connection_is_answered_before_its_connected_event_commits(
    csms: RunningCsms,
) -> None:
    """Recording Connected goes through the writer like everything else, but the session
    reads at once: a reconnect storm or a slow save must not hold up first Heartbeats."""
    url = csms.url("CP1")
    async with writer_held(csms), connect(url, subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        reply = await exchange(connection, '[2,"first","Heartbeat",{}]')
        assert reply[:2] == [3, "first"]
        assert not any(
            type(e).__qualname__ == "ChargePoint.Connected"
            for e in await asyncio.to_thread(csms.events)
        )
    async with asyncio.timeout(5):  # and it is recorded once the writer moves on
        while type((await asyncio.to_thread(csms.events))[-1]).__qualname__ not in (
            "ChargePoint.Connected",
            "ChargePoint.Disconnected",
        ):
            await asyncio.sleep(0.01)
    names = [type(e).__qualname__ for e in await asyncio.to_thread(csms.events)]
    assert names[-2:] == ["ChargePoint.Connected", "ChargePoint.Disconnected"]


async def test_a_connection_that_cannot_be_recorded_is_closed_and_forgotten(
    csms: RunningCsms, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        msg = "the store is down"
        raise RuntimeError(msg)

    monkeypatch.setattr(csms.runtime.csms, "connect", failing)
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        async with asyncio.timeout(5):
            await connection.wait_closed()
        assert connection.close_code == 1011
    async with asyncio.timeout(5):
        while csms.server.session("CP1") is not None:
            await asyncio.sleep(0.01)
