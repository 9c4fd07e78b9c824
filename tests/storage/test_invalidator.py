"""The cache invalidator reads back only what other processes wrote."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.aggregates import OwnPositions
from adapters.runtime import Runtime
from domain.id_tag import IdTag
from domain.vocabulary import AuthorizationStatus

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def set_tag(runtime: Runtime, tag: str, status: AuthorizationStatus = AuthorizationStatus.ACCEPTED):  # type: ignore[no-untyped-def]
    return lambda unit: runtime.csms.set_id_tag(unit, tag, status, None, None, NOW)


def test_own_positions_know_their_runs() -> None:
    own = OwnPositions()
    own.add([3, 4, 5])
    own.add([6, 7])  # joins the run
    own.add([10, 12])  # not contiguous: two runs
    assert own.covers(2, 7)
    assert not own.covers(2, 8)  # 8 is someone else's
    assert not own.covers(1, 5)  # so is 2
    assert [p for p in range(1, 14) if own.owns(p)] == [3, 4, 5, 6, 7, 10, 12]
    own.add([8])  # late, from another thread: kept in order
    assert own.covers(2, 8)
    assert not own.covers(2, 10)  # 9 is someone else's
    own.forget_through(7)
    assert not own.owns(7)
    assert own.owns(8)
    assert own.covers(7, 8)
    assert own.covers(9, 10)


def test_a_capped_record_forgets_the_oldest_runs() -> None:
    own = OwnPositions()
    for n in range(OwnPositions.CAP + 1):
        own.add([2 * n])
    assert not own.owns(0)
    assert own.owns(2 * OwnPositions.CAP)


async def test_own_writes_are_not_read_back_and_foreign_ones_are(database_url: str) -> None:
    with Runtime(database_url) as first, Runtime(database_url) as second:
        first.invalidator.stop()  # polled by hand below
        for n in range(5):
            await first.writer.submit(set_tag(first, f"T{n}"))
        assert first.invalidator.poll() == 0  # all ours: nothing read

        # Another process blocks T1 between two writes of ours.
        second.writer.run_now(set_tag(second, "T1", AuthorizationStatus.BLOCKED))
        await first.writer.submit(set_tag(first, "T9"))
        assert first.cache.peek(IdTag.create_id("T1")) is not None
        assert first.invalidator.poll() == 2  # the foreign event and our own after it
        assert first.cache.peek(IdTag.create_id("T1")) is None
        assert first.cache.peek(IdTag.create_id("T9")) is not None  # ours stays cached
        tag = await first.services.read(IdTag, IdTag.create_id("T1"))
        assert tag is not None
        assert tag.status is AuthorizationStatus.BLOCKED

        await first.writer.submit(set_tag(first, "T10"))
        assert first.invalidator.poll() == 0
