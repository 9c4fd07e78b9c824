"""The charge points view in PostgreSQL: `<view>_charge_points`, `<view>_connectors` and
`<view>_configuration` next to `<view>_tracking`, in the configured schema."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.charge_points.rows import (
    CHARGE_POINT_COLUMNS,
    CONFIGURATION_COLUMNS,
    CONNECTOR_COLUMNS,
)
from projections.charge_points.view import ChargePointsSql, ChargePointsView
from projections.storage import PostgresStorage


def _columns(names: tuple[str, ...]) -> sql.Composed:
    return sql.SQL(", ").join(map(sql.Identifier, names))


class PostgresChargePointsView(PostgresStorage, ChargePointsView):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        names = {
            "charge_points": self.table("charge_points"),
            "connectors": self.table("connectors"),
            "configuration": self.table("configuration"),
            "id_index": sql.Identifier(self.table_name("charge_points_id_idx")),
        }
        # Keys sort by code point ("C"), like SQLite and Python, so cursors mean one thing.
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {charge_points} ("
            ' charge_point_key text COLLATE "C" PRIMARY KEY,'
            " id uuid NOT NULL,"
            " charge_point_id text NOT NULL,"
            " vendor text, model text,"
            " charge_point_serial_number text, charge_box_serial_number text,"
            " firmware_version text, iccid text, imsi text,"
            " meter_type text, meter_serial_number text,"
            " registration_status text NOT NULL,"
            " connected boolean NOT NULL DEFAULT false,"
            " last_connected_at timestamptz, last_disconnected_at timestamptz,"
            " booted_at timestamptz,"
            " registered_at timestamptz NOT NULL,"
            " updated_at timestamptz NOT NULL)",
            **names,
        )
        self.add_create_statement(
            "CREATE UNIQUE INDEX IF NOT EXISTS {id_index} ON {charge_points} (id)", **names
        )
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {connectors} ("
            ' charge_point_key text COLLATE "C" NOT NULL,'
            " connector_id integer NOT NULL,"
            " status text NOT NULL,"
            " error_code text NOT NULL,"
            " info text, vendor_id text, vendor_error_code text,"
            " timestamp timestamptz, timestamp_raw text,"
            " updated_at timestamptz NOT NULL,"
            " transaction_id integer,"
            " availability text, scheduled_availability text,"
            " PRIMARY KEY (charge_point_key, connector_id))",
            **names,
        )
        # Tables made before availability was shown get its columns.
        self.add_create_statement(
            "ALTER TABLE {connectors} ADD COLUMN IF NOT EXISTS availability text,"
            " ADD COLUMN IF NOT EXISTS scheduled_availability text",
            **names,
        )
        self.add_create_statement(
            "CREATE TABLE IF NOT EXISTS {configuration} ("
            ' charge_point_key text COLLATE "C" NOT NULL,'
            ' name_key text COLLATE "C" NOT NULL,'
            " key text NOT NULL,"
            " readonly boolean NOT NULL,"
            " value text,"
            " updated_at timestamptz NOT NULL,"
            " PRIMARY KEY (charge_point_key, name_key))",
            **names,
        )

        def statement(text: str) -> sql.Composed:
            return sql.SQL(text).format(
                **names,
                charge_point_columns=_columns(CHARGE_POINT_COLUMNS),
                connector_columns=_columns(CONNECTOR_COLUMNS),
                configuration_columns=_columns(CONFIGURATION_COLUMNS),
            )

        self.sql = ChargePointsSql(
            register=statement(
                "INSERT INTO {charge_points} (charge_point_key, id, charge_point_id,"
                " registration_status, registered_at, updated_at)"
                " VALUES (%(key)s, %(id)s, %(charge_point_id)s, %(registration_status)s,"
                " %(at)s, %(at)s)"
                " ON CONFLICT (charge_point_key) DO NOTHING"
            ),
            set_registration_status=statement(
                "UPDATE {charge_points} SET registration_status = %(status)s,"
                " updated_at = %(at)s WHERE id = %(id)s"
            ),
            touch=statement("UPDATE {charge_points} SET updated_at = %(at)s WHERE id = %(id)s"),
            connect=statement(
                "UPDATE {charge_points} SET connected = true, last_connected_at = %(at)s,"
                " updated_at = %(at)s WHERE id = %(id)s"
            ),
            disconnect=statement(
                "UPDATE {charge_points} SET connected = false, last_disconnected_at = %(at)s,"
                " updated_at = %(at)s WHERE id = %(id)s"
            ),
            boot=statement(
                "UPDATE {charge_points} SET vendor = %(vendor)s, model = %(model)s,"
                " charge_point_serial_number = %(charge_point_serial_number)s,"
                " charge_box_serial_number = %(charge_box_serial_number)s,"
                " firmware_version = %(firmware_version)s, iccid = %(iccid)s,"
                " imsi = %(imsi)s, meter_type = %(meter_type)s,"
                " meter_serial_number = %(meter_serial_number)s,"
                " booted_at = %(at)s, updated_at = %(at)s WHERE id = %(id)s"
            ),
            # INSERT ... SELECT leaves parameter types to inference: cast every one.
            report_connector=statement(
                "INSERT INTO {connectors} (charge_point_key, connector_id, status, error_code,"
                " info, vendor_id, vendor_error_code, timestamp, timestamp_raw, updated_at)"
                " SELECT charge_point_key, %(connector_id)s::integer, %(status)s::text,"
                " %(error_code)s::text, %(info)s::text, %(vendor_id)s::text,"
                " %(vendor_error_code)s::text, %(timestamp)s::timestamptz,"
                " %(timestamp_raw)s::text, %(at)s::timestamptz"
                " FROM {charge_points} WHERE id = %(id)s"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " status = EXCLUDED.status, error_code = EXCLUDED.error_code,"
                " info = EXCLUDED.info, vendor_id = EXCLUDED.vendor_id,"
                " vendor_error_code = EXCLUDED.vendor_error_code,"
                " timestamp = EXCLUDED.timestamp, timestamp_raw = EXCLUDED.timestamp_raw,"
                " updated_at = EXCLUDED.updated_at"
            ),
            # Set statements over `%(rows)s` (execute_rows), at most one row per connector.
            begin_transaction=statement(
                "INSERT INTO {connectors} (charge_point_key, connector_id, status, error_code,"
                " updated_at, transaction_id)"
                " SELECT cp.charge_point_key, r.connector_id, r.status, r.error_code, r.at,"
                " r.transaction_id"
                " FROM json_to_recordset(%(rows)s::json) AS r(id uuid, connector_id integer,"
                " status text, error_code text, at timestamptz, transaction_id integer)"
                " JOIN {charge_points} AS cp ON cp.id = r.id"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " transaction_id = EXCLUDED.transaction_id"
            ),
            end_transaction=statement(
                "UPDATE {connectors} AS c SET transaction_id = NULL"
                " FROM json_to_recordset(%(rows)s::json) AS r(id uuid, transaction_id integer)"
                " JOIN {charge_points} AS cp ON cp.id = r.id"
                " WHERE c.charge_point_key = cp.charge_point_key"
                " AND c.transaction_id = r.transaction_id"
            ),
            change_availability=statement(
                "INSERT INTO {connectors} AS c (charge_point_key, connector_id, status,"
                " error_code, updated_at, availability, scheduled_availability)"
                " SELECT charge_point_key, %(connector_id)s::integer, %(status)s::text,"
                " %(error_code)s::text, %(at)s::timestamptz, %(availability)s::text,"
                " %(scheduled_availability)s::text"
                " FROM {charge_points} WHERE id = %(id)s"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " availability = COALESCE(EXCLUDED.availability, c.availability),"
                " scheduled_availability = EXCLUDED.scheduled_availability"
            ),
            clear_configuration=statement(
                "DELETE FROM {configuration} WHERE charge_point_key ="
                " (SELECT charge_point_key FROM {charge_points} WHERE id = %(id)s)"
            ),
            forget_configuration_key=statement(
                "DELETE FROM {configuration} WHERE name_key = %(name_key)s"
                " AND charge_point_key ="
                " (SELECT charge_point_key FROM {charge_points} WHERE id = %(id)s)"
            ),
            report_configuration_key=statement(
                "INSERT INTO {configuration} (charge_point_key, name_key, key, readonly, value,"
                " updated_at)"
                " SELECT charge_point_key, %(name_key)s::text, %(key)s::text,"
                " %(readonly)s::boolean, %(value)s::text, %(at)s::timestamptz"
                " FROM {charge_points} WHERE id = %(id)s"
                " ON CONFLICT (charge_point_key, name_key) DO UPDATE SET key = EXCLUDED.key,"
                " readonly = EXCLUDED.readonly, value = EXCLUDED.value,"
                " updated_at = EXCLUDED.updated_at"
            ),
            change_configuration_key=statement(
                "INSERT INTO {configuration} (charge_point_key, name_key, key, readonly, value,"
                " updated_at)"
                " SELECT charge_point_key, %(name_key)s::text, %(key)s::text,"
                " %(readonly)s::boolean, %(value)s::text, %(at)s::timestamptz"
                " FROM {charge_points} WHERE id = %(id)s"
                " ON CONFLICT (charge_point_key, name_key) DO UPDATE SET"
                " value = EXCLUDED.value, updated_at = EXCLUDED.updated_at"
            ),
            get_charge_point=statement(
                "SELECT {charge_point_columns} FROM {charge_points}"
                " WHERE charge_point_key = %(key)s"
            ),
            list_charge_points=statement(
                "SELECT {charge_point_columns} FROM {charge_points}"
                " WHERE charge_point_key > %(after)s"
                " ORDER BY charge_point_key LIMIT %(first)s"
            ),
            connectors_of=statement(
                "SELECT {connector_columns} FROM {connectors}"
                " WHERE charge_point_key = ANY(%(keys)s)"
                " ORDER BY charge_point_key, connector_id"
            ),
            configuration_of=statement(
                "SELECT {configuration_columns} FROM {configuration}"
                " WHERE charge_point_key = ANY(%(keys)s)"
                " ORDER BY charge_point_key, name_key"
            ),
        )
