"""ChargePoint: registration, boot data, connection, connector statuses and the transactions
open on its connectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.values import BootInfo, ConfigurationKey, MeterValue, ReportedTime, StatusReport
from domain.vocabulary import (
    AvailabilityType,
    ChargePointErrorCode,
    ConnectorStatus,
    RegistrationStatus,
    StopReason,
)

SECRET_KEY = "authorizationkey"

# How many recent StartTransactions we remember to recognise a repeated one (OCPP16.md T3).
RECENT_STARTS = 16

StartKey = tuple[int, str, str, int]


def start_key(
    connector_id: int, id_tag: str, timestamp: ReportedTime, meter_start: int
) -> StartKey:
    """What makes two StartTransactions "the same content" (OCPP16.md T3)."""
    moment = timestamp.at.isoformat() if timestamp.at else (timestamp.raw or "")
    return (connector_id, id_tag.casefold(), moment, meter_start)


@dataclass
class Connector:
    """The last reported state of one connector (0 is the charge point itself)."""

    connector_id: int
    status: ConnectorStatus
    error_code: ChargePointErrorCode
    info: str | None
    vendor_id: str | None
    vendor_error_code: str | None
    timestamp: ReportedTime
    updated_at: datetime
    transaction_id: int | None = None


class ChargePoint(Aggregate):
    @staticmethod
    @lru_cache(maxsize=100_000)
    def create_id(charge_point_id: str) -> UUID:
        # Cached: every message of a charge point needs it, and uuid5 is a SHA-1.
        return uuid5(NAMESPACE_URL, f"/charge-points/{charge_point_id.casefold()}")

    @event("Registered")
    def __init__(
        self, charge_point_id: str, key_hashes: tuple[str, ...], registered_at: datetime
    ) -> None:
        self.charge_point_id = charge_point_id
        # Salted hashes of the passwords it may present; empty: no authentication.
        self.key_hashes = tuple(key_hashes)
        self.registered_at = registered_at
        self.registration_status = RegistrationStatus.ACCEPTED
        self.boot: BootInfo | None = None
        self.booted_at: datetime | None = None
        self.connected = False
        self.connection_id = None
        self.last_connected_at: datetime | None = None
        self.connectors: dict[int, Connector] = {}
        self.recent_starts: dict[StartKey, int] = {}
        self.availability: dict[int, AvailabilityType] = {}
        self.scheduled_availability: dict[int, AvailabilityType] = {}
        self.configuration: dict[str, ConfigurationKey] = {}

    # -- registration, by operators ---------------------------------------------------------

    def change_authorization_key(self, key_hashes: tuple[str, ...], changed_at: datetime) -> None:
        if tuple(key_hashes) != self.key_hashes:
            self._change_authorization_key(key_hashes, changed_at)

    @event("AuthorizationKeyChanged")
    def _change_authorization_key(self, key_hashes: tuple[str, ...], changed_at: datetime) -> None:
        self.key_hashes = tuple(key_hashes)

    def change_registration_status(self, status: RegistrationStatus, changed_at: datetime) -> None:
        if status is not self.registration_status:
            self._change_registration_status(status, changed_at)

    @event("RegistrationStatusChanged")
    def _change_registration_status(self, status: RegistrationStatus, changed_at: datetime) -> None:
        self.registration_status = status

    # -- what the charge point answered to our commands ---------------------------------------

    @event("AvailabilityChanged")
    def change_availability(
        self,
        connector_id: int,
        availability: AvailabilityType,
        scheduled: bool,
        changed_at: datetime,
    ) -> None:
        """ChangeAvailability was Accepted (now) or Scheduled (after the running transaction)."""
        if scheduled:
            self.scheduled_availability[connector_id] = availability
        else:
            self.scheduled_availability.pop(connector_id, None)
            self.availability[connector_id] = availability

    def report_configuration(
        self,
        keys: tuple[ConfigurationKey, ...],
        unknown_keys: tuple[str, ...],
        complete: bool,
        reported_at: datetime,
    ) -> None:
        # AuthorizationKey is write-only: never kept, whatever a charge point sends.
        kept = tuple(k for k in keys if k.key.casefold() != SECRET_KEY)
        self._report_configuration(kept, unknown_keys, complete, reported_at)

    @event("ConfigurationReported")
    def _report_configuration(
        self,
        keys: tuple[ConfigurationKey, ...],
        unknown_keys: tuple[str, ...],
        complete: bool,
        reported_at: datetime,
    ) -> None:
        if complete:
            self.configuration = {}
        for name in unknown_keys:
            self.configuration.pop(name.casefold(), None)
        for entry in keys:
            self.configuration[entry.key.casefold()] = entry

    def change_configuration(
        self, key: str, value: str, reboot_required: bool, changed_at: datetime
    ) -> None:
        if key.casefold() != SECRET_KEY:
            self._change_configuration(key, value, reboot_required, changed_at)

    @event("ConfigurationChanged")
    def _change_configuration(
        self, key: str, value: str, reboot_required: bool, changed_at: datetime
    ) -> None:
        known = self.configuration.get(key.casefold())
        readonly = known.readonly if known else False
        name = known.key if known else key
        self.configuration[key.casefold()] = ConfigurationKey(name, readonly, value)

    @property
    def accepted(self) -> bool:
        return self.registration_status is RegistrationStatus.ACCEPTED

    # -- connection -------------------------------------------------------------------------

    def connect(
        self, connection_id: str, connected_at: datetime, remote_address: str | None
    ) -> None:
        """A new connection; it replaces any other, which the gateway closes."""
        self._connect(connection_id, self.connection_id, connected_at, remote_address)

    @event("Connected")
    def _connect(
        self,
        connection_id: str,
        replaced_connection_id: str | None,
        connected_at: datetime,
        remote_address: str | None,
    ) -> None:
        self.connection_id: str | None = connection_id
        self.connected = True
        self.last_connected_at = connected_at

    def disconnect(self, connection_id: str, disconnected_at: datetime, reason: str) -> None:
        # A replaced connection closing later changes nothing: its end was recorded by the
        # Connected event of the connection that replaced it.
        if connection_id == self.connection_id:
            self._disconnect(connection_id, disconnected_at, reason)

    @event("Disconnected")
    def _disconnect(self, connection_id: str, disconnected_at: datetime, reason: str) -> None:
        self.connection_id = None
        self.connected = False

    # -- what the charge point reports --------------------------------------------------------

    def report_boot(self, boot: BootInfo, received_at: datetime) -> RegistrationStatus:
        self._report_boot(boot, self.registration_status, received_at)
        return self.registration_status

    @event("Booted")
    def _report_boot(
        self, boot: BootInfo, answered: RegistrationStatus, received_at: datetime
    ) -> None:
        self.boot = boot
        self.booted_at = received_at

    def report_status(self, report: StatusReport, received_at: datetime) -> None:
        self._report_status(report, received_at)

    @event("StatusReported")
    def _report_status(self, report: StatusReport, received_at: datetime) -> None:
        previous = self.connectors.get(report.connector_id)
        self.connectors[report.connector_id] = Connector(
            connector_id=report.connector_id,
            status=report.status,
            error_code=report.error_code,
            info=report.info,
            vendor_id=report.vendor_id,
            vendor_error_code=report.vendor_error_code,
            timestamp=report.timestamp,
            updated_at=received_at,
            transaction_id=previous.transaction_id if previous else None,
        )

    def open_transaction_on(self, connector_id: int) -> int | None:
        connector = self.connectors.get(connector_id)
        return connector.transaction_id if connector else None

    def repeated_start(self, key: StartKey) -> int | None:
        return self.recent_starts.get(key)

    @event("TransactionBegun")
    def begin_transaction(
        self, connector_id: int, transaction_id: int, key: StartKey, received_at: datetime
    ) -> None:
        connector = self.connectors.get(connector_id)
        if connector is None:
            # A StartTransaction may come before any StatusNotification for its connector.
            connector = Connector(
                connector_id=connector_id,
                status=ConnectorStatus.CHARGING,
                error_code=ChargePointErrorCode.NO_ERROR,
                info=None,
                vendor_id=None,
                vendor_error_code=None,
                timestamp=ReportedTime(raw=None, at=None),
                updated_at=received_at,
            )
            self.connectors[connector_id] = connector
        connector.transaction_id = transaction_id
        self.recent_starts[tuple(key)] = transaction_id  # type: ignore[index]
        while len(self.recent_starts) > RECENT_STARTS:
            del self.recent_starts[next(iter(self.recent_starts))]

    def end_transaction(self, transaction_id: int, received_at: datetime) -> None:
        if any(c.transaction_id == transaction_id for c in self.connectors.values()):
            self._end_transaction(transaction_id, received_at)

    @event("TransactionEnded")
    def _end_transaction(self, transaction_id: int, received_at: datetime) -> None:
        for connector in self.connectors.values():
            if connector.transaction_id == transaction_id:
                connector.transaction_id = None

    @event("MeterValuesReported")
    def report_meter_values(
        self,
        connector_id: int,
        transaction_id: int | None,
        meter_values: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> None:
        """Meter values outside any known transaction of this charge point (OCPP16.md T4)."""

    @event("UnknownTransactionStopped")
    def report_unknown_stop(
        self,
        transaction_id: int,
        id_tag: str | None,
        meter_stop: int,
        reported_time: ReportedTime,
        reason: StopReason | None,
        transaction_data: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> None:
        """A StopTransaction for a transaction we never started (OCPP16.md T1, T2)."""

    @event("DataTransferReceived")
    def receive_data_transfer(
        self,
        vendor_id: str,
        message_id: str | None,
        data: str | None,
        answered: str,
        received_at: datetime,
    ) -> None:
        pass

    @event("ConformanceFindingsRecorded")
    def record_findings(
        self, action: str, findings: tuple[str, ...], payload: str, received_at: datetime
    ) -> None:
        """The charge point sent something off-spec that we accepted anyway (OCPP16.md T5, T8)."""
