"""The batching writer: group commit, isolation of bad commands, conflicts with other processes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from datetime import UTC, datetime

import psycopg
import pytest

from adapters.aggregates import UnitOfWork
from adapters.runtime import Runtime
from adapters.writer import Writer
from domain.charge_point import ChargePoint
from domain.id_tag import IdTag
from domain.transaction import Transaction
from domain.values import ReportedTime
from domain.vocabulary import AuthorizationStatus

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def set_tag(runtime: Runtime, tag: str, status: AuthorizationStatus = AuthorizationStatus.ACCEPTED):  # type: ignore[no-untyped-def]
    return lambda unit: runtime.csms.set_id_tag(unit, tag, status, None, None, NOW)


async def test_commands_from_many_callers_share_batches(database_url: str) -> None:
    """200 concurrent commands are committed in far fewer transactions, each with its result."""
    with Runtime(database_url) as runtime:
        tags = await asyncio.gather(
            *(runtime.writer.submit(set_tag(runtime, f"T{n}")) for n in range(200))
        )
        assert [t.id_tag for t in tags] == [f"T{n}" for n in range(200)]
        stats = runtime.writer.stats
        assert stats.commands == 200
        assert stats.batches < 200
        assert runtime.app.recorder.max_notification_id() is not None


async def test_a_small_batch_waits_for_more_and_a_lone_command_does_not(sqlite_url: str) -> None:
    """Two queued commands wait `linger` for the three that arrive meanwhile: one batch of
    five. A command alone goes at once: an idle system answers without the wait."""
    loop = asyncio.get_running_loop()
    slept: list[float] = []
    arrived: list[concurrent.futures.Future[IdTag]] = []

    def arrivals(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 1:
            for n in range(3):
                submit = writer.submit(set_tag(runtime, f"LATE{n}"))
                arrived.append(asyncio.run_coroutine_threadsafe(submit, loop))
            while writer.queued() < 3:
                time.sleep(0.001)

    with Runtime(sqlite_url) as runtime:
        writer = Writer(runtime.cache, linger=0.25, sleep=arrivals)
        first = [asyncio.ensure_future(writer.submit(set_tag(runtime, f"T{n}"))) for n in range(2)]
        await asyncio.sleep(0)  # both queued before the writer looks
        writer.start()
        try:
            await asyncio.gather(*first, *(asyncio.wrap_future(f) for f in arrived))
            assert slept == [0.25]
            assert (writer.stats.batches, writer.stats.largest_batch) == (1, 5)
            await writer.submit(set_tag(runtime, "ALONE"))
            assert slept == [0.25]
            assert writer.stats.batches == 2
        finally:
            writer.stop()
        assert runtime.app.repository.get(IdTag.create_id("LATE2")).id_tag == "LATE2"


async def test_a_failing_command_does_not_fail_its_neighbours(database_url: str) -> None:
    """One command raising in a batch: the others are committed, it alone fails."""

    def broken(unit: UnitOfWork) -> None:
        runtime.csms.set_id_tag(unit, "HALF", AuthorizationStatus.ACCEPTED, None, None, NOW)
        msg = "boom after a change"
        raise RuntimeError(msg)

    with Runtime(database_url) as runtime:
        results = await asyncio.gather(
            runtime.writer.submit(set_tag(runtime, "A")),
            runtime.writer.submit(broken),
            runtime.writer.submit(set_tag(runtime, "B")),
            return_exceptions=True,
        )
        assert isinstance(results[1], RuntimeError)
        assert runtime.app.repository.get(IdTag.create_id("A")).id_tag == "A"
        assert runtime.app.repository.get(IdTag.create_id("B")).id_tag == "B"
        assert IdTag.create_id("HALF") not in runtime.app.repository
        assert runtime.cache.peek(IdTag.create_id("HALF")) is None


async def test_a_write_by_another_process_is_picked_up(database_url: str) -> None:
    """A stale cached aggregate conflicts on save; the command is retried on fresh state."""
    with Runtime(database_url) as first, Runtime(database_url) as second:
        await first.writer.submit(
            lambda unit: first.csms.register_charge_point(unit, "CP", (), NOW)
        )
        # The second process changes the charge point behind the first one's cache.
        second.writer.run_now(
            lambda unit: second.csms.register_charge_point(unit, "CP", ("new-hash",), NOW)
        )
        await first.writer.submit(lambda unit: first.csms.connect(unit, "CP", "c1", NOW, None))
        fresh = first.app.repository.get(ChargePoint.create_id("CP"))
        assert fresh.key_hashes == ("new-hash",)
        assert fresh.connected


async def test_the_invalidator_drops_aggregates_changed_elsewhere(database_url: str) -> None:
    """Reads see another process's change within a poll interval (e.g. a tag blocked by the CLI)."""
    with Runtime(database_url) as first, Runtime(database_url) as second:
        await first.writer.submit(set_tag(first, "TAG"))
        assert first.cache.peek(IdTag.create_id("TAG")) is not None
        second.writer.run_now(set_tag(second, "TAG", AuthorizationStatus.BLOCKED))
        first.invalidator.poll()
        tag = await first.services.read(IdTag, IdTag.create_id("TAG"))
        assert tag is not None
        assert tag.status is AuthorizationStatus.BLOCKED


