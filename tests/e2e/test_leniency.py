"""Real-world deviations in transaction messages are answered, stored and flagged (T5, T8)."""

from __future__ import annotations

import orjson
from websockets.asyncio.client import connect

from domain.vocabulary import UnitOfMeasure
from tests.support.server import running_csms


async def test_deviations_are_findings_not_callerrors(database_url: str) -> None:
    """Naive times, numbers as strings, 'C' for Celsius: answered normally and recorded."""
    async with running_csms(database_url) as csms:
        await csms.register("CP-L")
        async with connect(csms.url("CP-L"), subprotocols=["ocpp1.6"]) as connection:  # type: ignore[list-item]
            start = {
                "connectorId": 1,
                "idTag": "T",
                "meterStart": "1000",
                "timestamp": "2026-12-01 10:00:00",
            }
            await connection.send(orjson.dumps([2, "s", "StartTransaction", start]).decode())
            started = orjson.loads(await connection.recv())
            assert started[0] == 3, started
            transaction_id = started[2]["transactionId"]
            values = {
                "connectorId": 1,
                "transactionId": transaction_id,
                "meterValue": [
                    {
                        "timestamp": "2026-12-01T10:05:00Z",
                        "sampledValue": [
                            {"value": " 21.5", "measurand": "Temperature", "unit": "C"},
                            {"value": "1500"},
                        ],
                    }
                ],
            }
            await connection.send(orjson.dumps([2, "m", "MeterValues", values]).decode())
            assert orjson.loads(await connection.recv()) == [3, "m", {}]
            stop = {
                "transactionId": transaction_id,
                "meterStop": 1500,
                "timestamp": "2026-12-01T10:10:00Z",
                "reason": "Local",
                "vendorExtension": True,
            }
            await connection.send(orjson.dumps([2, "t", "StopTransaction", stop]).decode())
            assert orjson.loads(await connection.recv())[0] == 3
        events = await csms.wait_for("ChargePoint.Disconnected")

    findings = [
        e for e in events if type(e).__qualname__ == "ChargePoint.ConformanceFindingsRecorded"
    ]
    assert [f.action for f in findings] == ["StartTransaction", "MeterValues", "StopTransaction"]
    assert all(f.findings for f in findings)
    assert orjson.loads(findings[0].payload) == start
    started_event = next(e for e in events if type(e).__qualname__ == "Transaction.Started")
    assert started_event.meter_start == 1000
    assert started_event.reported_time.raw == "2026-12-01 10:00:00"
    assert started_event.reported_time.at is not None
    sampled = next(e for e in events if type(e).__qualname__ == "Transaction.MeterValuesSampled")
    assert sampled.meter_values[0].sampled_values[0].unit is UnitOfMeasure.CELSIUS
    assert (
        next(e for e in events if type(e).__qualname__ == "Transaction.Stopped").meter_stop == 1500
    )
