"""A real charge point (the `ocpp` package) runs the Core flow against csms on both backends,
then the events are read back from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ocpp.v16 import call
from ocpp.v16.enums import (
    AuthorizationStatus,
    ChargePointErrorCode,
    ChargePointStatus,
    Reason,
    RegistrationStatus,
)

from domain import vocabulary as vocab
from tests.support.charge_point import ocpp_charge_point
from tests.support.server import running_csms


def energy(wh: int, at: str, context: str = "Sample.Periodic") -> dict[str, object]:
    return {
        "timestamp": at,
        "sampledValue": [
            {
                "value": str(wh),
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unit": "Wh",
                "location": "Outlet",
            },
            {"value": "230.4", "measurand": "Voltage", "unit": "V", "phase": "L1-N"},
        ],
    }


async def seed_tags(csms: object) -> None:
    runtime = csms.runtime  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    tags = [
        ("VALID", vocab.AuthorizationStatus.ACCEPTED, None, None),
        ("BLOCKED", vocab.AuthorizationStatus.BLOCKED, None, None),
        ("EXPIRED", vocab.AuthorizationStatus.ACCEPTED, now - timedelta(days=1), None),
        ("MEMBER", vocab.AuthorizationStatus.ACCEPTED, None, "FLEET-1"),
    ]
    for tag, status, expiry, parent in tags:
        await runtime.writer.submit(
            lambda unit, t=tag, s=status, e=expiry, p=parent: runtime.csms.set_id_tag(
                unit, t, s, e, p, now
            )
        )


async def test_core_flow_is_recorded(database_url: str) -> None:
    """Boot, statuses, Authorize answers, a transaction with meter values: all become events."""
    async with running_csms(database_url, heartbeat_interval=120) as csms:
        await csms.register("CP-E2E")
        await seed_tags(csms)
        async with ocpp_charge_point(csms.url("CP-E2E"), "CP-E2E") as cp:
            # Boot
            boot = await cp.call(
                call.BootNotification(
                    charge_point_model="Fast-22",
                    charge_point_vendor="Acme",
                    charge_point_serial_number="SN-1",
                    firmware_version="1.2.3",
                )
            )
            assert boot.status == RegistrationStatus.accepted
            assert boot.interval == 120
            assert boot.current_time.endswith("Z")
            # StatusNotification for connector 0 and each connector
            for connector_id in (0, 1, 2):
                await cp.call(
                    call.StatusNotification(
                        connector_id=connector_id,
                        error_code=ChargePointErrorCode.no_error,
                        status=ChargePointStatus.available,
                        timestamp="2026-12-01T10:00:00Z",
                    )
                )
            # Authorize: accepted, invalid, blocked, expired, parent group
            answers = {}
            for tag in ("valid", "NOBODY", "BLOCKED", "EXPIRED", "MEMBER"):
                answers[tag] = (await cp.call(call.Authorize(id_tag=tag))).id_tag_info
            assert answers["valid"]["status"] == AuthorizationStatus.accepted
            assert answers["NOBODY"]["status"] == AuthorizationStatus.invalid
            assert answers["BLOCKED"]["status"] == AuthorizationStatus.blocked
            assert answers["EXPIRED"]["status"] == AuthorizationStatus.expired
            assert answers["MEMBER"]["status"] == AuthorizationStatus.accepted
            assert answers["MEMBER"]["parent_id_tag"] == "FLEET-1"
            # A transaction with three meter values and transactionData
            started = await cp.call(
                call.StartTransaction(
                    connector_id=1,
                    id_tag="VALID",
                    meter_start=1000,
                    timestamp="2026-12-01T10:01:00.123Z",
                )
            )
            assert started.id_tag_info["status"] == AuthorizationStatus.accepted
            transaction_id = started.transaction_id
            assert transaction_id > 0
            for n in range(3):
                await cp.call(
                    call.MeterValues(
                        connector_id=1,
                        transaction_id=transaction_id,
                        meter_value=[energy(1000 + 500 * (n + 1), f"2026-12-01T10:0{n + 2}:00Z")],
                    )
                )
            stopped = await cp.call(
                call.StopTransaction(
                    meter_stop=2600,
                    timestamp="2026-12-01T10:06:00+01:00",
                    transaction_id=transaction_id,
                    reason=Reason.ev_disconnected,
                    id_tag="VALID",
                    transaction_data=[
                        energy(1000, "2026-12-01T10:01:00Z", "Transaction.Begin"),
                        energy(2600, "2026-12-01T10:06:00Z", "Transaction.End"),
                    ],
                )
            )
            assert stopped.id_tag_info["status"] == AuthorizationStatus.accepted
        events = await csms.wait_for("ChargePoint.Disconnected")

    names = [type(e).__qualname__ for e in events]
    assert names.count("ChargePoint.StatusReported") == 3
    assert names.count("Transaction.MeterValuesSampled") == 3
    for expected in (
        "ChargePoint.Registered",
        "ChargePoint.Connected",
        "ChargePoint.Booted",
        "Transaction.Started",
        "Transaction.Stopped",
        "ChargePoint.Disconnected",
    ):
        assert expected in names
    assert "ChargePoint.ConformanceFindingsRecorded" not in names
    boot_event = next(e for e in events if type(e).__qualname__ == "ChargePoint.Booted")
    assert boot_event.boot.vendor == "Acme"
    assert boot_event.boot.charge_point_serial_number == "SN-1"
    assert boot_event.boot.firmware_version == "1.2.3"
    status = next(e for e in events if type(e).__qualname__ == "ChargePoint.StatusReported")
    assert status.report.connector_id == 0
    assert status.report.status is vocab.ConnectorStatus.AVAILABLE
    assert status.report.timestamp.at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert status.received_at.tzinfo is not None
    start = next(e for e in events if type(e).__qualname__ == "Transaction.Started")
    assert (start.transaction_id, start.connector_id, start.meter_start) == (
        transaction_id,
        1,
        1000,
    )
    assert start.reported_time.raw == "2026-12-01T10:01:00.123Z"
    assert start.reported_time.at == datetime(2026, 12, 1, 10, 1, 0, 123000, tzinfo=UTC)
    sample = next(e for e in events if type(e).__qualname__ == "Transaction.MeterValuesSampled")
    voltage = sample.meter_values[0].sampled_values[1]
    assert voltage.measurand is vocab.Measurand.VOLTAGE
    assert voltage.phase is vocab.Phase.L1_N
    assert voltage.unit is vocab.UnitOfMeasure.V
    stop = next(e for e in events if type(e).__qualname__ == "Transaction.Stopped")
    assert stop.meter_stop == 2600
    assert stop.reason is vocab.StopReason.EV_DISCONNECTED
    assert stop.reported_time.at == datetime(2026, 12, 1, 9, 6, tzinfo=UTC)
    assert len(stop.transaction_data) == 2
    begin = stop.transaction_data[0].sampled_values[0]
    assert begin.context is vocab.ReadingContext.TRANSACTION_BEGIN
