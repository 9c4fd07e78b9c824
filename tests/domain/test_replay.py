"""Events replay from the store exactly as recorded: enums as enums, values as values."""

from __future__ import annotations

from domain.central_system import CentralSystem
from domain.charge_point import ChargePoint
from domain.csms import Csms
from domain.transaction import Transaction
from domain.values import BootInfo, MeterValue, ReportedTime, SampledValue, StatusReport
from domain.vocabulary import (
    AuthorizationStatus,
    ChargePointErrorCode,
    ConnectorStatus,
    Location,
    Measurand,
    Phase,
    ReadingContext,
    StopReason,
    UnitOfMeasure,
    ValueFormat,
)
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0, at


def test_a_whole_session_replays_identically() -> None:
    """Save every event of a session in a POPO store, rebuild, and compare state."""
    app = Csms(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    csms = CentralSystem()
    unit = InMemoryAggregates()
    # Given a charge point that booted, reported a status and ran a transaction
    csms.register_charge_point(unit, "CP1", (), T0)
    csms.set_id_tag(unit, "TAG", AuthorizationStatus.ACCEPTED, None, "FLEET", T0)
    csms.boot(unit, "CP1", BootInfo("Acme", "X", firmware_version="1.0"), at(1))
    stamp = ReportedTime("2026-12-01T12:00:02.123456+01:00", at(2))
    csms.report_status(
        unit,
        "CP1",
        StatusReport(1, ConnectorStatus.SUSPENDED_EVSE, ChargePointErrorCode.NO_ERROR, stamp),
        at(2),
    )
    started = csms.start_transaction(unit, "CP1", 1, "TAG", 10, stamp, 7, at(3))
    sample = SampledValue(
        "230.1",
        context=ReadingContext.SAMPLE_PERIODIC,
        format=ValueFormat.RAW,
        measurand=Measurand.VOLTAGE,
        phase=Phase.L1_N,
        location=Location.OUTLET,
        unit=UnitOfMeasure.V,
    )
    csms.report_meter_values(
        unit, "CP1", 1, started.transaction_id, (MeterValue(stamp, (sample,)),), at(4)
    )
    csms.stop_transaction(
        unit, "CP1", started.transaction_id, "TAG", 99, stamp, StopReason.EV_DISCONNECTED, (), at(5)
    )
    # When every aggregate is saved and read back
    app.save(*unit.items.values())
    cp_id = ChargePoint.create_id("CP1")
    tx_id = Transaction.create_id(started.transaction_id)
    charge_point = app.repository.get(cp_id)
    transaction = app.repository.get(tx_id)
    # Then the state is the same, with enums and values intact
    assert charge_point.connectors[1].status is ConnectorStatus.SUSPENDED_EVSE
    assert charge_point.connectors[1].timestamp == stamp
    assert charge_point.boot == BootInfo("Acme", "X", firmware_version="1.0")
    assert transaction.stop_reason is StopReason.EV_DISCONNECTED
    assert transaction.authorization is AuthorizationStatus.ACCEPTED
    assert transaction.reservation_id == 7
    assert transaction.energy_wh == 89
    sampled = [e for e in app.events.get(tx_id) if type(e).__qualname__.endswith("Sampled")]
    assert sampled[0].meter_values[0].sampled_values == (sample,)  # type: ignore[attr-defined]
