"""`csms serve` as a newcomer uses it: one process, GraphQL over HTTP, a real charge point."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import urllib.request
from pathlib import Path

from ocpp.v16 import call
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus, Reason, RegistrationStatus
from websockets.asyncio.client import connect

from tests.support.charge_point import ocpp_charge_point
from tests.support.processes import csms_process, post_graphql

READY = r"ready for charge points at ws://[^:]+:(\d+)/ocpp/"
API_READY = r"HTTP API ready at http://[^:]+:(\d+)/graphql"
NOW = "2026-12-01T10:00:00Z"


async def test_the_newcomers_story(database_url: str, tmp_path: Path) -> None:
    """Register, connect, boot, remote start, meter values, stop, and read it all back."""
    args = ("serve", "--database-url", database_url, "--ocpp-host", "127.0.0.1")
    args += ("--ocpp-port", "0", "--http-host", "127.0.0.1", "--http-port", "0")
    with csms_process(
        tmp_path / "serve.log", *args, ready=API_READY, env={"CSMS_HEARTBEAT_INTERVAL": "77"}
    ) as (process, api):
        gateway = re.search(READY, (tmp_path / "serve.log").read_text())
        assert gateway is not None
        port = int(gateway.group(1))
        graphql = f"http://127.0.0.1:{api.group(1)}/graphql"

        async def gql(query: str, **variables: object) -> dict[str, object]:
            result = await asyncio.to_thread(post_graphql, graphql, query, **variables)
            assert "errors" not in result, result
            return result["data"]  # type: ignore[no-any-return]

        browser = urllib.request.Request(graphql, headers={"Accept": "text/html"})
        page = await asyncio.to_thread(urllib.request.urlopen, browser, None, 10)
        assert b"graphiql" in page.read().lower()
        await gql('mutation { registerChargePoint(id: "CP-1") { id } }')
        await gql('mutation { setIdTag(idTag: "DRIVER", status: ACCEPTED) { idTag } }')
        async with ocpp_charge_point(f"ws://127.0.0.1:{port}/ocpp/CP-1", "CP-1") as cp:
            boot = await cp.call(
                call.BootNotification(charge_point_model="M", charge_point_vendor="V")
            )
            assert (boot.status, boot.interval) == (RegistrationStatus.accepted, 77)
            started = await gql(
                'mutation { remoteStartTransaction(chargePointId: "CP-1", idTag: "DRIVER", '
                "connectorId: 1) { status } }"
            )
            assert started == {"remoteStartTransaction": {"status": "ACCEPTED"}}
            await cp.call(
                call.StatusNotification(
                    connector_id=1,
                    error_code=ChargePointErrorCode.no_error,
                    status=ChargePointStatus.charging,
                )
            )
            tx = await cp.call(
                call.StartTransaction(connector_id=1, id_tag="DRIVER", meter_start=0, timestamp=NOW)
            )
            await cp.call(
                call.MeterValues(
                    connector_id=1,
                    transaction_id=tx.transaction_id,
                    meter_value=[{"timestamp": NOW, "sampledValue": [{"value": "1200"}]}],
                )
            )
            await cp.call(
                call.StopTransaction(
                    meter_stop=2500,
                    timestamp=NOW,
                    transaction_id=tx.transaction_id,
                    reason=Reason.local,
                )
            )
            query = """query($id: Int!) { transaction(id: $id) { idTag energyWh meterValues {
                sampledValue { value } } } chargePoint(id: "CP-1") { connected
                connectors { connectorId status } } }"""
            async with asyncio.timeout(10):
                while True:
                    data = await gql(query, id=tx.transaction_id)
                    # Each read model follows the log on its own: wait until both show it.
                    stopped = data["transaction"] and data["transaction"]["energyWh"] == 2500  # type: ignore[index]
                    if stopped and data["chargePoint"]["connectors"]:  # type: ignore[index]
                        break
                    await asyncio.sleep(0.05)
            assert data["transaction"]["meterValues"][0]["sampledValue"] == [{"value": "1200"}]  # type: ignore[index]
            assert data["chargePoint"] == {  # type: ignore[comparison-overlap]
                "connected": True,
                "connectors": [{"connectorId": 1, "status": "CHARGING"}],
            }
        events = await gql("{ events(first: 500) { edges { node { type } } } }")
        types = [e["node"]["type"] for e in events["events"]["edges"]]  # type: ignore[index]
        for expected in (
            "ChargePoint.Booted",
            "RemoteCommand.Requested",
            "RemoteCommand.Answered",
            "Transaction.Started",
            "Transaction.MeterValuesSampled",
            "Transaction.Stopped",
        ):
            assert expected in types
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


async def test_serve_passes_its_settings_to_the_gateway(sqlite_url: str, tmp_path: Path) -> None:
    """Auto-accept (from the environment) registers an unknown identity; --call-timeout bounds
    how long an operator's command waits for a charge point that never answers."""
    args = ("serve", "--database-url", sqlite_url, "--ocpp-host", "127.0.0.1")
    args += ("--ocpp-port", "0", "--http-host", "127.0.0.1", "--http-port", "0")
    args += ("--call-timeout", "0.5")
    env = {"CSMS_ACCEPT_UNKNOWN_CHARGE_POINTS": "true"}
    with csms_process(tmp_path / "serve.log", *args, ready=API_READY, env=env) as (process, api):
        gateway = re.search(READY, (tmp_path / "serve.log").read_text())
        assert gateway is not None
        url = f"ws://127.0.0.1:{gateway.group(1)}/ocpp/NEW-CP"
        graphql = f"http://127.0.0.1:{api.group(1)}/graphql"
        async with connect(url, subprotocols=["ocpp1.6"]) as silent:  # type: ignore[list-item]
            assert silent.subprotocol == "ocpp1.6"
            result = await asyncio.to_thread(
                post_graphql,
                graphql,
                'mutation { remoteStartTransaction(chargePointId: "NEW-CP", idTag: "X") '
                "{ status } }",
            )
            request = json.loads(await silent.recv())
            assert request[2] == "RemoteStartTransaction"  # sent, never answered
        errors = result["errors"]
        assert errors[0]["extensions"]["code"] == "TIMEOUT"
        assert "within 0.5 s" in errors[0]["message"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
