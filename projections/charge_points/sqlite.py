"""The charge points view in SQLite: tables `charge_points`, `connectors` and `configuration`
in the view's own database file. Times are ISO 8601 text in UTC, booleans 0 or 1, aggregate ids
text."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from projections.charge_points.rows import (
    CHARGE_POINT_COLUMNS,
    CONFIGURATION_COLUMNS,
    CONNECTOR_COLUMNS,
)
from projections.charge_points.view import ChargePointsSql, ChargePointsView
from projections.storage import SQLiteStorage

_CHARGE_POINTS = ", ".join(CHARGE_POINT_COLUMNS)
_CONNECTORS = ", ".join(CONNECTOR_COLUMNS)
_CONFIGURATION = ", ".join(CONFIGURATION_COLUMNS)
# Columns added after the first release: tables made before get them in `_create_table`.
_ADDED_CONNECTOR_COLUMNS = ("availability", "scheduled_availability")


class SQLiteChargePointsView(SQLiteStorage, ChargePointsView):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql = ChargePointsSql(
            register=(
                "INSERT INTO charge_points (charge_point_key, id, charge_point_id,"
                " registration_status, registered_at, updated_at)"
                " VALUES (:key, :id, :charge_point_id, :registration_status, :at, :at)"
                " ON CONFLICT (charge_point_key) DO NOTHING"
            ),
            set_registration_status=(
                "UPDATE charge_points SET registration_status = :status, updated_at = :at"
                " WHERE id = :id"
            ),
            touch="UPDATE charge_points SET updated_at = :at WHERE id = :id",
            connect=(
                "UPDATE charge_points SET connected = 1, last_connected_at = :at,"
                " updated_at = :at WHERE id = :id"
            ),
            disconnect=(
                "UPDATE charge_points SET connected = 0, last_disconnected_at = :at,"
                " updated_at = :at WHERE id = :id"
            ),
            boot=(
                "UPDATE charge_points SET vendor = :vendor, model = :model,"
                " charge_point_serial_number = :charge_point_serial_number,"
                " charge_box_serial_number = :charge_box_serial_number,"
                " firmware_version = :firmware_version, iccid = :iccid, imsi = :imsi,"
                " meter_type = :meter_type, meter_serial_number = :meter_serial_number,"
                " booted_at = :at, updated_at = :at WHERE id = :id"
            ),
            report_connector=(
                "INSERT INTO connectors (charge_point_key, connector_id, status, error_code,"
                " info, vendor_id, vendor_error_code, timestamp, timestamp_raw, updated_at)"
                " SELECT charge_point_key, :connector_id, :status, :error_code, :info,"
                " :vendor_id, :vendor_error_code, :timestamp, :timestamp_raw, :at"
                " FROM charge_points WHERE id = :id"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " status = excluded.status, error_code = excluded.error_code,"
                " info = excluded.info, vendor_id = excluded.vendor_id,"
                " vendor_error_code = excluded.vendor_error_code,"
                " timestamp = excluded.timestamp, timestamp_raw = excluded.timestamp_raw,"
                " updated_at = excluded.updated_at"
            ),
            begin_transaction=(
                "INSERT INTO connectors (charge_point_key, connector_id, status, error_code,"
                " updated_at, transaction_id)"
                " SELECT charge_point_key, :connector_id, :status, :error_code, :at,"
                " :transaction_id FROM charge_points WHERE id = :id"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " transaction_id = excluded.transaction_id"
            ),
            end_transaction=(
                "UPDATE connectors SET transaction_id = NULL"
                " WHERE transaction_id = :transaction_id AND charge_point_key ="
                " (SELECT charge_point_key FROM charge_points WHERE id = :id)"
            ),
            change_availability=(
                "INSERT INTO connectors (charge_point_key, connector_id, status, error_code,"
                " updated_at, availability, scheduled_availability)"
                " SELECT charge_point_key, :connector_id, :status, :error_code, :at,"
                " :availability, :scheduled_availability FROM charge_points WHERE id = :id"
                " ON CONFLICT (charge_point_key, connector_id) DO UPDATE SET"
                " availability = COALESCE(excluded.availability, connectors.availability),"
                " scheduled_availability = excluded.scheduled_availability"
            ),
            clear_configuration=(
                "DELETE FROM configuration WHERE charge_point_key ="
                " (SELECT charge_point_key FROM charge_points WHERE id = :id)"
            ),
            forget_configuration_key=(
                "DELETE FROM configuration WHERE name_key = :name_key AND charge_point_key ="
                " (SELECT charge_point_key FROM charge_points WHERE id = :id)"
            ),
            report_configuration_key=(
                "INSERT INTO configuration (charge_point_key, name_key, key, readonly, value,"
                " updated_at)"
                " SELECT charge_point_key, :name_key, :key, :readonly, :value, :at"
                " FROM charge_points WHERE id = :id"
                " ON CONFLICT (charge_point_key, name_key) DO UPDATE SET key = excluded.key,"
                " readonly = excluded.readonly, value = excluded.value,"
                " updated_at = excluded.updated_at"
            ),
            change_configuration_key=(
                "INSERT INTO configuration (charge_point_key, name_key, key, readonly, value,"
                " updated_at)"
                " SELECT charge_point_key, :name_key, :key, :readonly, :value, :at"
                " FROM charge_points WHERE id = :id"
                " ON CONFLICT (charge_point_key, name_key) DO UPDATE SET"
                " value = excluded.value, updated_at = excluded.updated_at"
            ),
            get_charge_point=(
                f"SELECT {_CHARGE_POINTS} FROM charge_points WHERE charge_point_key = :key"
            ),
            list_charge_points=(
                f"SELECT {_CHARGE_POINTS} FROM charge_points WHERE charge_point_key > :after"
                " ORDER BY charge_point_key LIMIT :first"
            ),
            connectors_of=(
                f"SELECT {_CONNECTORS} FROM connectors"
                " WHERE charge_point_key IN (SELECT value FROM json_each(:keys))"
                " ORDER BY charge_point_key, connector_id"
            ),
            configuration_of=(
                f"SELECT {_CONFIGURATION} FROM configuration"
                " WHERE charge_point_key IN (SELECT value FROM json_each(:keys))"
                " ORDER BY charge_point_key, name_key"
            ),
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS charge_points ("
            " charge_point_key TEXT PRIMARY KEY,"
            " id TEXT NOT NULL UNIQUE,"
            " charge_point_id TEXT NOT NULL,"
            " vendor TEXT, model TEXT,"
            " charge_point_serial_number TEXT, charge_box_serial_number TEXT,"
            " firmware_version TEXT, iccid TEXT, imsi TEXT,"
            " meter_type TEXT, meter_serial_number TEXT,"
            " registration_status TEXT NOT NULL,"
            " connected INTEGER NOT NULL DEFAULT 0,"
            " last_connected_at TEXT, last_disconnected_at TEXT, booted_at TEXT,"
            " registered_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS connectors ("
            " charge_point_key TEXT NOT NULL,"
            " connector_id INTEGER NOT NULL,"
            " status TEXT NOT NULL,"
            " error_code TEXT NOT NULL,"
            " info TEXT, vendor_id TEXT, vendor_error_code TEXT,"
            " timestamp TEXT, timestamp_raw TEXT,"
            " updated_at TEXT NOT NULL,"
            " transaction_id INTEGER,"
            " availability TEXT, scheduled_availability TEXT,"
            " PRIMARY KEY (charge_point_key, connector_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS configuration ("
            " charge_point_key TEXT NOT NULL,"
            " name_key TEXT NOT NULL,"
            " key TEXT NOT NULL,"
            " readonly INTEGER NOT NULL,"
            " value TEXT,"
            " updated_at TEXT NOT NULL,"
            " PRIMARY KEY (charge_point_key, name_key)) WITHOUT ROWID",
        ]

    def _create_table(self, c: SQLiteCursor) -> None:
        super()._create_table(c)
        # SQLite has no ADD COLUMN IF NOT EXISTS: look before adding.
        c.execute("SELECT name FROM pragma_table_info('connectors')")
        present = {row[0] for row in c.fetchall()}
        for column in _ADDED_CONNECTOR_COLUMNS:
            if column not in present:
                c.execute(f"ALTER TABLE connectors ADD COLUMN {column} TEXT")
