"""A history of domain events made by the real use cases and saved to a real event store."""

from __future__ import annotations

from datetime import datetime

from domain.central_system import CentralSystem
from domain.csms import Csms
from domain.values import (
    BootInfo,
    MeterValue,
    ReportedTime,
    SampledValue,
    StatusReport,
)
from domain.vocabulary import (
    AuthorizationStatus,
    ChargePointErrorCode,
    ConnectorStatus,
    Measurand,
    RegistrationStatus,
    StopReason,
    UnitOfMeasure,
)
from tests.support.aggregates import InMemoryAggregates


def reported(moment: datetime) -> ReportedTime:
    return ReportedTime(raw=moment.isoformat().replace("+00:00", "Z"), at=moment)


def energy(moment: datetime, wh: int) -> MeterValue:
    return MeterValue(
        reported(moment),
        (
            SampledValue(
                str(wh), measurand=Measurand.ENERGY_ACTIVE_IMPORT_REGISTER, unit=UnitOfMeasure.WH
            ),
        ),
    )


class History:
    """Use cases over one unit of work; `commit()` saves what they did to `store`."""

    def __init__(self, store: Csms) -> None:
        self.store = store
        self.system = CentralSystem()
        self.aggregates = InMemoryAggregates()

    def commit(self) -> int:
        """Save every pending event; the notification id of the last one."""
        self.store.save(*self.aggregates.items.values())
        return self.store.recorder.max_notification_id() or 0

    def register(self, charge_point_id: str, at: datetime) -> None:
        self.system.register_charge_point(self.aggregates, charge_point_id, ("hash",), at)

    def set_registration_status(
        self, charge_point_id: str, status: RegistrationStatus, at: datetime
    ) -> None:
        self.system.set_registration_status(self.aggregates, charge_point_id, status, at)

    def connect(self, charge_point_id: str, at: datetime, connection_id: str = "c1") -> None:
        self.system.connect(self.aggregates, charge_point_id, connection_id, at, "127.0.0.1")

    def disconnect(self, charge_point_id: str, at: datetime, connection_id: str = "c1") -> None:
        self.system.disconnect(self.aggregates, charge_point_id, connection_id, at, "closed")

    def boot(self, charge_point_id: str, at: datetime, firmware: str = "1.0") -> None:
        boot = BootInfo(
            "Vendor", "Model", charge_point_serial_number="SN-1", firmware_version=firmware
        )
        self.system.boot(self.aggregates, charge_point_id, boot, at)

    def status(
        self,
        charge_point_id: str,
        connector_id: int,
        status: ConnectorStatus,
        at: datetime,
        error_code: ChargePointErrorCode = ChargePointErrorCode.NO_ERROR,
        info: str | None = None,
    ) -> None:
        report = StatusReport(connector_id, status, error_code, reported(at), info=info)
        self.system.report_status(self.aggregates, charge_point_id, report, at)

    def tag(
        self,
        id_tag: str,
        at: datetime,
        status: AuthorizationStatus = AuthorizationStatus.ACCEPTED,
        expiry_date: datetime | None = None,
    ) -> None:
        self.system.set_id_tag(self.aggregates, id_tag, status, expiry_date, None, at)

    def start(
        self, charge_point_id: str, connector_id: int, id_tag: str, meter_start: int, at: datetime
    ) -> int:
        decision = self.system.start_transaction(
            self.aggregates,
            charge_point_id,
            connector_id,
            id_tag,
            meter_start,
            reported(at),
            None,
            at,
        )
        return decision.transaction_id

    def meter(
        self,
        charge_point_id: str,
        connector_id: int,
        transaction_id: int | None,
        *values: MeterValue,
        at: datetime,
    ) -> None:
        self.system.report_meter_values(
            self.aggregates, charge_point_id, connector_id, transaction_id, values, at
        )

    def stop(
        self,
        charge_point_id: str,
        transaction_id: int,
        meter_stop: int,
        at: datetime,
        *transaction_data: MeterValue,
        reason: StopReason | None = StopReason.LOCAL,
    ) -> None:
        self.system.stop_transaction(
            self.aggregates,
            charge_point_id,
            transaction_id,
            None,
            meter_stop,
            reported(at),
            reason,
            transaction_data,
            at,
        )

    def data_transfer(self, charge_point_id: str, at: datetime) -> None:
        self.system.data_transfer(self.aggregates, charge_point_id, "acme", "x", "{}", at)
