"""The rows of the charge points view and the columns they are read from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.storage import Record, as_utc, required_utc

CHARGE_POINT_COLUMNS = (
    "charge_point_key",
    "charge_point_id",
    "vendor",
    "model",
    "charge_point_serial_number",
    "charge_box_serial_number",
    "firmware_version",
    "iccid",
    "imsi",
    "meter_type",
    "meter_serial_number",
    "registration_status",
    "connected",
    "last_connected_at",
    "last_disconnected_at",
    "booted_at",
    "registered_at",
    "updated_at",
)
CONNECTOR_COLUMNS = (
    "charge_point_key",
    "connector_id",
    "status",
    "error_code",
    "info",
    "vendor_id",
    "vendor_error_code",
    "timestamp",
    "timestamp_raw",
    "updated_at",
    "transaction_id",
    "availability",
    "scheduled_availability",
)
CONFIGURATION_COLUMNS = ("charge_point_key", "key", "readonly", "value", "updated_at")


@dataclass(frozen=True)
class ChargePointRow:
    key: str  # casefolded charge_point_id: the lookup key and the pagination cursor
    charge_point_id: str
    vendor: str | None
    model: str | None
    charge_point_serial_number: str | None
    charge_box_serial_number: str | None
    firmware_version: str | None
    iccid: str | None
    imsi: str | None
    meter_type: str | None
    meter_serial_number: str | None
    registration_status: str  # "Accepted", "Pending" or "Rejected"
    connected: bool
    last_connected_at: datetime | None
    last_disconnected_at: datetime | None
    booted_at: datetime | None
    registered_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ConnectorRow:
    charge_point_key: str
    connector_id: int  # 0 is the charge point as a whole
    status: str  # e.g. "SuspendedEVSE"
    error_code: str  # e.g. "NoError"
    info: str | None
    vendor_id: str | None
    vendor_error_code: str | None
    timestamp: datetime | None  # the charge point's clock, when it sent one we could read
    timestamp_raw: str | None
    updated_at: datetime  # when the CSMS received the report
    transaction_id: int | None
    # What ChangeAvailability last set ("Operative" or "Inoperative"), None if it never did;
    # `scheduled_availability` waits for the running transaction to end.
    availability: str | None
    scheduled_availability: str | None


@dataclass(frozen=True)
class ConfigurationRow:
    charge_point_key: str
    key: str  # as the charge point spelled it; unique per charge point regardless of case
    readonly: bool
    value: str | None
    updated_at: datetime  # when the CSMS recorded the report or the change


def charge_point_row(record: Record) -> ChargePointRow:
    return ChargePointRow(
        key=record["charge_point_key"],
        charge_point_id=record["charge_point_id"],
        vendor=record["vendor"],
        model=record["model"],
        charge_point_serial_number=record["charge_point_serial_number"],
        charge_box_serial_number=record["charge_box_serial_number"],
        firmware_version=record["firmware_version"],
        iccid=record["iccid"],
        imsi=record["imsi"],
        meter_type=record["meter_type"],
        meter_serial_number=record["meter_serial_number"],
        registration_status=record["registration_status"],
        connected=bool(record["connected"]),
        last_connected_at=as_utc(record["last_connected_at"]),
        last_disconnected_at=as_utc(record["last_disconnected_at"]),
        booted_at=as_utc(record["booted_at"]),
        registered_at=required_utc(record["registered_at"]),
        updated_at=required_utc(record["updated_at"]),
    )


def connector_row(record: Record) -> ConnectorRow:
    return ConnectorRow(
        charge_point_key=record["charge_point_key"],
        connector_id=record["connector_id"],
        status=record["status"],
        error_code=record["error_code"],
        info=record["info"],
        vendor_id=record["vendor_id"],
        vendor_error_code=record["vendor_error_code"],
        timestamp=as_utc(record["timestamp"]),
        timestamp_raw=record["timestamp_raw"],
        updated_at=required_utc(record["updated_at"]),
        transaction_id=record["transaction_id"],
        availability=record["availability"],
        scheduled_availability=record["scheduled_availability"],
    )


def configuration_row(record: Record) -> ConfigurationRow:
    return ConfigurationRow(
        charge_point_key=record["charge_point_key"],
        key=record["key"],
        readonly=bool(record["readonly"]),
        value=record["value"],
        updated_at=required_utc(record["updated_at"]),
    )