def test_run_now_saves_or_leaves_nothing(sqlite_url: str) -> None:
    """The CLI path: one command, one save; a failure leaves no trace in cache or store."""
    with Runtime(sqlite_url) as runtime:
        runtime.writer.run_now(set_tag(runtime, "OK"))

        def refuse(unit: UnitOfWork) -> None:
            set_tag(runtime, "NOPE")(unit)
            msg = "no"
            raise ValueError(msg)

        with pytest.raises(ValueError, match="no"):
            runtime.writer.run_now(refuse)
        assert IdTag.create_id("OK") in runtime.app.repository
        assert IdTag.create_id("NOPE") not in runtime.app.repository


async def test_unknown_aggregates_are_remembered_until_created(database_url: str) -> None:
    """A miss is cached (no query per message for an unknown tag) until the tag is created,
    here or by another process."""
    with Runtime(database_url) as first, Runtime(database_url) as second:
        tag_id = IdTag.create_id("LATE")
        assert await first.services.read(IdTag, tag_id) is None
        assert first.cache.peek(tag_id) is not None  # remembered as absent
        assert await first.services.read(IdTag, tag_id) is None
        # Created by another process: the invalidator drops the absence.
        second.writer.run_now(set_tag(second, "LATE"))
        first.invalidator.poll()
        tag = await first.services.read(IdTag, tag_id)
        assert tag is not None
        # Created by this process: the writer replaces the absence at once.
        assert await first.services.read(IdTag, IdTag.create_id("HERE")) is None
        await first.writer.submit(set_tag(first, "HERE"))
        assert await first.services.read(IdTag, IdTag.create_id("HERE")) is not None


async def test_any_text_a_charge_point_sends_is_stored_as_it_was(database_url: str) -> None:
    """A NUL, quotes, backslashes and non-ASCII in one batch with plain events: all read back
    exactly (PostgreSQL's json type cannot hold a \\u0000, so such a state travels as base64)."""
    odd = 'nul \x00 "quoted" back\\slash \\u0000 é 😀'
    with Runtime(database_url) as runtime:
        runtime.writer.run_now(lambda unit: runtime.csms.register_charge_point(unit, "CP", (), NOW))
        await asyncio.gather(
            runtime.writer.submit(
                lambda unit: runtime.csms.data_transfer(unit, "CP", "vendor", odd, odd, NOW)
            ),
            runtime.writer.submit(set_tag(runtime, "PLAIN")),
        )
        events = list(runtime.app.events.get(ChargePoint.create_id("CP")))
        assert (events[-1].message_id, events[-1].data) == (odd, odd)  # type: ignore[attr-defined]
        assert runtime.app.repository.get(IdTag.create_id("PLAIN")).id_tag == "PLAIN"


def test_an_append_survives_its_connection_dying(postgres_url: str) -> None:
    """The writer keeps one connection between appends; if the server drops it, the next
    append takes a fresh one instead of failing."""
    with Runtime(postgres_url) as runtime:
        runtime.writer.run_now(set_tag(runtime, "BEFORE"))
        kept = runtime.app.recorder._kept.connection  # type: ignore[attr-defined]
        with psycopg.connect(postgres_url.split("?", maxsplit=1)[0], autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (kept.info.backend_pid,))
        runtime.writer.run_now(set_tag(runtime, "AFTER"))
        assert runtime.app.repository.get(IdTag.create_id("AFTER")).id_tag == "AFTER"


async def test_a_stopped_transaction_leaves_the_cache_and_its_charge_point_stays(
    sqlite_url: str,
) -> None:
    """Finished transactions are rarely read again; a heap of them slows every collection."""
    stamp = ReportedTime("2026-12-01T00:00:00Z", NOW)
    with Runtime(sqlite_url) as runtime:
        csms, submit = runtime.csms, runtime.writer.submit
        await submit(lambda unit: csms.register_charge_point(unit, "CP", (), NOW))
        await submit(set_tag(runtime, "TAG"))
        started = await submit(
            lambda unit: csms.start_transaction(unit, "CP", 1, "TAG", 0, stamp, None, NOW)
        )
        transaction_id = Transaction.create_id(started.transaction_id)
        assert runtime.cache.peek(transaction_id) is not None
        await submit(
            lambda unit: csms.stop_transaction(
                unit, "CP", started.transaction_id, None, 10, stamp, None, (), NOW
            )
        )
        assert runtime.cache.peek(transaction_id) is None
        assert runtime.cache.peek(ChargePoint.create_id("CP")) is not None
        assert runtime.cache.peek(IdTag.create_id("TAG")) is not None
        stored = runtime.app.repository.get(transaction_id)
        assert stored.finished
