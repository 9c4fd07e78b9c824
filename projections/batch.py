"""Views written in batches: the rows of many events and one tracking record per transaction
(EVENTSOURCING.md §2.6, §4.5: ~10x the rate of one transaction per event).

A projection is a table from event classes to small functions that call a view's writer; the
events it has no entry for still move the view's position on, with the rest of their batch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection

from projections.storage import Executor, Params, Record, Statement

W = TypeVar("W")
Handler = Callable[[Any, W], None]


def event_class(aggregate: type[Aggregate], name: str) -> type[DomainEvent]:
    """The class an `@event("Name")` method made (type checkers cannot see those).

    Raises:
        TypeError: `aggregate` has no such event, e.g. after a rename in the domain.
    """
    found = getattr(aggregate, name, None)
    if not (isinstance(found, type) and issubclass(found, DomainEvent)):
        msg = f"{aggregate.__name__} has no event {name!r}"
        raise TypeError(msg)
    return found


class BatchView(TrackingRecorder, ABC, Generic[W]):
    """A read model that is also the tracking recorder of its position (EVENTSOURCING §2.3).

    Backends provide `begin` and `query` (see `projections.storage`); views provide the
    writer with their domain verbs and the queries the API needs.
    """

    @abstractmethod
    def begin(self, tracking: Tracking) -> AbstractContextManager[Executor]: ...

    @abstractmethod
    def query(self, statement: Statement, params: Params) -> Sequence[Record]: ...

    @abstractmethod
    def writer(self, executor: Executor) -> W: ...

    @contextmanager
    def transaction(self, tracking: Tracking) -> Iterator[W]:
        """A writer whose changes are committed with `tracking`, or not at all.

        Raises:
            IntegrityError: `tracking` is not newer than the view's position; nothing of
                the block is applied.
        """
        with self.begin(tracking) as executor:
            writer = self.writer(executor)
            yield writer
            self.flush(writer)

    def flush(self, writer: W) -> None:
        """Write what `writer` kept back for set statements (views that batch rows)."""


V = TypeVar("V", bound=BatchView[Any])


class BatchProjection(Projection[V]):
    """Applies whole batches of events in one view transaction.

    (Not `Generic[V, W]`: `Projection.__init_subclass__` skips `Generic`'s, so a subclass
    keeps `Projection`'s single type parameter.)
    """

    handlers: ClassVar[Mapping[type[DomainEvent], Handler[Any]]] = {}

    def process_batch(self, events: Sequence[object], tracking: Tracking) -> None:
        """Apply `events` and record `tracking` (the position of the last one) atomically."""
        handlers = self.handlers
        with self.view.transaction(tracking) as writer:
            for event in events:
                handler = handlers.get(type(event))  # type: ignore[call-overload]
                if handler is not None:
                    handler(event, writer)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """One event at a time, as eventsourcing's own `ProjectionRunner` calls it."""
        self.process_batch((domain_event,), tracking)
