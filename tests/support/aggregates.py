"""An in-memory unit of work for domain tests: aggregates by id, no store."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)


class InMemoryAggregates:
    def __init__(self) -> None:
        self.items: dict[UUID, Aggregate] = {}

    def get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self.items.get(aggregate_id)
        assert aggregate is None or isinstance(aggregate, cls)
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self.items[aggregate.id] = aggregate

    def event_names(self) -> list[str]:
        """The names of every pending event, collected (and so cleared) in aggregate order."""
        names: list[str] = []
        for aggregate in self.items.values():
            names.extend(type(e).__qualname__ for e in aggregate.collect_events())
        return names
