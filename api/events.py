"""The event log for auditors: every recorded event in log order, or one stream's.

The whole log is read by position (the notification id). One stream is read by its primary key
(originator id, version), so each page is an index range scan however long the log is; its rows
carry their positions too (PostgreSQL's notification_id, SQLite's rowid). A stream's positions
rise with its versions (the log's order is commit order), so both orders agree, and a stream
page's cursor holds the stream and the version it ends at.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql
from strawberry.types import Info

from api.context import Context
from api.errors import bad_input
from api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    connection,
    decode_cursor,
    decode_int_cursor,
    encode_cursor,
    page_size,
)
from api.scalars import JSON, Long
from domain.csms import Csms
from projections.storage import required_utc

LOG_CURSOR = "event"
STREAM_CURSOR = "stream"
# Shown as fields of the node, or infrastructure (the class of a created aggregate).
_ENVELOPE = frozenset({"originator_id", "originator_version", "originator_topic", "timestamp"})
# The salted hashes of charge point passwords never leave the log.
_REDACTED = frozenset({"key_hashes"})
REDACTED = "<redacted>"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def plain(value: object) -> object:
    """`value` as JSON: enums as their OCPP value, times ISO 8601 in UTC, value objects as
    objects with camelCase field names; the keys of plain dicts (OCPP payloads) as they are."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, datetime):
        return required_utc(value).isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_camel(f.name): plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return value


def recorded_at(event: object) -> datetime:
    """When the CSMS recorded the event (the library's event timestamp)."""
    moment = getattr(event, "timestamp", None)
    assert isinstance(moment, datetime), "every domain event has its timestamp"
    return required_utc(moment)


def event_data(event: object) -> dict[str, object]:
    """The event's own attributes, camelCase, without those the node shows as fields."""
    return {
        _camel(name): REDACTED if name in _REDACTED else plain(value)
        for name, value in vars(event).items()
        if name not in _ENVELOPE
    }


@strawberry.type(description="One recorded event.")
class Event:
    position: Long = strawberry.field(description="Its place in the whole log (1, 2, ...).")
    stream_id: strawberry.ID = strawberry.field(
        description="The id of the aggregate it belongs to (a UUID), as the log stores it."
    )
    version: int = strawberry.field(description="Its place in its stream (1, 2, ...).")
    type: str = strawberry.field(description='The aggregate and event, e.g. "ChargePoint.Booted".')
    timestamp: datetime = strawberry.field(
        description="When the CSMS recorded it (times a charge point reported are in data)."
    )
    data: JSON = strawberry.field(
        description="Its attributes as a JSON object: names in camelCase (nested values too, "
        "but OCPP payloads keep their own keys), enums as their OCPP value, times ISO 8601 in "
        "UTC. Authorization key hashes show as <redacted>."
    )


def _stream_events(
    recorder: ApplicationRecorder, stream: UUID, after_version: int, limit: int
) -> list[Notification]:
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
            " WHERE originator_id = %s AND originator_version > %s"
            " ORDER BY originator_version LIMIT %s"
        ).format(sql.Identifier(recorder.datastore.schema, recorder.events_table_name))
        with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(statement, (stream, after_version, limit), prepare=True)
            rows: Sequence[Any] = cursor.fetchall()
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in rows
        ]
    if isinstance(recorder, SQLiteApplicationRecorder):
        statement_text = (
            "SELECT rowid, originator_id, originator_version, topic, state"
            f" FROM {recorder.events_table_name}"
            " WHERE originator_id = ? AND originator_version > ?"
            " ORDER BY originator_version LIMIT ?"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            # The library keeps SQLite's UUIDs as 32 hex digits.
            cursor.execute(statement_text, (stream.hex, after_version, limit))
            rows = cursor.fetchall()
        return [
            Notification(
                id=row["rowid"],
                originator_id=recorder.convert_originator_id(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in rows
        ]
    # Any other recorder (in memory): read the log through, keeping the stream's events.
    found: list[Notification] = []
    position = 0
    while len(found) < limit:
        batch = recorder.select_notifications(position, 500, inclusive_of_start=False)
        if not batch:
            break
        found += [
            n for n in batch if n.originator_id == stream and n.originator_version > after_version
        ]
        position = batch[-1].id
    return found[:limit]


def read_events(
    store: Csms, stream: UUID | None, after: int, limit: int
) -> list[tuple[Notification, Event]]:
    """Up to `limit` events after position `after`, or after version `after` of `stream`."""
    recorder = store.recorder
    if stream is None:
        notifications: Sequence[Notification] = recorder.select_notifications(
            after, limit, inclusive_of_start=False
        )
    else:
        notifications = _stream_events(recorder, stream, after, limit)
    found: list[tuple[Notification, Event]] = []
    for notification in notifications:
        event: Any = store.mapper.to_domain_event(notification)
        node = Event(
            position=Long(notification.id),
            stream_id=strawberry.ID(str(notification.originator_id)),
            version=notification.originator_version,
            type=type(event).__qualname__,
            timestamp=recorded_at(event),
            data=JSON(event_data(event)),
        )
        found.append((notification, node))
    return found


def _stream_id(stream_id: strawberry.ID | None) -> UUID | None:
    if stream_id is None:
        return None
    try:
        return UUID(str(stream_id))
    except ValueError:
        raise bad_input("streamId", "is not the id of an event stream (a UUID)") from None


def _after_in_stream(stream: UUID, after: str | None) -> int:
    key = decode_cursor(STREAM_CURSOR, after)
    if key is None:
        return 0
    cursor_stream, _, version = key.rpartition(":")
    if cursor_stream != str(stream) or not version.isascii() or not version.isdigit():
        raise bad_input("after", "is not a cursor of this stream")
    if len(version) > 18:
        raise bad_input("after", "is not a cursor of this stream")
    return int(version)


@strawberry.type
class EventQuery:
    @strawberry.field(
        description="The event log in order of position, for auditors; with streamId only "
        "that aggregate's events (in order of version, which is the same order)."
    )
    async def events(
        self,
        info: Info[Context, None],
        stream_id: strawberry.ID | None = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[Event]:
        size = page_size(first)
        stream = _stream_id(stream_id)
        if stream is None:
            start = decode_int_cursor(LOG_CURSOR, after) or 0
        else:
            start = _after_in_stream(stream, after)
        found = await asyncio.to_thread(
            read_events, info.context.event_store, stream, start, size + 1
        )

        def cursor(item: tuple[Notification, Event]) -> str:
            notification, _ = item
            if stream is None:
                return encode_cursor(LOG_CURSOR, notification.id)
            return encode_cursor(STREAM_CURSOR, f"{stream}:{notification.originator_version}")

        return connection(found, size, lambda item: item[1], cursor)
