"""Storage wiring: turns a database URL into eventsourcing environments.

`postgresql://user:password@host:port/dbname[?schema=name]` selects PostgreSQL (psycopg 3,
pooled); `sqlite:///relative/path.db`, `sqlite:////absolute/path.db` or `sqlite:///:memory:`
selects the embedded SQLite default. SQLite keeps one file per application and per view,
because the library's table names are fixed (EVENTSOURCING.md §1.2).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql
from psycopg.rows import tuple_row

from domain.csms import Csms

DEFAULT_DATABASE_URL = "sqlite:///var/csms.db"
_ARRAY_RECORDER = "adapters.postgres_recorder:ArrayPostgresApplicationRecorder"


class DatabaseUrlError(ValueError):
    """The database URL cannot be understood."""


@dataclass(frozen=True)
class Database:
    url: str
    kind: str  # "postgres" or "sqlite"
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = "public"
    path: str = ""  # SQLite file, or a shared in-memory name

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    def redacted(self) -> str:
        if self.is_postgres:
            return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}?schema={self.schema}"
        return f"sqlite:///{self.path}"


def parse_database_url(url: str) -> Database:
    parts = urlsplit(url)
    if parts.scheme in {"postgresql", "postgres"}:
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            msg = f"{url!r} names no database (postgresql://user@host:port/dbname)"
            raise DatabaseUrlError(msg)
        query = parse_qs(parts.query)
        try:
            port = parts.port or 5432
        except ValueError:
            msg = f"{url!r} has a bad port"
            raise DatabaseUrlError(msg) from None
        return Database(
            url=url,
            kind="postgres",
            host=parts.hostname or "127.0.0.1",
            port=port,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=dbname,
            schema=query.get("schema", ["public"])[0],
        )
    if parts.scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            msg = f"{url!r} names no file (sqlite:///path/to/csms.db)"
            raise DatabaseUrlError(msg)
        if path == ":memory:":
            path = f"file:csms-{uuid.uuid4().hex}?mode=memory&cache=shared"
        return Database(url=url, kind="sqlite", path=path)
    msg = f"{url!r} is neither postgresql://... nor sqlite:///..."
    raise DatabaseUrlError(msg)


def _sqlite_path(database: Database, suffix: str | None) -> str:
    if suffix is None:
        return database.path
    if database.path.startswith("file:"):
        name, _, query = database.path.partition("?")
        return f"{name}-{suffix}?{query}"
    path = Path(database.path)
    return str(path.with_name(f"{path.stem}.{suffix}{path.suffix or '.db'}"))


def environment(database: Database, view: str | None = None) -> dict[str, str]:
    """The eventsourcing environment of the event store (view=None) or of one view."""
    if database.is_postgres:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": database.dbname,
            "POSTGRES_HOST": database.host,
            "POSTGRES_PORT": str(database.port),
            "POSTGRES_USER": database.user,
            "POSTGRES_PASSWORD": database.password,
            "POSTGRES_SCHEMA": database.schema,
            "POSTGRES_POOL_SIZE": "2" if view is None else "1",
            "POSTGRES_MAX_OVERFLOW": "8" if view is None else "3",
            # Fail in seconds, not minutes, when the pool or a lock is stuck (EVENTSOURCING.md §5).
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "5",
        } | ({} if view is not None else {"APPLICATION_RECORDER_TOPIC": _ARRAY_RECORDER})
    path = _sqlite_path(database, view)
    if not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}


# pg_advisory_lock's key for creating tables: any constant, the same in every csms process.
_SCHEMA_LOCK = 0x63736D73  # "csms"


@contextmanager
def schema_ready(database: Database) -> Iterator[None]:
    """The PostgreSQL schema exists (the library expects it to), and the block that creates
    csms tables in it runs alone; nothing to do on SQLite.

    `CREATE ... IF NOT EXISTS` is not safe against itself: a gateway and a projections process
    started together on a fresh database failed with "tuple concurrently updated". So the
    block holds an advisory lock that every csms process takes for the same work.
    """
    if not database.is_postgres:
        yield
        return
    with psycopg.connect(
        host=database.host,
        port=database.port,
        user=database.user,
        password=database.password,
        dbname=database.dbname,
        autocommit=True,
        connect_timeout=5,
    ) as connection:
        connection.execute("SET lock_timeout = '60s'")  # a stuck peer fails us, not forever
        connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            if database.schema != "public":
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(database.schema)
                    )
                )
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


def open_event_store(database: Database) -> Csms:
    with schema_ready(database):
        return Csms(env=environment(database))


def versions_after(app: Csms, position: int, limit: int = 10_000) -> list[tuple[int, UUID, int]]:
    """(position, aggregate id, version) of the events after `position`, without their state.

    The cache invalidator reads every event the process did not write itself; reading only
    these three columns keeps that nearly free.
    """
    recorder: Any = app.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = sql.SQL(
            "SELECT notification_id, originator_id, originator_version FROM {}.{}"
            " WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(
            sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name)
        )
        with (
            recorder.datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(statement, (position, limit), prepare=True)
            return cursor.fetchall()
    if isinstance(recorder, SQLiteApplicationRecorder):
        statement = (
            f"SELECT rowid, originator_id, originator_version FROM {recorder.events_table_name}"
            " WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (position, limit))
            rows = cursor.fetchall()
        return [(r[0], UUID(r[1]), r[2]) for r in rows]
    notifications = recorder.select_notifications(
        start=position, limit=limit, inclusive_of_start=False
    )
    return [(n.id, n.originator_id, n.originator_version) for n in notifications]
