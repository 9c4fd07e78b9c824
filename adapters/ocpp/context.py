"""What a handler gets: who is calling, when, and the services it may use."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from adapters.aggregates import ABSENT, AggregateCache, UnitOfWork
from adapters.ocpp.translate import Findings
from adapters.writer import Writer
from domain.central_system import CentralSystem

R = TypeVar("R")
A = TypeVar("A", bound=Aggregate)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The process-wide pieces every session shares."""

    csms: CentralSystem
    cache: AggregateCache
    writer: Writer
    clock: Callable[[], datetime] = utc_now

    async def read(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """An aggregate for reading, from memory when possible; never waits for the writer."""
        cached = self.cache.peek(aggregate_id)
        if isinstance(cached, cls):
            return cached
        if cached is ABSENT:
            return None
        return await asyncio.to_thread(self.cache.get, cls, aggregate_id)


@dataclass
class CallContext:
    charge_point_id: str
    received_at: datetime
    services: Services
    findings: Findings = field(default_factory=Findings)

    @property
    def csms(self) -> CentralSystem:
        return self.services.csms

    def now(self) -> datetime:
        return self.services.clock()

    async def record(self, command: Callable[[UnitOfWork], R]) -> R:
        """Run a use case in the writer's next batch; returns once its events are committed."""
        return await self.services.writer.submit(command)

    async def read(self, cls: type[A], aggregate_id: UUID) -> A | None:
        return await self.services.read(cls, aggregate_id)
