"""What the domain needs from the outside world, as Protocols."""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)


class Aggregates(Protocol):
    """The aggregates one batch of commands works on (a unit of work).

    `get` returns the current instance or None when none was ever saved; `add` enrols a new
    aggregate so that its events are saved with the batch.
    """

    def get(self, cls: type[A], aggregate_id: UUID) -> A | None: ...

    def add(self, aggregate: Aggregate) -> None: ...
