"""Fixtures of the API tests: a real event store and read models on each backend, filled by
the real projections from histories the real use cases make; queries go through the schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.eventstore import Database, open_event_store, parse_database_url
from domain.csms import Csms
from projections.views import Views, open_views
from tests.api.support import Api, FakeLiveness
from tests.projections.history import History


@pytest.fixture
def database(database_url: str) -> Database:
    return parse_database_url(database_url)


@pytest.fixture
def store(database: Database) -> Iterator[Csms]:
    app = open_event_store(database)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def views(database: Database) -> Iterator[Views]:
    with open_views(database) as views:
        yield views


@pytest.fixture
def api(store: Csms, views: Views) -> Api:
    return Api(History(store), store, views, FakeLiveness())
