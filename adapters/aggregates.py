"""The aggregates a process keeps in memory, and the unit of work commands run in.

A connected charge point's aggregate is read from the store once, then kept here: the batching
writer is the only code that changes cached aggregates. Events written by other processes (the
`csms` CLI, a second gateway) reach us through `CacheInvalidator`, which drops every cached
aggregate that the log shows a newer version of; the next `get` reloads it.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from adapters.eventstore import versions_after
from domain.csms import Csms

logger = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)


class _Absent:
    """Remembers that the store has no aggregate with this id (version 0), so that unknown id
    tags and transactions do not cost a query per message; any event for the id evicts it."""

    version = 0


ABSENT: Any = _Absent()


class AggregateCache:
    """An LRU of aggregates by id, filled from the event store on a miss (blocking)."""

    def __init__(self, app: Csms, capacity: int = 100_000) -> None:
        self.app = app
        self._capacity = capacity
        self._items: OrderedDict[UUID, Aggregate] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, aggregate_id: UUID) -> Aggregate | None:
        """The cached aggregate, without IO; safe on the event loop (ABSENT: known missing)."""
        # No lock: one dict lookup is atomic under the GIL, and the event loop peeks on
        # every message. The lock orders the writers' multi-step changes among themselves.
        return self._items.get(aggregate_id)

    def get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate from memory, else from the store; None if it was never saved.

        Blocks on a miss: never call it on the event loop.
        """
        aggregate = self.peek(aggregate_id)
        if aggregate is ABSENT:
            return None
        if aggregate is None:
            try:
                loaded = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                self._remember_absent(aggregate_id)
                return None
            aggregate = self.put_if_absent(loaded)
        if not isinstance(aggregate, cls):
            msg = f"aggregate {aggregate_id} is a {type(aggregate).__name__}, not {cls.__name__}"
            raise TypeError(msg)
        return aggregate

    def _remember_absent(self, aggregate_id: UUID) -> None:
        with self._lock:
            self._items.setdefault(aggregate_id, ABSENT)

    def put_if_absent(self, aggregate: Aggregate) -> Aggregate:
        with self._lock:
            return self._put_if_absent(aggregate)

    def keep(self, aggregates: Iterable[Aggregate], drop: Iterable[UUID]) -> None:
        """`put_if_absent` each of `aggregates` and evict `drop`, under one lock (a batch)."""
        with self._lock:
            for aggregate in aggregates:
                self._put_if_absent(aggregate)
            for aggregate_id in drop:
                self._items.pop(aggregate_id, None)

    def _put_if_absent(self, aggregate: Aggregate) -> Aggregate:
        current = self._items.setdefault(aggregate.id, aggregate)
        if current is ABSENT:
            current = self._items[aggregate.id] = aggregate
        self._items.move_to_end(aggregate.id)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return current

    def put(self, aggregate: Aggregate) -> None:
        with self._lock:
            self._items[aggregate.id] = aggregate
            self._items.move_to_end(aggregate.id)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def evict(self, aggregate_ids: object) -> None:
        with self._lock:
            for aggregate_id in aggregate_ids:  # type: ignore[attr-defined]
                self._items.pop(aggregate_id, None)

    def evict_if_older(self, aggregate_id: UUID, version: int) -> None:
        with self._lock:
            aggregate = self._items.get(aggregate_id)
            if aggregate is not None and aggregate.version < version:
                del self._items[aggregate_id]

    def __len__(self) -> int:
        return len(self._items)


class UnitOfWork:
    """The aggregates one command (or one batch of commands) touched."""

    def __init__(self, cache: AggregateCache) -> None:
        self._cache = cache
        self.touched: dict[UUID, Aggregate] = {}

    def get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self.touched.get(aggregate_id)
        if aggregate is None:
            aggregate = self._cache.get(cls, aggregate_id)
            if aggregate is None:
                return None
            self.touched[aggregate_id] = aggregate
        if not isinstance(aggregate, cls):
            msg = f"aggregate {aggregate_id} is a {type(aggregate).__name__}, not {cls.__name__}"
            raise TypeError(msg)
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self.touched[aggregate.id] = aggregate

    def pending(self) -> list[Aggregate]:
        return [a for a in self.touched.values() if a.pending_events]


