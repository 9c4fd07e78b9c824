"""Runtime: the pieces one csms process runs, built in one place and closed in reverse."""

from __future__ import annotations

import logging

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
        self.invalidator = CacheInvalidator(self.cache)
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
