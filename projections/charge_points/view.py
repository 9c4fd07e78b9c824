"""The charge points view: what each charge point said about itself and its connectors.

Rows are keyed by the casefolded charge point id (`key`), which is also the pagination cursor;
`charge_point_id` keeps the spelling the operator registered. The authorization key hash is
never copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.values import BootInfo
from domain.vocabulary import ChargePointErrorCode, ConnectorStatus
from projections.batch import BatchView
from projections.storage import Executor, Record, Statement, as_utc, required_utc

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
)


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
    )


@dataclass(frozen=True)
class ChargePointsSql:
    """The statements of one backend; parameter names are shared by both."""

    register: Statement
    set_registration_status: Statement
    touch: Statement
    connect: Statement
    disconnect: Statement
    boot: Statement
    report_connector: Statement
    begin_transaction: Statement
    end_transaction: Statement
    get_charge_point: Statement
    list_charge_points: Statement
    connectors_of: Statement


class ChargePointsWriter:
    """The changes of one batch; every verb names the charge point by its aggregate id."""

    def __init__(self, executor: Executor, statements: ChargePointsSql) -> None:
        self._execute = executor.execute
        self._sql = statements

    def register(
        self, aggregate_id: UUID, charge_point_id: str, registration_status: str, at: datetime
    ) -> None:
        self._execute(
            self._sql.register,
            {
                "id": aggregate_id,
                "key": charge_point_id.casefold(),
                "charge_point_id": charge_point_id,
                "registration_status": registration_status,
                "at": at,
            },
        )

    def set_registration_status(self, aggregate_id: UUID, status: str, at: datetime) -> None:
        self._execute(
            self._sql.set_registration_status, {"id": aggregate_id, "status": status, "at": at}
        )

    def touch(self, aggregate_id: UUID, at: datetime) -> None:
        """Something not shown here changed (the authorization key)."""
        self._execute(self._sql.touch, {"id": aggregate_id, "at": at})

    def connect(self, aggregate_id: UUID, at: datetime) -> None:
        self._execute(self._sql.connect, {"id": aggregate_id, "at": at})

    def disconnect(self, aggregate_id: UUID, at: datetime) -> None:
        self._execute(self._sql.disconnect, {"id": aggregate_id, "at": at})

    def boot(self, aggregate_id: UUID, boot: BootInfo, at: datetime) -> None:
        self._execute(
            self._sql.boot,
            {
                "id": aggregate_id,
                "vendor": boot.vendor,
                "model": boot.model,
                "charge_point_serial_number": boot.charge_point_serial_number,
                "charge_box_serial_number": boot.charge_box_serial_number,
                "firmware_version": boot.firmware_version,
                "iccid": boot.iccid,
                "imsi": boot.imsi,
                "meter_type": boot.meter_type,
                "meter_serial_number": boot.meter_serial_number,
                "at": at,
            },
        )

    def report_connector(
        self,
        aggregate_id: UUID,
        connector_id: int,
        status: str,
        error_code: str,
        info: str | None,
        vendor_id: str | None,
        vendor_error_code: str | None,
        timestamp: datetime | None,
        timestamp_raw: str | None,
        received_at: datetime,
    ) -> None:
        """The connector's new state; its open transaction stays as it was."""
        self._execute(
            self._sql.report_connector,
            {
                "id": aggregate_id,
                "connector_id": connector_id,
                "status": status,
                "error_code": error_code,
                "info": info,
                "vendor_id": vendor_id,
                "vendor_error_code": vendor_error_code,
                "timestamp": timestamp,
                "timestamp_raw": timestamp_raw,
                "at": received_at,
            },
        )

    def begin_transaction(
        self, aggregate_id: UUID, connector_id: int, transaction_id: int, at: datetime
    ) -> None:
        """A connector never reported yet shows as Charging, as the domain has it."""
        self._execute(
            self._sql.begin_transaction,
            {
                "id": aggregate_id,
                "connector_id": connector_id,
                "transaction_id": transaction_id,
                "status": ConnectorStatus.CHARGING.value,
                "error_code": ChargePointErrorCode.NO_ERROR.value,
                "at": at,
            },
        )

    def end_transaction(self, aggregate_id: UUID, transaction_id: int) -> None:
        self._execute(
            self._sql.end_transaction, {"id": aggregate_id, "transaction_id": transaction_id}
        )


class ChargePointsView(BatchView[ChargePointsWriter]):
    """Charge points and their connectors; the backends set `sql`."""

    sql: ChargePointsSql

    def writer(self, executor: Executor) -> ChargePointsWriter:
        return ChargePointsWriter(executor, self.sql)

    def get_charge_point(self, charge_point_id: str) -> ChargePointRow | None:
        """The charge point, whatever the case of `charge_point_id`."""
        records = self.query(self.sql.get_charge_point, {"key": charge_point_id.casefold()})
        return charge_point_row(records[0]) if records else None

    def list_charge_points(self, first: int, after: str | None = None) -> list[ChargePointRow]:
        """Up to `first` charge points ordered by key, those after the key `after`."""
        if first < 0:
            msg = f"first must not be negative, got {first}"
            raise ValueError(msg)
        params = {"after": "" if after is None else after.casefold(), "first": first}
        return [charge_point_row(r) for r in self.query(self.sql.list_charge_points, params)]

    def connectors_of(self, keys: list[str]) -> dict[str, list[ConnectorRow]]:
        """The connectors of many charge points at once (connector 0 too), by connector id.

        Every key asked for is in the answer, those of unknown charge points with no
        connectors; keys are matched case-insensitively and answered as given.
        """
        wanted = {key: key.casefold() for key in keys}
        found: dict[str, list[ConnectorRow]] = {folded: [] for folded in wanted.values()}
        if found:
            records = self.query(self.sql.connectors_of, {"keys": list(found)})
            for record in records:
                found[record["charge_point_key"]].append(connector_row(record))
        return {key: found[folded] for key, folded in wanted.items()}
