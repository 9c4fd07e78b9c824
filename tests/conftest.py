"""Shared fixtures: a database URL for each backend, so the same tests run on both.

PostgreSQL tests get a schema of their own in the `test` database, dropped afterwards. Under
CI=true an unreachable PostgreSQL fails the test; elsewhere it skips with a loud reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from adapters.eventstore import Database, open_event_store, parse_database_url
from domain.csms import Csms
from projections.views import Views, open_views

POSTGRES_SERVER = os.environ.get("CSMS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _connect() -> psycopg.Connection:
    return psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=3)


def require_postgres() -> None:
    try:
        with _connect():
            pass
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL at {POSTGRES_SERVER} is not reachable: {error}".strip()
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: Postgres tests never skip)")
        pytest.skip(f"SKIPPING POSTGRES TEST LOUDLY: {reason}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test database, as a csms database URL."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _connect() as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield f"{POSTGRES_SERVER}?schema={schema}"
    finally:
        with _connect() as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'csms.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once per backend."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def database(database_url: str) -> Database:
    return parse_database_url(database_url)


@pytest.fixture
def store(database: Database) -> Iterator[Csms]:
    """The event store, as the server's writer has it."""
    app = open_event_store(database)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def views(database: Database) -> Iterator[Views]:
    with open_views(database) as views:
        yield views