class OwnPositions:
    """The log positions this process's writer committed, as sorted runs, until the invalidator
    has passed them: reading our own events back to learn nothing cost the invalidator a row
    and a cache lookup per event, 2% of the process's CPU under load.

    Forgetting is always safe (those events are read back, as before), so the record is capped.
    """

    CAP = 10_000  # runs; a process without an invalidator must not grow it forever

    def __init__(self) -> None:
        self._firsts: list[int] = []
        self._lasts: list[int] = []
        self._lock = threading.Lock()

    def add(self, positions: Sequence[int]) -> None:
        """Positions one commit wrote, in order (contiguous when the table lock made them so)."""
        if not positions:
            return
        with self._lock:
            if positions[-1] - positions[0] == len(positions) - 1:
                self._add_run(positions[0], positions[-1])
            else:
                for position in positions:
                    self._add_run(position, position)
            if len(self._firsts) > self.CAP:
                del self._firsts[: self.CAP // 2], self._lasts[: self.CAP // 2]

    def _add_run(self, first: int, last: int) -> None:
        if self._lasts and self._lasts[-1] + 1 == first:
            self._lasts[-1] = last
        elif not self._lasts or self._lasts[-1] < first:
            self._firsts.append(first)
            self._lasts.append(last)
        else:  # out of order (run_now in another thread): keep the runs sorted
            at = bisect_left(self._firsts, first)
            self._firsts.insert(at, first)
            self._lasts.insert(at, last)

    def covers(self, after: int, through: int) -> bool:
        """Whether every position in (after, through] is ours."""
        expected = after + 1
        with self._lock:
            start = max(bisect_right(self._firsts, expected) - 1, 0)
            for first, last in zip(self._firsts[start:], self._lasts[start:], strict=True):
                if last < expected:
                    continue
                if first > expected:
                    return False
                expected = last + 1
                if expected > through:
                    return True
        return expected > through

    def owns(self, position: int) -> bool:
        with self._lock:
            at = bisect_right(self._firsts, position) - 1
            return at >= 0 and self._lasts[at] >= position

    def forget_through(self, position: int) -> None:
        with self._lock:
            cut = bisect_right(self._lasts, position)
            del self._firsts[:cut], self._lasts[:cut]


class CacheInvalidator:
    """Follows the event log and drops cached aggregates that changed elsewhere."""

    def __init__(
        self,
        cache: AggregateCache,
        poll_interval: float = 0.5,
        own: OwnPositions | None = None,
    ) -> None:
        self._cache = cache
        self._poll_interval = poll_interval
        self._own = own or OwnPositions()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cache-invalidator", daemon=True)
        self._position = cache.app.recorder.max_notification_id() or 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def poll(self) -> int:
        """Drop what changed elsewhere since the last poll; the number of events read back."""
        latest = self._cache.app.recorder.max_notification_id() or 0
        if latest <= self._position:
            return 0
        if self._own.covers(self._position, latest):
            # Positions are given out under the table lock and visible in order, so nothing
            # foreign can still appear at or below `latest`.
            self._position = latest
            self._own.forget_through(latest)
            return 0
        changes = versions_after(self._cache.app, self._position)
        for position, aggregate_id, version in changes:
            if not self._own.owns(position):
                self._cache.evict_if_older(aggregate_id, version)
            self._position = position
        self._own.forget_through(self._position)
        return len(changes)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self.poll() == 0:
                    self._stopping.wait(self._poll_interval)
            except Exception:
                logger.exception("cannot follow the event log; retrying")
                self._stopping.wait(1.0)
