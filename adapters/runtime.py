"""Runtime: the pieces one csms process runs, built in one place and closed in reverse."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

from adapters.aggregates import AggregateCache, CacheInvalidator
from adapters.eventstore import Database, open_event_store, parse_database_url
from adapters.ocpp.context import Services
from adapters.writer import Writer
from domain.central_system import CentralSystem, Policy

logger = logging.getLogger(__name__)


class Runtime:
    def __init__(self, database_url: str, *, heartbeat_interval: int = 300) -> None:
        self.database: Database = parse_database_url(database_url)
        self.app = open_event_store(self.database)
        self.cache = AggregateCache(self.app)
        self.writer = Writer(self.cache)
        self.invalidator = CacheInvalidator(self.cache, own=self.writer.own)
        self.csms = CentralSystem(Policy(heartbeat_interval=heartbeat_interval))
        self.services = Services(self.csms, self.cache, self.writer)
        self._started = False

    def start(self) -> None:
        self.writer.start()
        self.invalidator.start()
        self._started = True

    def close(self) -> None:
        if self._started:
            self.invalidator.stop()
            self.writer.stop()
        self.app.close()

    def __enter__(self) -> Runtime:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def tune_garbage_collector(
    loop: asyncio.AbstractEventLoop, every: float = 60.0
) -> Callable[[], None]:
    """Collect cyclic garbage on a timer instead of on allocation counts, and log slow runs.

    A server holding thousands of connections and cached aggregates has millions of tracked
    objects. Triggered by allocations, the collector ran under load every second or so and
    stopped both threads for 50-200 ms each time, which was most of the p99. Nearly all
    garbage here is freed by reference counting; the cycles (closed connections, failed tasks)
    can wait a minute. What start-up built is frozen: it is never garbage.

    A pass costs about 1 µs per live object it scans. Freezing every second (free) keeps what
    the process built before the last second out of the minutely pass: at 2,800 msgs/s the
    pass took 100-120 ms with a freeze every 5 s, and 5-12 ms with one every second; scanned
    there, 1,000 new connections had made it 130-200 ms. Cycles frozen while alive wait for
    the full pass every ten minutes.

    Returns:
        A function that puts the collector back as it was (for tests).
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    started = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif (elapsed := time.perf_counter() - started[0]) > SLOW_COLLECTION:
            logger.warning(
                "garbage collection of generation %d took %.0f ms (%d collected)",
                info["generation"],
                elapsed * 1e3,
                info["collected"],
            )

    gc.callbacks.append(watch)

    rounds = [0]
    timers: list[asyncio.TimerHandle] = []

    def collect() -> None:
        # Each minute only what is new since the last round is scanned, then frozen too;
        # every tenth round everything is, so that cycles frozen while alive (a connection
        # closed since) are freed as well: one long pause each ten minutes, not each minute.
        rounds[0] += 1
        if rounds[0] % FULL_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        timers[0] = loop.call_later(every, collect)

    def freeze() -> None:
        gc.freeze()
        timers[1] = loop.call_later(FREEZE_EVERY, freeze)

    timers[:] = [loop.call_later(every, collect), loop.call_later(FREEZE_EVERY, freeze)]

    def undo() -> None:
        for timer in timers:
            timer.cancel()
        gc.callbacks.remove(watch)
        gc.unfreeze()
        gc.enable()

    return undo


SLOW_COLLECTION = 0.05  # seconds
FREEZE_EVERY = 1.0  # seconds
FULL_EVERY = 10  # rounds
