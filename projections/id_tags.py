"""The id tags view: the registry of id tags as operators set it, keyed case-insensitively
(OCPP16.md T6). Small enough for one module: rows, view, both backends and the projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from domain.id_tag import IdTag
from projections.batch import BatchProjection, BatchView, event_class
from projections.storage import (
    Executor,
    PostgresStorage,
    Record,
    SQLiteStorage,
    Statement,
    as_utc,
    required_utc,
)

COLUMNS = (
    "id_tag_key",
    "id_tag",
    "status",
    "expiry_date",
    "parent_id_tag",
    "concurrent_transactions",
    "updated_at",
)


@dataclass(frozen=True)
class IdTagRow:
    key: str  # casefolded id_tag: the lookup key and the pagination cursor
    id_tag: str  # the spelling the operator gave
    status: str  # e.g. "Accepted", "Blocked"
    expiry_date: datetime | None
    parent_id_tag: str | None
    concurrent_transactions: bool
    updated_at: datetime


def id_tag_row(record: Record) -> IdTagRow:
    return IdTagRow(
        key=record["id_tag_key"],
        id_tag=record["id_tag"],
        status=record["status"],
        expiry_date=as_utc(record["expiry_date"]),
        parent_id_tag=record["parent_id_tag"],
        concurrent_transactions=bool(record["concurrent_transactions"]),
        updated_at=required_utc(record["updated_at"]),
    )


@dataclass(frozen=True)
class IdTagsSql:
    register: Statement
    update: Statement
    get_id_tag: Statement
    list_id_tags: Statement


class IdTagsWriter:
    def __init__(self, executor: Executor, statements: IdTagsSql) -> None:
        self._execute = executor.execute
        self._sql = statements

    def register(
        self,
        aggregate_id: UUID,
        id_tag: str,
        status: str,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        concurrent_transactions: bool,
        at: datetime,
    ) -> None:
        self._execute(
            self._sql.register,
            {
                "id": aggregate_id,
                "key": id_tag.casefold(),
                "id_tag": id_tag,
                "status": status,
                "expiry_date": expiry_date,
                "parent_id_tag": parent_id_tag,
                "concurrent_transactions": concurrent_transactions,
                "at": at,
            },
        )

    def update(
        self,
        aggregate_id: UUID,
        status: str,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        concurrent_transactions: bool,
        at: datetime,
    ) -> None:
        self._execute(
            self._sql.update,
            {
                "id": aggregate_id,
                "status": status,
                "expiry_date": expiry_date,
                "parent_id_tag": parent_id_tag,
                "concurrent_transactions": concurrent_transactions,
                "at": at,
            },
        )


class IdTagsView(BatchView[IdTagsWriter]):
    sql: IdTagsSql

    def writer(self, executor: Executor) -> IdTagsWriter:
        return IdTagsWriter(executor, self.sql)

    def get_id_tag(self, id_tag: str) -> IdTagRow | None:
        """The id tag, whatever the case of `id_tag`."""
        records = self.query(self.sql.get_id_tag, {"key": id_tag.casefold()})
        return id_tag_row(records[0]) if records else None

    def list_id_tags(self, first: int, after: str | None = None) -> list[IdTagRow]:
        """Up to `first` id tags ordered by key, those after the key `after`."""
        if first < 0:
            msg = f"first must not be negative, got {first}"
            raise ValueError(msg)
        params = {"after": "" if after is None else after.casefold(), "first": first}
        return [id_tag_row(r) for r in self.query(self.sql.list_id_tags, params)]


class PostgresIdTagsView(PostgresStorage, IdTagsView):
    """`<view>_id_tags` next to `<view>_tracking`, in the configured schema."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        names = {
            "id_tags": self.table("id_tags"),
            "id_index": sql.Identifier(self.table_name("id_tags_id_idx")),
            "columns": sql.SQL(", ").join(map(sql.Identifier, COLUMNS)),
        }
        # Keys sort by code point ("C"), like SQLite and Python, so cursors mean one thing.
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {id_tags} ("
            ' id_tag_key text COLLATE "C" PRIMARY KEY,'
            " id uuid NOT NULL,"
            " id_tag text NOT NULL,"
            " status text NOT NULL,"
            " expiry_date timestamptz,"
            " parent_id_tag text,"
            " concurrent_transactions boolean NOT NULL,"
            " updated_at timestamptz NOT NULL)",
            **names,
        )
        self.add_create_statement(
            "CREATE UNIQUE INDEX IF NOT EXISTS {id_index} ON {id_tags} (id)", **names
        )

        def statement(text: str) -> sql.Composed:
            return sql.SQL(text).format(**names)

        self.sql = IdTagsSql(
            register=statement(
                "INSERT INTO {id_tags} (id_tag_key, id, id_tag, status, expiry_date,"
                " parent_id_tag, concurrent_transactions, updated_at)"
                " VALUES (%(key)s, %(id)s, %(id_tag)s, %(status)s, %(expiry_date)s,"
                " %(parent_id_tag)s, %(concurrent_transactions)s, %(at)s)"
                " ON CONFLICT (id_tag_key) DO NOTHING"
            ),
            update=statement(
                "UPDATE {id_tags} SET status = %(status)s, expiry_date = %(expiry_date)s,"
                " parent_id_tag = %(parent_id_tag)s,"
                " concurrent_transactions = %(concurrent_transactions)s, updated_at = %(at)s"
                " WHERE id = %(id)s"
            ),
            get_id_tag=statement("SELECT {columns} FROM {id_tags} WHERE id_tag_key = %(key)s"),
            list_id_tags=statement(
                "SELECT {columns} FROM {id_tags} WHERE id_tag_key > %(after)s"
                " ORDER BY id_tag_key LIMIT %(first)s"
            ),
        )


