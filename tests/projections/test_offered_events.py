"""In-process projections take committed events from the writer instead of decoding them again,
and fall back to reading the log whenever another process's events lie in between."""

from __future__ import annotations

import asyncio
import itertools
import math
import time
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


def test_the_views_take_turns_under_a_steady_trickle(sqlite_url: str) -> None:
    """Under a steady load each view starts its batches at a slot of its own in the cycle, so
    that the runners of one process do not all compete with the gateway for the GIL at once
    (all three at the same moment showed in the gateway's latency)."""
    interval = 0.25
    with (
        Runtime(sqlite_url) as runtime,
        run_projections(runtime.database, min_interval=interval) as projections,
    ):
        runtime.writer.on_commit(projections.offer)
        starts: dict[str, list[float]] = {runner.name: [] for runner in projections.runners}
        for runner in projections.runners:
            original = runner.projection.process_batch

            def timed(events, tracking, original=original, name=runner.name):  # type: ignore[no-untyped-def]
                starts[name].append(time.monotonic())
                return original(events, tracking)

            runner.projection.process_batch = timed  # type: ignore[method-assign]
        deadline = time.monotonic() + 2.0
        n = 0
        while time.monotonic() < deadline:
            runtime.writer.run_now(set_tag(runtime, f"T{n}"))
            n += 1
            time.sleep(0.005)
        assert projections.wait(runtime.writer.position, 5.0)
    phases = {}
    for name, times in starts.items():
        # The first batches may start on the first offer, off their slot; the wait at the end
        # (read-your-writes) hurries the last one.
        steady = [t for t in times[2:] if t < deadline]
        assert len(steady) >= 4, (name, times)
        assert all(b - a >= interval / 2 for a, b in itertools.pairwise(steady))
        angles = [2 * math.pi * (t % interval) / interval for t in steady]
        mean = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
        phases[name] = (mean / (2 * math.pi) % 1) * interval
    for a, b in itertools.combinations(phases.values(), 2):
        apart = abs(a - b) % interval
        assert min(apart, interval - apart) >= interval / 6, phases
