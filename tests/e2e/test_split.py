"""`csms gateway`, `csms api` and `csms projections` as three processes on one database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ocpp.v16 import call

from tests.support.charge_point import ocpp_charge_point
from tests.support.processes import csms_process, post_graphql

GATEWAY_READY = r"ready for charge points at ws://[^:]+:(\d+)/"
API_READY = r"HTTP API ready at http://[^:]+:(\d+)/graphql"


async def test_three_processes_share_one_database(database_url: str, tmp_path: Path) -> None:
    """Registered through the API, seen by the gateway, projected by the third; commands from
    the API to a charge point on another process answer CHARGE_POINT_OFFLINE."""
    common = (
        "--database-url",
        database_url,
        "--ocpp-host",
        "127.0.0.1",
        "--http-host",
        "127.0.0.1",
    )
    with (
        csms_process(tmp_path / "p.log", "projections", *common, ready="projections running"),
        csms_process(tmp_path / "a.log", "api", *common, "--http-port", "0", ready=API_READY) as (
            _,
            api,
        ),
        csms_process(
            tmp_path / "g.log", "gateway", *common, "--ocpp-port", "0", ready=GATEWAY_READY
        ) as (_, gateway),
    ):
        graphql = f"http://127.0.0.1:{api.group(1)}/graphql"
        registered = await asyncio.to_thread(
            post_graphql, graphql, 'mutation { registerChargePoint(id: "CP-SPLIT") { id } }'
        )
        assert registered == {"data": {"registerChargePoint": {"id": "CP-SPLIT"}}}
        url = f"ws://127.0.0.1:{gateway.group(1)}/ocpp/CP-SPLIT"
        async with ocpp_charge_point(url, "CP-SPLIT") as cp:
            await cp.call(call.BootNotification(charge_point_model="M", charge_point_vendor="V"))
            query = '{ chargePoint(id: "cp-split") { vendor connected } }'
            async with asyncio.timeout(15):
                while True:
                    shown = await asyncio.to_thread(post_graphql, graphql, query)
                    if shown["data"]["chargePoint"] == {"vendor": "V", "connected": True}:
                        break
                    await asyncio.sleep(0.1)
            reset = await asyncio.to_thread(
                post_graphql,
                graphql,
                'mutation { reset(chargePointId: "CP-SPLIT", type: SOFT) { status } }',
            )
            assert reset["errors"][0]["extensions"]["code"] == "CHARGE_POINT_OFFLINE"
