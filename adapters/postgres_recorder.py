"""A faster insert for the PostgreSQL event store: one statement, one round trip.

The library's insert is a pipelined transaction of four statements (lock timeout, table lock,
NOTIFY, insert of composite-type values) plus a commit. Each step hands the GIL back and forth
with the event loop, and under load that, not PostgreSQL, made a 500-event save take 150 ms
instead of 30. Here one plpgsql function serialises the appends, sends the same NOTIFY and
inserts rows read from one JSON parameter, so that the client does almost no per-row work.
Event states must be JSON text (what `domain.event_codec.TypedMapper` writes).

Appends are serialised by an advisory transaction lock, not the library's `LOCK TABLE ... IN
EXCLUSIVE MODE`. Either keeps insert order equal to commit order for readers of the log
(EVENTSOURCING.md §1.3), but the table lock also conflicts with the SHARE UPDATE EXCLUSIVE lock
that VACUUM and ANALYZE hold (EVENTSOURCING.md §5.2): every auto-ANALYZE of the events table,
which the library sets to run after 1 % of new rows, held every charge point's answer for as
long as it ran, a manual VACUUM for its whole length, and an anti-wraparound vacuum (never
cancelled) would stop all writes for minutes. The library's own insert path takes the same
advisory lock, so every writer of the table still queues behind one lock.
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from base64 import b64encode
from collections.abc import Iterator, Sequence
from typing import Any

import orjson
import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Connection
from psycopg.sql import SQL, Identifier, Literal

# pg_advisory_xact_lock(class, key) for appends: "csms" as the class (the two-int keys never
# meet the one-bigint key that `adapters.eventstore.schema_ready` takes), the table as the key.
APPEND_LOCK_CLASS = 0x63736D73


def append_lock_key(schema: str, table: str) -> int:
    """A stable int4 for one events table: each schema's log has its own queue."""
    digest = zlib.crc32(f"{schema}.{table}".encode())
    return digest - 2**32 if digest >= 2**31 else digest


class ArrayPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.append_lock_key = append_lock_key(self.datastore.schema, self.events_table_name)
        # The library's insert (process recorders) queues behind the same lock as ours.
        self.lock_table_statements = [
            SQL("SET LOCAL lock_timeout = {}").format(Literal(f"{self.datastore.lock_timeout}s")),
            SQL("SELECT pg_advisory_xact_lock({}, {})").format(
                Literal(APPEND_LOCK_CLASS), Literal(self.append_lock_key)
            ),
        ]
        function = Identifier(self.datastore.schema, f"{self.events_table_name}_append")
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {function}(events json)"
                " RETURNS bigint LANGUAGE plpgsql AS $body$"
                " DECLARE last bigint;"
                " BEGIN"
                "  PERFORM set_config('lock_timeout', {lock_timeout}, true);"
                "  PERFORM pg_advisory_xact_lock({lock_class}, {lock_key});"
                "  PERFORM pg_notify({channel}, '');"
                "  WITH appended AS ("
                "   INSERT INTO {table} (originator_id, originator_version, topic, state)"
                "   SELECT (e->>0)::{id_type}, (e->>1)::bigint, e->>2,"
                "    CASE WHEN json_typeof(e->3) = 'string' THEN decode(e->>3, 'base64')"
                "    ELSE convert_to((e->3)::text, 'UTF8') END"
                "   FROM json_array_elements(events) AS e"
                "   RETURNING notification_id)"
                "  SELECT max(notification_id) INTO last FROM appended;"
                "  RETURN last;"
                " END $body$"
            ).format(
                function=function,
                id_type=Identifier(self.datastore.originator_id_type),
                lock_timeout=Literal(f"{self.datastore.lock_timeout}s"),
                lock_class=Literal(APPEND_LOCK_CLASS),
                lock_key=Literal(self.append_lock_key),
                table=Identifier(self.datastore.schema, self.events_table_name),
                channel=Literal(self.channel_name),
            )
        )
        self.append_statement = SQL("SELECT {function}(%s::json) AS last").format(function=function)
        self._kept = threading.local()
        self._kept_lock = threading.Lock()
        self._all_kept: list[Connection[Any]] = []

    def _own_connection(self) -> Connection[Any]:
        """This thread's connection, kept from one append to the next: checking one out of
        the pool and back cost 80 µs of the writer's CPU per batch, more than the rest of
        psycopg's work for it."""
        connection: Connection[Any] | None = getattr(self._kept, "connection", None)
        if connection is None or connection.closed:
            self.datastore.pool.open(wait=True, timeout=self.datastore.pool_open_timeout or 30.0)
            with _persistence_errors():
                connection = self.datastore.pool.getconn()
            self._kept.connection = connection
            with self._kept_lock:
                self._all_kept.append(connection)
        return connection

    def _give_back(self, connection: Connection[Any]) -> None:
        self._kept.connection = None
        with self._kept_lock:
            if connection in self._all_kept:
                self._all_kept.remove(connection)
        self.datastore.pool.putconn(connection)  # the pool drops it if it is broken

    def release_connections(self) -> None:
        """Give every kept connection back to the pool (before it closes)."""
        with self._kept_lock:
            kept, self._all_kept = self._all_kept, []
        for connection in kept:
            with contextlib.suppress(Exception):
                self.datastore.pool.putconn(connection)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        if kwargs.get("tracking") is not None:  # process recorders keep the library's path
            return super().insert_events(stored_events, **kwargs)
        # One JSON text parameter, encoded in C: psycopg would adapt four arrays element by
        # element in Python, holding the GIL the event loop needs. Each state is JSON already
        # (TypedMapper) and goes in as it is: `json` keeps an element's text verbatim.
        events = orjson.dumps(
            [
                (e.originator_id, e.originator_version, e.topic, _state(e.state))
                for e in stored_events
            ]
        ).decode()
        connection = self._own_connection()
        try:
            with _persistence_errors(), connection.cursor() as cursor:
                # Autocommit: the function's statement is its own transaction, lock included.
                cursor.execute(self.append_statement, (events,), prepare=True)
                row = cursor.fetchone()
        except (InterfaceError, OperationalError):
            self._give_back(connection)  # maybe broken: the retry takes a fresh one
            raise
        # The table lock makes the ids of one append contiguous.
        assert row is not None
        last: int = row["last"]
        return list(range(last - len(stored_events) + 1, last + 1))


def _state(state: bytes) -> object:
    """The state as JSON inside the parameter, or as base64 text when it holds a \\u0000
    (a NUL some charge point sent): PostgreSQL's json refuses those, in the whole parameter."""
    if b"\\u0000" in state:
        return b64encode(state).decode()
    return orjson.Fragment(state)


# psycopg's errors as eventsourcing's, as the datastore maps them (the writer tells a
# conflict, IntegrityError, from a lost connection by these). Subclasses first.
_ERRORS: tuple[tuple[type[psycopg.Error], type[PersistenceError]], ...] = (
    (psycopg.InterfaceError, InterfaceError),
    (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError),
    (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError),
    (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError),
    (psycopg.DatabaseError, DatabaseError),
    (psycopg.Error, PersistenceError),
)


@contextlib.contextmanager
def _persistence_errors() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as error:
        for theirs, ours in _ERRORS:
            if isinstance(error, theirs):
                raise ours(str(error)) from error
        raise
