"""The transactions view in PostgreSQL: `<view>_transactions` and `<view>_meter_values` next
to `<view>_tracking`, in the configured schema."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.storage import PostgresStorage
from projections.transactions.view import TRANSACTION_COLUMNS, TransactionsSql, TransactionsView

_FILTERS = {
    (False, False): "",
    (True, False): " AND charge_point_key = %(charge_point_key)s",
    (False, True): " AND id_tag_key = %(id_tag_key)s",
    (True, True): " AND charge_point_key = %(charge_point_key)s AND id_tag_key = %(id_tag_key)s",
}


class PostgresTransactionsView(PostgresStorage, TransactionsView):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        names = {
            "transactions": self.table("transactions"),
            "meter_values": self.table("meter_values"),
            "id_index": sql.Identifier(self.table_name("transactions_id_idx")),
            "charge_point_index": sql.Identifier(self.table_name("transactions_cp_idx")),
            "id_tag_index": sql.Identifier(self.table_name("transactions_tag_idx")),
            "columns": sql.SQL(", ").join(map(sql.Identifier, TRANSACTION_COLUMNS)),
        }
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {transactions} ("
            " transaction_id integer PRIMARY KEY,"
            " id uuid NOT NULL,"
            " charge_point_id text NOT NULL,"
            " charge_point_key text NOT NULL,"
            " connector_id integer NOT NULL,"
            " id_tag text NOT NULL,"
            " id_tag_key text NOT NULL,"
            " meter_start bigint NOT NULL,"
            " meter_stop bigint,"
            " start_timestamp timestamptz, start_timestamp_raw text,"
            " stop_timestamp timestamptz, stop_timestamp_raw text,"
            " stop_reason text, stop_id_tag text,"
            " reservation_id integer,"
            " authorization_status text NOT NULL,"
            " abandoned_for integer,"
            " started_received_at timestamptz NOT NULL,"
            " stopped_received_at timestamptz)",
            **names,
        )
        for index in (
            "CREATE UNIQUE INDEX IF NOT EXISTS {id_index} ON {transactions} (id)",
            "CREATE INDEX IF NOT EXISTS {charge_point_index}"
            " ON {transactions} (charge_point_key, transaction_id)",
            "CREATE INDEX IF NOT EXISTS {id_tag_index}"
            " ON {transactions} (id_tag_key, transaction_id)",
        ):
            self.add_create_statement(index, **names)
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {meter_values} ("
            " transaction_id integer NOT NULL,"
            " event_version bigint NOT NULL,"
            " position integer NOT NULL,"
            " connector_id integer NOT NULL,"
            " timestamp timestamptz, timestamp_raw text,"
            " sampled_values text NOT NULL,"
            " after_stop boolean NOT NULL,"
            " from_stop_transaction boolean NOT NULL,"
            " received_at timestamptz NOT NULL,"
            " PRIMARY KEY (transaction_id, event_version, position))",
            **names,
        )

        def statement(text: str) -> sql.Composed:
            return sql.SQL(text).format(**names)

        self.sql = TransactionsSql(
            start=statement(
                "INSERT INTO {transactions} (transaction_id, id, charge_point_id,"
                " charge_point_key, connector_id, id_tag, id_tag_key, meter_start,"
                " start_timestamp, start_timestamp_raw, reservation_id, authorization_status,"
                " started_received_at)"
                " VALUES (%(transaction_id)s, %(id)s, %(charge_point_id)s,"
                " %(charge_point_key)s, %(connector_id)s, %(id_tag)s, %(id_tag_key)s,"
                " %(meter_start)s, %(timestamp)s, %(timestamp_raw)s, %(reservation_id)s,"
                " %(authorization_status)s, %(at)s)"
                " ON CONFLICT (transaction_id) DO NOTHING"
            ),
            stop=statement(
                "UPDATE {transactions} SET meter_stop = %(meter_stop)s,"
                " stop_timestamp = %(timestamp)s, stop_timestamp_raw = %(timestamp_raw)s,"
                " stop_reason = %(reason)s, stop_id_tag = %(id_tag)s,"
                " stopped_received_at = %(at)s WHERE id = %(id)s"
            ),
            abandon=statement(
                "UPDATE {transactions} SET abandoned_for = %(replaced_by)s WHERE id = %(id)s"
            ),
            # INSERT ... SELECT leaves parameter types to inference: cast every one.
            add_meter_value=statement(
                "INSERT INTO {meter_values} (transaction_id, event_version, position,"
                " connector_id, timestamp, timestamp_raw, sampled_values, after_stop,"
                " from_stop_transaction, received_at)"
                " SELECT transaction_id, %(event_version)s::bigint, %(position)s::integer,"
                " COALESCE(%(connector_id)s::integer, connector_id),"
                " %(timestamp)s::timestamptz, %(timestamp_raw)s::text,"
                " %(sampled_values)s::text, %(after_stop)s::boolean,"
                " %(from_stop_transaction)s::boolean, %(at)s::timestamptz"
                " FROM {transactions} WHERE id = %(id)s"
                " ON CONFLICT (transaction_id, event_version, position) DO NOTHING"
            ),
            get_transaction=statement(
                "SELECT {columns} FROM {transactions} WHERE transaction_id = %(transaction_id)s"
            ),
            list_transactions={
                key: statement(
                    "SELECT {columns} FROM {transactions}"
                    " WHERE transaction_id < %(after)s" + where + " ORDER BY transaction_id DESC"
                    " LIMIT %(first)s"
                )
                for key, where in _FILTERS.items()
            },
            meter_values_of=statement(
                "SELECT transaction_id, ROW_NUMBER() OVER (PARTITION BY transaction_id"
                " ORDER BY event_version, position) AS seq, connector_id, timestamp,"
                " timestamp_raw, sampled_values, after_stop, from_stop_transaction, received_at"
                " FROM {meter_values} WHERE transaction_id = ANY(%(ids)s)"
                " ORDER BY transaction_id, event_version, position"
            ),
        )
