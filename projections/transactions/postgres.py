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
            # Set statements over `%(rows)s`, a JSON array of row objects (execute_rows).
            start=statement(
                "INSERT INTO {transactions} (transaction_id, id, charge_point_id,"
                " charge_point_key, connector_id, id_tag, id_tag_key, meter_start,"
                " start_timestamp, start_timestamp_raw, reservation_id, authorization_status,"
                " started_received_at)"
                " SELECT transaction_id, id, charge_point_id, charge_point_key, connector_id,"
                " id_tag, id_tag_key, meter_start, timestamp, timestamp_raw, reservation_id,"
                " authorization_status, at"
                " FROM json_to_recordset(%(rows)s::json) AS r(transaction_id integer, id uuid,"
                " charge_point_id text, charge_point_key text, connector_id integer,"
                " id_tag text, id_tag_key text, meter_start bigint, timestamp timestamptz,"
                " timestamp_raw text, reservation_id integer, authorization_status text,"
                " at timestamptz)"
                " ON CONFLICT (transaction_id) DO NOTHING"
            ),
            stop=statement(
                "UPDATE {transactions} AS t SET meter_stop = r.meter_stop,"
                " stop_timestamp = r.timestamp, stop_timestamp_raw = r.timestamp_raw,"
                " stop_reason = r.reason, stop_id_tag = r.id_tag,"
                " stopped_received_at = r.at"
                " FROM json_to_recordset(%(rows)s::json) AS r(id uuid, meter_stop bigint,"
                " timestamp timestamptz, timestamp_raw text, reason text, id_tag text,"
                " at timestamptz)"
                " WHERE t.id = r.id"
            ),
            abandon=statement(
                "UPDATE {transactions} AS t SET abandoned_for = r.replaced_by"
                " FROM json_to_recordset(%(rows)s::json) AS r(id uuid, replaced_by integer)"
                " WHERE t.id = r.id"
            ),
            add_meter_value=statement(
                "INSERT INTO {meter_values} (transaction_id, event_version, position,"
                " connector_id, timestamp, timestamp_raw, sampled_values, after_stop,"
                " from_stop_transaction, received_at)"
                " SELECT t.transaction_id, r.event_version, r.position,"
                " COALESCE(r.connector_id, t.connector_id), r.timestamp, r.timestamp_raw,"
                " r.sampled_values, r.after_stop, r.from_stop_transaction, r.at"
                " FROM json_to_recordset(%(rows)s::json) AS r(id uuid, event_version bigint,"
                " position integer, connector_id integer, timestamp timestamptz,"
                " timestamp_raw text, sampled_values text, after_stop boolean,"
                " from_stop_transaction boolean, at timestamptz)"
                " JOIN {transactions} AS t ON t.id = r.id"
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
