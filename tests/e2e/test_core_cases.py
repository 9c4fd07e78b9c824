"""The charge-point-initiated OCTT CSMS cases of OCPP16.md §4.1 and §4.3 that the Core flow
test does not already walk through."""

from __future__ import annotations

from datetime import UTC, datetime

from ocpp.v16 import call
from ocpp.v16.enums import AuthorizationStatus, ChargePointErrorCode, ChargePointStatus, Reason

from domain import vocabulary as vocab
from tests.e2e.conftest import CP_ID, Bench

EARLIER = "2026-11-30T22:00:00Z"  # queued while offline


async def valid_tag(bench: Bench) -> None:
    runtime = bench.csms.runtime
    await bench.csms.run(
        lambda unit: runtime.csms.set_id_tag(
            unit, "VALID", vocab.AuthorizationStatus.ACCEPTED, None, None, datetime.now(UTC)
        )
    )


async def stop_offline(bench: Bench, transaction_id: int, meter_stop: int, reason: Reason) -> None:
    """A StopTransaction that was queued while offline (timestamped EARLIER)."""
    await bench.cp.call(
        call.StopTransaction(
            meter_stop=meter_stop,
            timestamp=EARLIER,
            transaction_id=transaction_id,
            reason=reason,
        )
    )


async def test_tc_024_lock_failure(bench: Bench) -> None:
    """Faulted with ConnectorLockFailure is acknowledged and shown on the connector."""
    await bench.cp.call(
        call.StatusNotification(
            connector_id=1,
            error_code=ChargePointErrorCode.connector_lock_failure,
            status=ChargePointStatus.faulted,
        )
    )
    query = (
        "query($cp: ID!) { chargePoint(id: $cp) { connectors { connectorId status errorCode } } }"
    )
    await bench.csms.projected()
    data = await bench.csms.ok(query, cp=CP_ID)
    assert data["chargePoint"]["connectors"] == [
        {"connectorId": 1, "status": "FAULTED", "errorCode": "CONNECTOR_LOCK_FAILURE"}
    ]


async def test_tc_032_1_power_failure_boot(bench: Bench) -> None:
    """After a power cut: Boot Accepted, Finishing, and the old transaction stopped PowerLoss."""
    await valid_tag(bench)
    started = await bench.cp.call(
        call.StartTransaction(connector_id=1, id_tag="VALID", meter_start=0, timestamp=EARLIER)
    )
    boot = await bench.cp.call(
        call.BootNotification(charge_point_model="M", charge_point_vendor="V")
    )
    assert boot.status == "Accepted"
    await bench.cp.call(
        call.StatusNotification(
            connector_id=1,
            error_code=ChargePointErrorCode.no_error,
            status=ChargePointStatus.finishing,
        )
    )
    stopped = await bench.cp.call(
        call.StopTransaction(
            meter_stop=300,
            timestamp=EARLIER,
            transaction_id=started.transaction_id,
            reason=Reason.power_loss,
            id_tag="VALID",
        )
    )
    assert stopped.id_tag_info["status"] == AuthorizationStatus.accepted


async def test_tc_037_and_039_offline_transactions(bench: Bench) -> None:
    """Queued Start (valid: Accepted; invalid: Invalid with a real id) and Stops are processed
    like live ones."""
    await valid_tag(bench)
    valid = await bench.cp.call(
        call.StartTransaction(connector_id=1, id_tag="VALID", meter_start=0, timestamp=EARLIER)
    )
    assert valid.id_tag_info["status"] == AuthorizationStatus.accepted
    await stop_offline(bench, valid.transaction_id, 10, Reason.local)
    invalid = await bench.cp.call(
        call.StartTransaction(connector_id=2, id_tag="STRANGER", meter_start=0, timestamp=EARLIER)
    )
    assert invalid.id_tag_info["status"] == AuthorizationStatus.invalid
    assert invalid.transaction_id > valid.transaction_id
    await stop_offline(bench, invalid.transaction_id, 5, Reason.de_authorized)
    query = "query($id: Int!) { transaction(id: $id) { stopReason startTimestamp } }"
    await bench.csms.projected()
    data = await bench.csms.ok(query, id=invalid.transaction_id)
    assert data["transaction"]["stopReason"] == "DE_AUTHORIZED"
    assert data["transaction"]["startTimestamp"].startswith("2026-11-30T22:00:00")
