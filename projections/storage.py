"""What the two storage backends of every view share: a writer transaction that records the
tracking position with the rows, row queries, and times kept in UTC.

Views state their SQL per backend and leave the connection handling to these mixins. Both
backends take named parameters (`%(name)s` for PostgreSQL, `:name` for SQLite) from the same
dicts; SQLite gets UUIDs and datetimes as text and lists as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

import orjson
from eventsourcing.persistence import InterfaceError, OperationalError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from eventsourcing.utils import retry
from psycopg import Cursor, sql

Statement = str | sql.Composable
Params = Mapping[str, object]


class Record(Protocol):
    """A fetched row: a psycopg dict row or an sqlite3.Row, read by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


class Executor(Protocol):
    """Runs the writes of one view transaction."""

    def execute(self, statement: Statement, params: Params) -> None: ...

    def executemany(self, statement: Statement, params: Sequence[Params]) -> None: ...

    def execute_rows(self, statement: Statement, rows: Sequence[Params]) -> None:
        """Run a set statement over many rows: PostgreSQL's takes them all as one JSON
        parameter, `%(rows)s`; SQLite's is a per-row statement run for each."""
        ...


def as_utc(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def required_utc(value: datetime | str) -> datetime:
    moment = as_utc(value)
    assert moment is not None
    return moment


# -- PostgreSQL ------------------------------------------------------------------------------


# Composed statements rendered once: psycopg renders a Composed again on every execution.
_RENDERED: dict[int, tuple[sql.Composable, bytes]] = {}


def _rendered(statement: Statement, cursor: Cursor[Any]) -> str | bytes:
    if isinstance(statement, str):
        return statement
    hit = _RENDERED.get(id(statement))
    if hit is None or hit[0] is not statement:
        hit = _RENDERED[id(statement)] = (statement, statement.as_bytes(cursor))
    return hit[1]


class _PostgresExecutor:
    def __init__(self, cursor: Cursor[Any]) -> None:
        self._cursor = cursor

    def execute(self, statement: Statement, params: Params) -> None:
        query = _rendered(statement, self._cursor)
        self._cursor.execute(query, params, prepare=True)  # type: ignore[arg-type]

    def executemany(self, statement: Statement, params: Sequence[Params]) -> None:
        if params:
            query = _rendered(statement, self._cursor)
            self._cursor.executemany(query, params)  # type: ignore[arg-type]

    def execute_rows(self, statement: Statement, rows: Sequence[Params]) -> None:
        # One JSON text encoded in C instead of psycopg adapting every value in Python.
        if rows:
            self.execute(statement, {"rows": orjson.dumps(rows).decode()})


class PostgresStorage(PostgresTrackingRecorder):
    """A view's tables live next to its tracking table, named `<view>_<table>`."""

    @property
    def view_name(self) -> str:
        return self.tracking_table_name.removesuffix("_tracking")

    def table_name(self, table: str) -> str:
        name = f"{self.view_name}_{table}"
        self.check_identifier_length(name)
        return name

    def table(self, table: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(
            sql.Identifier(self.datastore.schema), sql.Identifier(self.table_name(table))
        )

    def add_create_statement(self, statement: str, **names: sql.Composable) -> None:
        """Run by `create_table()` (the factory calls it when CREATE_TABLE is on)."""
        self.sql_create_statements.append(sql.SQL(statement).format(**names))  # type: ignore[arg-type]

    @contextmanager
    def begin(self, tracking: Tracking) -> Iterator[Executor]:
        """One transaction for the rows and the tracking record.

        Raises:
            IntegrityError: `tracking` is not newer than the recorded position (nothing is
                written).
        """
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            # The writes of a batch do not wait for each other's results: one round trip.
            with cursor.connection.pipeline():
                yield _PostgresExecutor(cursor)

    @retry((InterfaceError, OperationalError), max_attempts=3, wait=0.1)
    def query(self, statement: Statement, params: Params) -> Sequence[Record]:
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(statement, params, prepare=True)  # type: ignore[arg-type]
            return cursor.fetchall()


# -- SQLite ------------------------------------------------------------------------------------


def _sqlite_value(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return required_utc(value).isoformat(timespec="microseconds")
    if isinstance(value, list | tuple):
        return json.dumps(value)
    return value


def sqlite_params(params: Params) -> dict[str, object]:
    return {name: _sqlite_value(value) for name, value in params.items()}


class _SQLiteExecutor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, statement: Statement, params: Params) -> None:
        self._cursor.execute(statement, sqlite_params(params))

    def executemany(self, statement: Statement, params: Sequence[Params]) -> None:
        if params:
            self._cursor.executemany(statement, [sqlite_params(p) for p in params])

    def execute_rows(self, statement: Statement, rows: Sequence[Params]) -> None:
        self.executemany(statement, rows)


class SQLiteStorage(SQLiteTrackingRecorder):
    """A view in a database file of its own, so its table names are fixed (EVENTSOURCING §1.2)."""

    @contextmanager
    def begin(self, tracking: Tracking) -> Iterator[Executor]:
        """One transaction for the rows and the tracking record.

        Raises:
            IntegrityError: `tracking` is not newer than the recorded position (nothing is
                written).
        """
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            yield _SQLiteExecutor(cursor)

    def query(self, statement: Statement, params: Params) -> Sequence[Record]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, sqlite_params(params))
            rows: Sequence[Record] = cursor.fetchall()
            return rows
