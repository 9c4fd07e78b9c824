"""What the JSON schemas cannot catch, over a real socket: the answer the charge point gets and
the conformance finding recorded (OCPP16.md T1, T5, T6, T8)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect

from adapters.ocpp import v16
from domain.vocabulary import ConnectorStatus
from tests.support.server import RunningCsms, running_csms

CP_ID = "CP-CONFORMANCE"
LONG_TAG = "04A2B3C4D5E6F7A8B9C0D1E2F3"  # 26 hex digits: an IdToken holds 20
PAST = "2026-12-01T10:00:00Z"
AHEAD = "ahead of the Central System's clock"


@pytest.fixture
async def csms(database_url: str) -> AsyncIterator[RunningCsms]:
    async with running_csms(database_url) as running:
        await running.register(CP_ID)
        yield running


async def exchange(
    connection: ClientConnection, unique_id: str, action: str, payload: dict[str, Any]
) -> list[Any]:
    await connection.send(orjson.dumps([2, unique_id, action, payload]).decode())
    answer: list[Any] = orjson.loads(await connection.recv())
    return answer


async def session_events(csms: RunningCsms) -> list[Any]:
    """Every event, once the connection has closed (all its writes are then committed)."""
    return await csms.wait_for("ChargePoint.Disconnected")


def named(events: list[Any], name: str) -> list[Any]:
    return [e for e in events if type(e).__qualname__ == name]


def findings_by_action(events: list[Any]) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (e.action, tuple(e.findings))
        for e in named(events, "ChargePoint.ConformanceFindingsRecorded")
    ]


def soon(delta: timedelta) -> str:
    return v16.format_timestamp(datetime.now(UTC) + delta)


async def test_an_over_long_id_tag_starts_and_stops_a_transaction(csms: RunningCsms) -> None:
    """No CALLERROR for a 26-character idTag in StartTransaction: a real transactionId, the
    tag answered Invalid (unknown), kept as sent; StopTransaction reads it the same way."""
    async with connect(csms.url(CP_ID), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        start = {"connectorId": 1, "idTag": LONG_TAG, "meterStart": 100, "timestamp": PAST}
        started = await exchange(connection, "s", "StartTransaction", start)
        assert started[:2] == [3, "s"], started
        transaction_id = started[2]["transactionId"]
        assert isinstance(transaction_id, int)
        assert transaction_id > 0
        assert started[2]["idTagInfo"] == {"status": "Invalid"}
        stop = {
            "transactionId": transaction_id,
            "idTag": LONG_TAG,
            "meterStop": 900,
            "timestamp": PAST,
        }
        stopped = await exchange(connection, "t", "StopTransaction", stop)
        assert stopped == [3, "t", {"idTagInfo": {"status": "Invalid"}}]
        # Authorize is not a transaction message: it stays strict.
        authorize = await exchange(connection, "a", "Authorize", {"idTag": LONG_TAG})
        assert authorize[:3] == [4, "a", "TypeConstraintViolation"]
    events = await session_events(csms)

    finding = "idTag: 26 characters, longer than 20; kept as sent"
    assert findings_by_action(events) == [
        ("StartTransaction", (finding,)),
        ("StopTransaction", (finding,)),
    ]
    (transaction,) = named(events, "Transaction.Started")
    assert (transaction.transaction_id, transaction.id_tag) == (transaction_id, LONG_TAG)
    (ended,) = named(events, "Transaction.Stopped")
    assert (ended.id_tag, ended.meter_stop) == (LONG_TAG, 900)


async def test_out_of_range_connector_ids(csms: RunningCsms) -> None:
    """Transaction messages are answered with a finding; a StatusNotification for a negative
    connector is a PropertyConstraintViolation; connector 0 Charging is kept and flagged."""
    async with connect(csms.url(CP_ID), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        start = {"connectorId": 0, "idTag": "TAG", "meterStart": 0, "timestamp": PAST}
        started = await exchange(connection, "s", "StartTransaction", start)
        assert started[:2] == [3, "s"], started
        assert isinstance(started[2]["transactionId"], int)
        values = {
            "connectorId": -1,
            "meterValue": [{"timestamp": PAST, "sampledValue": [{"value": "10"}]}],
        }
        assert await exchange(connection, "m", "MeterValues", values) == [3, "m", {}]
        negative = {"connectorId": -1, "errorCode": "NoError", "status": "Available"}
        refused = await exchange(connection, "n", "StatusNotification", negative)
        assert refused == [
            4,
            "n",
            "PropertyConstraintViolation",
            "connectorId: -1 is out of range (at least 0)",
            {},
        ]
        whole = {"connectorId": 0, "errorCode": "NoError", "status": "Charging"}
        assert await exchange(connection, "z", "StatusNotification", whole) == [3, "z", {}]
        fine = {"connectorId": 0, "errorCode": "NoError", "status": "Unavailable"}
        assert await exchange(connection, "u", "StatusNotification", fine) == [3, "u", {}]
    events = await session_events(csms)

    assert findings_by_action(events) == [
        ("StartTransaction", ("connectorId: 0 is out of range for StartTransaction (at least 1)",)),
        ("MeterValues", ("connectorId: -1 is out of range for MeterValues (at least 0)",)),
        (
            "StatusNotification",
            (
                "status: 'Charging' is not a status of connector 0"
                " (Available, Unavailable or Faulted)",
            ),
        ),
    ]
    assert [e.connector_id for e in named(events, "Transaction.Started")] == [0]
    assert [e.connector_id for e in named(events, "ChargePoint.MeterValuesReported")] == [-1]
    reports = [
        (e.report.connector_id, e.report.status)
        for e in named(events, "ChargePoint.StatusReported")
    ]
    assert reports == [(0, ConnectorStatus.CHARGING), (0, ConnectorStatus.UNAVAILABLE)]


async def test_times_ahead_of_our_clock_are_findings(csms: RunningCsms) -> None:
    """A charge point clock an hour fast: every message is answered normally, the time is kept
    as sent, and each future time is a finding; a minute fast is within tolerance."""
    hour = soon(timedelta(hours=1))
    async with connect(csms.url(CP_ID), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
        status = {"connectorId": 1, "errorCode": "NoError", "status": "Preparing"}
        answer = await exchange(connection, "n", "StatusNotification", status | {"timestamp": hour})
        assert answer == [3, "n", {}]
        minute = soon(timedelta(minutes=1))
        answer = await exchange(
            connection, "o", "StatusNotification", status | {"timestamp": minute}
        )
        assert answer == [3, "o", {}]
        start = {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": hour}
        started = await exchange(connection, "s", "StartTransaction", start)
        assert started[:2] == [3, "s"], started
        transaction_id = started[2]["transactionId"]
        values = {
            "connectorId": 1,
            "transactionId": transaction_id,
            "meterValue": [
                {"timestamp": PAST, "sampledValue": [{"value": "10"}]},
                {"timestamp": hour, "sampledValue": [{"value": "20"}]},
            ],
        }
        assert await exchange(connection, "m", "MeterValues", values) == [3, "m", {}]
        stop = {"transactionId": transaction_id, "meterStop": 30, "timestamp": hour}
        assert await exchange(connection, "t", "StopTransaction", stop) == [3, "t", {}]
    events = await session_events(csms)

    recorded = findings_by_action(events)
    assert [(action, len(found)) for action, found in recorded] == [
        ("StatusNotification", 1),
        ("StartTransaction", 1),
        ("MeterValues", 1),
        ("StopTransaction", 1),
    ]
    fields = ["timestamp", "timestamp", "meterValue[1].timestamp", "timestamp"]
    for (_, (finding,)), field in zip(recorded, fields, strict=True):
        assert finding.startswith(f"{field}: {hour!r} is 0:59:"), finding  # an hour, less transit
        assert finding.endswith(AHEAD)
    (transaction,) = named(events, "Transaction.Started")
    assert transaction.reported_time.raw == hour
    assert transaction.reported_time.at == datetime.fromisoformat(hour)
