"""Fixtures of the projection tests: each runs once on SQLite and once on PostgreSQL
(`database_url` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.eventstore import Database, open_event_store, parse_database_url
from domain.csms import Csms
from projections.views import Views, open_views
from tests.projections.history import History


@pytest.fixture
def database(database_url: str) -> Database:
    return parse_database_url(database_url)


@pytest.fixture
def views(database: Database) -> Iterator[Views]:
    with open_views(database) as views:
        yield views


@pytest.fixture
def store(database: Database) -> Iterator[Csms]:
    """The event store, as the server's writer has it."""
    app = open_event_store(database)
    try:
        yield app
    finally:
        app.close()


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
