"""Fixtures of the projection tests: each runs once on SQLite and once on PostgreSQL
(`database_url` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.eventstore import Database, open_event_store
from domain.csms import Csms
from tests.projections.history import History


@pytest.fixture
def reader(database: Database) -> Iterator[Csms]:
    """A second event store application, as a projection process has its own."""
    app = open_event_store(database)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def history(store: Csms) -> History:
    return History(store)
