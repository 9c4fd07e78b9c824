"""The transactions view in SQLite: tables `transactions` and `meter_values` in the view's own
database file. Times are ISO 8601 text in UTC, booleans 0 or 1, aggregate ids text."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteDatastore

from projections.storage import SQLiteStorage
from projections.transactions.view import TRANSACTION_COLUMNS, TransactionsSql, TransactionsView

_COLUMNS = ", ".join(TRANSACTION_COLUMNS)
_FILTERS = {
    (False, False): "",
    (True, False): " AND charge_point_key = :charge_point_key",
    (False, True): " AND id_tag_key = :id_tag_key",
    (True, True): " AND charge_point_key = :charge_point_key AND id_tag_key = :id_tag_key",
}


class SQLiteTransactionsView(SQLiteStorage, TransactionsView):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql = TransactionsSql(
            start=(
                "INSERT INTO transactions (transaction_id, id, charge_point_id,"
                " charge_point_key, connector_id, id_tag, id_tag_key, meter_start,"
                " start_timestamp, start_timestamp_raw, reservation_id, authorization_status,"
                " started_received_at)"
                " VALUES (:transaction_id, :id, :charge_point_id, :charge_point_key,"
                " :connector_id, :id_tag, :id_tag_key, :meter_start, :timestamp,"
                " :timestamp_raw, :reservation_id, :authorization_status, :at)"
                " ON CONFLICT (transaction_id) DO NOTHING"
            ),
            stop=(
                "UPDATE transactions SET meter_stop = :meter_stop,"
                " stop_timestamp = :timestamp, stop_timestamp_raw = :timestamp_raw,"
                " stop_reason = :reason, stop_id_tag = :id_tag, stopped_received_at = :at"
                " WHERE id = :id"
            ),
            abandon="UPDATE transactions SET abandoned_for = :replaced_by WHERE id = :id",
            add_meter_value=(
                "INSERT INTO meter_values (transaction_id, event_version, position,"
                " connector_id, timestamp, timestamp_raw, sampled_values, after_stop,"
                " from_stop_transaction, received_at)"
                " SELECT transaction_id, :event_version, :position,"
                " COALESCE(:connector_id, connector_id), :timestamp, :timestamp_raw,"
                " :sampled_values, :after_stop, :from_stop_transaction, :at"
                " FROM transactions WHERE id = :id"
                " ON CONFLICT (transaction_id, event_version, position) DO NOTHING"
            ),
            get_transaction=(
                f"SELECT {_COLUMNS} FROM transactions WHERE transaction_id = :transaction_id"
            ),
            list_transactions={
                key: f"SELECT {_COLUMNS} FROM transactions WHERE transaction_id < :after{where}"
                " ORDER BY transaction_id DESC LIMIT :first"
                for key, where in _FILTERS.items()
            },
            meter_values_of=(
                "SELECT transaction_id, ROW_NUMBER() OVER (PARTITION BY transaction_id"
                " ORDER BY event_version, position) AS seq, connector_id, timestamp,"
                " timestamp_raw, sampled_values, after_stop, from_stop_transaction, received_at"
                " FROM meter_values"
                " WHERE transaction_id IN (SELECT value FROM json_each(:ids))"
                " ORDER BY transaction_id, event_version, position"
            ),
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS transactions ("
            " transaction_id INTEGER PRIMARY KEY,"
            " id TEXT NOT NULL UNIQUE,"
            " charge_point_id TEXT NOT NULL,"
            " charge_point_key TEXT NOT NULL,"
            " connector_id INTEGER NOT NULL,"
            " id_tag TEXT NOT NULL,"
            " id_tag_key TEXT NOT NULL,"
            " meter_start INTEGER NOT NULL,"
            " meter_stop INTEGER,"
            " start_timestamp TEXT, start_timestamp_raw TEXT,"
            " stop_timestamp TEXT, stop_timestamp_raw TEXT,"
            " stop_reason TEXT, stop_id_tag TEXT,"
            " reservation_id INTEGER,"
            " authorization_status TEXT NOT NULL,"
            " abandoned_for INTEGER,"
            " started_received_at TEXT NOT NULL,"
            " stopped_received_at TEXT)",
            "CREATE INDEX IF NOT EXISTS transactions_cp_idx"
            " ON transactions (charge_point_key, transaction_id)",
            "CREATE INDEX IF NOT EXISTS transactions_tag_idx"
            " ON transactions (id_tag_key, transaction_id)",
            "CREATE TABLE IF NOT EXISTS meter_values ("
            " transaction_id INTEGER NOT NULL,"
            " event_version INTEGER NOT NULL,"
            " position INTEGER NOT NULL,"
            " connector_id INTEGER NOT NULL,"
            " timestamp TEXT, timestamp_raw TEXT,"
            " sampled_values TEXT NOT NULL,"
            " after_stop INTEGER NOT NULL,"
            " from_stop_transaction INTEGER NOT NULL,"
            " received_at TEXT NOT NULL,"
            " PRIMARY KEY (transaction_id, event_version, position)) WITHOUT ROWID",
        ]
