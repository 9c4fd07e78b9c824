"""RPC framing over a real socket: every CALLERROR code exactly when OCPP16.md §2.2 says, and
the connection keeps working afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect

from adapters.ocpp import v16
from adapters.ocpp.handlers import UNSUPPORTED
from adapters.ocpp.handlers import router as production_router
from adapters.ocpp.routing import Router
from domain.vocabulary import RegistrationStatus
from tests.support.schemas import assert_valid_against_schema
from tests.support.server import RunningCsms, running_csms, writer_held

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "X"}


def router_with_a_failing_handler() -> Router:
    """The production table plus one action whose handler fails, to provoke InternalError."""
    router = production_router.copy()

    @router.on(v16.Action.DIAGNOSTICS_STATUS_NOTIFICATION, v16.DiagnosticsStatusNotificationRequest)
    async def broken(ctx: object, request: object) -> Any:
        msg = "simulated failure"
        raise RuntimeError(msg)

    return router


@pytest.fixture
async def csms(database_url: str) -> AsyncIterator[RunningCsms]:
    async with running_csms(database_url, router=router_with_a_failing_handler()) as running:
        await running.register("CP1")
        await running.register("PENDING")
        await running.run(
            lambda unit: running.runtime.csms.set_registration_status(
                unit, "PENDING", RegistrationStatus.PENDING, running.runtime.services.clock()
            )
        )
        yield running


async def exchange(connection: ClientConnection, frame: str | bytes) -> list[Any]:
    await connection.send(frame)
    return orjson.loads(await connection.recv())


async def heartbeat_still_answered(connection: ClientConnection) -> None:
    answer = await exchange(connection, '[2,"hb","Heartbeat",{}]')
    assert answer[0:2] == [3, "hb"]
    assert answer[2]["currentTime"].endswith("Z")


# (code, the charge point that sends it, frame); every row then gets a Heartbeat answered.
MALFORMED = [
    ("NotImplemented", "CP1", '[2,"m1","FooBar",{}]'),
    ("NotSupported", "CP1", '[2,"m1","Reset",{"type":"Hard"}]'),
    ("InternalError", "CP1", '[2,"m1","DiagnosticsStatusNotification",{"status":"Idle"}]'),
    ("ProtocolError", "CP1", '[2,"m1","BootNotification",{"chargePointVendor":"Acme"}]'),
    ("SecurityError", "PENDING", '[2,"m1","Heartbeat",{}]'),
    ("SecurityError", "PENDING", '[2,"m1","Authorize",{"idTag":"A"}]'),
    ("FormationViolation", "CP1", '[2,"m1","Heartbeat",{"extra":1}]'),
    ("FormationViolation", "CP1", '[2,"m1","Heartbeat",[]]'),
    ("FormationViolation", "CP1", '[2,"m1","Heartbeat"]'),
    ("FormationViolation", "CP1", '[2,"m1","Authorize",{"id_tag":"A"}]'),
    ("FormationViolation", "CP1", '[2,"' + "x" * 37 + '","Heartbeat",{}]'),
    (
        "PropertyConstraintViolation",
        "CP1",
        '[2,"m1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Dancing"}]',
    ),
    (
        "OccurenceConstraintViolation",
        "CP1",
        '[2,"m1","MeterValues",{"connectorId":1,"meterValue":[]}]',
    ),
    ("TypeConstraintViolation", "CP1", '[2,"m1","Authorize",{"idTag":12}]'),
    ("TypeConstraintViolation", "CP1", '[2,"m1","Authorize",{"idTag":"' + "A" * 21 + '"}]'),
    ("GenericError", "CP1", '[2,"m1","Heartbeat",{'),
]


@pytest.mark.parametrize(
    ("code", "identity", "frame"),
    MALFORMED,
    ids=[f"{c}-{n}" for n, (c, _, _) in enumerate(MALFORMED)],
)
async def test_malformed_frame_gets_its_callerror(
    csms: RunningCsms, code: str, identity: str, frame: str
) -> None:
    """The CALLERROR names the right code, echoes the id, and the socket stays usable."""
    async with connect(csms.url(identity), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        answer = await exchange(connection, frame)
        assert answer[0] == 4
        assert answer[2] == code, answer
        assert answer[1] == ("x" * 37 if "x" * 37 in frame else "m1")
        assert isinstance(answer[3], str)
        assert answer[4] == {}
        if identity == "PENDING":
            # Refused for who sent it, not for this socket: once accepted, it is answered.
            await csms.run(
                lambda unit: csms.runtime.csms.set_registration_status(
                    unit, identity, RegistrationStatus.ACCEPTED, csms.runtime.services.clock()
                )
            )
        await heartbeat_still_answered(connection)


async def test_security_error_before_accepted(csms: RunningCsms) -> None:
    """A Pending charge point may boot (answered Pending) but nothing else."""
    async with connect(csms.url("PENDING"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        refused = await exchange(connection, '[2,"s1","Heartbeat",{}]')
        assert refused[:3] == [4, "s1", "SecurityError"]
        boot = await exchange(connection, orjson.dumps([2, "b1", "BootNotification", BOOT]))
        assert boot[2]["status"] == "Pending"


async def test_framing_rules(csms: RunningCsms) -> None:
    """null payload reads as {}, unknown types and orphan results are ignored."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        answer = await exchange(connection, '[2,"n1","Heartbeat",null]')
        assert answer[:2] == [3, "n1"]
        await connection.send('[7,"u1","Whatever",{}]')
        await connection.send('[3,"nobody-asked",{}]')
        await connection.send('[4,"nobody-asked","GenericError","",{}]')
        await connection.send("not json at all")
        await heartbeat_still_answered(connection)


