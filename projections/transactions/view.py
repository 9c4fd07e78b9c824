"""The transactions view: each transaction as started and stopped, and its meter values.

Meter values belong to their transaction even when they arrive after the stop (`after_stop`);
those a StopTransaction carried (`transactionData`) are marked `from_stop_transaction`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from projections.batch import BatchView
from projections.storage import Executor, Record, Statement, as_utc, required_utc

# Transaction ids are positive int32s (OCPP 1.6), so this is after every one of them.
_NEWEST = 2**31

TRANSACTION_COLUMNS = (
    "transaction_id",
    "charge_point_id",
    "connector_id",
    "id_tag",
    "meter_start",
    "meter_stop",
    "start_timestamp",
    "start_timestamp_raw",
    "stop_timestamp",
    "stop_timestamp_raw",
    "stop_reason",
    "stop_id_tag",
    "reservation_id",
    "authorization_status",
    "abandoned_for",
    "started_received_at",
    "stopped_received_at",
)


@dataclass(frozen=True)
class TransactionRow:
    transaction_id: int
    charge_point_id: str
    connector_id: int
    id_tag: str
    meter_start: int  # Wh
    meter_stop: int | None  # Wh, once stopped
    start_timestamp: datetime | None  # the charge point's clock, when we could read it
    start_timestamp_raw: str | None
    stop_timestamp: datetime | None
    stop_timestamp_raw: str | None
    stop_reason: str | None  # e.g. "EVDisconnected"; None when stopped without a reason
    stop_id_tag: str | None
    reservation_id: int | None
    authorization_status: str  # what we answered the StartTransaction, e.g. "Accepted"
    abandoned_for: int | None  # the transaction that took the connector while this was open
    started_received_at: datetime
    stopped_received_at: datetime | None

    @property
    def is_stopped(self) -> bool:
        return self.meter_stop is not None

    @property
    def energy_wh(self) -> int | None:
        """Energy delivered, once stopped."""
        return None if self.meter_stop is None else self.meter_stop - self.meter_start


@dataclass(frozen=True)
class MeterValueRow:
    transaction_id: int
    seq: int  # 1, 2, ... in the order the CSMS received them
    connector_id: int
    timestamp: datetime | None
    timestamp_raw: str | None
    # JSON list of objects with the OCPP field names (value, context, format, measurand,
    # phase, location, unit); absent fields are left out, as on the wire.
    sampled_values: str
    after_stop: bool
    from_stop_transaction: bool
    received_at: datetime

    def sampled(self) -> list[dict[str, str]]:
        decoded: list[dict[str, str]] = json.loads(self.sampled_values)
        return decoded


@dataclass(frozen=True)
class Sample:
    """One MeterValue as the writer stores it."""

    timestamp: datetime | None
    timestamp_raw: str | None
    sampled_values: str  # JSON, see MeterValueRow


def transaction_row(record: Record) -> TransactionRow:
    return TransactionRow(
        transaction_id=record["transaction_id"],
        charge_point_id=record["charge_point_id"],
        connector_id=record["connector_id"],
        id_tag=record["id_tag"],
        meter_start=record["meter_start"],
        meter_stop=record["meter_stop"],
        start_timestamp=as_utc(record["start_timestamp"]),
        start_timestamp_raw=record["start_timestamp_raw"],
        stop_timestamp=as_utc(record["stop_timestamp"]),
        stop_timestamp_raw=record["stop_timestamp_raw"],
        stop_reason=record["stop_reason"],
        stop_id_tag=record["stop_id_tag"],
        reservation_id=record["reservation_id"],
        authorization_status=record["authorization_status"],
        abandoned_for=record["abandoned_for"],
        started_received_at=required_utc(record["started_received_at"]),
        stopped_received_at=as_utc(record["stopped_received_at"]),
    )


def meter_value_row(record: Record) -> MeterValueRow:
    return MeterValueRow(
        transaction_id=record["transaction_id"],
        seq=record["seq"],
        connector_id=record["connector_id"],
        timestamp=as_utc(record["timestamp"]),
        timestamp_raw=record["timestamp_raw"],
        sampled_values=record["sampled_values"],
        after_stop=bool(record["after_stop"]),
        from_stop_transaction=bool(record["from_stop_transaction"]),
        received_at=required_utc(record["received_at"]),
    )


@dataclass(frozen=True)
class TransactionsSql:
    """The statements of one backend; parameter names are shared by both. The four writes
    are set statements: see `Executor.execute_rows`."""

    start: Statement
    stop: Statement
    abandon: Statement
    add_meter_value: Statement
    get_transaction: Statement
    # by (filtered by charge point, filtered by id tag)
    list_transactions: Mapping[tuple[bool, bool], Statement]
    meter_values_of: Statement


class TransactionsWriter:
    """The changes of one batch; verbs name the transaction by its aggregate id.

    Rows are kept back and written by `flush` with one set statement per kind, starts first:
    a batch's meter values, stops and abandons only ever need the row of a start that came
    before them, and no two kinds write the same columns, so this order ends where the
    events' order would.
    """

    def __init__(self, executor: Executor, statements: TransactionsSql) -> None:
        self._executor = executor
        self._sql = statements
        self._starts: list[dict[str, Any]] = []
        self._meter_values: list[dict[str, Any]] = []
        self._stops: list[dict[str, Any]] = []
        self._abandons: list[dict[str, Any]] = []

    def start(
        self,
        aggregate_id: UUID,
        transaction_id: int,
        charge_point_id: str,
        connector_id: int,
        id_tag: str,
        meter_start: int,
        timestamp: datetime | None,
        timestamp_raw: str | None,
        reservation_id: int | None,
        authorization_status: str,
        received_at: datetime,
    ) -> None:
        self._starts.append(
            {
                "id": aggregate_id,
                "transaction_id": transaction_id,
                "charge_point_id": charge_point_id,
                "charge_point_key": charge_point_id.casefold(),
                "connector_id": connector_id,
                "id_tag": id_tag,
                "id_tag_key": id_tag.casefold(),
                "meter_start": meter_start,
                "timestamp": timestamp,
                "timestamp_raw": timestamp_raw,
                "reservation_id": reservation_id,
                "authorization_status": authorization_status,
                "at": received_at,
            }
        )

    def stop(
        self,
        aggregate_id: UUID,
        meter_stop: int,
        timestamp: datetime | None,
        timestamp_raw: str | None,
        reason: str | None,
        id_tag: str | None,
        received_at: datetime,
    ) -> None:
        self._stops.append(
            {
                "id": aggregate_id,
                "meter_stop": meter_stop,
                "timestamp": timestamp,
                "timestamp_raw": timestamp_raw,
                "reason": reason,
                "id_tag": id_tag,
                "at": received_at,
            }
        )

    def abandon(self, aggregate_id: UUID, replaced_by: int) -> None:
        self._abandons.append({"id": aggregate_id, "replaced_by": replaced_by})

    def add_meter_values(
        self,
        aggregate_id: UUID,
        event_version: int,
        connector_id: int | None,
        samples: Sequence[Sample],
        *,
        after_stop: bool,
        from_stop_transaction: bool,
        received_at: datetime,
    ) -> None:
        """Meter values of one event; `connector_id=None` means the transaction's own."""
        self._meter_values.extend(
            {
                "id": aggregate_id,
                # (event version, position) is the natural key: idempotent inserts.
                "event_version": event_version,
                "position": position,
                "connector_id": connector_id,
                "timestamp": sample.timestamp,
                "timestamp_raw": sample.timestamp_raw,
                "sampled_values": sample.sampled_values,
                "after_stop": after_stop,
                "from_stop_transaction": from_stop_transaction,
                "at": received_at,
            }
            for position, sample in enumerate(samples)
        )

    def flush(self) -> None:
        execute_rows = self._executor.execute_rows
        for statement, rows in (
            (self._sql.start, self._starts),
            (self._sql.add_meter_value, self._meter_values),
            (self._sql.stop, self._stops),
            (self._sql.abandon, self._abandons),
        ):
            execute_rows(statement, rows)
            rows.clear()


