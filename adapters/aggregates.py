"""The aggregates a process keeps in memory, and the unit of work commands run in.

A connected charge point's aggregate is read from the store once, then kept here: the batching
writer is the only code that changes cached aggregates. Events written by other processes (the
`csms` CLI, a second gateway) reach us through `CacheInvalidator`, which drops every cached
aggregate that the log shows a newer version of; the next `get` reloads it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
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


class CacheInvalidator:
    """Follows the event log and drops cached aggregates that changed elsewhere."""

    def __init__(self, cache: AggregateCache, poll_interval: float = 0.5) -> None:
        self._cache = cache
        self._poll_interval = poll_interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cache-invalidator", daemon=True)
        self._position = cache.app.recorder.max_notification_id() or 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def poll(self) -> int:
        changes = versions_after(self._cache.app, self._position)
        for position, aggregate_id, version in changes:
            self._cache.evict_if_older(aggregate_id, version)
            self._position = position
        return len(changes)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self.poll() == 0:
                    self._stopping.wait(self._poll_interval)
            except Exception:
                logger.exception("cannot follow the event log; retrying")
                self._stopping.wait(1.0)
