"""The Core commands of the OCTT CSMS cases (OCPP16.md §4.2, §4.3) through GraphQL, checking both
what the charge point received and what the mutation returned."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ocpp.exceptions import InternalError
from ocpp.v16 import call
from ocpp.v16.enums import AuthorizationStatus, ChargePointErrorCode, ChargePointStatus, Reason

from domain import vocabulary as vocab
from tests.e2e.conftest import CP_ID, Bench

NOW = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def status(bench: Bench, connector_id: int, value: ChargePointStatus) -> None:
    await bench.cp.call(
        call.StatusNotification(
            connector_id=connector_id, error_code=ChargePointErrorCode.no_error, status=value
        )
    )


async def start(bench: Bench, id_tag: str = "VALID", connector_id: int = 1) -> int:
    started = await bench.cp.call(
        call.StartTransaction(
            connector_id=connector_id, id_tag=id_tag, meter_start=100, timestamp=NOW
        )
    )
    return int(started.transaction_id)


REMOTE_START = """
mutation($cp: ID!, $tag: String!, $connector: Int) {
  remoteStartTransaction(chargePointId: $cp, idTag: $tag, connectorId: $connector) { status }
}"""


async def test_tc_010_remote_start_cable_plugged_in_first(bench: Bench) -> None:
    """Preparing, RemoteStartTransaction accepted, then Authorize and StartTransaction."""
    await status(bench, 1, ChargePointStatus.preparing)
    data = await bench.csms.ok(REMOTE_START, cp=CP_ID, tag="VALID", connector=1)
    assert data["remoteStartTransaction"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("RemoteStartTransaction") == {
        "idTag": "VALID",
        "connectorId": 1,
    }
    runtime = bench.csms.runtime
    await bench.csms.run(
        lambda unit: runtime.csms.set_id_tag(
            unit, "VALID", vocab.AuthorizationStatus.ACCEPTED, None, None, datetime.now(UTC)
        )
    )
    authorized = await bench.cp.call(call.Authorize(id_tag="VALID"))
    assert authorized.id_tag_info["status"] == AuthorizationStatus.accepted
    assert await start(bench) > 0
    await status(bench, 1, ChargePointStatus.charging)


async def test_tc_011_remote_start_first_omits_the_connector(bench: Bench) -> None:
    """Without connectorId the CALL carries no connectorId at all (T19)."""
    data = await bench.csms.ok(REMOTE_START, cp=CP_ID, tag="VALID")
    assert data["remoteStartTransaction"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("RemoteStartTransaction") == {"idTag": "VALID"}


async def test_tc_026_remote_start_rejected(bench: Bench) -> None:
    """A Rejected answer is returned as REJECTED and recorded; no transaction appears."""
    bench.cp.answers["RemoteStartTransaction"] = {"status": "Rejected"}
    data = await bench.csms.ok(REMOTE_START, cp=CP_ID, tag="VALID", connector=1)
    assert data["remoteStartTransaction"]["status"] == "REJECTED"
    names = bench.csms.event_names()
    assert "RemoteCommand.Answered" in names
    assert "Transaction.Started" not in names


async def test_remote_start_with_a_charging_profile(bench: Bench) -> None:
    """A TxProfile is sent without transactionId and with exact decimal limits (T9, T19)."""
    query = """
    mutation($cp: ID!) {
      remoteStartTransaction(chargePointId: $cp, idTag: "VALID", connectorId: 1,
        chargingProfile: {chargingProfileId: 7, stackLevel: 0, chargingProfilePurpose: TX_PROFILE,
          chargingProfileKind: RELATIVE, chargingSchedule: {chargingRateUnit: A,
          chargingSchedulePeriod: [{startPeriod: 0, limit: 21.4}]}}) { status }
    }"""
    await bench.csms.ok(query, cp=CP_ID)
    sent = await bench.cp.next_call("RemoteStartTransaction")
    assert sent["chargingProfile"] == {
        "chargingProfileId": 7,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": {
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.4}],
        },
    }


REMOTE_STOP = """
mutation($cp: ID!, $tx: Int!) {
  remoteStopTransaction(chargePointId: $cp, transactionId: $tx) { status }
}"""


async def test_tc_012_remote_stop(bench: Bench) -> None:
    """RemoteStopTransaction with the running transaction's id; the stop follows."""
    transaction_id = await start(bench)
    data = await bench.csms.ok(REMOTE_STOP, cp=CP_ID, tx=transaction_id)
    assert data["remoteStopTransaction"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("RemoteStopTransaction") == {"transactionId": transaction_id}
    await bench.cp.call(
        call.StopTransaction(
            meter_stop=900, timestamp=NOW, transaction_id=transaction_id, reason=Reason.remote
        )
    )
    await status(bench, 1, ChargePointStatus.finishing)


async def test_tc_028_remote_stop_rejected_keeps_the_transaction(bench: Bench) -> None:
    """An operator may ask for any id (T18); a Rejected stop leaves the transaction open."""
    transaction_id = await start(bench)
    bench.cp.answers["RemoteStopTransaction"] = {"status": "Rejected"}
    data = await bench.csms.ok(REMOTE_STOP, cp=CP_ID, tx=transaction_id + 1000)
    assert data["remoteStopTransaction"]["status"] == "REJECTED"
    assert "Transaction.Stopped" not in bench.csms.event_names()


@pytest.mark.parametrize(("kind", "wire"), [("HARD", "Hard"), ("SOFT", "Soft")])
async def test_tc_013_014_reset(bench: Bench, kind: str, wire: str) -> None:
    """Reset Hard/Soft, then the charge point boots again and is Accepted."""
    data = await bench.csms.ok(
        "mutation($cp: ID!, $t: ResetType!) { reset(chargePointId: $cp, type: $t) { status } }",
        cp=CP_ID,
        t=kind,
    )
    assert data["reset"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("Reset") == {"type": wire}
    boot = await bench.cp.call(
        call.BootNotification(charge_point_model="M", charge_point_vendor="V")
    )
    assert boot.status == "Accepted"


UNLOCK = """
mutation($cp: ID!, $c: Int!) { unlockConnector(chargePointId: $cp, connectorId: $c) { status } }"""


@pytest.mark.parametrize(
    ("answer", "expected", "connector"),
    [
        ("Unlocked", "UNLOCKED", 1),  # TC_017_1
        ("NotSupported", "NOT_SUPPORTED", 1),  # TC_017_2, fixed cable
        ("UnlockFailed", "UNLOCK_FAILED", 1),  # TC_030
        ("NotSupported", "NOT_SUPPORTED", 99),  # TC_031, unknown connector is sent anyway
    ],
)
async def test_unlock_connector(bench: Bench, answer: str, expected: str, connector: int) -> None:
    """UnlockConnector passes any connectorId and returns the charge point's status."""
    bench.cp.answers["UnlockConnector"] = {"status": answer}
    data = await bench.csms.ok(UNLOCK, cp=CP_ID, c=connector)
    assert data["unlockConnector"]["status"] == expected
    assert await bench.cp.next_call("UnlockConnector") == {"connectorId": connector}


async def test_tc_018_unlock_with_a_charging_session(bench: Bench) -> None:
    """Unlocked during a session; the charge point stops with UnlockCommand."""
    transaction_id = await start(bench)
    data = await bench.csms.ok(UNLOCK, cp=CP_ID, c=1)
    assert data["unlockConnector"]["status"] == "UNLOCKED"
    await bench.cp.call(
        call.StopTransaction(
            meter_stop=500,
            timestamp=NOW,
            transaction_id=transaction_id,
            reason=Reason.unlock_command,
        )
    )
    events = await bench.csms.wait_for("Transaction.Stopped")
    stop = next(e for e in events if type(e).__qualname__ == "Transaction.Stopped")
    assert stop.reason.value == "UnlockCommand"


GET_CONFIGURATION = """
mutation($cp: ID!, $keys: [String!]) {
  getConfiguration(chargePointId: $cp, key: $keys) {
    configurationKey { key readonly value } unknownKey
  }
}"""
CONFIGURATION = """
query($cp: ID!) { chargePoint(id: $cp) { configuration { key readonly value } } }"""


async def test_tc_019_1_all_configuration_keys(bench: Bench) -> None:
    """No key asked: the CALL has no key field; the whole report becomes the configuration."""
    bench.cp.answers["GetConfiguration"] = {
        "configurationKey": [
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
            {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
            {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core"},
        ]
    }
    data = await bench.csms.ok(GET_CONFIGURATION, cp=CP_ID)
    keys = data["getConfiguration"]["configurationKey"]
    assert [k["key"] for k in keys] == [
        "HeartbeatInterval",
        "NumberOfConnectors",
        "SupportedFeatureProfiles",
    ]
    assert await bench.cp.next_call("GetConfiguration") == {}
    shown = (await bench.csms.ok(CONFIGURATION, cp=CP_ID))["chargePoint"]["configuration"]
    assert {"key": "NumberOfConnectors", "readonly": True, "value": "2"} in shown


async def test_tc_019_2_one_configuration_key(bench: Bench) -> None:
    """A named key is asked for by name; unknown keys come back as unknownKey."""
    bench.cp.answers["GetConfiguration"] = {
        "configurationKey": [
            {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core"}
        ],
        "unknownKey": ["Nope"],
    }
    data = await bench.csms.ok(
        GET_CONFIGURATION, cp=CP_ID, keys=["SupportedFeatureProfiles", "Nope"]
    )
    assert data["getConfiguration"]["unknownKey"] == ["Nope"]
    assert await bench.cp.next_call("GetConfiguration") == {
        "key": ["SupportedFeatureProfiles", "Nope"]
    }


CHANGE_CONFIGURATION = """
mutation($cp: ID!, $k: String!, $v: String!) {
  changeConfiguration(chargePointId: $cp, key: $k, value: $v) { status }
}"""


@pytest.mark.parametrize(
    ("key", "value", "answer", "expected"),
    [
        ("MeterValueSampleInterval", "60", "Accepted", "ACCEPTED"),  # TC_021
        ("NoSuchKey", "1", "NotSupported", "NOT_SUPPORTED"),  # TC_040_1
        ("MeterValueSampleInterval", "-1", "Rejected", "REJECTED"),  # TC_040_2, sent anyway
        ("HeartbeatInterval", "60", "RebootRequired", "REBOOT_REQUIRED"),
    ],
)
async def test_change_configuration(
    bench: Bench, key: str, value: str, answer: str, expected: str
) -> None:
    """Any key and value is sent; an accepted value shows in the configuration."""
    bench.cp.answers["ChangeConfiguration"] = {"status": answer}
    data = await bench.csms.ok(CHANGE_CONFIGURATION, cp=CP_ID, k=key, v=value)
    assert data["changeConfiguration"]["status"] == expected
    assert await bench.cp.next_call("ChangeConfiguration") == {"key": key, "value": value}
    shown = (await bench.csms.ok(CONFIGURATION, cp=CP_ID))["chargePoint"]["configuration"]
    entry = {"key": key, "readonly": False, "value": value}
    assert (entry in shown) == (answer in ("Accepted", "RebootRequired"))


async def test_change_availability(bench: Bench) -> None:
    """Accepted and Scheduled answers are returned; the connector shows its availability."""
    query = """
    mutation($cp: ID!, $c: Int!) {
      changeAvailability(chargePointId: $cp, connectorId: $c, type: INOPERATIVE) { status }
    }"""
    await status(bench, 1, ChargePointStatus.available)
    data = await bench.csms.ok(query, cp=CP_ID, c=1)
    assert data["changeAvailability"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("ChangeAvailability") == {
        "connectorId": 1,
        "type": "Inoperative",
    }
    shown = await bench.csms.ok(
        "query($cp: ID!) { chargePoint(id: $cp) { connectors { connectorId availability } } }",
        cp=CP_ID,
    )
    assert {"connectorId": 1, "availability": "INOPERATIVE"} in shown["chargePoint"]["connectors"]
    bench.cp.answers["ChangeAvailability"] = {"status": "Scheduled"}
    data = await bench.csms.ok(query, cp=CP_ID, c=2)
    assert data["changeAvailability"]["status"] == "SCHEDULED"


async def test_tc_061_clear_cache(bench: Bench) -> None:
    """ClearCache carries an empty payload and returns the status."""
    data = await bench.csms.ok(
        "mutation($cp: ID!) { clearCache(chargePointId: $cp) { status } }", cp=CP_ID
    )
    assert data["clearCache"]["status"] == "ACCEPTED"
    assert await bench.cp.next_call("ClearCache") == {}


async def test_data_transfer_to_the_charge_point(bench: Bench) -> None:
    """DataTransfer sends only the fields given and returns status and data."""
    bench.cp.answers["DataTransfer"] = {"status": "Accepted", "data": "pong"}
    data = await bench.csms.ok(
        'mutation($cp: ID!) { dataTransfer(chargePointId: $cp, vendorId: "com.acme", data: "ping")'
        " { status data } }",
        cp=CP_ID,
    )
    assert data["dataTransfer"] == {"status": "ACCEPTED", "data": "pong"}
    assert await bench.cp.next_call("DataTransfer") == {"vendorId": "com.acme", "data": "ping"}


async def test_every_command_is_recorded_with_who_asked(bench: Bench) -> None:
    """The history shows the request as sent, who asked, and the answer."""
    await bench.csms.ok(UNLOCK, cp=CP_ID, c=1)
    events = await bench.csms.wait_for("RemoteCommand.Answered")
    requested = next(e for e in events if type(e).__qualname__ == "RemoteCommand.Requested")
    answered = next(e for e in events if type(e).__qualname__ == "RemoteCommand.Answered")
    assert (requested.action, requested.request) == ("UnlockConnector", {"connectorId": 1})
    assert requested.requested_by == "test-operator"
    assert requested.charge_point_id == CP_ID
    assert answered.response == {"status": "Unlocked"}
    assert answered.originator_id == requested.originator_id


# -- the three ways a command fails -----------------------------------------------------------


async def test_charge_point_offline(bench: Bench) -> None:
    """A registered charge point that is not connected: CHARGE_POINT_OFFLINE, recorded."""
    await bench.csms.register("ASLEEP")
    result = await bench.csms.graphql(UNLOCK, cp="ASLEEP", c=1)
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "CHARGE_POINT_OFFLINE"
    failed = [e for e in bench.csms.events() if type(e).__qualname__ == "RemoteCommand.Failed"]
    assert failed[0].failure.value == "Offline"


async def test_unknown_charge_point(bench: Bench) -> None:
    """A charge point nobody registered: NOT_FOUND, nothing recorded."""
    result = await bench.csms.graphql(UNLOCK, cp="NOBODY", c=1)
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "NOT_FOUND"
    assert "RemoteCommand.Requested" not in bench.csms.event_names()


async def test_timeout(bench: Bench) -> None:
    """No answer within --call-timeout: TIMEOUT, recorded."""

    async def never(_payload: dict[str, object]) -> dict[str, object]:
        import asyncio

        await asyncio.sleep(3)
        return {"status": "Unlocked"}

    bench.cp.answers["UnlockConnector"] = never
    result = await bench.csms.graphql(UNLOCK, cp=CP_ID, c=1)
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "TIMEOUT"
    failed = [e for e in bench.csms.events() if type(e).__qualname__ == "RemoteCommand.Failed"]
    assert failed[0].failure.value == "TimedOut"


async def test_call_error(bench: Bench) -> None:
    """A CALLERROR from the charge point: CALL_ERROR with its code unchanged."""
    bench.cp.answers["ClearCache"] = InternalError(description="cache on fire")
    result = await bench.csms.graphql(
        "mutation($cp: ID!) { clearCache(chargePointId: $cp) { status } }", cp=CP_ID
    )
    assert result.errors is not None
    extensions = result.errors[0].extensions
    assert extensions["code"] == "CALL_ERROR"
    assert extensions["ocppErrorCode"] == "InternalError"
    failed = [e for e in bench.csms.events() if type(e).__qualname__ == "RemoteCommand.Failed"]
    assert failed[0].error_code == "InternalError"


async def test_schema_invalid_arguments_name_the_field(bench: Bench) -> None:
    """Only the OCPP schema limits what an operator may send: an over-long idTag is refused."""
    result = await bench.csms.graphql(REMOTE_START, cp=CP_ID, tag="X" * 21, connector=1)
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "idTag" in result.errors[0].message
    assert bench.cp.received == []


async def test_no_remote_start_while_pending(bench: Bench) -> None:
    """Pending: RemoteStart/Stop are refused before anything is sent; other calls go."""
    runtime = bench.csms.runtime
    await bench.csms.run(
        lambda unit: runtime.csms.set_registration_status(
            unit, CP_ID, vocab.RegistrationStatus.PENDING, datetime.now(UTC)
        )
    )
    result = await bench.csms.graphql(REMOTE_START, cp=CP_ID, tag="VALID", connector=1)
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "NOT_ACCEPTED"
    assert bench.cp.received == []
    await bench.csms.ok(UNLOCK, cp=CP_ID, c=1)
    assert [name for name, _ in bench.cp.received] == ["UnlockConnector"]