async def test_a_repeated_message_id_gets_the_same_answer(csms: RunningCsms) -> None:
    """The same CALL sent again with the id just answered is answered again, not processed
    again; another CALL that reuses the id is processed."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        frame = orjson.dumps([2, "r1", "BootNotification", BOOT])
        first = await exchange(connection, frame)
        again = await exchange(connection, frame)
        assert again == first
        other = await exchange(connection, '[2,"r1","Heartbeat",{}]')
        assert other[0:2] == [3, "r1"]
        assert "currentTime" in other[2]
    events = await csms.wait_for("ChargePoint.Disconnected")
    assert [type(e).__qualname__ for e in events].count("ChargePoint.Booted") == 1


async def test_a_message_id_still_in_flight_is_a_protocol_error(csms: RunningCsms) -> None:
    """A CALL that reuses the id of a CALL still being processed gets ProtocolError; the first
    CALL is answered normally when it finishes."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        await heartbeat_still_answered(connection)  # the session is reading
        async with writer_held(csms):
            # Given a BootNotification waiting for the writer,
            await connection.send(orjson.dumps([2, "d1", "BootNotification", BOOT]))
            # when another CALL arrives with its messageId,
            async with asyncio.timeout(5):
                duplicate = await exchange(connection, '[2,"d1","Heartbeat",{}]')
            # then that one is refused at once,
            assert duplicate[:3] == [4, "d1", "ProtocolError"], duplicate
            assert duplicate[4] == {}
        # and the BootNotification is still answered.
        async with asyncio.timeout(5):
            boot = orjson.loads(await connection.recv())
        assert boot[:2] == [3, "d1"]
        assert boot[2]["status"] == "Accepted"
        await heartbeat_still_answered(connection)
    events = await csms.wait_for("ChargePoint.Disconnected")
    assert [type(e).__qualname__ for e in events].count("ChargePoint.Booted") == 1


async def test_second_connection_wins(csms: RunningCsms) -> None:
    """A new connection with the same identity closes the old one and stays connected."""
    url = csms.url("CP1")
    async with connect(url, subprotocols=["ocpp1.6"]) as old:  # type: ignore[list-item]
        await heartbeat_still_answered(old)
        async with connect(url, subprotocols=["ocpp1.6"]) as new:  # type: ignore[list-item]
            await old.wait_closed()
            assert old.close_code == 1000
            await heartbeat_still_answered(new)
            charge_point = csms.server.session("cp1")
            assert charge_point is not None
            assert charge_point.connection.remote_address == new.local_address


VALID_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("BootNotification", BOOT),
    ("Heartbeat", {}),
    ("Authorize", {"idTag": "ANY"}),
    (
        "StatusNotification",
        {"connectorId": 0, "errorCode": "NoError", "status": "Available"},
    ),
    (
        "StartTransaction",
        {"connectorId": 1, "idTag": "ANY", "meterStart": 0, "timestamp": "2026-12-01T10:00:00Z"},
    ),
    (
        "MeterValues",
        {
            "connectorId": 0,
            "meterValue": [{"timestamp": "2026-12-01T10:00:00Z", "sampledValue": [{"value": "1"}]}],
        },
    ),
    (
        "StopTransaction",
        {"transactionId": 1, "idTag": "ANY", "meterStop": 5, "timestamp": "2026-12-01T11:00:00Z"},
    ),
    ("DataTransfer", {"vendorId": "com.example", "messageId": "x", "data": "hello"}),
]


async def test_every_answer_is_valid_against_the_official_response_schema(
    csms: RunningCsms,
) -> None:
    """What we send back passes the official 1.6 response schema (T24)."""
    async with connect(csms.url("CP1"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        for n, (action, payload) in enumerate(VALID_CALLS):
            answer = await exchange(connection, orjson.dumps([2, f"v{n}", action, payload]))
            assert answer[0] == 3, answer
            assert_valid_against_schema(action, answer[2], response=True)
            if action == "DataTransfer":
                assert answer[2] == {"status": "UnknownVendorId"}


def test_every_charge_point_action_is_routed_or_declared_unsupported() -> None:
    """A new 1.6 action cannot be forgotten: it is handled or knowingly NotSupported."""
    routed = production_router.actions
    declared = {a.value for a in UNSUPPORTED}
    assert routed.isdisjoint(declared)
    assert routed | declared == {a.value for a in v16.CHARGE_POINT_ACTIONS}