class TransactionsView(BatchView[TransactionsWriter]):
    """Transactions and their meter values; the backends set `sql`."""

    sql: TransactionsSql

    def writer(self, executor: Executor) -> TransactionsWriter:
        return TransactionsWriter(executor, self.sql)

    def flush(self, writer: TransactionsWriter) -> None:
        writer.flush()

    def get_transaction(self, transaction_id: int) -> TransactionRow | None:
        records = self.query(self.sql.get_transaction, {"transaction_id": transaction_id})
        return transaction_row(records[0]) if records else None

    def list_transactions(
        self,
        charge_point_id: str | None = None,
        id_tag: str | None = None,
        first: int = 50,
        after: int | None = None,
    ) -> list[TransactionRow]:
        """Up to `first` transactions, newest first, older than `after` (a transaction id).

        `charge_point_id` and `id_tag` filter case-insensitively when given.
        """
        if first < 0:
            msg = f"first must not be negative, got {first}"
            raise ValueError(msg)
        statement = self.sql.list_transactions[(charge_point_id is not None, id_tag is not None)]
        params: dict[str, Any] = {
            "charge_point_key": None if charge_point_id is None else charge_point_id.casefold(),
            "id_tag_key": None if id_tag is None else id_tag.casefold(),
            "after": _NEWEST if after is None else after,
            "first": first,
        }
        return [transaction_row(r) for r in self.query(statement, params)]

    def meter_values_of(self, transaction_ids: list[int]) -> dict[int, list[MeterValueRow]]:
        """The meter values of many transactions at once, in arrival order.

        Every id asked for is in the answer, unknown ones with no values.
        """
        found: dict[int, list[MeterValueRow]] = {i: [] for i in transaction_ids}
        if found:
            records = self.query(self.sql.meter_values_of, {"ids": list(found)})
            for record in records:
                found[record["transaction_id"]].append(meter_value_row(record))
        return found
