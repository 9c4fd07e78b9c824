"""In-process projections take committed events from the writer instead of decoding them again,
and fall back to reading the log whenever another process's events lie in between."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.runtime import Runtime
from domain.vocabulary import AuthorizationStatus
from projections.runner import run_projections

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def set_tag(runtime: Runtime, tag: str):  # type: ignore[no-untyped-def]
    return lambda unit: runtime.csms.set_id_tag(
        unit, tag, AuthorizationStatus.ACCEPTED, None, None, NOW
    )


async def test_offered_and_foreign_events_all_reach_the_views(database_url: str) -> None:
    """Offers from this writer and events of another process interleave; nothing is lost or
    applied twice, and the offered ones are not read back."""
    with (
        Runtime(database_url) as here,
        Runtime(database_url) as elsewhere,
        run_projections(here.database, poll_interval=10.0) as projections,
    ):
        here.writer.on_commit(projections.offer)
        reads = 0
        recorder = projections.runners[0].app.recorder
        original = recorder.select_notifications

        def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            nonlocal reads
            found = original(*args, **kwargs)  # type: ignore[arg-type]
            reads += len(found)
            return found

        recorder.select_notifications = counting  # type: ignore[method-assign]
        await asyncio.sleep(0.3)  # the runners' first look at the (empty) log is over
        reads = 0
        for n in range(20):
            await here.writer.submit(set_tag(here, f"HERE-{n}"))
        assert await asyncio.to_thread(projections.wait, here.writer.position, 5.0)
        offered_reads = reads
        # Another process writes: a gap the offers cannot fill.
        elsewhere.writer.run_now(set_tag(elsewhere, "ELSEWHERE"))
        for n in range(20, 30):
            await here.writer.submit(set_tag(here, f"HERE-{n}"))
        assert await asyncio.to_thread(projections.wait, here.writer.position, 5.0)
        views = projections.views
        tags = {row.id_tag for row in views.id_tags.list_id_tags(first=100)}
        assert tags == {f"HERE-{n}" for n in range(30)} | {"ELSEWHERE"}
        assert offered_reads == 0  # none of the first 20 was read back: all came offered
        assert reads > offered_reads  # the gap was read from the log
