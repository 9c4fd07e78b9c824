"""Appends to the PostgreSQL event log queue behind one advisory lock, and nothing else: VACUUM
and ANALYZE (SHARE UPDATE EXCLUSIVE on the table) must never hold up an answer to a charger."""

from __future__ import annotations

import concurrent.futures
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from adapters.eventstore import parse_database_url
from adapters.postgres_recorder import APPEND_LOCK_CLASS, append_lock_key
from adapters.runtime import Runtime
from domain.vocabulary import AuthorizationStatus

NOW = datetime(2026, 12, 3, tzinfo=UTC)
WAITED = 0.5  # seconds an append that should be held is watched for, to see that it is
FREED = 5.0  # seconds an append that should go through gets; it takes milliseconds


@contextmanager
def other_session(url: str) -> Iterator[tuple[psycopg.Connection, str]]:
    """A second connection with a transaction open, as another backend holding a lock."""
    database = parse_database_url(url)
    with psycopg.connect(
        host=database.host, port=database.port, user=database.user, dbname=database.dbname
    ) as connection:
        yield connection, database.schema
        connection.rollback()


def hold_append_lock(connection: psycopg.Connection, schema: str) -> None:
    key = append_lock_key(schema, "csms_events")
    connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (APPEND_LOCK_CLASS, key))


def set_tag(runtime: Runtime, tag: str) -> Callable[[], object]:
    return lambda: runtime.writer.run_now(
        lambda unit: runtime.csms.set_id_tag(
            unit, tag, AuthorizationStatus.ACCEPTED, None, None, NOW
        )
    )


def test_an_append_does_not_wait_for_vacuum_or_analyze(postgres_url: str) -> None:
    with (
        Runtime(postgres_url) as runtime,
        # Before `other_session`: its locks are gone by the time the pool waits for the thread.
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread,
        other_session(postgres_url) as (other, schema),
    ):
        other.execute(
            sql.SQL("LOCK TABLE {} IN SHARE UPDATE EXCLUSIVE MODE").format(
                sql.Identifier(schema, "csms_events")
            )
        )
        appended = thread.submit(set_tag(runtime, "DURING-VACUUM"))
        assert appended.result(timeout=FREED) is not None


def test_appends_queue_behind_one_lock(postgres_url: str) -> None:
    """Whoever holds the append lock holds every append back until it commits: insert order
    stays commit order for the readers of the log."""
    with (
        Runtime(postgres_url) as runtime,
        # Before `other_session`: its locks are gone by the time the pool waits for the thread.
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread,
        other_session(postgres_url) as (other, schema),
    ):
        hold_append_lock(other, schema)
        appended = thread.submit(set_tag(runtime, "QUEUED"))
        with pytest.raises(concurrent.futures.TimeoutError):
            appended.result(timeout=WAITED)
        other.commit()
        assert appended.result(timeout=FREED) is not None


def test_the_librarys_own_insert_takes_the_same_lock(postgres_url: str) -> None:
    with (
        Runtime(postgres_url) as runtime,
        # Before `other_session`: its locks are gone by the time the pool waits for the thread.
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread,
        other_session(postgres_url) as (other, schema),
    ):
        recorder = runtime.app.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        event = StoredEvent(uuid.uuid4(), 1, "tests:Nothing", b"{}")
        hold_append_lock(other, schema)
        appended = thread.submit(PostgresApplicationRecorder.insert_events, recorder, [event])
        with pytest.raises(concurrent.futures.TimeoutError):
            appended.result(timeout=WAITED)
        other.commit()
        assert appended.result(timeout=FREED)


def test_each_schema_has_its_own_append_queue() -> None:
    assert append_lock_key("a", "csms_events") != append_lock_key("b", "csms_events")
    assert append_lock_key("a", "csms_events") == append_lock_key("a", "csms_events")
    for schema in ("public", "t_0123456789ab", "x" * 60):
        assert -(2**31) <= append_lock_key(schema, "csms_events") < 2**31
