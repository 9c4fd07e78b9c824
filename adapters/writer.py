"""The batching writer: one thread per process applies commands from every connection to the
in-memory aggregates and saves a whole batch in one transaction (group commit).

One `save()` per message caps a process near 1k messages/s; one `save()` per batch costs about
the same, whatever the batch holds. A batch is what queued while the previous one was being
saved, up to `max_batch` commands. When that is only a few (a steady, moderate load), the
writer waits `linger` for more, since each batch costs a commit, a round trip and a wake-up of
the event loop: at 3,300 messages/s, 2 ms took batches from 5 to 13 commands, the writer's CPU
down by a quarter and PostgreSQL's by a fifth. A lone command does not wait (an idle system
answers as fast as before), nor does a batch that is already large.

If a command raises or the save fails (a conflict with another process, a lost connection),
the batch's aggregates are dropped from the cache and its commands run again one by one, so
one bad command never fails its neighbours.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from adapters.aggregates import AggregateCache, OwnPositions, UnitOfWork
from domain.errors import DomainError

logger = logging.getLogger(__name__)

R = TypeVar("R")
Command = Callable[[UnitOfWork], R]


@dataclass
class _Item(Generic[R]):
    command: Command[R]
    future: asyncio.Future[R]
    loop: asyncio.AbstractEventLoop


@dataclass
class WriterStats:
    batches: int = 0
    commands: int = 0
    events: int = 0
    retried_batches: int = 0
    largest_batch: int = 0
    save_seconds: float = 0.0
    recent_sizes: list[int] = field(default_factory=list)


_STOP = object()
SLOW_SAVE = 0.1  # seconds; a save slower than this is logged
LINGER = 0.002  # seconds a small batch waits for more
LINGER_BELOW = 32  # commands; a batch this large goes at once


class Writer:
    def __init__(
        self,
        cache: AggregateCache,
        max_batch: int = 500,
        *,
        linger: float = LINGER,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = cache
        self.max_batch = max_batch
        self.linger = linger
        self._sleep = sleep
        self.stats = WriterStats()
        # The log position of the last event this writer committed (read-your-writes).
        self.position = 0
        # What this writer committed, for the cache invalidator to skip.
        self.own = OwnPositions()
        self._listeners: list[Callable[[Sequence[int], Sequence[object]], None]] = []
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def on_commit(self, listener: Callable[[Sequence[int], Sequence[object]], None]) -> None:
        """Call `listener(positions, events)` in the writer thread after each commit: the
        in-process projections take the events from there instead of decoding them again."""
        self._listeners.append(listener)

    def queued(self) -> int:
        """Commands waiting for the next batch."""
        return self._queue.qsize()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30)

    async def submit(self, command: Command[R]) -> R:
        """Run `command` in the next batch; return its result once its events are committed.

        Raises:
            DomainError: the command refused (nothing of it was saved).
            Exception: the events could not be saved.
        """
        return await self.enqueue(command)

    def enqueue(self, command: Command[R]) -> asyncio.Future[R]:
        """`submit` without waiting: the command is queued (in order) before this returns."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._queue.put(_Item(command, future, loop))
        return future

    def run_now(self, command: Command[R]) -> R:
        """Run one command and save it, in the calling thread (for the CLI and tests)."""
        unit = UnitOfWork(self.cache)
        try:
            result = command(unit)
            self._save(unit)
        except BaseException:
            self.cache.evict(unit.touched)
            raise
        self._keep(unit)
        return result

    # -- the writer thread ----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch: list[_Item[Any]] = [first]
            stop = self._drain(batch)
            if not stop and self.linger and 1 < len(batch) < LINGER_BELOW:
                self._sleep(self.linger)  # without the GIL: the loop keeps queueing
                stop = self._drain(batch)
            try:
                self._process(batch)
            except BaseException:  # never let the writer die: fail the batch instead
                logger.exception("writer failed on a batch of %d", len(batch))
            if stop:
                return

    def _drain(self, batch: list[_Item[Any]]) -> bool:
        """Move what is queued into `batch`, up to `max_batch`; True: stop was asked."""
        while len(batch) < self.max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            batch.append(item)
        return False

    def _process(self, batch: list[_Item[Any]]) -> None:
        unit = UnitOfWork(self.cache)
        outcomes: list[tuple[_Item[Any], Any, BaseException | None]] = []
        try:
            for item in batch:
                try:
                    outcomes.append((item, item.command(unit), None))
                except DomainError as refusal:
                    # Use cases refuse before they change anything, so the batch stays good.
                    outcomes.append((item, None, refusal))
            started = time.perf_counter()
            pending = unit.pending()
            events = sum(len(a.pending_events) for a in pending)
            self._save(unit)
            self._count(len(batch), events, time.perf_counter() - started)
        except Exception as error:
            self.cache.evict(unit.touched)
            if len(batch) == 1:
                self._retry_alone(batch[0], error)
                return
            self.stats.retried_batches += 1
            logger.info("batch of %d failed (%r); retrying one by one", len(batch), error)
            for item in batch:
                self._retry_alone(item, None)
            return
        self._keep(unit)
        _complete(outcomes)

    def _retry_alone(self, item: _Item[Any], error: Exception | None) -> None:
        """Run one command in a batch of its own; a conflict gets one more try."""
        attempts = 0 if error is None else 1
        while True:
            if error is not None and (attempts >= 2 or not isinstance(error, IntegrityError)):
                _complete([(item, None, error)])
                return
            unit = UnitOfWork(self.cache)
            try:
                result = item.command(unit)
                pending = unit.pending()
                started = time.perf_counter()
                events = sum(len(a.pending_events) for a in pending)
                self._save(unit)
                self._count(1, events, time.perf_counter() - started)
            except Exception as failure:
                self.cache.evict(unit.touched)
                error = failure
                attempts += 1
                continue
            self._keep(unit)
            _complete([(item, result, None)])
            return

    def _keep(self, unit: UnitOfWork) -> None:
        """Cache what the batch touched, except what is finished (a stopped transaction):
        it is rarely needed again, and a long-lived heap of them makes every garbage
        collection slower."""
        kept: list[Aggregate] = []
        finished: list[UUID] = []
        for aggregate in unit.touched.values():
            if getattr(aggregate, "finished", False):
                finished.append(aggregate.id)
            else:
                kept.append(aggregate)
        self.cache.keep(kept, finished)

    def _save(self, unit: UnitOfWork) -> None:
        pending = unit.pending()
        if not pending:
            return
        # Straight to the recorder: Application.save() would check every object against
        # runtime Protocols and look for snapshots, which cost more than the rest of the batch.
        app = self.cache.app
        started = time.perf_counter()
        events = [event for aggregate in pending for event in aggregate.collect_events()]
        stored = [app.mapper.to_stored_event(event) for event in events]
        encoded = time.perf_counter()
        positions = app.recorder.insert_events(stored)
        inserted = time.perf_counter()
        if inserted - started > SLOW_SAVE:
            logger.warning(
                "slow save of %d events: %.0f ms encoding, %.0f ms inserting",
                len(events),
                (encoded - started) * 1e3,
                (inserted - encoded) * 1e3,
            )
        if positions:
            self.position = max(self.position, positions[-1])
            self.own.add(positions)
            for listener in self._listeners:
                try:
                    listener(positions, events)
                except Exception:
                    logger.exception("a commit listener failed")

    def _count(self, commands: int, events: int, seconds: float) -> None:
        stats = self.stats
        stats.batches += 1
        stats.commands += commands
        stats.events += events
        stats.save_seconds += seconds
        stats.largest_batch = max(stats.largest_batch, commands)


def _complete(outcomes: list[tuple[_Item[Any], Any, BaseException | None]]) -> None:
    """Hand results back to each waiting loop with one wake-up per loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Item[Any], Any, Any]]] = {}
    for outcome in outcomes:
        by_loop.setdefault(outcome[0].loop, []).append(outcome)
    for loop, items in by_loop.items():
        try:
            loop.call_soon_threadsafe(_resolve, items)
        except RuntimeError:
            logger.warning("an event loop closed before %d results reached it", len(items))


def _resolve(items: list[tuple[_Item[Any], Any, BaseException | None]]) -> None:
    for item, result, error in items:
        if item.future.done():
            continue
        if error is None:
            item.future.set_result(result)
        else:
            item.future.set_exception(error)