class SQLiteIdTagsView(SQLiteStorage, IdTagsView):
    """Table `id_tags` in the view's own database file."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        columns = ", ".join(COLUMNS)
        self.sql = IdTagsSql(
            register=(
                "INSERT INTO id_tags (id_tag_key, id, id_tag, status, expiry_date,"
                " parent_id_tag, concurrent_transactions, updated_at)"
                " VALUES (:key, :id, :id_tag, :status, :expiry_date, :parent_id_tag,"
                " :concurrent_transactions, :at)"
                " ON CONFLICT (id_tag_key) DO NOTHING"
            ),
            update=(
                "UPDATE id_tags SET status = :status, expiry_date = :expiry_date,"
                " parent_id_tag = :parent_id_tag,"
                " concurrent_transactions = :concurrent_transactions, updated_at = :at"
                " WHERE id = :id"
            ),
            get_id_tag=f"SELECT {columns} FROM id_tags WHERE id_tag_key = :key",
            list_id_tags=(
                f"SELECT {columns} FROM id_tags WHERE id_tag_key > :after"
                " ORDER BY id_tag_key LIMIT :first"
            ),
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS id_tags ("
            " id_tag_key TEXT PRIMARY KEY,"
            " id TEXT NOT NULL UNIQUE,"
            " id_tag TEXT NOT NULL,"
            " status TEXT NOT NULL,"
            " expiry_date TEXT,"
            " parent_id_tag TEXT,"
            " concurrent_transactions INTEGER NOT NULL,"
            " updated_at TEXT NOT NULL) WITHOUT ROWID",
        ]


def _registered(event: Any, writer: IdTagsWriter) -> None:
    writer.register(
        event.originator_id,
        event.id_tag,
        event.status.value,
        event.expiry_date,
        event.parent_id_tag,
        event.concurrent_transactions,
        event.registered_at,
    )


def _updated(event: Any, writer: IdTagsWriter) -> None:
    writer.update(
        event.originator_id,
        event.status.value,
        event.expiry_date,
        event.parent_id_tag,
        event.concurrent_transactions,
        event.updated_at,
    )


class IdTagsProjection(BatchProjection[IdTagsView]):
    # TransactionOpened/Closed only serve the ConcurrentTx check; the view does not show them.
    name = "id_tags"
    handlers = {
        event_class(IdTag, "Registered"): _registered,
        event_class(IdTag, "Updated"): _updated,
    }
